//! The opaque handles a caller holds, and what each wraps.

use crate::connection::Connection;
use crate::connection::settings::SignInSettings;
use crate::operations::Outcome;
use crate::transport::Operation;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// An opaque connection. Thread-safe; operations keep it alive while they run, so freeing
/// it while one is in flight is safe.
#[allow(non_camel_case_types)]
pub struct spo_connection {
    pub(crate) inner: Arc<Connection>,
}

/// An opaque sign-in being put together. Not for use from several threads at once.
/// Secret settings are wiped when it is freed.
#[allow(non_camel_case_types)]
pub struct spo_sign_in {
    pub(crate) settings: SignInSettings,
}

/// What a finished operation produced: a command's value, or a sign-in's connection.
#[derive(Clone)]
pub(crate) enum Finished {
    Value(Outcome),
    Connection(Arc<Connection>),
}

/// An opaque running or finished request. Release with `spo_operation_free`.
#[allow(non_camel_case_types)]
pub struct spo_operation {
    pub(crate) inner: Operation<Finished>,
    /// A sign-in hands its connection to the first final record only, so one handle exists.
    pub(crate) connection_handed_over: AtomicBool,
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
