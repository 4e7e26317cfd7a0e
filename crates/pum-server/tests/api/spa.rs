use crate::helpers::{Options, fake_web_dir, spawn_app, spawn_app_with};

async fn app_with_web() -> (crate::helpers::TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let web = fake_web_dir(dir.path());
    let app = spawn_app_with(Options {
        worker: true,
        web_dir: Some(web),
        ..Options::default()
    })
    .await;
    (app, dir)
}

#[tokio::test]
async fn client_routes_fall_back_to_index_html_without_caching() {
    let (app, _dir) = app_with_web().await;
    for path in ["/", "/users", "/settings/admins/2", "/jobs?x=1"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>pum</title>"),
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year() {
    let (app, _dir) = app_with_web().await;
    let response = app.get("/assets/app-1a2b3c.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    app.stop().await;
}

#[tokio::test]
async fn missing_assets_and_escapes_are_404s_not_the_index() {
    let (app, _dir) = app_with_web().await;
    for path in [
        "/assets/missing-123.js",
        "/favicon.ico",
        "/assets/..%2F..%2Fetc%2Fpasswd",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    assert_eq!(app.get("/robots.txt").await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn api_paths_never_fall_back_to_the_spa() {
    let (app, _dir) = app_with_web().await;
    let response = app.get("/api/v1/users-that-do-not-exist").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    app.stop().await;
}

#[tokio::test]
async fn without_a_built_spa_pages_explain_how_to_build_it() {
    let app = spawn_app().await;
    let response = app.get("/users").await;
    assert_eq!(response.status(), 503);
    assert!(response.text().await.unwrap().contains("just build-web"));
    app.stop().await;
}
