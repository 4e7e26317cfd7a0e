//! Identifier newtypes. Plex spells several different ids alike (numbers or short strings);
//! wrapping each in its own type turns the classic mix-ups (plex-api.md §4, §5.12, §6.6) into
//! compile errors.

use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as Plex wrote it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as Plex writes it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

macro_rules! number_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u64);

        impl $name {
            /// Wraps an id read from Plex.
            pub const fn new(id: u64) -> Self {
                Self(id)
            }

            /// The number.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

string_id!(
    /// A Plex Media Server's `machineIdentifier`, which is also its `clientIdentifier` in
    /// plex.tv's resource list (plex-api.md §3.1).
    MachineIdentifier
);

string_id!(
    /// `X-Plex-Client-Identifier` of an app installation; stable per installation (§0.2).
    ClientIdentifier
);

number_id!(
    /// A plex.tv account id (`User@id` in `/api/users`, `id` of `/api/v2/user`).
    PlexAccountId
);

number_id!(
    /// The id of a sign-in PIN (§1.1); not its `code`.
    PinId
);

number_id!(
    /// The id of one share of a server with one user: `Server@id` in `/api/users`,
    /// `SharedServer@id` in `shared_servers` (plex-api.md §5.1–5.2). Not a user id.
    SharedServerId
);

number_id!(
    /// plex.tv's global id of a library section (`Section@id`); the only id sharing endpoints
    /// accept (plex-api.md §4). Not a PMS section key.
    PlexTvSectionId
);

string_id!(
    /// A library's key on its Plex Media Server (`Directory@key`, `librarySectionID`): small and
    /// local to one server. Never accepted by sharing endpoints (plex-api.md §4).
    PmsSectionKey
);

string_id!(
    /// `Session@id` of a playback: the only key terminate accepts (plex-api.md §6.6).
    PmsSessionId
);

string_id!(
    /// `sessionKey` of a playback: identifies it in listings; terminate rejects it (§6.6).
    PmsSessionKey
);
