//! A connected tenant admin site: its URL, the renewing token source, one pooled HTTP
//! client and the retry policy; it sends ProcessQuery and REST requests and reads their
//! answers. It knows nothing of the commands built on it.

pub mod answer;
pub mod client_tag;
pub mod settings;

use crate::auth::{self, SignInInfo, TokenSource};
use crate::csom::{CsomResponse, MethodCall};
use crate::error::{Error, ErrorKind};
use crate::transport::gate::Turn;
use crate::transport::retry::{self, RetryHint, RetryPolicy, RetryReason};
use crate::transport::{HttpAnswer, Progress, Transport, TransportOptions};
use crate::version::LIBRARY_VERSION;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use settings::CheckedSignIn;
use std::future::Future;
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use url::Url;

/// What the server sees as the calling application (CSOM `ApplicationName`).
pub fn application_name() -> &'static str {
    static NAME: LazyLock<String> =
        LazyLock::new(|| format!("SPOCrossTenant PowerShell ({LIBRARY_VERSION})"));
    &NAME
}
/// Path of the CSOM endpoint below a site.
const PROCESS_QUERY_PATH: &str = "_vti_bin/client.svc/ProcessQuery";
/// What REST calls ask for: plain JSON without OData metadata.
const REST_ACCEPT: &str = "application/json;odata=nometadata";

/// Choices made at connect time.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// Zero means [`crate::transport::http::DEFAULT_TIMEOUT`].
    pub timeout: Duration,
    pub client_tag: Option<String>,
    pub retry: RetryPolicy,
}

/// A connection to one admin site. Safe to share between threads.
pub struct Connection {
    admin_url: Url,
    endpoint: Url,
    tokens: TokenSource,
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
    /// Signs in (which may wait for the admin, as the device code flow does) and returns
    /// the connection. Sign-in messages go to `progress`.
    pub async fn sign_in(request: CheckedSignIn, progress: &Progress) -> Result<Self, Error> {
        let CheckedSignIn {
            credential,
            options,
            connect,
            environment,
        } = request;
        let lookup = move |name: &str| {
            environment
                .get(name)
                .cloned()
                .or_else(|| std::env::var(name).ok())
        };
        let tokens =
            auth::sign_in_with_environment(credential, &options, progress, &lookup).await?;
        Connection::with_tokens(options.admin_url, tokens, connect)
    }

