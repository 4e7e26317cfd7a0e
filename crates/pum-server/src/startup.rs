//! Building and running the application: data directory, database, migrations, job queue,
//! services, HTTP server and worker, in that order.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context as _;
use plex_client::{ClientIdentity, PlexToken, PlexTv, PlexTvUrls, Transport};
use pum_core::admins::AdminService;
use pum_core::auth::AuthService;
use pum_core::discord::Discord;
use pum_core::events::EventLog;
use pum_core::invites::{InviteCodes, InvitesService};
use pum_core::jobs::JobsService;
use pum_core::plex::PlexService;
use pum_core::plex_auth::PlexAuthService;
use pum_core::settings::{Change, Key, SettingsService};
use pum_core::users::UsersService;
use pum_core::{Clock, SystemClock};
use pum_db::Db;
use secrecy::ExposeSecret;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::limits::RateLimits;
use crate::config::Settings;
use crate::state::AppState;
use crate::worker::{ApalisQueue, Storage};
use crate::{auth, error, request_id, routes, spa};

/// The Content-Security-Policy of every response: scripts only from this origin plus wasm
/// compilation, never inline; no framing.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Registers every documented route: `/healthz`, `/readyz` and the `/api/v1` API.
pub(crate) fn register_routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(routes::health::healthz)
        .service(routes::health::readyz)
        .service(
            scope("/api")
                .wrap(from_fn(auth::authenticate))
                .wrap(from_fn(error::ensure_json_errors))
                .service(
                    scope("/v1")
                        .configure(routes::configure_v1)
                        .default_service(web::to(error::api_not_found)),
                )
                .default_service(web::to(error::api_not_found)),
        );
}

/// A built application whose listener is already bound.
pub struct Application {
    port: u16,
    address: std::net::SocketAddr,
    server: Server,
    worker: Option<WorkerParts>,
    db: Db,
    admins: AdminService,
    jobs: JobsService,
}

struct WorkerParts {
    storage: Storage,
    jobs: JobsService,
    poll_interval: Duration,
}

/// Stops a running [`Application`] gracefully.
#[derive(Clone)]
pub struct StopHandle(ServerHandle);

impl StopHandle {
    /// Stops accepting connections, lets in-flight requests and jobs finish, then returns.
    pub async fn stop(&self) {
        self.0.stop(true).await;
    }
}

impl Application {
    /// Prepares everything and binds the listener, so port 0 works and no readiness wait is
    /// needed. `demo` marks an instance running against the simulator.
    pub async fn build(settings: &Settings, demo: bool) -> anyhow::Result<Self> {
        prepare_data_dir(&settings.data_dir)?;
        let url = settings.database_url();
        let db = Db::connect(&url)
            .await
            .with_context(|| format!("cannot open database {}", crate::redacted_url(&url)))?;
        migrate(&db, &settings.data_dir).await?;

        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let installation = crate::installation::open(
            &db,
            &settings.data_dir,
            settings.security.secret_key.as_ref(),
            clock.as_ref(),
        )
        .await?;
        let storage = Storage::open(&db.job_pool()).await?;
        let jobs = JobsService::new(
            db.clone(),
            clock.clone(),
            Arc::new(ApalisQueue(storage.clone())),
        );
        let state = services(settings, &db, &clock, &jobs, &installation, demo)?;
        import_configured_plex(settings, &state).await?;
        let listener = TcpListener::bind(settings.server.bind)
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let address = listener.local_addr()?;
        let port = address.port();
        let web_dir = spa::resolve(settings.server.web_dir.as_deref());
        if let Some(dir) = &web_dir.0 {
            tracing::info!(web_dir = %dir.display(), "serving the web interface");
        } else {
            tracing::warn!("the web interface is not built; only the API is served");
        }
        let admins = state.admins.clone();
        let server = http_server(listener, state, web_dir)?;
        let worker = settings.jobs.worker.then(|| WorkerParts {
            storage,
            jobs: jobs.clone(),
            poll_interval: Duration::from_millis(settings.jobs.poll_interval_ms),
        });
        Ok(Self {
            port,
            address,
            server,
            worker,
            db,
            admins,
            jobs,
        })
    }

    /// For `pum demo`: creates the owner `username` with `password` unless an admin exists,
    /// and then syncs the simulated server's users right away.
    /// Returns whether it did.
    pub async fn seed_demo_owner(&self, username: &str, password: &str) -> anyhow::Result<bool> {
        if pum_db::repo::admins::count(&self.db).await? > 0 {
            return Ok(false);
        }
        self.admins
            .create_owner(username, password, &pum_core::events::Actor::system())
            .await
            .map_err(|err| anyhow::anyhow!("cannot create the demo admin: {err}"))?;
        if let Err(err) = self.jobs.run_now(pum_core::jobs::JobKind::SyncUsers).await {
            tracing::warn!(error = %err, "could not queue the first user sync of the demo");
        }
        Ok(true)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the server (and with it the worker).
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle(self.server.handle())
    }

