//! Reusable view pieces. Props only; no HTTP.

pub(crate) mod badge;
pub(crate) mod feedback;
pub(crate) mod icons;
pub(crate) mod layout;
