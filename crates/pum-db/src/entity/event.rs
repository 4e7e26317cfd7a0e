use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    pub(crate) at: DateTimeUtc,
    pub(crate) kind: String,
    pub(crate) outcome: String,
    pub(crate) actor_kind: String,
    pub(crate) actor_id: Option<String>,
    pub(crate) actor_name: Option<String>,
    pub(crate) target: Option<String>,
    pub(crate) ip: Option<String>,
    pub(crate) detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