    /// The database handle, for tests and tooling.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until SIGINT/SIGTERM or [`StopHandle::stop`], then shuts down gracefully: the
    /// HTTP server drains, then the worker finishes its running jobs.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        // Register the handlers before announcing the address, so a signal sent right after
        // the announcement is never missed.
        let signals = ShutdownSignals::register().context("installing signal handlers")?;
        let signal_handle = self.server.handle();
        tokio::spawn(async move {
            signals.recv().await;
            tracing::info!("shutdown requested; finishing in-flight work");
            signal_handle.stop(true).await;
        });
        tracing::info!("listening on http://{}", self.address);
        let Some(worker) = self.worker else {
            return self.server.await.context("HTTP server failed");
        };
        let (stopped_tx, mut stopped_rx) = tokio::sync::watch::channel(false);
        let shutdown = async move {
            let _ = stopped_rx.wait_for(|stopped| *stopped).await;
            Ok(())
        };
        let instance = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
        let handle = self.server.handle();
        let mut worker_task = tokio::spawn(async move {
            crate::worker::run(
                worker.storage,
                worker.jobs,
                worker.poll_interval,
                &instance,
                shutdown,
            )
            .await
        });
        let mut server = self.server;
        tokio::select! {
            http_result = &mut server => {
                let _ = stopped_tx.send(true);
                let worker_result = worker_task.await.context("job worker panicked")?;
                http_result.context("HTTP server failed")?;
                worker_result
            }
            worker_result = &mut worker_task => {
                tracing::error!("the job worker stopped unexpectedly; shutting down");
                handle.stop(true).await;
                let _ = server.await;
                worker_result.context("job worker panicked")?
            }
        }
    }
}

fn http_server(
    listener: TcpListener,
    state: AppState,
    web_dir: spa::WebDir,
) -> anyhow::Result<Server> {
    let openapi = crate::openapi::document();
    let route_table = web::Data::new(crate::openapi::RouteTable::from_document(&openapi));
    let state = web::Data::new(state);
    let web_dir = web::Data::new(web_dir);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add(("content-security-policy", CSP))
                    .add(("x-content-type-options", "nosniff"))
                    .add(("x-frame-options", "DENY"))
                    .add(("referrer-policy", "no-referrer"))
                    .add(("cross-origin-opener-policy", "same-origin")),
            )
            .wrap(from_fn(request_id::propagate))
            .wrap(TracingLogger::default())
            .app_data(state.clone())
            .app_data(web_dir.clone())
            .app_data(route_table.clone())
            .app_data(error::json_config())
            .app_data(error::path_config())
            .app_data(error::query_config())
            .route(
                "/api/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("location", "/api/docs/"))
                        .finish()
                }),
            )
            .service(
                SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", openapi.clone()),
            )
            .into_utoipa_app()
            .configure(register_routes)
            .into_app()
            .default_service(web::to(spa::serve))
    })
    .shutdown_timeout(15)
    .disable_signals()
    .listen(listener)?
    .run();
    Ok(server)
}

