//! Managing admins, roles and API keys, under one rule: no one grants, edits or removes more
//! power than they hold, and no one can lock out the owner.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use pum_db::records::{Admin, ApiKey, PlexLink, Role};
use pum_db::repo::{admins, api_keys, roles};
use pum_db::{Db, DbError};
use serde_json::json;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::auth::tokens::{new_api_key, random_secret};
use crate::auth::{
    AuthService, Permissions, Principal, Via, check_username, parse_permissions, password,
    permission_names, permissions_from, permissions_of, roles_of,
};
use crate::events::{Actor, EventLog};
use crate::settings::FieldErrors;
use crate::{Clock, CoreError, Result};

/// An admin with their roles and effective permissions.
#[derive(Debug, Clone)]
pub struct AdminDetail {
    /// The admin.
    pub admin: Admin,
    /// Roles granted.
    pub roles: Vec<Role>,
    /// Everything they may do.
    pub permissions: Permissions,
}

/// A role with how many admins hold it.
#[derive(Debug, Clone)]
pub struct RoleDetail {
    /// The role.
    pub role: Role,
    /// How many admins hold it.
    pub members: u32,
}

/// What a role or key should be: name, description and permissions.
#[derive(Debug, Clone)]
pub struct RoleSpec {
    /// The name.
    pub name: String,
    /// The description.
    pub description: String,
    /// The permissions.
    pub permissions: Permissions,
}

/// Admin, role and API key management.
#[derive(Debug, Clone)]
pub struct AdminService {
    db: Db,
    clock: Arc<dyn Clock>,
    auth: AuthService,
    events: EventLog,
}

