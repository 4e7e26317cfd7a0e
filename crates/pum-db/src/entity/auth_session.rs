use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_sessions")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    #[sea_orm(unique)]
    pub(crate) token_hash: String,
    pub(crate) admin_id: String,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) last_seen_at: DateTimeUtc,
    pub(crate) idle_expires_at: DateTimeUtc,
    pub(crate) expires_at: DateTimeUtc,
    pub(crate) ip: Option<String>,
    pub(crate) user_agent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
