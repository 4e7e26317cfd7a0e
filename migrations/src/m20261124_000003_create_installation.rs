//! The installation: one row holding what makes this pum itself — the Plex client identifier
//! it was given on first start (plex-api.md §0.2) and the check value that proves the secret
//! key is the one its secrets were sealed with (security-reliability.md §4.3).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, string_len, text, timestamp_with_time_zone};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261124_000003_create_installation"
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
                    .table(Installation::Table)
                    .col(integer(Installation::Id).primary_key())
                    .col(string_len(Installation::ClientIdentifier, 64))
                    .col(string_len(Installation::KeyId, 16))
                    .col(text(Installation::KeyCheck))
                    .col(timestamp_with_time_zone(Installation::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Installation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Installation {
    Table,
    Id,
    ClientIdentifier,
    KeyId,
    KeyCheck,
    CreatedAt,
}
