//! `/api/v1/auth`: password and Plex sign-in, sign-out, the caller, password change.

use actix_web::{HttpMessage as _, HttpRequest, HttpResponse, get, post, web};
use plex_client::tv::Account;
use pum_api_types::ErrorBody;
use pum_api_types::auth::{
    ChangePasswordRequest, Me, PlexPinPurpose, PlexPinStarted, PlexPinState, PlexPinStatus,
    SignInRequest, StartPlexPinRequest,
};
use pum_core::CoreError;
use pum_core::auth::{Permission, Principal, SessionContext, SessionPolicy, Via};
use pum_core::events::Actor;
use pum_core::plex_auth::FlowCheck;
use pum_core::settings::{Change, Key};
use pum_db::records::{Admin, PlexLink};
use pum_db::repo::admins;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Auth, SignedIn, client, cookies};
use crate::error::ApiError;
use crate::routes::views;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(sign_in)
        .service(sign_out)
        .service(me)
        .service(change_password)
        .service(start_plex_pin)
        .service(check_plex_pin);
}

/// Signs in with a local username and password; sets the session cookie.
#[utoipa::path(
    tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, body = Me, description = "signed in; the session cookie is set"),
        (status = 401, body = ErrorBody, description = "wrong username or password"),
        (status = 429, body = ErrorBody, description = "too many attempts; see Retry-After"),
    )
)]
#[post("/auth/sign-in")]
pub(crate) async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignInRequest>,
) -> Result<HttpResponse, ApiError> {
    let info = client::of(&req);
    let actor = Actor::anonymous(info.ip_text());
    if let Some(ip) = info.ip
        && let Err(wait) = state.limits.sign_in_per_ip.take(&ip)
    {
        state
            .events
            .record(
                "auth.sign_in",
                &actor,
                Some(&body.username),
                false,
                json!({ "reason": "rate_limited" }),
            )
            .await;
        return Err(too_many(wait));
    }
    let admin = match state
        .auth
        .check_password(&body.username, &body.password)
        .await
    {
        Ok(admin) => admin,
        Err(err) => {
            let key = admins::username_key(&body.username);
            if let Err(wait) = state.limits.failures_per_username.take(&key) {
                // Slow down, never lock out: the right password still works at once.
                tokio::time::sleep(std::time::Duration::from_secs(wait.min(2))).await;
            }
            state
                .events
                .record(
                    "auth.sign_in",
                    &actor,
                    Some(&body.username),
                    false,
                    json!({ "method": "password" }),
                )
                .await;
            return Err(err.into());
        }
    };
    let (cookie, caller) = open_session(&req, &state, admin, "password").await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(caller))
}

pub(crate) fn too_many(wait: u64) -> ApiError {
    ApiError::TooManyRequests {
        message: format!("too many attempts; try again in {wait} s"),
        retry_after: wait,
    }
}

/// Starts a session for `admin` and records the sign-in; returns the session cookie and the
/// caller.
pub(crate) async fn open_session(
    req: &HttpRequest,
    state: &AppState,
    admin: Admin,
    method: &str,
) -> Result<(actix_web::cookie::Cookie<'static>, Me), ApiError> {
    let info = client::of(req);
    let settings = state.settings.snapshot().await?;
    let context = SessionContext {
        ip: info.ip_text(),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let issued = state
        .auth
        .start_session(&admin, &context, SessionPolicy::from_settings(&settings))
        .await?;
    let detail = state.admins.detail(admin).await?;
    let principal = Principal {
        admin: detail.admin.clone(),
        permissions: detail.permissions.clone(),
        via: Via::Session {
            session_id: issued.session_id,
        },
    };
    state
        .events
        .record(
            "auth.sign_in",
            &principal.actor(info.ip_text()),
            Some(&detail.admin.username),
            true,
            json!({ "method": method }),
        )
        .await;
    Ok((
        cookies::session(issued.cookie, issued.expires_at, &info),
        views::me(&principal, &detail),
    ))
}

/// Ends the caller's session and removes the cookie.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "signed out")),
    security(("session" = []), ("api_key" = []))
)]
#[post("/auth/sign-out")]
pub(crate) async fn sign_out(
    auth: Auth<SignedIn>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if let Via::Session { session_id } = auth.principal.via {
        state.auth.end_session(session_id).await?;
        state
            .events
            .record(
                "auth.sign_out",
                &auth.principal.actor(auth.ip.clone()),
                Some(&auth.principal.admin.username),
                true,
                json!(null),
            )
            .await;
    }
    let mut response = HttpResponse::NoContent();
    for cookie in cookies::clear_session() {
        response.cookie(cookie);
    }
    Ok(response.finish())
}

