//! The HTTP client: TLS through rustls with the OS trust store, system proxy settings,
//! timeouts, a bounded body, and no redirects (so a token never follows one elsewhere).

use super::gate::{HeldTooLong, ThrottleGate, Turn};
use super::progress::Progress;
use super::throttle_state::{Answer, RateLimitHint};
use crate::error::{Error, ErrorKind};
use crate::version::LIBRARY_VERSION;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use std::sync::{LazyLock, Once};
use std::time::Duration;
use url::Url;

/// Request timeout when the caller sets none; the same as the CSOM client library's.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// Time allowed to open a TCP and TLS connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Largest answer we read; CSOM answers for these methods are a few kilobytes.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// SharePoint asks clients to identify themselves this way so throttling can tell them apart.
pub fn user_agent() -> &'static str {
    static VALUE: LazyLock<String> =
        LazyLock::new(|| format!("NONISV|SPOCrossTenant|SPOCrossTenant/{LIBRARY_VERSION}"));
    &VALUE
}

/// Settings fixed when a connection is made.
#[derive(Debug, Clone)]
pub struct TransportOptions {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_response_bytes: usize,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: CONNECT_TIMEOUT,
            max_response_bytes: MAX_RESPONSE_BYTES,
        }
    }
}

/// An HTTP answer, read in full (up to the limit).
#[derive(Debug, Clone)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

#[cfg(test)]
impl HttpAnswer {
    /// An answer as tests write it: a status, `(name, value)` headers and a text body.
    pub fn for_test(status: u16, headers: &[(&'static str, &str)], body: &str) -> Self {
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
}

/// One pooled HTTP client and its throttle gate; cheap to share between threads (clones
/// share both).
#[derive(Debug, Clone)]
pub struct Transport {
    client: reqwest::Client,
    options: TransportOptions,
    gate: ThrottleGate,
}

impl Transport {
    pub fn new(options: TransportOptions) -> Result<Self, Error> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(user_agent())
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Network,
                    "HttpClientUnavailable",
                    format!(
                        "The HTTP client could not be set up: {}",
                        describe_chain(&e)
                    ),
                )
            })?;
        Ok(Transport {
            client,
            options,
            gate: ThrottleGate::default(),
        })
    }

    pub fn options(&self) -> &TransportOptions {
        &self.options
    }

    /// The gate every request of this transport passes.
    pub fn gate(&self) -> &ThrottleGate {
        &self.gate
    }

    /// POSTs an XML body, when the gate lets `turn` go. `authorization` is sent marked
    /// sensitive, so it never shows up in debug output of the HTTP stack.
    pub async fn post_xml(
        &self,
        url: &Url,
        authorization: HeaderValue,
        extra_headers: HeaderMap,
        body: String,
        progress: &Progress,
        turn: Turn,
    ) -> Result<HttpAnswer, Error> {
        let request = self
            .client
            .post(url.clone())
            .header(CONTENT_TYPE, "text/xml")
            .body(body);
        self.send(request, url, authorization, extra_headers, progress, turn)
            .await
    }

    /// GETs a URL asking for `accept`, as the REST endpoints are called.
    pub async fn get(
        &self,
        url: &Url,
        accept: &'static str,
        authorization: HeaderValue,
        extra_headers: HeaderMap,
        progress: &Progress,
        turn: Turn,
    ) -> Result<HttpAnswer, Error> {
        let request = self.client.get(url.clone()).header(ACCEPT, accept);
        self.send(request, url, authorization, extra_headers, progress, turn)
            .await
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        url: &Url,
        mut authorization: HeaderValue,
        extra_headers: HeaderMap,
        progress: &Progress,
        turn: Turn,
    ) -> Result<HttpAnswer, Error> {
        authorization.set_sensitive(true);
        if let Some(wait) = self.gate.holding_for()
            && wait >= Duration::from_secs(1)
        {
            progress.say(format!(
                "Waiting {:.0} s before sending: SharePoint Online asked every request of this connection to wait (throttled).",
                wait.as_secs_f64()
            ));
        }
        // Dropped on any early return below, the pass counts the request as unanswered.
        let pass = self
            .gate
            .enter(turn)
            .await
            .map_err(|held| held_too_long(held, url))?;
        let result = request
            .header(AUTHORIZATION, authorization)
            .headers(extra_headers)
            .send()
            .await;
        let mut response = match result {
            Ok(response) => response,
            Err(error) => {
                // A refused or unresolvable connection sent nothing; anything later may have.
                if !error.is_connect() {
                    progress.mark_sent();
                }
                return Err(self.describe_failure(url, error));
            }
        };
        let status = response.status().as_u16();
        progress.mark_answered(status);
        let headers = response.headers().clone();
        let mut body = Vec::new();
        read_bounded(
            &mut response,
            &mut body,
            self.options.max_response_bytes,
            &self.failure_context(url),
        )
        .await?;
        let answer = HttpAnswer {
            status,
            headers,
            body,
        };
        pass.answered(pace_of(&answer));
        Ok(answer)
    }

    fn describe_failure(&self, url: &Url, error: reqwest::Error) -> Error {
        self.failure_context(url).request_failure(error)
    }

    fn failure_context(&self, url: &Url) -> FailureContext<'static> {
        FailureContext {
            host: host_of(url),
            timeout: self.options.timeout,
            wording: &SITE_WORDING,
        }
    }
}

