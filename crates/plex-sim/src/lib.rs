//! A simulated plex.tv and Plex Media Server, for tests and for `pum demo`.
//!
//! It never depends on `plex-client`: both are written from plex-api.md, so each checks the
//! other. It starts in-process on port 0 ([`PlexSim::start`]) or as the `plex-sim` binary.

mod auth_page;
mod control;
mod friends;
mod params;
mod pms;
mod render;
mod scenario;
mod sessions;
mod sharing;
mod tv;
mod world;

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, dev::ServerHandle, web};

pub use control::{Control, JournalEntry, NewAccount};
pub use scenario::{Base, FriendSpec, InviteSpec, OwnerSpec, Scenario, ScenarioError, ShareSpec};
pub use sessions::{HistoryEntry, LiveSession, Transcode};
pub use world::{Account, Faults, LibrarySectionsFault, Pin, Server, Share, ShareSettings, World};

/// The shared, mutable state behind every simulated endpoint.
pub(crate) type SharedWorld = Arc<Mutex<World>>;

/// Builder for a running simulator.
#[derive(Debug, Default)]
pub struct PlexSim {
    world: Option<World>,
    bind_ip: Option<std::net::IpAddr>,
    auto_approve_pins: Option<std::time::Duration>,
}

/// A simulator that is serving. Dropping it does not stop it; call [`RunningSim::stop`].
#[derive(Debug, Clone)]
pub struct RunningSim {
    /// Base URL standing in for `https://plex.tv`.
    pub plex_tv_url: String,
    /// Base URL standing in for `https://clients.plex.tv` (the same routes as plex.tv).
    pub clients_plex_tv_url: String,
    /// Base URL of the simulated Plex Media Server.
    pub pms_url: String,
    /// The server owner's plex.tv token.
    pub owner_token: String,
    /// Drives the simulator: approve PINs, switch faults, read the journal.
    pub control: Control,
    handles: Vec<ServerHandle>,
}

impl PlexSim {
    /// A simulator with the demo world on `127.0.0.1`.
    pub fn builder() -> Self {
        Self::default()
    }

    /// Uses `world` instead of the demo world.
    #[must_use]
    pub fn world(mut self, world: World) -> Self {
        self.world = Some(world);
        self
    }

    /// Approves every PIN as the owner once it is `after` old (for the demo, where nobody can
    /// sign in at the real plex.tv).
    #[must_use]
    pub fn auto_approve_pins(mut self, after: std::time::Duration) -> Self {
        self.auto_approve_pins = Some(after);
        self
    }

    /// Listens on `ip` instead of `127.0.0.1`.
    #[must_use]
    pub fn bind_ip(mut self, ip: std::net::IpAddr) -> Self {
        self.bind_ip = Some(ip);
        self
    }

    /// Binds three listeners (plex.tv, clients.plex.tv, PMS) on free ports and starts serving
    /// on the current tokio runtime.
    ///
    /// # Errors
    /// When a port cannot be bound.
    pub fn start(self) -> std::io::Result<RunningSim> {
        let ip = self
            .bind_ip
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        let mut world = self.world.unwrap_or_else(World::demo);
        if self.auto_approve_pins.is_some() {
            world.auto_approve_pins = self.auto_approve_pins;
        }
        let owner_token = world
            .owner()
            .map(|owner| owner.token.clone())
            .ok_or_else(|| std::io::Error::other("the world has no owner account"))?;
        let shared: SharedWorld = Arc::new(Mutex::new(world));
        let control = Control {
            world: shared.clone(),
            journal: Arc::default(),
        };

        let tv_listener = TcpListener::bind(SocketAddr::new(ip, 0))?;
        let clients_listener = TcpListener::bind(SocketAddr::new(ip, 0))?;
        let pms_listener = TcpListener::bind(SocketAddr::new(ip, 0))?;
        let plex_tv_url = url_of(&tv_listener)?;
        let clients_plex_tv_url = url_of(&clients_listener)?;
        let pms_url = url_of(&pms_listener)?;
        if let Ok(mut world) = shared.lock() {
            world.pms_url.clone_from(&pms_url);
        }

        let tv_world = shared.clone();
        let tv_control = control.clone();
        let tv = HttpServer::new(move || {
            let journal = tv_control.journal.clone();
            App::new()
                .wrap(from_fn(control::misbehave))
                .wrap(from_fn(move |req, next| {
                    control::record("plex.tv", journal.clone(), req, next)
                }))
                .app_data(web::Data::new(tv_world.clone()))
                .app_data(web::Data::new(tv_control.clone()))
                .configure(control::configure)
                .configure(friends::configure)
                .configure(sharing::configure)
                .configure(tv::configure)
        })
        .workers(1)
        .disable_signals()
        .listen(tv_listener)?
        .listen(clients_listener)?
        .run();
        let pms_world = shared;
        let pms_control = control.clone();
        let pms = HttpServer::new(move || {
            let journal = pms_control.journal.clone();
            App::new()
                .wrap(from_fn(control::misbehave))
                .wrap(from_fn(move |req, next| {
                    control::record("pms", journal.clone(), req, next)
                }))
                .app_data(web::Data::new(pms_world.clone()))
                .app_data(web::Data::new(pms_control.clone()))
                .configure(control::configure)
                .configure(pms::configure)
        })
        .workers(1)
        .disable_signals()
        .listen(pms_listener)?
        .run();
        let handles = vec![tv.handle(), pms.handle()];
        tokio::spawn(tv);
        tokio::spawn(pms);
        Ok(RunningSim {
            plex_tv_url,
            clients_plex_tv_url,
            pms_url,
            owner_token,
            control,
            handles,
        })
    }
}

impl RunningSim {
    /// Stops every listener, letting in-flight requests finish.
    pub async fn stop(&self) {
        for handle in &self.handles {
            handle.stop(true).await;
        }
    }

    /// The start-up line of the `plex-sim` binary: one JSON object with every URL and the
    /// owner token, so a script can point any client at the simulator.
    pub fn announcement(&self) -> serde_json::Value {
        serde_json::json!({
            "plex_tv_url": self.plex_tv_url,
            "clients_plex_tv_url": self.clients_plex_tv_url,
            "pms_url": self.pms_url,
            "owner_token": self.owner_token,
        })
    }
}

fn url_of(listener: &TcpListener) -> std::io::Result<String> {
    Ok(format!("http://{}", listener.local_addr()?))
}
