//! Who is calling and what they may do: admins signed in by password or Plex, sessions backed
//! by revocable records, API keys, and the permissions behind every route.

pub mod password;
pub mod tokens;

mod sessions;

use std::collections::BTreeSet;

pub use pum_api_types::Permission;
use pum_db::Db;
use pum_db::records::{Admin, Role};
use pum_db::repo::{admins, roles};
use uuid::Uuid;

pub(crate) use sessions::hash_password as sessions_hash;
pub use sessions::{AuthService, IssuedSession, SessionContext, SessionPolicy};

/// A set of permissions.
pub type Permissions = BTreeSet<Permission>;

/// How a caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session.
    Session {
        /// The session record's id.
        session_id: Uuid,
    },
    /// An API key.
    ApiKey {
        /// The key's public id.
        key_id: String,
        /// The key's name.
        name: String,
    },
}

/// An authenticated caller and what they may do right now.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The admin (for API keys: the key's creator).
    pub admin: Admin,
    /// Effective permissions (for API keys: the key's scope within its creator's).
    pub permissions: Permissions,
    /// How they authenticated.
    pub via: Via,
}

impl Principal {
    /// Whether the caller has `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The caller as an event-log actor.
    pub fn actor(&self, ip: Option<String>) -> crate::events::Actor {
        match &self.via {
            Via::Session { .. } => crate::events::Actor {
                kind: pum_db::records::ActorKind::Admin,
                id: Some(self.admin.id.to_string()),
                name: Some(self.admin.username.clone()),
                ip,
            },
            Via::ApiKey { key_id, name } => crate::events::Actor {
                kind: pum_db::records::ActorKind::ApiKey,
                id: Some(key_id.clone()),
                name: Some(format!("{} (key \"{name}\")", self.admin.username)),
                ip,
            },
        }
    }
}

/// Parses stored permission names, skipping any this build does not know.
pub fn parse_permissions(names: &[String]) -> Permissions {
    names
        .iter()
        .filter_map(|n| Permission::from_name(n))
        .collect()
}

/// The stored names of `permissions`.
pub fn permission_names(permissions: &Permissions) -> Vec<String> {
    permissions.iter().map(|p| p.name().to_owned()).collect()
}

/// What `admin` may do holding `held`: everything for the owner, else the union of the roles.
pub fn permissions_from(admin: &Admin, held: &[Role]) -> Permissions {
    if admin.is_owner {
        return Permission::ALL.into_iter().collect();
    }
    held.iter()
        .flat_map(|role| parse_permissions(&role.permissions))
        .collect()
}

/// The roles granted to `admin`.
pub async fn roles_of(db: &Db, admin: &Admin) -> crate::Result<Vec<Role>> {
    let mut held = Vec::new();
    for role_id in admins::role_ids(db, admin.id).await? {
        if let Some(role) = roles::get(db, role_id).await? {
            held.push(role);
        }
    }
    Ok(held)
}

/// Every permission `admin` has: all for the owner, else the union of their roles.
pub async fn permissions_of(db: &Db, admin: &Admin) -> crate::Result<Permissions> {
    if admin.is_owner {
        return Ok(permissions_from(admin, &[]));
    }
    Ok(permissions_from(admin, &roles_of(db, admin).await?))
}

/// Checks a username: 3 to 80 characters of letters, digits, `.`, `_`, `-`, `@`.
pub fn check_username(username: &str) -> Result<(), String> {
    let length = username.chars().count();
    if !(3..=80).contains(&length) {
        return Err("must be 3 to 80 characters".to_owned());
    }
    if !username
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err("may contain only letters, digits and . _ - @".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_username;

    #[test]
    fn usernames_are_checked() {
        assert!(check_username("owner").is_ok());
        assert!(check_username("jane.doe@home").is_ok());
        assert!(check_username("ab").is_err());
        assert!(check_username("bob smith").is_err());
        assert!(check_username("bob\nadmin").is_err());
    }
}
