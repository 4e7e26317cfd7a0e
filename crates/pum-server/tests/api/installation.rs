//! The installation's identity and secret key: created once, kept, and refusing to start with
//! a missing or different key (security-reliability.md §4.3, K-1, S-2; plex-api.md §0.2).

use std::path::Path;

use plex_sim::PlexSim;
use pum_db::scratch::ScratchDb;
use pum_server::startup::Application;
use secrecy::SecretString;

use crate::helpers::{postgres_admin_url, test_settings};

async fn scratch() -> ScratchDb {
    ScratchDb::new(postgres_admin_url().as_deref())
        .await
        .expect("scratch database")
}

/// Builds (without running) an app on `scratch` keeping state in `data_dir`.
async fn build(
    scratch: &ScratchDb,
    data_dir: &Path,
    key: Option<&str>,
) -> anyhow::Result<Application> {
    let sim = PlexSim::builder().start().unwrap();
    let mut settings = test_settings(&sim, scratch, data_dir);
    settings.jobs.worker = false;
    settings.security.secret_key = key.map(|k| SecretString::from(k.to_owned()));
    Application::build(&settings, false).await
}

async fn client_identifier(app: &Application) -> String {
    pum_db::repo::installation::get(app.db())
        .await
        .unwrap()
        .unwrap()
        .client_identifier
}

#[tokio::test]
async fn the_first_start_creates_a_private_key_file_and_later_starts_reuse_it() {
    let scratch = scratch().await;
    let data = tempfile::tempdir().unwrap();
    let first = build(&scratch, data.path(), None).await.unwrap();
    let identifier = client_identifier(&first).await;
    assert_eq!(
        identifier.len(),
        32,
        "a generated identifier, not a constant"
    );
    drop(first);

    let key_file = data.path().join("secret.key");
    let written = std::fs::read_to_string(&key_file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the key");
    }

    let again = build(&scratch, data.path(), None).await.unwrap();
    assert_eq!(client_identifier(&again).await, identifier);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), written);
    drop(again);
    // The same key given as PUM_SECRET_KEY works as well.
    build(&scratch, data.path(), Some(written.trim()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_missing_key_stops_pum_and_no_new_key_is_made() {
    let scratch = scratch().await;
    let data = tempfile::tempdir().unwrap();
    drop(build(&scratch, data.path(), None).await.unwrap());
    let key_file = data.path().join("secret.key");
    std::fs::remove_file(&key_file).unwrap();

    let error = build(&scratch, data.path(), None)
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("secret key of this database is missing"),
        "{error}"
    );
    assert!(!key_file.exists(), "no replacement key was generated");
}

#[tokio::test]
async fn a_different_or_malformed_key_stops_pum() {
    let scratch = scratch().await;
    let data = tempfile::tempdir().unwrap();
    drop(build(&scratch, data.path(), None).await.unwrap());

    let other = pum_core::secrets::MasterKey::generate();
    let error = build(&scratch, data.path(), Some(other.to_base64().as_str()))
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("is not the one this database was set up with"),
        "{error}"
    );

    std::fs::write(data.path().join("secret.key"), "c2hvcnQ=").unwrap();
    let error = build(&scratch, data.path(), None)
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("is not usable"), "{error}");

    let error = build(&scratch, data.path(), Some("not a key"))
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("PUM_SECRET_KEY is not usable"), "{error}");
    assert!(
        !error.contains("not a key"),
        "the value is never echoed: {error}"
    );
}

#[tokio::test]
async fn two_installations_get_their_own_keys_and_identifiers() {
    let (one, two) = (scratch().await, scratch().await);
    let (data_one, data_two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = build(&one, data_one.path(), None).await.unwrap();
    let second = build(&two, data_two.path(), None).await.unwrap();
    assert_ne!(
        client_identifier(&first).await,
        client_identifier(&second).await
    );
    assert_ne!(
        std::fs::read_to_string(data_one.path().join("secret.key")).unwrap(),
        std::fs::read_to_string(data_two.path().join("secret.key")).unwrap()
    );
    drop((first, second));
}

#[tokio::test]
async fn plex_sees_the_installation_identifier() {
    let app = crate::helpers::spawn_app().await;
    let identifier = pum_db::repo::installation::get(&app.db)
        .await
        .unwrap()
        .unwrap()
        .client_identifier;
    app.get("/api/v1/system/status").await;
    let journal = app.sim.control.journal();
    let sent: Vec<&str> = journal
        .iter()
        .flat_map(|entry| &entry.plex_headers)
        .filter(|(name, _)| name == "x-plex-client-identifier")
        .map(|(_, value)| value.as_str())
        .collect();
    assert!(!sent.is_empty(), "pum talked to the simulated server");
    assert!(sent.iter().all(|v| *v == identifier), "{sent:?}");
    app.stop().await;
}
