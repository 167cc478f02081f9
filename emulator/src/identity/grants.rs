//! The `devicecode` and `token` endpoints: what each grant checks, in order, and the
//! answer it gives. Pure apart from the identity state; time comes in as an argument.

use std::collections::HashMap;
use std::time::SystemTime;

use serde_json::{Value, json};
use uuid::Uuid;

use super::assertion::{self, Expected};
use super::device_codes::{CodeRequest, Poll};
use super::platform_error::{PlatformError, shown};
use super::refresh_tokens::RefreshGrant;
use super::tenancy::{Audience, Scope, TenantInfo};
use super::users::Account;
use super::{Identity, IdentityState};
use crate::identity::tokens::{Bearer, TokenAuthority, unix_seconds};

pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Where the device code page is, below the base URL.
pub const DEVICE_LOGIN_PATH: &str = "/devicelogin";

/// A form-urlencoded body; the first of repeated names counts.
#[derive(Clone, Debug, Default)]
pub struct Form(HashMap<String, String>);

impl Form {
    pub fn parse(body: &[u8]) -> Self {
        let mut fields = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(body) {
            fields
                .entry(name.into_owned())
                .or_insert_with(|| value.into_owned());
        }
        Form(fields)
    }

    /// The trimmed value, if present and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    fn required(&self, name: &str) -> Result<&str, PlatformError> {
        self.get(name)
            .ok_or_else(|| PlatformError::missing_parameter(name))
    }
}

/// The grant types we know, for the log (never the caller's raw text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantType {
    Password,
    RefreshToken,
    DeviceCode,
    ClientCredentials,
    Missing,
    Unsupported,
}

impl GrantType {
    pub fn of(form: &Form) -> Self {
        match form.get("grant_type") {
            Some("password") => GrantType::Password,
            Some("refresh_token") => GrantType::RefreshToken,
            Some(DEVICE_CODE_GRANT) => GrantType::DeviceCode,
            Some("client_credentials") => GrantType::ClientCredentials,
            Some(_) => GrantType::Unsupported,
            None => GrantType::Missing,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GrantType::Password => "password",
            GrantType::RefreshToken => "refresh_token",
            GrantType::DeviceCode => "device_code",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::Missing => "none",
            GrantType::Unsupported => "unsupported",
        }
    }
}

/// A successful answer and the tenant it was for.
#[derive(Clone, Debug)]
pub struct Granted {
    pub body: Value,
    pub tenant: String,
}

impl Identity {
    /// `POST /{tenant}/oauth2/v2.0/devicecode`.
    pub fn device_code(
        &self,
        segment: &str,
        form: &Form,
        now: SystemTime,
    ) -> Result<Granted, PlatformError> {
        let audience = self.realm.audience(segment)?;
        let client_id = public_client_id(form)?;
        let scope_text = form.required("scope")?;
        let (tenant, label) = match audience {
            Audience::Tenant(tenant) => (Some(tenant.name.clone()), tenant.name.clone()),
            Audience::AnyOrganization => (None, segment.trim().to_ascii_lowercase()),
        };
        let scope = self.realm.scope(scope_text, &label)?;
        if let Audience::Tenant(tenant) = audience {
            // Another tenant's admin site is refused now; with `organizations` only once
            // the user is known.
            self.realm
                .audience_for(&scope.resource, &scope.resource_text, tenant)?;
        }
        let request = CodeRequest {
            tenant,
            client_id: client_id.to_string(),
            scope,
        };
        let approver = self
            .auto_approve_device_codes
            .then(|| self.default_approver(&request).map(|a| a.upn.clone()))
            .flatten();
        let mut state = self.state();
        let issued = state.device_codes.issue(request, self.device_codes, now);
        if let Some(upn) = approver {
            let _ = state.device_codes.approve(&issued.user_code, &upn, now);
        }
        drop(state);
        let verification_uri = format!("{}{DEVICE_LOGIN_PATH}", self.realm.base_url());
        Ok(Granted {
            body: json!({
                "user_code": issued.user_code,
                "device_code": issued.device_code,
                "verification_uri": verification_uri,
                "expires_in": self.device_codes.lifetime.as_secs(),
                "interval": self.device_codes.interval.as_secs(),
                "message": format!(
                    "To sign in, use a web browser to open the page {verification_uri} and enter the code {} to authenticate.",
                    issued.user_code
                ),
            }),
            tenant: label,
        })
    }

