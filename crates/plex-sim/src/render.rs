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
