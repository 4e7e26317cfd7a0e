//! Settings as key/value rows. Callers seal secret values before they get here.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::entity::setting::{ActiveModel, Column, Entity, Model};
use crate::records::Setting;
use crate::{Db, Result};

fn to_record(model: Model) -> Setting {
    Setting {
        key: model.key,
        value: model.value,
        updated_at: model.updated_at,
        updated_by: model.updated_by,
    }
}

/// Every stored setting.
pub async fn all(db: &Db) -> Result<Vec<Setting>> {
    Ok(Entity::find()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// Writes `values` (`None` deletes the key) in one transaction, so a change is all or nothing.
pub async fn put(
    db: &Db,
    values: &[(String, Option<String>)],
    at: DateTime<Utc>,
    by: Option<&str>,
) -> Result<()> {
    let txn = db.conn.begin().await?;
    for (key, value) in values {
        match value {
            Some(value) => {
                Entity::insert(ActiveModel {
                    key: Set(key.clone()),
                    value: Set(value.clone()),
                    updated_at: Set(at),
                    updated_by: Set(by.map(str::to_owned)),
                })
                .on_conflict(
                    OnConflict::column(Column::Key)
                        .update_columns([Column::Value, Column::UpdatedAt, Column::UpdatedBy])
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            }
            None => {
                Entity::delete_many()
                    .filter(Column::Key.eq(key.as_str()))
                    .exec(&txn)
                    .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(())
}
