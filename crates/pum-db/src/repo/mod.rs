//! Repositories: one module per table, functions over a [`crate::Db`].

pub mod admins;
pub mod api_keys;
pub mod auth_sessions;
pub mod events;
pub mod installation;
pub mod invite_flows;
pub mod invite_redemptions;
pub mod invites;
pub mod job_runs;
pub mod libraries;
pub mod plex_pin_flows;
pub mod roles;
pub mod settings;
pub mod user_batches;
pub mod user_syncs;
pub mod users;
