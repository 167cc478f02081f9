//! `spo_result`: the one typed record every call hands back, and its one free function.

use super::boundary::{self, Failure};
use super::handle::spo_connection;
use super::status::spo_status;
use super::text::spo_text;
use crate::error::Error;

/// One call's result: status, value, and everything an admin or a support case needs when
/// it failed. All text is owned by the record; release it with `spo_result_free`.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct spo_result {
    /// `spo_status`: 0 Ok, 1 Pending, else the failure kind.
    pub status: u32,
    /// 1 when the request reached the wire before failing or succeeding.
    pub sent: u32,
    /// The HTTP status of the last answer; 0 when there was none.
    pub http_status: u32,
    /// Always 0.
    pub reserved: u32,
    /// The command's value as text. On failure empty, unless the command had done part of its
    /// work first: then what it had done (an identity map upload: its summary).
    pub value: spo_text,
    /// TraceCorrelationId (or SPRequestGuid) of the answer, also on failure.
    pub correlation_id: spo_text,
    /// Failure kind name, e.g. "InvalidArgument", "Throttled", "Server"; empty on Ok/Pending.
    pub kind: spo_text,
    /// Stable id, e.g. "PartnerUrlHasPath", "ServerError", "Throttled".
    pub error_id: spo_text,
    /// The full message for the admin.
    pub message: spo_text,
    /// CSOM ErrorInfo.ErrorMessage or the OData error message.
    pub server_message: spo_text,
    /// The server's error code as decimal text, e.g. "-2147024809".
    pub server_error_code: spo_text,
    /// The server's error type, e.g. "System.ArgumentException".
    pub server_error_type_name: spo_text,
    /// For InvalidArgument: the cmdlet parameter name, e.g. "PartnerCrossTenantHostUrl".
    pub parameter: spo_text,
    /// Progress lines since the previous result of this operation, '\n'-separated; a line
    /// starting "DeviceCode: " is the device-code prompt.
    pub progress: spo_text,
    /// Sign-in only, on success: the new connection, now owned by the caller.
    pub connection: *mut spo_connection,
}

/// A result record as Rust builds it, before it crosses the boundary.
pub(crate) struct Record {
    pub status: spo_status,
    pub sent: bool,
    pub http_status: u16,
    pub value: String,
    pub correlation_id: Option<String>,
    pub error: Option<Error>,
    pub progress: Vec<String>,
    pub connection: *mut spo_connection,
}

impl Record {
    pub(crate) fn ok(value: impl Into<String>) -> Record {
        Record {
            status: spo_status::Ok,
            sent: false,
            http_status: 0,
            value: value.into(),
            correlation_id: None,
            error: None,
            progress: Vec::new(),
            connection: std::ptr::null_mut(),
        }
    }

    pub(crate) fn pending(progress: Vec<String>, sent: bool) -> Record {
        Record {
            status: spo_status::Pending,
            sent,
            progress,
            ..Record::ok("")
        }
    }

    /// A failure: `status` says which kind, `error` the rest (and the value, when the command
    /// hands back what it had done before it failed).
    pub(crate) fn failed(status: spo_status, error: Error) -> Record {
        Record {
            status,
            http_status: error.http_status().unwrap_or(0),
            correlation_id: error.correlation_id().map(str::to_owned),
            value: error.value().unwrap_or_default().to_owned(),
            error: Some(error),
            ..Record::ok("")
        }
    }

    /// Drops a record nobody asked for; a connection in it is released, not leaked.
    pub(crate) fn discard(self) {
        // SAFETY: a record's connection is NULL or a handle nobody else has seen.
        unsafe { super::handle::free_handle(self.connection) };
    }

    /// Moves the record to the heap as the C record.
    pub(crate) fn into_raw(self) -> *mut spo_result {
        let error = self.error.as_ref();
        let server = error.and_then(Error::server_info);
        let text = |value: Option<&str>| spo_text::new(value.unwrap_or_default());
        Box::into_raw(Box::new(spo_result {
            status: self.status as u32,
            sent: u32::from(self.sent),
            http_status: u32::from(self.http_status),
            reserved: 0,
            value: spo_text::new(&self.value),
            correlation_id: text(self.correlation_id.as_deref()),
            kind: spo_text::new(self.status.kind_name()),
            error_id: text(error.map(Error::id)),
            message: text(error.map(Error::message)),
            server_message: text(server.map(|s| s.message.as_str())),
            server_error_code: spo_text::new(
                &server.map(|s| s.code.to_string()).unwrap_or_default(),
            ),
            server_error_type_name: text(server.map(|s| s.type_name.as_str())),
            parameter: text(error.and_then(Error::parameter)),
            progress: spo_text::new(&self.progress.join("\n")),
            connection: self.connection,
        }))
    }
}

/// Runs an export body that builds a record: catches panics, turns failures into records,
/// writes the record to `*result_out` when the caller gave somewhere to put it (otherwise
/// drops it), and returns the record's status.
pub(crate) fn respond(
    result_out: *mut *mut spo_result,
    body: impl FnOnce() -> Result<Record, Failure>,
) -> spo_status {
    let record = match boundary::guard(body) {
        Ok(record) => record,
        Err(failure) => {
            let (status, error) = failure.into_parts();
            Record::failed(status, error)
        }
    };
    let status = record.status;
    if result_out.is_null() {
        record.discard();
    } else {
        // SAFETY: non-NULL `result_out` is documented to point to writable pointer storage.
        unsafe { result_out.write(record.into_raw()) };
    }
    status
}

/// Releases a result record and all its text. NULL is a no-op. A connection the record
/// carries is the caller's and is not freed here.
///
/// # Safety
/// `result` must be NULL or a record from this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_result_free(result: *mut spo_result) {
    boundary::call_void(|| {
        if result.is_null() {
            return;
        }
        // SAFETY: per the contract, the Box was leaked by `Record::into_raw`.
        let mut record = unsafe { Box::from_raw(result) };
        for text in [
            &mut record.value,
            &mut record.correlation_id,
            &mut record.kind,
            &mut record.error_id,
            &mut record.message,
            &mut record.server_message,
            &mut record.server_error_code,
            &mut record.server_error_type_name,
            &mut record.parameter,
            &mut record.progress,
        ] {
            // SAFETY: every text of a record was made by `spo_text::new`, released once.
            unsafe { text.release() };
        }
    });
}
