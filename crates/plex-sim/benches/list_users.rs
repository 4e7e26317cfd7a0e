//! Lists 10,000 users from a simulated plex.tv through `plex-client`: wall time per listing
//! and the process's peak memory. Run with `cargo bench -p plex-sim --bench list_users`.
#![expect(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark binary reports on stdout and stops on failure"
)]

use std::time::Instant;

use plex_sim::{PlexSim, World};

const FRIENDS: u64 = 10_000;
const ROUNDS: u32 = 10;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

#[tokio::main]
async fn main() {
    let world = World::large(FRIENDS);
    let owner = world.owner().unwrap().token.clone();
    let sim = PlexSim::builder().world(world).start().unwrap();
    let identity = plex_client::ClientIdentity {
        product: "bench".to_owned(),
        version: "0".to_owned(),
        client_identifier: "bench".to_owned(),
        device_name: "bench".to_owned(),
        platform: "linux".to_owned(),
    };
    let tv = plex_client::PlexTv::new(
        plex_client::Transport::new(identity).unwrap(),
        plex_client::PlexTvUrls {
            plex_tv: sim.plex_tv_url.clone(),
            clients_plex_tv: sim.clients_plex_tv_url.clone(),
            ..plex_client::PlexTvUrls::default()
        },
    );
    let token = plex_client::PlexToken::new(owner);
    // Warm-up, and a check that the whole list arrives.
    assert_eq!(tv.list_users(&token).await.unwrap().len(), 10_000);
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let users = tv.list_users(&token).await.unwrap();
        times.push(start.elapsed());
        assert_eq!(users.len(), 10_000);
    }
    times.sort();
    println!(
        "list_users ({FRIENDS} users, simulator render + HTTP + parse): median {:?}, min {:?}, max {:?}",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    if let Some(kib) = peak_rss_kib() {
        println!("peak RSS of simulator + client process: {} MiB", kib / 1024);
    }
    sim.stop().await;
}
