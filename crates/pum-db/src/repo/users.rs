//! Users of the Plex server: the list with search and filters, reads, the sync's bulk write,
//! and single changes.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LikeExpr, NullOrdering, Order};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::entity::user::{ActiveModel, Column, Entity, Model};
use crate::records::{LocalFacts, PlexFacts, User, UserOrder, UserQuery};
use crate::{Db, Result, join_ids, parse_ids, to_i64, to_u64};

/// Rows per multi-row insert (well under SQLite's 32,766 bound parameters).
const INSERT_CHUNK: usize = 500;

fn to_record(model: Model) -> User {
    User {
        id: crate::parse_uuid(&model.id),
        plex: PlexFacts {
            account_id: to_u64(model.plex_account_id),
            uuid: model.plex_uuid,
            username: model.username,
            title: model.title,
            email: model.email,
            thumb: model.thumb,
            home: model.home,
            managed: model.managed,
            share_id: model.share_id.map(to_u64),
            library_ids: parse_ids(&model.library_ids),
            all_libraries: model.all_libraries,
            allow_sync: model.allow_sync,
            allow_channels: model.allow_channels,
            allow_camera_upload: model.allow_camera_upload,
            filter_movies: model.filter_movies,
            filter_television: model.filter_television,
            filter_music: model.filter_music,
            pending: model.pending,
            shares_back: model.shares_back,
            last_seen_at: model.last_seen_at,
        },
        local: LocalFacts {
            notes: model.notes,
            whitelisted: model.whitelisted,
            expires_at: model.expires_at,
            discord_id: model.discord_id,
            discord_username: model.discord_username,
        },
        removed_at: model.removed_at,
        created_at: model.created_at,
        updated_at: model.updated_at,
    }
}

/// The lower-case name the list sorts by.
fn sort_name(plex: &PlexFacts) -> String {
    plex.username
        .as_deref()
        .unwrap_or(&plex.title)
        .to_lowercase()
        .chars()
        .take(200)
        .collect()
}

/// The lower-case text search looks in: username, title, e-mail and notes.
fn search_text(plex: &PlexFacts, local: &LocalFacts) -> String {
    [
        plex.username.as_deref().unwrap_or_default(),
        &plex.title,
        plex.email.as_deref().unwrap_or_default(),
        &local.notes,
    ]
    .join("\n")
    .to_lowercase()
}

fn plex_columns(active: &mut ActiveModel, plex: &PlexFacts) {
    active.plex_account_id = Set(to_i64(plex.account_id));
    active.plex_uuid = Set(plex.uuid.clone());
    active.username = Set(plex.username.clone());
    active.title = Set(plex.title.clone());
    active.email = Set(plex.email.clone());
    active.thumb = Set(plex.thumb.clone());
    active.home = Set(plex.home);
    active.managed = Set(plex.managed);
    active.share_id = Set(plex.share_id.map(to_i64));
    active.library_ids = Set(join_ids(&plex.library_ids));
    active.all_libraries = Set(plex.all_libraries);
    active.allow_sync = Set(plex.allow_sync);
    active.allow_channels = Set(plex.allow_channels);
    active.allow_camera_upload = Set(plex.allow_camera_upload);
    active.filter_movies = Set(plex.filter_movies.clone());
    active.filter_television = Set(plex.filter_television.clone());
    active.filter_music = Set(plex.filter_music.clone());
    active.pending = Set(plex.pending);
    active.shares_back = Set(plex.shares_back);
    active.last_seen_at = Set(plex.last_seen_at);
    active.sort_name = Set(sort_name(plex));
}

fn local_columns(active: &mut ActiveModel, local: &LocalFacts) {
    active.notes = Set(local.notes.clone());
    active.whitelisted = Set(local.whitelisted);
    active.expires_at = Set(local.expires_at);
    active.discord_id = Set(local.discord_id.clone());
    active.discord_username = Set(local.discord_username.clone());
}

