//! Status codes returned by every fallible export. Numbers are never reused; a retired
//! one stays here as a comment.

use crate::error::ErrorKind;

/// The outcome of a call. `SPO_STATUS_OK` is success; `SPO_STATUS_PENDING` means an
/// operation has not finished yet; every other value is a failure kind.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum spo_status {
    Ok = 0,
    Pending = 1,
    NullArgument = 2,
    InvalidUtf8 = 3,
    InvalidArgument = 4,
    NotConnected = 5,
    Unauthorized = 6,
    Forbidden = 7,
    Throttled = 8,
    HttpError = 9,
    ServerError = 10,
    Network = 11,
    Timeout = 12,
    Cancelled = 13,
    InvalidResponse = 14,
    Panic = 15,
}

impl spo_status {
    /// The failure kind name a result record carries in `kind` ("" for Ok and Pending).
    pub(crate) fn kind_name(self) -> &'static str {
        match self {
            spo_status::Ok | spo_status::Pending => "",
            spo_status::NullArgument => "NullArgument",
            spo_status::InvalidUtf8 => "InvalidUtf8",
            spo_status::InvalidArgument => "InvalidArgument",
            spo_status::NotConnected => "NotConnected",
            spo_status::Unauthorized => "Unauthorized",
            spo_status::Forbidden => "Forbidden",
            spo_status::Throttled => "Throttled",
            spo_status::HttpError => "Http",
            spo_status::ServerError => "Server",
            spo_status::Network => "Network",
            spo_status::Timeout => "Timeout",
            spo_status::Cancelled => "Cancelled",
            spo_status::InvalidResponse => "InvalidResponse",
            spo_status::Panic => "Internal",
        }
    }
}

impl From<ErrorKind> for spo_status {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => spo_status::InvalidArgument,
            ErrorKind::NotConnected => spo_status::NotConnected,
            ErrorKind::Unauthorized => spo_status::Unauthorized,
            ErrorKind::Forbidden => spo_status::Forbidden,
            ErrorKind::Throttled => spo_status::Throttled,
            ErrorKind::Http => spo_status::HttpError,
            ErrorKind::Server => spo_status::ServerError,
            ErrorKind::Network => spo_status::Network,
            ErrorKind::Timeout => spo_status::Timeout,
            ErrorKind::Cancelled => spo_status::Cancelled,
            ErrorKind::InvalidResponse => spo_status::InvalidResponse,
            ErrorKind::Internal => spo_status::Panic,
        }
    }
}
