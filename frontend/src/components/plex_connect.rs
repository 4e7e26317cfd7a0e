//! Connecting pum to a Plex Media Server: list the servers of the Plex account pum holds a
//! token for, or paste an address and token; every address is tested before it is kept.

use leptos::prelude::*;
use pum_api_types::auth::PlexPinPurpose;
use pum_api_types::settings::{ConnectPlexRequest, PlexConnected, PlexServerCandidate};

use crate::api::{self, ApiError};
use crate::components::forms::{Field, FormError, non_empty};
use crate::components::plex::PlexButton;

/// The connect panel; `on_connected` runs after a successful connection. `return_path` is
/// where a "Sign in with Plex" comes back to.
#[component]
pub(crate) fn PlexConnect(
    has_token: bool,
    return_path: &'static str,
    #[prop(into)] on_connected: Callback<PlexConnected>,
) -> impl IntoView {
    let servers = LocalResource::new(move || async move {
        if has_token {
            api::plex_servers().await.map(Some)
        } else {
            Ok(None)
        }
    });
    let connect = Action::new_local(move |request: &ConnectPlexRequest| {
        let request = request.clone();
        async move { api::connect_plex(request).await }
    });
    let result = RwSignal::new(None::<PlexConnected>);
    Effect::new(move |_| {
        if let Some(Ok(connected)) = connect.value().get() {
            result.set(Some(connected.clone()));
            on_connected.run(connected);
        }
    });
    let error = Signal::derive(move || connect.value().get().and_then(Result::err));
    let choose = move |server: PlexServerCandidate| {
        connect.dispatch(ConnectPlexRequest {
            urls: server.connections,
            machine_identifier: Some(server.machine_identifier),
            token: None,
        });
    };
    view! {
        <div class="plex-connect">
            {move || result.get().map(|c| view! { <Connected connected=c /> })}
            <Transition fallback=|| view! { <p class="muted">"Asking Plex for your servers…"</p> }>
                {move || Suspend::new(async move {
                    match servers.await {
                        Ok(Some(list)) if !list.servers.is_empty() => {
                            view! {
                                <p>"Servers of the Plex account " <strong>{list.account.clone()}</strong> ":"</p>
                                <ul class="choice-list" data-testid="plex-servers">
                                    {list
                                        .servers
                                        .into_iter()
                                        .map(|server| {
                                            let chosen = server.clone();
                                            view! {
                                                <li>
                                                    <div>
                                                        <strong>{server.name.clone()}</strong>
                                                        <span class="muted small">
                                                            {if server.online { " online" } else { " offline" }}
                                                        </span>
                                                        <div class="muted small">{server.connections.join(", ")}</div>
                                                    </div>
                                                    <button
                                                        type="button"
                                                        class="button button-primary"
                                                        disabled=move || connect.pending().get()
                                                        on:click=move |_| choose(chosen.clone())
                                                    >
                                                        "Connect"
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Ok(Some(_)) => view! { <p class="muted">"This Plex account owns no server."</p> }.into_any(),
                        Ok(None) => {
                            view! {
                                <p>"Sign in with the Plex account that owns the server, or paste its address and token below."</p>
                                <PlexButton purpose=PlexPinPurpose::Connect return_path=return_path />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <div class="notice notice-bad" role="alert">{e.message}</div> }.into_any(),
                    }
                })}
            </Transition>
            <ManualConnect connect=connect error=error />
            <FormError error=error />
        </div>
    }
}

/// Connecting by a typed address, with an optional pasted token.
#[component]
fn ManualConnect(
    connect: Action<ConnectPlexRequest, Result<PlexConnected, ApiError>>,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    view! {
            <details class="manual">
                <summary>"Enter an address by hand"</summary>
                <form
                    class="form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        connect.dispatch(ConnectPlexRequest {
                            urls: vec![url.get_untracked().trim().to_owned()],
                            machine_identifier: None,
                            token: non_empty(&token.get_untracked()),
                        });
                    }
                >
                    <Field label="Server address" name="urls" value=url error=error hint="For example http://192.168.1.10:32400" />
                    <Field
                        label="Plex token (optional if pum already holds one)"
                        name="token"
                        value=token
                        error=error
                        kind="password"
                    />
                    <button class="button" type="submit" disabled=move || connect.pending().get()>
                        "Test and connect"
                    </button>
                </form>
            </details>
    }
}

#[component]
fn Connected(connected: PlexConnected) -> impl IntoView {
    view! {
        <div class="notice notice-good" data-testid="plex-connected">
            <strong>"Connected to " {connected.name.clone()}</strong>
            " (Plex Media Server " {connected.version.clone()} ") at " <code>{connected.url.clone()}</code>
            <div class="small">
                "Libraries: "
                {connected.libraries.iter().map(|l| l.title.clone()).collect::<Vec<_>>().join(", ")}
            </div>
        </div>
    }
}
