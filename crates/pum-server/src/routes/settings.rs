//! `/api/v1/settings`: general, Plex, Discord and security settings. Secrets are write-only:
//! answers say whether one is set and when, never its value.

use actix_web::{get, patch, put, web};
use plex_client::PlexToken;
use pum_api_types::ErrorBody;
use pum_api_types::settings::{
    ConnectPlexRequest, ConnectionAttempt, DiscordLinking, DiscordSettingsPatch,
    DiscordSettingsView, GeneralSettings, GeneralSettingsPatch, LibraryView, PlexConnected,
    PlexServerCandidate, PlexServerList, PlexSettingsView, SecretState, SecuritySettingsPatch,
    SecuritySettingsView, SettingsView,
};
use pum_core::CoreError;
use pum_core::settings::{Change, FieldErrors, Key, Snapshot, check_http_url, check_snowflake};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Auth, SettingsManage};
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(get_settings)
        .service(patch_general)
        .service(patch_discord)
        .service(patch_security)
        .service(plex_servers)
        .service(connect_plex);
}

fn secret(snapshot: &Snapshot, key: Key) -> SecretState {
    let (configured, updated_at) = snapshot.state(key);
    SecretState {
        configured,
        updated_at,
    }
}

fn view(s: &Snapshot) -> SettingsView {
    let text = |key| s.get(key).map(str::to_owned);
    SettingsView {
        general: GeneralSettings {
            app_name: s.app_name(),
            public_base_url: s.public_base_url(),
        },
        plex: PlexSettingsView {
            server_url: text(Key::PlexServerUrl),
            server_name: text(Key::PlexServerName),
            machine_identifier: text(Key::PlexMachineIdentifier),
            token: secret(s, Key::PlexToken),
        },
        discord: DiscordSettingsView {
            client_id: text(Key::DiscordClientId),
            client_secret: secret(s, Key::DiscordClientSecret),
            bot_token: secret(s, Key::DiscordBotToken),
            guild_id: text(Key::DiscordGuildId),
            linking: s.discord_linking(),
        },
        security: SecuritySettingsView {
            session_idle_minutes: s.session_idle_minutes(),
            session_max_days: s.session_max_days(),
        },
    }
}

/// Every setting; secrets only as "configured" and when.
#[utoipa::path(
    tag = "settings",
    responses((status = 200, body = SettingsView)),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[get("/settings")]
pub(crate) async fn get_settings(
    _auth: Auth<SettingsManage>,
    state: web::Data<AppState>,
) -> Result<web::Json<SettingsView>, ApiError> {
    Ok(web::Json(view(&state.settings.snapshot().await?)))
}

/// Writes `changes` and records one event naming the keys changed (never secret values).
async fn apply(
    state: &AppState,
    auth: &Auth<SettingsManage>,
    changes: Vec<Change>,
) -> Result<web::Json<SettingsView>, ApiError> {
    if !changes.is_empty() {
        let before = state.settings.snapshot().await?;
        state
            .settings
            .write(&changes, Some(&auth.principal.admin.username))
            .await?;
        let detail: serde_json::Map<String, serde_json::Value> = changes
            .iter()
            .map(|c| {
                let shown = if c.key.is_secret() {
                    json!(if c.value.is_some() { "replaced" } else { "cleared" })
                } else {
                    json!({
                        "before": before.get(c.key),
                        "after": c.value.as_ref().map(|v| secrecy::ExposeSecret::expose_secret(v).to_owned()),
                    })
                };
                (c.key.as_str().to_owned(), shown)
            })
            .collect();
        state
            .events
            .record(
                "settings.changed",
                &auth.principal.actor(auth.ip.clone()),
                None,
                true,
                serde_json::Value::Object(detail),
            )
            .await;
    }
    Ok(web::Json(view(&state.settings.snapshot().await?)))
}

/// Changes the app name and public base URL.
#[utoipa::path(
    tag = "settings",
    request_body = GeneralSettingsPatch,
    responses(
        (status = 200, body = SettingsView),
        (status = 400, body = ErrorBody, description = "invalid values, per field"),
    ),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[patch("/settings/general")]
pub(crate) async fn patch_general(
    auth: Auth<SettingsManage>,
    state: web::Data<AppState>,
    body: web::Json<GeneralSettingsPatch>,
) -> Result<web::Json<SettingsView>, ApiError> {
    let mut errors = FieldErrors::default();
    let mut changes = Vec::new();
    if let Some(name) = &body.app_name {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
            errors.add("app_name", "must be 1 to 60 characters");
        } else {
            changes.push(Change::set(Key::AppName, name));
        }
    }
    if let Some(url) = &body.public_base_url {
        if url.trim().is_empty() {
            changes.push(Change::clear(Key::PublicBaseUrl));
        } else {
            match check_http_url(url) {
                Ok(url) => changes.push(Change::set(Key::PublicBaseUrl, url)),
                Err(message) => errors.add("public_base_url", message),
            }
        }
    }
    errors.finish()?;
    apply(&state, &auth, changes).await
}

