use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invite_flows")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    #[sea_orm(unique)]
    pub(crate) flow_hash: String,
    pub(crate) invite_id: String,
    pub(crate) pin_id: Option<i64>,
    pub(crate) pin_expires_at: Option<DateTimeUtc>,
    pub(crate) plex_account_id: Option<i64>,
    pub(crate) plex_username: Option<String>,
    pub(crate) plex_email: Option<String>,
    pub(crate) plex_thumb: Option<String>,
    pub(crate) plex_problem: Option<String>,
    pub(crate) discord_state_hash: Option<String>,
    pub(crate) discord_id: Option<String>,
    pub(crate) discord_username: Option<String>,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
