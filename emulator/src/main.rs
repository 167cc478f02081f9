//! The `spo-emulator` binary: parses the command line and runs the emulator (see lib.rs).

use std::process::ExitCode;

use clap::Parser;
use spo_emulator::Cli;

fn main() -> ExitCode {
    match spo_emulator::run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("spo-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}
