//! Black-box tests of the `pum` HTTP API and binary, against a spawned app wired to the Plex
//! simulator. SQLite always; PostgreSQL when `PUM_TEST_DATABASE_URL` is set.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers panic on a failed set-up step, which fails the test loudly"
)]

mod admins;
mod auth;
mod cli;
mod errors;
mod health;
mod helpers;
mod installation;
mod invites;
mod jobs;
mod openapi;
mod settings;
mod spa;
mod system;
mod users;
