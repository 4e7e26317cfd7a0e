//! Admin sign-in sessions.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entity::auth_session::{ActiveModel, Column, Entity};
use crate::records::NewAuthSession;
use crate::{Db, Result};

/// Stores a new session.
pub async fn insert(db: &Db, session: &NewAuthSession) -> Result<()> {
    Entity::insert(ActiveModel {
        id: Set(session.id.to_string()),
        token_hash: Set(session.token_hash.clone()),
        subject: Set(session.subject.clone()),
        created_at: Set(session.created_at),
        expires_at: Set(session.expires_at),
    })
    .exec_without_returning(&db.conn)
    .await?;
    Ok(())
}

/// Deletes every session that expired at or before `now`; returns how many it deleted.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let result = Entity::delete_many()
        .filter(Column::ExpiresAt.lte(now))
        .exec(&db.conn)
        .await?;
    Ok(result.rows_affected)
}

/// How many sessions exist, expired or not.
pub async fn count(db: &Db) -> Result<u64> {
    Ok(Entity::find().count(&db.conn).await?)
}
