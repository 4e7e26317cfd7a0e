//! Secrets at rest (security-reliability.md §4.3): one 32-byte master key per installation,
//! purpose keys derived from it with HKDF-SHA256, and column values sealed with
//! XChaCha20-Poly1305 under a random 192-bit nonce, bound to where they are stored (AAD).
//!
//! A sealed value reads `v1:<key id>:<base64(nonce || ciphertext)>`. The key id is a short
//! fingerprint of the master key, so a value sealed under another key is named as such.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Length of the master key and of every derived key.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// What the installation check seals, to prove at start-up that the key is the right one.
const KEY_CHECK: &[u8] = b"pum key check v1";
const KEY_CHECK_AAD: &str = "installation.key_check:1";

/// Why a key or a sealed value was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    /// The master key is not base64 of exactly 32 bytes.
    #[error("the secret key must be 32 random bytes, base64-encoded (got {0})")]
    BadKey(String),
    /// The value is not in the `v1:<key id>:<base64>` form.
    #[error("the stored secret is malformed")]
    Malformed,
    /// The value was sealed under another master key.
    #[error("the stored secret was sealed with another key ({0})")]
    OtherKey(String),
    /// Authentication failed: tampered, moved to another row or column, or a wrong key.
    #[error("the stored secret cannot be decrypted with this key")]
    Undecryptable,
}

/// The installation's master key. Never printed; zeroed when dropped.
pub struct MasterKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id())
    }
}

/// What a derived key is for; each purpose gets an unrelated key (HKDF `info` labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPurpose {
    /// Sealing column secrets (Plex token, Discord secrets).
    ColumnSecrets,
    /// Signing session tokens.
    SessionTokens,
    /// CSRF tokens.
    Csrf,
    /// HMAC of invite tokens for lookup.
    InviteTokens,
}

impl KeyPurpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::ColumnSecrets => b"pum/v1/column-secrets",
            Self::SessionTokens => b"pum/v1/session-tokens",
            Self::Csrf => b"pum/v1/csrf",
            Self::InviteTokens => b"pum/v1/invite-token-hmac",
        }
    }
}

impl MasterKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(&key);
        Self(bytes)
    }

    /// Reads a key from its base64 text (surrounding whitespace ignored).
    ///
    /// # Errors
    /// [`SecretError::BadKey`] unless the text is base64 of exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, SecretError> {
        let decoded = Zeroizing::new(
            STANDARD
                .decode(text.trim())
                .map_err(|_| SecretError::BadKey("text that is not base64".to_owned()))?,
        );
        if decoded.len() != KEY_LEN {
            return Err(SecretError::BadKey(format!("{} bytes", decoded.len())));
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(&decoded);
        Ok(Self(bytes))
    }

    /// The key as base64 text, for writing the key file once.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.0.as_slice()))
    }

    /// A public fingerprint: the first 8 hex digits of SHA-256 of the key.
    pub fn id(&self) -> String {
        let digest = Sha256::digest(self.0.as_slice());
        hex::encode(&digest[..4])
    }

    /// The key for `purpose`.
    pub fn derive(&self, purpose: KeyPurpose) -> Zeroizing<[u8; KEY_LEN]> {
        let hkdf = hkdf::Hkdf::<Sha256>::new(None, self.0.as_slice());
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        // HKDF-SHA256 can produce up to 8160 bytes; 32 always succeeds.
        if hkdf.expand(purpose.label(), out.as_mut_slice()).is_err() {
            unreachable_expand();
        }
        out
    }

    /// The cipher for column secrets.
    pub fn column_cipher(&self) -> SecretCipher {
        SecretCipher {
            key_id: self.id(),
            key: self.derive(KeyPurpose::ColumnSecrets),
        }
    }
}

#[cold]
fn unreachable_expand() {
    tracing::error!("HKDF refused a 32-byte output; this cannot happen");
}

/// Seals and opens secrets stored in database columns.
pub struct SecretCipher {
    key_id: String,
    key: Zeroizing<[u8; KEY_LEN]>,
}

impl std::fmt::Debug for SecretCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretCipher({})", self.key_id)
    }
}

