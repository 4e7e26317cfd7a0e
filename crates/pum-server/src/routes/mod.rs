//! HTTP handlers, one module per resource. Every route is registered through
//! `utoipa_actix_web`, so being routed means being documented.

pub(crate) mod admins;
pub(crate) mod api_keys;
pub(crate) mod auth;
pub(crate) mod health;
pub(crate) mod invite_page;
pub(crate) mod invites;
pub(crate) mod jobs;
pub(crate) mod settings;
pub(crate) mod setup;
pub(crate) mod system;
pub(crate) mod user_jobs;
pub(crate) mod users;
mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub(crate) fn configure_v1(cfg: &mut ServiceConfig<'_>) {
    cfg.configure(setup::configure)
        .configure(auth::configure)
        .configure(admins::configure)
        .configure(api_keys::configure)
        .configure(settings::configure)
        .configure(system::configure)
        .configure(jobs::configure)
        .configure(users::configure)
        .configure(invites::configure)
        .configure(invite_page::configure);
}
