//! Redemptions of invites and the claim protocol that keeps `max_uses` exact under
//! concurrency (security-reliability.md §2.1): a use is taken with one conditional statement
//! in the same transaction as the `(invite, account)` row, *before* Plex is asked; it is given
//! back if Plex refuses. A claim is held until `claimed_until`; after that another request (a
//! retry, or the reconciler) may take it over.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::invites;
use crate::entity::invite_redemption::{ActiveModel, Column, Entity, Model};
use crate::records::{Redemption, RedemptionState, User};
use crate::{Db, Result, to_i64, to_u64};

fn to_record(model: Model) -> Redemption {
    Redemption {
        id: crate::parse_uuid(&model.id),
        invite_id: crate::parse_uuid(&model.invite_id),
        plex_account_id: to_u64(model.plex_account_id),
        username: model.username,
        email: model.email,
        thumb: model.thumb,
        discord_id: model.discord_id,
        discord_username: model.discord_username,
        ip: model.ip,
        state: RedemptionState::parse(&model.status),
        claimed_until: model.claimed_until,
        accepted: model.accepted,
        message: model.message,
        user_id: model.user_id.as_deref().map(crate::parse_uuid),
        created_at: model.created_at,
        updated_at: model.updated_at,
    }
}

fn to_active(r: &Redemption) -> ActiveModel {
    ActiveModel {
        id: Set(r.id.to_string()),
        invite_id: Set(r.invite_id.to_string()),
        plex_account_id: Set(to_i64(r.plex_account_id)),
        username: Set(r.username.clone()),
        email: Set(r.email.clone()),
        thumb: Set(r.thumb.clone()),
        discord_id: Set(r.discord_id.clone()),
        discord_username: Set(r.discord_username.clone()),
        ip: Set(r.ip.clone()),
        status: Set(r.state.as_str().to_owned()),
        claimed_until: Set(r.claimed_until),
        accepted: Set(r.accepted),
        message: Set(r.message.clone()),
        user_id: Set(r.user_id.map(|id| id.to_string())),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
    }
}

/// What a claim attempt found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This request holds a use: go ahead and share. `resumed` when it took over an
    /// abandoned claim (the use was already counted; Plex may already share).
    Claimed {
        /// The redemption, as now stored.
        redemption: Redemption,
        /// Taken over from an earlier, abandoned attempt.
        resumed: bool,
    },
    /// This account already redeemed the invite: nothing more to do.
    AlreadyShared(Redemption),
    /// Another request of this account is redeeming right now.
    InProgress,
    /// The invite is disabled, expired or used up (checked now, in the same statement).
    Unavailable,
}

