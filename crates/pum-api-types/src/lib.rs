//! The HTTP contract of pum: every request and response body the server and the SPA exchange.
//!
//! This crate compiles for `wasm32-unknown-unknown` and depends only on `serde`, `chrono` and,
//! behind the `openapi` feature, `utoipa`. It holds no logic beyond serde attributes.
#![warn(missing_docs)]

pub mod auth;
pub mod error;
pub mod invites;
pub mod jobs;
mod permission;
pub mod settings;
pub mod system;
pub mod users;

pub use error::{ErrorBody, ErrorCode};
pub use permission::Permission;