fn optional_snowflake(
    value: Option<&String>,
    key: Key,
    field: &str,
    errors: &mut FieldErrors,
    changes: &mut Vec<Change>,
) {
    let Some(value) = value.map(|v| v.trim()) else {
        return;
    };
    if value.is_empty() {
        changes.push(Change::clear(key));
    } else if let Err(message) = check_snowflake(value) {
        errors.add(field, message);
    } else {
        changes.push(Change::set(key, value));
    }
}

fn secret_change(
    value: Option<&String>,
    key: Key,
    field: &str,
    errors: &mut FieldErrors,
    changes: &mut Vec<Change>,
) {
    match value.map(|v| v.trim()) {
        None => {}
        Some("") => changes.push(Change::clear(key)),
        Some(text) => {
            if text.len() < 8
                || text.len() > 200
                || text.chars().any(|c| c.is_control() || c == ' ')
            {
                errors.add(field, "must be 8 to 200 characters without spaces");
            } else {
                changes.push(Change::set(key, text));
            }
        }
    }
}

/// Changes the Discord settings. Linking (optional or required) needs a client id and secret.
#[utoipa::path(
    tag = "settings",
    request_body = DiscordSettingsPatch,
    responses(
        (status = 200, body = SettingsView),
        (status = 400, body = ErrorBody, description = "invalid values, per field"),
    ),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[patch("/settings/discord")]
pub(crate) async fn patch_discord(
    auth: Auth<SettingsManage>,
    state: web::Data<AppState>,
    body: web::Json<DiscordSettingsPatch>,
) -> Result<web::Json<SettingsView>, ApiError> {
    let mut errors = FieldErrors::default();
    let mut changes = Vec::new();
    optional_snowflake(
        body.client_id.as_ref(),
        Key::DiscordClientId,
        "client_id",
        &mut errors,
        &mut changes,
    );
    optional_snowflake(
        body.guild_id.as_ref(),
        Key::DiscordGuildId,
        "guild_id",
        &mut errors,
        &mut changes,
    );
    secret_change(
        body.client_secret.as_ref(),
        Key::DiscordClientSecret,
        "client_secret",
        &mut errors,
        &mut changes,
    );
    secret_change(
        body.bot_token.as_ref(),
        Key::DiscordBotToken,
        "bot_token",
        &mut errors,
        &mut changes,
    );
    if let Some(linking) = body.linking {
        if linking != DiscordLinking::Off {
            let current = state.settings.snapshot().await?;
            let will_have = |key: Key| match changes.iter().find(|c| c.key == key) {
                Some(change) => change.value.is_some(),
                None => current.state(key).0,
            };
            if !will_have(Key::DiscordClientId) || !will_have(Key::DiscordClientSecret) {
                errors.add("linking", "needs a Discord client id and client secret");
            }
        }
        let name = match linking {
            DiscordLinking::Off => "off",
            DiscordLinking::Optional => "optional",
            DiscordLinking::Required => "required",
        };
        changes.push(Change::set(Key::DiscordLinking, name));
    }
    errors.finish()?;
    apply(&state, &auth, changes).await
}

/// Changes how long admin sessions last.
#[utoipa::path(
    tag = "settings",
    request_body = SecuritySettingsPatch,
    responses(
        (status = 200, body = SettingsView),
        (status = 400, body = ErrorBody, description = "out of range, per field"),
    ),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[patch("/settings/security")]
pub(crate) async fn patch_security(
    auth: Auth<SettingsManage>,
    state: web::Data<AppState>,
    body: web::Json<SecuritySettingsPatch>,
) -> Result<web::Json<SettingsView>, ApiError> {
    let mut errors = FieldErrors::default();
    let mut changes = Vec::new();
    if let Some(minutes) = body.session_idle_minutes {
        if (5..=10_080).contains(&minutes) {
            changes.push(Change::set(Key::SessionIdleMinutes, minutes.to_string()));
        } else {
            errors.add("session_idle_minutes", "must be from 5 to 10080");
        }
    }
    if let Some(days) = body.session_max_days {
        if (1..=90).contains(&days) {
            changes.push(Change::set(Key::SessionMaxDays, days.to_string()));
        } else {
            errors.add("session_max_days", "must be from 1 to 90");
        }
    }
    errors.finish()?;
    apply(&state, &auth, changes).await
}

/// The Plex Media Servers owned by the Plex account whose token pum holds.
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, body = PlexServerList),
        (status = 409, body = ErrorBody, description = "no Plex token yet: sign in with Plex or paste one"),
        (status = 502, body = ErrorBody, description = "plex.tv failed"),
    ),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[get("/settings/plex/servers")]
