//! `/api/v1/invite/{code}` and `/api/v1/discord/callback`: the public invite page. No admin
//! session; this browser's progress lives in an `HttpOnly` flow cookie, and the invitee's Plex
//! token only in a second cookie, sealed with the installation key. Every request is
//! rate-limited per client address, and an address that tries too many unknown codes is
//! refused for a while, so codes cannot be guessed.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use pum_api_types::ErrorBody;
use pum_api_types::invites::{
    DiscordCallbackRequest, DiscordLinked, DiscordStarted, InviteAccepted, InvitePlexStarted,
    InvitePlexState, InvitePlexStatus, InvitePreview,
};
use pum_core::invites::Redeemer;
use pum_db::records::Invite;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{client, cookies};
use crate::error::ApiError;
use crate::routes::auth::too_many;
use crate::routes::views;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(preview)
        .service(start_plex)
        .service(check_plex)
        .service(start_discord)
        .service(discord_callback)
        .service(accept)
        .service(forget);
}

/// How often the page should check a pending Plex sign-in.
const POLL_MS: u64 = 2000;

/// The invite `code` names, after the address's limits. Unknown and malformed codes get the
/// same answer and count as misses.
async fn open(req: &HttpRequest, state: &AppState, code: &str) -> Result<Invite, ApiError> {
    let ip = client::of(req).ip;
    if let Some(ip) = ip {
        state.limits.invite_misses.check(ip).map_err(too_many)?;
        state
            .limits
            .invite_requests_per_ip
            .take(&ip)
            .map_err(too_many)?;
    }
    let found = state.invites.find(code).await?;
    if found.is_none()
        && let Some(ip) = ip
    {
        state.limits.invite_misses.record(ip);
    }
    found.ok_or_else(|| {
        ApiError::NotFound(
            "this invite link is not valid; check that the whole link was copied".to_owned(),
        )
    })
}

fn with_cookies(
    mut response: HttpResponse,
    cookies: impl IntoIterator<Item = actix_web::cookie::Cookie<'static>>,
) -> Result<HttpResponse, ApiError> {
    for cookie in cookies {
        response
            .add_cookie(&cookie)
            .map_err(|e| ApiError::Internal(e.into()))?;
    }
    Ok(response)
}

/// What the invite grants and where this browser stands with it. Needs no sign-in.
#[utoipa::path(
    tag = "invite",
    params(("code" = String, Path, description = "the invite's code or custom path")),
    responses(
        (status = 200, body = InvitePreview),
        (status = 404, body = ErrorBody, description = "no such invite (the same answer for any unknown or malformed code)"),
        (status = 429, body = ErrorBody, description = "too many requests, or too many unknown codes, from this address"),
    )
)]
#[get("/invite/{code}")]
pub(crate) async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<InvitePreview>, ApiError> {
    let invite = open(&req, &state, &code).await?;
    let secret = cookies::invite_value(&req);
    Ok(web::Json(
        state.invites.preview(&invite, secret.as_deref()).await?,
    ))
}

/// Starts the invitee's Plex sign-in (a PIN bound to this browser); Plex sends the browser
/// back to the invite page.
#[utoipa::path(
    tag = "invite",
    params(("code" = String, Path, description = "the invite's code")),
    responses(
        (status = 200, body = InvitePlexStarted, description = "open `auth_url`; the flow cookie is set"),
        (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "too many sign-ins from this address"),
        (status = 502, body = ErrorBody, description = "plex.tv failed"),
    )
)]
#[post("/invite/{code}/plex")]
pub(crate) async fn start_plex(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let invite = open(&req, &state, &code).await?;
    let info = client::of(&req);
    if let Some(ip) = info.ip {
        state.limits.pins_per_ip.take(&ip).map_err(too_many)?;
    }
    let forward = format!("{}/i/{}", views::origin(&req, &state).await?, code.as_str());
    let secret = cookies::invite_value(&req);
    let started = state
        .invites
        .start_plex(&invite, secret.as_deref(), &forward)
        .await?;
    let response = HttpResponse::Ok().json(InvitePlexStarted {
        auth_url: started.auth_url,
        expires_at: started.expires_at,
    });
    let mut set = vec![cookies::invite(
        started.secret,
        started.flow_expires_at,
        &info,
    )];
    set.extend(cookies::clear_invite().into_iter().skip(2));
    with_cookies(response, set)
}

