//! `spo_connection`: one admin site, its token and its HTTP client.

use super::boundary;
use super::status::spo_status;
use crate::connection::Connection;
use libc::c_char;
use std::sync::Arc;

/// An opaque connection. Thread-safe; operations keep it alive while they run, so freeing
/// it while one is in flight is safe.
#[allow(non_camel_case_types)]
pub struct spo_connection {
    pub(crate) inner: Arc<Connection>,
}

/// Writes the connection's description as JSON: admin URL, sign-in method, tenant, account
/// or app id, token expiry (Unix seconds), whether it renews, timeout and retry limits. It
/// never contains the token.
///
/// # Safety
/// `connection` must be NULL or live; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_connection_info(
    connection: *const spo_connection,
    out: *mut *mut c_char,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(out, "out")?;
        // SAFETY: forwarded contract.
        let connection = unsafe { boundary::handle_ref(connection, "connection") }?;
        // SAFETY: checked above.
        unsafe { boundary::write_text(out, &connection.inner.describe().to_string()) }
    })
}

/// Writes the admin site URL of the connection to `*out`.
///
/// # Safety
/// `connection` must be NULL or live; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_connection_admin_url(
    connection: *const spo_connection,
    out: *mut *mut c_char,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(out, "out")?;
        // SAFETY: forwarded contract.
        let connection = unsafe { boundary::handle_ref(connection, "connection") }?;
        // SAFETY: checked above.
        unsafe { boundary::write_text(out, connection.inner.admin_url().as_str()) }
    })
}

/// Releases the connection; the token is wiped from memory once no operation uses it.
/// NULL is a no-op.
///
/// # Safety
/// `connection` must be NULL or a handle from this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_connection_free(connection: *mut spo_connection) {
    // SAFETY: forwarded contract.
    boundary::call_void(|| unsafe { boundary::free_handle(connection) });
}
