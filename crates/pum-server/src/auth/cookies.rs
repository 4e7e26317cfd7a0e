//! The cookies pum sets: the admin session, the Plex sign-in flow, and the invite page's flow
//! (its secret, and the invitee's Plex token sealed with the installation key, so pum itself
//! never stores that token). All `HttpOnly`, `SameSite=Strict`, and `Secure` with the
//! `__Host-` prefix whenever the client uses https.

use actix_web::HttpRequest;
use actix_web::cookie::time::OffsetDateTime;
use actix_web::cookie::{Cookie, SameSite};
use chrono::{DateTime, Utc};

use super::client::ClientInfo;

const SESSION: &str = "pum_session";
const SECURE_SESSION: &str = "__Host-pum_session";
const FLOW: &str = "pum_plex_flow";
const SECURE_FLOW: &str = "__Host-pum_plex_flow";
const INVITE: &str = "pum_invite";
const SECURE_INVITE: &str = "__Host-pum_invite";
const INVITEE_TOKEN: &str = "pum_invitee";
const SECURE_INVITEE_TOKEN: &str = "__Host-pum_invitee";

fn build(
    name: &'static str,
    value: String,
    https: bool,
    expires: Option<DateTime<Utc>>,
) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Strict)
        .finish();
    match expires.and_then(|at| OffsetDateTime::from_unix_timestamp(at.timestamp()).ok()) {
        Some(at) => cookie.set_expires(at),
        None => cookie.make_removal(),
    }
    cookie
}

/// The session cookie carrying `value` until `expires`.
pub(crate) fn session(
    value: String,
    expires: DateTime<Utc>,
    client: &ClientInfo,
) -> Cookie<'static> {
    let name = if client.https {
        SECURE_SESSION
    } else {
        SESSION
    };
    build(name, value, client.https, Some(expires))
}

/// Cookies that remove the session cookie (both names).
pub(crate) fn clear_session() -> [Cookie<'static>; 2] {
    [
        build(SESSION, String::new(), false, None),
        build(SECURE_SESSION, String::new(), true, None),
    ]
}

/// The session cookie's value, under either name.
pub(crate) fn session_value(req: &actix_web::dev::ServiceRequest) -> Option<String> {
    req.cookie(SECURE_SESSION)
        .or_else(|| req.cookie(SESSION))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// The Plex flow cookie carrying `secret` until `expires`.
pub(crate) fn flow(secret: String, expires: DateTime<Utc>, client: &ClientInfo) -> Cookie<'static> {
    let name = if client.https { SECURE_FLOW } else { FLOW };
    build(name, secret, client.https, Some(expires))
}

/// Cookies that remove the flow cookie (both names).
pub(crate) fn clear_flow() -> [Cookie<'static>; 2] {
    [
        build(FLOW, String::new(), false, None),
        build(SECURE_FLOW, String::new(), true, None),
    ]
}

/// The flow cookie's value, under either name.
pub(crate) fn flow_value(req: &HttpRequest) -> Option<String> {
    value(req, SECURE_FLOW, FLOW)
}

/// The invite page's flow cookie carrying `secret` until `expires`.
pub(crate) fn invite(
    secret: String,
    expires: DateTime<Utc>,
    client: &ClientInfo,
) -> Cookie<'static> {
    let name = if client.https { SECURE_INVITE } else { INVITE };
    build(name, secret, client.https, Some(expires))
}

/// The cookie holding the invitee's sealed Plex token until `expires`.
pub(crate) fn invitee_token(
    sealed: String,
    expires: DateTime<Utc>,
    client: &ClientInfo,
) -> Cookie<'static> {
    let name = if client.https {
        SECURE_INVITEE_TOKEN
    } else {
        INVITEE_TOKEN
    };
    build(name, sealed, client.https, Some(expires))
}

/// Cookies that remove both invite cookies (under both names).
pub(crate) fn clear_invite() -> [Cookie<'static>; 4] {
    [
        build(INVITE, String::new(), false, None),
        build(SECURE_INVITE, String::new(), true, None),
        build(INVITEE_TOKEN, String::new(), false, None),
        build(SECURE_INVITEE_TOKEN, String::new(), true, None),
    ]
}

fn value(req: &HttpRequest, secure: &str, plain: &str) -> Option<String> {
    req.cookie(secure)
        .or_else(|| req.cookie(plain))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// The invite flow cookie's value, under either name.
pub(crate) fn invite_value(req: &HttpRequest) -> Option<String> {
    value(req, SECURE_INVITE, INVITE)
}

/// The sealed invitee token, under either name.
pub(crate) fn invitee_token_value(req: &HttpRequest) -> Option<String> {
    value(req, SECURE_INVITEE_TOKEN, INVITEE_TOKEN)
}
