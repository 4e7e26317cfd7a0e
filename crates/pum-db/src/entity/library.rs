use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "libraries")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) tv_id: i64,
    pub(crate) pms_key: String,
    pub(crate) title: String,
    pub(crate) kind: String,
    pub(crate) position: i32,
    pub(crate) updated_at: DateTimeUtc,
    pub(crate) removed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
