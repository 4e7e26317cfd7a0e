//! Local admin passwords: Argon2id with OWASP parameters (m = 19 MiB, t = 2, p = 1, the crate's
//! defaults), length rules and a list of passwords too common to allow.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

/// The shortest password accepted (ASVS 6.2.1).
pub const MIN_LEN: usize = 8;
/// The longest password accepted, unmodified (ASVS 6.2.9 asks for at least 64).
pub const MAX_LEN: usize = 128;

/// Passwords everyone tries first; refused outright (ASVS 6.2.12, without a network lookup).
const COMMON: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "password123",
    "qwerty123",
    "qwertyuiop",
    "11111111",
    "00000000",
    "iloveyou",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "letmein1",
    "admin123",
    "administrator",
    "passw0rd",
    "abc12345",
    "12341234",
    "1q2w3e4r",
    "1qaz2wsx",
    "qwerty12",
    "trustno1",
    "changeme",
    "plexplex",
    "plexpass",
    "dragon12",
    "master12",
    "monkey12",
    "starwars",
    "whatever",
    "superman",
    "87654321",
    "asdfghjk",
    "zaq12wsx",
    "p@ssw0rd",
    "q1w2e3r4",
];

/// Why a new password was refused, in words for the person choosing it.
pub fn check_new(username: &str, password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(format!("must be at least {MIN_LEN} characters"));
    }
    if length > MAX_LEN {
        return Err(format!("must be at most {MAX_LEN} characters"));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err("is one of the most common passwords; choose another".to_owned());
    }
    if !username.is_empty() && lower.contains(&username.trim().to_lowercase()) {
        return Err("must not contain the username".to_owned());
    }
    Ok(())
}

/// The Argon2id PHC string of `password`, with a fresh random salt.
pub fn hash(password: &str) -> Option<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .ok()
        .map(|hash| hash.to_string())
}

/// Whether `password` matches the PHC string `stored`. With no stored hash, a dummy hash is
/// checked anyway so unknown usernames take as long as wrong passwords (ASVS 6.3.8).
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    let (phc, real) = match stored {
        Some(phc) => (phc, true),
        None => (dummy_hash(), false),
    };
    let Ok(parsed) = argon2::password_hash::phc::PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("pum-timing-equaliser").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password_and_is_argon2id_with_owasp_parameters() {
        let stored = hash("correct horse battery").unwrap_or_default();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify(Some(&stored), "correct horse battery"));
        assert!(!verify(Some(&stored), "correct horse batterz"));
        assert!(!verify(None, "pum-timing-equaliser"));
        assert!(!verify(Some("not a phc string"), "x"));
    }

    #[test]
    fn new_passwords_follow_the_rules() {
        assert!(check_new("owner", "short").is_err());
        assert!(check_new("owner", &"x".repeat(129)).is_err());
        assert!(
            check_new("owner", &"xY1".repeat(42)).is_ok(),
            "128 characters are fine"
        );
        assert!(check_new("owner", "Password123").is_err());
        assert!(check_new("owner", "my-owner-pass").is_err());
        assert!(check_new("owner", "violet kettle drum").is_ok());
    }
}
