//! What an HTTP answer that is not a success means, whatever endpoint sent it: 401, 403,
//! 404, throttling, redirects and the rest, each with its own id, plus the correlation id
//! and Retry-After the headers carry. The bodies are read by the layer that knows their
//! format; this only looks at status and headers.

use super::http::HttpAnswer;
use super::retry;
use crate::csom::response::looks_like_html;
use crate::error::{Error, ErrorKind};
use std::time::{Duration, SystemTime};

/// Response headers that carry SharePoint's correlation id outside the body.
const CORRELATION_HEADERS: &[&str] = &["sprequestguid", "request-id", "x-ms-request-id"];

/// Which endpoint answered, so a 404 names what was missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ProcessQuery,
    Rest,
}

impl HttpAnswer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The correlation id SharePoint put in the headers (SPRequestGuid), if any.
    pub fn correlation_id(&self) -> Option<String> {
        header_text(self, CORRELATION_HEADERS)
    }

    /// The wait the server named in Retry-After (seconds or an HTTP date), if any.
    pub fn retry_after(&self) -> Option<Duration> {
        header_text(self, &["retry-after"])
            .and_then(|value| retry::parse_retry_after(&value, SystemTime::now()))
    }
}

/// The error for a failed answer judged by its status and headers alone, with the HTTP
/// status, the correlation id and the server's Retry-After attached.
pub fn status_error(answer: &HttpAnswer, endpoint: Endpoint) -> Error {
    describe_status(answer, endpoint)
        .with_http_status(answer.status)
        .with_correlation_id(answer.correlation_id())
        .with_retry_after(answer.retry_after())
}

fn describe_status(answer: &HttpAnswer, endpoint: Endpoint) -> Error {
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
            format!(
                "The admin site has no {} endpoint at this address (HTTP 404). Check that Connect-SPOService -Url is the tenant admin site, e.g. https://contoso-admin.sharepoint.com.",
                match endpoint {
                    Endpoint::ProcessQuery => "ProcessQuery",
                    Endpoint::Rest => "REST",
                }
            ),
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
            let page = if looks_like_html(&answer.body) {
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
                format!(
                    "The admin site answered HTTP {status}{page}, not a {} response.",
                    match endpoint {
                        Endpoint::ProcessQuery => "CSOM",
                        Endpoint::Rest => "REST",
                    }
                ),
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

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> HttpAnswer {
        HttpAnswer::for_test(status, headers, body)
    }

    fn read(answer: &HttpAnswer) -> Result<(), Error> {
        Err(status_error(answer, Endpoint::ProcessQuery))
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
    fn a_404_names_the_endpoint_that_is_missing() {
        let rest = status_error(&answer(404, &[], ""), Endpoint::Rest);
        assert!(rest.message().contains("no REST endpoint"));
        let csom = status_error(&answer(404, &[], ""), Endpoint::ProcessQuery);
        assert!(csom.message().contains("no ProcessQuery endpoint"));
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
        assert_eq!(
            answer(200, &[("sprequestguid", "guid-2")], "").correlation_id(),
            Some("guid-2".to_owned())
        );
    }
}
