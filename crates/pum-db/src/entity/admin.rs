use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admins")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    pub(crate) username: String,
    #[sea_orm(unique)]
    pub(crate) username_key: String,
    pub(crate) password_hash: Option<String>,
    #[sea_orm(unique)]
    pub(crate) owner_slot: Option<i32>,
    #[sea_orm(unique)]
    pub(crate) plex_account_id: Option<i64>,
    pub(crate) plex_username: Option<String>,
    pub(crate) plex_thumb: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) must_change_password: bool,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) last_sign_in_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
