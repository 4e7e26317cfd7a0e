use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

async fn assert_json_error(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()[CONTENT_TYPE].to_str().unwrap(),
        "application/json"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    body
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_404() {
    let app = spawn_app().await;
    for path in ["/api/v1/nope", "/api/nope", "/api", "/api/v2/system/status"] {
        let body = assert_json_error(app.get(path).await, 404, "not_found").await;
        assert!(
            body["message"].as_str().unwrap().contains("no API route"),
            "{path}: {body}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_json_body_is_a_json_400_naming_the_problem() {
    let app = spawn_app().await;
    let response = app
        .http
        .post(app.url("/api/v1/jobs/runs"))
        .header(CONTENT_TYPE, "application/json")
        .body("{\"job\": ")
        .send()
        .await
        .unwrap();
    let body = assert_json_error(response, 400, "bad_request").await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON"),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_json_400() {
    let app = spawn_app().await;
    let response = app
        .post_json("/api/v1/jobs/runs", &json!({"jobb": 1}))
        .await;
    let body = assert_json_error(response, 400, "bad_request").await;
    assert!(body["message"].as_str().unwrap().contains("jobb"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn a_non_json_content_type_is_a_json_415() {
    let app = spawn_app().await;
    let response = app
        .http
        .post(app.url("/api/v1/jobs/runs"))
        .header(CONTENT_TYPE, "text/plain")
        .body("job=prune_sessions")
        .send()
        .await
        .unwrap();
    assert_json_error(response, 415, "unsupported_media_type").await;
    app.stop().await;
}

#[tokio::test]
async fn the_wrong_method_is_a_json_405() {
    let app = spawn_app().await;
    let response = app
        .http
        .delete(app.url("/api/v1/system/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET");
    let body = assert_json_error(response, 405, "method_not_allowed").await;
    assert_eq!(
        body["message"],
        "method DELETE is not allowed on /api/v1/system/status; allowed: GET"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_oversized_body_is_a_json_413() {
    let app = spawn_app().await;
    let huge = format!("{{\"job\": \"{}\"}}", "x".repeat(300 * 1024));
    let response = app
        .http
        .post(app.url("/api/v1/jobs/runs"))
        .header(CONTENT_TYPE, "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_json_error(response, 413, "payload_too_large").await;
    app.stop().await;
}

#[tokio::test]
async fn a_bad_query_parameter_is_a_json_400() {
    let app = spawn_app().await;
    assert_json_error(
        app.get("/api/v1/jobs/runs?limit=abc").await,
        400,
        "bad_request",
    )
    .await;
    assert_json_error(
        app.get("/api/v1/jobs/runs?limit=0").await,
        400,
        "bad_request",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/system/status",
        "/api/v1/nope",
        "/healthz",
        "/some/page",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let id = headers["x-request-id"].to_str().unwrap();
        assert_eq!(id.len(), 36, "{path}: {id}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert_eq!(script_src, "script-src 'self' 'wasm-unsafe-eval'", "{path}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn an_error_body_quotes_the_request_id_of_its_response() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/nope").await;
    let header = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["request_id"], header);
    app.stop().await;
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let response = app
        .http
        .get(app.url("/api/v1/openapi.json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    app.stop().await;
}
