//! `X-Plex-*` values arrive as headers, query parameters or (on POST) form fields (§0.2).

use std::collections::HashMap;

use actix_web::{HttpRequest, web};

/// The request's query and form fields, looked up together with its headers.
pub(crate) struct Params {
    query: HashMap<String, String>,
    form: HashMap<String, String>,
}

impl Params {
    /// Reads the query string and, when given, a urlencoded form body.
    pub(crate) fn read(req: &HttpRequest, body: Option<&[u8]>) -> Self {
        let parse = |s: &str| {
            web::Query::<HashMap<String, String>>::from_query(s)
                .map(web::Query::into_inner)
                .unwrap_or_default()
        };
        let form = body
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(parse)
            .unwrap_or_default();
        Self {
            query: parse(req.query_string()),
            form,
        }
    }

    /// A value from the header `name`, else the query, else the form.
    pub(crate) fn get(&self, req: &HttpRequest, name: &str) -> Option<String> {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| self.query.get(name).cloned())
            .or_else(|| self.form.get(name).cloned())
            .filter(|v| !v.is_empty())
    }

    /// A query or form field (not a header).
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        self.query
            .get(name)
            .or_else(|| self.form.get(name))
            .map(String::as_str)
    }
}
