//! sea-orm entities, one module per table. Private: repositories map them to [`crate::records`].

pub(crate) mod admin;
pub(crate) mod admin_role;
pub(crate) mod api_key;
pub(crate) mod auth_session;
pub(crate) mod event;
pub(crate) mod installation;
pub(crate) mod invite;
pub(crate) mod invite_flow;
pub(crate) mod invite_redemption;
pub(crate) mod job_run;
pub(crate) mod library;
pub(crate) mod plex_pin_flow;
pub(crate) mod role;
pub(crate) mod setting;
pub(crate) mod user;
pub(crate) mod user_batch;
pub(crate) mod user_batch_item;
pub(crate) mod user_sync;
