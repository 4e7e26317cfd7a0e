//! The v2 friends and shares API as Plex Web uses it (plex-api.md §3.4, §5.3–5.6, §5.9–5.10):
//! friends with their shares, accepted and pending shares, the invitee's side of an invite,
//! full-replacement share updates, per-friend settings, and Home user creation.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::SharedWorld;
use crate::render::{Format, rfc3339, tv_error, tv_not_found, v2_element, xml, xml_attr};
use crate::tv::{v1_error, v1_owner_guard, v2_guard};
use crate::world::{Account, LibrarySectionsFault, Share, ShareSettings, World};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v2/friends", web::get().to(friends))
        .route(
            "/api/v2/shared_servers/owned/accepted",
            web::get().to(owned_accepted),
        )
        .route(
            "/api/v2/shared_servers/invites/owned/pending",
            web::get().to(owned_pending),
        )
        .route(
            "/api/v2/shared_servers/invites/received/pending",
            web::get().to(received_pending),
        )
        .route("/api/v2/shared_servers/{id}/accept", web::post().to(accept))
        .route("/api/v2/shared_servers/{id}", web::post().to(update_v2))
        .route("/api/v2/sharings/{user}", web::put().to(update_settings))
        .route("/api/v2/servers/{machine}", web::get().to(server_v2))
        .route("/api/home/users", web::post().to(create_home_user));
}

/// A v2 list in the requested format: a bare JSON array, or XML items in a `MediaContainer`.
fn v2_list(format: Format, element: &str, items: &[Value]) -> HttpResponse {
    match format {
        Format::Json => HttpResponse::Ok().json(items),
        Format::Xml => xml(&format!(
            "<MediaContainer size=\"{}\">{}</MediaContainer>",
            items.len(),
            items
                .iter()
                .map(|item| v2_element(element, item))
                .collect::<String>()
        )),
    }
}

fn settings_json(settings: &ShareSettings) -> Value {
    serde_json::to_value(settings).unwrap_or(Value::Null)
}

fn account_json(world: &World, account: &Account, status: &str) -> Value {
    let managed = account.managed;
    json!({
        "id": account.id,
        "uuid": account.uuid,
        "title": account.username,
        "username": if managed { None } else { Some(&account.username) },
        "email": if managed { None } else { account.email.as_ref() },
        "friendlyName": if managed { Some(&account.username) } else { None },
        "restricted": managed,
        "home": account.home,
        "thumb": format!("https://plex.tv/users/{}/avatar", account.uuid),
        "status": status,
        "sharingSettings": settings_json(
            &world.share_of(account.id).map(|s| s.settings.clone()).unwrap_or_default()
        ),
    })
}

