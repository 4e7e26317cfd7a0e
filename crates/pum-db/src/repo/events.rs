//! The event log: who did what, when, with which outcome.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::event::{ActiveModel, Column, Entity, Model};
use crate::records::{ActorKind, Event};
use crate::{Db, Result};

fn to_record(model: Model) -> Event {
    Event {
        id: crate::parse_uuid(&model.id),
        at: model.at,
        kind: model.kind,
        success: model.outcome == "success",
        actor_kind: ActorKind::parse(&model.actor_kind),
        actor_id: model.actor_id,
        actor_name: model.actor_name,
        target: model.target,
        ip: model.ip,
        detail: model.detail,
    }
}

/// Appends an event.
pub async fn insert(db: &Db, event: &Event) -> Result<()> {
    Entity::insert(ActiveModel {
        id: Set(event.id.to_string()),
        at: Set(event.at),
        kind: Set(event.kind.clone()),
        outcome: Set(if event.success { "success" } else { "failure" }.to_owned()),
        actor_kind: Set(event.actor_kind.as_str().to_owned()),
        actor_id: Set(event.actor_id.clone()),
        actor_name: Set(event.actor_name.clone()),
        target: Set(event.target.clone()),
        ip: Set(event.ip.clone()),
        detail: Set(event.detail.clone()),
    })
    .exec_without_returning(&db.conn)
    .await?;
    Ok(())
}

/// The newest `limit` events, optionally only of `kind`, newest first.
pub async fn recent(db: &Db, kind: Option<&str>, limit: u64) -> Result<Vec<Event>> {
    let mut query = Entity::find();
    if let Some(kind) = kind {
        query = query.filter(Column::Kind.eq(kind));
    }
    Ok(query
        .order_by_desc(Column::At)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// How many events of `kind` exist.
pub async fn count_kind(db: &Db, kind: &str) -> Result<u64> {
    Ok(Entity::find()
        .filter(Column::Kind.eq(kind))
        .count(&db.conn)
        .await?)
}

/// The newest `limit` events about `target`, newest first.
pub async fn for_target(db: &Db, target: &str, limit: u64) -> Result<Vec<Event>> {
    Ok(Entity::find()
        .filter(Column::Target.eq(target))
        .order_by_desc(Column::At)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}