    /// `POST /{tenant}/oauth2/v2.0/token`.
    pub fn token(
        &self,
        tokens: &TokenAuthority,
        segment: &str,
        form: &Form,
        now: SystemTime,
    ) -> Result<Granted, PlatformError> {
        let audience = self.realm.audience(segment)?;
        match GrantType::of(form) {
            GrantType::Password => self.password(tokens, audience, form, now),
            GrantType::RefreshToken => self.refresh(tokens, audience, form, now),
            GrantType::DeviceCode => self.redeem_device_code(tokens, form, now),
            GrantType::ClientCredentials => self.client_credentials(tokens, audience, form, now),
            GrantType::Missing => Err(PlatformError::missing_parameter("grant_type")),
            GrantType::Unsupported => Err(PlatformError::unsupported_grant_type()),
        }
    }

    fn password(
        &self,
        tokens: &TokenAuthority,
        audience: Audience<'_>,
        form: &Form,
        now: SystemTime,
    ) -> Result<Granted, PlatformError> {
        let client_id = public_client_id(form)?;
        let scope_text = form.required("scope")?;
        let username = form.required("username")?;
        let password = form
            .0
            .get("password")
            .filter(|p| !p.is_empty())
            .ok_or_else(|| PlatformError::missing_parameter("password"))?;
        let label = match audience {
            Audience::Tenant(tenant) => tenant.domain.clone(),
            Audience::AnyOrganization => "organizations".to_string(),
        };
        let scope = self.realm.scope(scope_text, &label)?;
        let account = self
            .accounts
            .find(username)
            .filter(|account| match audience {
                Audience::Tenant(tenant) => account.tenant == tenant.name,
                Audience::AnyOrganization => true,
            })
            .ok_or_else(|| {
                PlatformError::new(
                    "invalid_grant",
                    50034,
                    format!(
                        "The user account {} does not exist in the {label} directory. To sign into this application, the account must be added to the directory.",
                        shown(username)
                    ),
                )
            })?;
        if *password != account.password {
            return Err(PlatformError::new(
                "invalid_grant",
                50126,
                "Error validating credentials due to invalid username or password.",
            ));
        }
        if self.state().mfa_users.contains(&account.upn) {
            let mut error = PlatformError::new(
                "invalid_grant",
                50076,
                format!(
                    "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{}'.",
                    scope.resource_text
                ),
            );
            error.suberror = Some("basic_action");
            return Err(error);
        }
        self.issue_user(tokens, account, client_id, &scope, None, now)
    }

    fn refresh(
        &self,
        tokens: &TokenAuthority,
        audience: Audience<'_>,
        form: &Form,
        now: SystemTime,
    ) -> Result<Granted, PlatformError> {
        let client_id = public_client_id(form)?;
        let refresh_token = form.required("refresh_token")?;
        let scope_text = form.required("scope")?;
        let grant = self
            .state()
            .refresh_tokens
            .find(refresh_token, now)
            .cloned()
            .ok_or_else(|| {
                PlatformError::new(
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
                )
            })?;
        if !grant.client_id.eq_ignore_ascii_case(client_id) {
            return Err(PlatformError::new(
                "invalid_grant",
                70000,
                "The provided value for the input parameter 'refresh_token' is not valid: it was issued to another client id.",
            ));
        }
        let tenant = self.user_tenant(&grant.tenant)?;
        if let Audience::Tenant(named) = audience
            && named.name != tenant.name
        {
            return Err(not_in_tenant(&grant.upn, named));
        }
        let scope = self.realm.scope(scope_text, &tenant.domain)?;
        let account = self
            .accounts
            .find(&grant.upn)
            .ok_or_else(|| PlatformError::new("invalid_grant", 70008, "The user is gone."))?;
        self.issue_user(tokens, account, client_id, &scope, None, now)
    }

