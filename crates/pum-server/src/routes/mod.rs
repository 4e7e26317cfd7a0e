//! HTTP handlers, one module per resource. Every route is registered through
//! `utoipa_actix_web`, so being routed means being documented.

pub(crate) mod health;
pub(crate) mod jobs;
pub(crate) mod system;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub(crate) fn configure_v1(cfg: &mut ServiceConfig<'_>) {
    cfg.configure(system::configure).configure(jobs::configure);
}
