//! One row per run of a background job. `tick_key` is unique: it is how a scheduled tick is
//! claimed exactly once when several pum instances share one database.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, string_len, string_len_null, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261124_000002_create_job_runs"
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
                    .table(JobRuns::Table)
                    .col(string_len(JobRuns::Id, 36).primary_key())
                    .col(string_len(JobRuns::Job, 64))
                    .col(string_len(JobRuns::Trigger, 16))
                    .col(string_len_null(JobRuns::TickKey, 128).unique_key())
                    .col(string_len(JobRuns::Status, 16))
                    .col(timestamp_with_time_zone(JobRuns::QueuedAt))
                    .col(timestamp_with_time_zone_null(JobRuns::StartedAt))
                    .col(timestamp_with_time_zone_null(JobRuns::FinishedAt))
                    .col(integer(JobRuns::Attempts).default(0))
                    .col(text_null(JobRuns::Detail))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_job_runs_job_queued_at")
                    .table(JobRuns::Table)
                    .col(JobRuns::Job)
                    .col(JobRuns::QueuedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobRuns::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum JobRuns {
    Table,
    Id,
    Job,
    Trigger,
    TickKey,
    Status,
    QueuedAt,
    StartedAt,
    FinishedAt,
    Attempts,
    Detail,
}
