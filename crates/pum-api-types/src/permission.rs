//! Fine-grained permissions. The owner has all of them; other admins get them through roles,
//! API keys are scoped to a subset of their creator's.

use serde::{Deserialize, Serialize};

/// One thing an admin or API key may do. Serialized as its stable name, such as `users.view`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Permission {
    /// See users, their libraries and history.
    #[serde(rename = "users.view")]
    UsersView,
    /// Change users' libraries, downloads, notes, expiry and whitelist; run syncs.
    #[serde(rename = "users.edit")]
    UsersEdit,
    /// Remove users (revoking their access on Plex) and purge inactive ones.
    #[serde(rename = "users.delete")]
    UsersDelete,
    /// See invites and their usage.
    #[serde(rename = "invites.view")]
    InvitesView,
    /// Create, edit, disable and delete invites.
    #[serde(rename = "invites.manage")]
    InvitesManage,
    /// See active streams and stream history.
    #[serde(rename = "streams.view")]
    StreamsView,
    /// Stop a stream with a message.
    #[serde(rename = "streams.terminate")]
    StreamsTerminate,
    /// Read the event log.
    #[serde(rename = "events.view")]
    EventsView,
    /// Change settings (general, Plex, Discord, security) and run jobs by hand.
    #[serde(rename = "settings.manage")]
    SettingsManage,
    /// Add and remove admins, edit roles and who has them.
    #[serde(rename = "admins.manage")]
    AdminsManage,
    /// Create and revoke API keys.
    #[serde(rename = "api_keys.manage")]
    ApiKeysManage,
}

impl Permission {
    /// Every permission, in the order the interface lists them.
    pub const ALL: [Self; 11] = [
        Self::UsersView,
        Self::UsersEdit,
        Self::UsersDelete,
        Self::InvitesView,
        Self::InvitesManage,
        Self::StreamsView,
        Self::StreamsTerminate,
        Self::EventsView,
        Self::SettingsManage,
        Self::AdminsManage,
        Self::ApiKeysManage,
    ];

    /// The stable name, as stored and as sent over the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::UsersView => "users.view",
            Self::UsersEdit => "users.edit",
            Self::UsersDelete => "users.delete",
            Self::InvitesView => "invites.view",
            Self::InvitesManage => "invites.manage",
            Self::StreamsView => "streams.view",
            Self::StreamsTerminate => "streams.terminate",
            Self::EventsView => "events.view",
            Self::SettingsManage => "settings.manage",
            Self::AdminsManage => "admins.manage",
            Self::ApiKeysManage => "api_keys.manage",
        }
    }

    /// The permission named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// A short description for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::UsersView => "View users",
            Self::UsersEdit => "Edit users and run syncs",
            Self::UsersDelete => "Remove and purge users",
            Self::InvitesView => "View invites",
            Self::InvitesManage => "Create, edit and delete invites",
            Self::StreamsView => "View streams",
            Self::StreamsTerminate => "Stop streams",
            Self::EventsView => "View the event log",
            Self::SettingsManage => "Change settings and run jobs",
            Self::AdminsManage => "Manage admins and roles",
            Self::ApiKeysManage => "Manage API keys",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Permission;

    #[test]
    fn names_round_trip_and_are_what_serde_writes() {
        for p in Permission::ALL {
            assert_eq!(Permission::from_name(p.name()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).ok(),
                Some(format!("\"{}\"", p.name()))
            );
        }
        assert_eq!(Permission::from_name("users.everything"), None);
    }
}
