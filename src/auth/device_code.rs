//! Device code sign-in (RFC 8628): we ask for a code, the admin enters it on any device's
//! browser, and we poll the token endpoint until they have signed in. It works headless,
//! over SSH and in Cloud Shell, where no browser can be opened for them.
//!
//! The polling waits with tokio timers, so the Operation running it can be cancelled at
//! any moment.

use super::http::{AuthHttp, Form};
use super::jwt::seconds;
use super::options::{Authority, host_for_messages};
use super::platform_error::{PlatformError, sign_in_error};
use super::token_endpoint::{Failure, IssuedToken, request_token, unexpected_answer};
use super::token_source::Clock;
use crate::error::{Error, ErrorKind};
use crate::transport::Progress;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;
use zeroize::Zeroizing;

/// Progress messages that start with this carry the sign-in instruction for the admin
/// ("To sign in, use a web browser to open the page ... and enter the code ..."), as the
/// identity platform wrote it, after the prefix. The module shows them on the host rather
/// than as verbose output, because the admin must act on them.
pub const DEVICE_CODE_PROMPT_PREFIX: &str = "DeviceCode: ";

/// The grant type that redeems a device code.
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// RFC 8628: poll every 5 s unless told otherwise, and 5 s slower after each `slow_down`.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Never poll faster than this, whatever the server says.
const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// How long a code lives when the server does not say (Entra ID's is 15 minutes).
const DEFAULT_CODE_LIFETIME: Duration = Duration::from_secs(900);

#[derive(Deserialize)]
struct CodeAnswer {
    #[serde(deserialize_with = "secret")]
    device_code: Zeroizing<String>,
    user_code: String,
    #[serde(alias = "verification_url")]
    verification_uri: String,
    #[serde(default)]
    expires_in: Option<Value>,
    #[serde(default)]
    interval: Option<Value>,
    #[serde(default)]
    message: Option<String>,
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Zeroizing<String>, D::Error> {
    String::deserialize(d).map(Zeroizing::new)
}

/// Everything the device code flow needs.
pub(crate) struct DeviceCodeRequest<'a> {
    pub http: &'a AuthHttp,
    pub authority: &'a Authority,
    pub tenant: &'a str,
    pub client_id: &'a str,
    /// The scope, with `offline_access` so that a refresh token comes back.
    pub scope: &'a str,
    pub progress: &'a Progress,
    pub clock: &'a Clock,
}

pub(crate) async fn sign_in(request: DeviceCodeRequest<'_>) -> Result<IssuedToken, Error> {
    let code_url = request.authority.device_code_url(request.tenant)?;
    let host = host_for_messages(&code_url);
    let form = Form::new()
        .with("client_id", request.client_id)
        .with("scope", request.scope);
    let answer = request.http.post_form(&code_url, form).await?;
    if answer.status != 200 {
        return Err(match PlatformError::parse(&answer.body) {
            Some(error) => sign_in_error(&error, answer.status),
            None => unexpected_answer(&answer, &host),
        });
    }
    let code: CodeAnswer = serde_json::from_slice(&answer.body).map_err(|_| {
        Error::new(
            ErrorKind::InvalidResponse,
            "DeviceCodeResponseInvalid",
            format!(
                "The device code answer from {host} is missing the code or the page to enter it on."
            ),
        )
    })?;
    let message = code
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let message = match message {
        Some(message) => message.to_owned(),
        None => format!(
            "To sign in, use a web browser to open the page {} and enter the code {} to authenticate.",
            code.verification_uri, code.user_code
        ),
    };
    request
        .progress
        .say(format!("{DEVICE_CODE_PROMPT_PREFIX}{message}"));

    let lifetime = code
        .expires_in
        .as_ref()
        .and_then(seconds)
        .map_or(DEFAULT_CODE_LIFETIME, Duration::from_secs);
    let deadline = Instant::now() + lifetime;
    let mut interval = code
        .interval
        .as_ref()
        .and_then(seconds)
        .map_or(DEFAULT_INTERVAL, Duration::from_secs)
        .max(MIN_INTERVAL);
    let token_url = request.authority.token_url(request.tenant)?;
    let mut hiccups = 0;
    loop {
        tokio::time::sleep(interval).await;
        let form = Form::new()
            .with("grant_type", DEVICE_CODE_GRANT)
            .with("client_id", request.client_id)
            .with("device_code", &code.device_code);
        match request_token(request.http, &token_url, form, request.clock).await {
            Ok(token) => return Ok(token),
            // The admin may be signing in right now: a brief network or service hiccup
            // should not throw that away, so a few in a row are waited out.
            Err(Failure::Other(error))
                if is_transient(&error) && hiccups < MAX_HICCUPS && Instant::now() < deadline =>
            {
                hiccups += 1;
                request.progress.say(format!(
                    "Checking for the device code sign-in failed ({}); trying again.",
                    error.message()
                ));
            }
            Err(Failure::Other(error)) => return Err(error),
            Err(Failure::Platform { error, status }) => {
                hiccups = 0;
                match next_interval(&error, interval) {
                    Some(_) if Instant::now() >= deadline => return Err(expired_here(lifetime)),
                    Some(next) => interval = next,
                    None => return Err(sign_in_error(&error, status)),
                }
            }
        }
    }
}

/// Failures in a row while polling that are waited out before giving up.
const MAX_HICCUPS: u32 = 3;

fn is_transient(error: &Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Throttled | ErrorKind::Http
    )
}

/// The wait before the next poll when the server refused with `error`, or None when the
/// refusal is final (declined, expired, or any other error).
fn next_interval(error: &PlatformError, interval: Duration) -> Option<Duration> {
    match error.error.as_str() {
        "authorization_pending" => Some(interval),
        "slow_down" => Some(interval + SLOW_DOWN_STEP),
        _ => None,
    }
}

fn expired_here(lifetime: Duration) -> Error {
    Error::new(
        ErrorKind::Unauthorized,
        "DeviceCodeExpired",
        format!(
            "Nobody signed in with the device code within {} minutes, so it expired. Run Connect-SPOService again and finish signing in within the time shown.",
            lifetime.as_secs().div_ceil(60)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(error: &str) -> PlatformError {
        PlatformError {
            error: error.into(),
            ..Default::default()
        }
    }

    #[test]
    fn pending_keeps_the_pace_and_slow_down_adds_five_seconds_each_time() {
        let start = Duration::from_secs(5);
        assert_eq!(
            next_interval(&refusal("authorization_pending"), start),
            Some(start)
        );
        let slower = next_interval(&refusal("slow_down"), start).unwrap();
        assert_eq!(slower, Duration::from_secs(10));
        assert_eq!(
            next_interval(&refusal("slow_down"), slower),
            Some(Duration::from_secs(15))
        );
    }

    #[test]
    fn final_refusals_stop_polling() {
        for error in [
            "authorization_declined",
            "access_denied",
            "expired_token",
            "bad_verification_code",
            "invalid_grant",
        ] {
            assert_eq!(
                next_interval(&refusal(error), DEFAULT_INTERVAL),
                None,
                "{error}"
            );
        }
    }

    #[test]
    fn a_locally_expired_code_says_how_long_it_lived() {
        let error = expired_here(Duration::from_secs(900));
        assert_eq!(error.id(), "DeviceCodeExpired");
        assert!(error.message().contains("15 minutes"));
    }
}
