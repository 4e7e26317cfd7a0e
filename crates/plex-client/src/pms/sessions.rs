//! `GET /status/sessions` and terminate (plex-api.md §6.4, §6.6).

use reqwest::Method;
use serde::Deserialize;

use super::{Envelope, Pms, XmlItem};
use crate::transport::Family;
use crate::value::json_id;
use crate::{PlexAccountId, PmsSectionKey, PmsSessionId, PmsSessionKey, Result};

/// Who is watching, as the server names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// PMS account 1: the server owner (their plex.tv id never appears in sessions).
    Owner,
    /// Anyone else, by plex.tv account id.
    Account(PlexAccountId),
}

/// A playback in progress. Background theme music is never listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// `sessionKey`.
    pub key: PmsSessionKey,
    /// `Session@id`, needed to terminate; some sessions have none.
    pub id: Option<PmsSessionId>,
    /// `movie`, `episode`, `track`, `photo`, `clip`.
    pub kind: String,
    /// Item title.
    pub title: String,
    /// Show or artist.
    pub grandparent_title: Option<String>,
    /// PMS key of the item's library.
    pub library_section: Option<PmsSectionKey>,
    /// Length in milliseconds.
    pub duration_ms: Option<u64>,
    /// Position in milliseconds.
    pub view_offset_ms: Option<u64>,
    /// The viewer.
    pub viewer: Viewer,
    /// The viewer's title.
    pub viewer_title: String,
    /// `playing`, `paused`, `buffering`; anything else reads as `stopped`.
    pub state: String,
    /// Client product, e.g. "Plex Web".
    pub product: String,
    /// Client platform.
    pub platform: String,
    /// Device name.
    pub device: String,
    /// Client IP, with any `::ffff:` prefix removed.
    pub address: String,
    /// On the server's LAN (`Session@location`, else `Player@local`).
    pub local: bool,
    /// Bandwidth in kbps, when known.
    pub bandwidth_kbps: Option<u64>,
    /// The transcoder; `None` means direct play.
    pub transcode: Option<Transcode>,
}

/// A session's transcoder.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcode {
    /// `transcode` or `copy`.
    pub video_decision: Option<String>,
    /// `transcode` or `copy`.
    pub audio_decision: Option<String>,
    /// Buffer progress in percent: **not** the playback position.
    pub buffer_progress: Option<f64>,
    /// Speed multiple; 0 while throttled.
    pub speed: Option<f64>,
    /// Throttled.
    pub throttled: bool,
}

impl Session {
    /// Playback progress in `[0, 1]` from `viewOffset / duration` (never the transcoder's
    /// buffer progress).
    pub fn progress(&self) -> Option<f64> {
        let (offset, duration) = (self.view_offset_ms?, self.duration_ms?);
        if duration == 0 {
            return None;
        }
        #[expect(clippy::cast_precision_loss, reason = "media lengths in ms fit an f64")]
        Some((offset as f64 / duration as f64).clamp(0.0, 1.0))
    }

    /// Video or audio is being transcoded (a `copy` remux is not).
    pub fn is_transcoding(&self) -> bool {
        self.transcode.as_ref().is_some_and(|t| {
            t.video_decision.as_deref() == Some("transcode")
                || t.audio_decision.as_deref() == Some("transcode")
        })
    }
}

/// JSON: `MediaContainer.Metadata[]`, absent when nothing plays (§6.4).
#[derive(Deserialize)]
struct JsonContainer {
    #[serde(rename = "Metadata", default)]
    metadata: Vec<WireItem>,
}

/// XML: `<Video>`, `<Track>` and `<Photo>` children of `<MediaContainer>`.
#[derive(Deserialize)]
struct XmlContainer {
    #[serde(rename = "$value", default)]
    items: Vec<XmlItem<WireItem>>,
}

/// One playback; the `@` aliases read the XML attributes of the same names.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireItem {
    #[serde(alias = "@sessionKey")]
    session_key: Option<serde_json::Value>,
    #[serde(rename = "type", alias = "@type", default)]
    kind: String,
    #[serde(alias = "@title", default)]
    title: String,
    #[serde(alias = "@grandparentTitle")]
    grandparent_title: Option<String>,
    #[serde(rename = "librarySectionID", alias = "@librarySectionID")]
    library_section_id: Option<serde_json::Value>,
    #[serde(alias = "@duration")]
    duration: Option<u64>,
    #[serde(alias = "@viewOffset")]
    view_offset: Option<u64>,
    #[serde(alias = "@guid")]
    guid: Option<String>,
    #[serde(rename = "User")]
    user: Option<WireUser>,
    #[serde(rename = "Player")]
    player: Option<WirePlayer>,
    #[serde(rename = "Session")]
    session: Option<WireSession>,
    #[serde(rename = "TranscodeSession")]
    transcode: Option<WireTranscode>,
}

#[derive(Deserialize)]
struct WireUser {
    #[serde(alias = "@id")]
    id: Option<serde_json::Value>,
    #[serde(alias = "@title", default)]
    title: String,
}

