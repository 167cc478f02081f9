//! The panic boundary and the pointer helpers: the unsafe glue every export goes through,
//! kept in one place so the exports themselves read like plain Rust.

use super::status::spo_status;
use crate::error::{Error, ErrorKind};
use libc::c_char;
use std::ffi::CStr;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Why an export failed: a bad pointer or text (a status and an explanation), or an error
/// from the engine.
pub(crate) enum Failure {
    Status(spo_status, Error),
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
            Error::new(
                ErrorKind::InvalidArgument,
                "NullArgument",
                format!("The argument '{what}' is NULL."),
            ),
        )
    }

    pub(crate) fn panic() -> Self {
        Failure::Status(
            spo_status::Panic,
            Error::new(
                ErrorKind::Internal,
                "Panic",
                "A bug in the SPOCrossTenant library stopped this call (a panic was caught). Please report it.",
            ),
        )
    }

    /// The status this failure returns, and its explanation.
    pub(crate) fn into_parts(self) -> (spo_status, Error) {
        match self {
            Failure::Status(status, error) => (status, error),
            Failure::Error(error) => (spo_status::from(error.kind()), error),
        }
    }
}

/// Runs `body`, turning a panic into [`Failure::panic`] so it never unwinds into the host.
pub(crate) fn guard<T>(body: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err(Failure::panic()))
}

/// Runs an export that returns nothing; a panic is swallowed rather than crossing over.
pub(crate) fn call_void(body: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(body));
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
            Error::new(
                ErrorKind::InvalidArgument,
                "InvalidUtf8",
                format!("The argument '{what}' is not valid UTF-8."),
            ),
        )
    })
}

/// Borrows an array of `count` NUL-terminated UTF-8 arguments; NULL is allowed for none.
///
/// # Safety
/// `items` must be NULL or point to `count` pointers, each NULL or NUL-terminated.
pub(crate) unsafe fn texts_in<'a>(
    items: *const *const c_char,
    count: usize,
    what: &str,
) -> Result<Vec<&'a str>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if items.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and `count` pointers long per the contract.
    let pointers = unsafe { std::slice::from_raw_parts(items, count) };
    pointers
        .iter()
        .enumerate()
        // SAFETY: each is NULL or NUL-terminated per the contract.
        .map(|(i, text)| unsafe { text_in(*text, &format!("{what}[{i}]")) })
        .collect()
}

/// Borrows `len` bytes; NULL is allowed when `len` is 0.
///
/// # Safety
/// `data` must be NULL or point to `len` readable bytes valid for `'a`.
pub(crate) unsafe fn bytes_in<'a>(
    data: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and `len` bytes readable per the contract.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
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

/// Writes an out-parameter when it is not NULL.
///
/// # Safety
/// `out` must be NULL or point to writable storage for a `T`.
pub(crate) unsafe fn write_if_given<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: non-NULL and writable per the contract.
        unsafe { out.write(value) };
    }
}
