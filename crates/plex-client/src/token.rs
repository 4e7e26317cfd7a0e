use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A plex.tv or PMS access token. Its `Debug` never shows the value.
#[derive(Clone)]
pub struct PlexToken(SecretString);

impl PlexToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    /// The token, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The token's text, for the caller that stores it sealed (pum keeps the server owner's
    /// token encrypted at rest). Never log or return it.
    pub fn expose_for_storage(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for PlexToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlexToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::PlexToken;

    #[test]
    fn debug_output_never_contains_the_token() {
        let token = PlexToken::new("canary-token-123");
        assert!(!format!("{token:?}").contains("canary"));
    }
}
