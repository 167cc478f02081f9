//! The HTTP client: TLS through rustls with the OS trust store, system proxy settings,
//! timeouts, a bounded body, and no redirects (so a token never follows one elsewhere).

use super::progress::Progress;
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

/// One pooled HTTP client; cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Transport {
    client: reqwest::Client,
    options: TransportOptions,
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
        Ok(Transport { client, options })
    }

    pub fn options(&self) -> &TransportOptions {
        &self.options
    }

    /// POSTs an XML body. `authorization` is sent marked sensitive, so it never shows up
    /// in debug output of the HTTP stack.
    pub async fn post_xml(
        &self,
        url: &Url,
        authorization: HeaderValue,
        extra_headers: HeaderMap,
        body: String,
        progress: &Progress,
    ) -> Result<HttpAnswer, Error> {
        let request = self
            .client
            .post(url.clone())
            .header(CONTENT_TYPE, "text/xml")
            .body(body);
        self.send(request, url, authorization, extra_headers, progress)
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
    ) -> Result<HttpAnswer, Error> {
        let request = self.client.get(url.clone()).header(ACCEPT, accept);
        self.send(request, url, authorization, extra_headers, progress)
            .await
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        url: &Url,
        mut authorization: HeaderValue,
        extra_headers: HeaderMap,
        progress: &Progress,
    ) -> Result<HttpAnswer, Error> {
        authorization.set_sensitive(true);
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
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.describe_failure(url, e))?
        {
            if body.len() + chunk.len() > self.options.max_response_bytes {
                return Err(Error::new(
                    ErrorKind::InvalidResponse,
                    "ResponseTooLarge",
                    format!(
                        "The answer from {} is larger than {} bytes; reading stopped there.",
                        host_of(url),
                        self.options.max_response_bytes
                    ),
                )
                .with_http_status(status));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpAnswer {
            status,
            headers,
            body,
        })
    }

    fn describe_failure(&self, url: &Url, error: reqwest::Error) -> Error {
        let host = host_of(url);
        if error.is_timeout() {
            return Error::new(
                ErrorKind::Timeout,
                "Timeout",
                format!(
                    "No complete answer from {host} within {} seconds. Try again, or connect with a longer timeout.",
                    self.options.timeout.as_secs()
                ),
            );
        }
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
        if error.is_connect() && is_connection_refused(&error) {
            return Error::new(
                ErrorKind::Network,
                "ConnectionRefused",
                format!(
                    "{host} refused the connection: {details}. Check the URL and that the site is reachable."
                ),
            );
        }
        let hint = if error.is_connect() {
            "Check the URL, DNS, and the HTTPS_PROXY/NO_PROXY settings."
        } else {
            "The connection was interrupted; try again."
        };
        Error::new(
            ErrorKind::Network,
            "Network",
            format!("Could not reach {host}: {details}. {hint}"),
        )
    }
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

pub(crate) fn is_connection_refused(error: &(dyn std::error::Error + 'static)) -> bool {
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