/// Checks this browser's Plex sign-in.
#[utoipa::path(
    tag = "invite",
    params(("code" = String, Path, description = "the invite's code")),
    responses(
        (status = 200, body = InvitePlexStatus),
        (status = 404, body = ErrorBody, description = "no sign-in in progress in this browser"),
        (status = 502, body = ErrorBody, description = "plex.tv failed"),
    )
)]
#[post("/invite/{code}/plex/check")]
pub(crate) async fn check_plex(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let invite = open(&req, &state, &code).await?;
    let secret = cookies::invite_value(&req);
    let check = state.invites.check_plex(&invite, secret.as_deref()).await?;
    let response = HttpResponse::Ok().json(InvitePlexStatus {
        state: check.state,
        retry_after_ms: if check.state == InvitePlexState::Pending {
            POLL_MS
        } else {
            0
        },
    });
    match check.sealed_token {
        Some(sealed) => with_cookies(
            response,
            [cookies::invitee_token(
                sealed,
                check.flow_expires_at,
                &client::of(&req),
            )],
        ),
        None => Ok(response),
    }
}

/// Starts linking a Discord account (`OAuth2` with a single-use `state`); Discord sends the
/// browser back to `/invite/discord`.
#[utoipa::path(
    tag = "invite",
    params(("code" = String, Path, description = "the invite's code")),
    responses(
        (status = 200, body = DiscordStarted),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "this invite has no Discord step, or it can no longer be used"),
    )
)]
#[post("/invite/{code}/discord")]
pub(crate) async fn start_discord(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let invite = open(&req, &state, &code).await?;
    let redirect = format!("{}/invite/discord", views::origin(&req, &state).await?);
    let secret = cookies::invite_value(&req);
    let started = state
        .invites
        .start_discord(&invite, secret.as_deref(), &redirect)
        .await?;
    let response = HttpResponse::Ok().json(DiscordStarted {
        auth_url: started.auth_url,
    });
    with_cookies(
        response,
        [cookies::invite(
            started.secret,
            started.flow_expires_at,
            &client::of(&req),
        )],
    )
}

/// Finishes linking Discord with what Discord put in the address.
#[utoipa::path(
    tag = "invite",
    request_body = DiscordCallbackRequest,
    responses(
        (status = 200, body = DiscordLinked),
        (status = 400, body = ErrorBody, description = "the state is missing, from another browser or already used, or Discord refused the code"),
        (status = 403, body = ErrorBody, description = "the Discord account is not in the required Discord server"),
        (status = 502, body = ErrorBody, description = "Discord failed"),
    )
)]
#[post("/discord/callback")]
pub(crate) async fn discord_callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<DiscordCallbackRequest>,
) -> Result<web::Json<DiscordLinked>, ApiError> {
    if let Some(ip) = client::of(&req).ip {
        state
            .limits
            .invite_requests_per_ip
            .take(&ip)
            .map_err(too_many)?;
    }
    let redirect = format!("{}/invite/discord", views::origin(&req, &state).await?);
    let secret = cookies::invite_value(&req);
    let username = state
        .invites
        .discord_callback(secret.as_deref(), &body.code, &body.state, &redirect)
        .await?;
    Ok(web::Json(DiscordLinked { username }))
}

/// Redeems the invite for the Plex account signed in in this browser: shares the libraries
/// on Plex, accepts the share for the invitee, records the user.
#[utoipa::path(
    tag = "invite",
    params(("code" = String, Path, description = "the invite's code")),
    responses(
        (status = 200, body = InviteAccepted),
        (status = 403, body = ErrorBody, description = "the Discord account is not in the required Discord server"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "in plain words: sign in first, already a user, not verified, Discord needed, used up, expired, switched off"),
        (status = 429, body = ErrorBody, description = "too many attempts from this address"),
        (status = 502, body = ErrorBody, description = "Plex refused (its reason is in the message) or did not answer"),
    )
)]
#[post("/invite/{code}/accept")]
pub(crate) async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let invite = open(&req, &state, &code).await?;
    let info = client::of(&req);
    if let Some(ip) = info.ip {
        state
            .limits
            .redemptions_per_ip
            .take(&ip)
            .map_err(too_many)?;
    }
    let secret = cookies::invite_value(&req);
    let sealed = cookies::invitee_token_value(&req);
    let accepted = state
        .invites
        .accept(
            &invite,
            &Redeemer {
                secret: secret.as_deref(),
                sealed_token: sealed.as_deref(),
                ip: info.ip_text(),
            },
        )
        .await?;
    with_cookies(HttpResponse::Ok().json(accepted), cookies::clear_invite())
}

/// Forgets this browser's Plex and Discord sign-ins for the invite ("use another account").
#[utoipa::path(
    tag = "invite",
    params(("code" = String, Path, description = "the invite's code")),
    responses((status = 204, description = "forgotten"), (status = 404, body = ErrorBody))
)]
#[delete("/invite/{code}/session")]
pub(crate) async fn forget(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let invite = open(&req, &state, &code).await?;
    let secret = cookies::invite_value(&req);
    state.invites.forget(&invite, secret.as_deref()).await?;
    with_cookies(HttpResponse::NoContent().finish(), cookies::clear_invite())
}
