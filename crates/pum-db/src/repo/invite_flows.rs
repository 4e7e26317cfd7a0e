//! The invite page's sign-ins in progress, one per browser and invite.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::invite_flow::{ActiveModel, Column, Entity, Model};
use crate::records::InviteFlow;
use crate::{Db, Result, to_i64, to_u64};

fn to_record(model: Model) -> InviteFlow {
    InviteFlow {
        id: crate::parse_uuid(&model.id),
        flow_hash: model.flow_hash,
        invite_id: crate::parse_uuid(&model.invite_id),
        pin_id: model.pin_id.map(to_u64),
        pin_expires_at: model.pin_expires_at,
        plex_account_id: model.plex_account_id.map(to_u64),
        plex_username: model.plex_username,
        plex_email: model.plex_email,
        plex_thumb: model.plex_thumb,
        plex_problem: model.plex_problem,
        discord_state_hash: model.discord_state_hash,
        discord_id: model.discord_id,
        discord_username: model.discord_username,
        created_at: model.created_at,
        expires_at: model.expires_at,
    }
}

fn to_active(flow: &InviteFlow) -> ActiveModel {
    ActiveModel {
        id: Set(flow.id.to_string()),
        flow_hash: Set(flow.flow_hash.clone()),
        invite_id: Set(flow.invite_id.to_string()),
        pin_id: Set(flow.pin_id.map(to_i64)),
        pin_expires_at: Set(flow.pin_expires_at),
        plex_account_id: Set(flow.plex_account_id.map(to_i64)),
        plex_username: Set(flow.plex_username.clone()),
        plex_email: Set(flow.plex_email.clone()),
        plex_thumb: Set(flow.plex_thumb.clone()),
        plex_problem: Set(flow.plex_problem.clone()),
        discord_state_hash: Set(flow.discord_state_hash.clone()),
        discord_id: Set(flow.discord_id.clone()),
        discord_username: Set(flow.discord_username.clone()),
        created_at: Set(flow.created_at),
        expires_at: Set(flow.expires_at),
    }
}

/// Stores a new flow.
pub async fn insert(db: &Db, flow: &InviteFlow) -> Result<()> {
    Entity::insert(to_active(flow))
        .exec_without_returning(&db.conn)
        .await?;
    Ok(())
}

/// Writes every column of `flow`.
pub async fn save(db: &Db, flow: &InviteFlow) -> Result<()> {
    Entity::update(to_active(flow)).exec(&db.conn).await?;
    Ok(())
}

/// The flow whose browser secret hashes to `flow_hash`.
pub async fn find(db: &Db, flow_hash: &str) -> Result<Option<InviteFlow>> {
    Ok(Entity::find()
        .filter(Column::FlowHash.eq(flow_hash))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The flow holding the Discord `state` that hashes to `state_hash`.
pub async fn find_by_discord_state(db: &Db, state_hash: &str) -> Result<Option<InviteFlow>> {
    Ok(Entity::find()
        .filter(Column::DiscordStateHash.eq(state_hash))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Uses up the Discord `state` of flow `id`: only the one request that clears it may go on.
pub async fn take_discord_state(db: &Db, id: Uuid, state_hash: &str) -> Result<bool> {
    Ok(Entity::update_many()
        .col_expr(Column::DiscordStateHash, Option::<String>::None.into())
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::DiscordStateHash.eq(state_hash))
        .exec(&db.conn)
        .await?
        .rows_affected
        == 1)
}

/// Ends a flow; returns whether it existed.
pub async fn delete(db: &Db, id: Uuid) -> Result<bool> {
    Ok(Entity::delete_by_id(id.to_string())
        .exec(&db.conn)
        .await?
        .rows_affected
        > 0)
}

/// Forgets flows that lapsed at or before `now`.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    Ok(Entity::delete_many()
        .filter(Column::ExpiresAt.lte(now))
        .exec(&db.conn)
        .await?
        .rows_affected)
}