pub(crate) async fn plex_servers(
    _auth: Auth<SettingsManage>,
    state: web::Data<AppState>,
) -> Result<web::Json<PlexServerList>, ApiError> {
    let snapshot = state.settings.snapshot().await?;
    let token = state.plex.owner_token(&snapshot)?.ok_or_else(|| {
        ApiError::Conflict(
            "pum holds no Plex token yet: sign in with Plex or paste a token".to_owned(),
        )
    })?;
    let tv = state.plex_auth.tv();
    let account = tv.account(&token).await.map_err(CoreError::from)?;
    let servers = tv
        .resources(&token)
        .await
        .map_err(CoreError::from)?
        .into_iter()
        .filter(|r| r.is_server() && r.owned)
        .map(|r| {
            let mut connections: Vec<_> = r.connections.iter().filter(|c| !c.relay).collect();
            let best = r.best_connection().map(|c| c.uri.clone());
            connections.sort_by_key(|c| Some(&c.uri) != best.as_ref());
            PlexServerCandidate {
                name: r.name.clone(),
                machine_identifier: r.client_identifier.to_string(),
                online: r.presence,
                connections: connections.into_iter().map(|c| c.uri.clone()).collect(),
            }
        })
        .collect();
    Ok(web::Json(PlexServerList {
        account: account.username,
        servers,
    }))
}

/// Connects a Plex Media Server: each address is tested in turn (identity, token, libraries)
/// and the first that answers as the chosen server is kept, with the token that worked.
#[utoipa::path(
    tag = "settings",
    request_body = ConnectPlexRequest,
    responses(
        (status = 200, body = PlexConnected),
        (status = 400, body = ErrorBody, description = "no address worked; each attempt is listed in the message"),
        (status = 409, body = ErrorBody, description = "no token given and none held"),
    ),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[put("/settings/plex")]
pub(crate) async fn connect_plex(
    auth: Auth<SettingsManage>,
    state: web::Data<AppState>,
    body: web::Json<ConnectPlexRequest>,
) -> Result<web::Json<PlexConnected>, ApiError> {
    if body.urls.is_empty() || body.urls.len() > 10 {
        return Err(CoreError::invalid("urls", "must list 1 to 10 addresses").into());
    }
    let snapshot = state.settings.snapshot().await?;
    let pasted = body
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if pasted.is_some_and(|t| t.len() > 200 || t.chars().any(|c| c.is_control() || c == ' ')) {
        return Err(CoreError::invalid("token", "is not a Plex token").into());
    }
    let token = match pasted {
        Some(text) => PlexToken::new(text),
        None => state.plex.owner_token(&snapshot)?.ok_or_else(|| {
            ApiError::Conflict("paste a Plex token or sign in with Plex first".to_owned())
        })?,
    };
    let mut attempts = Vec::new();
    let mut connected = None;
    for url in &body.urls {
        match state
            .plex
            .test(url, &token, body.machine_identifier.as_deref())
            .await
        {
            Ok(server) => {
                attempts.push(ConnectionAttempt {
                    url: server.url.clone(),
                    ok: true,
                    message: format!("{} answered", server.info.friendly_name),
                });
                connected = Some(server);
                break;
            }
            Err(err) => attempts.push(ConnectionAttempt {
                url: url.clone(),
                ok: false,
                message: ApiError::from(err).to_string(),
            }),
        }
    }
    let Some(server) = connected else {
        let summary: Vec<String> = attempts
            .iter()
            .map(|a| format!("{}: {}", a.url, a.message))
            .collect();
        return Err(CoreError::invalid(
            "urls",
            format!("no address worked ({})", summary.join("; ")),
        )
        .into());
    };
    let mut changes = vec![
        Change::set(Key::PlexServerUrl, server.url.clone()),
        Change::set(Key::PlexServerName, server.info.friendly_name.clone()),
        Change::set(
            Key::PlexMachineIdentifier,
            server.identity.machine_identifier.to_string(),
        ),
    ];
    if pasted.is_some() {
        changes.push(Change::set(Key::PlexToken, token.expose_for_storage()));
        if let Ok(account) = state.plex_auth.tv().account(&token).await {
            changes.push(Change::set(
                Key::PlexOwnerAccountId,
                account.id.get().to_string(),
            ));
        }
    }
    apply(&state, &auth, changes).await?;
    state
        .events
        .record(
            "plex.connected",
            &auth.principal.actor(auth.ip.clone()),
            Some(&server.info.friendly_name),
            true,
            json!({ "url": server.url, "machine_identifier": server.identity.machine_identifier.to_string() }),
        )
        .await;
    Ok(web::Json(PlexConnected {
        url: server.url,
        name: server.info.friendly_name,
        version: server.identity.version,
        machine_identifier: server.identity.machine_identifier.to_string(),
        libraries: server
            .libraries
            .into_iter()
            .map(|l| LibraryView {
                title: l.title,
                kind: l.kind,
            })
            .collect(),
        attempts,
    }))
}
