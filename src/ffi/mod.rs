//! The C ABI (version 3, docs/abi-v3.md), and the only module with `unsafe` code.
//!
//! Conventions (modelled on rustls-ffi and hyper's C API):
//! - every export runs inside a panic boundary, so a bug never unwinds into the host;
//! - every fallible export returns a [`spo_status`] and writes one [`spo_result`] record to
//!   `*result_out` when that is not NULL: status, value, correlation id, failure details,
//!   progress; text is pointer + length, owned by the record, released with
//!   [`spo_result_free`]; a NULL argument gives `SPO_STATUS_NULL_ARGUMENT`;
//! - text in is NUL-terminated UTF-8 (setting values are bytes: pointer + length);
//! - handles are released with their `_free`, which accepts NULL.
//!
//! Files, each depending only on those before it: `status`, `text`, `handle`, `boundary`
//! (panic boundary and pointer helpers), `result`, `operation`, then the exports
//! `describe`, `call`, `sign_in`, `connection`.
//!
//! Retired with version 3 (names never reused with another meaning): spo_library_version,
//! spo_string_free, spo_connection_admin_url, spo_relation_set_begin,
//! spo_relation_verify_begin, spo_relation_remove_begin, spo_relation_list_begin,
//! spo_relation_list_by_partner_begin, spo_relation_list_by_scenario_begin,
//! spo_host_url_begin, spo_operation_value, spo_operation_correlation_id,
//! spo_operation_error, spo_operation_next_message, spo_operation_connection,
//! spo_sign_in_set_bytes, spo_setting, spo_error, spo_error_field, spo_error_kind,
//! spo_error_http_status, spo_error_text, spo_error_free.

mod boundary;
mod call;
mod connection;
mod describe;
mod handle;
mod operation;
mod result;
mod sign_in;
mod status;
mod text;

pub use call::spo_call;
pub use connection::{spo_connection_free, spo_connection_info};
pub use describe::spo_describe;
pub use handle::{spo_connection, spo_operation, spo_sign_in};
pub use operation::{spo_operation_cancel, spo_operation_free, spo_operation_wait};
pub use result::{spo_result, spo_result_free};
pub use sign_in::{spo_sign_in_begin, spo_sign_in_free, spo_sign_in_new, spo_sign_in_set};
pub use status::spo_status;
pub use text::spo_text;

/// Version of this C ABI. It changes whenever an export changes meaning or signature; the
/// PowerShell module refuses a library whose version differs from the one it was written
/// for. 1 connected with `spo_connection_new`; 2 signed in through `spo_sign_in_*` with
/// numbered settings and read results one export at a time; 3 returns one `spo_result`
/// record per call, runs commands by name through `spo_call`, and describes itself.
pub const SPO_ABI_VERSION: u32 = 3;

/// The ABI version this library implements (see `SPO_ABI_VERSION`).
#[unsafe(no_mangle)]
pub extern "C" fn spo_abi_version() -> u32 {
    SPO_ABI_VERSION
}