#[derive(Deserialize, Default)]
struct WirePlayer {
    #[serde(alias = "@address", default)]
    address: String,
    #[serde(alias = "@product", default)]
    product: String,
    #[serde(alias = "@platform", default)]
    platform: String,
    #[serde(alias = "@title", default)]
    title: String,
    #[serde(alias = "@state", default)]
    state: String,
    #[serde(alias = "@local")]
    local: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct WireSession {
    #[serde(alias = "@id")]
    id: Option<String>,
    #[serde(alias = "@bandwidth")]
    bandwidth: Option<u64>,
    #[serde(alias = "@location")]
    location: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireTranscode {
    #[serde(alias = "@key", default)]
    key: String,
    #[serde(alias = "@videoDecision")]
    video_decision: Option<String>,
    #[serde(alias = "@audioDecision")]
    audio_decision: Option<String>,
    #[serde(alias = "@progress")]
    progress: Option<f64>,
    #[serde(alias = "@speed")]
    speed: Option<f64>,
    #[serde(alias = "@throttled")]
    throttled: Option<serde_json::Value>,
}

impl WireTranscode {
    fn convert(self) -> Transcode {
        Transcode {
            video_decision: self.video_decision,
            audio_decision: self.audio_decision,
            buffer_progress: self.progress,
            speed: self.speed,
            throttled: truthy(self.throttled.as_ref()),
        }
    }
}

/// `GET /transcode/sessions`: JSON `MediaContainer.TranscodeSession[]`, XML bare
/// `<TranscodeSession>` children.
#[derive(Deserialize)]
struct TranscodeContainer {
    #[serde(rename = "TranscodeSession", default)]
    items: Vec<WireTranscode>,
}

/// A transcoder as `GET /transcode/sessions` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscodeJob {
    /// `/transcode/sessions/{id}`.
    pub key: String,
    /// What it does.
    pub transcode: Transcode,
}

fn truthy(value: Option<&serde_json::Value>) -> bool {
    crate::value::boolish(value)
}

fn convert(item: WireItem) -> Option<Session> {
    // Background theme music is not a viewer's session (§6.4).
    if item
        .guid
        .as_deref()
        .is_some_and(|g| g.starts_with("library://"))
    {
        return None;
    }
    let key = PmsSessionKey::new(json_id(item.session_key.as_ref())?);
    let user = item.user.unwrap_or(WireUser {
        id: None,
        title: String::new(),
    });
    let viewer = match json_id(user.id.as_ref()).and_then(|id| id.parse::<u64>().ok()) {
        Some(1) | None => Viewer::Owner,
        Some(id) => Viewer::Account(PlexAccountId::new(id)),
    };
    let player = item.player.unwrap_or_default();
    let local = match item.session.as_ref().and_then(|s| s.location.as_deref()) {
        Some(location) => location == "lan",
        None => truthy(player.local.as_ref()),
    };
    let state = match player.state.as_str() {
        "playing" | "paused" | "buffering" => player.state.clone(),
        _ => "stopped".to_owned(),
    };
    Some(Session {
        key,
        id: item
            .session
            .as_ref()
            .and_then(|s| s.id.clone())
            .filter(|id| !id.is_empty())
            .map(PmsSessionId::new),
        kind: item.kind,
        title: item.title,
        grandparent_title: item.grandparent_title,
        library_section: json_id(item.library_section_id.as_ref()).map(PmsSectionKey::new),
        duration_ms: item.duration,
        view_offset_ms: item.view_offset,
        viewer,
        viewer_title: user.title,
        state,
        product: player.product,
        platform: player.platform,
        device: player.title,
        address: player
            .address
            .strip_prefix("::ffff:")
            .unwrap_or(&player.address)
            .to_owned(),
        local,
        bandwidth_kbps: item.session.as_ref().and_then(|s| s.bandwidth),
        transcode: item.transcode.map(WireTranscode::convert),
    })
}

impl Pms {
    /// `GET /status/sessions`: what is playing now (owner token needed).
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] without the owner's token, or any other error.
    pub async fn sessions(&self) -> Result<Vec<Session>> {
        const ENDPOINT: &str = "GET /status/sessions";
        let items = self.get(ENDPOINT, "/status/sessions", &[]).await?.decode(
            ENDPOINT,
            |json: Envelope<JsonContainer>| json.container.metadata,
            |xml: XmlContainer| xml.items.into_iter().map(XmlItem::into_inner).collect(),
        )?;
        Ok(items.into_iter().filter_map(convert).collect())
    }

    /// `GET /transcode/sessions`: the transcoders running now (owner token needed).
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] without the owner's token, or any other error.
    pub async fn transcode_sessions(&self) -> Result<Vec<TranscodeJob>> {
        const ENDPOINT: &str = "GET /transcode/sessions";
        let items = self
            .get(ENDPOINT, "/transcode/sessions", &[])
            .await?
            .decode(
                ENDPOINT,
                |json: Envelope<TranscodeContainer>| json.container.items,
                |xml: TranscodeContainer| xml.items,
            )?;
        Ok(items
            .into_iter()
            .map(|t| TranscodeJob {
                key: t.key.clone(),
                transcode: t.convert(),
            })
            .collect())
    }

    /// Ends the playback `id` and shows `reason` to the viewer. Uses GET, as the mature
    /// clients do; needs the owner's Plex Pass.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when no such session plays,
    /// [`crate::Error::Unauthorized`] without Plex Pass or the owner's token, or any other error.
    pub async fn terminate_session(&self, id: &PmsSessionId, reason: &str) -> Result<()> {
        let url = self.url("/status/sessions/terminate");
        self.transport
            .send("GET /status/sessions/terminate", Family::Pms, false, || {
                self.transport
                    .request(Method::GET, &url, self.token.as_ref())
                    .query(&[("sessionId", id.as_str()), ("reason", reason)])
            })
            .await?;
        Ok(())
    }
}
