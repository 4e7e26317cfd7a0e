//! The single installation row.

use sea_orm::{ActiveValue::Set, EntityTrait};

use crate::entity::installation::{ActiveModel, Entity, Model};
use crate::records::Installation;
use crate::{Db, DbError, Result};

const ROW: i32 = 1;

fn to_record(model: Model) -> Installation {
    Installation {
        client_identifier: model.client_identifier,
        key_id: model.key_id,
        key_check: model.key_check,
        created_at: model.created_at,
    }
}

/// The installation, or `None` before the first start completed.
pub async fn get(db: &Db) -> Result<Option<Installation>> {
    Ok(Entity::find_by_id(ROW).one(&db.conn).await?.map(to_record))
}

/// Records the installation unless another instance did first; returns the row that won, so
/// instances starting together on one database agree on one identity.
pub async fn create_or_get(db: &Db, installation: &Installation) -> Result<Installation> {
    let active = ActiveModel {
        id: Set(ROW),
        client_identifier: Set(installation.client_identifier.clone()),
        key_id: Set(installation.key_id.clone()),
        key_check: Set(installation.key_check.clone()),
        created_at: Set(installation.created_at),
    };
    match Entity::insert(active)
        .exec_without_returning(&db.conn)
        .await
    {
        Ok(_) => Ok(installation.clone()),
        Err(err) => match DbError::from(err) {
            DbError::Conflict(_) => get(db).await?.ok_or_else(|| {
                DbError::Conflict("installation row vanished after a conflict".to_owned())
            }),
            other => Err(other),
        },
    }
}