    fn redeem_device_code(
        &self,
        tokens: &TokenAuthority,
        form: &Form,
        now: SystemTime,
    ) -> Result<Granted, PlatformError> {
        let client_id = form.required("client_id")?;
        let device_code = form.required("device_code")?;
        let poll = self.state().device_codes.poll(device_code, client_id, now);
        let not_valid = |why: &str| {
            PlatformError::new(
                "invalid_grant",
                70000,
                format!(
                    "The provided value for the input parameter 'device_code' is not valid{why}."
                ),
            )
        };
        match poll {
            Poll::Approved { upn, request } => {
                let account = self
                    .accounts
                    .find(&upn)
                    .ok_or_else(|| not_valid(": the approving user is gone"))?;
                let path_tenant = request
                    .tenant
                    .as_deref()
                    .and_then(|name| self.realm.tenant(name));
                self.issue_user(
                    tokens,
                    account,
                    &request.client_id,
                    &request.scope,
                    path_tenant,
                    now,
                )
            }
            Poll::Pending => Err(PlatformError::new(
                "authorization_pending",
                70016,
                "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
            )),
            Poll::SlowDown => Err(PlatformError::new(
                "slow_down",
                70016,
                "OAuth 2.0 device flow error. Polling too fast: wait the interval between polls, now 5 seconds longer.",
            )),
            Poll::Expired => Err(PlatformError::new(
                "expired_token",
                70020,
                "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
            )),
            Poll::Declined => Err(PlatformError::new(
                "authorization_declined",
                70000,
                "The end user denied the authorization request.",
            )),
            Poll::AlreadyRedeemed => Err(not_valid(": it was already redeemed")),
            Poll::WrongClient => Err(not_valid(": it was issued to another client id")),
            Poll::Unknown => Err(not_valid("")),
        }
    }

    fn client_credentials(
        &self,
        tokens: &TokenAuthority,
        audience: Audience<'_>,
        form: &Form,
        now: SystemTime,
    ) -> Result<Granted, PlatformError> {
        let Audience::Tenant(tenant) = audience else {
            return Err(PlatformError::no_tenant_for_app());
        };
        let client_id = form.required("client_id")?.to_ascii_lowercase();
        let app = self
            .apps
            .iter()
            .find(|app| app.client_id == client_id && app.is_in(&tenant.name))
            .ok_or_else(|| {
                PlatformError::new(
                    "unauthorized_client",
                    700016,
                    format!(
                        "Application with identifier '{}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant. (spo-emulator: register apps with --app CLIENTID=CERT.pem.)",
                        shown(&client_id),
                        tenant.domain
                    ),
                )
            })?;
        if form.get("client_secret").is_some() {
            return Err(PlatformError::new(
                "invalid_client",
                7000215,
                "Invalid client secret provided. SharePoint Online does not accept app-only tokens obtained with a client secret: sign in with a certificate (a client assertion), which spo-emulator checks against the certificate given with --app.",
            ));
        }
        let Some(assertion_text) = form.get("client_assertion") else {
            return Err(PlatformError::new(
                "invalid_client",
                7000216,
                "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
            ));
        };
        if form.get("client_assertion_type") != Some(ASSERTION_TYPE) {
            return Err(PlatformError::new(
                "invalid_request",
                50027,
                format!("'client_assertion_type' must be '{ASSERTION_TYPE}'."),
            ));
        }
        let scope = self.realm.scope(form.required("scope")?, &tenant.domain)?;
        let audience_ok = |aud: &str| self.realm.is_token_endpoint_of(aud, tenant);
        assertion::verify(
            assertion_text,
            &app.certificate,
            &Expected {
                client_id: &client_id,
                audience: &audience_ok,
                now: unix_seconds(now),
            },
        )
        .map_err(|error| error.into_platform(&client_id))?;
        scope.check_app_only()?;
        let site = self
            .realm
            .audience_for(&scope.resource, &scope.resource_text, tenant)?;
        let bearer = Bearer::App { client_id };
        let access_token = tokens.issue_for(
            &bearer,
            &site,
            &tenant.id.to_string(),
            true,
            now,
            self.token_lifetime,
        );
        Ok(Granted {
            body: self.token_body(&scope, access_token, None),
            tenant: tenant.name.clone(),
        })
    }

