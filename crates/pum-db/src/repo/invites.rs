//! Invites: creation, reads by id or by code, edits, deletion. Uses are counted by
//! [`super::invite_redemptions`], never written here.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entity::invite::{ActiveModel, Column, Entity, Model};
use crate::records::Invite;
use crate::{Db, Result, join_ids, parse_ids};

/// The case-insensitive form custom paths are unique in.
pub fn path_key(path: &str) -> String {
    path.to_lowercase()
}

fn to_u32(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_record(model: Model) -> Invite {
    Invite {
        id: crate::parse_uuid(&model.id),
        token_hash: model.token_hash,
        token_sealed: model.token_sealed,
        custom_path: model.custom_path,
        note: model.note,
        expires_at: model.expires_at,
        max_uses: model.max_uses.map(to_u32),
        uses: to_u32(model.uses),
        all_libraries: model.all_libraries,
        library_ids: parse_ids(&model.library_ids),
        allow_downloads: model.allow_downloads,
        membership_days: model.membership_days.map(to_u32),
        discord_linking: model.discord_linking,
        require_guild: model.require_guild,
        disabled_at: model.disabled_at,
        created_by: model.created_by,
        created_at: model.created_at,
        updated_at: model.updated_at,
    }
}

/// The columns an edit may change.
fn editable(active: &mut ActiveModel, invite: &Invite) {
    active.note = Set(invite.note.clone());
    active.expires_at = Set(invite.expires_at);
    active.max_uses = Set(invite.max_uses.map(to_i32));
    active.all_libraries = Set(invite.all_libraries);
    active.library_ids = Set(join_ids(&invite.library_ids));
    active.allow_downloads = Set(invite.allow_downloads);
    active.membership_days = Set(invite.membership_days.map(to_i32));
    active.discord_linking = Set(invite.discord_linking.clone());
    active.require_guild = Set(invite.require_guild);
    active.disabled_at = Set(invite.disabled_at);
    active.updated_at = Set(invite.updated_at);
}

/// Stores a new invite. Fails with [`crate::DbError::Conflict`] when its custom path (ignoring
/// case) or token is taken.
pub async fn insert(db: &Db, invite: &Invite) -> Result<()> {
    let mut active = ActiveModel {
        id: Set(invite.id.to_string()),
        token_hash: Set(invite.token_hash.clone()),
        token_sealed: Set(invite.token_sealed.clone()),
        custom_path: Set(invite.custom_path.clone()),
        custom_path_key: Set(invite.custom_path.as_deref().map(path_key)),
        uses: Set(0),
        created_by: Set(invite.created_by.clone()),
        created_at: Set(invite.created_at),
        ..Default::default()
    };
    editable(&mut active, invite);
    Entity::insert(active)
        .exec_without_returning(&db.conn)
        .await?;
    Ok(())
}

/// Every invite, newest first.
pub async fn list(db: &Db) -> Result<Vec<Invite>> {
    Ok(Entity::find()
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// The invite `id`.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<Invite>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The invite whose token hashes to `token_hash` or whose custom path is `path` (ignoring
/// case).
pub async fn find_by_code(db: &Db, token_hash: &str, path: &str) -> Result<Option<Invite>> {
    Ok(Entity::find()
        .filter(
            Condition::any()
                .add(Column::TokenHash.eq(token_hash))
                .add(Column::CustomPathKey.eq(path_key(path))),
        )
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Writes an edit (never the code or the use count). Returns whether the invite exists.
pub async fn update(db: &Db, invite: &Invite) -> Result<bool> {
    let mut active = ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(invite.id.to_string()),
        ..Default::default()
    };
    editable(&mut active, invite);
    match Entity::update(active).exec(&db.conn).await {
        Ok(_) => Ok(true),
        Err(sea_orm::DbErr::RecordNotUpdated) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// Deletes an invite with its redemptions and flows. Returns whether it existed.
pub async fn delete(db: &Db, id: Uuid) -> Result<bool> {
    Ok(Entity::delete_by_id(id.to_string())
        .exec(&db.conn)
        .await?
        .rows_affected
        > 0)
}

/// Takes one use of `id` if it is usable at `now`: enabled, not expired, not used up. One
/// statement, so concurrent redemptions can never take more uses than there are.
pub(crate) async fn take_use(
    conn: &impl sea_orm::ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let result = Entity::update_many()
        .col_expr(Column::Uses, Expr::col(Column::Uses).add(1))
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::DisabledAt.is_null())
        .filter(
            Condition::any()
                .add(Column::MaxUses.is_null())
                .add(Expr::col(Column::Uses).lt(Expr::col(Column::MaxUses))),
        )
        .filter(
            Condition::any()
                .add(Column::ExpiresAt.is_null())
                .add(Column::ExpiresAt.gt(now)),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives back one use of `id`.
pub(crate) async fn give_back_use(conn: &impl sea_orm::ConnectionTrait, id: Uuid) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::Uses, Expr::col(Column::Uses).sub(1))
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::Uses.gt(0))
        .exec(conn)
        .await?;
    Ok(())
}
