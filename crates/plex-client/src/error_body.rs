//! Reading the error bodies of every Plex API family (plex-api.md §0.4).

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// What Plex said went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlexErrorBody {
    pub(crate) code: Option<u32>,
    pub(crate) message: String,
}

#[derive(serde::Deserialize)]
struct JsonErrors {
    errors: Vec<JsonError>,
}

#[derive(serde::Deserialize)]
struct JsonError {
    #[serde(default)]
    code: Option<u32>,
    #[serde(default)]
    message: String,
}

/// Parses v2 JSON `{"errors":[…]}`, v2 XML `<errors><error …/></errors>`, the legacy
/// `<errors><error>Invalid token</error></errors>` and v1 `<Response code status/>`.
/// Anything else (PMS HTML, empty bodies) gives `None`.
pub(crate) fn parse(body: &str) -> Option<PlexErrorBody> {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') {
        let parsed: JsonErrors = serde_json::from_str(trimmed).ok()?;
        let first = parsed.errors.into_iter().next()?;
        return Some(PlexErrorBody {
            code: first.code,
            message: first.message,
        });
    }
    if trimmed.starts_with('<') {
        return parse_xml(&crate::transport::sanitize_xml(trimmed));
    }
    None
}

fn parse_xml(body: &str) -> Option<PlexErrorBody> {
    let mut reader = Reader::from_str(body);
    let mut in_error = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().as_ref(), "error" | "Response") =>
            {
                let is_response = e.name().as_ref() == "Response";
                let mut code = None;
                let mut message = None;
                for attr in e.attributes().flatten() {
                    let value = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .ok()?
                        .into_owned();
                    match attr.key.as_ref() {
                        "code" => code = value.parse().ok(),
                        "message" => message = Some(value),
                        // v1 puts the human text in `status`.
                        "status" if is_response => message = Some(value),
                        _ => {}
                    }
                }
                if let Some(message) = message {
                    return Some(PlexErrorBody { code, message });
                }
                in_error = true;
            }
            Event::Text(text) if in_error => {
                let message = text.xml10_content().trim().to_owned();
                if !message.is_empty() {
                    return Some(PlexErrorBody {
                        code: None,
                        message,
                    });
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PlexErrorBody, parse};

    fn body(code: Option<u32>, message: &str) -> Option<PlexErrorBody> {
        let message = message.to_owned();
        parse_ok(PlexErrorBody { code, message })
    }

    fn parse_ok(body: PlexErrorBody) -> Option<PlexErrorBody> {
        Some(body).filter(|b| !b.message.is_empty())
    }

    #[test]
    fn v2_json_errors_are_read() {
        assert_eq!(
            parse(
                r#"{"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]}"#
            ),
            body(Some(1001), "User could not be authenticated")
        );
        assert_eq!(
            parse(r#"{"errors":[{"code":1020,"message":"Code not found or expired"}]}"#),
            body(Some(1020), "Code not found or expired")
        );
    }

    #[test]
    fn v2_xml_errors_are_read() {
        assert_eq!(
            parse(
                r#"<?xml version="1.0" encoding="UTF-8"?><errors><error code="1001" message="User could not be authenticated" status="401"/></errors>"#
            ),
            body(Some(1001), "User could not be authenticated")
        );
    }

    #[test]
    fn the_legacy_invalid_token_body_is_read() {
        assert_eq!(
            parse(
                r#"<?xml version="1.0" encoding="UTF-8"?><errors><error>Invalid token</error></errors>"#
            ),
            body(None, "Invalid token")
        );
    }

    #[test]
    fn v1_response_errors_carry_their_text_in_status() {
        assert_eq!(
            parse(
                r#"<?xml version="1.0" encoding="UTF-8"?> <Response code="400" status="You're already sharing this server with plexFriend. Please edit your existing share."/>"#
            ),
            body(
                Some(400),
                "You're already sharing this server with plexFriend. Please edit your existing share."
            )
        );
    }

    #[test]
    fn control_characters_in_an_xml_error_do_not_break_parsing() {
        assert_eq!(
            parse("<errors><error code=\"1\" message=\"bad\u{b} title\"/></errors>"),
            body(Some(1), "bad title")
        );
    }

    #[test]
    fn html_and_empty_bodies_are_not_plex_errors() {
        assert_eq!(
            parse("<html><head><title>Unauthorized</title></head></html>"),
            None
        );
        assert_eq!(parse(""), None);
        assert_eq!(parse("{not json"), None);
    }
}
