//! `plex-sim`: the simulated plex.tv and Plex Media Server as a process, for end-to-end tests
//! and for pointing any Plex client at a fake.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;
use plex_sim::{PlexSim, Scenario};

/// Serve a simulated plex.tv, clients.plex.tv and Plex Media Server on free ports, print one
/// JSON line with their URLs and the owner token, and run until interrupted.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The IP address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// A JSON scenario file describing the world; without one, the demo world.
    #[arg(long)]
    scenario: Option<PathBuf>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut builder = PlexSim::builder().bind_ip(args.bind);
    if let Some(path) = &args.scenario {
        builder = builder.world(Scenario::load(path)?);
    }
    let sim = builder.start()?;
    #[expect(
        clippy::print_stdout,
        reason = "the start-up line is this binary's interface"
    )]
    {
        println!("{}", sim.announcement());
    }
    tokio::signal::ctrl_c().await?;
    sim.stop().await;
    Ok(())
}
