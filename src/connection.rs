//! A connected tenant admin site: its URL, the bearer token, and one pooled HTTP client.

use crate::answer;
use crate::csom::request::METHOD_ACTION_ID;
use crate::error::{Error, ErrorKind};
use crate::operation::{Outcome, Progress};
use crate::retry::{self, RetryPolicy, RetryReason};
use crate::site_url;
use crate::transport::{Transport, TransportOptions};
use crate::trust::{self, TenantCall};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::{Duration, Instant};
use url::Url;
use zeroize::Zeroizing;

/// What the server sees as the calling application (CSOM `ApplicationName`).
pub const APPLICATION_NAME: &str = concat!(
    "SPOCrossTenant PowerShell (",
    env!("CARGO_PKG_VERSION"),
    ")"
);
/// Header that carries Connect-SPOService -ClientTag.
const CLIENT_TAG_HEADER: &str = "x-clientservice-clienttag";
/// Path of the CSOM endpoint below a site.
const PROCESS_QUERY_PATH: &str = "_vti_bin/client.svc/ProcessQuery";

/// Choices made at connect time.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// Zero means [`crate::transport::DEFAULT_TIMEOUT`].
    pub timeout: Duration,
    pub client_tag: Option<String>,
    pub retry: RetryPolicy,
}

/// A connection to one admin site. Safe to share between threads.
pub struct Connection {
    admin_url: Url,
    endpoint: Url,
    token: Zeroizing<String>,
    extra_headers: HeaderMap,
    transport: Transport,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("Connection")
            .field("admin_url", &self.admin_url.as_str())
            .finish_non_exhaustive()
    }
}

impl Connection {
    pub fn new(
        admin_url: &str,
        access_token: &str,
        options: ConnectOptions,
    ) -> Result<Self, Error> {
        let admin_url = site_url::admin_site_url(admin_url)?;
        let token = checked_token(access_token)?;
        let mut extra_headers = HeaderMap::new();
        if let Some(tag) = options
            .client_tag
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let value = HeaderValue::from_str(tag).map_err(|_| {
                Error::invalid_argument(
                    "ClientTagInvalid",
                    "ClientTag",
                    "The client tag may contain only printable ASCII characters.",
                )
            })?;
            extra_headers.insert(HeaderName::from_static(CLIENT_TAG_HEADER), value);
        }
        let mut transport_options = TransportOptions::default();
        if !options.timeout.is_zero() {
            transport_options.timeout = options.timeout;
        }
        let transport = Transport::new(transport_options)?;
        let endpoint = process_query_url(&admin_url);
        let retry = RetryPolicy {
            max_attempts: options.retry.max_attempts.max(1),
            ..options.retry
        };
        Ok(Connection {
            admin_url,
            endpoint,
            token,
            extra_headers,
            transport,
            retry,
        })
    }

    pub fn admin_url(&self) -> &Url {
        &self.admin_url
    }

    /// Sends one call and reads its return value, retrying throttled attempts within the
    /// connection's [`RetryPolicy`] and saying so through `progress`.
    pub async fn execute(&self, call: &TenantCall, progress: &Progress) -> Result<Outcome, Error> {
        let body = call.method.to_request_xml(APPLICATION_NAME);
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let error = match self.send_once(call, body.clone()).await {
                Ok(outcome) => return Ok(outcome),
                Err(error) => error,
            };
            let Some(hint) = retry::hint_for(&error) else {
                return Err(error);
            };
            let Some(delay) = self
                .retry
                .delay_before(attempt + 1, &hint, started.elapsed())
            else {
                return Err(if attempt > 1 {
                    error.with_note(&format!(
                        "Gave up after {attempt} attempts in {:.0} s.",
                        started.elapsed().as_secs_f64()
                    ))
                } else {
                    error
                });
            };
            let why = match hint.reason {
                RetryReason::Throttled { http_status } => format!("throttled (HTTP {http_status})"),
                RetryReason::ConnectionRefused => "connection refused".to_owned(),
            };
            let source = if hint.retry_after.is_some() {
                "as the server asked"
            } else {
                "backing off"
            };
            progress.say(format!(
                "{} {why}; waiting {:.1} s ({source}) before attempt {} of {}.",
                call.method.name,
                delay.as_secs_f64(),
                attempt + 1,
                self.retry.max_attempts
            ));
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn send_once(&self, call: &TenantCall, body: String) -> Result<Outcome, Error> {
        let authorization = HeaderValue::from_str(&format!("Bearer {}", self.token.as_str()))
            .map_err(|_| {
                Error::new(
                    ErrorKind::Internal,
                    "AccessTokenInvalid",
                    "The stored access token cannot be sent.",
                )
            })?;
        let http = self
            .transport
            .post_xml(
                &self.endpoint,
                authorization,
                self.extra_headers.clone(),
                body,
            )
            .await?;
        let response = answer::read(&http)?;
        let value = trust::read_return_value(call.returns, response.value_of(METHOD_ACTION_ID))
            .map_err(|e| e.with_correlation_id(response.correlation_id.clone()))?;
        Ok(Outcome {
            value,
            correlation_id: response.correlation_id,
        })
    }
}

