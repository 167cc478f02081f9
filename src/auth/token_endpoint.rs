//! The `/oauth2/v2.0/token` endpoint: the grants we send to it and the answers it gives.

use super::http::{Answer, AuthHttp, Form};
use super::jwt::{read_claims, seconds};
use super::options::host_for_messages;
use super::platform_error::{PlatformError, sign_in_error};
use super::token_source::Clock;
use crate::error::{Error, ErrorKind};
use crate::transport::retry::parse_retry_after;
use reqwest::header::RETRY_AFTER;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::time::SystemTime;
use url::Url;
use zeroize::Zeroizing;

/// When an answer names no lifetime and the token has no readable `exp`, assume the
/// identity platform's shortest default lifetime, so renewal comes early rather than late.
pub(crate) const ASSUMED_LIFETIME_SECONDS: u64 = 3600;

/// A token as issued, with the times renewal is planned from.
pub(crate) struct IssuedToken {
    pub access_token: Zeroizing<String>,
    pub refresh_token: Option<Zeroizing<String>>,
    /// Unix seconds when we received it.
    pub issued_at: u64,
    /// Unix seconds when it stops working.
    pub expires_at: u64,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

/// The fields of a successful answer that we use. Token endpoints send `expires_in`
/// (seconds from now); managed identity endpoints send `expires_on` (a Unix time); both
/// come as numbers or as strings.
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    #[serde(deserialize_with = "secret")]
    access_token: Zeroizing<String>,
    #[serde(default, deserialize_with = "optional_secret")]
    refresh_token: Option<Zeroizing<String>>,
    #[serde(default)]
    expires_in: Option<Value>,
    #[serde(default)]
    expires_on: Option<Value>,
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Zeroizing<String>, D::Error> {
    String::deserialize(d).map(Zeroizing::new)
}

fn optional_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Zeroizing<String>>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .filter(|s| !s.is_empty())
        .map(Zeroizing::new))
}

impl TokenAnswer {
    /// Parses a success body; `host` names the sender in errors.
    pub(crate) fn parse(body: &[u8], host: &str) -> Result<Self, Error> {
        let answer: TokenAnswer = serde_json::from_slice(body).map_err(|_| {
            Error::new(
                ErrorKind::InvalidResponse,
                "TokenResponseInvalid",
                format!("The sign-in answer from {host} does not contain an access token."),
            )
        })?;
        if answer.access_token.trim().is_empty()
            || !answer.access_token.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                "TokenResponseInvalid",
                format!("The access token from {host} is empty or not printable."),
            ));
        }
        Ok(answer)
    }

    /// The token with its expiry resolved at `now`: the answer's lifetime, else the token's
    /// `exp`, else [`ASSUMED_LIFETIME_SECONDS`].
    pub(crate) fn into_issued(self, now: u64) -> IssuedToken {
        let expires_at = self
            .expires_on
            .as_ref()
            .and_then(seconds)
            .or_else(|| {
                self.expires_in
                    .as_ref()
                    .and_then(seconds)
                    .map(|s| now.saturating_add(s))
            })
            .or_else(|| read_claims(&self.access_token).and_then(|c| c.exp))
            .unwrap_or(now + ASSUMED_LIFETIME_SECONDS);
        IssuedToken {
            access_token: self.access_token,
            refresh_token: self.refresh_token,
            issued_at: now,
            expires_at,
        }
    }
}

/// Why a token request failed: the platform said no (device code polling looks at why),
/// or something else went wrong.
pub(crate) enum Failure {
    Platform { error: PlatformError, status: u16 },
    Other(Error),
}

impl Failure {
    pub(crate) fn into_error(self) -> Error {
        match self {
            Failure::Platform { error, status } => sign_in_error(&error, status),
            Failure::Other(error) => error,
        }
    }
}

/// POSTs `form` to the token endpoint `url` and reads the token.
pub(crate) async fn request_token(
    http: &AuthHttp,
    url: &Url,
    form: Form,
    now: &Clock,
) -> Result<IssuedToken, Failure> {
    let answer = http.post_form(url, form).await.map_err(Failure::Other)?;
    let host = host_for_messages(url);
    if answer.status == 200 {
        return TokenAnswer::parse(&answer.body, &host)
            .map(|t| t.into_issued(now()))
            .map_err(Failure::Other);
    }
    if let Some(error) = PlatformError::parse(&answer.body) {
        return Err(Failure::Platform {
            error,
            status: answer.status,
        });
    }
    Err(Failure::Other(unexpected_answer(&answer, &host)))
}

