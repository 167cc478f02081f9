//! A managed identity endpoint in the App Service style:
//! `GET /_emulator/managed-identity?resource=<admin URL>&api-version=2019-08-01[&client_id=...]`
//! with the secret in `X-IDENTITY-HEADER` (the 2017-09-01 protocol: header `secret`,
//! parameter `clientid`). The identity lives in one tenant and is an admin there.

use std::collections::HashMap;
use std::time::SystemTime;

use serde_json::{Value, json};

use super::Identity;
use super::platform_error::shown;
use crate::identity::tokens::{Bearer, TokenAuthority, unix_seconds};

pub const PATH: &str = "/_emulator/managed-identity";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedIdentity {
    /// The value `X-IDENTITY-HEADER` must carry.
    pub secret: String,
    /// The identity's client id (the `appid` of its tokens).
    pub client_id: String,
    /// The tenant's name.
    pub tenant: String,
}

/// A managed identity request as received.
pub struct Request<'a> {
    pub query: &'a HashMap<String, String>,
    /// `X-IDENTITY-HEADER`.
    pub identity_header: Option<&'a str>,
    /// `secret` (2017-09-01).
    pub secret_header: Option<&'a str>,
}

/// A refusal: HTTP status and message (answered as `{"statusCode", "message"}`, the
/// hosting platform's own shape, not an OAuth error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

fn refusal(status: u16, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        message: message.into(),
    }
}

impl Identity {
    pub fn managed_identity_token(
        &self,
        tokens: &TokenAuthority,
        request: &Request<'_>,
        now: SystemTime,
    ) -> Result<Value, Refusal> {
        let query = |name: &str| {
            request
                .query
                .get(name)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        let (secret, client_id_parameter) = match query("api-version") {
            Some("2019-08-01") => (request.identity_header, "client_id"),
            Some("2017-09-01") => (request.secret_header, "clientid"),
            Some(other) => {
                return Err(refusal(
                    400,
                    format!(
                        "api-version '{}' is not supported; use 2019-08-01 (or 2017-09-01).",
                        shown(other)
                    ),
                ));
            }
            None => return Err(refusal(400, "The api-version parameter is required.")),
        };
        let identity = &self.managed_identity;
        match secret.map(str::trim) {
            Some(given) if given == identity.secret => {}
            Some(_) => return Err(refusal(401, "The identity header is not valid.")),
            None => return Err(refusal(401, "The identity header is missing.")),
        }
        if let Some(client_id) = query(client_id_parameter)
            && !client_id.eq_ignore_ascii_case(&identity.client_id)
        {
            return Err(refusal(
                400,
                format!(
                    "No user-assigned managed identity has the client id '{}'; this one's is {}.",
                    shown(client_id),
                    identity.client_id
                ),
            ));
        }
        let resource =
            query("resource").ok_or_else(|| refusal(400, "The resource parameter is required."))?;
        let tenant = self
            .realm
            .tenant(&identity.tenant)
            .ok_or_else(|| refusal(500, "The managed identity's tenant is gone."))?;
        let site = self
            .realm
            .resource(resource)
            .ok_or_else(|| {
                super::platform_error::PlatformError::resource_not_found(resource, &tenant.domain)
            })
            .and_then(|found| self.realm.audience_for(&found, resource, tenant))
            .map_err(|error| refusal(400, format!("AADSTS{}: {}", error.code, error.text)))?;
        let bearer = Bearer::App {
            client_id: identity.client_id.clone(),
        };
        let access_token = tokens.issue_for(
            &bearer,
            &site,
            &tenant.id.to_string(),
            true,
            now,
            self.token_lifetime,
        );
        let expires_on = unix_seconds(now).saturating_add(self.token_lifetime.as_secs());
        Ok(json!({
            "access_token": access_token,
            "expires_on": expires_on.to_string(),
            "resource": resource,
            "token_type": "Bearer",
            "client_id": identity.client_id,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tenancy::tests::BASE;
    use super::super::tests::{MI_CLIENT, identity};
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const FABRIKAM_ADMIN: &str = "http://127.0.0.1:4000/fabrikam-admin";

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_900_000_000)
    }

    #[test]
    fn gives_a_token_for_its_tenants_admin_site() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        for resource in [BASE, FABRIKAM_ADMIN, "http://127.0.0.1:4000/"] {
            let query = query(&[("resource", resource), ("api-version", "2019-08-01")]);
            let answer = identity
                .managed_identity_token(
                    &tokens,
                    &Request {
                        query: &query,
                        identity_header: Some("mi-secret"),
                        secret_header: None,
                    },
                    now(),
                )
                .unwrap();
            assert_eq!(answer["expires_on"], "1900003600");
            assert_eq!(answer["resource"], resource);
            assert_eq!(answer["token_type"], "Bearer");
            let claims = tokens
                .check(
                    answer["access_token"].as_str().unwrap(),
                    FABRIKAM_ADMIN,
                    now(),
                )
                .unwrap();
            assert_eq!(claims.appid.as_deref(), Some(MI_CLIENT));
            assert!(claims.admin);
        }
        // The 2017 protocol, with its own header and client id parameter.
        let query = query(&[
            ("resource", BASE),
            ("api-version", "2017-09-01"),
            ("clientid", MI_CLIENT),
        ]);
        assert!(
            identity
                .managed_identity_token(
                    &tokens,
                    &Request {
                        query: &query,
                        identity_header: None,
                        secret_header: Some("mi-secret"),
                    },
                    now(),
                )
                .is_ok()
        );
    }

    #[test]
    fn refusals() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        let status = |pairs: &[(&str, &str)], header: Option<&str>| {
            let query = query(pairs);
            identity
                .managed_identity_token(
                    &tokens,
                    &Request {
                        query: &query,
                        identity_header: header,
                        secret_header: None,
                    },
                    now(),
                )
                .unwrap_err()
                .status
        };
        let good = [("resource", BASE), ("api-version", "2019-08-01")];
        assert_eq!(status(&good, None), 401);
        assert_eq!(status(&good, Some("wrong")), 401);
        assert_eq!(status(&[("resource", BASE)], Some("mi-secret")), 400);
        assert_eq!(
            status(
                &[("resource", BASE), ("api-version", "2099-01-01")],
                Some("mi-secret")
            ),
            400
        );
        assert_eq!(
            status(&[("api-version", "2019-08-01")], Some("mi-secret")),
            400
        );
        for resource in [
            "http://127.0.0.1:4000/contoso-admin",
            "https://contoso-admin.sharepoint.com",
            "http://127.0.0.1:4000/fabrikam-my",
        ] {
            let query = query(&[("resource", resource), ("api-version", "2019-08-01")]);
            let refused = identity
                .managed_identity_token(
                    &tokens,
                    &Request {
                        query: &query,
                        identity_header: Some("mi-secret"),
                        secret_header: None,
                    },
                    now(),
                )
                .unwrap_err();
            assert_eq!(refused.status, 400, "{resource}");
            assert!(
                refused.message.contains("AADSTS500011"),
                "{}",
                refused.message
            );
        }
        assert_eq!(
            status(
                &[
                    ("resource", BASE),
                    ("api-version", "2019-08-01"),
                    ("client_id", "44444444-2222-3333-4444-555555555555")
                ],
                Some("mi-secret")
            ),
            400
        );
    }
}