    /// A connection that takes its bearer tokens from `tokens`.
    pub fn with_tokens(
        admin_url: Url,
        tokens: TokenSource,
        options: ConnectOptions,
    ) -> Result<Self, Error> {
        let mut extra_headers = HeaderMap::new();
        let tag = match options.client_tag.as_deref() {
            Some(tag) => client_tag::checked(tag)?,
            None => None,
        };
        if let Some(tag) = tag {
            // `checked` allows only printable ASCII, which a header always carries.
            let value = HeaderValue::from_str(&tag).map_err(|_| {
                Error::new(
                    ErrorKind::Internal,
                    "ClientTagInvalid",
                    "The checked client tag cannot be sent as a header.",
                )
            })?;
            extra_headers.insert(HeaderName::from_static(client_tag::HEADER), value);
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
            tokens,
            extra_headers,
            transport,
            retry,
        })
    }

    pub fn admin_url(&self) -> &Url {
        &self.admin_url
    }

    /// How this connection signed in, as JSON for Get-SPOCrossTenantConnection; never the
    /// token.
    pub fn describe(&self) -> serde_json::Value {
        let SignInInfo {
            method,
            tenant_id,
            account,
            app_id,
            expires_on,
            can_renew,
            certificate_thumbprint,
        } = self.tokens.info();
        serde_json::json!({
            "adminUrl": self.admin_url.as_str(),
            "method": method.as_str(),
            "tenantId": tenant_id,
            "account": account,
            "appId": app_id,
            "expiresOn": expires_on,
            "canRenew": can_renew,
            "certificateThumbprint": certificate_thumbprint,
            "timeoutSeconds": self.transport.options().timeout.as_secs(),
            "maxAttempts": self.retry.max_attempts,
            "maxRetrySeconds": self.retry.max_total.as_secs(),
            "throttle": self.throttle_state(),
        })
    }

    /// The gate's state: how many requests are on the wire, how many may be, and until
    /// when the service asked every request to wait (Unix seconds, UTC).
    fn throttle_state(&self) -> serde_json::Value {
        let pace = self.transport.gate().snapshot();
        let until = pace.holding_for.and_then(|wait| {
            (std::time::SystemTime::now() + wait)
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
        });
        serde_json::json!({
            "inFlight": pace.on_wire,
            "limit": pace.limit,
            "ceiling": pace.ceiling,
            "throttledUntil": until.map(|time| time.as_secs_f64()),
            "requestSpacingMs": pace.spacing.map(|spacing| spacing.as_millis() as u64),
            "throttledAnswers": pace.throttled_answers,
        })
    }

    /// Sends one ProcessQuery call and reads the answer, retrying throttled attempts
    /// within the connection's [`RetryPolicy`] and saying so through `progress`.
    pub async fn process_query(
        &self,
        call: &MethodCall,
        progress: &Progress,
    ) -> Result<CsomResponse, Error> {
        let body = &call.to_request_xml(application_name());
        self.with_retries(call.name, progress, |turn| async move {
            let answer = self
                .transport
                .post_xml(
                    &self.endpoint,
                    self.authorization().await?,
                    self.extra_headers.clone(),
                    body.clone(),
                    progress,
                    turn,
                )
                .await?;
            answer::process_query(&answer)
        })
        .await
    }

    /// GETs a REST resource below the admin site (`relative` is path and query, without a
    /// leading slash) and returns its JSON and correlation id, with the same token,
    /// retries, timeouts and error mapping as ProcessQuery.
    pub async fn rest_get(
        &self,
        name: &str,
        relative: &str,
        progress: &Progress,
    ) -> Result<(Value, Option<String>), Error> {
        let url = &self.rest_url(relative)?;
        self.with_retries(name, progress, |turn| async move {
            let answer: HttpAnswer = self
                .transport
                .get(
                    url,
                    REST_ACCEPT,
                    self.authorization().await?,
                    self.extra_headers.clone(),
                    progress,
                    turn,
                )
                .await?;
            answer::rest(&answer)
        })
        .await
    }

    fn rest_url(&self, relative: &str) -> Result<Url, Error> {
        let text = format!(
            "{}/{relative}",
            self.admin_url.as_str().trim_end_matches('/')
        );
        Url::parse(&text).map_err(|_| {
            Error::new(
                ErrorKind::Internal,
                "RequestUrlInvalid",
                format!("The request URL '{text}' is not valid."),
            )
        })
    }

    async fn authorization(&self) -> Result<HeaderValue, Error> {
        let token = self.tokens.bearer().await?;
        HeaderValue::from_str(&format!("Bearer {}", token.as_str())).map_err(|_| {
            Error::new(
                ErrorKind::Internal,
                "AccessTokenInvalid",
                "The access token cannot be sent in a header.",
            )
        })
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retry policy is used up.
    ///
    /// A throttled answer with a named wait holds every request of the connection at the
    /// transport's gate until then; this request then simply goes again through the gate,
    /// keeping its turn (ahead of requests that came later), for as long as its time budget
    /// lasts.
    async fn with_retries<T, F, Fut>(
        &self,
        name: &str,
        progress: &Progress,
        mut attempt_once: F,
    ) -> Result<T, Error>
    where
        F: FnMut(Turn) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let started = Instant::now();
        let gate = self.transport.gate();
        let turn = gate.take_turn(Some(started + self.retry.max_total));
        let mut attempt = 1;
        loop {
            let error = match attempt_once(turn).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let Some(hint) = retry::hint_for(&error) else {
                return Err(error);
            };
            // How much longer the gate holds every request (another request may have been
            // asked to wait longer than this one).
            let held = gate.holding_for().unwrap_or(Duration::ZERO);
            let Some(wait) = self
                .retry
                .next_wait(attempt + 1, &hint, started.elapsed(), held)
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
            progress.say(self.retry_line(name, &hint, wait.delay, attempt + 1));
            tokio::time::sleep(wait.sleep).await;
            attempt += 1;
        }
    }

    /// What -Verbose says about a retry.
    fn retry_line(&self, name: &str, hint: &RetryHint, delay: Duration, next: u32) -> String {
        let why = match hint.reason {
            RetryReason::Throttled { http_status } => format!("throttled (HTTP {http_status})"),
            RetryReason::ConnectionRefused => "connection refused".to_owned(),
        };
        if hint.names_a_wait() {
            return format!(
                "{name} {why}; every request of this connection waits {:.1} s as the server asked, then attempt {next} (retrying for up to {} s in all).",
                delay.as_secs_f64(),
                self.retry.max_total.as_secs()
            );
        }
        if hint.retry_after.is_some() {
            return format!(
                "{name} {why}; retrying at once as the server asked (attempt {next} of {}).",
                self.retry.max_attempts
            );
        }
        format!(
            "{name} {why}; waiting {:.1} s (backing off) before attempt {next} of {}.",
            delay.as_secs_f64(),
            self.retry.max_attempts
        )
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
    fn a_client_tag_must_be_header_safe() {
        let options = ConnectOptions {
            client_tag: Some("tag\u{7f}".into()),
            ..Default::default()
        };
        let admin = Url::parse("http://127.0.0.1:1/x-admin").unwrap();
        let tokens = crate::transport::runtime::shared()
            .unwrap()
            .block_on(auth::sign_in(
                auth::Credential::AccessToken("t".to_owned().into()),
                &auth::SignInOptions::new(admin.clone()),
                &Progress::default(),
            ))
            .unwrap();
        assert_eq!(
            Connection::with_tokens(admin, tokens, options)
                .unwrap_err()
                .id(),
            "ClientTagInvalid"
        );
    }
}
