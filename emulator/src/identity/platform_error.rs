//! Errors in the identity platform's JSON shape:
//!
//! ```json
//! {"error":"invalid_grant",
//!  "error_description":"AADSTS50126: Error validating credentials ...\r\nTrace ID: ...\r\nCorrelation ID: ...\r\nTimestamp: 2025-01-31 09:30:00Z",
//!  "error_codes":[50126],"timestamp":"2025-01-31 09:30:00Z","trace_id":"...","correlation_id":"..."}
//! ```
//!
//! The codes are the public AADSTS numbers for each case where we know one; the texts are
//! ours, in the platform's style. The status is 400, or 401 for `invalid_client`.

use std::time::SystemTime;

use hyper::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// One refusal: OAuth error name, AADSTS number and the first line of the description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformError {
    pub error: &'static str,
    pub code: u32,
    pub text: String,
    /// `suberror`, which the platform adds to some refusals (MFA: `basic_action`).
    pub suberror: Option<&'static str>,
}

impl PlatformError {
    pub fn new(error: &'static str, code: u32, text: impl Into<String>) -> Self {
        PlatformError {
            error,
            code,
            text: text.into(),
            suberror: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        if self.error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        }
    }

    /// `error/code`, for the request log.
    pub fn label(&self) -> String {
        format!("{}/{}", self.error, self.code)
    }

    /// The JSON body, stamped with the ids and time of this answer.
    pub fn body(&self, trace_id: Uuid, correlation_id: Uuid, now: SystemTime) -> Value {
        let timestamp = timestamp(now);
        let mut body = json!({
            "error": self.error,
            "error_description": format!(
                "AADSTS{}: {}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {timestamp}",
                self.code, self.text
            ),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id.to_string(),
            "correlation_id": correlation_id.to_string(),
        });
        if let Some(suberror) = self.suberror {
            body["suberror"] = json!(suberror);
        }
        body
    }

    // ---- the refusals, by case

    pub fn missing_parameter(name: &str) -> Self {
        Self::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{name}'."),
        )
    }

    pub fn post_only() -> Self {
        Self::new(
            "invalid_request",
            900561,
            "The endpoint only accepts POST requests.",
        )
    }

    pub fn unsupported_grant_type() -> Self {
        Self::new(
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type. spo-emulator accepts password, refresh_token, urn:ietf:params:oauth:grant-type:device_code and client_credentials.",
        )
    }

    pub fn tenant_not_found(segment: &str) -> Self {
        Self::new(
            "invalid_request",
            90002,
            format!(
                "Tenant '{}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. spo-emulator knows its tenants by name, tenant id and <name>.onmicrosoft.com.",
                shown(segment)
            ),
        )
    }

    pub fn no_tenant_for_app() -> Self {
        Self::new(
            "invalid_request",
            50059,
            "No tenant-identifying information found in either the request or implied by any provided credentials. App-only sign-in needs a specific tenant instead of 'organizations' or 'common'.",
        )
    }

    pub fn invalid_scope(detail: &str) -> Self {
        Self::new(
            "invalid_scope",
            70011,
            format!("The provided value for the input parameter 'scope' is not valid. {detail}"),
        )
    }

    pub fn resource_not_found(resource: &str, tenant: &str) -> Self {
        Self::new(
            "invalid_resource",
            500011,
            format!(
                "The resource principal named {} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
                shown(resource)
            ),
        )
    }

    pub fn invalid_client_id(client_id: &str) -> Self {
        Self::new(
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{}' was not found in the directory. Client ids are GUIDs.",
                shown(client_id)
            ),
        )
    }
}

/// The platform's timestamp format: `2025-01-31 09:30:00Z`.
pub fn timestamp(now: SystemTime) -> String {
    let rfc3339 = humantime::format_rfc3339_seconds(now).to_string();
    rfc3339.replacen('T', " ", 1)
}

/// Caller input quoted in an answer: printable ASCII only, and not too long.
pub fn shown(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(200)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    if text.chars().count() > 200 {
        shown.push_str("...");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn the_body_has_the_platform_shape() {
        let error = PlatformError::new("invalid_grant", 50126, "Error validating credentials.");
        let trace = Uuid::new_v4();
        let correlation = Uuid::new_v4();
        let now = UNIX_EPOCH + Duration::from_secs(1_738_315_800);
        let body = error.body(trace, correlation, now);
        assert_eq!(body["error"], "invalid_grant");
        assert_eq!(body["error_codes"], json!([50126]));
        assert_eq!(body["timestamp"], "2025-01-31 09:30:00Z");
        assert_eq!(body["trace_id"], trace.to_string());
        assert_eq!(body["correlation_id"], correlation.to_string());
        assert_eq!(
            body["error_description"],
            format!(
                "AADSTS50126: Error validating credentials.\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: 2025-01-31 09:30:00Z"
            )
        );
        assert!(body.get("suberror").is_none());
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error.label(), "invalid_grant/50126");
    }

    #[test]
    fn invalid_client_is_401() {
        let error = PlatformError::new("invalid_client", 700027, "x");
        assert_eq!(error.status(), StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn caller_input_is_shown_safely() {
        assert_eq!(shown("con\ntoso"), "con?toso");
        assert_eq!(shown(&"a".repeat(300)).len(), 203);
    }
}
