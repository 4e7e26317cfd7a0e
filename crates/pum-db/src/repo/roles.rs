//! Roles: named sets of permissions.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entity::role::{ActiveModel, Column, Entity, Model};
use crate::records::Role;
use crate::{Db, DbError, Result};

fn to_record(model: Model) -> Role {
    Role {
        id: crate::parse_uuid(&model.id),
        name: model.name,
        description: model.description,
        permissions: crate::split_list(&model.permissions),
        created_at: model.created_at,
        updated_at: model.updated_at,
    }
}

fn active(role: &Role) -> ActiveModel {
    ActiveModel {
        id: Set(role.id.to_string()),
        name: Set(role.name.trim().to_owned()),
        name_key: Set(role.name.trim().to_lowercase()),
        description: Set(role.description.clone()),
        permissions: Set(role.permissions.join(",")),
        created_at: Set(role.created_at),
        updated_at: Set(role.updated_at),
    }
}

/// Stores a new role; [`DbError::Conflict`] when the name is taken (in any letter case).
pub async fn insert(db: &Db, role: &Role) -> Result<()> {
    Entity::insert(active(role))
        .exec_without_returning(&db.conn)
        .await?;
    Ok(())
}

/// Replaces a role's name, description and permissions.
pub async fn update(db: &Db, role: &Role) -> Result<()> {
    let mut model = active(role);
    model.created_at = sea_orm::ActiveValue::NotSet;
    let result = Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(role.id.to_string()))
        .exec(&db.conn)
        .await?;
    if result.rows_affected == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Every role, by name.
pub async fn list(db: &Db) -> Result<Vec<Role>> {
    Ok(Entity::find()
        .order_by_asc(Column::NameKey)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// The role with `id`.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<Role>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Deletes a role (its grants go with it); returns whether it existed.
pub async fn delete(db: &Db, id: Uuid) -> Result<bool> {
    let result = Entity::delete_by_id(id.to_string()).exec(&db.conn).await?;
    Ok(result.rows_affected > 0)
}

/// A role record for a name, description and permissions, created now.
pub fn new_role(
    name: &str,
    description: &str,
    permissions: Vec<String>,
    now: DateTime<Utc>,
) -> Role {
    Role {
        id: Uuid::new_v4(),
        name: name.trim().to_owned(),
        description: description.trim().to_owned(),
        permissions,
        created_at: now,
        updated_at: now,
    }
}
