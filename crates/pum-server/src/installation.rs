//! This installation's identity and master key, opened at start-up and failing closed
//! (security-reliability.md §4.3, K-1, S-2).
//!
//! The key comes from `PUM_SECRET_KEY`, else from `DATA_DIR/secret.key`. On the very first
//! start (no installation row yet) a key file is created with mode 0600. Once the database has
//! an installation, a missing or different key stops pum: a new key would orphan every stored
//! secret.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use pum_core::Clock;
use pum_core::secrets::MasterKey;
use pum_db::Db;
use pum_db::records::Installation;
use pum_db::repo::installation as repo;
use secrecy::{ExposeSecret as _, SecretString};

/// The key file's path in `data_dir`.
pub(crate) fn key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("secret.key")
}

/// This installation: its Plex client identifier (plex-api.md §0.2) and its master key.
pub(crate) struct Opened {
    pub(crate) client_identifier: String,
    pub(crate) key: MasterKey,
}

/// Opens (or, on first start, creates) the installation, proving the key is the right one.
pub(crate) async fn open(
    db: &Db,
    data_dir: &Path,
    configured: Option<&SecretString>,
    clock: &dyn Clock,
) -> anyhow::Result<Opened> {
    let existing = repo::get(db).await.context("reading the installation")?;
    let file = key_file(data_dir);
    let key = match configured {
        Some(text) => MasterKey::from_base64(text.expose_secret())
            .map_err(|err| anyhow::anyhow!("PUM_SECRET_KEY is not usable: {err}"))?,
        None if file.exists() => read_key_file(&file)?,
        None if existing.is_some() => bail!(
            "the secret key of this database is missing: set PUM_SECRET_KEY or restore {} \
             (pum will not make a new key, which would orphan every stored secret)",
            file.display()
        ),
        None => create_key_file(&file)?,
    };
    let installation = if let Some(installation) = existing {
        installation
    } else {
        let fresh = Installation {
            client_identifier: uuid::Uuid::new_v4().simple().to_string(),
            key_id: key.id(),
            key_check: key
                .column_cipher()
                .key_check()
                .context("sealing the key check")?,
            created_at: clock.now(),
        };
        repo::create_or_get(db, &fresh)
            .await
            .context("recording the installation")?
    };
    if key
        .column_cipher()
        .verify_key_check(&installation.key_check)
        .is_err()
    {
        bail!(
            "the secret key (id {}) is not the one this database was set up with (id {}): \
             set PUM_SECRET_KEY or {} to the original key",
            key.id(),
            installation.key_id,
            file.display()
        );
    }
    Ok(Opened {
        client_identifier: installation.client_identifier,
        key,
    })
}

fn read_key_file(file: &Path) -> anyhow::Result<MasterKey> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the key file {}", file.display()))?,
    );
    MasterKey::from_base64(&text)
        .map_err(|err| anyhow::anyhow!("the key file {} is not usable: {err}", file.display()))
}

fn create_key_file(file: &Path) -> anyhow::Result<MasterKey> {
    use std::io::Write as _;
    let key = MasterKey::generate();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut out = options
        .open(file)
        .with_context(|| format!("cannot create the key file {}", file.display()))?;
    out.write_all(key.to_base64().as_bytes())
        .and_then(|()| out.sync_all())
        .with_context(|| format!("cannot write the key file {}", file.display()))?;
    tracing::warn!(
        key_file = %file.display(),
        "created a new secret key next to the database; back it up, or set PUM_SECRET_KEY"
    );
    Ok(key)
}