/// The caller: their account and what they may do.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, body = Me)),
    security(("session" = []), ("api_key" = []))
)]
#[get("/auth/me")]
pub(crate) async fn me(
    auth: Auth<SignedIn>,
    state: web::Data<AppState>,
) -> Result<web::Json<Me>, ApiError> {
    let detail = state.admins.detail(auth.principal.admin.clone()).await?;
    Ok(web::Json(views::me(&auth.principal, &detail)))
}

/// Changes the caller's password; their other sessions end.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "changed"),
        (status = 400, body = ErrorBody, description = "wrong current password or a weak new one"),
    ),
    security(("session" = []))
)]
#[post("/auth/password")]
pub(crate) async fn change_password(
    auth: Auth<SignedIn>,
    state: web::Data<AppState>,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    if matches!(auth.principal.via, Via::ApiKey { .. }) {
        return Err(ApiError::Forbidden(
            "an API key cannot change a password; sign in".to_owned(),
        ));
    }
    state
        .admins
        .change_own_password(
            &auth.principal,
            auth.ip.clone(),
            body.current_password.as_deref(),
            &body.new_password,
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn purpose_name(purpose: PlexPinPurpose) -> &'static str {
    match purpose {
        PlexPinPurpose::SignIn => "sign_in",
        PlexPinPurpose::Setup => "setup",
        PlexPinPurpose::Link => "link",
        PlexPinPurpose::Connect => "connect",
    }
}

fn purpose_of(name: &str) -> PlexPinPurpose {
    match name {
        "setup" => PlexPinPurpose::Setup,
        "link" => PlexPinPurpose::Link,
        "connect" => PlexPinPurpose::Connect,
        _ => PlexPinPurpose::SignIn,
    }
}

/// A same-site path to come back to, or `None` (security-reliability.md W-2).
pub(crate) fn safe_return_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control() || c.is_whitespace())
        && path.len() <= 200;
    ok.then_some(path)
}

/// Starts a Plex sign-in (PIN flow) bound to this browser. `sign_in` and `setup` need no
/// session; `link` needs one; `connect` needs `settings.manage`.
#[utoipa::path(
    tag = "auth",
    request_body = StartPlexPinRequest,
    responses(
        (status = 200, body = PlexPinStarted, description = "open `auth_url`; the flow cookie is set"),
        (status = 400, body = ErrorBody, description = "return_path is not a path on this site"),
        (status = 401, body = ErrorBody, description = "link/connect without a session"),
        (status = 403, body = ErrorBody, description = "setup is complete, or connect without settings.manage"),
        (status = 409, body = ErrorBody, description = "sign-in before setup"),
        (status = 429, body = ErrorBody, description = "too many PINs from this address"),
        (status = 502, body = ErrorBody, description = "plex.tv failed"),
    )
)]
#[post("/auth/plex/pins")]
pub(crate) async fn start_plex_pin(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<StartPlexPinRequest>,
) -> Result<HttpResponse, ApiError> {
    let info = client::of(&req);
    let principal = req.extensions().get::<Principal>().cloned();
    let owner_exists = admins::count(&state.db).await.map_err(CoreError::from)? > 0;
    let admin_id = match body.purpose {
        PlexPinPurpose::SignIn if !owner_exists => {
            return Err(ApiError::Conflict(
                "pum is not set up yet; create the owner first".to_owned(),
            ));
        }
        PlexPinPurpose::Setup if owner_exists => {
            return Err(ApiError::Forbidden(
                "setup is complete; sign in instead".to_owned(),
            ));
        }
        PlexPinPurpose::SignIn | PlexPinPurpose::Setup => None,
        PlexPinPurpose::Link | PlexPinPurpose::Connect => {
            let principal = session_principal(principal)?;
            if body.purpose == PlexPinPurpose::Connect && !principal.can(Permission::SettingsManage)
            {
                return Err(ApiError::Forbidden(
                    "connecting Plex needs the permission settings.manage".to_owned(),
                ));
            }
            Some(principal.admin.id)
        }
    };
    let path = safe_return_path(&body.return_path).ok_or_else(|| ApiError::Invalid {
        message: "return_path must be a path on this site, such as /login".to_owned(),
        fields: std::collections::BTreeMap::from([(
            "return_path".to_owned(),
            "must be a path on this site, such as /login".to_owned(),
        )]),
    })?;
    if let Some(ip) = info.ip
        && let Err(wait) = state.limits.pins_per_ip.take(&ip)
    {
        return Err(too_many(wait));
    }
    let settings = state.settings.snapshot().await?;
    let origin = crate::routes::views::site_origin(&req, settings.public_base_url());
    let started = state
        .plex_auth
        .start(
            purpose_name(body.purpose),
            admin_id,
            &format!("{origin}{path}"),
        )
        .await?;
    Ok(HttpResponse::Ok()
        .cookie(cookies::flow(started.secret, started.expires_at, &info))
        .json(PlexPinStarted {
            auth_url: started.auth_url,
            expires_at: started.expires_at,
        }))
}

