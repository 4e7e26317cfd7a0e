//! What changes on Plex for one user: the library list (refreshed from the server document
//! first, plex-api.md §4), library and download changes, and revoking access (§5.7).

use chrono::{DateTime, Utc};
use plex_client::tv::{Invitee, ShareSettings};
use plex_client::{PlexAccountId, PlexTvSectionId, SharedServerId};
use pum_api_types::users::LibraryAccess;
use pum_db::Db;
use pum_db::records::{Library, PlexFacts, User};
use pum_db::repo::libraries;
use serde_json::{Value, json};

use crate::plex::{Connected, within_deadline};
use crate::{CoreError, Result};

/// Reads the server document (the only join between plex.tv ids and PMS keys) and stores its
/// libraries, then returns the current ones. plex.tv can list too few libraries with a 200
/// (§3.4), so libraries missing from the document are only marked removed when the server's
/// own list agrees; an empty document changes nothing.
///
/// # Errors
/// [`CoreError::Plex`] when plex.tv does not answer.
pub(crate) async fn refresh_libraries(
    db: &Db,
    plex: &Connected,
    now: DateTime<Utc>,
) -> Result<Vec<Library>> {
    let (stored, _) = read_libraries(db, plex, now).await?;
    Ok(stored)
}

/// Like [`refresh_libraries`], also saying why the list may be incomplete.
pub(crate) async fn read_libraries(
    db: &Db,
    plex: &Connected,
    now: DateTime<Utc>,
) -> Result<(Vec<Library>, Option<String>)> {
    let document = within_deadline(
        "GET /api/servers/{machineIdentifier}",
        plex.tv.server_document(&plex.token, &plex.machine),
    )
    .await?;
    let listed: Vec<Library> = document
        .sections
        .iter()
        .zip(0u32..)
        .map(|(s, position)| Library {
            tv_id: s.id.get(),
            pms_key: s.key.as_str().to_owned(),
            title: s.title.clone(),
            kind: s.kind.clone(),
            position,
        })
        .collect();
    let on_server = within_deadline("GET /library/sections", plex.pms.library_sections())
        .await
        .ok();
    let complete = on_server.as_ref().is_some_and(|keys| {
        keys.len() == listed.len()
            && keys
                .iter()
                .all(|k| listed.iter().any(|l| l.pms_key == k.key.as_str()))
    });
    let warning = (!complete).then(|| match &on_server {
        Some(keys) => format!(
            "plex.tv listed {} of the server's {} libraries; libraries it left out were kept",
            listed.len(),
            keys.len()
        ),
        None => "the server did not list its libraries, so none were marked removed".to_owned(),
    });
    if !listed.is_empty() {
        libraries::refresh(db, &listed, complete, now).await?;
    }
    Ok((libraries::current(db).await?, warning))
}

/// The plex.tv ids `access` means, checked against the server's libraries.
///
/// # Errors
/// [`CoreError::Invalid`] for no library or a library the server does not have.
pub(crate) fn resolve(access: &LibraryAccess, libs: &[Library]) -> Result<Vec<u64>> {
    let mut ids = match access {
        LibraryAccess::All => libs.iter().map(|l| l.tv_id).collect(),
        LibraryAccess::Only { library_ids } => {
            if let Some(unknown) = library_ids
                .iter()
                .find(|id| !libs.iter().any(|l| l.tv_id == **id))
            {
                return Err(CoreError::invalid(
                    "libraries",
                    format!("the server has no library {unknown}"),
                ));
            }
            library_ids.clone()
        }
    };
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(CoreError::invalid(
            "libraries",
            "choose at least one library (to take every library away, remove the user)",
        ));
    }
    Ok(ids)
}

/// The libraries a user can see now, as plex.tv ids.
pub(crate) fn current_ids(facts: &PlexFacts, libs: &[Library]) -> Vec<u64> {
    if facts.all_libraries {
        libs.iter().map(|l| l.tv_id).collect()
    } else {
        facts.library_ids.clone()
    }
}

