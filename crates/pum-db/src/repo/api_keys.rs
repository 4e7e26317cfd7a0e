//! API keys for scripts.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::api_key::{ActiveModel, Column, Entity, Model};
use crate::records::ApiKey;
use crate::{Db, Result};

fn to_record(model: Model) -> ApiKey {
    ApiKey {
        id: model.id,
        name: model.name,
        secret_hash: model.secret_hash,
        admin_id: crate::parse_uuid(&model.admin_id),
        permissions: crate::split_list(&model.permissions),
        created_at: model.created_at,
        expires_at: model.expires_at,
        last_used_at: model.last_used_at,
    }
}

/// Stores a new key.
pub async fn insert(db: &Db, key: &ApiKey) -> Result<()> {
    Entity::insert(ActiveModel {
        id: Set(key.id.clone()),
        name: Set(key.name.clone()),
        secret_hash: Set(key.secret_hash.clone()),
        admin_id: Set(key.admin_id.to_string()),
        permissions: Set(key.permissions.join(",")),
        created_at: Set(key.created_at),
        expires_at: Set(key.expires_at),
        last_used_at: Set(key.last_used_at),
    })
    .exec_without_returning(&db.conn)
    .await?;
    Ok(())
}

/// The key with public id `id`.
pub async fn get(db: &Db, id: &str) -> Result<Option<ApiKey>> {
    Ok(Entity::find_by_id(id.to_owned())
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Every key, newest first.
pub async fn list(db: &Db) -> Result<Vec<ApiKey>> {
    Ok(Entity::find()
        .order_by_desc(Column::CreatedAt)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// Revokes a key; returns whether it existed.
pub async fn delete(db: &Db, id: &str) -> Result<bool> {
    Ok(Entity::delete_by_id(id.to_owned())
        .exec(&db.conn)
        .await?
        .rows_affected
        > 0)
}

/// Records that the key was used at `at`.
pub async fn touch(db: &Db, id: &str, at: DateTime<Utc>) -> Result<()> {
    Entity::update_many()
        .set(ActiveModel {
            last_used_at: Set(Some(at)),
            ..Default::default()
        })
        .filter(Column::Id.eq(id))
        .exec(&db.conn)
        .await?;
    Ok(())
}