/// A share as the v2 API shows it (§5.3–5.5): RFC 3339 timestamps, plex.tv library ids with
/// their PMS keys, the complete settings.
pub(crate) fn shared_server_json(world: &World, share: &Share) -> Value {
    let libraries: Vec<Value> = world
        .sections
        .iter()
        .filter(|s| share.all_libraries || share.section_ids.contains(&s.tv_id))
        .map(|s| json!({"id": s.tv_id, "key": s.key, "title": s.title, "type": s.kind}))
        .collect();
    let invited = world
        .account(share.user_id)
        .map(|a| account_json(world, a, if share.pending { "pending" } else { "accepted" }));
    json!({
        "id": share.id,
        "name": world.server.name,
        "ownerId": world.owner_id,
        "invitedId": (share.user_id != 0).then_some(share.user_id),
        "invitedEmail": share.invited_email,
        "serverId": world.server_id,
        "accepted": !share.pending,
        "acceptedAt": (!share.pending).then(|| rfc3339(share.invited_at + 3600)),
        "deletedAt": null,
        "leftAt": null,
        "owned": true,
        "inviteToken": format!("invite-{}", share.id),
        "machineIdentifier": world.server.machine_identifier,
        "lastSeenAt": share.last_seen_at.map(rfc3339),
        "numLibraries": libraries.len(),
        "allLibraries": share.all_libraries,
        "invited": invited,
        "sharingSettings": settings_json(&share.settings),
        "libraries": libraries,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FriendsQuery {
    #[serde(default)]
    include_shared_servers: Option<String>,
    status: Option<String>,
}

/// §5.3 and §8.15: friends, with `sharedServers` empty unless `includeSharedServers=true`.
async fn friends(
    req: HttpRequest,
    query: web::Query<FriendsQuery>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (world, account, format) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if account.id != world.owner_id {
        return v2_list(format, "friend", &[]);
    }
    let include = matches!(query.include_shared_servers.as_deref(), Some("true" | "1"));
    let items: Vec<Value> = world
        .friend_ids
        .iter()
        .filter_map(|id| world.account(*id))
        .filter_map(|friend| {
            let share = world.share_of(friend.id);
            let status = if share.is_some_and(|s| s.pending) {
                "pending_sent"
            } else {
                "accepted"
            };
            if query
                .status
                .as_deref()
                .is_some_and(|wanted| wanted != status)
            {
                return None;
            }
            let mut item = account_json(&world, friend, status);
            item["sharedServers"] = match share {
                Some(share) if include => json!([shared_server_json(&world, share)]),
                _ => json!([]),
            };
            item["sharedSources"] = json!([]);
            Some(item)
        })
        .collect();
    v2_list(format, "friend", &items)
}

/// §5.4: the owner's accepted shares.
async fn owned_accepted(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    owned_shares(&req, &world, false)
}

/// §5.9: the owner's sent, unaccepted invites (e-mail invites included).
async fn owned_pending(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    owned_shares(&req, &world, true)
}

fn owned_shares(req: &HttpRequest, world: &web::Data<SharedWorld>, pending: bool) -> HttpResponse {
    let (world, account, format) = match v2_guard(world, req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let items: Vec<Value> = if account.id == world.owner_id {
        world
            .shares
            .iter()
            .filter(|s| s.pending == pending)
            .map(|s| shared_server_json(&world, s))
            .collect()
    } else {
        Vec::new()
    };
    v2_list(format, "sharedServer", &items)
}

/// Whether `share` is an invite addressed to `account`: by account, or by its e-mail or
/// username for an invite sent before the account existed.
fn addressed_to(share: &Share, account: &Account) -> bool {
    share.user_id == account.id
        || share.invited_email.as_deref().is_some_and(|who| {
            who.eq_ignore_ascii_case(&account.username)
                || account
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(who))
        })
}

/// §5.9, the invitee's side: invites waiting for the caller, grouped by owner.
async fn received_pending(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let (world, account, format) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let shares: Vec<Value> = world
        .shares
        .iter()
        .filter(|s| s.pending && addressed_to(s, &account))
        .map(|s| shared_server_json(&world, s))
        .collect();
    let items = match world.owner() {
        Some(owner) if !shares.is_empty() => vec![json!({
            "id": owner.id,
            "owner": {
                "id": owner.id,
                "uuid": owner.uuid,
                "username": owner.username,
                "email": owner.email,
                "title": owner.username,
                "friendlyName": null,
                "thumb": format!("https://plex.tv/users/{}/avatar", owner.uuid),
            },
            "sharedServers": shares,
            "sharedSources": [],
        })],
        _ => Vec::new(),
    };
    v2_list(format, "invite", &items)
}

/// §5.9: the invitee accepts; the share becomes theirs and active.
async fn accept(
    req: HttpRequest,
    id: web::Path<u64>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (mut world, account, format) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let now = world.now_secs();
    if !account.confirmed {
        // Wizarr#796: until the e-mail is verified the invite cannot be accepted.
        return tv_error(format, 400, 1000, "Please verify your email address first");
    }
    let Some(share) = world
        .shares
        .iter_mut()
        .find(|s| s.id == *id && s.pending && addressed_to(s, &account))
    else {
        return tv_not_found(format);
    };
    share.pending = false;
    share.user_id = account.id;
    share.invited_email = None;
    share.last_seen_at = Some(now);
    if share.access_token.is_empty() {
        share.access_token = format!("server-token-{}-{}", account.id, share.id);
    }
    if !world.friend_ids.contains(&account.id) {
        world.friend_ids.push(account.id);
    }
    HttpResponse::NoContent().finish()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateV2 {
    /// Missing flags reset to their defaults: the whole object is replaced (§8.13).
    #[serde(default)]
    settings: ShareSettings,
    library_section_ids: Vec<u64>,
}

/// §5.6 and §8.13: replaces both settings and libraries of share `id`.
async fn update_v2(
    req: HttpRequest,
    id: web::Path<u64>,
    body: web::Bytes,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (mut world, account, _) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if account.id != world.owner_id {
        return tv_error(Format::Json, 403, 1000, "Only the owner may change shares");
    }
    let body: UpdateV2 = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(err) => return tv_error(Format::Json, 400, 1000, &format!("Invalid body: {err}")),
    };
    if body.library_section_ids.is_empty() || !world.valid_section_ids(&body.library_section_ids) {
        return tv_error(Format::Json, 400, 1000, "Invalid librarySectionIds");
    }
    let Some(share) = world.shares.iter_mut().find(|s| s.id == *id) else {
        return tv_not_found(Format::Json);
    };
    share.settings = body.settings;
    share.section_ids = body.library_section_ids;
    share.all_libraries = false;
    match world.share(*id) {
        Some(share) => HttpResponse::Ok().json(shared_server_json(&world, share)),
        None => HttpResponse::InternalServerError().finish(),
    }
}

/// §5.6 and §5.8: per-friend settings from the query (`"0"`/`"1"`); restriction strings are
/// decoded once and stored verbatim. Flags not given keep their value.
async fn update_settings(
    req: HttpRequest,
    user: web::Path<u64>,
    query: web::Query<HashMap<String, String>>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (mut world, account, format) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if account.id != world.owner_id {
        return tv_error(format, 403, 1000, "Only the owner may change shares");
    }
    if let Some(refusal) = world.refusal(*user) {
        return tv_error(format, 400, 1000, &refusal);
    }
    let Some(share) = world.shares.iter_mut().find(|s| s.user_id == *user) else {
        return tv_not_found(format);
    };
    let flag =
        |name: &str, current: bool| query.get(name).map_or(current, |v| v == "1" || v == "true");
    let settings = &mut share.settings;
    settings.allow_sync = flag("allowSync", settings.allow_sync);
    settings.allow_camera_upload = flag("allowCameraUpload", settings.allow_camera_upload);
    settings.allow_channels = flag("allowChannels", settings.allow_channels);
    for (name, target) in [
        ("filterMovies", &mut settings.filter_movies),
        ("filterTelevision", &mut settings.filter_television),
        ("filterMusic", &mut settings.filter_music),
    ] {
        if let Some(value) = query.get(name) {
            target.clone_from(value);
        }
    }
    HttpResponse::NoContent().finish()
}

/// §3.4 and §8.16: the server with its libraries; the fault switch makes the list short.
async fn server_v2(
    req: HttpRequest,
    machine: web::Path<String>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (world, account, format) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if account.id != world.owner_id || *machine != world.server.machine_identifier {
        return tv_not_found(format);
    }
    let shown = match world.faults.library_sections {
        None => world.sections.len(),
        Some(LibrarySectionsFault::Partial) => world.sections.len() / 2,
        Some(LibrarySectionsFault::Empty) => 0,
    };
    let sections: Vec<Value> = world.sections[..shown]
        .iter()
        .map(|s| json!({"id": s.tv_id, "key": s.key, "title": s.title, "type": s.kind}))
        .collect();
    let server = json!({
        "name": world.server.name,
        "address": "203.0.113.7",
        "port": 32400,
        "version": world.server.version,
        "scheme": "http",
        "synced": false,
        "owned": true,
        "localAddresses": "127.0.0.1",
        "machineIdentifier": world.server.machine_identifier,
        "createdAt": 1_448_443_623,
        "updatedAt": 1_700_000_000,
        "librarySections": sections,
    });
    match format {
        Format::Json => HttpResponse::Ok().json(server),
        Format::Xml => xml(&v2_element("server", &server)),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateHomeUser {
    title: Option<String>,
    invited_email: Option<String>,
}

/// §5.10: `?title=` creates a managed user; `?invitedEmail=` brings an existing account into
/// the Home, which needs Plex Pass. Answers the member as a v1 `<User>` root.
async fn create_home_user(
    req: HttpRequest,
    query: web::Query<CreateHomeUser>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let mut world = match v1_owner_guard(&world, &req, None) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    let member = match (&query.title, &query.invited_email) {
        (Some(title), None) if !title.trim().is_empty() => {
            let mut account = world.new_account(title.trim());
            account.home = true;
            account.managed = true;
            account.email = None;
            world.add_friend(account.clone());
            account
        }
        (None, Some(who)) => {
            if !world.owner().is_some_and(|o| o.plex_pass) {
                return v1_error(400, "Invite a user requires a Plex Pass");
            }
            let Some(id) = world.account_by_email_or_username(who).map(|a| a.id) else {
                return v1_error(400, "Invalid invitedEmail");
            };
            if !world.friend_ids.contains(&id) {
                world.friend_ids.push(id);
            }
            let Some(account) = world.accounts.iter_mut().find(|a| a.id == id) else {
                return HttpResponse::InternalServerError().finish();
            };
            account.home = true;
            account.clone()
        }
        _ => return v1_error(400, "Give exactly one of title and invitedEmail"),
    };
    xml(&format!(
        "<User id=\"{}\" uuid=\"{}\" title=\"{}\" restricted=\"{}\" home=\"1\"/>",
        member.id,
        member.uuid,
        xml_attr(&member.username),
        u8::from(member.managed)
    ))
}
