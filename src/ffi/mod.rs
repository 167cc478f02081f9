//! The C ABI, and the only module with `unsafe` code.
//!
//! Conventions (modelled on rustls-ffi and hyper's C API):
//! - every fallible export returns a [`spo_status`]; results go to out-parameters that are
//!   written only on success; a NULL argument gives `SPO_STATUS_NULL_ARGUMENT`;
//! - every export runs inside a panic boundary, so a bug never unwinds into the host;
//! - text in is NUL-terminated UTF-8; text out is a library-owned `char*` released with
//!   [`spo_string_free`]; handles are released with their `_free`, which accepts NULL;
//! - failures that need explaining come back as an [`spo_error`] handle, when the caller
//!   passes somewhere to put it.

mod boundary;
mod connection;
mod error;
mod operation;
mod sign_in;
mod status;
mod text;
mod trust;

pub use connection::{
    spo_connection, spo_connection_admin_url, spo_connection_free, spo_connection_info,
};
pub use error::{
    spo_error, spo_error_field, spo_error_free, spo_error_http_status, spo_error_kind,
    spo_error_text,
};
pub use operation::{
    spo_operation, spo_operation_cancel, spo_operation_connection, spo_operation_correlation_id,
    spo_operation_error, spo_operation_free, spo_operation_next_message, spo_operation_value,
    spo_operation_wait,
};
pub use sign_in::{
    spo_setting, spo_sign_in, spo_sign_in_begin, spo_sign_in_free, spo_sign_in_new,
    spo_sign_in_set, spo_sign_in_set_bytes,
};
pub use status::spo_status;
pub use text::spo_string_free;
pub use trust::{
    spo_host_url_begin, spo_relation_list_begin, spo_relation_list_by_partner_begin,
    spo_relation_list_by_scenario_begin, spo_relation_remove_begin, spo_relation_set_begin,
    spo_relation_verify_begin,
};

use libc::c_char;

/// Version of this C ABI. It changes whenever an export changes meaning or signature; the
/// PowerShell module refuses a library whose version differs from the one it was written for.
/// Version 1 connected with `spo_connection_new` (retired); version 2 signs in through
/// `spo_sign_in_*` and adds progress messages and connection info.
pub const SPO_ABI_VERSION: u32 = 2;

/// The ABI version this library implements (see `SPO_ABI_VERSION`).
#[unsafe(no_mangle)]
pub extern "C" fn spo_abi_version() -> u32 {
    SPO_ABI_VERSION
}

/// Writes the library's version (e.g. "0.1.0") to `*out`; free it with `spo_string_free`.
///
/// # Safety
/// `out` must be NULL or point to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_library_version(out: *mut *mut c_char) -> spo_status {
    boundary::call(std::ptr::null_mut(), || unsafe {
        boundary::write_text(out, crate::LIBRARY_VERSION)
    })
}
