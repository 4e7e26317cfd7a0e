//! Plex PIN sign-ins in progress.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::plex_pin_flow::{ActiveModel, Column, Entity, Model};
use crate::records::PlexPinFlow;
use crate::{Db, Result};

fn to_record(model: Model) -> PlexPinFlow {
    PlexPinFlow {
        id: crate::parse_uuid(&model.id),
        flow_hash: model.flow_hash,
        purpose: model.purpose,
        pin_id: model.pin_id,
        pin_code: model.pin_code,
        admin_id: model.admin_id.as_deref().map(crate::parse_uuid),
        created_at: model.created_at,
        expires_at: model.expires_at,
    }
}

/// Stores a new flow.
pub async fn insert(db: &Db, flow: &PlexPinFlow) -> Result<()> {
    Entity::insert(ActiveModel {
        id: Set(flow.id.to_string()),
        flow_hash: Set(flow.flow_hash.clone()),
        purpose: Set(flow.purpose.clone()),
        pin_id: Set(flow.pin_id),
        pin_code: Set(flow.pin_code.clone()),
        admin_id: Set(flow.admin_id.map(|id| id.to_string())),
        created_at: Set(flow.created_at),
        expires_at: Set(flow.expires_at),
    })
    .exec_without_returning(&db.conn)
    .await?;
    Ok(())
}

/// The flow whose browser secret hashes to `flow_hash`.
pub async fn find(db: &Db, flow_hash: &str) -> Result<Option<PlexPinFlow>> {
    Ok(Entity::find()
        .filter(Column::FlowHash.eq(flow_hash))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Ends a flow; returns whether it still existed (so only one request finishes it).
pub async fn delete(db: &Db, id: Uuid) -> Result<bool> {
    Ok(Entity::delete_by_id(id.to_string())
        .exec(&db.conn)
        .await?
        .rows_affected
        > 0)
}

/// Deletes flows whose PIN expired at or before `now`.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    Ok(Entity::delete_many()
        .filter(Column::ExpiresAt.lte(now))
        .exec(&db.conn)
        .await?
        .rows_affected)
}
