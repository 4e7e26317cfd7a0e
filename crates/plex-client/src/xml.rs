//! Decoding Plex XML: control characters stripped first (plex-api.md §0.3), then serde.

use serde::de::DeserializeOwned;

use crate::{Error, Result};

/// Parses `body` as `T`, naming `endpoint` in any error.
pub(crate) fn from_str<T: DeserializeOwned>(endpoint: &str, body: &str) -> Result<T> {
    let clean = crate::transport::sanitize_xml(body);
    quick_xml::de::from_str(&clean).map_err(|err| Error::Decode {
        endpoint: endpoint.to_owned(),
        message: err.to_string(),
    })
}

/// Plex XML booleans: `"1"`/`"0"`, sometimes `"true"`/`"false"`.
pub(crate) fn flag(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true" | "True"))
}

/// A number attribute; empty or malformed values read as absent.
pub(crate) fn number(value: Option<&str>) -> Option<u64> {
    value.and_then(|v| v.trim().parse().ok())
}

/// A text attribute; empty values read as absent.
pub(crate) fn text(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{flag, number};

    #[test]
    fn flags_and_numbers_tolerate_plex_spellings() {
        assert!(flag(Some("1")) && flag(Some("true")));
        assert!(!flag(Some("0")) && !flag(Some("")) && !flag(None));
        assert_eq!(number(Some("1547660334")), Some(1_547_660_334));
        assert_eq!(number(Some("")), None);
    }
}
