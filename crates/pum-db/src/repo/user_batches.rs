//! Mass actions on users, with one item per user.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use crate::entity::{user_batch, user_batch_item};
use crate::records::{BatchItemRecord, ItemState, UserBatch};
use crate::{Db, Result};

const CHUNK: usize = 500;

fn item(model: user_batch_item::Model) -> BatchItemRecord {
    BatchItemRecord {
        user_id: crate::parse_uuid(&model.user_id),
        label: model.label,
        state: ItemState::parse(&model.status),
        message: model.message,
    }
}

/// Records a batch and its items (all pending).
pub async fn insert(db: &Db, batch: &UserBatch) -> Result<()> {
    let txn = db.conn.begin().await?;
    user_batch::Entity::insert(user_batch::ActiveModel {
        id: Set(batch.id.to_string()),
        run_id: Set(batch.run_id.to_string()),
        action: Set(batch.action.clone()),
        actor: Set(batch.actor.clone()),
        status: Set(if batch.finished {
            "finished"
        } else {
            "running"
        }
        .to_owned()),
        created_at: Set(batch.created_at),
        finished_at: Set(batch.finished_at),
    })
    .exec_without_returning(&txn)
    .await?;
    let rows: Vec<user_batch_item::ActiveModel> = batch
        .items
        .iter()
        .enumerate()
        .map(|(position, it)| user_batch_item::ActiveModel {
            batch_id: Set(batch.id.to_string()),
            user_id: Set(it.user_id.to_string()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            label: Set(it.label.chars().take(200).collect()),
            status: Set(it.state.as_str().to_owned()),
            message: Set(it.message.clone()),
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        user_batch_item::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn with_items(db: &Db, model: user_batch::Model) -> Result<UserBatch> {
    let items = user_batch_item::Entity::find()
        .filter(user_batch_item::Column::BatchId.eq(model.id.clone()))
        .order_by_asc(user_batch_item::Column::Position)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(item)
        .collect();
    Ok(UserBatch {
        id: crate::parse_uuid(&model.id),
        run_id: crate::parse_uuid(&model.run_id),
        action: model.action,
        actor: model.actor,
        finished: model.status == "finished",
        created_at: model.created_at,
        finished_at: model.finished_at,
        items,
    })
}

/// The batch `id` with its items.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<UserBatch>> {
    match user_batch::Entity::find_by_id(id.to_string())
        .one(&db.conn)
        .await?
    {
        Some(model) => Ok(Some(with_items(db, model).await?)),
        None => Ok(None),
    }
}

/// The batch executed by job run `run`.
pub async fn by_run(db: &Db, run: Uuid) -> Result<Option<UserBatch>> {
    match user_batch::Entity::find()
        .filter(user_batch::Column::RunId.eq(run.to_string()))
        .one(&db.conn)
        .await?
    {
        Some(model) => Ok(Some(with_items(db, model).await?)),
        None => Ok(None),
    }
}

/// The newest `limit` batches (items included).
pub async fn recent(db: &Db, limit: u64) -> Result<Vec<UserBatch>> {
    use sea_orm::QuerySelect as _;
    let models = user_batch::Entity::find()
        .order_by_desc(user_batch::Column::CreatedAt)
        .limit(limit)
        .all(&db.conn)
        .await?;
    let mut out = Vec::with_capacity(models.len());
    for model in models {
        out.push(with_items(db, model).await?);
    }
    Ok(out)
}

/// Records the outcome for one user.
pub async fn set_item(
    db: &Db,
    batch: Uuid,
    user: Uuid,
    state: ItemState,
    message: Option<String>,
) -> Result<()> {
    user_batch_item::Entity::update_many()
        .col_expr(
            user_batch_item::Column::Status,
            state.as_str().to_owned().into(),
        )
        .col_expr(user_batch_item::Column::Message, message.into())
        .filter(user_batch_item::Column::BatchId.eq(batch.to_string()))
        .filter(user_batch_item::Column::UserId.eq(user.to_string()))
        .exec(&db.conn)
        .await?;
    Ok(())
}

/// Marks the batch finished.
pub async fn finish(db: &Db, batch: Uuid, now: DateTime<Utc>) -> Result<()> {
    user_batch::Entity::update(user_batch::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(batch.to_string()),
        status: Set("finished".to_owned()),
        finished_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(&db.conn)
    .await?;
    Ok(())
}

/// Puts the failed items back to pending under a new run. Returns how many there were; with
/// none, nothing changes.
pub async fn retry_failed(db: &Db, batch: Uuid, run: Uuid) -> Result<u64> {
    let txn = db.conn.begin().await?;
    let reset = user_batch_item::Entity::update_many()
        .col_expr(
            user_batch_item::Column::Status,
            ItemState::Pending.as_str().to_owned().into(),
        )
        .col_expr(
            user_batch_item::Column::Message,
            Option::<String>::None.into(),
        )
        .filter(user_batch_item::Column::BatchId.eq(batch.to_string()))
        .filter(user_batch_item::Column::Status.eq(ItemState::Failed.as_str()))
        .exec(&txn)
        .await?
        .rows_affected;
    if reset > 0 {
        user_batch::Entity::update(user_batch::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(batch.to_string()),
            run_id: Set(run.to_string()),
            status: Set("running".to_owned()),
            finished_at: Set(None),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(reset)
}
