use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invites")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    #[sea_orm(unique)]
    pub(crate) token_hash: Option<String>,
    pub(crate) token_sealed: Option<String>,
    pub(crate) custom_path: Option<String>,
    #[sea_orm(unique)]
    pub(crate) custom_path_key: Option<String>,
    pub(crate) note: String,
    pub(crate) expires_at: Option<DateTimeUtc>,
    pub(crate) max_uses: Option<i32>,
    pub(crate) uses: i32,
    pub(crate) all_libraries: bool,
    pub(crate) library_ids: String,
    pub(crate) allow_downloads: bool,
    pub(crate) membership_days: Option<i32>,
    pub(crate) discord_linking: Option<String>,
    pub(crate) require_guild: bool,
    pub(crate) disabled_at: Option<DateTimeUtc>,
    pub(crate) created_by: Option<String>,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
