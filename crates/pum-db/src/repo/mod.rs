//! Repositories: one module per table, functions over a [`crate::Db`].

pub mod auth_sessions;
pub mod installation;
pub mod job_runs;
