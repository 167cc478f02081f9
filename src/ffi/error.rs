//! `spo_error`: a failure as data (kind, HTTP status, server fields, correlation id).

use super::boundary;
use super::status::spo_status;
use crate::error::Error;
use libc::c_char;

/// An opaque failure description. Release with `spo_error_free`.
#[allow(non_camel_case_types)]
pub struct spo_error {
    status: spo_status,
    error: Error,
}

impl spo_error {
    pub(crate) fn new(status: spo_status, error: Error) -> Self {
        spo_error { status, error }
    }
}

/// Which text of an error to read with `spo_error_text`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum spo_error_field {
    /// The whole readable message (for server errors it names the code and correlation id).
    Message = 0,
    /// A stable identifier such as "PartnerUrlNotHttps" or "Unauthorized".
    Id = 1,
    /// The server's ErrorMessage.
    ServerMessage = 2,
    /// The server's ErrorCode, as decimal text.
    ServerErrorCode = 3,
    /// The server's ErrorTypeName.
    ServerErrorTypeName = 4,
    /// The TraceCorrelationId (or SPRequestGuid) of the failed request.
    CorrelationId = 5,
    /// The parameter an invalid argument refers to, e.g. "PartnerCrossTenantHostUrl".
    Parameter = 6,
}

impl spo_error_field {
    fn from_wire(value: u32) -> Option<Self> {
        use spo_error_field::*;
        [
            Message,
            Id,
            ServerMessage,
            ServerErrorCode,
            ServerErrorTypeName,
            CorrelationId,
            Parameter,
        ]
        .into_iter()
        .find(|field| *field as u32 == value)
    }
}

/// The failure kind, as a status value. NULL gives `SPO_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `error` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_error_kind(error: *const spo_error) -> spo_status {
    boundary::call_value(spo_status::Panic, || {
        // SAFETY: forwarded contract.
        match unsafe { error.as_ref() } {
            Some(error) => error.status,
            None => spo_status::NullArgument,
        }
    })
}

/// The HTTP status of the answer that failed, or 0 when there was none.
///
/// # Safety
/// `error` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_error_http_status(error: *const spo_error) -> u16 {
    boundary::call_value(0, || {
        // SAFETY: forwarded contract.
        unsafe { error.as_ref() }
            .and_then(|e| e.error.http_status())
            .unwrap_or(0)
    })
}

/// Writes one text of the error (a `spo_error_field` value) to `*out`; an absent field
/// gives "". Free the text with `spo_string_free`.
///
/// # Safety
/// `error` must be NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_error_text(
    error: *const spo_error,
    field: u32,
    out: *mut *mut c_char,
) -> spo_status {
    boundary::call(std::ptr::null_mut(), || {
        boundary::check_out(out, "out")?;
        // SAFETY: forwarded contract.
        let error = &unsafe { boundary::handle_ref(error, "error") }?.error;
        let field = spo_error_field::from_wire(field).ok_or_else(|| {
            boundary::Failure::Status(
                spo_status::InvalidArgument,
                "UnknownErrorField",
                format!("{field} is not a spo_error_field value."),
            )
        })?;
        let server = error.server_info();
        let value = match field {
            spo_error_field::Message => error.message().to_owned(),
            spo_error_field::Id => error.id().to_owned(),
            spo_error_field::ServerMessage => server.map(|s| s.message.clone()).unwrap_or_default(),
            spo_error_field::ServerErrorCode => {
                server.map(|s| s.code.to_string()).unwrap_or_default()
            }
            spo_error_field::ServerErrorTypeName => {
                server.map(|s| s.type_name.clone()).unwrap_or_default()
            }
            spo_error_field::CorrelationId => error.correlation_id().unwrap_or_default().to_owned(),
            spo_error_field::Parameter => error.parameter().unwrap_or_default().to_owned(),
        };
        // SAFETY: checked above.
        unsafe { boundary::write_text(out, &value) }
    })
}

/// Releases an error handle. NULL is a no-op.
///
/// # Safety
/// `error` must be NULL or a handle from this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_error_free(error: *mut spo_error) {
    // SAFETY: forwarded contract.
    boundary::call_void(|| unsafe { boundary::free_handle(error) });
}