fn full_active(user: &User) -> ActiveModel {
    let mut active = ActiveModel {
        id: Set(user.id.to_string()),
        removed_at: Set(user.removed_at),
        search_text: Set(search_text(&user.plex, &user.local)),
        created_at: Set(user.created_at),
        updated_at: Set(user.updated_at),
        ..Default::default()
    };
    plex_columns(&mut active, &user.plex);
    local_columns(&mut active, &user.local);
    active
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

fn flag(condition: Condition, column: Column, value: Option<bool>) -> Condition {
    match value {
        Some(v) => condition.add(column.eq(v)),
        None => condition,
    }
}

fn nullable(condition: Condition, column: Column, present: Option<bool>) -> Condition {
    match present {
        Some(true) => condition.add(column.is_not_null()),
        Some(false) => condition.add(column.is_null()),
        None => condition,
    }
}

fn conditions(query: &UserQuery) -> Condition {
    let mut c = Condition::all();
    if let Some(text) = query.search.as_deref().filter(|t| !t.is_empty()) {
        c = c.add(Column::SearchText.like(LikeExpr::new(escape_like(text)).escape('\\')));
    }
    c = flag(c, Column::Home, query.home);
    c = flag(c, Column::Pending, query.pending);
    c = flag(c, Column::SharesBack, query.shares_back);
    c = flag(c, Column::Whitelisted, query.whitelisted);
    c = nullable(c, Column::DiscordId, query.has_discord);
    c = nullable(c, Column::RemovedAt, query.removed);
    if let Some((from, until)) = query.expiring {
        c = c
            .add(Column::ExpiresAt.gte(from))
            .add(Column::ExpiresAt.lte(until));
    }
    if let Some(since) = query.inactive_since {
        c = c.add(
            Condition::any()
                .add(Column::LastSeenAt.is_null())
                .add(Column::LastSeenAt.lt(since)),
        );
    }
    c
}

/// One page of users matching `query`, and how many match in all. Three queries whatever the
/// page size: the count, the page's ids read in list order (from an index on the sort column
/// and id), and the page's rows by id.
pub async fn list(db: &Db, query: &UserQuery) -> Result<(Vec<User>, u64)> {
    let filter = conditions(query);
    let total = Entity::find()
        .select_only()
        .column_as(Column::Id.count(), "n")
        .filter(filter.clone())
        .into_tuple::<i64>()
        .one(&db.conn)
        .await?
        .map_or(0, to_u64);
    let order = if query.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let mut select = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(filter);
    select = match query.order {
        UserOrder::Name => select.order_by(Column::SortName, order.clone()),
        UserOrder::LastSeen => {
            select.order_by_with_nulls(Column::LastSeenAt, order.clone(), NullOrdering::Last)
        }
        UserOrder::Expires => {
            select.order_by_with_nulls(Column::ExpiresAt, order.clone(), NullOrdering::Last)
        }
        UserOrder::Created => select.order_by(Column::CreatedAt, order.clone()),
    };
    let ids: Vec<String> = select
        .order_by(Column::Id, order)
        .offset(query.offset)
        .limit(query.limit)
        .into_tuple::<String>()
        .all(&db.conn)
        .await?;
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut rows: Vec<Model> = Entity::find()
        .filter(Column::Id.is_in(ids.clone()))
        .all(&db.conn)
        .await?;
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    Ok((rows.into_iter().map(to_record).collect(), total))
}

/// Every user, for a sync.
pub async fn all(db: &Db) -> Result<Vec<User>> {
    Ok(Entity::find()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// The user `id`.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<User>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// The users among `ids` that exist.
pub async fn get_many(db: &Db, ids: &[Uuid]) -> Result<Vec<User>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(INSERT_CHUNK) {
        let keys: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        out.extend(
            Entity::find()
                .filter(Column::Id.is_in(keys))
                .all(&db.conn)
                .await?
                .into_iter()
                .map(to_record),
        );
    }
    Ok(out)
}

/// What a sync writes, in one transaction.
#[derive(Debug, Default)]
pub struct SyncWrite {
    /// New users.
    pub insert: Vec<User>,
    /// Existing users whose Plex facts changed (or who came back): their new Plex facts.
    pub update: Vec<(Uuid, PlexFacts, LocalFacts)>,
    /// Users to mark as gone from Plex.
    pub mark_removed: Vec<Uuid>,
}

/// Applies a sync's changes atomically.
pub async fn apply_sync(db: &Db, write: &SyncWrite, now: DateTime<Utc>) -> Result<()> {
    let txn = db.conn.begin().await?;
    for chunk in write.insert.chunks(INSERT_CHUNK) {
        Entity::insert_many(chunk.iter().map(full_active))
            .exec_without_returning(&txn)
            .await?;
    }
    for (id, plex, local) in &write.update {
        update_plex_in(&txn, *id, plex, local, now).await?;
    }
    for chunk in write.mark_removed.chunks(INSERT_CHUNK) {
        Entity::update_many()
            .col_expr(Column::RemovedAt, Expr::value(now))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.is_in(chunk.iter().map(Uuid::to_string)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn update_plex_in(
    conn: &impl ConnectionTrait,
    id: Uuid,
    plex: &PlexFacts,
    local: &LocalFacts,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut active = ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.to_string()),
        removed_at: Set(None),
        search_text: Set(search_text(plex, local)),
        updated_at: Set(now),
        ..Default::default()
    };
    plex_columns(&mut active, plex);
    Entity::update(active).exec(conn).await?;
    Ok(())
}

/// Writes a whole user inside a transaction: a new row, or every column of an existing one
/// (which also clears a "gone" mark).
pub(crate) async fn save_in(conn: &impl ConnectionTrait, user: &User, new: bool) -> Result<()> {
    if new {
        Entity::insert(full_active(user))
            .exec_without_returning(conn)
            .await?;
    } else {
        let mut active = full_active(user);
        active.id = sea_orm::ActiveValue::Unchanged(user.id.to_string());
        active.created_at = sea_orm::ActiveValue::NotSet;
        Entity::update(active).exec(conn).await?;
    }
    Ok(())
}

/// The user with plex.tv account `account_id`.
pub async fn by_account(db: &Db, account_id: u64) -> Result<Option<User>> {
    Ok(Entity::find()
        .filter(Column::PlexAccountId.eq(to_i64(account_id)))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// Writes a user's Plex facts after Plex accepted a change (clears a "gone" mark).
pub async fn update_plex(
    db: &Db,
    id: Uuid,
    plex: &PlexFacts,
    local: &LocalFacts,
    now: DateTime<Utc>,
) -> Result<()> {
    update_plex_in(&db.conn, id, plex, local, now).await
}

/// Writes a user's pum-only facts.
pub async fn update_local(
    db: &Db,
    id: Uuid,
    plex: &PlexFacts,
    local: &LocalFacts,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut active = ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.to_string()),
        search_text: Set(search_text(plex, local)),
        updated_at: Set(now),
        ..Default::default()
    };
    local_columns(&mut active, local);
    Entity::update(active).exec(&db.conn).await?;
    Ok(())
}

/// Deletes the user `id`. Returns whether it existed.
pub async fn delete(db: &Db, id: Uuid) -> Result<bool> {
    Ok(Entity::delete_by_id(id.to_string())
        .exec(&db.conn)
        .await?
        .rows_affected
        > 0)
}

#[cfg(test)]
mod tests {
    use super::escape_like;
    use crate::{join_ids, parse_ids};

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(escape_like("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn id_lists_round_trip_and_skip_garbage() {
        assert_eq!(parse_ids(&join_ids(&[3, 1, 2])), vec![3, 1, 2]);
        assert_eq!(parse_ids("1,x,,2"), vec![1, 2]);
    }
}
