//! Black-box tests of the `pum` HTTP API and binary, against a spawned app wired to the Plex
//! simulator. SQLite always; PostgreSQL when `PUM_TEST_DATABASE_URL` is set.

mod cli;
mod errors;
mod health;
mod helpers;
mod jobs;
mod openapi;
mod spa;
mod system;