impl AdminService {
    /// Management on `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, auth: AuthService, events: EventLog) -> Self {
        Self {
            db,
            clock,
            auth,
            events,
        }
    }

    /// Creates the owner with a local password, while no admin exists.
    ///
    /// # Errors
    /// [`CoreError::Forbidden`] once an owner exists (also when another request created one a
    /// moment earlier), [`CoreError::Invalid`] for a bad username or password.
    pub async fn create_owner(
        &self,
        username: &str,
        password_text: &str,
        actor: &Actor,
    ) -> Result<Admin> {
        self.ensure_no_admin().await?;
        let username = username.trim();
        check_new_credentials(username, password_text)?;
        let hash = crate::auth::sessions_hash(password_text).await?;
        let owner = self.new_admin(username, Some(hash), true, None);
        self.insert_owner(&owner, actor, "password").await?;
        Ok(owner)
    }

    /// Creates the owner from a Plex account (no local password), while no admin exists.
    pub async fn create_owner_from_plex(&self, link: &PlexLink, actor: &Actor) -> Result<Admin> {
        self.ensure_no_admin().await?;
        let username = if check_username(&link.username).is_ok() {
            link.username.clone()
        } else {
            "owner".to_owned()
        };
        let owner = self.new_admin(&username, None, true, Some(link));
        self.insert_owner(&owner, actor, "plex").await?;
        Ok(owner)
    }

    async fn ensure_no_admin(&self) -> Result<()> {
        if admins::count(&self.db).await? > 0 {
            return Err(setup_done());
        }
        Ok(())
    }

    async fn insert_owner(&self, owner: &Admin, actor: &Actor, method: &str) -> Result<()> {
        unless_conflict(admins::insert(&self.db, owner).await, setup_done)?;
        let mut actor = actor.clone();
        actor.name = Some(owner.username.clone());
        actor.id = Some(owner.id.to_string());
        self.events
            .record(
                "setup.owner_created",
                &actor,
                Some(&owner.username),
                true,
                json!({ "method": method }),
            )
            .await;
        Ok(())
    }

    fn new_admin(
        &self,
        username: &str,
        password_hash: Option<String>,
        is_owner: bool,
        link: Option<&PlexLink>,
    ) -> Admin {
        Admin {
            id: Uuid::new_v4(),
            username: username.to_owned(),
            password_hash,
            is_owner,
            plex_account_id: link.map(|l| l.account_id),
            plex_username: link.map(|l| l.username.clone()),
            plex_thumb: link.and_then(|l| l.thumb.clone()),
            email: link.and_then(|l| l.email.clone()),
            must_change_password: false,
            created_at: self.clock.now(),
            last_sign_in_at: None,
        }
    }

    /// Every admin with roles and permissions, owner first.
    pub async fn list(&self) -> Result<Vec<AdminDetail>> {
        let all_roles = roles::list(&self.db).await?;
        let grants = admins::all_grants(&self.db).await?;
        let mut out = Vec::new();
        for admin in admins::list(&self.db).await? {
            let held: Vec<Role> = all_roles
                .iter()
                .filter(|r| grants.contains(&(admin.id, r.id)))
                .cloned()
                .collect();
            let permissions = permissions_from(&admin, &held);
            out.push(AdminDetail {
                admin,
                roles: held,
                permissions,
            });
        }
        Ok(out)
    }

    /// One admin with roles and permissions.
    pub async fn detail(&self, admin: Admin) -> Result<AdminDetail> {
        let held = roles_of(&self.db, &admin).await?;
        let permissions = permissions_from(&admin, &held);
        Ok(AdminDetail {
            admin,
            roles: held,
            permissions,
        })
    }

    /// Adds an admin with a temporary password and the given roles.
    pub async fn create_admin(
        &self,
        caller: &Principal,
        ip: Option<String>,
        username: &str,
        password_text: &str,
        role_ids: &[Uuid],
    ) -> Result<AdminDetail> {
        let username = username.trim();
        check_new_credentials(username, password_text)?;
        let granted = self.roles_grantable_by(caller, role_ids).await?;
        let hash = crate::auth::sessions_hash(password_text).await?;
        let mut admin = self.new_admin(username, Some(hash), false, None);
        admin.must_change_password = true;
        unless_conflict(admins::insert(&self.db, &admin).await, || {
            CoreError::invalid("username", "is taken")
        })?;
        admins::set_roles(&self.db, admin.id, role_ids).await?;
        self.events
            .record(
                "admin.created",
                &caller.actor(ip),
                Some(&admin.username),
                true,
                json!({ "roles": granted.iter().map(|r| &r.name).collect::<Vec<_>>() }),
            )
            .await;
        self.detail(admin).await
    }

    /// The roles `ids`, each of which `caller` may grant (they hold all its permissions).
    async fn roles_grantable_by(&self, caller: &Principal, ids: &[Uuid]) -> Result<Vec<Role>> {
        let mut found = Vec::new();
        for id in ids {
            let role = roles::get(&self.db, *id)
                .await?
                .ok_or_else(|| CoreError::invalid("role_ids", format!("has no role {id}")))?;
            if let Some(missing) = missing(caller, &parse_permissions(&role.permissions)) {
                return Err(CoreError::Forbidden(format!(
                    "you cannot grant the role \"{}\": it includes {missing}, which you do not have",
                    role.name
                )));
            }
            found.push(role);
        }
        Ok(found)
    }

    /// Replaces an admin's roles. Every role added or removed must be within the caller's
    /// own permissions; the owner's roles cannot change (the owner has everything).
    pub async fn set_roles(
        &self,
        caller: &Principal,
        ip: Option<String>,
        target: Uuid,
        role_ids: &[Uuid],
    ) -> Result<AdminDetail> {
        let admin = self.target(target).await?;
        if admin.is_owner {
            return Err(CoreError::Conflict(
                "the owner has every permission; their roles cannot change".to_owned(),
            ));
        }
        let current = admins::role_ids(&self.db, target).await?;
        let changed: Vec<Uuid> = current
            .iter()
            .filter(|id| !role_ids.contains(id))
            .chain(role_ids.iter().filter(|id| !current.contains(id)))
            .copied()
            .collect();
        // Every id not held already is among `changed`, so this also refuses unknown roles.
        self.roles_grantable_by(caller, &changed).await?;
        admins::set_roles(&self.db, target, role_ids).await?;
        let detail = self.detail(admin).await?;
        self.events
            .record(
                "admin.roles_changed",
                &caller.actor(ip),
                Some(&detail.admin.username),
                true,
                json!({ "roles": detail.roles.iter().map(|r| &r.name).collect::<Vec<_>>() }),
            )
            .await;
        Ok(detail)
    }

    async fn target(&self, id: Uuid) -> Result<Admin> {
        admins::get(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no admin {id}")))
    }

    /// Checks that `caller` may act on `target`: not the owner, not themselves, and not
    /// someone with permissions the caller lacks.
    async fn check_power_over(&self, caller: &Principal, target: &Admin, what: &str) -> Result<()> {
        if target.is_owner {
            return Err(CoreError::Forbidden(format!("the owner cannot be {what}")));
        }
        if target.id == caller.admin.id {
            return Err(CoreError::Conflict(format!(
                "you cannot do this to yourself ({what})"
            )));
        }
        let theirs = permissions_of(&self.db, target).await?;
        if let Some(missing) = missing(caller, &theirs) {
            return Err(CoreError::Forbidden(format!(
                "{} has {missing}, which you do not have",
                target.username
            )));
        }
        Ok(())
    }

    /// Removes an admin; their sessions and API keys end with them.
    pub async fn delete_admin(
        &self,
        caller: &Principal,
        ip: Option<String>,
        target: Uuid,
    ) -> Result<()> {
        let admin = self.target(target).await?;
        self.check_power_over(caller, &admin, "removed").await?;
        admins::delete(&self.db, target).await?;
        self.events
            .record(
                "admin.deleted",
                &caller.actor(ip),
                Some(&admin.username),
                true,
                json!(null),
            )
            .await;
        Ok(())
    }

    /// Gives an admin a one-time password, ending their sessions.
    pub async fn reset_password(
        &self,
        caller: &Principal,
        ip: Option<String>,
        target: Uuid,
    ) -> Result<Zeroizing<String>> {
        let admin = self.target(target).await?;
        self.check_power_over(caller, &admin, "reset").await?;
        let one_time = self.set_one_time_password(&admin).await?;
        self.events
            .record(
                "admin.password_reset",
                &caller.actor(ip),
                Some(&admin.username),
                true,
                json!(null),
            )
            .await;
        Ok(one_time)
    }

    /// From the shell (`pum admin reset-password`): a one-time password for anyone, the owner
    /// included, ending their sessions.
    pub async fn reset_password_from_shell(&self, username: &str) -> Result<Zeroizing<String>> {
        let admin = admins::find_by_username(&self.db, username)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no admin named \"{username}\"")))?;
        let one_time = self.set_one_time_password(&admin).await?;
        self.events
            .record(
                "admin.password_reset",
                &Actor::system(),
                Some(&admin.username),
                true,
                json!({ "from": "shell" }),
            )
            .await;
        Ok(one_time)
    }

    async fn set_one_time_password(&self, admin: &Admin) -> Result<Zeroizing<String>> {
        let one_time = Zeroizing::new(random_secret(12));
        let hash = crate::auth::sessions_hash(&one_time).await?;
        admins::set_password(&self.db, admin.id, &hash, true).await?;
        self.auth.end_sessions_of(admin.id, None).await?;
        Ok(one_time)
    }

    /// Changes the caller's own password and ends their other sessions. Admins with a password
    /// must give it; Plex-only admins set their first one.
    pub async fn change_own_password(
        &self,
        caller: &Principal,
        ip: Option<String>,
        current: Option<&str>,
        new_password: &str,
    ) -> Result<()> {
        let admin = &caller.admin;
        if admin.password_hash.is_some() {
            let current = current.unwrap_or_default();
            if self
                .auth
                .check_password(&admin.username, current)
                .await
                .is_err()
            {
                self.events
                    .record(
                        "auth.password_change_failed",
                        &caller.actor(ip),
                        Some(&admin.username),
                        false,
                        json!(null),
                    )
                    .await;
                return Err(CoreError::invalid("current_password", "is wrong"));
            }
        }
        password::check_new(&admin.username, new_password)
            .map_err(|m| CoreError::invalid("new_password", m))?;
        if current == Some(new_password) {
            return Err(CoreError::invalid(
                "new_password",
                "must differ from the current one",
            ));
        }
        let hash = crate::auth::sessions_hash(new_password).await?;
        admins::set_password(&self.db, admin.id, &hash, false).await?;
        let keep = match caller.via {
            Via::Session { session_id } => Some(session_id),
            Via::ApiKey { .. } => None,
        };
        self.auth.end_sessions_of(admin.id, keep).await?;
        self.events
            .record(
                "auth.password_changed",
                &caller.actor(ip),
                Some(&admin.username),
                true,
                json!(null),
            )
            .await;
        Ok(())
    }

    /// Every role with its member count.
    pub async fn roles(&self) -> Result<Vec<RoleDetail>> {
        let grants = admins::all_grants(&self.db).await?;
        Ok(roles::list(&self.db)
            .await?
            .into_iter()
            .map(|role| {
                let members = grants.iter().filter(|(_, r)| *r == role.id).count();
                RoleDetail {
                    members: u32::try_from(members).unwrap_or(u32::MAX),
                    role,
                }
            })
            .collect())
    }

    /// Creates a role; it may grant only what the caller has.
    pub async fn create_role(
        &self,
        caller: &Principal,
        ip: Option<String>,
        spec: &RoleSpec,
    ) -> Result<Role> {
        check_role_spec(spec)?;
        if let Some(missing) = missing(caller, &spec.permissions) {
            return Err(CoreError::Forbidden(format!(
                "you cannot grant {missing}, which you do not have"
            )));
        }
        let role = roles::new_role(
            &spec.name,
            &spec.description,
            permission_names(&spec.permissions),
            self.clock.now(),
        );
        unless_conflict(roles::insert(&self.db, &role).await, name_taken)?;
        self.events
            .record(
                "role.created",
                &caller.actor(ip),
                Some(&role.name),
                true,
                json!({ "permissions": role.permissions }),
            )
            .await;
        Ok(role)
    }

    /// Changes a role; both its old and new permissions must be within the caller's.
    pub async fn update_role(
        &self,
        caller: &Principal,
        ip: Option<String>,
        id: Uuid,
        spec: &RoleSpec,
    ) -> Result<Role> {
        check_role_spec(spec)?;
        let mut role = roles::get(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no role {id}")))?;
        let before = parse_permissions(&role.permissions);
        let all: Permissions = before.union(&spec.permissions).copied().collect();
        if let Some(missing) = missing(caller, &all) {
            return Err(CoreError::Forbidden(format!(
                "you cannot change a role involving {missing}, which you do not have"
            )));
        }
        role.name = spec.name.trim().to_owned();
        role.description = spec.description.trim().to_owned();
        role.permissions = permission_names(&spec.permissions);
        role.updated_at = self.clock.now();
        unless_conflict(roles::update(&self.db, &role).await, name_taken)?;
        self.events
            .record(
                "role.updated",
                &caller.actor(ip),
                Some(&role.name),
                true,
                json!({ "before": permission_names(&before), "after": role.permissions }),
            )
            .await;
        Ok(role)
    }

    /// Deletes a role within the caller's permissions; its holders lose it.
    pub async fn delete_role(
        &self,
        caller: &Principal,
        ip: Option<String>,
        id: Uuid,
    ) -> Result<()> {
        let role = roles::get(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no role {id}")))?;
        if let Some(missing) = missing(caller, &parse_permissions(&role.permissions)) {
            return Err(CoreError::Forbidden(format!(
                "you cannot delete a role with {missing}, which you do not have"
            )));
        }
        roles::delete(&self.db, id).await?;
        self.events
            .record(
                "role.deleted",
                &caller.actor(ip),
                Some(&role.name),
                true,
                json!(null),
            )
            .await;
        Ok(())
    }

    /// Every API key with its creator's username.
    pub async fn api_keys(&self) -> Result<Vec<(ApiKey, String)>> {
        let admins = admins::list(&self.db).await?;
        Ok(api_keys::list(&self.db)
            .await?
            .into_iter()
            .map(|key| {
                let by = admins
                    .iter()
                    .find(|a| a.id == key.admin_id)
                    .map(|a| a.username.clone())
                    .unwrap_or_default();
                (key, by)
            })
            .collect())
    }

    /// Creates an API key for the caller, scoped within their permissions; returns the key
    /// text (shown once) and the stored record.
    pub async fn create_api_key(
        &self,
        caller: &Principal,
        ip: Option<String>,
        name: &str,
        permissions: &Permissions,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(Zeroizing<String>, ApiKey)> {
        let mut errors = FieldErrors::default();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            errors.add("name", "must be 1 to 80 characters");
        }
        if expires_at.is_some_and(|at| at <= self.clock.now()) {
            errors.add("expires_at", "must be in the future");
        }
        errors.finish()?;
        if let Some(missing) = missing(caller, permissions) {
            return Err(CoreError::Forbidden(format!(
                "a key cannot have {missing}, which you do not have"
            )));
        }
        let generated = new_api_key();
        let key = ApiKey {
            id: generated.id.clone(),
            name: name.to_owned(),
            secret_hash: generated.secret_hash.clone(),
            admin_id: caller.admin.id,
            permissions: permission_names(permissions),
            created_at: self.clock.now(),
            expires_at,
            last_used_at: None,
        };
        api_keys::insert(&self.db, &key).await?;
        self.events
            .record(
                "api_key.created",
                &caller.actor(ip),
                Some(&key.name),
                true,
                json!({ "id": key.id, "permissions": key.permissions }),
            )
            .await;
        Ok((generated.key, key))
    }

    /// Revokes an API key.
    pub async fn revoke_api_key(
        &self,
        caller: &Principal,
        ip: Option<String>,
        id: &str,
    ) -> Result<()> {
        let key = api_keys::get(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no API key {id}")))?;
        api_keys::delete(&self.db, id).await?;
        self.events
            .record(
                "api_key.revoked",
                &caller.actor(ip),
                Some(&key.name),
                true,
                json!({ "id": key.id }),
            )
            .await;
        Ok(())
    }

    /// Links the caller's account to a Plex account.
    ///
    /// # Errors
    /// [`CoreError::Conflict`] when another admin is linked to that Plex account.
    pub async fn link_plex(&self, admin: &Admin, link: &PlexLink, actor: &Actor) -> Result<()> {
        unless_conflict(
            admins::set_plex_link(&self.db, admin.id, Some(link)).await,
            || {
                CoreError::Conflict(format!(
                    "the Plex account {} is already linked to another admin",
                    link.username
                ))
            },
        )?;
        self.events
            .record(
                "auth.plex_linked",
                actor,
                Some(&admin.username),
                true,
                json!({ "plex_username": link.username }),
            )
            .await;
        Ok(())
    }
}

/// A write's result, with a unique-key conflict turned into `conflict()`.
fn unless_conflict(
    written: pum_db::Result<()>,
    conflict: impl FnOnce() -> CoreError,
) -> Result<()> {
    match written {
        Err(DbError::Conflict(_)) => Err(conflict()),
        other => Ok(other?),
    }
}

fn name_taken() -> CoreError {
    CoreError::invalid("name", "is taken")
}

fn setup_done() -> CoreError {
    CoreError::Forbidden("setup is complete; sign in instead".to_owned())
}

fn check_new_credentials(username: &str, password_text: &str) -> Result<()> {
    let mut errors = FieldErrors::default();
    if let Err(message) = check_username(username) {
        errors.add("username", message);
    }
    if let Err(message) = password::check_new(username, password_text) {
        errors.add("password", message);
    }
    errors.finish()
}

fn check_role_spec(spec: &RoleSpec) -> Result<()> {
    let mut errors = FieldErrors::default();
    let length = spec.name.trim().chars().count();
    if !(1..=80).contains(&length) {
        errors.add("name", "must be 1 to 80 characters");
    }
    if spec.description.chars().count() > 300 {
        errors.add("description", "must be at most 300 characters");
    }
    errors.finish()
}

/// The first of `wanted` the caller lacks, by name.
fn missing(caller: &Principal, wanted: &Permissions) -> Option<&'static str> {
    wanted.iter().find(|p| !caller.can(**p)).map(|p| p.name())
}
