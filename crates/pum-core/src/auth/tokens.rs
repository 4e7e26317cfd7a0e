//! Random secrets, their stored hashes, API key text and session cookies (JWTs).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::OsRng;
use chacha20poly1305::aead::rand_core::RngCore as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

/// The visible start of every API key, so secret scanners can spot a leaked one.
pub const API_KEY_PREFIX: &str = "pumk_";

/// `bytes` random bytes from the operating system, base64url without padding.
pub fn random_secret(bytes: usize) -> String {
    let mut buf = Zeroizing::new(vec![0u8; bytes]);
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf.as_slice())
}

/// The SHA-256 of `secret` in hex: what is stored instead of a session or key secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A freshly generated API key: its public id and the whole key text, shown once.
pub struct NewApiKey {
    /// The public id (the middle part).
    pub id: String,
    /// `pumk_<id>_<secret>`.
    pub key: Zeroizing<String>,
    /// What to store: the SHA-256 of the secret part.
    pub secret_hash: String,
}

/// Generates an API key: a 12-character id and a 256-bit secret.
pub fn new_api_key() -> NewApiKey {
    let mut id_bytes = [0u8; 6];
    OsRng.fill_bytes(&mut id_bytes);
    let id = hex::encode(id_bytes);
    let secret = Zeroizing::new(random_secret(32));
    NewApiKey {
        key: Zeroizing::new(format!("{API_KEY_PREFIX}{id}_{}", secret.as_str())),
        secret_hash: hash_secret(&secret),
        id,
    }
}

/// Splits `pumk_<id>_<secret>` into id and secret; `None` for anything else.
pub fn parse_api_key(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix(API_KEY_PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let valid_id = id.len() == 12 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let valid_secret = (40..=64).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (valid_id && valid_secret).then_some((id, secret))
}

/// What the session cookie carries, signed with the installation's session key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The admin's id.
    pub sub: Uuid,
    /// The session secret; its SHA-256 finds the session record.
    pub tok: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

/// Signs and checks session cookies (HS256 JWTs) with a key derived from the master key.
#[derive(Clone)]
pub struct SessionSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for SessionSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionSigner(***)")
    }
}

impl SessionSigner {
    /// A signer for the derived `key`.
    pub fn new(key: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
        }
    }

    /// The signed cookie value for `claims`.
    pub fn sign(&self, claims: &SessionClaims) -> Option<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding).ok()
    }

    /// The claims of a cookie value signed by this key and not expired at `now`; `None` for
    /// anything else (another key, tampering, expiry, another algorithm).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<SessionClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against pum's clock below, not the system clock.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        validation.leeway = 0;
        let claims = jsonwebtoken::decode::<SessionClaims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        (claims.exp > now.timestamp()).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};
    use uuid::Uuid;

    use super::*;

    #[test]
    fn api_keys_parse_back_into_their_id_and_secret() {
        let key = new_api_key();
        let (id, secret) = parse_api_key(&key.key).unwrap_or_default();
        assert_eq!(id, key.id);
        assert_eq!(hash_secret(secret), key.secret_hash);
        for bad in [
            "",
            "pumk_",
            "pumk_abc_def",
            "Bearer pumk_x",
            "pumk_zzzzzzzzzzzz_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert_eq!(parse_api_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn random_secrets_are_long_and_distinct() {
        let a = random_secret(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_secret(32));
    }

    #[test]
    fn a_session_cookie_verifies_only_with_its_key_and_before_expiry() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let claims = SessionClaims {
            sub: Uuid::new_v4(),
            tok: random_secret(32),
            iat: now.timestamp(),
            exp: (now + Duration::minutes(10)).timestamp(),
        };
        let signer = SessionSigner::new(&[7u8; 32]);
        let token = signer.sign(&claims).unwrap_or_default();
        assert_eq!(signer.verify(&token, now), Some(claims));
        assert_eq!(signer.verify(&token, now + Duration::minutes(10)), None);
        assert_eq!(SessionSigner::new(&[8u8; 32]).verify(&token, now), None);
        let mut tampered = token.clone();
        tampered.insert(tampered.len() - 2, 'x');
        assert_eq!(signer.verify(&tampered, now), None);
    }
}
