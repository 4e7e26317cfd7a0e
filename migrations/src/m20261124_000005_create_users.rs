//! The people who watch the server: users mirrored from plex.tv, the server's libraries with
//! both of their ids, user syncs (with what they found and whether they wait for a
//! confirmation), mass actions on users with a result per user, and an index for a user's
//! events.
//!
//! A user who disappears from Plex keeps their row (`removed_at` is set), so notes, expiry and
//! Discord links survive a bad answer from plex.tv.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, big_integer_uniq, boolean, integer, string_len, string_len_null,
    text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261124_000005_create_users"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_users(manager).await?;
        create_libraries_and_syncs(manager).await?;
        create_batches(manager).await?;
        index(manager, Events::Table, "idx_events_target", Events::Target).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_events_target")
                    .table(Events::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            UserBatchItems::Table.into_iden(),
            UserBatches::Table.into_iden(),
            UserSyncs::Table.into_iden(),
            Libraries::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_users(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Users::Table)
                .col(string_len(Users::Id, 36).primary_key())
                .col(big_integer_uniq(Users::PlexAccountId))
                .col(string_len_null(Users::PlexUuid, 64))
                .col(string_len_null(Users::Username, 200))
                .col(string_len(Users::Title, 200))
                .col(string_len_null(Users::Email, 320))
                .col(text_null(Users::Thumb))
                .col(boolean(Users::Home))
                .col(boolean(Users::Managed))
                .col(big_integer_null(Users::ShareId))
                .col(text(Users::LibraryIds))
                .col(boolean(Users::AllLibraries))
                .col(boolean(Users::AllowSync))
                .col(boolean(Users::AllowChannels))
                .col(boolean(Users::AllowCameraUpload))
                .col(text(Users::FilterMovies))
                .col(text(Users::FilterTelevision))
                .col(text(Users::FilterMusic))
                .col(boolean(Users::Pending))
                .col(boolean(Users::SharesBack))
                .col(timestamp_with_time_zone_null(Users::LastSeenAt))
                .col(text(Users::Notes))
                .col(boolean(Users::Whitelisted))
                .col(timestamp_with_time_zone_null(Users::ExpiresAt))
                .col(string_len_null(Users::DiscordId, 32))
                .col(string_len_null(Users::DiscordUsername, 100))
                .col(timestamp_with_time_zone_null(Users::RemovedAt))
                .col(string_len(Users::SortName, 200))
                .col(text(Users::SearchText))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .to_owned(),
        )
        .await?;
    // One index per list order, ending in the id tie-break, so a page is read from the index
    // instead of sorting every user.
    for (name, column) in [
        ("idx_users_sort_name", Users::SortName),
        ("idx_users_last_seen_at", Users::LastSeenAt),
        ("idx_users_expires_at", Users::ExpiresAt),
        ("idx_users_created_at", Users::CreatedAt),
    ] {
        manager
            .create_index(
                Index::create()
                    .name(name)
                    .table(Users::Table)
                    .col(column)
                    .col(Users::Id)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn create_libraries_and_syncs(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Libraries::Table)
                .col(big_integer(Libraries::TvId).primary_key())
                .col(string_len(Libraries::PmsKey, 32))
                .col(string_len(Libraries::Title, 200))
                .col(string_len(Libraries::Kind, 32))
                .col(integer(Libraries::Position))
                .col(timestamp_with_time_zone(Libraries::UpdatedAt))
                .col(timestamp_with_time_zone_null(Libraries::RemovedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(UserSyncs::Table)
                .col(string_len(UserSyncs::Id, 36).primary_key())
                .col(string_len_null(UserSyncs::RunId, 36))
                .col(string_len(UserSyncs::Status, 32))
                .col(string_len_null(UserSyncs::RequestedBy, 200))
                .col(timestamp_with_time_zone(UserSyncs::QueuedAt))
                .col(timestamp_with_time_zone_null(UserSyncs::StartedAt))
                .col(timestamp_with_time_zone_null(UserSyncs::FinishedAt))
                .col(integer(UserSyncs::Added))
                .col(integer(UserSyncs::Updated))
                .col(integer(UserSyncs::Removed))
                .col(integer(UserSyncs::Unchanged))
                .col(text_null(UserSyncs::Message))
                .col(text_null(UserSyncs::Removals))
                .col(text_null(UserSyncs::ConfirmedRemovals))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        UserSyncs::Table,
        "idx_user_syncs_run",
        UserSyncs::RunId,
    )
    .await?;
    index(
        manager,
        UserSyncs::Table,
        "idx_user_syncs_queued_at",
        UserSyncs::QueuedAt,
    )
    .await
}

async fn create_batches(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(UserBatches::Table)
                .col(string_len(UserBatches::Id, 36).primary_key())
                .col(string_len(UserBatches::RunId, 36))
                .col(text(UserBatches::Action))
                .col(text(UserBatches::Actor))
                .col(string_len(UserBatches::Status, 16))
                .col(timestamp_with_time_zone(UserBatches::CreatedAt))
                .col(timestamp_with_time_zone_null(UserBatches::FinishedAt))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        UserBatches::Table,
        "idx_user_batches_run",
        UserBatches::RunId,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(UserBatchItems::Table)
                .col(string_len(UserBatchItems::BatchId, 36))
                .col(string_len(UserBatchItems::UserId, 36))
                .col(integer(UserBatchItems::Position))
                .col(string_len(UserBatchItems::Label, 200))
                .col(string_len(UserBatchItems::Status, 16))
                .col(text_null(UserBatchItems::Message))
                .primary_key(
                    Index::create()
                        .col(UserBatchItems::BatchId)
                        .col(UserBatchItems::UserId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(UserBatchItems::Table, UserBatchItems::BatchId)
                        .to(UserBatches::Table, UserBatches::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
}

async fn index(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    name: &str,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(column)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    PlexAccountId,
    PlexUuid,
    Username,
    Title,
    Email,
    Thumb,
    Home,
    Managed,
    ShareId,
    LibraryIds,
    AllLibraries,
    AllowSync,
    AllowChannels,
    AllowCameraUpload,
    FilterMovies,
    FilterTelevision,
    FilterMusic,
    Pending,
    SharesBack,
    LastSeenAt,
    Notes,
    Whitelisted,
    ExpiresAt,
    DiscordId,
    DiscordUsername,
    RemovedAt,
    SortName,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Libraries {
    Table,
    TvId,
    PmsKey,
    Title,
    Kind,
    Position,
    UpdatedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum UserSyncs {
    Table,
    Id,
    RunId,
    Status,
    RequestedBy,
    QueuedAt,
    StartedAt,
    FinishedAt,
    Added,
    Updated,
    Removed,
    Unchanged,
    Message,
    Removals,
    ConfirmedRemovals,
}

#[derive(DeriveIden)]
enum UserBatches {
    Table,
    Id,
    RunId,
    Action,
    Actor,
    Status,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum UserBatchItems {
    Table,
    BatchId,
    UserId,
    Position,
    Label,
    Status,
    Message,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Target,
}