    /// Tokens for `account`; `path_tenant` is the tenant a device code was requested at,
    /// which the account must belong to.
    fn issue_user(
        &self,
        tokens: &TokenAuthority,
        account: &Account,
        client_id: &str,
        scope: &Scope,
        path_tenant: Option<&TenantInfo>,
        now: SystemTime,
    ) -> Result<Granted, PlatformError> {
        if let Some(named) = path_tenant
            && named.name != account.tenant
        {
            return Err(not_in_tenant(&account.upn, named));
        }
        let tenant = self.user_tenant(&account.tenant)?;
        let site = self
            .realm
            .audience_for(&scope.resource, &scope.resource_text, tenant)?;
        let client_id = client_id.to_ascii_lowercase();
        let bearer = Bearer::User {
            upn: account.upn.clone(),
            client_id: client_id.clone(),
        };
        let access_token = tokens.issue_for(
            &bearer,
            &site,
            &tenant.id.to_string(),
            account.admin,
            now,
            self.token_lifetime,
        );
        // Refresh tokens only with offline_access, as the v2 endpoints do; the refresh
        // grant always hands out a new one.
        let refresh_token = scope.offline_access.then(|| {
            let grant = RefreshGrant {
                upn: account.upn.clone(),
                tenant: tenant.name.clone(),
                client_id,
            };
            let mut state: std::sync::MutexGuard<'_, IdentityState> = self.state();
            state.refresh_tokens.issue(grant, now)
        });
        Ok(Granted {
            body: self.token_body(scope, access_token, refresh_token),
            tenant: tenant.name.clone(),
        })
    }

    fn user_tenant(&self, name: &str) -> Result<&TenantInfo, PlatformError> {
        self.realm
            .tenant(name)
            .ok_or_else(|| PlatformError::tenant_not_found(name))
    }

    fn token_body(&self, scope: &Scope, access_token: String, refresh: Option<String>) -> Value {
        let lifetime = self.token_lifetime.as_secs();
        let mut body = json!({
            "token_type": "Bearer",
            "scope": scope.granted(),
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        });
        if let Some(refresh) = refresh {
            body["refresh_token"] = json!(refresh);
        }
        body
    }
}

/// The client id of a user sign-in: any GUID (the public clients are multi-tenant).
fn public_client_id(form: &Form) -> Result<&str, PlatformError> {
    let client_id = form.required("client_id")?;
    if Uuid::parse_str(client_id).is_err() {
        return Err(PlatformError::invalid_client_id(client_id));
    }
    Ok(client_id)
}

