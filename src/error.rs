//! One error type for the whole library; the C ABI maps its kind to a status code.

use std::fmt;
use std::time::Duration;

/// What went wrong, coarsely: callers pick an error category and a remedy from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller passed something that cannot be sent; nothing went over the wire.
    InvalidArgument,
    /// The connection was closed, or there never was one.
    NotConnected,
    /// HTTP 401: token missing, expired, or for another audience.
    Unauthorized,
    /// HTTP 403: the account is not a SharePoint admin.
    Forbidden,
    /// HTTP 429 or 503: the service asks us to slow down.
    Throttled,
    /// Any other HTTP failure without a CSOM error body.
    Http,
    /// The CSOM answer carried an ErrorInfo.
    Server,
    /// DNS, connect, TLS or a dropped connection.
    Network,
    /// The request took longer than the configured timeout.
    Timeout,
    /// The caller cancelled the operation.
    Cancelled,
    /// The answer could not be understood (HTML, not JSON, wrong shape).
    InvalidResponse,
    /// A bug in this library (a caught panic, a runtime that would not start).
    Internal,
}

/// The ErrorInfo fields of a failed CSOM request, as the server sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerErrorInfo {
    pub message: String,
    pub code: i64,
    pub type_name: String,
    pub correlation_id: String,
}

/// A failure with everything an admin or a support case needs. Its texts beyond the message
/// are boxed `str`s: every `Result` of the crate carries this type, so it stays small.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    id: &'static str,
    message: String,
    parameter: Option<&'static str>,
    http_status: Option<u16>,
    server: Option<Box<ServerErrorInfo>>,
    correlation_id: Option<Box<str>>,
    retry_after: Option<Duration>,
    /// What the command had done when it failed, as its value would have said it.
    value: Option<Box<str>>,
}

impl Error {
    /// A failure of `kind`; `id` is a stable name that scripts can match on.
    pub fn new(kind: ErrorKind, id: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            id,
            message: message.into(),
            parameter: None,
            http_status: None,
            server: None,
            correlation_id: None,
            retry_after: None,
            value: None,
        }
    }

    /// Bad input for `parameter`, caught before anything was sent.
    pub fn invalid_argument(
        id: &'static str,
        parameter: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error {
            parameter: Some(parameter),
            ..Error::new(ErrorKind::InvalidArgument, id, message)
        }
    }

    /// The server's ErrorInfo, with its correlation id and code in the message.
    pub fn server(info: ServerErrorInfo, http_status: u16) -> Self {
        let message = format!(
            "{} (ErrorCode {}, {}; TraceCorrelationId {})",
            info.message.trim_end(),
            info.code,
            if info.type_name.is_empty() {
                "no error type"
            } else {
                &info.type_name
            },
            if info.correlation_id.is_empty() {
                "not given"
            } else {
                &info.correlation_id
            },
        );
        Error {
            http_status: Some(http_status),
            correlation_id: Some(info.correlation_id.as_str())
                .filter(|id| !id.is_empty())
                .map(Box::from),
            server: Some(Box::new(info)),
            ..Error::new(ErrorKind::Server, "ServerError", message)
        }
    }

    /// The same refusal, named for another cmdlet parameter (a shared check, e.g. the
    /// host URL rule, used for a parameter with a different name).
    pub fn for_parameter(mut self, parameter: &'static str) -> Self {
        if self.parameter.is_some() {
            self.parameter = Some(parameter);
        }
        self
    }

    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    pub fn with_correlation_id(mut self, id: Option<String>) -> Self {
        if self.correlation_id.is_none() {
            self.correlation_id = id.filter(|id| !id.is_empty()).map(String::into_boxed_str);
        }
        self
    }

    /// The wait the server asked for (Retry-After) before trying again.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// Hands back, with the failure, what the command had done before it (its value so far),
    /// e.g. the rows an identity map upload had sent and the service refused.
    pub fn with_value(mut self, value: String) -> Self {
        self.value = Some(value.into_boxed_str());
        self
    }

    /// Appends a sentence to the message, e.g. how many attempts were made.
    pub fn with_note(mut self, note: &str) -> Self {
        self.message = format!("{} {note}", self.message.trim_end());
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    pub fn id(&self) -> &'static str {
        self.id
    }
    pub fn message(&self) -> &str {
        &self.message
    }
    pub fn parameter(&self) -> Option<&'static str> {
        self.parameter
    }
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }
    pub fn server_info(&self) -> Option<&ServerErrorInfo> {
        self.server.as_deref()
    }
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_error_message_names_code_type_and_correlation_id() {
        let error = Error::server(
            ServerErrorInfo {
                message: "Partner is on the same farm.".into(),
                code: -2147024809,
                type_name: "System.ArgumentException".into(),
                correlation_id: "b319879f-1111-2222-3333-444455556666".into(),
            },
            200,
        );
        assert_eq!(error.kind(), ErrorKind::Server);
        assert!(error.message().starts_with("Partner is on the same farm."));
        assert!(error.message().contains("-2147024809"));
        assert!(error.message().contains("System.ArgumentException"));
        assert!(
            error
                .message()
                .contains("b319879f-1111-2222-3333-444455556666")
        );
        assert_eq!(
            error.correlation_id(),
            Some("b319879f-1111-2222-3333-444455556666")
        );
    }

    #[test]
    fn correlation_id_is_not_overwritten_and_empty_ids_are_ignored() {
        let error = Error::new(ErrorKind::Http, "HttpError", "x")
            .with_correlation_id(Some(String::new()))
            .with_correlation_id(Some("a".into()))
            .with_correlation_id(Some("b".into()));
        assert_eq!(error.correlation_id(), Some("a"));
    }
}
