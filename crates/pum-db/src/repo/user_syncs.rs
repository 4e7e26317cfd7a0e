//! User syncs: queued, running and finished, with what they found.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entity::user_sync::{ActiveModel, Column, Entity, Model};
use crate::records::{SyncCounts, SyncState, UserSync};
use crate::{Db, Result};

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn stored(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_record(model: Model) -> UserSync {
    UserSync {
        id: crate::parse_uuid(&model.id),
        run_id: model.run_id.as_deref().map(crate::parse_uuid),
        state: SyncState::parse(&model.status),
        requested_by: model.requested_by,
        queued_at: model.queued_at,
        started_at: model.started_at,
        finished_at: model.finished_at,
        counts: SyncCounts {
            added: count(model.added),
            updated: count(model.updated),
            removed: count(model.removed),
            unchanged: count(model.unchanged),
        },
        message: model.message,
        removals: model.removals,
        confirmed_removals: model
            .confirmed_removals
            .as_deref()
            .map(crate::split_list)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
    }
}

/// Records a new sync.
pub async fn insert(db: &Db, sync: &UserSync) -> Result<()> {
    Entity::insert(ActiveModel {
        id: Set(sync.id.to_string()),
        run_id: Set(sync.run_id.map(|r| r.to_string())),
        status: Set(sync.state.as_str().to_owned()),
        requested_by: Set(sync.requested_by.clone()),
        queued_at: Set(sync.queued_at),
        started_at: Set(sync.started_at),
        finished_at: Set(sync.finished_at),
        added: Set(stored(sync.counts.added)),
        updated: Set(stored(sync.counts.updated)),
        removed: Set(stored(sync.counts.removed)),
        unchanged: Set(stored(sync.counts.unchanged)),
        message: Set(sync.message.clone()),
        removals: Set(sync.removals.clone()),
        confirmed_removals: Set((!sync.confirmed_removals.is_empty()).then(|| {
            sync.confirmed_removals
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        })),
    })
    .exec_without_returning(&db.conn)
    .await?;
    Ok(())
}

/// The sync `id`.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<UserSync>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The sync executed by job run `run`.
pub async fn by_run(db: &Db, run: Uuid) -> Result<Option<UserSync>> {
    Ok(Entity::find()
        .filter(Column::RunId.eq(run.to_string()))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The newest sync, or the newest in `state`.
pub async fn latest(db: &Db, state: Option<SyncState>) -> Result<Option<UserSync>> {
    let mut query = Entity::find();
    if let Some(state) = state {
        query = query.filter(Column::Status.eq(state.as_str()));
    }
    Ok(query
        .order_by_desc(Column::QueuedAt)
        .order_by_desc(Column::Id)
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Marks the sync `id` as started.
pub async fn mark_running(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    Entity::update(ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.to_string()),
        status: Set(SyncState::Running.as_str().to_owned()),
        started_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(&db.conn)
    .await?;
    Ok(())
}

/// Records how the sync `id` ended.
pub async fn finish(
    db: &Db,
    id: Uuid,
    state: SyncState,
    counts: SyncCounts,
    message: Option<String>,
    removals: Option<String>,
    now: DateTime<Utc>,
) -> Result<()> {
    Entity::update(ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.to_string()),
        status: Set(state.as_str().to_owned()),
        finished_at: Set(Some(now)),
        added: Set(stored(counts.added)),
        updated: Set(stored(counts.updated)),
        removed: Set(stored(counts.removed)),
        unchanged: Set(stored(counts.unchanged)),
        message: Set(message),
        removals: Set(removals),
        ..Default::default()
    })
    .exec(&db.conn)
    .await?;
    Ok(())
}

/// Marks the sync `id` as confirmed, if it still awaits confirmation. Returns whether it did.
pub async fn confirm(db: &Db, id: Uuid) -> Result<bool> {
    Ok(Entity::update_many()
        .col_expr(
            Column::Status,
            SyncState::Confirmed.as_str().to_owned().into(),
        )
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::Status.eq(SyncState::AwaitingConfirmation.as_str()))
        .exec(&db.conn)
        .await?
        .rows_affected
        > 0)
}
