//! Live sessions of the simulated PMS (plex-api.md §6.4, §8.19–8.20).

/// What is playing.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct LiveSession {
    /// `sessionKey`: small integer, per playback.
    pub session_key: u32,
    /// `Session@id`, the terminate key; some sessions have no `<Session>` at all.
    pub session_id: Option<String>,
    /// `movie`, `episode`, `track`, `photo` or `clip`.
    pub kind: String,
    /// Item title.
    pub title: String,
    /// Show or artist.
    pub grandparent_title: Option<String>,
    /// PMS key of the library.
    pub library_key: u32,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// Position in milliseconds.
    pub view_offset_ms: u64,
    /// PMS account id: 1 for the owner, else the plex.tv id.
    pub user_id: u64,
    /// The user's title.
    pub user_title: String,
    /// `playing`, `paused` or `buffering`.
    pub state: String,
    /// Client product, e.g. "Plex Web".
    pub product: String,
    /// Client platform.
    pub platform: String,
    /// Device name.
    pub device: String,
    /// Client address, possibly `::ffff:`-prefixed.
    pub address: String,
    /// On the LAN.
    pub local: bool,
    /// Kbps.
    pub bandwidth: u32,
    /// The transcoder, absent for direct play.
    pub transcode: Option<Transcode>,
    /// Background theme music (`guid="library://…"`) that clients must ignore.
    pub theme_music: bool,
}

/// A transcoder attached to a session.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Transcode {
    /// `transcode` or `copy`.
    pub video_decision: String,
    /// `transcode` or `copy`.
    pub audio_decision: String,
    /// Buffer progress in percent: not the playback position.
    pub progress: f64,
    /// Speed multiple; 0 while throttled.
    pub speed: f64,
    /// Throttled.
    pub throttled: bool,
    /// Bytes; can be negative while transcoding.
    pub size: i64,
}

/// The demo's live sessions: direct play, a transcode whose buffer progress is far from the
/// playback position, music, a session without `<Session>`, and theme music.
pub(crate) fn demo() -> Vec<LiveSession> {
    let base = |key: u32, user_id: u64, user: &str| LiveSession {
        session_key: key,
        session_id: Some(format!("sess{key:04}abcdefghijklmnopqrst")),
        kind: "movie".to_owned(),
        title: String::new(),
        grandparent_title: None,
        library_key: 1,
        duration_ms: 7_200_000,
        view_offset_ms: 0,
        user_id,
        user_title: user.to_owned(),
        state: "playing".to_owned(),
        product: "Plex Web".to_owned(),
        platform: "Chrome".to_owned(),
        device: "Plex Web (Chrome)".to_owned(),
        address: "192.168.1.20".to_owned(),
        local: true,
        bandwidth: 8000,
        transcode: None,
        theme_music: false,
    };
    vec![
        LiveSession {
            title: "The Grand Budapest Hotel".to_owned(),
            view_offset_ms: 3_100_000,
            ..base(11, 2_000_001, "alice")
        },
        LiveSession {
            kind: "episode".to_owned(),
            title: "Shiva".to_owned(),
            grandparent_title: Some("Talking Dead".to_owned()),
            library_key: 2,
            duration_ms: 2_556_288,
            view_offset_ms: 1_993_904,
            state: "paused".to_owned(),
            product: "Plex for Android".to_owned(),
            platform: "Android".to_owned(),
            device: "note 5".to_owned(),
            address: "::ffff:10.0.0.5".to_owned(),
            local: false,
            bandwidth: 4000,
            transcode: Some(Transcode {
                video_decision: "copy".to_owned(),
                audio_decision: "transcode".to_owned(),
                progress: 96.4,
                speed: 0.0,
                throttled: true,
                size: -22,
            }),
            ..base(12, 2_000_002, "bob")
        },
        LiveSession {
            kind: "track".to_owned(),
            title: "Grammys (feat. Future)".to_owned(),
            grandparent_title: Some("Drake".to_owned()),
            library_key: 3,
            duration_ms: 220_497,
            view_offset_ms: 117_412,
            product: "Plexamp".to_owned(),
            platform: "iOS".to_owned(),
            device: "iPhone".to_owned(),
            bandwidth: 320,
            ..base(13, 2_000_003, "carol")
        },
        LiveSession {
            session_id: None,
            kind: "episode".to_owned(),
            title: "Pilot".to_owned(),
            grandparent_title: Some("Northern Exposure".to_owned()),
            library_key: 2,
            duration_ms: 2_880_000,
            view_offset_ms: 600_000,
            product: "Plex for Roku".to_owned(),
            platform: "Roku".to_owned(),
            device: "Living Room".to_owned(),
            ..base(14, 1, "demo-owner")
        },
        LiveSession {
            kind: "track".to_owned(),
            title: "Theme".to_owned(),
            library_key: 2,
            duration_ms: 30_000,
            view_offset_ms: 4_000,
            theme_music: true,
            ..base(15, 1, "demo-owner")
        },
    ]
}

/// One played item in the server's watch history (plex-api.md §6.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Entry id (`historyKey` = `/status/sessions/history/{id}`).
    pub id: u64,
    /// Item `ratingKey`.
    pub rating_key: u64,
    /// Item title.
    pub title: String,
    /// `movie`, `episode`, `track`.
    pub kind: String,
    /// PMS key of the library.
    pub library_key: u32,
    /// Seconds since 1970.
    pub viewed_at: u64,
    /// PMS account id (1 = owner).
    pub account_id: u64,
    /// Device id.
    pub device_id: u64,
}

/// 90 days of history ending at `end` (epoch seconds): three plays a day, spread over the
/// owner and `friends`.
pub(crate) fn demo_history(end: u64, friends: &[u64]) -> Vec<HistoryEntry> {
    const TITLES: [(&str, &str, u32); 3] = [
        ("The Grand Budapest Hotel", "movie", 1),
        ("Pilot", "episode", 2),
        ("Grammys (feat. Future)", "track", 3),
    ];
    let mut out = Vec::new();
    for day in 0..90u64 {
        for slot in 0..3u64 {
            let n = day * 3 + slot;
            let index = usize::try_from(n % 3).unwrap_or(0);
            let (title, kind, library_key) = TITLES[index];
            let account_id = if n % 4 == 0 || friends.is_empty() {
                1
            } else {
                friends[usize::try_from(n).unwrap_or(0) % friends.len()]
            };
            out.push(HistoryEntry {
                id: 10_000 + n,
                rating_key: 1_000 + n % 17,
                title: title.to_owned(),
                kind: kind.to_owned(),
                library_key,
                viewed_at: end - day * 86_400 - slot * 3_600,
                account_id,
                device_id: 1 + n % 5,
            });
        }
    }
    out
}
