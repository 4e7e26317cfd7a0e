//! Invite codes (security-reliability.md §5.2): random links carry 128 bits from the OS
//! generator in base64url; the database holds only their HMAC (keyed by a purpose key of the
//! master key), plus a sealed copy so admins can see the link again. Custom paths are chosen
//! by admins, checked here, and unique ignoring case.

use std::sync::Arc;

use hmac::{Hmac, Mac as _};
use sha2::Sha256;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::auth::tokens::random_secret;
use crate::secrets::{KEY_LEN, KeyPurpose, MasterKey, SecretCipher};
use crate::{CoreError, Result};

/// Bytes of randomness in a generated code (128 bits).
const TOKEN_BYTES: usize = 16;
/// Shortest and longest custom path.
const PATH_LEN: std::ops::RangeInclusive<usize> = 3..=64;
/// Paths that would read as pum's own pages.
const RESERVED: [&str; 4] = ["discord", "api", "admin", "assets"];

/// Hashes, seals and opens invite codes.
#[derive(Clone)]
pub struct InviteCodes {
    key: Arc<Zeroizing<[u8; KEY_LEN]>>,
    cipher: Arc<SecretCipher>,
}

impl std::fmt::Debug for InviteCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteCodes(***)")
    }
}

impl InviteCodes {
    /// Codes keyed by `master`'s invite-token key; links sealed with `cipher`.
    pub fn new(master: &MasterKey, cipher: Arc<SecretCipher>) -> Self {
        Self {
            key: Arc::new(master.derive(KeyPurpose::InviteTokens)),
            cipher,
        }
    }

    /// A fresh random code: 22 base64url characters.
    pub fn generate() -> String {
        random_secret(TOKEN_BYTES)
    }

    /// `HMAC-SHA256(key, code)` in hex: what the database looks codes up by.
    pub fn hash(&self, code: &str) -> String {
        let mut mac = <Hmac<Sha256> as hmac::digest::KeyInit>::new_from_slice(self.key.as_slice())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(code.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn aad(id: Uuid) -> String {
        format!("invites.token_sealed:{id}")
    }

    /// The code of invite `id`, sealed for storage.
    ///
    /// # Errors
    /// [`CoreError::Secret`] when sealing fails.
    pub fn seal(&self, id: Uuid, code: &str) -> Result<String> {
        self.cipher
            .seal(code.as_bytes(), &Self::aad(id))
            .map_err(CoreError::Secret)
    }

    /// The code of invite `id` from its sealed form; `None` when it cannot be opened.
    pub fn open(&self, id: Uuid, sealed: &str) -> Option<String> {
        use secrecy::ExposeSecret as _;
        self.cipher
            .open(sealed, &Self::aad(id))
            .ok()
            .map(|secret| secret.expose_secret().to_owned())
    }

    /// Seals a Plex token for the invitee's browser, bound to flow `flow` (the token is never
    /// stored by pum; the browser holds it, unreadable, for the length of the flow).
    ///
    /// # Errors
    /// [`CoreError::Secret`] when sealing fails.
    pub fn seal_token(&self, flow: Uuid, token: &str) -> Result<String> {
        self.cipher
            .seal(token.as_bytes(), &format!("invite_flows.plex_token:{flow}"))
            .map_err(CoreError::Secret)
    }

    /// Opens a token sealed by [`Self::seal_token`] for the same flow.
    pub fn open_token(&self, flow: Uuid, sealed: &str) -> Option<String> {
        use secrecy::ExposeSecret as _;
        self.cipher
            .open(sealed, &format!("invite_flows.plex_token:{flow}"))
            .ok()
            .map(|secret| secret.expose_secret().to_owned())
    }
}

/// Checks an admin's custom path and returns it trimmed.
///
/// # Errors
/// [`CoreError::Invalid`] naming the field `custom_path`.
pub fn check_custom_path(path: &str) -> Result<String> {
    let path = path.trim();
    if !PATH_LEN.contains(&path.chars().count()) {
        return Err(CoreError::invalid(
            "custom_path",
            format!(
                "must be {} to {} characters long",
                PATH_LEN.start(),
                PATH_LEN.end()
            ),
        ));
    }
    if !path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(CoreError::invalid(
            "custom_path",
            "may only hold letters A-Z, digits, - and _",
        ));
    }
    if RESERVED.contains(&path.to_lowercase().as_str()) {
        return Err(CoreError::invalid(
            "custom_path",
            format!("\"{path}\" is reserved; choose another"),
        ));
    }
    Ok(path.to_owned())
}

/// Whether `code` could be an invite code at all (cheap check before any lookup).
pub fn plausible(code: &str) -> bool {
    PATH_LEN.contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn codes() -> InviteCodes {
        let master = MasterKey::generate();
        let cipher = Arc::new(master.column_cipher());
        InviteCodes::new(&master, cipher)
    }

    #[test]
    fn generated_codes_are_128_bit_base64url_and_do_not_repeat() {
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let code = InviteCodes::generate();
            assert_eq!(code.len(), 22);
            assert!(plausible(&code), "{code}");
            assert!(seen.insert(code));
        }
    }

    #[test]
    fn hashes_are_keyed_and_stable() {
        let a = codes();
        let b = codes();
        assert_eq!(a.hash("abc"), a.hash("abc"));
        assert_ne!(a.hash("abc"), a.hash("abd"));
        assert_ne!(
            a.hash("abc"),
            b.hash("abc"),
            "another installation, another key"
        );
        assert!(!a.hash("abc").contains("abc"));
    }

    #[test]
    fn sealed_codes_open_only_for_their_invite() {
        let codes = codes();
        let id = Uuid::new_v4();
        let sealed = codes.seal(id, "secret-code").unwrap();
        assert!(!sealed.contains("secret-code"));
        assert_eq!(codes.open(id, &sealed).as_deref(), Some("secret-code"));
        assert_eq!(codes.open(Uuid::new_v4(), &sealed), None);
        assert_eq!(codes.open_token(id, &sealed), None, "another purpose");
    }

    #[test]
    fn custom_paths_are_checked() {
        assert_eq!(check_custom_path("  Family-2026 ").unwrap(), "Family-2026");
        for bad in [
            "ab",
            "has space",
            "slash/x",
            "émoji",
            "Discord",
            &"x".repeat(65),
        ] {
            assert!(check_custom_path(bad).is_err(), "{bad}");
        }
    }
}
