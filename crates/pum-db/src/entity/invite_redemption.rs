use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invite_redemptions")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    pub(crate) invite_id: String,
    pub(crate) plex_account_id: i64,
    pub(crate) username: String,
    pub(crate) email: Option<String>,
    pub(crate) thumb: Option<String>,
    pub(crate) discord_id: Option<String>,
    pub(crate) discord_username: Option<String>,
    pub(crate) ip: Option<String>,
    pub(crate) status: String,
    pub(crate) claimed_until: Option<DateTimeUtc>,
    pub(crate) accepted: bool,
    pub(crate) message: String,
    pub(crate) user_id: Option<String>,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