/// `<admin url>/_vti_bin/client.svc/ProcessQuery`, keeping any path the admin URL has
/// (the emulator serves each tenant under a path).
fn process_query_url(admin_url: &Url) -> Url {
    let mut url = admin_url.clone();
    let path = format!(
        "{}/{PROCESS_QUERY_PATH}",
        admin_url.path().trim_end_matches('/')
    );
    url.set_path(&path);
    url
}

/// Accepts a raw token or one pasted with its "Bearer " prefix. The message never
/// repeats the token.
fn checked_token(input: &str) -> Result<Zeroizing<String>, Error> {
    let start = input.trim_start();
    let token = match start.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => start[7..].trim(),
        _ => start.trim_end(),
    };
    if token.is_empty() {
        return Err(Error::invalid_argument(
            "AccessTokenEmpty",
            "AccessToken",
            "The access token is empty. Get a token for the admin site (audience https://<tenant>-admin.sharepoint.com) and pass it to -AccessToken.",
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid_argument(
            "AccessTokenInvalid",
            "AccessToken",
            "The access token contains spaces, line breaks or non-ASCII characters, which a token cannot have. Check that it was copied whole and alone.",
        ));
    }
    Ok(Zeroizing::new(token.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_sits_below_the_admin_site_path() {
        let admin = Url::parse("https://contoso-admin.sharepoint.com/").unwrap();
        assert_eq!(
            process_query_url(&admin).as_str(),
            "https://contoso-admin.sharepoint.com/_vti_bin/client.svc/ProcessQuery"
        );
        let emulated = Url::parse("http://127.0.0.1:9/contoso-admin/").unwrap();
        assert_eq!(
            process_query_url(&emulated).as_str(),
            "http://127.0.0.1:9/contoso-admin/_vti_bin/client.svc/ProcessQuery"
        );
    }

    #[test]
    fn tokens_are_trimmed_and_lose_a_pasted_bearer_prefix() {
        assert_eq!(checked_token("  abc.def ").unwrap().as_str(), "abc.def");
        assert_eq!(checked_token("Bearer abc").unwrap().as_str(), "abc");
        assert_eq!(checked_token("bearer   abc").unwrap().as_str(), "abc");
    }

    #[test]
    fn bad_tokens_are_refused_without_repeating_them() {
        assert_eq!(checked_token(" ").unwrap_err().id(), "AccessTokenEmpty");
        assert_eq!(
            checked_token("Bearer ").unwrap_err().id(),
            "AccessTokenEmpty"
        );
        let error = checked_token("secret-part other-part").unwrap_err();
        assert_eq!(error.id(), "AccessTokenInvalid");
        assert!(!error.message().contains("secret-part"));
        assert_eq!(
            checked_token("tökén").unwrap_err().id(),
            "AccessTokenInvalid"
        );
    }

    #[test]
    fn debug_output_hides_the_token() {
        let connection = Connection::new(
            "http://127.0.0.1:1/x-admin",
            "very-secret-token",
            ConnectOptions::default(),
        )
        .unwrap();
        assert!(!format!("{connection:?}").contains("very-secret-token"));
    }

    #[test]
    fn a_client_tag_must_be_header_safe() {
        let options = ConnectOptions {
            client_tag: Some("tag\u{7f}".into()),
            ..Default::default()
        };
        assert_eq!(
            Connection::new("http://127.0.0.1:1/x-admin", "t", options)
                .unwrap_err()
                .id(),
            "ClientTagInvalid"
        );
    }
}
