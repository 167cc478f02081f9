//! Text crossing the boundary: UTF-8 in, library-owned NUL-terminated UTF-8 out.

use libc::c_char;
use std::ffi::CString;

/// Copies `text` into a new C string owned by this library. A NUL inside (which only a
/// server could send) becomes U+FFFD, so the string is never cut short.
pub(crate) fn to_c(text: &str) -> *mut c_char {
    let owned = if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text.to_owned()
    };
    // Cannot fail: NULs were replaced above.
    CString::new(owned)
        .map(CString::into_raw)
        .unwrap_or(std::ptr::null_mut())
}

/// Releases a string this library returned. NULL is a no-op.
///
/// # Safety
/// `text` must be NULL or a pointer returned by this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_string_free(text: *mut c_char) {
    super::boundary::call_void(|| {
        if !text.is_null() {
            // SAFETY: the caller promises the pointer came from `to_c` and is freed once.
            drop(unsafe { CString::from_raw(text) });
        }
    });
}
