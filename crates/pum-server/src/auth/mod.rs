//! Authentication and authorization of every `/api` request.
//!
//! The [`authenticate`] middleware recognises the caller (an `Authorization: Bearer` API key,
//! or else the session cookie — a key is never taken from a cookie), checks the `Origin` of
//! every cookie-carrying mutation (CSRF), and renews ageing session cookies. Handlers state
//! what they need with the [`Auth`] extractor, which answers 401 without credentials and 403
//! without the permission, before the body is even read.

pub(crate) mod client;
pub(crate) mod cookies;
pub(crate) mod limits;

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage as _, HttpRequest, web};
use pum_core::auth::{Permission, Principal, SessionPolicy};

use crate::error::ApiError;
use crate::state::AppState;

/// What a route requires, named by a marker type.
pub(crate) trait Requirement {
    /// The permission needed, or `None` for "any signed-in admin or key".
    const PERMISSION: Option<Permission>;
}

macro_rules! requirements {
    ($($(#[$doc:meta])* $name:ident => $permission:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;
        impl Requirement for $name {
            const PERMISSION: Option<Permission> = $permission;
        }
    )*};
}

requirements! {
    /// Any signed-in admin or valid API key.
    SignedIn => None;
    /// `settings.manage`.
    SettingsManage => Some(Permission::SettingsManage);
    /// `admins.manage`.
    AdminsManage => Some(Permission::AdminsManage);
    /// `api_keys.manage`.
    ApiKeysManage => Some(Permission::ApiKeysManage);
    /// `users.view`.
    UsersView => Some(Permission::UsersView);
    /// `users.edit`.
    UsersEdit => Some(Permission::UsersEdit);
    /// `users.delete`.
    UsersDelete => Some(Permission::UsersDelete);
    /// `invites.view`.
    InvitesView => Some(Permission::InvitesView);
    /// `invites.manage`.
    InvitesManage => Some(Permission::InvitesManage);
}

/// The authenticated caller of a route that requires `R`.
pub(crate) struct Auth<R> {
    /// Who is calling.
    pub(crate) principal: Principal,
    /// The client's address, for the event log.
    pub(crate) ip: Option<String>,
    requirement: PhantomData<R>,
}

impl<R: Requirement> FromRequest for Auth<R> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = req.extensions().get::<Principal>().cloned();
        let result = match principal {
            None => Err(ApiError::Unauthenticated(
                "sign in, or send an API key as `Authorization: Bearer <key>`".to_owned(),
            )),
            Some(principal) => match R::PERMISSION {
                Some(needed) if !principal.can(needed) => Err(ApiError::Forbidden(format!(
                    "this needs the permission {}",
                    needed.name()
                ))),
                // A temporary password opens only the way to choosing a new one.
                Some(_) if principal.admin.must_change_password => Err(ApiError::Forbidden(
                    "choose a new password first (POST /api/v1/auth/password)".to_owned(),
                )),
                _ => Ok(Self {
                    principal,
                    ip: client::of(req).ip_text(),
                    requirement: PhantomData,
                }),
            },
        };
        ready(result.map_err(Into::into))
    }
}

/// A session cookie to set on the response (a renewed one).
#[derive(Clone)]
struct Renewal(actix_web::cookie::Cookie<'static>);

/// The `/api` middleware: client info, caller, CSRF, cookie renewal.
pub(crate) async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(ApiError::Internal(anyhow::anyhow!("no application state")).into());
    };
    let info = client::client_info(&req, &state.trusted_proxies);
    req.extensions_mut().insert(info.clone());

    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    if let Some(value) = bearer {
        let Some(key) = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
        else {
            return Err(ApiError::Unauthenticated(
                "the Authorization header must be `Bearer <API key>`".to_owned(),
            )
            .into());
        };
        match state
            .auth
            .resolve_api_key(key.trim())
            .await
            .map_err(ApiError::from)?
        {
            Some(principal) => {
                req.extensions_mut().insert(principal);
            }
            None => {
                return Err(ApiError::Unauthenticated(
                    "the API key is unknown, revoked or expired".to_owned(),
                )
                .into());
            }
        }
        return Ok(next.call(req).await?.map_into_left_body());
    }

    if !is_safe(req.method()) {
        check_origin(&req, &state).await?;
    }
    if let Some(cookie) = cookies::session_value(&req) {
        let settings = state.settings.snapshot().await.map_err(ApiError::from)?;
        let policy = SessionPolicy::from_settings(&settings);
        if let Some((principal, renewed)) = state
            .auth
            .resolve_cookie(&cookie, policy)
            .await
            .map_err(ApiError::from)?
        {
            req.extensions_mut().insert(principal);
            if let Some(renewed) = renewed {
                req.extensions_mut().insert(Renewal(cookies::session(
                    renewed.cookie,
                    renewed.expires_at,
                    &info,
                )));
            }
        }
    }
    let renewal = req.extensions().get::<Renewal>().cloned();
    let mut res = next.call(req).await?;
    if let Some(Renewal(cookie)) = renewal
        && !res
            .response()
            .cookies()
            .any(|c| c.name().contains("pum_session"))
    {
        res.response_mut().add_cookie(&cookie)?;
    }
    Ok(res.map_into_right_body())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// CSRF defence for requests a browser could send with the admin's cookies: the `Origin`
/// (or, without one, `Sec-Fetch-Site`) must show the request comes from pum's own pages.
async fn check_origin(req: &ServiceRequest, state: &AppState) -> Result<(), actix_web::Error> {
    let headers = req.headers();
    let forbidden = || -> actix_web::Error {
        ApiError::Forbidden(
            "cross-site request refused: this request must come from pum's own pages".to_owned(),
        )
        .into()
    };
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some("same-origin" | "none") | None => Ok(()),
            Some(_) => Err(forbidden()),
        };
    };
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("\u{0}");
    // The Host header, not X-Forwarded-Host: behind a proxy that rewrites Host, the public
    // base URL setting names the origin instead.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if origin_host.eq_ignore_ascii_case(host) {
        return Ok(());
    }
    let settings = state.settings.snapshot().await.map_err(ApiError::from)?;
    if settings
        .public_base_url()
        .is_some_and(|base| base_origin(&base).eq_ignore_ascii_case(origin))
    {
        return Ok(());
    }
    tracing::warn!(origin, host, "refused a cross-site request");
    Err(forbidden())
}

/// `scheme://host[:port]` of a URL.
fn base_origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}
