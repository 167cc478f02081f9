//! `spo_sign_in`: Connect-SPOService's settings, set one by one BY NAME (the table of names
//! lives in the engine), then a sign-in that runs as an operation (a device code sign-in
//! waits for the admin and must be cancellable).

use super::boundary;
use super::handle::{Finished, free_handle, into_handle, spo_operation, spo_sign_in};
use super::operation::{clear_operation_out, settle};
use super::result::{Record, respond, spo_result};
use super::status::spo_status;
use crate::connection::Connection;
use crate::connection::settings::SignInSettings;
use crate::transport::Operation;
use libc::c_char;
use std::sync::Arc;

/// Starts putting a sign-in together for a tenant admin site; the URL is checked now.
///
/// # Safety
/// `admin_url` NULL or NUL-terminated; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_new(
    admin_url: *const c_char,
    sign_in_out: *mut *mut spo_sign_in,
    result_out: *mut *mut spo_result,
) -> spo_status {
    respond(result_out, || {
        boundary::check_out(sign_in_out, "sign_in_out")?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { sign_in_out.write(std::ptr::null_mut()) };
        // SAFETY: forwarded contract.
        let admin_url = unsafe { boundary::text_in(admin_url, "admin_url") }?;
        let settings = SignInSettings::new(admin_url)?;
        // SAFETY: checked above.
        unsafe { sign_in_out.write(into_handle(spo_sign_in { settings })) };
        Ok(Record::ok(""))
    })
}

/// Sets the setting called `name` (e.g. "AccessToken", "ClientTag"; `spo_describe` lists
/// them) to `len` bytes at `value`; setting it again replaces it. The bytes may be a
/// secret: they are kept in a buffer that is wiped when the sign-in is freed.
///
/// # Safety
/// `sign_in` NULL or live and not used by another thread; `name` NULL or NUL-terminated;
/// `value` NULL (when `len` is 0) or `len` readable bytes; `result_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_set(
    sign_in: *mut spo_sign_in,
    name: *const c_char,
    value: *const u8,
    len: usize,
    result_out: *mut *mut spo_result,
) -> spo_status {
    respond(result_out, || {
        // SAFETY (three calls): forwarded contract.
        let sign_in =
            unsafe { sign_in.as_mut() }.ok_or_else(|| boundary::Failure::null("sign_in"))?;
        let name = unsafe { boundary::text_in(name, "name") }?;
        let value = unsafe { boundary::bytes_in(value, len, "value") }?;
        sign_in.settings.set_by_name(name, value)?;
        Ok(Record::ok(""))
    })
}

/// Checks the settings (bad combinations and input are refused here, before anything is
/// sent) and starts signing in; waits up to `wait_ms` like `spo_call`. The final record of
/// a successful sign-in carries the new connection in `connection` (and its description as
/// JSON in `value`); a device code instruction arrives as a progress line starting with
/// "DeviceCode: ". `result_out` must not be NULL, since the connection arrives in it.
///
/// # Safety
/// `sign_in` NULL or live; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_begin(
    sign_in: *mut spo_sign_in,
    wait_ms: u32,
    operation_out: *mut *mut spo_operation,
    result_out: *mut *mut spo_result,
) -> spo_status {
    respond(result_out, || {
        clear_operation_out(operation_out)?;
        boundary::check_out(result_out, "result_out")?;
        // SAFETY: forwarded contract.
        let sign_in = unsafe { boundary::handle_ref(sign_in.cast_const(), "sign_in") }?;
        let checked = sign_in.settings.check()?;
        let operation = Operation::start(|progress| async move {
            let connection = Connection::sign_in(checked, &progress).await?;
            Ok(Finished::Connection(Arc::new(connection)))
        })?;
        Ok(settle(operation, wait_ms, operation_out))
    })
}

/// Releases the sign-in settings, wiping secrets. NULL is a no-op.
///
/// # Safety
/// `sign_in` NULL or a handle from this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_free(sign_in: *mut spo_sign_in) {
    // SAFETY: forwarded contract.
    boundary::call_void(|| unsafe { free_handle(sign_in) });
}