fn session_principal(principal: Option<Principal>) -> Result<Principal, ApiError> {
    match principal {
        Some(p) if matches!(p.via, Via::Session { .. }) => Ok(p),
        Some(_) => Err(ApiError::Forbidden(
            "API keys cannot link or connect Plex accounts".to_owned(),
        )),
        None => Err(ApiError::Unauthenticated("sign in first".to_owned())),
    }
}

/// Checks this browser's Plex sign-in; when approved, finishes it: signs in, creates the
/// owner, links the account or connects its token, per the flow's purpose.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, body = PlexPinStatus),
        (status = 403, body = ErrorBody, description = "the Plex account may not do this"),
        (status = 404, body = ErrorBody, description = "no Plex sign-in in progress in this browser"),
        (status = 502, body = ErrorBody, description = "plex.tv failed"),
    )
)]
#[post("/auth/plex/pins/current/check")]
pub(crate) async fn check_plex_pin(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let not_found =
        || ApiError::NotFound("no Plex sign-in is in progress in this browser".to_owned());
    let secret = cookies::flow_value(&req).ok_or_else(not_found)?;
    let status =
        |state: PlexPinState, purpose: PlexPinPurpose, retry_after_ms: u64| PlexPinStatus {
            state,
            purpose,
            retry_after_ms,
        };
    match state.plex_auth.check(&secret).await? {
        FlowCheck::Unknown => Err(not_found()),
        FlowCheck::Pending(flow) => Ok(HttpResponse::Ok().json(status(
            PlexPinState::Pending,
            purpose_of(&flow.purpose),
            2000,
        ))),
        FlowCheck::Expired(flow) => {
            let mut response = HttpResponse::Ok();
            for cookie in cookies::clear_flow() {
                response.cookie(cookie);
            }
            Ok(response.json(status(PlexPinState::Expired, purpose_of(&flow.purpose), 0)))
        }
        FlowCheck::Approved {
            flow,
            account,
            token,
        } => {
            let purpose = purpose_of(&flow.purpose);
            let mut response =
                finish_plex(&req, &state, purpose, flow.admin_id, &account, &token).await?;
            for cookie in cookies::clear_flow() {
                response
                    .add_cookie(&cookie)
                    .map_err(|e| ApiError::Internal(e.into()))?;
            }
            Ok(response)
        }
    }
}

fn link_of(account: &Account) -> PlexLink {
    PlexLink {
        account_id: i64::try_from(account.id.get()).unwrap_or(i64::MAX),
        username: account.username.clone(),
        thumb: account.thumb.clone(),
        email: account.email.clone(),
    }
}

