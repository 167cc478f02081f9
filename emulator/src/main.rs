//! `spo-emulator`: a local fake of the SharePoint Online tenant admin endpoint
//! (CSOM ProcessQuery) for the cross-tenant relationship methods. See README.md.

mod arguments;
mod cli;
mod control;
mod csom_dispatch;
mod csom_request;
mod csom_response;
mod emulator;
mod enums;
mod faults;
mod front;
mod host_url;
mod http_reply;
mod identity;
mod payload;
mod persistence;
mod request_log;
mod routes;
mod server;
mod startup;
mod stats;
mod status_codes;
mod tenant;
mod tenant_methods;
mod tls;
mod tokens;
mod verification;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // Two workers are plenty for a local emulator and leave the cores to the tests.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("spo-emulator: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(startup::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("spo-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}
