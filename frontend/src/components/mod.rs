//! Reusable view pieces. Props only; HTTP only through `crate::api`.

pub(crate) mod badge;
pub(crate) mod copy;
pub(crate) mod feedback;
pub(crate) mod forms;
pub(crate) mod icons;
pub(crate) mod layout;
pub(crate) mod plex;
pub(crate) mod plex_connect;
pub(crate) mod qr;
