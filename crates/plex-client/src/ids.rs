use std::fmt;

/// A Plex Media Server's `machineIdentifier`: how plex.tv names one server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MachineIdentifier(String);

impl MachineIdentifier {
    /// Wraps an identifier read from Plex.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The identifier as Plex writes it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MachineIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
