use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
#[expect(clippy::struct_excessive_bools, reason = "one column per Plex flag")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: String,
    pub(crate) plex_account_id: i64,
    pub(crate) plex_uuid: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) title: String,
    pub(crate) email: Option<String>,
    pub(crate) thumb: Option<String>,
    pub(crate) home: bool,
    pub(crate) managed: bool,
    pub(crate) share_id: Option<i64>,
    pub(crate) library_ids: String,
    pub(crate) all_libraries: bool,
    pub(crate) allow_sync: bool,
    pub(crate) allow_channels: bool,
    pub(crate) allow_camera_upload: bool,
    pub(crate) filter_movies: String,
    pub(crate) filter_television: String,
    pub(crate) filter_music: String,
    pub(crate) pending: bool,
    pub(crate) shares_back: bool,
    pub(crate) last_seen_at: Option<DateTimeUtc>,
    pub(crate) notes: String,
    pub(crate) whitelisted: bool,
    pub(crate) expires_at: Option<DateTimeUtc>,
    pub(crate) discord_id: Option<String>,
    pub(crate) discord_username: Option<String>,
    pub(crate) removed_at: Option<DateTimeUtc>,
    pub(crate) sort_name: String,
    pub(crate) search_text: String,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