/// Claims a use of the invite for `attempt`'s account (a new `Claimed` row holding the claim
/// until `attempt.claimed_until`).
pub async fn claim(db: &Db, attempt: &Redemption, now: DateTime<Utc>) -> Result<Claim> {
    let txn = db.conn.begin().await?;
    // The insert comes first so the transaction takes the write lock before it reads.
    let inserted = Entity::insert(to_active(attempt))
        .on_conflict(
            OnConflict::columns([Column::InviteId, Column::PlexAccountId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    if inserted == 1 {
        if !invites::take_use(&txn, attempt.invite_id, now).await? {
            txn.rollback().await?;
            return Ok(Claim::Unavailable);
        }
        txn.commit().await?;
        return Ok(Claim::Claimed {
            redemption: attempt.clone(),
            resumed: false,
        });
    }
    let Some(existing) = Entity::find()
        .filter(Column::InviteId.eq(attempt.invite_id.to_string()))
        .filter(Column::PlexAccountId.eq(to_i64(attempt.plex_account_id)))
        .one(&txn)
        .await?
        .map(to_record)
    else {
        txn.rollback().await?;
        return Ok(Claim::InProgress);
    };
    let outcome = match existing.state {
        RedemptionState::Shared => Claim::AlreadyShared(existing),
        RedemptionState::Claimed if existing.claimed_until.is_some_and(|until| until > now) => {
            Claim::InProgress
        }
        RedemptionState::Claimed => {
            // Abandoned: its use is still counted; take it over.
            let redemption = Redemption {
                id: existing.id,
                created_at: existing.created_at,
                ..attempt.clone()
            };
            Entity::update(to_active(&redemption)).exec(&txn).await?;
            Claim::Claimed {
                redemption,
                resumed: true,
            }
        }
        RedemptionState::Failed => {
            if !invites::take_use(&txn, attempt.invite_id, now).await? {
                txn.rollback().await?;
                return Ok(Claim::Unavailable);
            }
            let redemption = Redemption {
                id: existing.id,
                created_at: existing.created_at,
                ..attempt.clone()
            };
            Entity::update(to_active(&redemption)).exec(&txn).await?;
            Claim::Claimed {
                redemption,
                resumed: false,
            }
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

/// Takes over a claim abandoned at `seen_until` (the reconciler's way in): holds it until
/// `until`. Returns `false` when someone else changed it first.
pub async fn take_over(
    db: &Db,
    id: Uuid,
    seen_until: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
) -> Result<bool> {
    let mut update = Entity::update_many()
        .col_expr(Column::ClaimedUntil, until.into())
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::Status.eq(RedemptionState::Claimed.as_str()));
    update = match seen_until {
        Some(seen) => update.filter(Column::ClaimedUntil.eq(seen)),
        None => update.filter(Column::ClaimedUntil.is_null()),
    };
    Ok(update.exec(&db.conn).await?.rows_affected == 1)
}

/// Lets go of a claim at once (its request failed), so a retry or the reconciler need not
/// wait for it to lapse.
pub async fn abandon(db: &Db, id: Uuid, message: &str, now: DateTime<Utc>) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::ClaimedUntil, now.into())
        .col_expr(Column::Message, message.into())
        .col_expr(Column::UpdatedAt, now.into())
        .filter(Column::Id.eq(id.to_string()))
        .filter(Column::Status.eq(RedemptionState::Claimed.as_str()))
        .exec(&db.conn)
        .await?;
    Ok(())
}

/// Marks a claimed redemption failed and gives its use back, in one transaction. Returns
/// whether it was still claimed.
pub async fn release(
    db: &Db,
    redemption: &Redemption,
    message: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let txn = db.conn.begin().await?;
    let changed = Entity::update_many()
        .col_expr(Column::Status, RedemptionState::Failed.as_str().into())
        .col_expr(Column::ClaimedUntil, Option::<DateTime<Utc>>::None.into())
        .col_expr(Column::Message, message.into())
        .col_expr(Column::UpdatedAt, now.into())
        .filter(Column::Id.eq(redemption.id.to_string()))
        .filter(Column::Status.eq(RedemptionState::Claimed.as_str()))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if changed {
        invites::give_back_use(&txn, redemption.invite_id).await?;
    }
    txn.commit().await?;
    Ok(changed)
}

/// Finishes a claimed redemption: writes the user (new or updated) and marks the redemption
/// shared, in one transaction. Returns whether the redemption was still claimed.
pub async fn complete(
    db: &Db,
    redemption: &Redemption,
    user: &User,
    new_user: bool,
    now: DateTime<Utc>,
) -> Result<bool> {
    let txn = db.conn.begin().await?;
    let changed = Entity::update_many()
        .col_expr(Column::Status, RedemptionState::Shared.as_str().into())
        .col_expr(Column::ClaimedUntil, Option::<DateTime<Utc>>::None.into())
        .col_expr(Column::Accepted, redemption.accepted.into())
        .col_expr(Column::Message, redemption.message.clone().into())
        .col_expr(Column::DiscordId, redemption.discord_id.clone().into())
        .col_expr(
            Column::DiscordUsername,
            redemption.discord_username.clone().into(),
        )
        .col_expr(Column::UserId, Some(user.id.to_string()).into())
        .col_expr(Column::UpdatedAt, now.into())
        .filter(Column::Id.eq(redemption.id.to_string()))
        .filter(Column::Status.eq(RedemptionState::Claimed.as_str()))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !changed {
        txn.rollback().await?;
        return Ok(false);
    }
    super::users::save_in(&txn, user, new_user).await?;
    txn.commit().await?;
    Ok(true)
}

/// The redemption of `invite` by `account`.
pub async fn find(db: &Db, invite: Uuid, account: u64) -> Result<Option<Redemption>> {
    Ok(Entity::find()
        .filter(Column::InviteId.eq(invite.to_string()))
        .filter(Column::PlexAccountId.eq(to_i64(account)))
        .one(&db.conn)
        .await?
        .map(to_record))
}

/// An invite's redemptions, newest first.
pub async fn for_invite(db: &Db, invite: Uuid) -> Result<Vec<Redemption>> {
    Ok(Entity::find()
        .filter(Column::InviteId.eq(invite.to_string()))
        .order_by_desc(Column::CreatedAt)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}

/// Claims whose hold lapsed at or before `now`: the request working on them is gone.
pub async fn abandoned(db: &Db, now: DateTime<Utc>) -> Result<Vec<Redemption>> {
    Ok(Entity::find()
        .filter(Column::Status.eq(RedemptionState::Claimed.as_str()))
        .filter(Column::ClaimedUntil.lte(now))
        .order_by_asc(Column::CreatedAt)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(to_record)
        .collect())
}
