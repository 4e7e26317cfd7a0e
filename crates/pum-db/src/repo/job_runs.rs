//! Runs of background jobs, and the claim of scheduled ticks.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::job_run::{ActiveModel, Column, Entity, Model};
use crate::records::{JobRun, JobRunStatus, JobTrigger};
use crate::{Db, DbError, Result};

/// Records a queued run. For scheduled runs `tick_key` names the tick; if another instance
/// already claimed that tick, nothing is written and `None` is returned. This unique key is
/// what makes a schedule fire once per tick across every pum sharing the database.
pub async fn insert_queued(
    db: &Db,
    id: Uuid,
    job: &str,
    trigger: JobTrigger,
    tick_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<JobRun>> {
    let model = Model {
        id: id.to_string(),
        job: job.to_owned(),
        trigger: trigger.as_str().to_owned(),
        tick_key: tick_key.map(str::to_owned),
        status: JobRunStatus::Queued.as_str().to_owned(),
        queued_at: now,
        started_at: None,
        finished_at: None,
        attempts: 0,
        detail: None,
    };
    let active = ActiveModel {
        id: Set(model.id.clone()),
        job: Set(model.job.clone()),
        trigger: Set(model.trigger.clone()),
        tick_key: Set(model.tick_key.clone()),
        status: Set(model.status.clone()),
        queued_at: Set(model.queued_at),
        started_at: Set(None),
        finished_at: Set(None),
        attempts: Set(0),
        detail: Set(None),
    };
    match Entity::insert(active)
        .exec_without_returning(&db.conn)
        .await
    {
        Ok(_) => Ok(Some(to_record(model))),
        Err(err) => match DbError::from(err) {
            DbError::Conflict(_) if tick_key.is_some() => Ok(None),
            other => Err(other),
        },
    }
}

/// Marks a run as started by a worker and counts the attempt. Returns the updated run, or
/// `None` if no such run exists.
pub async fn mark_running(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<Option<JobRun>> {
    let Some(model) = Entity::find_by_id(id.to_string()).one(&db.conn).await? else {
        return Ok(None);
    };
    let attempts = model.attempts.saturating_add(1);
    Entity::update_many()
        .col_expr(Column::Status, JobRunStatus::Running.as_str().into())
        .col_expr(Column::StartedAt, now.into())
        .col_expr(Column::Attempts, attempts.into())
        .filter(Column::Id.eq(id.to_string()))
        .exec(&db.conn)
        .await?;
    Ok(Some(to_record(Model {
        status: JobRunStatus::Running.as_str().to_owned(),
        started_at: Some(now),
        attempts,
        ..model
    })))
}

/// Records how a run ended.
pub async fn mark_finished(
    db: &Db,
    id: Uuid,
    status: JobRunStatus,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::Status, status.as_str().into())
        .col_expr(Column::FinishedAt, now.into())
        .col_expr(Column::Detail, detail.into())
        .filter(Column::Id.eq(id.to_string()))
        .exec(&db.conn)
        .await?;
    Ok(())
}

/// One run by id.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<JobRun>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The newest run of `job`, if any.
pub async fn latest(db: &Db, job: &str) -> Result<Option<JobRun>> {
    Ok(Entity::find()
        .filter(Column::Job.eq(job))
        .order_by_desc(Column::QueuedAt)
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The newest `limit` runs of every job, newest first.
pub async fn recent(db: &Db, limit: u64) -> Result<Vec<JobRun>> {
    Ok(Entity::find()
        .order_by_desc(Column::QueuedAt)
        .limit(limit)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

fn to_record(model: Model) -> JobRun {
    JobRun {
        // Ids are written by this module from `Uuid`s; an unparsable one can only come from a
        // hand-edited row, which is shown as the nil id rather than failing the whole list.
        id: crate::parse_uuid(&model.id),
        job: model.job,
        trigger: JobTrigger::parse(&model.trigger),
        tick_key: model.tick_key,
        status: JobRunStatus::parse(&model.status),
        queued_at: model.queued_at,
        started_at: model.started_at,
        finished_at: model.finished_at,
        attempts: u32::try_from(model.attempts).unwrap_or(0),
        detail: model.detail,
    }
}
