//! The `pum` server: configuration, telemetry, HTTP routes, the SPA host and the job worker,
//! wired together in [`startup`]. The binary in `main.rs` only parses the command line.

mod auth;
pub mod cli;
pub mod config;
mod error;
mod installation;
pub mod openapi;
mod request_id;
mod routes;
pub mod run;
mod spa;
pub mod startup;
mod state;
pub mod telemetry;
mod worker;

/// A database URL with its password hidden, for messages and logs.
pub fn redacted_url(url: &str) -> String {
    pum_db::redact_url(url)
}
