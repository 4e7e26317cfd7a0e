//! Invites: links an admin makes (a random token stored only as an HMAC, plus a sealed copy so
//! admins can see the link again, or a custom path unique ignoring case), their redemptions
//! (one row per invite and plex.tv account, so an account is counted once), and the invite
//! page's sign-in flows (bound to one browser; the invitee's Plex token is never stored).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, integer, integer_null, string_len, string_len_null,
    text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261124_000006_create_invites"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_invites(manager).await?;
        create_redemptions(manager).await?;
        create_flows(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InviteFlows::Table.into_iden(),
            InviteRedemptions::Table.into_iden(),
            Invites::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_invites(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Invites::Table)
                .col(string_len(Invites::Id, 36).primary_key())
                .col(string_len_null(Invites::TokenHash, 64).unique_key())
                .col(text_null(Invites::TokenSealed))
                .col(string_len_null(Invites::CustomPath, 64))
                .col(string_len_null(Invites::CustomPathKey, 64).unique_key())
                .col(text(Invites::Note))
                .col(timestamp_with_time_zone_null(Invites::ExpiresAt))
                .col(integer_null(Invites::MaxUses))
                .col(integer(Invites::Uses).default(0))
                .col(boolean(Invites::AllLibraries))
                .col(text(Invites::LibraryIds))
                .col(boolean(Invites::AllowDownloads))
                .col(integer_null(Invites::MembershipDays))
                .col(string_len_null(Invites::DiscordLinking, 16))
                .col(boolean(Invites::RequireGuild))
                .col(timestamp_with_time_zone_null(Invites::DisabledAt))
                .col(string_len_null(Invites::CreatedBy, 200))
                .col(timestamp_with_time_zone(Invites::CreatedAt))
                .col(timestamp_with_time_zone(Invites::UpdatedAt))
                .check(Expr::col(Invites::Uses).gte(0))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        Invites::Table,
        "idx_invites_created_at",
        Invites::CreatedAt,
    )
    .await
}

async fn create_redemptions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(InviteRedemptions::Table)
                .col(string_len(InviteRedemptions::Id, 36).primary_key())
                .col(string_len(InviteRedemptions::InviteId, 36))
                .col(big_integer(InviteRedemptions::PlexAccountId))
                .col(string_len(InviteRedemptions::Username, 200))
                .col(string_len_null(InviteRedemptions::Email, 320))
                .col(text_null(InviteRedemptions::Thumb))
                .col(string_len_null(InviteRedemptions::DiscordId, 32))
                .col(string_len_null(InviteRedemptions::DiscordUsername, 100))
                .col(string_len_null(InviteRedemptions::Ip, 64))
                .col(string_len(InviteRedemptions::Status, 16))
                .col(timestamp_with_time_zone_null(
                    InviteRedemptions::ClaimedUntil,
                ))
                .col(boolean(InviteRedemptions::Accepted))
                .col(text(InviteRedemptions::Message))
                .col(string_len_null(InviteRedemptions::UserId, 36))
                .col(timestamp_with_time_zone(InviteRedemptions::CreatedAt))
                .col(timestamp_with_time_zone(InviteRedemptions::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(InviteRedemptions::Table, InviteRedemptions::InviteId)
                        .to(Invites::Table, Invites::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    // One redemption per invite and account: the same account is counted once however often,
    // and however concurrently, it redeems.
    manager
        .create_index(
            Index::create()
                .name("uq_invite_redemptions_account")
                .table(InviteRedemptions::Table)
                .col(InviteRedemptions::InviteId)
                .col(InviteRedemptions::PlexAccountId)
                .unique()
                .to_owned(),
        )
        .await?;
    index(
        manager,
        InviteRedemptions::Table,
        "idx_invite_redemptions_status",
        InviteRedemptions::Status,
    )
    .await
}

async fn create_flows(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(InviteFlows::Table)
                .col(string_len(InviteFlows::Id, 36).primary_key())
                .col(string_len(InviteFlows::FlowHash, 64).unique_key())
                .col(string_len(InviteFlows::InviteId, 36))
                .col(big_integer_null(InviteFlows::PinId))
                .col(timestamp_with_time_zone_null(InviteFlows::PinExpiresAt))
                .col(big_integer_null(InviteFlows::PlexAccountId))
                .col(string_len_null(InviteFlows::PlexUsername, 200))
                .col(string_len_null(InviteFlows::PlexEmail, 320))
                .col(text_null(InviteFlows::PlexThumb))
                .col(text_null(InviteFlows::PlexProblem))
                .col(string_len_null(InviteFlows::DiscordStateHash, 64))
                .col(string_len_null(InviteFlows::DiscordId, 32))
                .col(string_len_null(InviteFlows::DiscordUsername, 100))
                .col(timestamp_with_time_zone(InviteFlows::CreatedAt))
                .col(timestamp_with_time_zone(InviteFlows::ExpiresAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(InviteFlows::Table, InviteFlows::InviteId)
                        .to(Invites::Table, Invites::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        InviteFlows::Table,
        "idx_invite_flows_expires_at",
        InviteFlows::ExpiresAt,
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
enum Invites {
    Table,
    Id,
    TokenHash,
    TokenSealed,
    CustomPath,
    CustomPathKey,
    Note,
    ExpiresAt,
    MaxUses,
    Uses,
    AllLibraries,
    LibraryIds,
    AllowDownloads,
    MembershipDays,
    DiscordLinking,
    RequireGuild,
    DisabledAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InviteRedemptions {
    Table,
    Id,
    InviteId,
    PlexAccountId,
    Username,
    Email,
    Thumb,
    DiscordId,
    DiscordUsername,
    Ip,
    Status,
    ClaimedUntil,
    Accepted,
    Message,
    UserId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InviteFlows {
    Table,
    Id,
    FlowHash,
    InviteId,
    PinId,
    PinExpiresAt,
    PlexAccountId,
    PlexUsername,
    PlexEmail,
    PlexThumb,
    PlexProblem,
    DiscordStateHash,
    DiscordId,
    DiscordUsername,
    CreatedAt,
    ExpiresAt,
}
