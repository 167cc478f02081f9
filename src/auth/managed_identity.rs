//! Managed identity sign-in on Azure App Service, Functions and Container Apps: the
//! platform runs a token endpoint next to the app and tells it where through environment
//! variables; a secret header proves the request comes from inside the app.

use super::http::AuthHttp;
use super::options::host_for_messages;
use super::platform_error::{PlatformError, sign_in_error};
use super::token_endpoint::{IssuedToken, TokenAnswer, unexpected_answer};
use super::token_source::Clock;
use crate::error::{Error, ErrorKind};
use crate::site_url::is_loopback;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;
use std::fmt;
use url::{Host, Url};
use zeroize::Zeroizing;

/// One generation of the App Service protocol: its variables, header and parameters.
struct Protocol {
    endpoint_variable: &'static str,
    secret_variable: &'static str,
    header: &'static str,
    api_version: &'static str,
    client_id_parameter: &'static str,
}

/// Newest first: the 2019 protocol, then the 2017 one that older hosts still offer.
const PROTOCOLS: [Protocol; 2] = [
    Protocol {
        endpoint_variable: "IDENTITY_ENDPOINT",
        secret_variable: "IDENTITY_HEADER",
        header: "x-identity-header",
        api_version: "2019-08-01",
        client_id_parameter: "client_id",
    },
    Protocol {
        endpoint_variable: "MSI_ENDPOINT",
        secret_variable: "MSI_SECRET",
        header: "secret",
        api_version: "2017-09-01",
        client_id_parameter: "clientid",
    },
];

/// The managed identity endpoint of the host we run on.
pub(crate) struct Endpoint {
    url: Url,
    secret: Zeroizing<String>,
    protocol: &'static Protocol,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url.as_str())
            .field("api_version", &self.protocol.api_version)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl Endpoint {
    /// Finds the endpoint through `lookup` (the environment, in production).
    pub(crate) fn discover(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        for protocol in &PROTOCOLS {
            let endpoint = get(protocol.endpoint_variable);
            let secret = get(protocol.secret_variable).map(Zeroizing::new);
            match (endpoint, secret) {
                (Some(endpoint), Some(secret)) => {
                    let url = checked_endpoint(&endpoint, protocol.endpoint_variable)?;
                    return Ok(Endpoint {
                        url,
                        secret,
                        protocol,
                    });
                }
                (Some(_), None) => {
                    return Err(unavailable(&format!(
                        "{} is set but {} is not.",
                        protocol.endpoint_variable, protocol.secret_variable
                    )));
                }
                _ => {}
            }
        }
        Err(unavailable(
            "Neither IDENTITY_ENDPOINT and IDENTITY_HEADER nor MSI_ENDPOINT and MSI_SECRET are set.",
        ))
    }

    /// Whether requests should skip proxies (the endpoint is on this host or link-local).
    pub(crate) fn is_local(&self) -> bool {
        is_local(&self.url)
    }

    /// Asks for a token for `resource` (the admin site origin).
    pub(crate) async fn fetch(
        &self,
        http: &AuthHttp,
        resource: &str,
        client_id: Option<&str>,
        clock: &Clock,
    ) -> Result<IssuedToken, Error> {
        let mut url = self.url.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("resource", resource);
            query.append_pair("api-version", self.protocol.api_version);
            if let Some(client_id) = client_id {
                query.append_pair(self.protocol.client_id_parameter, client_id);
            }
        }
        let secret = HeaderValue::from_str(&self.secret).map_err(|_| {
            unavailable(&format!(
                "{} contains characters that cannot be sent in a header.",
                self.protocol.secret_variable
            ))
        })?;
        let header = HeaderName::from_static(self.protocol.header);
        let answer = http.get(&url, header, secret).await?;
        let host = host_for_messages(&url);
        if answer.status == 200 {
            return Ok(TokenAnswer::parse(&answer.body, &host)?.into_issued(clock()));
        }
        if answer.status == 429 || answer.status >= 500 {
            return Err(unexpected_answer(&answer, &host));
        }
        if let Some(error) = PlatformError::parse(&answer.body) {
            return Err(sign_in_error(&error, answer.status));
        }
        let said = said_by(&answer.body).unwrap_or_else(|| "no reason given".to_owned());
        Err(Error::new(
            ErrorKind::Unauthorized,
            "ManagedIdentityFailed",
            format!(
                "The managed identity endpoint refused the request (HTTP {}): {said}. Check that the app has a managed identity; for a user-assigned identity pass its client id.",
                answer.status
            ),
        )
        .with_http_status(answer.status))
    }
}

