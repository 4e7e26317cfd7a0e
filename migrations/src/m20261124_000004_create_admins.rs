//! The admin side: admins, roles and their grants, sign-in sessions (re-created with an owner
//! and an idle deadline), API keys, PIN sign-in flows, settings and the event log.
//!
//! Single ownership is a schema rule: the owner holds `owner_slot = 1`, everyone else `NULL`,
//! and the column is unique, so two concurrent setups can never create two owners.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, integer_null, string_len, string_len_null, string_len_uniq, text,
    text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261124_000004_create_admins"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_admins_and_roles(manager).await?;
        recreate_sessions(manager).await?;
        create_keys_flows_settings_events(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Events::Table.into_iden(),
            Settings::Table.into_iden(),
            PlexPinFlows::Table.into_iden(),
            ApiKeys::Table.into_iden(),
            AuthSessions::Table.into_iden(),
            AdminRoles::Table.into_iden(),
            Roles::Table.into_iden(),
            Admins::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
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
            .await
    }
}

async fn recreate_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // Sessions from before admins existed belong to no one; start over.
    manager
        .drop_table(Table::drop().table(AuthSessions::Table).to_owned())
        .await?;
    manager
        .create_table(
            Table::create()
                .table(AuthSessions::Table)
                .col(string_len(AuthSessions::Id, 36).primary_key())
                .col(string_len_uniq(AuthSessions::TokenHash, 64))
                .col(string_len(AuthSessions::AdminId, 36))
                .col(timestamp_with_time_zone(AuthSessions::CreatedAt))
                .col(timestamp_with_time_zone(AuthSessions::LastSeenAt))
                .col(timestamp_with_time_zone(AuthSessions::IdleExpiresAt))
                .col(timestamp_with_time_zone(AuthSessions::ExpiresAt))
                .col(string_len_null(AuthSessions::Ip, 64))
                .col(string_len_null(AuthSessions::UserAgent, 200))
                .foreign_key(&mut cascade(AuthSessions::Table, AuthSessions::AdminId))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        AuthSessions::Table,
        "idx_auth_sessions_admin",
        AuthSessions::AdminId,
    )
    .await?;
    index(
        manager,
        AuthSessions::Table,
        "idx_auth_sessions_expires_at",
        AuthSessions::ExpiresAt,
    )
    .await?;
    Ok(())
}

async fn create_keys_flows_settings_events(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ApiKeys::Table)
                .col(string_len(ApiKeys::Id, 16).primary_key())
                .col(string_len(ApiKeys::Name, 80))
                .col(string_len(ApiKeys::SecretHash, 64))
                .col(string_len(ApiKeys::AdminId, 36))
                .col(text(ApiKeys::Permissions))
                .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                .foreign_key(&mut cascade(ApiKeys::Table, ApiKeys::AdminId))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PlexPinFlows::Table)
                .col(string_len(PlexPinFlows::Id, 36).primary_key())
                .col(string_len_uniq(PlexPinFlows::FlowHash, 64))
                .col(string_len(PlexPinFlows::Purpose, 16))
                .col(big_integer(PlexPinFlows::PinId))
                .col(string_len(PlexPinFlows::PinCode, 64))
                .col(string_len_null(PlexPinFlows::AdminId, 36))
                .col(timestamp_with_time_zone(PlexPinFlows::CreatedAt))
                .col(timestamp_with_time_zone(PlexPinFlows::ExpiresAt))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        PlexPinFlows::Table,
        "idx_plex_pin_flows_expires_at",
        PlexPinFlows::ExpiresAt,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(Settings::Table)
                .col(string_len(Settings::Key, 100).primary_key())
                .col(text(Settings::Value))
                .col(timestamp_with_time_zone(Settings::UpdatedAt))
                .col(string_len_null(Settings::UpdatedBy, 80))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(Events::Table)
                .col(string_len(Events::Id, 36).primary_key())
                .col(timestamp_with_time_zone(Events::At))
                .col(string_len(Events::Kind, 64))
                .col(string_len(Events::Outcome, 16))
                .col(string_len(Events::ActorKind, 16))
                .col(string_len_null(Events::ActorId, 36))
                .col(string_len_null(Events::ActorName, 200))
                .col(string_len_null(Events::Target, 200))
                .col(string_len_null(Events::Ip, 64))
                .col(text_null(Events::Detail))
                .to_owned(),
        )
        .await?;
    index(manager, Events::Table, "idx_events_at", Events::At).await?;
    index(manager, Events::Table, "idx_events_kind", Events::Kind).await
}

async fn create_admins_and_roles(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Admins::Table)
                .col(string_len(Admins::Id, 36).primary_key())
                .col(string_len(Admins::Username, 80))
                .col(string_len_uniq(Admins::UsernameKey, 80))
                .col(text_null(Admins::PasswordHash))
                .col(integer_null(Admins::OwnerSlot).unique_key())
                .col(
                    ColumnDef::new(Admins::PlexAccountId)
                        .big_integer()
                        .null()
                        .unique_key(),
                )
                .col(string_len_null(Admins::PlexUsername, 200))
                .col(text_null(Admins::PlexThumb))
                .col(string_len_null(Admins::Email, 200))
                .col(boolean(Admins::MustChangePassword).default(false))
                .col(timestamp_with_time_zone(Admins::CreatedAt))
                .col(timestamp_with_time_zone_null(Admins::LastSignInAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(Roles::Table)
                .col(string_len(Roles::Id, 36).primary_key())
                .col(string_len(Roles::Name, 80))
                .col(string_len_uniq(Roles::NameKey, 80))
                .col(string_len(Roles::Description, 300).default(""))
                .col(text(Roles::Permissions))
                .col(timestamp_with_time_zone(Roles::CreatedAt))
                .col(timestamp_with_time_zone(Roles::UpdatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(AdminRoles::Table)
                .col(string_len(AdminRoles::AdminId, 36))
                .col(string_len(AdminRoles::RoleId, 36))
                .primary_key(
                    Index::create()
                        .col(AdminRoles::AdminId)
                        .col(AdminRoles::RoleId),
                )
                .foreign_key(&mut cascade(AdminRoles::Table, AdminRoles::AdminId))
                .foreign_key(
                    ForeignKey::create()
                        .from(AdminRoles::Table, AdminRoles::RoleId)
                        .to(Roles::Table, Roles::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        AdminRoles::Table,
        "idx_admin_roles_role",
        AdminRoles::RoleId,
    )
    .await
}

/// A foreign key from `table.column` to `admins.id` that deletes the row with its admin.
fn cascade(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Admins::Table, Admins::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
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
enum Admins {
    Table,
    Id,
    Username,
    UsernameKey,
    PasswordHash,
    OwnerSlot,
    PlexAccountId,
    PlexUsername,
    PlexThumb,
    Email,
    MustChangePassword,
    CreatedAt,
    LastSignInAt,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    Name,
    NameKey,
    Description,
    Permissions,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AdminRoles {
    Table,
    AdminId,
    RoleId,
}

#[derive(DeriveIden)]
enum AuthSessions {
    Table,
    Id,
    TokenHash,
    AdminId,
    Subject,
    CreatedAt,
    LastSeenAt,
    IdleExpiresAt,
    ExpiresAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    Name,
    SecretHash,
    AdminId,
    Permissions,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum PlexPinFlows {
    Table,
    Id,
    FlowHash,
    Purpose,
    PinId,
    PinCode,
    AdminId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    At,
    Kind,
    Outcome,
    ActorKind,
    ActorId,
    ActorName,
    Target,
    Ip,
    Detail,
}
