//! `spo_connection`: one admin site, its token and its HTTP client.

use super::boundary::{self, Failure};
use super::error::spo_error;
use super::status::spo_status;
use crate::connection::{ConnectOptions, Connection};
use libc::c_char;
use std::sync::Arc;
use std::time::Duration;

/// An opaque connection. Thread-safe; operations keep it alive while they run, so freeing
/// it while one is in flight is safe.
#[allow(non_camel_case_types)]
pub struct spo_connection {
    pub(crate) inner: Arc<Connection>,
}

/// Connects to a tenant admin site with a bearer token. Nothing is sent yet: the URL and
/// token are checked and the HTTP client is set up. `timeout_ms` 0 means 100 seconds;
/// `client_tag` may be NULL. On failure `*error_out` (if not NULL) receives the reason.
///
/// # Safety
/// Text arguments must be NULL or NUL-terminated; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_connection_new(
    admin_url: *const c_char,
    access_token: *const c_char,
    timeout_ms: u32,
    client_tag: *const c_char,
    connection_out: *mut *mut spo_connection,
    error_out: *mut *mut spo_error,
) -> spo_status {
    boundary::call(error_out, || {
        boundary::check_out(connection_out, "connection_out")?;
        // SAFETY: forwarded contract.
        let (admin_url, access_token, client_tag) = unsafe {
            (
                boundary::text_in(admin_url, "admin_url")?,
                boundary::text_in(access_token, "access_token")?,
                boundary::optional_text_in(client_tag, "client_tag")?,
            )
        };
        let options = ConnectOptions {
            timeout: Duration::from_millis(u64::from(timeout_ms)),
            client_tag: client_tag.map(str::to_owned),
            ..ConnectOptions::default()
        };
        let connection =
            Connection::new(admin_url, access_token, options).map_err(Failure::from)?;
        let handle = boundary::into_handle(spo_connection {
            inner: Arc::new(connection),
        });
        // SAFETY: checked above.
        unsafe { boundary::write_out(connection_out, handle) }
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
