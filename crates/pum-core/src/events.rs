//! The event log: every sign-in, failed sign-in and admin action becomes one record.

use std::sync::Arc;

use pum_db::Db;
use pum_db::records::{ActorKind, Event};
use pum_db::repo::events;

use crate::Clock;

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// What kind of actor.
    pub kind: ActorKind,
    /// Admin id or API key id.
    pub id: Option<String>,
    /// A name for people.
    pub name: Option<String>,
    /// The client address.
    pub ip: Option<String>,
}

impl Actor {
    /// Someone not signed in, at `ip`.
    pub fn anonymous(ip: Option<String>) -> Self {
        Self {
            kind: ActorKind::Anonymous,
            id: None,
            name: None,
            ip,
        }
    }

    /// pum itself.
    pub fn system() -> Self {
        Self {
            kind: ActorKind::System,
            id: None,
            name: Some("pum".to_owned()),
            ip: None,
        }
    }
}

/// Writes events. Failing to write one is logged, never fatal to the action it records.
#[derive(Debug, Clone)]
pub struct EventLog {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl EventLog {
    /// An event log on `db`, stamped by `clock`.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    /// Records that `actor` did `kind` to `target`, successfully or not, with `detail` (never
    /// a secret).
    pub async fn record(
        &self,
        kind: &str,
        actor: &Actor,
        target: Option<&str>,
        success: bool,
        detail: serde_json::Value,
    ) {
        let event = Event {
            id: uuid::Uuid::now_v7(),
            at: self.clock.now(),
            kind: kind.to_owned(),
            success,
            actor_kind: actor.kind,
            actor_id: actor.id.clone(),
            actor_name: actor.name.as_deref().map(|n| clip(n, 200)),
            target: target.map(|t| clip(t, 200)),
            ip: actor.ip.clone(),
            detail: (!detail.is_null()).then(|| detail.to_string()),
        };
        if let Err(err) = events::insert(&self.db, &event).await {
            tracing::error!(error = %err, kind, "could not write an event to the event log");
        }
    }
}

/// At most `max` characters of `text`, with control characters (CR, LF …) escaped so a name
/// from plex.tv cannot forge log lines.
fn clip(text: &str, max: usize) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    escaped.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn control_characters_are_escaped_and_length_is_bounded() {
        assert_eq!(clip("bob\r\nadmin", 50), "bob\\r\\nadmin");
        assert_eq!(clip("abcdef", 3), "abc");
    }
}