/// A request not sent because the connection's hold outlasts its retry time budget.
fn held_too_long(held: HeldTooLong, url: &Url) -> Error {
    let wait = held
        .until
        .saturating_duration_since(std::time::Instant::now());
    Error::new(
        ErrorKind::Throttled,
        "Throttled",
        format!(
            "SharePoint Online asked every request of this connection to {} to wait {:.0} s more after throttling it, longer than this request may keep retrying (-MaxRetrySeconds of Connect-SPOService); it was not sent.",
            host_of(url),
            wait.as_secs_f64()
        ),
    )
    .with_http_status(429)
    .with_retry_after(Some(wait))
}

/// What an answer tells the gate about the service's pace.
fn pace_of(answer: &HttpAnswer) -> Answer {
    if matches!(answer.status, 429 | 503) {
        return Answer::Throttled {
            retry_after: answer.retry_after(),
        };
    }
    Answer::Answered {
        rate_limit: RateLimitHint::from_headers(&answer.headers),
    }
}

/// How the SharePoint transport words its failures.
const SITE_WORDING: FailureWording = FailureWording {
    keep_url: true,
    service: "",
    refused_hint: " Check the URL and that the site is reachable.",
    connect_hint: "Check the URL, DNS, and the HTTPS_PROXY/NO_PROXY settings.",
    too_large: "reading stopped there",
};

/// The words one HTTP client puts around its failures; what the failures are is decided
/// once, here, for every client ([`FailureContext::request_failure`], [`read_bounded`]).
#[derive(Debug)]
pub(crate) struct FailureWording {
    /// Whether the details keep the request's URL (else only the host is named: a URL's
    /// query can be long).
    pub keep_url: bool,
    /// What "Could not reach" names before the host, e.g. "the sign-in service at ".
    pub service: &'static str,
    /// Said after the details of a refused connection (empty, or starting with a space).
    pub refused_hint: &'static str,
    /// Said when the connection could not be made at all.
    pub connect_hint: &'static str,
    /// Said after "larger than N bytes; ".
    pub too_large: &'static str,
}

/// One request as its failures name it: the host, the timeout, the client's wording.
#[derive(Debug)]
pub(crate) struct FailureContext<'w> {
    pub host: String,
    pub timeout: Duration,
    pub wording: &'w FailureWording,
}

impl FailureContext<'_> {
    /// What a failed request means: Timeout, Tls, ConnectionRefused, or Network.
    pub(crate) fn request_failure(&self, error: reqwest::Error) -> Error {
        let host = &self.host;
        let wording = self.wording;
        if error.is_timeout() {
            return Error::new(
                ErrorKind::Timeout,
                "Timeout",
                format!(
                    "No complete answer from {host} within {} seconds. Try again, or connect with a longer timeout.",
                    self.timeout.as_secs()
                ),
            );
        }
        let connect = error.is_connect();
        let error = if wording.keep_url {
            error
        } else {
            error.without_url()
        };
        let details = describe_chain(&error);
        if is_tls_failure(&error) {
            return Error::new(
                ErrorKind::Network,
                "Tls",
                format!(
                    "The secure connection to {host} failed: {details}. Check the system clock, any TLS-inspecting proxy, and the trusted root certificates."
                ),
            );
        }
        if connect && is_connection_refused(&error) {
            return Error::new(
                ErrorKind::Network,
                "ConnectionRefused",
                format!(
                    "{host} refused the connection: {details}.{}",
                    wording.refused_hint
                ),
            );
        }
        let hint = if connect {
            wording.connect_hint
        } else {
            "The connection was interrupted; try again."
        };
        Error::new(
            ErrorKind::Network,
            "Network",
            format!(
                "Could not reach {}{host}: {details}. {hint}",
                wording.service
            ),
        )
    }
}

/// Reads `response`'s body into `body`, refusing (ResponseTooLarge) one longer than `limit`
/// bytes; a failure while reading is described by [`FailureContext::request_failure`].
pub(crate) async fn read_bounded(
    response: &mut reqwest::Response,
    body: &mut Vec<u8>,
    limit: usize,
    context: &FailureContext<'_>,
) -> Result<(), Error> {
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| context.request_failure(e))?
    {
        if body.len() + chunk.len() > limit {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                "ResponseTooLarge",
                format!(
                    "The answer from {} is larger than {limit} bytes; {}.",
                    context.host, context.wording.too_large
                ),
            )
            .with_http_status(response.status().as_u16()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(())
}

/// rustls needs one crypto provider per process; we bring ring.
pub(crate) fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only when the host process already installed one, which is then used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

fn host_of(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    }
}

/// The messages of an error and its causes, deduplicated, without URLs' query strings.
pub(crate) fn describe_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

fn is_connection_refused(error: &(dyn std::error::Error + 'static)) -> bool {
    any_cause(error, &|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
    })
}

fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    any_cause(error, &|e| e.is::<rustls::Error>())
}

/// Whether `error` or any cause matches. `io::Error::source` skips the error it wraps,
/// and the HTTP stack nests io errors, so wrapped io errors are opened explicitly.
fn any_cause(
    error: &(dyn std::error::Error + 'static),
    matches: &dyn Fn(&(dyn std::error::Error + 'static)) -> bool,
) -> bool {
    if matches(error) {
        return true;
    }
    if let Some(inner) = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        && any_cause(inner, matches)
    {
        return true;
    }
    error
        .source()
        .is_some_and(|source| any_cause(source, matches))
}