/// The environment as a lookup function.
pub(crate) fn environment(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn unavailable(why: &str) -> Error {
    Error::new(
        ErrorKind::Unauthorized,
        "ManagedIdentityUnavailable",
        format!(
            "No managed identity is available here: {why} Managed identity sign-in works on Azure App Service, Functions and Container Apps with an identity turned on; elsewhere sign in with a certificate."
        ),
    )
}

/// Accepts https anywhere, and plain http only on this host or a link-local address
/// (where App Service and Container Apps put the endpoint), never across a network.
fn checked_endpoint(text: &str, variable: &str) -> Result<Url, Error> {
    let fail = |why: &str| {
        Error::new(
            ErrorKind::InvalidArgument,
            "ManagedIdentityEndpointInvalid",
            format!("{variable} ('{}') {why}", text.trim()),
        )
    };
    let url = Url::parse(text.trim()).map_err(|_| fail("is not a URL."))?;
    match url.scheme() {
        "https" => {}
        "http" if is_local(&url) => {}
        _ => {
            return Err(fail(
                "must be an https URL, or http on this host or a link-local address.",
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(fail("must not contain a user name, password or fragment."));
    }
    Ok(url)
}

fn is_local(url: &Url) -> bool {
    is_loopback(url)
        || match url.host() {
            Some(Host::Ipv4(ip)) => ip.is_link_local(),
            Some(Host::Ipv6(ip)) => (ip.segments()[0] & 0xffc0) == 0xfe80,
            _ => false,
        }
}

/// The reason in a non-OAuth error body, in the shapes the hosts use.
fn said_by(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let text = ["message", "Message", "error_description"]
        .iter()
        .find_map(|k| value.get(k).and_then(Value::as_str))
        .or_else(|| value.pointer("/error/message").and_then(Value::as_str))
        .or_else(|| value.get("error").and_then(Value::as_str))?;
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_2019_protocol_wins_over_the_2017_one() {
        let endpoint = Endpoint::discover(&lookup(&[
            ("IDENTITY_ENDPOINT", "http://127.0.0.1:41000/msi/token"),
            ("IDENTITY_HEADER", "header-secret"),
            ("MSI_ENDPOINT", "http://127.0.0.1:41001/msi/token"),
            ("MSI_SECRET", "msi-secret"),
        ]))
        .unwrap();
        assert_eq!(endpoint.protocol.api_version, "2019-08-01");
        assert_eq!(endpoint.url.port(), Some(41000));
        assert!(endpoint.is_local());
        let text = format!("{endpoint:?}");
        assert!(
            !text.contains("secret\"") && !text.contains("header-secret"),
            "{text}"
        );
    }

    #[test]
    fn the_2017_protocol_is_used_when_it_is_all_there_is() {
        let endpoint = Endpoint::discover(&lookup(&[
            ("MSI_ENDPOINT", "http://169.254.129.3:8081/msi/token"),
            ("MSI_SECRET", "s"),
        ]))
        .unwrap();
        assert_eq!(endpoint.protocol.client_id_parameter, "clientid");
        assert!(endpoint.is_local());
    }

    #[test]
    fn missing_or_half_set_variables_say_what_is_missing() {
        let none = Endpoint::discover(&lookup(&[])).unwrap_err();
        assert_eq!(none.id(), "ManagedIdentityUnavailable");
        assert!(none.message().contains("IDENTITY_ENDPOINT"));
        let half = Endpoint::discover(&lookup(&[("IDENTITY_ENDPOINT", "http://127.0.0.1:1/")]))
            .unwrap_err();
        assert_eq!(half.id(), "ManagedIdentityUnavailable");
        assert!(half.message().contains("IDENTITY_HEADER is not"));
    }

    #[test]
    fn clear_text_endpoints_must_stay_on_the_host() {
        for bad in ["http://10.0.0.4/msi/token", "ftp://127.0.0.1/", "not a url"] {
            let error = Endpoint::discover(&lookup(&[
                ("IDENTITY_ENDPOINT", bad),
                ("IDENTITY_HEADER", "h"),
            ]))
            .unwrap_err();
            assert_eq!(error.id(), "ManagedIdentityEndpointInvalid", "{bad}");
        }
        assert!(
            Endpoint::discover(&lookup(&[
                ("IDENTITY_ENDPOINT", "https://identity.example/token"),
                ("IDENTITY_HEADER", "h"),
            ]))
            .is_ok()
        );
    }

    #[test]
    fn reasons_are_read_from_the_usual_shapes() {
        assert_eq!(
            said_by(br#"{"statusCode":400,"message":"No identity"}"#).unwrap(),
            "No identity"
        );
        assert_eq!(
            said_by(br#"{"error":{"code":"x","message":"Bad resource"}}"#).unwrap(),
            "Bad resource"
        );
        assert_eq!(said_by(b"<html/>"), None);
    }
}
