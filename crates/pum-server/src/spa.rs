//! Serves the built web interface: hashed assets with long cache lifetimes, and `index.html`
//! for every other non-API path so client-side routes survive a reload.

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

/// Where the built SPA lives, if anywhere.
#[derive(Debug, Clone)]
pub(crate) struct WebDir(pub(crate) Option<PathBuf>);

/// Picks the web directory: the configured one, else `web/` next to the executable, else
/// `frontend/dist` under the working directory. A directory counts only if it holds
/// `index.html`.
pub(crate) fn resolve(configured: Option<&Path>) -> WebDir {
    let has_index = |dir: &Path| dir.join("index.html").is_file();
    if let Some(dir) = configured {
        return WebDir(Some(dir.to_path_buf()).filter(|d| has_index(d)));
    }
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|p| p.join("web")));
    let candidates = beside_exe
        .into_iter()
        .chain(std::iter::once(PathBuf::from("frontend/dist")));
    WebDir(candidates.into_iter().find(|d| has_index(d)))
}

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>pum</title></head><body><h1>The web interface is not built</h1><p>The API is running \
(see <a href=\"/api/docs/\">/api/docs/</a>). Build the interface with <code>just build-web</code> \
or point <code>PUM_WEB_DIR</code> at a built copy.</p></body></html>";

/// The app's default service: everything that is not `/api`, `/healthz` or `/readyz`.
pub(crate) async fn serve(req: HttpRequest, web_dir: web::Data<WebDir>) -> HttpResponse {
    let Some(root) = web_dir.0.as_deref() else {
        return HttpResponse::ServiceUnavailable()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT);
    };
    let path = req.path().trim_start_matches('/');
    let is_asset = path.starts_with("assets/");
    let file = safe_join(root, path).filter(|p| p.is_file());
    if let Some(Ok(named)) = match file {
        Some(file) => Some(NamedFile::open_async(&file).await),
        None => None,
    } {
        {
            let mut response = named
                .use_etag(true)
                .use_last_modified(!is_asset)
                .into_response(&req);
            let cache = if is_asset {
                // File names carry a content hash, so a cached copy is never stale.
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=3600"
            };
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            return response;
        }
    }
    let has_extension = Path::new(path)
        .extension()
        .is_some_and(|ext| !ext.eq_ignore_ascii_case("html"));
    if is_asset || has_extension {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    }
    match NamedFile::open_async(root.join("index.html")).await {
        Ok(index) => {
            let mut response = index
                .use_etag(false)
                .use_last_modified(false)
                .into_response(&req);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT),
    }
}

/// `root/path` if `path` is a plain relative path (no `..`, no root, no prefix).
fn safe_join(root: &Path, path: &str) -> Option<PathBuf> {
    if path.is_empty() {
        return None;
    }
    let relative = Path::new(path);
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| root.join(relative))
}

#[cfg(test)]
mod tests {
    use super::safe_join;
    use std::path::Path;

    #[test]
    fn safe_join_refuses_to_leave_the_web_dir() {
        let root = Path::new("/srv/web");
        assert_eq!(
            safe_join(root, "assets/app.js"),
            Some(Path::new("/srv/web/assets/app.js").to_path_buf())
        );
        assert_eq!(safe_join(root, "../etc/passwd"), None);
        assert_eq!(safe_join(root, "assets/../../x"), None);
        assert_eq!(safe_join(root, "/etc/passwd"), None);
        assert_eq!(safe_join(root, ""), None);
    }
}
