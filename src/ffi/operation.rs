//! `spo_operation`: a request in flight. Wait in short slices, cancel, read the result.

use super::boundary::{self, Failure};
use super::connection::spo_connection;
use super::error::spo_error;
use super::status::spo_status;
use crate::operation::{Operation, OperationResult};
use libc::c_char;
use std::time::Duration;

/// An opaque running or finished request. Release with `spo_operation_free`.
#[allow(non_camel_case_types)]
pub struct spo_operation {
    pub(crate) inner: Operation,
}

fn final_status(result: &OperationResult) -> spo_status {
    match result {
        Ok(_) => spo_status::Ok,
        Err(error) => spo_status::from(error.kind()),
    }
}

/// The finished result, or `SPO_STATUS_PENDING` as a failure while it runs.
fn finished(operation: *const spo_operation) -> Result<OperationResult, Failure> {
    // SAFETY: the exports forward the caller's promise that the handle is NULL or live.
    let operation = unsafe { boundary::handle_ref(operation, "operation") }?;
    operation.inner.result().ok_or_else(|| {
        Failure::Status(
            spo_status::Pending,
            "Pending",
            "The operation has not finished yet.".into(),
        )
    })
}

/// Waits up to `timeout_ms` for the operation. Returns `SPO_STATUS_PENDING` if it is still
/// running, otherwise its final status (OK or the failure kind). Call it in a loop with a
/// short timeout so the caller stays responsive to Ctrl+C.
///
/// # Safety
/// `operation` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_wait(
    operation: *const spo_operation,
    timeout_ms: u32,
) -> spo_status {
    boundary::call_value(spo_status::Panic, || {
        // SAFETY: forwarded contract.
        let Some(operation) = (unsafe { operation.as_ref() }) else {
            return spo_status::NullArgument;
        };
        if !operation
            .inner
            .wait(Duration::from_millis(u64::from(timeout_ms)))
        {
            return spo_status::Pending;
        }
        operation
            .inner
            .result()
            .map_or(spo_status::Pending, |result| final_status(&result))
    })
}

/// Stops the request. Its status becomes `SPO_STATUS_CANCELLED` unless it had finished.
///
/// # Safety
/// `operation` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_cancel(operation: *const spo_operation) {
    boundary::call_void(|| {
        // SAFETY: forwarded contract.
        if let Some(operation) = unsafe { operation.as_ref() } {
            operation.inner.cancel();
        }
    });
}

/// After success, writes the method's return value as text ("" for void methods).
/// Returns `SPO_STATUS_PENDING` while running and the failure kind after a failure.
///
/// # Safety
/// `operation` NULL or live; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_value(
    operation: *const spo_operation,
    out: *mut *mut c_char,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(out, "out")?;
        let outcome = finished(operation)?.map_err(Failure::from)?;
        // SAFETY: checked above.
        unsafe { boundary::write_text(out, &outcome.value) }
    })
}

/// After the operation finished (successfully or with a server error), writes the
/// TraceCorrelationId of its answer, or "" when the server gave none.
///
/// # Safety
/// `operation` NULL or live; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_correlation_id(
    operation: *const spo_operation,
    out: *mut *mut c_char,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(out, "out")?;
        let id = match finished(operation)? {
            Ok(outcome) => outcome.correlation_id.unwrap_or_default(),
            Err(error) => error.correlation_id().unwrap_or_default().to_owned(),
        };
        // SAFETY: checked above.
        unsafe { boundary::write_text(out, &id) }
    })
}

/// After a failure, writes a new error handle describing it (free with `spo_error_free`).
/// Returns `SPO_STATUS_PENDING` while running and `SPO_STATUS_INVALID_ARGUMENT` when the
/// operation succeeded, since there is no error to give.
///
/// # Safety
/// `operation` NULL or live; `error_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_error(
    operation: *const spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(error_out, "error_out")?;
        match finished(operation)? {
            Ok(_) => Err(Failure::Status(
                spo_status::InvalidArgument,
                "NoError",
                "The operation succeeded; it has no error.".into(),
            )),
            Err(error) => {
                let status = spo_status::from(error.kind());
                let handle = boundary::into_handle(spo_error::new(status, error));
                // SAFETY: checked above.
                unsafe { boundary::write_out(error_out, handle) }
            }
        }
    })
}

/// Writes the oldest progress message not read yet (for example that the request is
/// throttled and when it will be retried) to `*out`. Returns `SPO_STATUS_PENDING` when
/// there is none right now. Messages never contain secrets.
///
/// # Safety
/// `operation` NULL or live; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_next_message(
    operation: *const spo_operation,
    out: *mut *mut c_char,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(out, "out")?;
        // SAFETY: forwarded contract.
        let operation = unsafe { boundary::handle_ref(operation, "operation") }?;
        let message = operation.inner.next_message().ok_or_else(|| {
            Failure::Status(
                spo_status::Pending,
                "NoMessage",
                "No progress message is waiting.".into(),
            )
        })?;
        // SAFETY: checked above.
        unsafe { boundary::write_text(out, &message) }
    })
}

/// After a successful sign-in operation, writes a new handle to the signed-in connection
/// (free it with `spo_connection_free`). Other operations have none:
/// `SPO_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `operation` NULL or live; `connection_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_connection(
    operation: *const spo_operation,
    connection_out: *mut *mut spo_connection,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(connection_out, "connection_out")?;
        let outcome = finished(operation)?.map_err(Failure::from)?;
        let inner = outcome.connection.ok_or_else(|| {
            Failure::Status(
                spo_status::InvalidArgument,
                "NoConnection",
                "This operation is not a sign-in; it has no connection.".into(),
            )
        })?;
        let handle = boundary::into_handle(spo_connection { inner });
        // SAFETY: checked above.
        unsafe { boundary::write_out(connection_out, handle) }
    })
}

/// Releases the operation, cancelling it if it still runs. NULL is a no-op.
///
/// # Safety
/// `operation` must be NULL or a handle from this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_free(operation: *mut spo_operation) {
    // SAFETY: forwarded contract.
    boundary::call_void(|| unsafe { boundary::free_handle(operation) });
}
