//! A stand-in for the hosted sign-in page `app.plex.tv/auth` (plex-api.md §1.2), so the demo
//! and browser tests can sign in with Plex. The page reads `code` and `forwardUrl` from the
//! URL fragment, offers "Continue as …" for every account (which approves the PIN through the
//! control API) and then sends the browser to `forwardUrl`. With automatic approval on it just
//! waits and forwards, except for a sign-in that returns to an invite page (`/i/…`): an
//! invitee is not the server owner, so the PIN is taken out of automatic approval and the
//! person chooses an account.

use actix_web::{HttpResponse, web};

use crate::SharedWorld;

/// `GET /auth`: the page.
pub(crate) async fn page(world: web::Data<SharedWorld>) -> HttpResponse {
    let Ok(world) = world.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    let accounts: Vec<serde_json::Value> = world
        .accounts
        .iter()
        .filter(|a| !a.managed)
        .map(|a| serde_json::json!({ "id": a.id, "username": a.username }))
        .collect();
    let config = serde_json::json!({
        "accounts": accounts,
        "autoApproveMs": world.auto_approve_pins.map(|d| d.as_millis()),
    })
    .to_string()
    .replace('<', "\\u003c");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(PAGE.replace("__CONFIG__", &config))
}

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plex sign-in (simulated)</title><link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;background:#1f1f1f;color:#eee;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#2b2b2b;padding:2rem;border-radius:12px;max-width:26rem;width:100%}
h1{font-size:1.25rem;margin-top:0}p{color:#bbb}
button{display:block;width:100%;margin:.5rem 0;padding:.75rem;border:0;border-radius:8px;background:#e5a00d;color:#111;font-weight:600;cursor:pointer}
</style></head>
<body><main>
<h1>Simulated Plex sign-in</h1>
<p>This page stands in for app.plex.tv in the pum simulator.</p>
<p id="status"></p>
<div id="accounts"></div>
</main>
<script>
const config = __CONFIG__;
const params = new URLSearchParams(location.hash.replace(/^#!?\??/, ""));
const code = params.get("code");
const forward = params.get("forwardUrl");
const status = document.getElementById("status");
const done = () => { if (forward) { location.href = forward; } else { status.textContent = "Signed in. You can close this page."; } };
const invitee = forward !== null && /\/i\//.test(forward);
if (!code) {
  status.textContent = "No PIN code in the address.";
} else if (config.autoApproveMs !== null && !invitee) {
  status.textContent = "Signing you in as the server owner…";
  setTimeout(done, config.autoApproveMs + 200);
} else {
  if (invitee) { fetch("/__sim/pins/by-code/" + encodeURIComponent(code) + "/manual", { method: "POST" }); }
  status.textContent = "Choose the Plex account to sign in as:";
  const list = document.getElementById("accounts");
  for (const account of config.accounts) {
    const button = document.createElement("button");
    button.textContent = "Continue as " + account.username;
    button.dataset.account = account.id;
    button.addEventListener("click", async () => {
      const res = await fetch("/__sim/pins/by-code/" + encodeURIComponent(code) + "/approve?account=" + account.id, { method: "POST" });
      if (res.ok) { done(); } else { status.textContent = "The PIN is unknown or expired."; }
    });
    list.appendChild(button);
  }
}
</script></body></html>
"#;
