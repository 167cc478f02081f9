//! The one async runtime that runs every request of the process.
//!
//! It is started on first use and lives as long as the host process, so that a PowerShell
//! session pays for its threads once. Two workers are plenty: requests wait on the network.

use crate::error::{Error, ErrorKind};
use std::sync::OnceLock;
use tokio::runtime::{Builder, Runtime};

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The shared runtime, started on the first call.
pub fn shared() -> Result<&'static Runtime, Error> {
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("spo-crosstenant-io")
                .enable_io()
                .enable_time()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|why| {
            Error::new(
                ErrorKind::Internal,
                "RuntimeUnavailable",
                format!("The library could not start its network threads: {why}"),
            )
        })
}