/// SIGINT (Ctrl-C) and SIGTERM (`docker stop`, systemd), registered up front.
struct ShutdownSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    fn register() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    async fn recv(mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Admin management for the `pum admin` commands: opens the database (whose schema must be
/// current) and the installation key, without starting the server.
pub async fn admin_tools(settings: &Settings) -> anyhow::Result<AdminService> {
    let url = settings.database_url();
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("cannot open database {}", crate::redacted_url(&url)))?;
    let state = db
        .migration_state()
        .await
        .context("reading the schema version")?;
    if !state.pending.is_empty() || state.applied.is_empty() {
        anyhow::bail!(
            "the database is not set up or not up to date: start pum (or run `pum migrate up`) first"
        );
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let installation = crate::installation::open(
        &db,
        &settings.data_dir,
        settings.security.secret_key.as_ref(),
        clock.as_ref(),
    )
    .await?;
    let auth = AuthService::new(db.clone(), clock.clone(), &installation.key);
    let events = EventLog::new(db.clone(), clock.clone());
    Ok(AdminService::new(db, clock, auth, events))
}

/// Builds every service of the application state.
fn services(
    settings: &Settings,
    db: &Db,
    clock: &Arc<dyn Clock>,
    jobs: &JobsService,
    installation: &crate::installation::Opened,
    demo: bool,
) -> anyhow::Result<AppState> {
    let transport = Transport::new(client_identity(installation.client_identifier.clone()))
        .context("setting up the Plex client")?
        .with_timeout(std::time::Duration::from_secs(settings.plex.timeout_secs));
    let tv = PlexTv::new(
        transport.clone(),
        PlexTvUrls {
            plex_tv: settings.plex.plex_tv_url.clone(),
            clients_plex_tv: settings.plex.clients_plex_tv_url.clone(),
            auth_app: settings.plex.auth_app_url.clone(),
        },
    );
    let settings_service = SettingsService::new(
        db.clone(),
        Arc::new(installation.key.column_cipher()),
        clock.clone(),
    );
    let auth = AuthService::new(db.clone(), clock.clone(), &installation.key);
    let events = EventLog::new(db.clone(), clock.clone());
    let plex = PlexService::new(transport, tv.clone(), settings_service.clone());
    let users = UsersService::new(
        db.clone(),
        clock.clone(),
        plex.clone(),
        settings_service.clone(),
        events.clone(),
        jobs.clone(),
    );
    let invites = InvitesService::new(
        db.clone(),
        clock.clone(),
        plex.clone(),
        settings_service.clone(),
        events.clone(),
        jobs,
        InviteCodes::new(
            &installation.key,
            Arc::new(installation.key.column_cipher()),
        ),
        Discord::new(&settings.discord.base_url)?,
    );
    Ok(AppState {
        db: db.clone(),
        jobs: jobs.clone(),
        plex,
        users,
        invites,
        plex_auth: PlexAuthService::new(db.clone(), clock.clone(), tv),
        admins: AdminService::new(db.clone(), clock.clone(), auth.clone(), events.clone()),
        settings: settings_service,
        auth,
        events,
        limits: Arc::new(RateLimits::default()),
        trusted_proxies: settings.server.trusted_proxies.clone(),
        started_at: clock.now(),
        demo,
        worker_enabled: settings.jobs.worker,
    })
}

/// A Plex server given in the configuration (`PUM_PLEX_URL`, `PUM_PLEX_TOKEN`) is copied into
/// the stored settings on the first start that sees it, the token sealed; from then on the
/// settings page owns it.
async fn import_configured_plex(settings: &Settings, state: &AppState) -> anyhow::Result<()> {
    let Some(url) = &settings.plex.server_url else {
        return Ok(());
    };
    let stored = state.settings.snapshot().await?;
    if stored.get(Key::PlexServerUrl).is_some() {
        return Ok(());
    }
    let mut changes = vec![Change::set(Key::PlexServerUrl, url.clone())];
    if let Some(token) = &settings.plex.token {
        changes.push(Change::set(Key::PlexToken, token.expose_secret()));
        let token = PlexToken::new(token.expose_secret());
        match state.plex_auth.tv().account(&token).await {
            Ok(account) => changes.push(Change::set(
                Key::PlexOwnerAccountId,
                account.id.get().to_string(),
            )),
            Err(err) => {
                tracing::warn!(error = %err, "could not read the Plex account of the configured token");
            }
        }
        if let Ok(server) = state.plex.test(url, &token, None).await {
            changes.push(Change::set(Key::PlexServerName, server.info.friendly_name));
            changes.push(Change::set(
                Key::PlexMachineIdentifier,
                server.identity.machine_identifier.to_string(),
            ));
        }
    }
    state
        .settings
        .write(&changes, Some("configuration"))
        .await?;
    tracing::info!("imported the Plex server from the configuration into the settings");
    Ok(())
}

/// How pum identifies itself to Plex: one identifier per installation (plex-api.md §0.2).
fn client_identity(client_identifier: String) -> ClientIdentity {
    ClientIdentity {
        product: "Plex User Manager".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        client_identifier,
        device_name: "pum".to_owned(),
        platform: std::env::consts::OS.to_owned(),
    }
}

/// Creates the data directory and proves it is writable.
fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    let shown = dir.display();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data directory '{shown}'"))?;
    let probe = dir.join(".pum-write-test");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("data directory '{shown}' is not writable"))?;
    std::fs::remove_file(&probe)
        .with_context(|| format!("data directory '{shown}' is not writable"))?;
    Ok(())
}

/// Applies pending migrations; on an existing SQLite database, first copies it to
/// `DATA_DIR/backups/` so a failed upgrade can be rolled back by hand.
async fn migrate(db: &Db, data_dir: &Path) -> anyhow::Result<()> {
    let state = db
        .migration_state()
        .await
        .context("reading the schema version")?;
    if state.pending.is_empty() {
        return Ok(());
    }
    if !state.applied.is_empty() && db.engine() == pum_db::Engine::Sqlite {
        let backups = data_dir.join("backups");
        std::fs::create_dir_all(&backups)
            .with_context(|| format!("cannot create backup directory '{}'", backups.display()))?;
        let stamp = SystemClock.now().format("%Y%m%dT%H%M%SZ");
        let target = backups.join(format!("pum-{stamp}-before-{}.db", state.pending[0]));
        db.backup_sqlite_to(&target)
            .await
            .with_context(|| format!("backing up the database to '{}'", target.display()))?;
        tracing::info!(backup = %target.display(), "database backed up before migrating");
    }
    db.migrate().await.context("migrating the database")?;
    Ok(())
}