impl SecretCipher {
    fn aead(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.key.as_slice().into())
    }

    /// Seals `plaintext` for the place named by `aad` (`"<table>.<column>:<row id>"`).
    ///
    /// # Errors
    /// [`SecretError::Undecryptable`] if the AEAD refuses (it does not for sane lengths).
    pub fn seal(&self, plaintext: &[u8], aad: &str) -> Result<String, SecretError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .aead()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Undecryptable)?;
        let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(format!("v1:{}:{}", self.key_id, STANDARD.encode(blob)))
    }

    /// Opens a value sealed for `aad`.
    ///
    /// # Errors
    /// [`SecretError::Malformed`], [`SecretError::OtherKey`] or
    /// [`SecretError::Undecryptable`].
    pub fn open(&self, sealed: &str, aad: &str) -> Result<SecretString, SecretError> {
        let plaintext = Zeroizing::new(self.open_bytes(sealed, aad)?);
        let text = std::str::from_utf8(&plaintext).map_err(|_| SecretError::Malformed)?;
        Ok(SecretString::from(text.to_owned()))
    }

    fn open_bytes(&self, sealed: &str, aad: &str) -> Result<Vec<u8>, SecretError> {
        let mut parts = sealed.splitn(3, ':');
        let (Some("v1"), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SecretError::Malformed);
        };
        if key_id != self.key_id {
            return Err(SecretError::OtherKey(key_id.to_owned()));
        }
        let blob = STANDARD.decode(body).map_err(|_| SecretError::Malformed)?;
        if blob.len() < NONCE_LEN {
            return Err(SecretError::Malformed);
        }
        let (nonce, ciphertext) = blob.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SecretError::Malformed)?;
        self.aead()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Undecryptable)
    }

    /// The value stored at installation to recognise this key later.
    ///
    /// # Errors
    /// As [`Self::seal`].
    pub fn key_check(&self) -> Result<String, SecretError> {
        self.seal(KEY_CHECK, KEY_CHECK_AAD)
    }

    /// Whether `stored` (from [`Self::key_check`]) was made with this key.
    ///
    /// # Errors
    /// [`SecretError::OtherKey`] or [`SecretError::Undecryptable`] for another key,
    /// [`SecretError::Malformed`] for a damaged value.
    pub fn verify_key_check(&self, stored: &str) -> Result<(), SecretError> {
        match self.open_bytes(stored, KEY_CHECK_AAD)? {
            bytes if bytes == KEY_CHECK => Ok(()),
            _ => Err(SecretError::Undecryptable),
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::{KeyPurpose, MasterKey, SecretError};

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_its_place() {
        let key = MasterKey::generate();
        let cipher = key.column_cipher();
        let sealed = cipher
            .seal(b"canary-plex-token", "settings.value:7")
            .unwrap();
        assert!(sealed.starts_with(&format!("v1:{}:", key.id())));
        assert!(!sealed.contains("canary"));
        let opened = cipher.open(&sealed, "settings.value:7").unwrap();
        assert_eq!(opened.expose_secret(), "canary-plex-token");

        assert_eq!(
            cipher.open(&sealed, "settings.value:8").unwrap_err(),
            SecretError::Undecryptable,
            "copied to another row"
        );
        let other = MasterKey::generate().column_cipher();
        assert!(matches!(
            other.open(&sealed, "settings.value:7"),
            Err(SecretError::OtherKey(_))
        ));
        let mut tampered = sealed.clone();
        tampered.replace_range(sealed.len() - 3..sealed.len() - 2, "A");
        let tampered = if tampered == sealed {
            sealed.replace(&sealed[sealed.len() - 3..], "BBB")
        } else {
            tampered
        };
        assert!(cipher.open(&tampered, "settings.value:7").is_err());
        assert_eq!(
            cipher.open("plain text", "x").unwrap_err(),
            SecretError::Malformed
        );
    }

    #[test]
    fn the_same_secret_seals_differently_each_time() {
        let cipher = MasterKey::generate().column_cipher();
        assert_ne!(
            cipher.seal(b"same", "a").unwrap(),
            cipher.seal(b"same", "a").unwrap()
        );
    }

    #[test]
    fn keys_round_trip_through_base64_and_bad_keys_are_refused() {
        let key = MasterKey::generate();
        let again = MasterKey::from_base64(&format!(" {}\n", key.to_base64().as_str())).unwrap();
        assert_eq!(again.id(), key.id());
        assert!(matches!(
            MasterKey::from_base64("c2hvcnQ="),
            Err(SecretError::BadKey(_))
        ));
        assert!(matches!(
            MasterKey::from_base64("not base64!"),
            Err(SecretError::BadKey(_))
        ));
        assert_ne!(
            MasterKey::generate().id(),
            key.id(),
            "two installs get different keys"
        );
        assert!(!format!("{key:?}").contains(key.to_base64().as_str()));
    }

    #[test]
    fn purposes_get_unrelated_keys() {
        let key = MasterKey::generate();
        let purposes = [
            KeyPurpose::ColumnSecrets,
            KeyPurpose::SessionTokens,
            KeyPurpose::Csrf,
            KeyPurpose::InviteTokens,
        ];
        for (i, a) in purposes.iter().enumerate() {
            for b in &purposes[i + 1..] {
                assert_ne!(*key.derive(*a), *key.derive(*b), "{a:?} vs {b:?}");
            }
        }
        assert_eq!(*key.derive(KeyPurpose::Csrf), *key.derive(KeyPurpose::Csrf));
    }

    #[test]
    fn the_key_check_recognises_its_key_only() {
        let key = MasterKey::generate();
        let check = key.column_cipher().key_check().unwrap();
        key.column_cipher().verify_key_check(&check).unwrap();
        assert!(
            MasterKey::generate()
                .column_cipher()
                .verify_key_check(&check)
                .is_err()
        );
    }
}
