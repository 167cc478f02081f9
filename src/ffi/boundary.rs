//! The panic boundary and the pointer helpers: the unsafe glue every export goes through,
//! kept in one place so the exports themselves read like plain Rust.

use super::error::spo_error;
use super::status::spo_status;
use crate::error::{Error, ErrorKind};
use libc::c_char;
use std::ffi::CStr;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Why an export failed: a bare status (bad pointers) or a full error.
pub(crate) enum Failure {
    Status(spo_status, &'static str, String),
    Error(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Error(error)
    }
}

impl Failure {
    pub(crate) fn null(what: &str) -> Self {
        Failure::Status(
            spo_status::NullArgument,
            "NullArgument",
            format!("The argument '{what}' is NULL."),
        )
    }
}

/// Runs an export body: catches panics, turns failures into a status, and writes an
/// error handle to `error_out` when the caller gave one.
pub(crate) fn call(
    error_out: *mut *mut spo_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> spo_status {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return spo_status::Ok,
        Ok(Err(failure)) => failure,
        Err(_) => Failure::Status(
            spo_status::Panic,
            "Panic",
            "A bug in the SPOCrossTenant library stopped this call (a panic was caught). Please report it.".into(),
        ),
    };
    let (status, error) = match failure {
        Failure::Error(error) => (spo_status::from(error.kind()), error),
        Failure::Status(status, id, message) => {
            let kind = if status == spo_status::Panic {
                ErrorKind::Internal
            } else {
                ErrorKind::InvalidArgument
            };
            (status, Error::new(kind, id, message))
        }
    };
    if !error_out.is_null() {
        let handle = Box::into_raw(Box::new(spo_error::new(status, error)));
        // SAFETY: non-NULL `error_out` is documented to point to writable pointer storage.
        unsafe { error_out.write(handle) };
    }
    status
}

/// Runs an export that returns nothing; a panic is swallowed rather than crossing over.
pub(crate) fn call_void(body: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(body));
}

/// Runs an export that returns a plain value; a panic gives `fallback`.
pub(crate) fn call_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Borrows a NUL-terminated UTF-8 argument.
///
/// # Safety
/// `text` must be NULL or point to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn text_in<'a>(text: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if text.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated per the contract above.
    unsafe { CStr::from_ptr(text) }.to_str().map_err(|_| {
        Failure::Status(
            spo_status::InvalidUtf8,
            "InvalidUtf8",
            format!("The argument '{what}' is not valid UTF-8."),
        )
    })
}

/// Borrows a handle.
///
/// # Safety
/// `handle` must be NULL or a live handle of type `T` from this library.
pub(crate) unsafe fn handle_ref<'a, T>(handle: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: per the contract, non-NULL means a live `T`.
    unsafe { handle.as_ref() }.ok_or_else(|| Failure::null(what))
}

/// Checks an out-parameter before any work is done, so nothing is left half-done.
pub(crate) fn check_out<T>(out: *mut T, what: &str) -> Result<(), Failure> {
    if out.is_null() {
        Err(Failure::null(what))
    } else {
        Ok(())
    }
}

/// Writes an out-parameter.
///
/// # Safety
/// `out` must be NULL or point to writable storage for a `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) -> Result<(), Failure> {
    check_out(out, "out")?;
    // SAFETY: checked non-NULL; writable per the contract.
    unsafe { out.write(value) };
    Ok(())
}

/// Writes a new library-owned copy of `value` to a text out-parameter. The pointer is
/// checked before the copy is made, so a NULL `out` leaks nothing.
///
/// # Safety
/// As for [`write_out`].
pub(crate) unsafe fn write_text(out: *mut *mut c_char, value: &str) -> Result<(), Failure> {
    check_out(out, "out")?;
    // SAFETY: forwarded contract.
    unsafe { write_out(out, super::text::to_c(value)) }
}

/// Moves a value to the heap and hands its ownership to the caller.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a handle from [`into_handle`]; NULL is a no-op.
///
/// # Safety
/// `handle` must be NULL or come from [`into_handle`] and not have been freed.
pub(crate) unsafe fn free_handle<T>(handle: *mut T) {
    if !handle.is_null() {
        // SAFETY: per the contract, the Box was leaked by `into_handle`.
        drop(unsafe { Box::from_raw(handle) });
    }
}