async fn finish_plex(
    req: &HttpRequest,
    state: &AppState,
    purpose: PlexPinPurpose,
    flow_admin: Option<uuid::Uuid>,
    account: &Account,
    token: &plex_client::PlexToken,
) -> Result<HttpResponse, ApiError> {
    let info = client::of(req);
    let actor = Actor::anonymous(info.ip_text());
    let link = link_of(account);
    let done = || PlexPinStatus {
        state: PlexPinState::Done,
        purpose,
        retry_after_ms: 0,
    };
    match purpose {
        PlexPinPurpose::SignIn => {
            let settings = state.settings.snapshot().await?;
            let admin = match admins::find_by_plex_account(&state.db, link.account_id)
                .await
                .map_err(CoreError::from)?
            {
                Some(admin) => Some(admin),
                // The server owner may always sign in; their admin gets linked.
                None if settings.plex_owner_account_id() == Some(link.account_id) => {
                    let owner = admins::owner(&state.db).await.map_err(CoreError::from)?;
                    if let Some(owner) = &owner {
                        state.admins.link_plex(owner, &link, &actor).await?;
                    }
                    owner
                }
                None => None,
            };
            let Some(admin) = admin else {
                state
                    .events
                    .record(
                        "auth.sign_in",
                        &actor,
                        Some(&link.username),
                        false,
                        json!({ "method": "plex" }),
                    )
                    .await;
                return Err(ApiError::Forbidden(format!(
                    "the Plex account {} is not linked to an admin of this pum",
                    link.username
                )));
            };
            let (cookie, _) = open_session(req, state, admin, "plex").await?;
            Ok(HttpResponse::Ok().cookie(cookie).json(done()))
        }
        PlexPinPurpose::Setup => {
            let owner = state.admins.create_owner_from_plex(&link, &actor).await?;
            store_token(state, token, &link, Some(&owner.username)).await?;
            let (cookie, _) = open_session(req, state, owner, "plex").await?;
            Ok(HttpResponse::Ok().cookie(cookie).json(done()))
        }
        PlexPinPurpose::Link | PlexPinPurpose::Connect => {
            let principal = session_principal(req.extensions().get::<Principal>().cloned())?;
            if Some(principal.admin.id) != flow_admin {
                return Err(ApiError::Forbidden(
                    "this Plex sign-in was started by another admin".to_owned(),
                ));
            }
            let actor = principal.actor(info.ip_text());
            if purpose == PlexPinPurpose::Link {
                state
                    .admins
                    .link_plex(&principal.admin, &link, &actor)
                    .await?;
            } else {
                if !principal.can(Permission::SettingsManage) {
                    return Err(ApiError::Forbidden(
                        "connecting Plex needs the permission settings.manage".to_owned(),
                    ));
                }
                store_token(state, token, &link, Some(&principal.admin.username)).await?;
                state
                    .events
                    .record(
                        "settings.changed",
                        &actor,
                        Some("plex.token"),
                        true,
                        json!({ "plex_account": link.username }),
                    )
                    .await;
            }
            Ok(HttpResponse::Ok().json(done()))
        }
    }
}

/// Keeps a Plex account's token (sealed) as the owner token pum uses.
async fn store_token(
    state: &AppState,
    token: &plex_client::PlexToken,
    link: &PlexLink,
    by: Option<&str>,
) -> Result<(), ApiError> {
    state
        .settings
        .write(
            &[
                Change::set(Key::PlexToken, token.expose_for_storage()),
                Change::set(Key::PlexOwnerAccountId, link.account_id.to_string()),
            ],
            by,
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn only_same_site_paths_are_accepted_as_return_paths() {
        assert_eq!(safe_return_path("/login"), Some("/login"));
        assert_eq!(safe_return_path("/setup?step=2"), Some("/setup?step=2"));
        for bad in [
            "//evil.com",
            "/\\evil.com",
            "\\/evil.com",
            "https://evil.com",
            "javascript:alert(1)",
            " /%09/evil.com",
            "%2F%2Fevil.com",
            "/ \t\r\n//evil.com",
            "",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
