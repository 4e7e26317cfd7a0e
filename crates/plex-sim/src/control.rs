//! The simulator's own surface: a Rust API for in-process tests and the same under `/__sim/`
//! over HTTP, a path Plex could never use.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::SharedWorld;
use crate::world::{Account, Faults};

/// One request the simulator received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// `plex.tv` or `pms`.
    pub api: String,
    /// The HTTP method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The raw query string.
    pub query: String,
    /// The `X-Plex-*` headers, in arrival order.
    pub plex_headers: Vec<(String, String)>,
    /// The response status.
    pub status: u16,
}

/// Every request received, oldest first.
pub(crate) type SharedJournal = Arc<Mutex<Vec<JournalEntry>>>;

/// Drives a running simulator from a test.
#[derive(Debug, Clone)]
pub struct Control {
    pub(crate) world: SharedWorld,
    pub(crate) journal: SharedJournal,
}

impl Control {
    /// Approves PIN `pin_id` as the account `account_id`, as if that user signed in on the
    /// hosted page (plex-api.md §1.2).
    ///
    /// # Errors
    /// When the PIN or the account does not exist.
    pub fn approve_pin(&self, pin_id: u64, account_id: u64) -> Result<(), String> {
        let mut world = self.world.lock().map_err(|_| "world poisoned".to_owned())?;
        let token = world
            .account(account_id)
            .map(|a| a.token.clone())
            .ok_or_else(|| format!("no account {account_id}"))?;
        let pin = world
            .pins
            .get_mut(&pin_id)
            .ok_or_else(|| format!("no PIN {pin_id}"))?;
        pin.auth_token = Some(token);
        Ok(())
    }

    /// The server owner's account id.
    pub fn owner_id(&self) -> u64 {
        self.world.lock().map_or(0, |world| world.owner_id)
    }

    /// Every account, the owner included.
    pub fn accounts(&self) -> Vec<Account> {
        self.world
            .lock()
            .map(|world| world.accounts.clone())
            .unwrap_or_default()
    }

    /// Switches faults on or off (replacing the previous set) and resets the request counter.
    pub fn set_faults(&self, faults: Faults) {
        if let Ok(mut world) = self.world.lock() {
            world.faults = faults;
            world.tv_requests = 0;
        }
    }

    /// Deletes and recreates the library with PMS key `key`: it gets a new key and a new
    /// plex.tv id, and existing shares lose it. Returns the new (key, plex.tv id).
    pub fn delete_and_recreate_library(&self, key: u32) -> Option<(u32, u64)> {
        let mut world = self.world.lock().ok()?;
        world
            .delete_and_recreate_library(key)
            .map(|s| (s.key, s.tv_id))
    }

    /// Terminated sessions so far: (`Session@id`, reason).
    pub fn terminations(&self) -> Vec<(String, String)> {
        self.world
            .lock()
            .map(|w| w.terminated.clone())
            .unwrap_or_default()
    }

    /// Starts `session` on the server.
    pub fn start_session(&self, session: crate::LiveSession) {
        if let Ok(mut world) = self.world.lock() {
            world.sessions.push(session);
        }
    }

    /// Stops the session with `sessionKey` `key`, as if the viewer stopped.
    pub fn stop_session(&self, key: u32) {
        if let Ok(mut world) = self.world.lock() {
            world.sessions.retain(|s| s.session_key != key);
        }
    }

    /// Moves the position of every playing session forward by `by`, up to its end.
    pub fn advance_sessions(&self, by: Duration) {
        if let Ok(mut world) = self.world.lock() {
            let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
            for s in world.sessions.iter_mut().filter(|s| s.state == "playing") {
                s.view_offset_ms = (s.view_offset_ms + ms).min(s.duration_ms);
            }
        }
    }

    /// Moves simulator time forward (PIN expiry).
    pub fn advance_clock(&self, by: Duration) {
        if let Ok(mut world) = self.world.lock() {
            world.clock_offset += by;
        }
    }

