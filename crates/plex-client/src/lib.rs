//! A typed client for plex.tv and Plex Media Server (PMS).
//!
//! It knows nothing about pum: no database, no HTTP server, no app settings. Every base URL is
//! configurable (plex-api.md §0.1), it never panics on unexpected Plex input, and tokens are
//! [`PlexToken`]s that never appear in `Debug` output, logs or error messages.
#![warn(missing_docs)]
#![warn(clippy::missing_errors_doc)]

mod error;
mod error_body;
mod identity;
mod ids;
pub mod pms;
mod retry;
mod token;
mod transport;
pub mod tv;
mod value;
mod xml;

pub use error::{Error, Result};
pub use identity::ClientIdentity;
pub use ids::{
    ClientIdentifier, MachineIdentifier, PinId, PlexAccountId, PlexTvSectionId, PmsSectionKey,
    PmsSessionId, PmsSessionKey, SharedServerId,
};
pub use pms::Pms;
pub use retry::RetryPolicy;
pub use token::PlexToken;
pub use transport::Transport;
pub use tv::{PlexTv, PlexTvUrls};
