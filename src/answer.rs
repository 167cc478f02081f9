//! Turns an HTTP answer from ProcessQuery into a CSOM response or a readable error.

use crate::csom::{CsomResponse, response};
use crate::error::{Error, ErrorKind};
use crate::retry;
use crate::transport::HttpAnswer;
use std::time::SystemTime;

/// Response headers that carry SharePoint's correlation id outside the CSOM body.
const CORRELATION_HEADERS: &[&str] = &["sprequestguid", "request-id", "x-ms-request-id"];

/// Reads the answer: a CSOM body wins over the HTTP status, because SharePoint sends
/// ErrorInfo with 500 too, and its message is the useful one.
pub fn read(answer: &HttpAnswer) -> Result<CsomResponse, Error> {
    let status = answer.status;
    let correlation_id = header_text(answer, CORRELATION_HEADERS);
    if (200..300).contains(&status) {
        return response::parse(&answer.body, status)
            .map_err(|e| e.with_correlation_id(correlation_id));
    }
    if let Err(error) = response::parse(&answer.body, status)
        && error.kind() == ErrorKind::Server
    {
        return Err(error);
    }
    let retry_after = header_text(answer, &["retry-after"])
        .and_then(|value| retry::parse_retry_after(&value, SystemTime::now()));
    Err(status_error(answer)
        .with_http_status(status)
        .with_correlation_id(correlation_id)
        .with_retry_after(retry_after))
}

fn status_error(answer: &HttpAnswer) -> Error {
    let status = answer.status;
    match status {
        401 => {
            let reason = header_text(answer, &["www-authenticate"])
                .and_then(|challenge| bearer_error_description(&challenge))
                .map(|text| format!(" The server said: {text}."))
                .unwrap_or_default();
            Error::new(
                ErrorKind::Unauthorized,
                "Unauthorized",
                format!(
                    "The admin site refused the access token (HTTP 401): it is missing, expired, or issued for another tenant or site.{reason} Run Connect-SPOService again with a token for this admin site."
                ),
            )
        }
        403 => Error::new(
            ErrorKind::Forbidden,
            "Forbidden",
            "The admin site refused the request (HTTP 403). The signed-in account must be a SharePoint Administrator or Global Administrator of this tenant, and an app needs the Sites.FullControl.All application permission.",
        ),
        404 => Error::new(
            ErrorKind::Http,
            "NotFound",
            "The admin site has no ProcessQuery endpoint at this address (HTTP 404). Check that Connect-SPOService -Url is the tenant admin site, e.g. https://contoso-admin.sharepoint.com.",
        ),
        429 | 503 => {
            let wait = header_text(answer, &["retry-after"])
                .map(|value| {
                    format!(" It asked to wait {value} (Retry-After) before trying again.")
                })
                .unwrap_or_default();
            Error::new(
                ErrorKind::Throttled,
                "Throttled",
                format!("SharePoint Online is throttling requests (HTTP {status}).{wait}"),
            )
        }
        300..=399 => {
            let target =
                header_text(answer, &["location"]).unwrap_or_else(|| "another address".into());
            Error::new(
                ErrorKind::Http,
                "Redirected",
                format!(
                    "The admin site redirected the request to {target} (HTTP {status}). Redirects are not followed so the access token never leaves the admin site; check the -Url given to Connect-SPOService."
                ),
            )
        }
        _ => {
            let page = if response::looks_like_html(&answer.body) {
                " with an HTML page"
            } else {
                ""
            };
            let id = if status >= 500 {
                "ServiceError"
            } else {
                "HttpError"
            };
            Error::new(
                ErrorKind::Http,
                id,
                format!("The admin site answered HTTP {status}{page}, not a CSOM response."),
            )
        }
    }
}

fn header_text(answer: &HttpAnswer, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        answer
            .headers
            .get(*name)
            .and_then(|value| value.to_str().ok())
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
    })
}

/// The `error_description` of a Bearer challenge, which explains a 401 in words.
fn bearer_error_description(challenge: &str) -> Option<String> {
    let start = challenge.find("error_description=\"")? + "error_description=\"".len();
    let rest = &challenge[start..];
    let text: String = rest.chars().take_while(|c| *c != '"').take(300).collect();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> HttpAnswer {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        HttpAnswer {
            status,
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn statuses_become_distinct_kinds_and_ids() {
        let cases = [
            (401, ErrorKind::Unauthorized, "Unauthorized"),
            (403, ErrorKind::Forbidden, "Forbidden"),
            (404, ErrorKind::Http, "NotFound"),
            (429, ErrorKind::Throttled, "Throttled"),
            (503, ErrorKind::Throttled, "Throttled"),
            (500, ErrorKind::Http, "ServiceError"),
            (400, ErrorKind::Http, "HttpError"),
            (302, ErrorKind::Http, "Redirected"),
        ];
        for (status, kind, id) in cases {
            let error = read(&answer(status, &[], "<html>oops</html>")).unwrap_err();
            assert_eq!(
                (error.kind(), error.id(), error.http_status()),
                (kind, id, Some(status)),
                "{status}"
            );
        }
    }

    #[test]
    fn a_401_says_to_connect_again_and_quotes_the_challenge_reason() {
        let error = read(&answer(
            401,
            &[("www-authenticate", r#"Bearer realm="x", error="invalid_token", error_description="The token is expired""#)],
            "",
        ))
        .unwrap_err();
        assert!(error.message().contains("Connect-SPOService"));
        assert!(error.message().contains("The token is expired"));
    }

    #[test]
    fn a_csom_error_body_wins_over_the_http_status() {
        let body = r#"[{"ErrorInfo":{"ErrorMessage":"Denied.","ErrorCode":-2147024891,"ErrorTypeName":"System.UnauthorizedAccessException","TraceCorrelationId":"abc"},"TraceCorrelationId":"abc"}]"#;
        let error = read(&answer(500, &[], body)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server);
        assert_eq!(error.http_status(), Some(500));
        assert_eq!(error.correlation_id(), Some("abc"));
    }

    #[test]
    fn correlation_id_comes_from_headers_when_the_body_has_none() {
        let error = read(&answer(
            429,
            &[("retry-after", "7"), ("sprequestguid", "guid-1")],
            "",
        ))
        .unwrap_err();
        assert_eq!(error.correlation_id(), Some("guid-1"));
        assert!(error.message().contains("7"));
        assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
        let bad_body = read(&answer(200, &[("sprequestguid", "guid-2")], "not json")).unwrap_err();
        assert_eq!(bad_body.correlation_id(), Some("guid-2"));
    }
}