/// An error for an answer that is neither a token nor a platform error (a proxy's HTML
/// page, an outage).
pub(crate) fn unexpected_answer(answer: &Answer, host: &str) -> Error {
    let status = answer.status;
    let retry_after = answer
        .headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    match status {
        429 | 503 => Error::new(
            ErrorKind::Throttled,
            "Throttled",
            format!("The sign-in service at {host} is busy (HTTP {status}). Try again shortly."),
        )
        .with_retry_after(retry_after),
        500..=599 => Error::new(
            ErrorKind::Http,
            "SignInServiceError",
            format!("The sign-in service at {host} failed (HTTP {status}). Try again later."),
        ),
        _ => Error::new(
            ErrorKind::InvalidResponse,
            "SignInResponseInvalid",
            format!(
                "The sign-in service at {host} answered HTTP {status} with something that is not a sign-in answer. Check -Region, the sign-in URL, and any proxy in between."
            ),
        ),
    }
    .with_http_status(status)
}

/// `grant_type=password` (resource owner password credentials).
pub(crate) fn password_form(client_id: &str, scope: &str, username: &str, password: &str) -> Form {
    Form::new()
        .with("grant_type", "password")
        .with("client_id", client_id)
        .with("scope", scope)
        .with("username", username)
        .with("password", password)
}

/// `grant_type=refresh_token`.
pub(crate) fn refresh_form(client_id: &str, scope: &str, refresh_token: &str) -> Form {
    Form::new()
        .with("grant_type", "refresh_token")
        .with("client_id", client_id)
        .with("scope", scope)
        .with("refresh_token", refresh_token)
}

/// `grant_type=client_credentials` with a certificate assertion.
pub(crate) fn client_credentials_form(client_id: &str, scope: &str, assertion: &str) -> Form {
    Form::new()
        .with("grant_type", "client_credentials")
        .with("client_id", client_id)
        .with("scope", scope)
        .with("client_assertion_type", super::assertion::ASSERTION_TYPE)
        .with("client_assertion", assertion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::jwt::fake_token;
    use serde_json::json;

    #[test]
    fn lifetime_comes_from_the_answer_then_the_token_then_a_default() {
        let token = fake_token(&json!({"exp": 5000}));
        let parse = |body: Value| {
            TokenAnswer::parse(body.to_string().as_bytes(), "h")
                .unwrap()
                .into_issued(1000)
        };
        let issued = parse(json!({"access_token": token, "expires_in": 600, "refresh_token": "r"}));
        assert_eq!((issued.issued_at, issued.expires_at), (1000, 1600));
        assert_eq!(
            issued.refresh_token.as_deref().map(String::as_str),
            Some("r")
        );
        assert_eq!(
            parse(json!({"access_token": token, "expires_in": "60"})).expires_at,
            1060
        );
        assert_eq!(
            parse(json!({"access_token": token, "expires_on": "1700"})).expires_at,
            1700
        );
        assert_eq!(parse(json!({"access_token": token})).expires_at, 5000);
        let opaque = parse(json!({"access_token": "opaque", "refresh_token": ""}));
        assert_eq!(opaque.expires_at, 1000 + ASSUMED_LIFETIME_SECONDS);
        assert!(opaque.refresh_token.is_none());
    }

    #[test]
    fn answers_without_a_usable_token_are_refused() {
        for body in [
            &b"<html></html>"[..],
            br#"{"token_type":"Bearer"}"#,
            br#"{"access_token":""}"#,
            br#"{"access_token":"a b"}"#,
        ] {
            let error = TokenAnswer::parse(body, "login.example").err().unwrap();
            assert_eq!(error.id(), "TokenResponseInvalid");
        }
    }

    #[test]
    fn debug_never_shows_tokens() {
        let issued = TokenAnswer::parse(
            br#"{"access_token":"secret-at","refresh_token":"secret-rt","expires_in":1}"#,
            "h",
        )
        .unwrap()
        .into_issued(0);
        assert!(!format!("{issued:?}").contains("secret"));
    }

    #[test]
    fn grants_carry_their_fields() {
        let form = client_credentials_form("app", "https://a/.default", "x.y.z");
        assert_eq!(
            form.as_str(),
            "grant_type=client_credentials&client_id=app&scope=https%3A%2F%2Fa%2F.default&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=x.y.z"
        );
        assert!(
            refresh_form("app", "s", "rt")
                .as_str()
                .contains("refresh_token=rt")
        );
        assert!(
            password_form("app", "s", "u@c.com", "pw")
                .as_str()
                .starts_with("grant_type=password&")
        );
    }
}
