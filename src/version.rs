//! This library's version, once. It goes into the User-Agent, the CSOM ApplicationName and
//! `spo_describe`. The C ABI's own version lives with the ABI (`ffi::SPO_ABI_VERSION`).

/// The crate version, e.g. "0.1.0".
pub const LIBRARY_VERSION: &str = env!("CARGO_PKG_VERSION");
