//! Errors of the Microsoft identity platform (`{"error": ..., "error_codes": [...]}`),
//! turned into messages that name the AADSTS code, say what to do, and keep the correlation
//! id for a support case.

use crate::error::{Error, ErrorKind};
use serde::Deserialize;

/// The error fields of an OAuth answer from the identity platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub(crate) struct PlatformError {
    pub error: String,
    pub error_description: String,
    pub error_codes: Vec<i64>,
    pub correlation_id: String,
    pub trace_id: String,
}

impl PlatformError {
    /// The error of an OAuth answer, or None when `body` is not one.
    pub(crate) fn parse(body: &[u8]) -> Option<Self> {
        serde_json::from_slice::<PlatformError>(body)
            .ok()
            .filter(|e| !e.error.is_empty())
    }

    /// The AADSTS number: the first of `error_codes`, else the one in the description.
    pub(crate) fn code(&self) -> Option<i64> {
        self.error_codes.first().copied().or_else(|| {
            let after = &self.error_description[self.error_description.find("AADSTS")? + 6..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
    }

    /// The first sentence line of the description, without the trace and correlation ids
    /// that the platform appends (we report those separately).
    fn summary(&self) -> String {
        let text = self.error_description.trim();
        let end = [text.find("\r\n"), text.find('\n'), text.find(" Trace ID:")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(text.len());
        let line: String = text[..end]
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(500)
            .collect();
        line.trim().to_owned()
    }
}

/// What we know about a code: the error id, its kind, the parameter at fault when the
/// admin typed something wrong, and what to do.
struct Known {
    id: &'static str,
    kind: ErrorKind,
    parameter: Option<&'static str>,
    advice: &'static str,
}

const fn known(id: &'static str, kind: ErrorKind, advice: &'static str) -> Known {
    Known {
        id,
        kind,
        parameter: None,
        advice,
    }
}

const fn input(id: &'static str, parameter: &'static str, advice: &'static str) -> Known {
    Known {
        id,
        kind: ErrorKind::InvalidArgument,
        parameter: Some(parameter),
        advice,
    }
}

/// The advice for the AADSTS codes and OAuth errors admins meet most.
fn classify(code: Option<i64>, error: &str) -> Known {
    use ErrorKind::Unauthorized;
    match (code, error) {
        (Some(50020 | 90072), _) => input(
            "WrongTenant",
            "TenantId",
            "The account does not belong to the tenant being signed in to. Sign in with an account of the tenant that owns the admin site, or pass that tenant with -TenantId.",
        ),
        (Some(90002 | 50059), _) => input(
            "WrongTenant",
            "TenantId",
            "The tenant was not found. Check -TenantId (the tenant id or a domain such as contoso.onmicrosoft.com) and -Region.",
        ),
        (Some(65001), _) => known(
            "ConsentRequired",
            Unauthorized,
            "The application has not been granted access to SharePoint in this tenant. An administrator must grant admin consent to it (Entra admin center > Enterprise applications > the app > Permissions), then try again.",
        ),
        (Some(50126 | 50034), _) => known(
            "InvalidCredentials",
            Unauthorized,
            "The user name or password is wrong, or the account does not exist. Federated (AD FS) accounts cannot use -Credential either; connect without it to sign in with a device code.",
        ),
        (Some(50076 | 50079 | 50158), _) => known(
            "MfaRequired",
            Unauthorized,
            "This account must use multi-factor authentication or is subject to Conditional Access, so it cannot sign in with -Credential (user name and password). Connect without -Credential to sign in with a device code, or use certificate app-only sign-in.",
        ),
        (Some(53003), _) => known(
            "ConditionalAccessBlocked",
            Unauthorized,
            "A Conditional Access policy blocked this sign-in. Ask the tenant's identity administrator which policy applies (the correlation id identifies the sign-in in the Entra sign-in logs).",
        ),
        (Some(7000215), _) => known(
            "SignInFailed",
            Unauthorized,
            "A client secret was rejected. SharePoint does not accept app-only tokens obtained with a client secret anyway: use a certificate (-Certificate or -CertificatePath).",
        ),
        (Some(7000218), _) => known(
            "SignInFailed",
            Unauthorized,
            "The app registration does not allow public client flows, which device code and -Credential sign-in need. Set 'Allow public client flows' to Yes on the app registration, or use the default client id.",
        ),
        (Some(700016), _) => input(
            "AppNotFound",
            "ClientId",
            "No application with this client id exists in the tenant. Check -ClientId and -TenantId; a multi-tenant app must first be consented to in this tenant.",
        ),
        (Some(700027), _) => known(
            "CertificateRejected",
            Unauthorized,
            "Entra ID could not validate the client assertion signed with the certificate. Upload this certificate (its public .cer part) to the app registration under Certificates & secrets, and check that it has not expired there.",
        ),
        (Some(500011), _) => input(
            "ResourceNotFound",
            "Url",
            "The admin site was not found as a resource in this tenant. Check -Url (https://<tenant>-admin.sharepoint.com) and that it belongs to the tenant you sign in to, in the right -Region.",
        ),
        (Some(70016), _) | (_, "authorization_pending") => known(
            "SignInFailed",
            Unauthorized,
            "The sign-in was still waiting for the user.",
        ),
        (Some(70019 | 70020), _) | (_, "expired_token" | "code_expired") => known(
            "DeviceCodeExpired",
            Unauthorized,
            "The device code expired before the sign-in was completed. Run Connect-SPOService again and finish signing in within the time shown.",
        ),
        (_, "access_denied" | "authorization_declined") => known(
            "SignInDeclined",
            Unauthorized,
            "The sign-in was declined or cancelled in the browser. Run Connect-SPOService again and approve it.",
        ),
        (Some(700082 | 70008 | 70043 | 50173 | 50133), _) => known(
            "SignInExpired",
            Unauthorized,
            "The sign-in session has expired or was revoked, so the token cannot be renewed. Run Connect-SPOService again.",
        ),
        (Some(50053), _) => known(
            "SignInFailed",
            Unauthorized,
            "The account is locked after too many failed sign-ins. Wait, or ask an administrator to unlock it.",
        ),
        (Some(50057), _) => known(
            "SignInFailed",
            Unauthorized,
            "The account is disabled. Ask an administrator to enable it.",
        ),
        (Some(50055), _) => known(
            "SignInFailed",
            Unauthorized,
            "The password has expired. Change it by signing in to https://portal.office.com, then try again.",
        ),
        _ => known("SignInFailed", Unauthorized, "The sign-in failed."),
    }
}

/// A readable error for `failure`, received with HTTP `status`.
pub(crate) fn sign_in_error(failure: &PlatformError, status: u16) -> Error {
    let code = failure.code();
    let known = classify(code, &failure.error);
    let mut said = failure.summary();
    if said.is_empty() {
        said = failure.error.clone();
    }
    if let Some(code) = code
        && !said.contains("AADSTS")
    {
        said = format!("AADSTS{code}: {said}");
    }
    let mut ids = Vec::new();
    if !failure.correlation_id.is_empty() {
        ids.push(format!("correlation id {}", failure.correlation_id));
    }
    if !failure.trace_id.is_empty() {
        ids.push(format!("trace id {}", failure.trace_id));
    }
    let ids = if ids.is_empty() {
        String::new()
    } else {
        format!(" ({})", ids.join(", "))
    };
    let message = format!("{} Entra ID said: {said}{ids}", known.advice);
    let error = match known.parameter {
        Some(parameter) => Error::invalid_argument(known.id, parameter, message),
        None => Error::new(known.kind, known.id, message),
    };
    error
        .with_http_status(status)
        .with_correlation_id(Some(failure.correlation_id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(error: &str, code: i64, description: &str) -> PlatformError {
        PlatformError {
            error: error.into(),
            error_description: description.into(),
            error_codes: vec![code],
            correlation_id: "c0ffee00-0000-4000-8000-000000000001".into(),
            trace_id: "7ace0000-0000-4000-8000-000000000002".into(),
        }
    }

    #[test]
    fn parses_the_platform_shape_and_rejects_others() {
        let body = br#"{"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2024","error_codes":[50126],"timestamp":"2024","trace_id":"t","correlation_id":"c","error_uri":"https://login.microsoftonline.com/error?code=50126"}"#;
        let parsed = PlatformError::parse(body).unwrap();
        assert_eq!(parsed.code(), Some(50126));
        assert_eq!(
            parsed.summary(),
            "AADSTS50126: Error validating credentials due to invalid username or password."
        );
        assert_eq!(PlatformError::parse(b"<html>bad gateway</html>"), None);
        assert_eq!(PlatformError::parse(br#"{"message":"x"}"#), None);
        let no_codes = PlatformError::parse(
            br#"{"error":"invalid_client","error_description":"AADSTS700016: Application not found. Trace ID: x"}"#,
        )
        .unwrap();
        assert_eq!(no_codes.code(), Some(700016));
        assert_eq!(no_codes.summary(), "AADSTS700016: Application not found.");
    }

    #[test]
    fn common_codes_get_their_own_id_advice_and_correlation_id() {
        let cases: [(&str, i64, &str, ErrorKind, &str); 12] = [
            (
                "invalid_request",
                50020,
                "WrongTenant",
                ErrorKind::InvalidArgument,
                "-TenantId",
            ),
            (
                "invalid_request",
                90002,
                "WrongTenant",
                ErrorKind::InvalidArgument,
                "-Region",
            ),
            (
                "invalid_grant",
                65001,
                "ConsentRequired",
                ErrorKind::Unauthorized,
                "admin consent",
            ),
            (
                "invalid_grant",
                50126,
                "InvalidCredentials",
                ErrorKind::Unauthorized,
                "password",
            ),
            (
                "invalid_grant",
                50076,
                "MfaRequired",
                ErrorKind::Unauthorized,
                "-Credential",
            ),
            (
                "invalid_grant",
                50079,
                "MfaRequired",
                ErrorKind::Unauthorized,
                "device code",
            ),
            (
                "invalid_client",
                7000215,
                "SignInFailed",
                ErrorKind::Unauthorized,
                "certificate",
            ),
            (
                "unauthorized_client",
                700016,
                "AppNotFound",
                ErrorKind::InvalidArgument,
                "-ClientId",
            ),
            (
                "invalid_client",
                700027,
                "CertificateRejected",
                ErrorKind::Unauthorized,
                "Certificates & secrets",
            ),
            (
                "invalid_resource",
                500011,
                "ResourceNotFound",
                ErrorKind::InvalidArgument,
                "-Url",
            ),
            (
                "expired_token",
                70020,
                "DeviceCodeExpired",
                ErrorKind::Unauthorized,
                "again",
            ),
            (
                "invalid_grant",
                700082,
                "SignInExpired",
                ErrorKind::Unauthorized,
                "Connect-SPOService",
            ),
        ];
        for (error, code, id, kind, hint) in cases {
            let mapped = sign_in_error(&failure(error, code, "Something happened."), 400);
            assert_eq!(mapped.id(), id, "{code}");
            assert_eq!(mapped.kind(), kind, "{code}");
            assert!(
                mapped.message().contains(hint),
                "{code}: {}",
                mapped.message()
            );
            assert!(
                mapped.message().contains(&format!("AADSTS{code}")),
                "{}",
                mapped.message()
            );
            assert!(
                mapped
                    .message()
                    .contains("c0ffee00-0000-4000-8000-000000000001")
            );
            assert_eq!(
                mapped.correlation_id(),
                Some("c0ffee00-0000-4000-8000-000000000001")
            );
            assert_eq!(mapped.http_status(), Some(400));
        }
    }

    #[test]
    fn oauth_error_names_map_without_codes() {
        let declined = PlatformError {
            error: "authorization_declined".into(),
            ..Default::default()
        };
        let error = sign_in_error(&declined, 400);
        assert_eq!(error.id(), "SignInDeclined");
        assert!(
            error
                .message()
                .ends_with("Entra ID said: authorization_declined")
        );
        let expired = PlatformError {
            error: "expired_token".into(),
            ..Default::default()
        };
        assert_eq!(sign_in_error(&expired, 400).id(), "DeviceCodeExpired");
        let unknown = sign_in_error(&failure("server_error", 12345, "Oops."), 500);
        assert_eq!(unknown.id(), "SignInFailed");
        assert!(unknown.message().contains("AADSTS12345: Oops."));
    }
}
