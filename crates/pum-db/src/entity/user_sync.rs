use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_syncs")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    pub(crate) run_id: Option<String>,
    pub(crate) status: String,
    pub(crate) requested_by: Option<String>,
    pub(crate) queued_at: DateTimeUtc,
    pub(crate) started_at: Option<DateTimeUtc>,
    pub(crate) finished_at: Option<DateTimeUtc>,
    pub(crate) added: i32,
    pub(crate) updated: i32,
    pub(crate) removed: i32,
    pub(crate) unchanged: i32,
    pub(crate) message: Option<String>,
    pub(crate) removals: Option<String>,
    pub(crate) confirmed_removals: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
