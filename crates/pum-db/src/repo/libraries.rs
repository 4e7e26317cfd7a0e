//! The server's libraries, with the plex.tv id sharing uses and the PMS key.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::entity::library::{ActiveModel, Column, Entity, Model};
use crate::records::Library;
use crate::{Db, Result};

fn to_record(model: Model) -> Library {
    Library {
        tv_id: u64::try_from(model.tv_id).unwrap_or(0),
        pms_key: model.pms_key,
        title: model.title,
        kind: model.kind,
        position: u32::try_from(model.position).unwrap_or(0),
    }
}

/// The libraries the server has (not marked removed), in the server's order.
pub async fn current(db: &Db) -> Result<Vec<Library>> {
    Ok(Entity::find()
        .filter(Column::RemovedAt.is_null())
        .order_by_asc(Column::Position)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// Stores `libraries` as listed by the server document. When `complete` (the list was checked
/// against the server itself), libraries not listed are marked removed; otherwise they stay.
pub async fn refresh(
    db: &Db,
    libraries: &[Library],
    complete: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = db.conn.begin().await?;
    for library in libraries {
        let active = ActiveModel {
            tv_id: Set(i64::try_from(library.tv_id).unwrap_or(i64::MAX)),
            pms_key: Set(library.pms_key.clone()),
            title: Set(library.title.clone()),
            kind: Set(library.kind.clone()),
            position: Set(i32::try_from(library.position).unwrap_or(i32::MAX)),
            updated_at: Set(now),
            removed_at: Set(None),
        };
        Entity::insert(active)
            .on_conflict(
                OnConflict::column(Column::TvId)
                    .update_columns([
                        Column::PmsKey,
                        Column::Title,
                        Column::Kind,
                        Column::Position,
                        Column::UpdatedAt,
                        Column::RemovedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    if complete {
        let listed: Vec<i64> = libraries
            .iter()
            .map(|l| i64::try_from(l.tv_id).unwrap_or(i64::MAX))
            .collect();
        Entity::update_many()
            .col_expr(Column::RemovedAt, Expr::value(now))
            .filter(Column::RemovedAt.is_null())
            .filter(Column::TvId.is_not_in(listed))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}
