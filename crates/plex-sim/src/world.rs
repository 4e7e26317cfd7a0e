/// The plex.tv account that owns the simulated server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// plex.tv account id.
    pub id: u64,
    /// plex.tv username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// The owner's token, accepted by plex.tv and the PMS.
    pub token: String,
}

/// The simulated Plex Media Server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// `friendlyName`.
    pub name: String,
    /// `machineIdentifier` (40 hex characters).
    pub machine_identifier: String,
    /// PMS version string.
    pub version: String,
}

/// Everything the simulator knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    /// The server owner.
    pub owner: Owner,
    /// The server.
    pub server: Server,
}

impl World {
    /// The demo world `pum demo` runs against.
    pub fn demo() -> Self {
        Self {
            owner: Owner {
                id: 1_000_001,
                username: "demo-owner".to_owned(),
                email: "owner@demo.invalid".to_owned(),
                token: "demo-owner-token-8f3k2m".to_owned(),
            },
            server: Server {
                name: "Demo Media Server".to_owned(),
                machine_identifier: "5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c".to_owned(),
                version: "1.41.3.9314-a0bfb8370".to_owned(),
            },
        }
    }
}
