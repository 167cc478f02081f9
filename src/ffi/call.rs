//! `spo_call`: one call per command, by server method name, with text arguments.

use super::boundary;
use super::handle::{Finished, spo_connection, spo_operation};
use super::operation::{clear_operation_out, settle};
use super::result::{respond, spo_result};
use super::status::spo_status;
use crate::operations;
use crate::transport::Operation;
use libc::c_char;
use std::sync::Arc;

/// Runs `command` (a server method name, e.g. "NewSPOTenantOrgRelation") with `count`
/// text `arguments`; enum arguments are passed by NAME ("MnA", "Target"), ignoring case,
/// and numbers are refused. The arguments are checked first (count, enum names, URLs): a
/// refusal is an InvalidArgument record with `sent` 0, `error_id` and `parameter`, and
/// nothing is sent. Otherwise the request starts and the call waits up to `wait_ms`:
/// finished, it returns the final status with the final record and `*operation_out` NULL;
/// still running, it returns `SPO_STATUS_PENDING` with a Pending record and the operation
/// in `*operation_out` (wait on it with `spo_operation_wait`, free it with
/// `spo_operation_free`). `*result_out` is written whenever `result_out` is not NULL.
///
/// # Safety
/// `connection` NULL or live; `command` NULL or NUL-terminated; `arguments` NULL (when
/// `count` is 0) or `count` pointers, each NUL-terminated; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_call(
    connection: *const spo_connection,
    command: *const c_char,
    arguments: *const *const c_char,
    count: usize,
    wait_ms: u32,
    operation_out: *mut *mut spo_operation,
    result_out: *mut *mut spo_result,
) -> spo_status {
    respond(result_out, || {
        clear_operation_out(operation_out)?;
        // SAFETY (three calls): forwarded contract.
        let connection =
            Arc::clone(&unsafe { boundary::handle_ref(connection, "connection") }?.inner);
        let command = unsafe { boundary::text_in(command, "command") }?;
        let arguments = unsafe { boundary::texts_in(arguments, count, "arguments") }?;
        let call = operations::prepare(command, &arguments)?;
        let operation = Operation::start(|progress| async move {
            call.run(&connection, &progress).await.map(Finished::Value)
        })?;
        Ok(settle(operation, wait_ms, operation_out))
    })
}
