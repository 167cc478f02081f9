//! `spo_operation`: a request in flight. Wait in short slices (each wait hands back a
//! record: Pending with progress, or final), cancel, free.

use super::boundary::{self, Failure};
use super::handle::{Finished, into_handle, spo_connection, spo_operation};
use super::result::{Record, respond, spo_result};
use super::status::spo_status;
use crate::transport::Operation;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Waits up to `wait_ms` for a just-started operation. Finished: its final record, and the
/// operation is dropped. Still running: a Pending record, and the handle goes to
/// `*operation_out` (checked non-NULL by the caller).
pub(crate) fn settle(
    operation: Operation<Finished>,
    wait_ms: u32,
    operation_out: *mut *mut spo_operation,
) -> Record {
    let handle = spo_operation {
        inner: operation,
        connection_handed_over: AtomicBool::new(false),
    };
    if let Some(record) = record_after_wait(&handle, wait_ms) {
        return record;
    }
    let progress = handle.inner.progress();
    let record = Record::pending(progress.drain(), progress.was_sent());
    // SAFETY: the exports check `operation_out` before starting anything.
    unsafe { boundary::write_if_given(operation_out, into_handle(handle)) };
    record
}

/// The final record once the operation has finished within `wait_ms`, else None.
fn record_after_wait(operation: &spo_operation, wait_ms: u32) -> Option<Record> {
    if !operation
        .inner
        .wait(Duration::from_millis(u64::from(wait_ms)))
    {
        return None;
    }
    let result = operation.inner.result()?;
    let progress = operation.inner.progress();
    let mut record = match result {
        Ok(Finished::Value(outcome)) => Record {
            correlation_id: outcome.correlation_id,
            ..Record::ok(outcome.value)
        },
        Ok(Finished::Connection(connection)) => {
            let mut record = Record::ok(connection.describe().to_string());
            if !operation
                .connection_handed_over
                .swap(true, Ordering::AcqRel)
            {
                record.connection = into_handle(spo_connection { inner: connection });
            }
            record
        }
        Err(error) => Record::failed(spo_status::from(error.kind()), error),
    };
    record.sent = progress.was_sent();
    if record.http_status == 0 {
        record.http_status = progress.last_http_status();
    }
    record.progress = progress.drain();
    Some(record)
}

/// Waits up to `wait_ms` more. Returns `SPO_STATUS_PENDING` if the operation still runs,
/// otherwise its final status; writes a new record either way (Pending with the progress
/// lines since the last record, or final). A sign-in's final record carries the connection
/// the first time only. Call it in a loop with a short wait so Ctrl+C stays responsive.
///
/// # Safety
/// `operation` must be NULL or live; `result_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_wait(
    operation: *mut spo_operation,
    wait_ms: u32,
    result_out: *mut *mut spo_result,
) -> spo_status {
    respond(result_out, || {
        // SAFETY: forwarded contract.
        let operation = unsafe { boundary::handle_ref(operation.cast_const(), "operation") }?;
        // Without a record to put it in, a sign-in's connection stays for a later wait.
        if result_out.is_null() {
            return Ok(
                match operation
                    .inner
                    .wait(Duration::from_millis(u64::from(wait_ms)))
                {
                    false => Record::pending(Vec::new(), operation.inner.progress().was_sent()),
                    true => match operation.inner.result() {
                        Some(Err(error)) => Record::failed(spo_status::from(error.kind()), error),
                        _ => Record::ok(""),
                    },
                },
            );
        }
        Ok(record_after_wait(operation, wait_ms).unwrap_or_else(|| {
            let progress = operation.inner.progress();
            Record::pending(progress.drain(), progress.was_sent())
        }))
    })
}

/// Stops the request. Its final record then has status Cancelled, unless it had finished.
///
/// # Safety
/// `operation` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_cancel(operation: *mut spo_operation) {
    boundary::call_void(|| {
        // SAFETY: forwarded contract.
        if let Some(operation) = unsafe { operation.as_ref() } {
            operation.inner.cancel();
        }
    });
}

/// Releases the operation, cancelling it if it still runs. NULL is a no-op.
///
/// # Safety
/// `operation` must be NULL or a handle from this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_operation_free(operation: *mut spo_operation) {
    // SAFETY: forwarded contract.
    boundary::call_void(|| unsafe { super::handle::free_handle(operation) });
}

/// Refuses a NULL `operation_out` before anything starts, and clears it otherwise, so it
/// is NULL whenever the call finishes without handing an operation over.
pub(crate) fn clear_operation_out(operation_out: *mut *mut spo_operation) -> Result<(), Failure> {
    boundary::check_out(operation_out, "operation_out")?;
    // SAFETY: checked non-NULL; writable per the exports' contracts.
    unsafe { operation_out.write(std::ptr::null_mut()) };
    Ok(())
}
