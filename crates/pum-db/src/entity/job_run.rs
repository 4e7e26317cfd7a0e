use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_runs")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    pub(crate) job: String,
    pub(crate) trigger: String,
    #[sea_orm(unique)]
    pub(crate) tick_key: Option<String>,
    pub(crate) status: String,
    pub(crate) queued_at: DateTimeUtc,
    pub(crate) started_at: Option<DateTimeUtc>,
    pub(crate) finished_at: Option<DateTimeUtc>,
    pub(crate) attempts: i32,
    pub(crate) detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