    /// Every request received so far.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.journal.lock().map(|j| j.clone()).unwrap_or_default()
    }

    /// Creates a plex.tv account (for example someone who signs up to accept an invite) and,
    /// when `spec.friend`, adds it to the owner's friends. Returns it with its token.
    ///
    /// # Errors
    /// When the username or e-mail is already taken.
    pub fn add_account(&self, spec: &NewAccount) -> Result<Account, String> {
        let mut world = self.world.lock().map_err(|_| "world poisoned".to_owned())?;
        let taken = |who: &str| world.account_by_email_or_username(who).is_some();
        if taken(&spec.username) || spec.email.as_deref().is_some_and(taken) {
            return Err(format!("{} is already a plex.tv account", spec.username));
        }
        let mut account = world.new_account(&spec.username);
        if spec.email.is_some() {
            account.email.clone_from(&spec.email);
        }
        account.plex_pass = spec.plex_pass;
        account.confirmed = !spec.unverified;
        account.home = spec.home || spec.managed;
        account.managed = spec.managed;
        if spec.managed {
            account.email = None;
        }
        if spec.friend || account.home {
            world.add_friend(account.clone());
        } else {
            world.accounts.push(account.clone());
        }
        Ok(account)
    }

    /// Deletes the account `id` from plex.tv with its friendship and shares.
    pub fn remove_account(&self, id: u64) -> bool {
        self.world.lock().is_ok_and(|mut w| w.remove_account(id))
    }

    /// The account `id`, with its token.
    pub fn account(&self, id: u64) -> Option<Account> {
        self.world.lock().ok()?.account(id).cloned()
    }

    /// The share the owner's server has with account `account`, if any.
    pub fn share_of(&self, account: u64) -> Option<crate::Share> {
        self.world.lock().ok()?.share_of(account).cloned()
    }

    /// The share `id` of the owner's server.
    pub fn share(&self, id: u64) -> Option<crate::Share> {
        self.world.lock().ok()?.share(id).cloned()
    }
}

/// An account to create through the control API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags, as Plex models them"
)]
pub struct NewAccount {
    /// plex.tv username (required).
    pub username: String,
    /// E-mail; `username@demo.invalid` when absent.
    pub email: Option<String>,
    /// Add to the owner's friends.
    pub friend: bool,
    /// A member of the owner's Plex Home.
    pub home: bool,
    /// A managed Home user (no username or e-mail of its own).
    pub managed: bool,
    /// Has Plex Pass.
    pub plex_pass: bool,
    /// The e-mail address is not verified yet.
    pub unverified: bool,
}

#[derive(Deserialize)]
struct ApproveQuery {
    account: u64,
}

#[derive(Deserialize)]
struct AdvanceQuery {
    seconds: u64,
}

/// `/__sim/…` routes, mounted on every simulated host.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/__sim")
            .route("/pins/{id}/approve", web::post().to(approve))
            .route(
                "/pins/by-code/{code}/approve",
                web::post().to(approve_by_code),
            )
            .route(
                "/pins/by-code/{code}/manual",
                web::post().to(manual_by_code),
            )
            .route("/faults", web::put().to(faults))
            .route("/clock/advance", web::post().to(advance))
            .route("/journal", web::get().to(journal))
            .route("/accounts", web::post().to(add_account))
            .route("/accounts/{id}", web::delete().to(remove_account))
            .route("/accounts/{id}", web::get().to(show_account))
            .route("/sessions", web::post().to(start_session))
            .route("/sessions/advance", web::post().to(advance_sessions))
            .route("/sessions/{key}", web::delete().to(stop_session))
            .route("/terminations", web::get().to(terminations))
            .route(
                "/libraries/{key}/recreate",
                web::post().to(recreate_library),
            ),
    );
}

async fn add_account(control: web::Data<Control>, body: web::Json<NewAccount>) -> HttpResponse {
    if body.username.trim().is_empty() {
        return HttpResponse::BadRequest()
            .json(serde_json::json!({ "error": "username is required" }));
    }
    match control.add_account(&body) {
        Ok(account) => HttpResponse::Created().json(account),
        Err(message) => HttpResponse::Conflict().json(serde_json::json!({ "error": message })),
    }
}

/// The account with the owner's share of the server for it (what "Plex" holds now).
async fn show_account(control: web::Data<Control>, id: web::Path<u64>) -> HttpResponse {
    let Ok(world) = control.world.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    let Some(account) = world.account(*id) else {
        return HttpResponse::NotFound().json(serde_json::json!({ "error": "no such account" }));
    };
    let share = world.share_of(*id).map(|share| {
        serde_json::json!({
            "id": share.id,
            "section_ids": share.section_ids,
            "all_libraries": share.all_libraries,
            "pending": share.pending,
            "allow_sync": share.settings.allow_sync,
        })
    });
    HttpResponse::Ok().json(serde_json::json!({
        "account": account,
        "friend": world.friend_ids.contains(id.as_ref()),
        "share": share,
    }))
}

async fn remove_account(control: web::Data<Control>, id: web::Path<u64>) -> HttpResponse {
    if control.remove_account(*id) {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::NotFound()
            .json(serde_json::json!({ "error": "no such account (or the owner)" }))
    }
}

async fn start_session(
    control: web::Data<Control>,
    body: web::Json<crate::LiveSession>,
) -> HttpResponse {
    control.start_session(body.into_inner());
    HttpResponse::NoContent().finish()
}

