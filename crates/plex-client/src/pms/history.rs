//! `GET /status/sessions/history/all` with paging (plex-api.md §6.5, §6.8).

use reqwest::Method;
use serde::Deserialize;

use super::sessions::Viewer;
use super::{Envelope, Pms, XmlItem};
use crate::transport::Family;
use crate::value::json_id;
use crate::{PlexAccountId, PmsSectionKey, Result};

/// Items per page.
const PAGE: usize = 100;

/// Which history to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryQuery {
    /// Only plays at or after this time (seconds since 1970).
    pub since: Option<u64>,
    /// Only this viewer's plays.
    pub viewer: Option<Viewer>,
    /// Only this library's plays.
    pub library: Option<PmsSectionKey>,
}

/// One play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    /// `historyKey`; `DELETE` on it removes the entry.
    pub history_key: String,
    /// Item `ratingKey`.
    pub rating_key: Option<String>,
    /// Item title.
    pub title: String,
    /// `movie`, `episode`, `track`, …
    pub kind: String,
    /// PMS key of the library.
    pub library_section: Option<PmsSectionKey>,
    /// When it was played, seconds since 1970.
    pub viewed_at: Option<u64>,
    /// Who played it.
    pub viewer: Viewer,
    /// The device id.
    pub device_id: Option<u64>,
}

/// A history page in JSON: `MediaContainer` with `Metadata[]`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonPage {
    #[serde(default)]
    size: Option<usize>,
    #[serde(default)]
    total_size: Option<usize>,
    #[serde(rename = "Metadata", default)]
    metadata: Vec<WireItem>,
}

/// The same page in XML: container attributes and `<Video>`/`<Track>`/`<Photo>` children.
#[derive(Deserialize)]
struct XmlPage {
    #[serde(rename = "@size", default)]
    size: Option<usize>,
    #[serde(rename = "@totalSize", default)]
    total_size: Option<usize>,
    #[serde(rename = "$value", default)]
    items: Vec<XmlItem<WireItem>>,
}

/// (`size`, `totalSize`, items) of one page in either format.
type Page = (Option<usize>, Option<usize>, Vec<WireItem>);

/// One play; the `@` aliases read XML attributes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireItem {
    #[serde(alias = "@historyKey", default)]
    history_key: String,
    #[serde(alias = "@ratingKey")]
    rating_key: Option<serde_json::Value>,
    #[serde(alias = "@title", default)]
    title: String,
    #[serde(rename = "type", alias = "@type", default)]
    kind: String,
    #[serde(rename = "librarySectionID", alias = "@librarySectionID")]
    library_section_id: Option<serde_json::Value>,
    #[serde(alias = "@viewedAt")]
    viewed_at: Option<u64>,
    #[serde(rename = "accountID", alias = "@accountID")]
    account_id: Option<u64>,
    #[serde(rename = "deviceID", alias = "@deviceID")]
    device_id: Option<u64>,
}

impl Pms {
    /// Every play matching `query`, newest first, fetched a page of 100 at a time.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] without the owner's token, or any other error.
    pub async fn history(&self, query: &HistoryQuery) -> Result<Vec<HistoryItem>> {
        const ENDPOINT: &str = "GET /status/sessions/history/all";
        let mut params: Vec<(String, String)> = vec![("sort".into(), "viewedAt:desc".into())];
        if let Some(since) = query.since {
            // python-plexapi's form: the `>` belongs to the key (§6.5).
            params.push(("viewedAt>".into(), since.to_string()));
        }
        match query.viewer {
            Some(Viewer::Owner) => params.push(("accountID".into(), "1".into())),
            Some(Viewer::Account(id)) => params.push(("accountID".into(), id.to_string())),
            None => {}
        }
        if let Some(library) = &query.library {
            params.push(("librarySectionID".into(), library.to_string()));
        }
        let url = self.url("/status/sessions/history/all");
        let mut out = Vec::new();
        loop {
            let start = out.len().to_string();
            let (size, total_size, items): Page = self
                .transport
                .body(ENDPOINT, Family::Pms, true, || {
                    self.transport
                        .request(Method::GET, &url, self.token.as_ref())
                        .query(&params)
                        .header("X-Plex-Container-Start", start.as_str())
                        .header("X-Plex-Container-Size", PAGE.to_string())
                })
                .await?
                .decode(
                    ENDPOINT,
                    |json: Envelope<JsonPage>| {
                        let page = json.container;
                        (page.size, page.total_size, page.metadata)
                    },
                    |xml: XmlPage| {
                        let items = xml.items.into_iter().map(XmlItem::into_inner).collect();
                        (xml.size, xml.total_size, items)
                    },
                )?;
            let received = items.len();
            // Without totalSize, `size` is the only bound (python-plexapi does the same).
            let total = total_size.or(size).unwrap_or(received);
            out.extend(items.into_iter().map(|item| HistoryItem {
                history_key: item.history_key,
                rating_key: json_id(item.rating_key.as_ref()),
                title: item.title,
                kind: item.kind,
                library_section: json_id(item.library_section_id.as_ref()).map(PmsSectionKey::new),
                viewed_at: item.viewed_at,
                viewer: match item.account_id {
                    Some(1) | None => Viewer::Owner,
                    Some(id) => Viewer::Account(PlexAccountId::new(id)),
                },
                device_id: item.device_id,
            }));
            if received == 0 || out.len() >= total {
                return Ok(out);
            }
        }
    }
}
