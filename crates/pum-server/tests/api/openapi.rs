use crate::helpers::spawn_app;

#[test]
fn openapi_document_is_fresh() {
    // Regenerate with `just openapi` (UPDATE_EXPECT=1).
    expect_test::expect_file!["../../../../openapi/openapi.json"]
        .assert_eq(&pum_server::openapi::document_json());
}

#[test]
fn config_reference_is_fresh() {
    // Regenerate with `just config-docs` (UPDATE_EXPECT=1).
    expect_test::expect_file!["../../../../docs/config.md"]
        .assert_eq(&pum_server::config::reference_markdown());
}

#[test]
fn the_readme_lists_every_environment_variable() {
    let readme = include_str!("../../../../README.md");
    for var in pum_server::config::ENV_VARS {
        assert!(
            readme.contains(&format!("| `{}` |", var.name)),
            "README lacks {}",
            var.name
        );
    }
}

#[test]
fn every_api_path_is_versioned_and_every_operation_documents_a_response() {
    let doc = pum_server::openapi::document();
    for (path, item) in &doc.paths.paths {
        assert!(
            path.starts_with("/api/v1/") || path == "/healthz" || path == "/readyz",
            "{path}"
        );
        let json = serde_json::to_value(item).unwrap();
        for (method, op) in json.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} documents no response"
            );
        }
    }
}

#[tokio::test]
async fn the_served_document_is_the_committed_one() {
    let app = spawn_app().await;
    let served = app.get_json("/api/v1/openapi.json").await;
    let committed: serde_json::Value =
        serde_json::from_str(&pum_server::openapi::document_json()).unwrap();
    assert_eq!(served, committed);
    app.stop().await;
}

#[tokio::test]
async fn the_api_docs_ui_is_served_offline() {
    let app = spawn_app().await;
    let redirect = app.get("/api/docs").await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/api/docs/");

    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    assert!(
        !html.contains("https://"),
        "the docs page must not load anything remote"
    );
    let bundle = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    let init = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"));
    app.stop().await;
}
