//! `spo_text`: library-owned UTF-8 as pointer and length, NUL-terminated for C callers.

use libc::c_char;

/// UTF-8 text of `len` bytes. `ptr` is also NUL-terminated; it is NULL only when `len` is 0.
/// Owned by the record that holds it and released with it (`spo_result_free`).
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct spo_text {
    pub ptr: *const c_char,
    pub len: usize,
}

impl spo_text {
    pub(crate) const EMPTY: spo_text = spo_text {
        ptr: std::ptr::null(),
        len: 0,
    };

    /// Copies `text` into a new buffer. A NUL inside (which only a server could send)
    /// becomes U+FFFD, so a C caller never sees the text cut short.
    pub(crate) fn new(text: &str) -> spo_text {
        if text.is_empty() {
            return spo_text::EMPTY;
        }
        let mut bytes = text.replace('\0', "\u{FFFD}").into_bytes();
        let len = bytes.len();
        bytes.push(0);
        let buffer: Box<[u8]> = bytes.into_boxed_slice();
        spo_text {
            ptr: Box::into_raw(buffer).cast::<c_char>(),
            len,
        }
    }

    /// Releases the buffer of a text made by [`spo_text::new`].
    ///
    /// # Safety
    /// `self` must come from [`spo_text::new`] and not have been released before.
    pub(crate) unsafe fn release(&mut self) {
        if !self.ptr.is_null() {
            let slice =
                std::ptr::slice_from_raw_parts_mut(self.ptr.cast_mut().cast::<u8>(), self.len + 1);
            // SAFETY: the Box<[u8]> of `len + 1` bytes was leaked by `new`.
            drop(unsafe { Box::from_raw(slice) });
        }
        *self = spo_text::EMPTY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_nul_terminated_and_empty_ones_allocate_nothing() {
        let mut text = spo_text::new("héllo\0");
        assert_eq!(text.len, "héllo\u{FFFD}".len());
        // SAFETY: just made, `len + 1` bytes.
        let bytes = unsafe { std::slice::from_raw_parts(text.ptr.cast::<u8>(), text.len + 1) };
        assert_eq!(bytes.last(), Some(&0));
        unsafe { text.release() };
        assert!(text.ptr.is_null());
        assert!(spo_text::new("").ptr.is_null());
    }
}