fn settings_of(facts: &PlexFacts) -> ShareSettings {
    ShareSettings {
        allow_sync: facts.allow_sync,
        allow_channels: facts.allow_channels,
        allow_camera_upload: facts.allow_camera_upload,
        filter_movies: facts.filter_movies.clone(),
        filter_television: facts.filter_television.clone(),
        filter_music: facts.filter_music.clone(),
        ..ShareSettings::default()
    }
}

/// Shares exactly `ids` with the user on Plex (replacing their set; creating a share for a
/// Home user who has none), then updates `facts`.
///
/// # Errors
/// [`CoreError::Plex`] when Plex refused or did not answer; `facts` are then unchanged.
pub(crate) async fn set_libraries(
    plex: &Connected,
    facts: &mut PlexFacts,
    ids: &[u64],
) -> Result<()> {
    let sections: Vec<PlexTvSectionId> = ids.iter().copied().map(PlexTvSectionId::new).collect();
    if let Some(share) = facts.share_id {
        within_deadline(
            "PUT /api/servers/{machineIdentifier}/shared_servers/{id}",
            plex.tv.update_shared_libraries(
                &plex.token,
                &plex.machine,
                SharedServerId::new(share),
                &sections,
            ),
        )
        .await?;
    } else {
        let share = within_deadline(
            "POST /api/servers/{machineIdentifier}/shared_servers",
            plex.tv.share_server(
                &plex.token,
                &plex.machine,
                &Invitee::Account(PlexAccountId::new(facts.account_id)),
                &sections,
                &settings_of(facts),
            ),
        )
        .await?;
        facts.share_id = Some(share.get());
    }
    facts.library_ids = ids.to_vec();
    facts.all_libraries = false;
    Ok(())
}

/// Allows or denies downloads on Plex, resending the user's other settings as they are,
/// then updates `facts`. Nothing is sent when nothing changes.
///
/// # Errors
/// [`CoreError::Plex`] when Plex refused or did not answer; `facts` are then unchanged.
pub(crate) async fn set_downloads(
    plex: &Connected,
    facts: &mut PlexFacts,
    allow: bool,
) -> Result<()> {
    if facts.allow_sync == allow {
        return Ok(());
    }
    let mut settings = settings_of(facts);
    settings.allow_sync = allow;
    within_deadline(
        "PUT /api/v2/sharings/{id}",
        plex.tv.update_sharing_settings(
            &plex.token,
            PlexAccountId::new(facts.account_id),
            &settings,
        ),
    )
    .await?;
    facts.allow_sync = allow;
    Ok(())
}

/// Ends the user's access on Plex: a Home member leaves the Home, a friend is removed with
/// their shares. A user Plex no longer knows counts as revoked (the answer says so).
///
/// # Errors
/// [`CoreError::Plex`] when Plex refused or did not answer.
pub(crate) async fn revoke(plex: &Connected, user: &User) -> Result<Option<&'static str>> {
    let account = PlexAccountId::new(user.plex.account_id);
    let result = if user.plex.home {
        within_deadline(
            "DELETE /api/home/users/{id}",
            plex.tv.remove_home_user(&plex.token, account),
        )
        .await
    } else {
        within_deadline(
            "DELETE /api/v2/sharings/{id}",
            plex.tv.remove_friend(&plex.token, account),
        )
        .await
    };
    match result {
        Ok(()) => Ok(None),
        Err(CoreError::Plex(plex_client::Error::NotFound { .. })) => {
            Ok(Some("Plex no longer knew this user"))
        }
        Err(err) => Err(err),
    }
}

/// What the event log records about a user's access, before and after a change.
pub(crate) fn describe(user: &User) -> Value {
    json!({
        "libraries": if user.plex.all_libraries { json!("all") } else { json!(user.plex.library_ids) },
        "allow_downloads": user.plex.allow_sync,
        "notes": user.local.notes,
        "whitelisted": user.local.whitelisted,
        "expires_at": user.local.expires_at,
    })
}
