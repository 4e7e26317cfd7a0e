//! The domain of pum: its use cases (services), job handlers and the ports they need.
//!
//! No actix-web, no apalis, no environment, no wall clock: time comes from a [`Clock`], jobs are
//! queued through the [`jobs::JobQueue`] port, and settings arrive typed.

mod clock;
mod error;
pub mod jobs;
pub mod plex;
pub mod secrets;
pub mod system;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{CoreError, Result};
