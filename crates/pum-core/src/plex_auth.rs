//! Plex sign-in by PIN (plex-api.md §1) for admins: start a PIN bound to this browser, then
//! check it until plex.tv hands over the account's token. The token is used once to read who
//! the account is, and kept only when the flow is for connecting the server.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use plex_client::tv::Account;
use plex_client::{PinId, PlexToken, PlexTv};
use pum_db::Db;
use pum_db::records::PlexPinFlow;
use pum_db::repo::plex_pin_flows;
use uuid::Uuid;

use crate::auth::tokens::{hash_secret, random_secret};
use crate::{Clock, CoreError, Result};

/// How long a PIN lives when plex.tv does not say (its usual 15 minutes).
const DEFAULT_PIN_LIFETIME: i64 = 900;

/// A started flow.
#[derive(Debug, Clone)]
pub struct StartedFlow {
    /// The secret that binds the flow to this browser (goes into an `HttpOnly` cookie).
    pub secret: String,
    /// The Plex sign-in page.
    pub auth_url: String,
    /// When the PIN expires.
    pub expires_at: DateTime<Utc>,
}

/// Where a flow stands after a check.
#[derive(Debug)]
pub enum FlowCheck {
    /// No flow for this browser (never started, finished, or from another browser).
    Unknown,
    /// Not approved yet.
    Pending(PlexPinFlow),
    /// Expired before approval; the flow is gone.
    Expired(PlexPinFlow),
    /// Approved: the account and its token. The flow is gone, so this happens once.
    Approved {
        /// The flow.
        flow: PlexPinFlow,
        /// Who signed in.
        account: Account,
        /// Their token.
        token: PlexToken,
    },
}

/// Runs admin PIN flows.
#[derive(Debug, Clone)]
pub struct PlexAuthService {
    db: Db,
    clock: Arc<dyn Clock>,
    tv: PlexTv,
}

impl PlexAuthService {
    /// Flows on `db`, talking to plex.tv through `tv`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, tv: PlexTv) -> Self {
        Self { db, clock, tv }
    }

    /// The plex.tv client.
    pub fn tv(&self) -> &PlexTv {
        &self.tv
    }

    /// Creates a PIN for `purpose`; Plex sends the browser back to `forward_url`.
    pub async fn start(
        &self,
        purpose: &str,
        admin: Option<Uuid>,
        forward_url: &str,
    ) -> Result<StartedFlow> {
        let pin = self.tv.create_pin(true).await?;
        let now = self.clock.now();
        let lifetime = pin
            .expires_in
            .and_then(|s| i64::try_from(s).ok())
            .unwrap_or(DEFAULT_PIN_LIFETIME);
        let secret = random_secret(32);
        let flow = PlexPinFlow {
            id: Uuid::new_v4(),
            flow_hash: hash_secret(&secret),
            purpose: purpose.to_owned(),
            pin_id: i64::try_from(pin.id.get()).unwrap_or(i64::MAX),
            pin_code: pin.code.clone(),
            admin_id: admin,
            created_at: now,
            expires_at: now + Duration::seconds(lifetime),
        };
        plex_pin_flows::delete_expired(&self.db, now).await?;
        plex_pin_flows::insert(&self.db, &flow).await?;
        Ok(StartedFlow {
            secret,
            auth_url: self.tv.auth_url(&pin, Some(forward_url)),
            expires_at: flow.expires_at,
        })
    }

    /// Checks the flow whose browser secret is `secret`.
    pub async fn check(&self, secret: &str) -> Result<FlowCheck> {
        let Some(flow) = plex_pin_flows::find(&self.db, &hash_secret(secret)).await? else {
            return Ok(FlowCheck::Unknown);
        };
        if flow.expires_at <= self.clock.now() {
            plex_pin_flows::delete(&self.db, flow.id).await?;
            return Ok(FlowCheck::Expired(flow));
        }
        let pin_id = PinId::new(u64::try_from(flow.pin_id).unwrap_or_default());
        let pin = match self.tv.poll_pin(pin_id).await {
            Ok(pin) => pin,
            Err(plex_client::Error::NotFound { .. }) => {
                plex_pin_flows::delete(&self.db, flow.id).await?;
                return Ok(FlowCheck::Expired(flow));
            }
            Err(other) => return Err(CoreError::Plex(other)),
        };
        let Some(token) = pin.auth_token else {
            return Ok(FlowCheck::Pending(flow));
        };
        // Only the request that removes the flow finishes it.
        if !plex_pin_flows::delete(&self.db, flow.id).await? {
            return Ok(FlowCheck::Unknown);
        }
        let account = self.tv.account(&token).await?;
        Ok(FlowCheck::Approved {
            flow,
            account,
            token,
        })
    }
}