fn not_in_tenant(upn: &str, tenant: &TenantInfo) -> PlatformError {
    PlatformError::new(
        "invalid_grant",
        50020,
        format!(
            "User account '{upn}' from identity provider 'spo-emulator' does not exist in tenant '{}' and cannot access the application in that tenant. Sign in with an account of that tenant.",
            tenant.domain
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::assertion::tests::{KEY_PEM, OTHER_KEY_PEM, sign};
    use super::super::tenancy::tests::BASE;
    use super::super::tests::{APP, BOUND_APP, identity};
    use super::*;
    use crate::identity::tokens::Claims;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use std::time::{Duration, UNIX_EPOCH};

    const PUBLIC_CLIENT: &str = "9bc3ab49-b65d-410a-85ad-de819febfddc";
    const CONTOSO_ADMIN: &str = "http://127.0.0.1:4000/contoso-admin";
    const CONTOSO_ID: &str = "9c47d690-0000-4000-8000-000000000001";

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_900_000_000 + seconds)
    }

    fn form(pairs: &[(&str, &str)]) -> Form {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            serializer.append_pair(name, value);
        }
        Form::parse(serializer.finish().as_bytes())
    }

    fn scope(resource: &str, offline: bool) -> String {
        if offline {
            format!("{resource}/.default offline_access")
        } else {
            format!("{resource}/.default")
        }
    }

    fn password_form(user: &str, password: &str, scope: &str) -> Form {
        form(&[
            ("grant_type", "password"),
            ("client_id", PUBLIC_CLIENT),
            ("scope", scope),
            ("username", user),
            ("password", password),
        ])
    }

    /// The checked claims of the access token in `granted`.
    fn claims(
        tokens: &TokenAuthority,
        granted: &Granted,
        audience: &str,
        now: SystemTime,
    ) -> Claims {
        let token = granted.body["access_token"].as_str().unwrap();
        tokens.check(token, audience, now).unwrap()
    }

    fn code(result: Result<Granted, PlatformError>) -> (&'static str, u32) {
        let error = result.unwrap_err();
        (error.error, error.code)
    }

    #[test]
    fn password_sign_in_gives_a_user_token_and_a_refresh_token() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        for segment in [
            "organizations",
            "common",
            "contoso",
            "contoso.onmicrosoft.com",
            CONTOSO_ID,
        ] {
            for resource in [BASE, CONTOSO_ADMIN] {
                let granted = identity
                    .token(
                        &tokens,
                        segment,
                        &password_form(
                            "Admin@contoso.onmicrosoft.com",
                            "pw-contoso",
                            &scope(resource, true),
                        ),
                        at(0),
                    )
                    .unwrap();
                assert_eq!(granted.tenant, "contoso");
                let body = &granted.body;
                assert_eq!(body["token_type"], "Bearer");
                assert_eq!(body["expires_in"], 3600);
                assert_eq!(body["scope"], scope(resource, true));
                assert!(body["refresh_token"].as_str().unwrap().len() > 40);
                let claims = claims(&tokens, &granted, CONTOSO_ADMIN, at(1));
                assert_eq!(claims.tid, CONTOSO_ID);
                assert_eq!(claims.upn.as_deref(), Some("admin@contoso.onmicrosoft.com"));
                assert_eq!(claims.appid.as_deref(), Some(PUBLIC_CLIENT));
                assert!(claims.admin);
                assert_eq!(claims.iat, 1_900_000_000);
                assert_eq!(claims.exp, 1_900_003_600);
            }
        }
        // Without offline_access, no refresh token.
        let granted = identity
            .token(
                &tokens,
                "organizations",
                &password_form(
                    "admin@contoso.onmicrosoft.com",
                    "pw-contoso",
                    &scope(BASE, false),
                ),
                at(0),
            )
            .unwrap();
        assert!(granted.body.get("refresh_token").is_none());
    }

    #[test]
    fn password_refusals() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        let contoso = "admin@contoso.onmicrosoft.com";
        let try_with = |segment: &str, user: &str, password: &str, resource: &str| {
            identity.token(
                &tokens,
                segment,
                &password_form(user, password, &scope(resource, true)),
                at(0),
            )
        };
        assert_eq!(
            code(try_with("organizations", contoso, "wrong", BASE)),
            ("invalid_grant", 50126)
        );
        assert_eq!(
            code(try_with(
                "organizations",
                "nobody@contoso.onmicrosoft.com",
                "x",
                BASE
            )),
            ("invalid_grant", 50034)
        );
        // A user of another tenant, at a tenant's own endpoint.
        assert_eq!(
            code(try_with("fabrikam", contoso, "pw-contoso", BASE)),
            ("invalid_grant", 50034)
        );
        // Another tenant's admin site.
        assert_eq!(
            code(try_with(
                "organizations",
                contoso,
                "pw-contoso",
                "http://127.0.0.1:4000/fabrikam-admin"
            )),
            ("invalid_resource", 500011)
        );
        assert_eq!(
            code(try_with("northwind", contoso, "pw-contoso", BASE)),
            ("invalid_request", 90002)
        );
        assert_eq!(
            code(identity.token(
                &tokens,
                "organizations",
                &form(&[("grant_type", "password"), ("client_id", PUBLIC_CLIENT)]),
                at(0)
            )),
            ("invalid_request", 900144)
        );
        let mut not_a_guid = password_form(contoso, "pw-contoso", &scope(BASE, true));
        not_a_guid.0.insert("client_id".into(), "my-app".into());
        assert_eq!(
            code(identity.token(&tokens, "organizations", &not_a_guid, at(0))),
            ("unauthorized_client", 700016)
        );

        identity.set_mfa(contoso, true).unwrap();
        let error = try_with("organizations", contoso, "pw-contoso", BASE).unwrap_err();
        assert_eq!((error.error, error.code), ("invalid_grant", 50076));
        assert_eq!(error.suberror, Some("basic_action"));
        // A wrong password is still a wrong password.
        assert_eq!(
            code(try_with("organizations", contoso, "wrong", BASE)),
            ("invalid_grant", 50126)
        );
    }

    #[test]
    fn grant_types_are_checked() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        assert_eq!(
            code(identity.token(&tokens, "contoso", &form(&[]), at(0))),
            ("invalid_request", 900144)
        );
        assert_eq!(
            code(identity.token(
                &tokens,
                "contoso",
                &form(&[("grant_type", "authorization_code")]),
                at(0)
            )),
            ("unsupported_grant_type", 70003)
        );
    }

    #[test]
    fn refresh_tokens_rotate_and_unknown_ones_are_refused() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        let first = identity
            .token(
                &tokens,
                "organizations",
                &password_form(
                    "admin@fabrikam.onmicrosoft.com",
                    "pw-fabrikam",
                    &scope(BASE, true),
                ),
                at(0),
            )
            .unwrap();
        let refresh_token = first.body["refresh_token"].as_str().unwrap().to_string();
        let refresh = |token: &str, client: &str, segment: &str| {
            identity.token(
                &tokens,
                segment,
                &form(&[
                    ("grant_type", "refresh_token"),
                    ("client_id", client),
                    ("scope", &scope(BASE, true)),
                    ("refresh_token", token),
                ]),
                at(100),
            )
        };
        let second = refresh(&refresh_token, PUBLIC_CLIENT, "organizations").unwrap();
        let rotated = second.body["refresh_token"].as_str().unwrap();
        assert_ne!(rotated, refresh_token);
        let fabrikam_admin = "http://127.0.0.1:4000/fabrikam-admin";
        let claims = claims(&tokens, &second, fabrikam_admin, at(101));
        assert_eq!(claims.iat, 1_900_000_100);
        assert_eq!(
            claims.upn.as_deref(),
            Some("admin@fabrikam.onmicrosoft.com")
        );
        // Both the old and the new refresh token work.
        assert!(refresh(rotated, PUBLIC_CLIENT, "fabrikam").is_ok());
        assert!(refresh(&refresh_token, PUBLIC_CLIENT, "organizations").is_ok());

        assert_eq!(
            code(refresh("made-up", PUBLIC_CLIENT, "organizations")),
            ("invalid_grant", 70008)
        );
        assert_eq!(
            code(refresh(
                &refresh_token,
                "00000000-0000-0000-0000-000000000000",
                "organizations"
            )),
            ("invalid_grant", 70000)
        );
        assert_eq!(
            code(refresh(&refresh_token, PUBLIC_CLIENT, "contoso")),
            ("invalid_grant", 50020)
        );
    }

    fn device_code_request(identity: &Identity, segment: &str, resource: &str) -> Value {
        identity
            .device_code(
                segment,
                &form(&[
                    ("client_id", PUBLIC_CLIENT),
                    ("scope", &scope(resource, true)),
                ]),
                at(0),
            )
            .unwrap()
            .body
    }

    fn poll(
        identity: &Identity,
        tokens: &TokenAuthority,
        device_code: &str,
        seconds: u64,
    ) -> Result<Granted, PlatformError> {
        identity.token(
            tokens,
            "organizations",
            &form(&[
                ("grant_type", DEVICE_CODE_GRANT),
                ("client_id", PUBLIC_CLIENT),
                ("device_code", device_code),
            ]),
            at(seconds),
        )
    }

    #[test]
    fn device_code_answers_and_redemption() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        let answer = device_code_request(&identity, "organizations", BASE);
        let user_code = answer["user_code"].as_str().unwrap();
        let device_code = answer["device_code"].as_str().unwrap();
        assert_eq!(answer["verification_uri"], format!("{BASE}/devicelogin"));
        assert_eq!(answer["expires_in"], 900);
        assert_eq!(answer["interval"], 0);
        assert_eq!(
            answer["message"],
            format!(
                "To sign in, use a web browser to open the page {BASE}/devicelogin and enter the code {user_code} to authenticate."
            )
        );
        assert_eq!(
            code(poll(&identity, &tokens, device_code, 1)),
            ("authorization_pending", 70016)
        );
        // Nobody named: the first tenant's admin approves.
        assert_eq!(
            identity
                .approve_device_code(user_code, None, at(2))
                .unwrap(),
            "admin@contoso.onmicrosoft.com"
        );
        let granted = poll(&identity, &tokens, device_code, 3).unwrap();
        assert!(granted.body["refresh_token"].is_string());
        let claims = claims(&tokens, &granted, CONTOSO_ADMIN, at(4));
        assert_eq!(claims.upn.as_deref(), Some("admin@contoso.onmicrosoft.com"));
        assert_eq!(
            code(poll(&identity, &tokens, device_code, 4)),
            ("invalid_grant", 70000)
        );
        assert_eq!(
            code(poll(&identity, &tokens, "made-up", 4)),
            ("invalid_grant", 70000)
        );
    }

    #[test]
    fn device_codes_can_be_denied_expire_and_check_the_tenant() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        let answer = device_code_request(&identity, "fabrikam", BASE);
        let user_code = answer["user_code"].as_str().unwrap();
        identity.deny_device_code(user_code, at(1)).unwrap();
        assert_eq!(
            code(poll(
                &identity,
                &tokens,
                answer["device_code"].as_str().unwrap(),
                2
            )),
            ("authorization_declined", 70000)
        );

        let answer = device_code_request(&identity, "contoso", BASE);
        assert_eq!(
            code(poll(
                &identity,
                &tokens,
                answer["device_code"].as_str().unwrap(),
                900
            )),
            ("expired_token", 70020)
        );
        assert_eq!(
            identity
                .approve_device_code(answer["user_code"].as_str().unwrap(), None, at(900))
                .unwrap_err()
                .status,
            409
        );

        // At fabrikam's endpoint, the default approver is fabrikam's admin; a contoso
        // user may approve, but the code then gives AADSTS50020.
        let answer = device_code_request(&identity, "fabrikam", BASE);
        let user_code = answer["user_code"].as_str().unwrap();
        assert_eq!(
            identity
                .approve_device_code(user_code, Some("admin@contoso.onmicrosoft.com"), at(1))
                .unwrap(),
            "admin@contoso.onmicrosoft.com"
        );
        assert_eq!(
            code(poll(
                &identity,
                &tokens,
                answer["device_code"].as_str().unwrap(),
                2
            )),
            ("invalid_grant", 50020)
        );
        let answer = device_code_request(
            &identity,
            "organizations",
            "http://127.0.0.1:4000/fabrikam-admin",
        );
        let user_code = answer["user_code"].as_str().unwrap();
        assert_eq!(
            identity
                .approve_device_code(user_code, None, at(1))
                .unwrap(),
            "admin@fabrikam.onmicrosoft.com"
        );
        assert_eq!(
            identity
                .approve_device_code("NOSUCHCODE", None, at(1))
                .unwrap_err()
                .status,
            404
        );
        assert_eq!(
            identity
                .approve_device_code(user_code, Some("nobody@x"), at(1))
                .unwrap_err()
                .status,
            400
        );
    }

    #[test]
    fn device_code_requests_are_checked() {
        let identity = identity();
        let request = |segment: &str, pairs: &[(&str, &str)]| {
            identity.device_code(segment, &form(pairs), at(0))
        };
        assert_eq!(
            code(request("contoso", &[("scope", &scope(BASE, true))])),
            ("invalid_request", 900144)
        );
        assert_eq!(
            code(request("contoso", &[("client_id", PUBLIC_CLIENT)])),
            ("invalid_request", 900144)
        );
        assert_eq!(
            code(request(
                "contoso",
                &[
                    ("client_id", PUBLIC_CLIENT),
                    (
                        "scope",
                        &scope("http://127.0.0.1:4000/fabrikam-admin", true)
                    )
                ]
            )),
            ("invalid_resource", 500011)
        );
        assert_eq!(
            code(request(
                "contoso",
                &[("client_id", PUBLIC_CLIENT), ("scope", "User.Read")]
            )),
            ("invalid_scope", 70011)
        );
        assert_eq!(
            code(request(
                "consumers",
                &[("client_id", PUBLIC_CLIENT), ("scope", &scope(BASE, true))]
            )),
            ("invalid_request", 90002)
        );
    }

    #[test]
    fn auto_approved_codes_give_tokens_at_the_first_poll() {
        let mut identity = identity();
        identity.auto_approve_device_codes = true;
        let tokens = TokenAuthority::generate();
        let answer = device_code_request(&identity, "fabrikam", BASE);
        let granted = poll(
            &identity,
            &tokens,
            answer["device_code"].as_str().unwrap(),
            1,
        )
        .unwrap();
        assert_eq!(granted.tenant, "fabrikam");
    }

    fn assertion_for(client: &str, audience: &str, key: &str, now: u64) -> String {
        let certificate = super::super::apps::AppCertificate::from_pem(
            super::super::apps::tests::CERT_PEM.as_bytes(),
        )
        .unwrap();
        sign(
            &json!({"alg": "RS256", "typ": "JWT", "x5t": URL_SAFE_NO_PAD.encode(&certificate.sha1)}),
            &json!({"aud": audience, "iss": client, "sub": client, "jti": "j",
                    "nbf": now, "iat": now, "exp": now + 600}),
            key,
        )
    }

    fn app_form(client: &str, assertion: &str, scope: &str) -> Form {
        form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client),
            ("scope", scope),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion),
        ])
    }

    #[test]
    fn certificate_sign_in_gives_an_app_token() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        let now = 1_900_000_000;
        for segment in ["contoso", "contoso.onmicrosoft.com", CONTOSO_ID] {
            let audience = format!("{BASE}/{segment}/oauth2/v2.0/token");
            let assertion = assertion_for(APP, &audience, KEY_PEM, now);
            let granted = identity
                .token(
                    &tokens,
                    segment,
                    &app_form(APP, &assertion, &scope(BASE, false)),
                    at(0),
                )
                .unwrap();
            assert!(granted.body.get("refresh_token").is_none());
            assert_eq!(granted.body["expires_in"], 3600);
            let claims = claims(&tokens, &granted, CONTOSO_ADMIN, at(1));
            assert_eq!(claims.appid.as_deref(), Some(APP));
            assert_eq!(claims.upn, None);
            assert!(claims.admin);
            assert_eq!(claims.tid, CONTOSO_ID);
        }
    }

    #[test]
    fn certificate_sign_in_refusals() {
        let identity = identity();
        let tokens = TokenAuthority::generate();
        let now = 1_900_000_000;
        let contoso_url = format!("{BASE}/contoso/oauth2/v2.0/token");
        let good = assertion_for(APP, &contoso_url, KEY_PEM, now);
        let try_with = |segment: &str, form: Form| identity.token(&tokens, segment, &form, at(0));
        let dot_default = scope(BASE, false);

        assert_eq!(
            code(try_with(
                "contoso",
                app_form("44444444-2222-3333-4444-555555555555", &good, &dot_default)
            )),
            ("unauthorized_client", 700016)
        );
        // The bound app exists in contoso only.
        let bound = assertion_for(
            BOUND_APP,
            &format!("{BASE}/fabrikam/oauth2/v2.0/token"),
            KEY_PEM,
            now,
        );
        assert_eq!(
            code(try_with(
                "fabrikam",
                app_form(BOUND_APP, &bound, &dot_default)
            )),
            ("unauthorized_client", 700016)
        );
        let bound = assertion_for(BOUND_APP, &contoso_url, KEY_PEM, now);
        assert!(try_with("contoso", app_form(BOUND_APP, &bound, &dot_default)).is_ok());

        let other_key = assertion_for(APP, &contoso_url, OTHER_KEY_PEM, now);
        let refused = try_with("contoso", app_form(APP, &other_key, &dot_default)).unwrap_err();
        assert_eq!((refused.error, refused.code), ("invalid_client", 700027));
        assert_eq!(refused.status(), hyper::StatusCode::UNAUTHORIZED);

        let wrong_audience = assertion_for(
            APP,
            &format!("{BASE}/fabrikam/oauth2/v2.0/token"),
            KEY_PEM,
            now,
        );
        assert_eq!(
            code(try_with(
                "contoso",
                app_form(APP, &wrong_audience, &dot_default)
            )),
            ("invalid_client", 50012)
        );
        let expired = assertion_for(APP, &contoso_url, KEY_PEM, now - 1200);
        assert_eq!(
            code(try_with("contoso", app_form(APP, &expired, &dot_default))),
            ("invalid_client", 700024)
        );
        let mut secret = form(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("scope", &dot_default),
            ("client_secret", "s3cret"),
        ]);
        assert_eq!(
            code(try_with("contoso", secret.clone())),
            ("invalid_client", 7000215)
        );
        secret.0.remove("client_secret");
        assert_eq!(
            code(try_with("contoso", secret)),
            ("invalid_client", 7000216)
        );
        assert_eq!(
            code(try_with(
                "organizations",
                app_form(APP, &good, &dot_default)
            )),
            ("invalid_request", 50059)
        );
        assert_eq!(
            code(try_with(
                "contoso",
                app_form(APP, &good, &scope(BASE, true))
            )),
            ("invalid_scope", 1002012)
        );
        assert_eq!(
            code(try_with(
                "contoso",
                app_form(
                    APP,
                    &good,
                    &scope("http://127.0.0.1:4000/fabrikam-admin", false)
                )
            )),
            ("invalid_resource", 500011)
        );
        let mut wrong_type = app_form(APP, &good, &dot_default);
        wrong_type
            .0
            .insert("client_assertion_type".into(), "something".into());
        assert_eq!(
            code(try_with("contoso", wrong_type)),
            ("invalid_request", 50027)
        );
    }

    #[test]
    fn forms_keep_the_first_of_repeated_names() {
        let parsed = Form::parse(b"a=1&a=2&b=%20x%20&c=");
        assert_eq!(parsed.get("a"), Some("1"));
        assert_eq!(parsed.get("b"), Some("x"));
        assert_eq!(parsed.get("c"), None);
        assert_eq!(GrantType::of(&parsed), GrantType::Missing);
        assert_eq!(GrantType::Unsupported.label(), "unsupported");
    }
}
