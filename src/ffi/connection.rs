//! `spo_connection`: one signed-in admin site. Described, and freed.

use super::boundary;
use super::handle::{free_handle, spo_connection};
use super::result::{Record, respond, spo_result};
use super::status::spo_status;

/// Writes a record whose value is the connection's description as JSON: adminUrl, method,
/// tenantId, account, appId, expiresOn (Unix seconds), canRenew, certificateThumbprint,
/// timeoutSeconds, maxAttempts, maxRetrySeconds. It never contains the token.
///
/// # Safety
/// `connection` must be NULL or live; `result_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_connection_info(
    connection: *const spo_connection,
    result_out: *mut *mut spo_result,
) -> spo_status {
    respond(result_out, || {
        // SAFETY: forwarded contract.
        let connection = unsafe { boundary::handle_ref(connection, "connection") }?;
        Ok(Record::ok(connection.inner.describe().to_string()))
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
    boundary::call_void(|| unsafe { free_handle(connection) });
}
