//! The `pum` binary.

use std::process::ExitCode;

use clap::Parser;
use pum_server::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return fail(&anyhow::Error::new(err).context("cannot start the runtime")),
    };
    match runtime.block_on(pum_server::run::dispatch(cli, |name| {
        std::env::var(name).ok()
    })) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

/// Prints the whole error chain on one line, never a backtrace.
#[expect(
    clippy::print_stderr,
    reason = "the one-line error is the binary's interface"
)]
fn fail(err: &anyhow::Error) -> ExitCode {
    // Some errors repeat their source in their own message; print each part once.
    let mut message = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if message.contains(&part) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&part);
    }
    let message = message.replace(['\n', '\r'], " ");
    eprintln!("pum: error: {message}");
    ExitCode::FAILURE
}
