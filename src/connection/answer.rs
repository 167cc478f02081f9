//! Turns an HTTP answer into what the endpoint returned or into a readable error: the one
//! place that decides between the body's own error and the HTTP status.
//!
//! ProcessQuery: a CSOM error body wins over the HTTP status, because SharePoint sends
//! ErrorInfo with 500 too, and its message is the useful one. REST: 401, 403, 429 and 503
//! mean what they mean for ProcessQuery (same ids, same retries); for other failures an
//! OData error body wins. Both keep the SPRequestGuid header as the correlation id.

use crate::csom::{CsomResponse, odata_error, response};
use crate::error::{Error, ErrorKind};
use crate::transport::HttpAnswer;
use crate::transport::failure::{Endpoint, status_error};
use serde_json::Value;

/// Statuses whose meaning does not depend on the body.
const STATUS_DECIDES: &[u16] = &[401, 403, 429, 503];

/// Reads a ProcessQuery answer.
pub fn process_query(answer: &HttpAnswer) -> Result<CsomResponse, Error> {
    if answer.is_success() {
        return response::parse(&answer.body, answer.status)
            .map_err(|e| e.with_correlation_id(answer.correlation_id()));
    }
    match response::parse(&answer.body, answer.status) {
        Err(error) if error.kind() == ErrorKind::Server => Err(error),
        _ => Err(status_error(answer, Endpoint::ProcessQuery)),
    }
}

/// Reads a REST answer: the JSON value of a success, and its correlation id.
pub fn rest(answer: &HttpAnswer) -> Result<(Value, Option<String>), Error> {
    let correlation_id = answer.correlation_id();
    if answer.is_success() {
        return serde_json::from_slice(&answer.body)
            .map(|value| (value, correlation_id.clone()))
            .map_err(|_| {
                Error::new(
                    ErrorKind::InvalidResponse,
                    if response::looks_like_html(&answer.body) {
                        "HtmlResponse"
                    } else {
                        "NonJsonResponse"
                    },
                    format!(
                        "The server's answer is not JSON (HTTP {}, {} bytes).",
                        answer.status,
                        answer.body.len()
                    ),
                )
                .with_http_status(answer.status)
                .with_correlation_id(correlation_id)
            });
    }
    if !STATUS_DECIDES.contains(&answer.status)
        && let Some(mut info) = odata_error::parse(&answer.body)
    {
        info.correlation_id = correlation_id.unwrap_or_default();
        return Err(Error::server(info, answer.status));
    }
    Err(status_error(answer, Endpoint::Rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> HttpAnswer {
        HttpAnswer::for_test(status, headers, body)
    }

    #[test]
    fn a_csom_error_body_wins_over_the_http_status() {
        let body = r#"[{"ErrorInfo":{"ErrorMessage":"Denied.","ErrorCode":-2147024891,"ErrorTypeName":"System.UnauthorizedAccessException","TraceCorrelationId":"abc"},"TraceCorrelationId":"abc"}]"#;
        let error = process_query(&answer(500, &[], body)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server);
        assert_eq!(error.http_status(), Some(500));
        assert_eq!(error.correlation_id(), Some("abc"));
        let error = process_query(&answer(429, &[], "")).unwrap_err();
        assert_eq!(error.id(), "Throttled");
    }

    #[test]
    fn a_bad_success_body_keeps_the_header_correlation_id() {
        let error =
            process_query(&answer(200, &[("sprequestguid", "guid-2")], "not json")).unwrap_err();
        assert_eq!(error.correlation_id(), Some("guid-2"));
    }

    #[test]
    fn rest_errors_carry_the_odata_fields_and_the_request_guid() {
        let body = r#"{"odata.error":{"code":"-2147024809, System.ArgumentException","message":{"lang":"en-US","value":"No partner."}}}"#;
        let error = rest(&answer(400, &[("SPRequestGuid", "g-1")], body)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server);
        let info = error.server_info().unwrap();
        assert_eq!(info.code, -2147024809);
        assert_eq!(info.type_name, "System.ArgumentException");
        assert_eq!(error.correlation_id(), Some("g-1"));
        assert!(error.message().contains("g-1"));
        let error = rest(&answer(401, &[], body)).unwrap_err();
        assert_eq!(error.id(), "Unauthorized");
        let (value, id) = rest(&answer(200, &[("SPRequestGuid", "g-2")], "{}")).unwrap();
        assert_eq!((value, id.as_deref()), (serde_json::json!({}), Some("g-2")));
        assert_eq!(
            rest(&answer(200, &[], "<html>")).unwrap_err().id(),
            "HtmlResponse"
        );
    }
}
