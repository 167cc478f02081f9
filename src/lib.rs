//! Engine of the SPOCrossTenant PowerShell module.
//!
//! SharePoint Online cross-tenant trust (the "MnA" org relations used for OneDrive and
//! SharePoint migrations between tenants) is managed through CSOM `ProcessQuery` calls on
//! the tenant admin site. This crate builds those calls, sends them, reads the answers and
//! exposes the whole thing to PowerShell through a small C ABI (see [`ffi`]).
//!
//! Layout: [`csom`] speaks the wire format, [`site_url`] checks the URLs admins type,
//! [`trust`] turns a cmdlet's arguments into a CSOM call, [`transport`] and [`connection`]
//! send it, [`operation`] runs it in the background so the caller can wait and cancel, and
//! [`ffi`] is the only place with `unsafe` code.

pub mod answer;
pub mod auth;
pub mod connection;
pub mod csom;
pub mod error;
pub mod ffi;
pub mod operation;
pub mod retry;
pub mod runtime;
pub mod sign_in_request;
pub mod site_url;
pub mod transport;
pub mod trust;

pub use error::{Error, ErrorKind};

/// The crate version, also sent in the User-Agent and the CSOM ApplicationName.
pub const LIBRARY_VERSION: &str = env!("CARGO_PKG_VERSION");
