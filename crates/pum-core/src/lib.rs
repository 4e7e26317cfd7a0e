//! The domain of pum: its use cases (services), job handlers and the ports they need.
//!
//! No actix-web, no apalis, no environment, no wall clock: time comes from a [`Clock`], jobs are
//! queued through the [`jobs::JobQueue`] port, and settings arrive typed.

pub mod admins;
pub mod auth;
mod clock;
pub mod discord;
mod error;
pub mod events;
pub mod invites;
pub mod jobs;
pub mod plex;
pub mod plex_auth;
pub mod secrets;
pub mod settings;
pub mod system;
pub mod users;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{CoreError, Result};
