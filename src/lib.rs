//! Engine of the SPOCrossTenant PowerShell module.
//!
//! SharePoint Online cross-tenant trust (the "MnA" org relations used for OneDrive and
//! SharePoint migrations between tenants) and the migration that follows it are managed
//! through CSOM `ProcessQuery` calls and one REST call on the tenant admin site. This crate builds those calls, sends them, reads
//! the answers and exposes the whole thing to PowerShell through a small C ABI ([`ffi`]).
//!
//! # Layers
//!
//! The modules form layers that point one way: each uses only the layers below it, never
//! one above, and no two modules use each other (the test in `src/layering.rs` checks
//! every `crate::` path in `src/`). Bottom to top:
//!
//! 1. [`error`], [`version`]: the one error type; this library's version.
//! 2. [`site_url`]: the rules for the URLs admins type.
//! 3. [`csom`]: the wire format: ProcessQuery request writer, the one ProcessQuery answer
//!    reader, the OData error body, the Tenant type id, the enum tables.
//! 4. [`transport`]: HTTP (TLS, proxy, timeouts), the throttle gate every request of a
//!    connection passes, what HTTP failures mean, the retry
//!    policy, the one async runtime, cancellable operations and their progress.
//! 5. [`auth`]: token sources (device code, certificate, password, managed identity, a
//!    pasted token) and their renewal.
//! 6. [`connection`]: a signed-in admin site, the sign-in settings by name, sending
//!    ProcessQuery and REST requests and reading their answers.
//! 7. [`operations`]: the commands: trust, the compatibility check, and migration after
//!    trust (identity map upload, content moves, their state, long paths); each argument
//!    (and the whole identity map file) checked before anything is sent.
//! 8. [`ffi`]: the C ABI only, and the only `unsafe` code.

pub mod error;
pub mod version;

pub mod site_url;

pub mod csom;

pub mod transport;

pub mod auth;

pub mod connection;

pub mod operations;

pub mod ffi;

pub use error::{Error, ErrorKind};
pub use version::LIBRARY_VERSION;

/// The layers of the crate docs, bottom first; a module may use its own layer's other
/// modules only where no cycle results, and any layer below.
#[cfg(test)]
const LAYERS: &[&[&str]] = &[
    &["error", "version"],
    &["site_url"],
    &["csom"],
    &["transport"],
    &["auth"],
    &["connection"],
    &["operations"],
    &["ffi"],
];

#[cfg(test)]
mod layering;
