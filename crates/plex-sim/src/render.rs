//! Content negotiation and bodies shared by the simulated APIs (plex-api.md §0.3–0.4).

use actix_web::{HttpRequest, HttpResponse, http::header};

/// The body format a request asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xml,
    Json,
}

impl Format {
    /// PMS and plex.tv v2 answer JSON only when `Accept` asks for it; XML is the default.
    pub(crate) fn of(req: &HttpRequest) -> Self {
        let wants_json = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));
        if wants_json { Self::Json } else { Self::Xml }
    }
}

/// Escapes text for an XML attribute value.
pub(crate) fn xml_attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An XML response with Plex's declaration line.
pub(crate) fn xml(body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xml")
        .body(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}"
        ))
}

/// An XML answer; with the control-character fault on, every `title` attribute starts with
/// `\x0b`, which strict XML parsers reject (§8.22).
pub(crate) fn xml_with_faults(world: &crate::world::World, body: &str) -> HttpResponse {
    if world.faults.control_characters {
        xml(&body.replace(" title=\"", " title=\"\u{b}"))
    } else {
        xml(body)
    }
}

/// A plex.tv v2 object as its XML twin (§0.3): scalars become attributes (`true`/`false` as
/// `1`/`0`, `null` omitted), arrays of objects become a wrapper element holding one `singular`
/// element per item.
pub(crate) fn v2_element(name: &str, value: &serde_json::Value) -> String {
    use serde_json::Value;
    use std::fmt::Write as _;
    let Value::Object(fields) = value else {
        return format!("<{name}/>");
    };
    let mut attrs = String::new();
    let mut children = String::new();
    for (key, field) in fields {
        match field {
            Value::Null => {}
            Value::Bool(b) => {
                let _ = write!(attrs, " {key}=\"{}\"", u8::from(*b));
            }
            Value::Number(n) => {
                let _ = write!(attrs, " {key}=\"{n}\"");
            }
            Value::String(s) => {
                let _ = write!(attrs, " {key}=\"{}\"", xml_attr(s));
            }
            Value::Array(items) => {
                let singular = key.strip_suffix('s').unwrap_or(key);
                let _ = write!(children, "<{key}>");
                for item in items {
                    children.push_str(&v2_element(singular, item));
                }
                let _ = write!(children, "</{key}>");
            }
            Value::Object(_) => children.push_str(&v2_element(key, field)),
        }
    }
    if children.is_empty() {
        format!("<{name}{attrs}/>")
    } else {
        format!("<{name}{attrs}>{children}</{name}>")
    }
}

/// The PMS answer to a missing or wrong token: HTML, not XML or JSON (§0.4).
pub(crate) fn pms_unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized().content_type("text/html").body(
        "<html><head><script>window.location = window.location.href.match(/(^.+\\/)[^\\/]*$/)[1] \
         + 'web/index.html';</script><title>Unauthorized</title></head><body><h1>401 \
         Unauthorized</h1></body></html>",
    )
}

/// plex.tv's "no such route or thing": 404 with code 1002 (§0.4).
pub(crate) fn tv_not_found(format: Format) -> HttpResponse {
    tv_error(
        format,
        404,
        1002,
        "The requested resource or endpoint could not be found",
    )
}

/// A plex.tv v2 error in the requested format (§0.4).
pub(crate) fn tv_error(format: Format, status: u16, code: u32, message: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    match format {
        Format::Json => HttpResponse::build(status).json(serde_json::json!({
            "errors": [{ "code": code, "message": message, "status": status.as_u16() }]
        })),
        Format::Xml => HttpResponse::build(status)
            .content_type("application/xml")
            .body(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error code=\"{code}\" \
             message=\"{}\" status=\"{}\"/></errors>",
                xml_attr(message),
                status.as_u16()
            )),
    }
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days, proleptic Gregorian).
pub(crate) fn rfc3339(secs: u64) -> String {
    let (date, time) = civil(secs);
    format!("{date}T{time}Z")
}

/// Seconds since 1970 as `YYYY-MM-DD HH:MM:SS UTC`, the form some v2 XML uses (§0.3).
pub(crate) fn utc_text(secs: u64) -> String {
    let (date, time) = civil(secs);
    format!("{date} {time} UTC")
}

/// (`YYYY-MM-DD`, `HH:MM:SS`) of an instant in UTC.
fn civil(secs: u64) -> (String, String) {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60),
    )
}

#[cfg(test)]
mod tests {
    use super::{rfc3339, utc_text};

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_643_673_600), "2022-02-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_text(1_591_964_931), "2020-06-12 12:28:51 UTC");
    }
}
