//! Admin accounts and the roles granted to them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use crate::entity::admin::{ActiveModel, Column, Entity, Model};
use crate::entity::admin_role;
use crate::records::{Admin, PlexLink};
use crate::{Db, DbError, Result};

/// The owner's value of the unique `owner_slot` column; everyone else has `NULL`.
const OWNER_SLOT: i32 = 1;

fn to_record(model: Model) -> Admin {
    Admin {
        id: crate::parse_uuid(&model.id),
        username: model.username,
        password_hash: model.password_hash,
        is_owner: model.owner_slot.is_some(),
        plex_account_id: model.plex_account_id,
        plex_username: model.plex_username,
        plex_thumb: model.plex_thumb,
        email: model.email,
        must_change_password: model.must_change_password,
        created_at: model.created_at,
        last_sign_in_at: model.last_sign_in_at,
    }
}

/// The case-insensitive form usernames are unique in.
pub fn username_key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Stores a new admin. Fails with [`DbError::Conflict`] when the username or Plex account is
/// taken, or when `admin.is_owner` and an owner already exists.
pub async fn insert(db: &Db, admin: &Admin) -> Result<()> {
    let link = admin.plex_account_id;
    Entity::insert(ActiveModel {
        id: Set(admin.id.to_string()),
        username: Set(admin.username.clone()),
        username_key: Set(username_key(&admin.username)),
        password_hash: Set(admin.password_hash.clone()),
        owner_slot: Set(admin.is_owner.then_some(OWNER_SLOT)),
        plex_account_id: Set(link),
        plex_username: Set(admin.plex_username.clone()),
        plex_thumb: Set(admin.plex_thumb.clone()),
        email: Set(admin.email.clone()),
        must_change_password: Set(admin.must_change_password),
        created_at: Set(admin.created_at),
        last_sign_in_at: Set(admin.last_sign_in_at),
    })
    .exec_without_returning(&db.conn)
    .await?;
    Ok(())
}

/// How many admins exist.
pub async fn count(db: &Db) -> Result<u64> {
    Ok(Entity::find().count(&db.conn).await?)
}

/// Every admin, owner first, then by username.
pub async fn list(db: &Db) -> Result<Vec<Admin>> {
    Ok(Entity::find()
        .order_by_asc(Column::OwnerSlot.is_null())
        .order_by_asc(Column::UsernameKey)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// The admin with `id`.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<Admin>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The admin whose username is `username`, in any letter case.
pub async fn find_by_username(db: &Db, username: &str) -> Result<Option<Admin>> {
    Ok(Entity::find()
        .filter(Column::UsernameKey.eq(username_key(username)))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The admin linked to the plex.tv account `account_id`.
pub async fn find_by_plex_account(db: &Db, account_id: i64) -> Result<Option<Admin>> {
    Ok(Entity::find()
        .filter(Column::PlexAccountId.eq(account_id))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The owner, once setup created one.
pub async fn owner(db: &Db) -> Result<Option<Admin>> {
    Ok(Entity::find()
        .filter(Column::OwnerSlot.eq(OWNER_SLOT))
        .one(&db.conn)
        .await?
        .map(to_record))
}

async fn update(db: &Db, id: Uuid, change: impl FnOnce(&mut ActiveModel)) -> Result<()> {
    let mut active = ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.to_string()),
        ..Default::default()
    };
    change(&mut active);
    match active.update(&db.conn).await {
        Ok(_) => Ok(()),
        Err(sea_orm::DbErr::RecordNotUpdated) => Err(DbError::NotFound),
        Err(err) => Err(err.into()),
    }
}

/// Replaces the password hash and whether it must be changed at next use.
pub async fn set_password(db: &Db, id: Uuid, password_hash: &str, must_change: bool) -> Result<()> {
    let hash = password_hash.to_owned();
    update(db, id, move |a| {
        a.password_hash = Set(Some(hash));
        a.must_change_password = Set(must_change);
    })
    .await
}

/// Links (or with `None` unlinks) a plex.tv account. Fails with [`DbError::Conflict`] when
/// another admin has that account.
pub async fn set_plex_link(db: &Db, id: Uuid, link: Option<&PlexLink>) -> Result<()> {
    let link = link.cloned();
    update(db, id, move |a| {
        a.plex_account_id = Set(link.as_ref().map(|l| l.account_id));
        a.plex_username = Set(link.as_ref().map(|l| l.username.clone()));
        a.plex_thumb = Set(link.as_ref().and_then(|l| l.thumb.clone()));
        a.email = Set(link.and_then(|l| l.email));
    })
    .await
}

/// Records a successful sign-in.
pub async fn touch_sign_in(db: &Db, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    update(db, id, move |a| a.last_sign_in_at = Set(Some(at))).await
}

/// Deletes an admin; their sessions, API keys and role grants go with them. Returns whether a
/// row was deleted. The owner is never deleted here.
pub async fn delete(db: &Db, id: Uuid) -> Result<bool> {
    let result = Entity::delete_many()
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::OwnerSlot.is_null())
        .exec(&db.conn)
        .await?;
    Ok(result.rows_affected > 0)
}

/// The ids of the roles granted to `admin`.
pub async fn role_ids(db: &Db, admin: Uuid) -> Result<Vec<Uuid>> {
    Ok(admin_role::Entity::find()
        .filter(admin_role::Column::AdminId.eq(admin.to_string()))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| crate::parse_uuid(&g.role_id))
        .collect())
}

/// Every grant, as `(admin id, role id)` pairs.
pub async fn all_grants(db: &Db) -> Result<Vec<(Uuid, Uuid)>> {
    Ok(admin_role::Entity::find()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| {
            (
                crate::parse_uuid(&g.admin_id),
                crate::parse_uuid(&g.role_id),
            )
        })
        .collect())
}

/// Replaces the roles granted to `admin` in one transaction.
pub async fn set_roles(db: &Db, admin: Uuid, roles: &[Uuid]) -> Result<()> {
    let txn = db.conn.begin().await?;
    admin_role::Entity::delete_many()
        .filter(admin_role::Column::AdminId.eq(admin.to_string()))
        .exec(&txn)
        .await?;
    if !roles.is_empty() {
        admin_role::Entity::insert_many(roles.iter().map(|role| admin_role::ActiveModel {
            admin_id: Set(admin.to_string()),
            role_id: Set(role.to_string()),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
