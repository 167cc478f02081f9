//! The HTTP client of sign-in: form posts to the token endpoints and the managed identity
//! GET, set up like [`crate::transport`] (rustls with ring, system proxy, timeouts, no
//! redirects), with bodies that carry secrets kept in buffers that are wiped when dropped.

use super::options::host_for_messages;
use crate::error::{Error, ErrorKind};
use crate::transport::http::{
    CONNECT_TIMEOUT, FailureContext, FailureWording, describe_chain, install_crypto_provider,
    read_bounded, user_agent,
};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use std::time::Duration;
use url::Url;
use zeroize::Zeroizing;

/// Largest answer read; token answers are a few kilobytes.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Room reserved up front for a form, so that appending secrets does not reallocate and
/// leave unwiped copies behind (a refresh token or an assertion is 1-3 KB).
const FORM_CAPACITY: usize = 16 * 1024;

/// An `application/x-www-form-urlencoded` body that is wiped when dropped.
pub(crate) struct Form {
    body: Zeroizing<String>,
}

impl Form {
    pub(crate) fn new() -> Self {
        Form {
            body: Zeroizing::new(String::with_capacity(FORM_CAPACITY)),
        }
    }

    pub(crate) fn with(mut self, name: &str, value: &str) -> Self {
        url::form_urlencoded::Serializer::for_suffix(&mut *self.body, 0)
            .append_pair(name, value)
            .finish();
        self
    }

    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.body
    }
}

/// An answer read in full; the body may hold tokens and is wiped when dropped.
pub(crate) struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Zeroizing<Vec<u8>>,
}

/// One pooled HTTP client for one sign-in and its renewals.
#[derive(Clone)]
pub(crate) struct AuthHttp {
    client: reqwest::Client,
    timeout: Duration,
}

impl std::fmt::Debug for AuthHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthHttp")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl AuthHttp {
    /// A client; `direct` skips any proxy, for endpoints on this machine (an emulator, the
    /// managed identity endpoint) that a corporate proxy cannot reach.
    pub(crate) fn new(timeout: Duration, direct: bool) -> Result<Self, Error> {
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .user_agent(user_agent())
            .timeout(timeout)
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(90));
        if direct {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            Error::new(
                ErrorKind::Network,
                "HttpClientUnavailable",
                format!(
                    "The HTTP client for sign-in could not be set up: {}",
                    describe_chain(&e)
                ),
            )
        })?;
        Ok(AuthHttp { client, timeout })
    }

    /// POSTs `form` to `url`.
    pub(crate) async fn post_form(&self, url: &Url, mut form: Form) -> Result<Answer, Error> {
        // The request body takes over the form's buffer (no copy) inside a wiping owner,
        // so it is wiped once the HTTP stack lets go of it. Copies the stack makes while
        // sending are beyond our reach.
        let bytes = Zeroizing::new(std::mem::take(&mut *form.body).into_bytes());
        let request = self
            .client
            .post(url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(reqwest::Body::from(bytes::Bytes::from_owner(bytes)));
        self.send(url, request).await
    }

    /// GETs `url` with one extra header, sent marked sensitive.
    pub(crate) async fn get(
        &self,
        url: &Url,
        name: HeaderName,
        mut value: HeaderValue,
    ) -> Result<Answer, Error> {
        value.set_sensitive(true);
        let request = self
            .client
            .get(url.clone())
            .header(ACCEPT, "application/json")
            .header(name, value);
        self.send(url, request).await
    }

    async fn send(&self, url: &Url, request: reqwest::RequestBuilder) -> Result<Answer, Error> {
        let context = FailureContext {
            host: host_for_messages(url),
            timeout: self.timeout,
            wording: &SIGN_IN_WORDING,
        };
        let mut response = request
            .send()
            .await
            .map_err(|e| context.request_failure(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Zeroizing::new(Vec::with_capacity(16 * 1024));
        read_bounded(&mut response, &mut body, MAX_ANSWER_BYTES, &context).await?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// How sign-in words its failures: the sign-in service by host, never the URL.
const SIGN_IN_WORDING: FailureWording = FailureWording {
    keep_url: false,
    service: "the sign-in service at ",
    refused_hint: "",
    connect_hint: "Check the network, DNS, -Region, and the HTTPS_PROXY/NO_PROXY settings.",
    too_large: "it is not a sign-in answer",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_urlencoded_in_order() {
        let form = Form::new()
            .with("grant_type", "password")
            .with("scope", "https://x/.default offline_access")
            .with("password", "p&ss=word");
        assert_eq!(
            form.as_str(),
            "grant_type=password&scope=https%3A%2F%2Fx%2F.default+offline_access&password=p%26ss%3Dword"
        );
    }

    #[test]
    fn a_refused_connection_says_so_without_secrets() {
        let runtime = crate::transport::runtime::shared().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = Url::parse(&format!("http://{}/t", listener.local_addr().unwrap())).unwrap();
        drop(listener);
        let http = AuthHttp::new(Duration::from_secs(5), true).unwrap();
        let error = runtime
            .block_on(http.post_form(&url, Form::new().with("password", "s3cret")))
            .err()
            .unwrap();
        assert_eq!(error.id(), "ConnectionRefused");
        assert!(!error.message().contains("s3cret"));
    }

    #[test]
    fn a_failed_tls_handshake_is_a_tls_error_as_in_the_transport() {
        use std::io::{Read, Write};
        let runtime = crate::transport::runtime::shared().unwrap();
        // A server that answers the TLS hello in plain HTTP.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = Url::parse(&format!("https://{}/t", listener.local_addr().unwrap())).unwrap();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let _ = stream.read(&mut [0u8; 1024]);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        });
        let http = AuthHttp::new(Duration::from_secs(5), true).unwrap();
        let error = runtime
            .block_on(http.post_form(&url, Form::new().with("password", "s3cret")))
            .err()
            .unwrap();
        server.join().unwrap();
        assert_eq!((error.kind(), error.id()), (ErrorKind::Network, "Tls"));
        assert!(error.message().starts_with(&format!(
            "The secure connection to {} failed: ",
            host_for_messages(&url)
        )));
        assert!(!error.message().contains("s3cret"));
        assert!(!error.message().contains("/t"));
    }
}
