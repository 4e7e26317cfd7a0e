//! Sign-in sessions of the admin area. Only the SHA-256 of the session secret is stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_uniq, timestamp_with_time_zone};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261124_000001_create_auth_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuthSessions::Table)
                    .col(string_len(AuthSessions::Id, 36).primary_key())
                    .col(string_len_uniq(AuthSessions::TokenHash, 64))
                    .col(string_len(AuthSessions::Subject, 200))
                    .col(timestamp_with_time_zone(AuthSessions::CreatedAt))
                    .col(timestamp_with_time_zone(AuthSessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_auth_sessions_expires_at")
                    .table(AuthSessions::Table)
                    .col(AuthSessions::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuthSessions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuthSessions {
    Table,
    Id,
    TokenHash,
    Subject,
    CreatedAt,
    ExpiresAt,
}
