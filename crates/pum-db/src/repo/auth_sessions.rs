//! Admin sign-in sessions.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::auth_session::{ActiveModel, Column, Entity, Model};
use crate::records::AuthSession;
use crate::{Db, Result};

fn to_record(model: Model) -> AuthSession {
    AuthSession {
        id: crate::parse_uuid(&model.id),
        token_hash: model.token_hash,
        admin_id: crate::parse_uuid(&model.admin_id),
        created_at: model.created_at,
        last_seen_at: model.last_seen_at,
        idle_expires_at: model.idle_expires_at,
        expires_at: model.expires_at,
        ip: model.ip,
        user_agent: model.user_agent,
    }
}

/// Stores a new session.
pub async fn insert(db: &Db, session: &AuthSession) -> Result<()> {
    Entity::insert(ActiveModel {
        id: Set(session.id.to_string()),
        token_hash: Set(session.token_hash.clone()),
        admin_id: Set(session.admin_id.to_string()),
        created_at: Set(session.created_at),
        last_seen_at: Set(session.last_seen_at),
        idle_expires_at: Set(session.idle_expires_at),
        expires_at: Set(session.expires_at),
        ip: Set(session.ip.clone()),
        user_agent: Set(session.user_agent.clone()),
    })
    .exec_without_returning(&db.conn)
    .await?;
    Ok(())
}

/// The session whose secret hashes to `token_hash`, if it is still valid at `now`.
pub async fn find_valid(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<AuthSession>> {
    Ok(Entity::find()
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::ExpiresAt.gt(now))
        .filter(Column::IdleExpiresAt.gt(now))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Records use of a session and pushes its idle deadline out.
pub async fn touch(
    db: &Db,
    id: Uuid,
    now: DateTime<Utc>,
    idle_expires_at: DateTime<Utc>,
) -> Result<()> {
    Entity::update_many()
        .set(ActiveModel {
            last_seen_at: Set(now),
            idle_expires_at: Set(idle_expires_at),
            ..Default::default()
        })
        .filter(Column::Id.eq(id.to_string()))
        .exec(&db.conn)
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn delete(db: &Db, id: Uuid) -> Result<()> {
    Entity::delete_by_id(id.to_string()).exec(&db.conn).await?;
    Ok(())
}

/// Ends every session of `admin` except `keep`; returns how many ended.
pub async fn delete_for_admin(db: &Db, admin: Uuid, keep: Option<Uuid>) -> Result<u64> {
    let mut query = Entity::delete_many().filter(Column::AdminId.eq(admin.to_string()));
    if let Some(keep) = keep {
        query = query.filter(Column::Id.ne(keep.to_string()));
    }
    Ok(query.exec(&db.conn).await?.rows_affected)
}

/// Deletes every session that expired (absolutely or by idleness) at or before `now`; returns
/// how many it deleted.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let result = Entity::delete_many()
        .filter(
            Condition::any()
                .add(Column::ExpiresAt.lte(now))
                .add(Column::IdleExpiresAt.lte(now)),
        )
        .exec(&db.conn)
        .await?;
    Ok(result.rows_affected)
}

/// How many sessions exist, expired or not.
pub async fn count(db: &Db) -> Result<u64> {
    Ok(Entity::find().count(&db.conn).await?)
}