async fn stop_session(control: web::Data<Control>, key: web::Path<u32>) -> HttpResponse {
    control.stop_session(*key);
    HttpResponse::NoContent().finish()
}

async fn advance_sessions(
    control: web::Data<Control>,
    query: web::Query<AdvanceQuery>,
) -> HttpResponse {
    control.advance_sessions(Duration::from_secs(query.seconds));
    HttpResponse::NoContent().finish()
}

async fn terminations(control: web::Data<Control>) -> HttpResponse {
    HttpResponse::Ok().json(control.terminations())
}

async fn recreate_library(control: web::Data<Control>, key: web::Path<u32>) -> HttpResponse {
    match control.delete_and_recreate_library(*key) {
        Some((key, id)) => HttpResponse::Ok().json(serde_json::json!({ "key": key, "id": id })),
        None => HttpResponse::NotFound().json(serde_json::json!({ "error": "no such library" })),
    }
}

/// Middleware applying the slow-response and 5xx faults to every non-control request.
pub(crate) async fn misbehave(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if !req.path().starts_with("/__sim") {
        let (delay, fail) = req
            .app_data::<web::Data<SharedWorld>>()
            .and_then(|world| world.lock().ok())
            .map(|mut world| {
                let faults = &mut world.faults;
                let fail = faults.server_errors > 0;
                faults.server_errors = faults.server_errors.saturating_sub(1);
                (faults.slow_ms, fail)
            })
            .unwrap_or_default();
        if delay > 0 {
            actix_web::rt::time::sleep(Duration::from_millis(delay)).await;
        }
        if fail {
            let response = HttpResponse::ServiceUnavailable()
                .content_type("text/html")
                .body("<html><body><h1>503 Service Unavailable</h1></body></html>");
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

async fn approve(
    control: web::Data<Control>,
    id: web::Path<u64>,
    query: web::Query<ApproveQuery>,
) -> HttpResponse {
    match control.approve_pin(*id, query.account) {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(message) => HttpResponse::NotFound().json(serde_json::json!({ "error": message })),
    }
}

/// Takes the PIN with `code` out of automatic approval: a person picks the account (an invitee
/// on the demo is not the server owner).
async fn manual_by_code(control: web::Data<Control>, code: web::Path<String>) -> HttpResponse {
    let Ok(mut world) = control.world.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    match world.pins.values_mut().find(|pin| pin.code == *code) {
        Some(pin) => {
            pin.manual = true;
            HttpResponse::NoContent().finish()
        }
        None => HttpResponse::NotFound().json(serde_json::json!({ "error": "no such PIN" })),
    }
}

async fn approve_by_code(
    control: web::Data<Control>,
    code: web::Path<String>,
    query: web::Query<ApproveQuery>,
) -> HttpResponse {
    let id = control.world.lock().ok().and_then(|world| {
        world
            .pins
            .values()
            .find(|pin| pin.code == *code)
            .map(|pin| pin.id)
    });
    match id.map(|id| control.approve_pin(id, query.account)) {
        Some(Ok(())) => HttpResponse::NoContent().finish(),
        Some(Err(message)) => {
            HttpResponse::NotFound().json(serde_json::json!({ "error": message }))
        }
        None => {
            HttpResponse::NotFound().json(serde_json::json!({ "error": "no PIN with that code" }))
        }
    }
}

async fn faults(control: web::Data<Control>, body: web::Json<Faults>) -> HttpResponse {
    control.set_faults(body.into_inner());
    HttpResponse::NoContent().finish()
}

async fn advance(control: web::Data<Control>, query: web::Query<AdvanceQuery>) -> HttpResponse {
    control.advance_clock(Duration::from_secs(query.seconds));
    HttpResponse::NoContent().finish()
}

async fn journal(control: web::Data<Control>) -> HttpResponse {
    HttpResponse::Ok().json(control.journal())
}

/// Middleware recording every non-control request in the journal.
pub(crate) async fn record(
    api: &'static str,
    journal: SharedJournal,
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let control = req.path().starts_with("/__sim");
    let mut entry = JournalEntry {
        api: api.to_owned(),
        method: req.method().to_string(),
        path: req.path().to_owned(),
        query: req.query_string().to_owned(),
        plex_headers: req
            .headers()
            .iter()
            .filter(|(name, _)| name.as_str().starts_with("x-plex-"))
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    value.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        status: 0,
    };
    let response = next.call(req).await?;
    if !control {
        entry.status = response.status().as_u16();
        if let Ok(mut journal) = journal.lock() {
            journal.push(entry);
        }
    }
    Ok(response)
}
