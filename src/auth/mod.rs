//! Sign-in: getting an access token for the tenant admin site from the Microsoft identity
//! platform (v2 endpoints), and keeping it fresh.
//!
//! [`sign_in`] takes a [`Credential`] and [`SignInOptions`] and returns a [`TokenSource`],
//! which hands out bearer tokens for `<admin site>/.default` and renews them before they
//! expire. It is an async function meant to run inside an [`crate::transport::Operation`],
//! so a device code sign-in that waits for the admin can be cancelled with Ctrl+C.
//!
//! One concept per file: the clouds in `region`, `options`, `credential`, the token
//! endpoint grants in `token_endpoint`, the device code flow in `device_code`, certificates
//! and client assertions in `certificate` and `assertion`, managed identity in
//! `managed_identity`, identity platform errors in `platform_error`, and the renewing
//! [`TokenSource`] in `token_source`.
//!
//! Secrets (passwords, tokens, keys, assertions) are kept in buffers that are wiped on
//! drop and never appear in messages or Debug output.

mod assertion;
mod certificate;
mod credential;
mod device_code;
mod http;
mod jwt;
mod managed_identity;
mod options;
mod platform_error;
mod region;
mod token_endpoint;
mod token_source;

pub use credential::{
    CLIENT_SECRET_REFUSED, CertificateKey, Credential, SignInMethod, client_secret_refused,
};
pub use device_code::DEVICE_CODE_PROMPT_PREFIX;
pub use options::{DEFAULT_CLIENT_ID, ORGANIZATIONS, SignInOptions};
pub use region::Region;
pub use token_source::{SignInInfo, TokenSource};

use crate::error::Error;
use crate::transport::Progress;
use certificate::SigningCertificate;
use credential::{checked_access_token, checked_client_id, checked_username};
use http::AuthHttp;
use managed_identity::Endpoint;
use options::{Authority, checked_tenant, resource_of};
use token_endpoint::{password_form, request_token};
use token_source::{Clock, Renewer, system_clock};

/// Signs in with `credential` and returns the token source for `options.admin_url`.
/// Messages for the admin go to `progress`; the device code instruction starts with
/// [`DEVICE_CODE_PROMPT_PREFIX`]. Managed identity reads the process environment.
pub async fn sign_in(
    credential: Credential,
    options: &SignInOptions,
    progress: &Progress,
) -> Result<TokenSource, Error> {
    sign_in_with_environment(
        credential,
        options,
        progress,
        &managed_identity::environment,
    )
    .await
}

/// [`sign_in`], with the environment variables that locate a managed identity read through
/// `environment` instead of the process environment. .NET on Linux and macOS keeps its own
/// copy of the environment, so a variable set with `$env:` in PowerShell is not seen by
/// native code; the module can pass PowerShell's view here.
pub async fn sign_in_with_environment(
    credential: Credential,
    options: &SignInOptions,
    progress: &Progress,
    environment: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<TokenSource, Error> {
    sign_in_at(credential, options, progress, environment, system_clock()).await
}

async fn sign_in_at(
    credential: Credential,
    options: &SignInOptions,
    progress: &Progress,
    environment: &(dyn Fn(&str) -> Option<String> + Sync),
    clock: Clock,
) -> Result<TokenSource, Error> {
    let method = credential.method();
    let resource = resource_of(&options.admin_url)?;
    // `.default`: every permission the app was granted on SharePoint.
    let scope = format!("{resource}/.default");
    // User sign-in asks for offline_access too, so a refresh token comes back.
    let user_scope = format!("{scope} offline_access");
    let timeout = options.effective_timeout();
    match credential {
        Credential::AccessToken(token) => TokenSource::pasted(checked_access_token(&token)?, clock),

        Credential::DeviceCode { client_id } => {
            let client_id = checked_client_id(&client_id)?;
            let tenant = user_tenant(options)?;
            let authority = Authority::for_options(options)?;
            let http = AuthHttp::new(timeout, authority.is_local())?;
            progress.say(format!(
                "Requesting a device code from {} (tenant {tenant}) for {resource}.",
                authority.host()
            ));
            let first = device_code::sign_in(device_code::DeviceCodeRequest {
                http: &http,
                authority: &authority,
                tenant: &tenant,
                client_id: &client_id,
                scope: &user_scope,
                progress,
                clock: &clock,
            })
            .await?;
            let renewer = Renewer::RefreshToken {
                http,
                token_url: authority.token_url(&tenant)?,
                client_id,
                scope: user_scope,
            };
            Ok(TokenSource::new(method, renewer, first, clock, None))
        }

        Credential::Password {
            client_id,
            username,
            password,
        } => {
            let client_id = checked_client_id(&client_id)?;
            let username = checked_username(&username)?;
            let tenant = user_tenant(options)?;
            let authority = Authority::for_options(options)?;
            let http = AuthHttp::new(timeout, authority.is_local())?;
            let token_url = authority.token_url(&tenant)?;
            progress.say(format!(
                "Signing in as {username} at {} (tenant {tenant}) for {resource}.",
                authority.host()
            ));
            let form = password_form(&client_id, &user_scope, &username, &password);
            drop(password);
            let first = request_token(&http, &token_url, form, &clock)
                .await
                .map_err(|f| f.into_error())?;
            let renewer = Renewer::RefreshToken {
                http,
                token_url,
                client_id,
                scope: user_scope,
            };
            Ok(TokenSource::new(method, renewer, first, clock, None))
        }

        Credential::Certificate {
            client_id,
            tenant_id,
            key,
        } => {
            let client_id = checked_client_id(&client_id)?;
            let tenant = app_tenant(&tenant_id, options)?;
            let certificate = SigningCertificate::load(&key, clock())?;
            drop(key);
            let thumbprint = certificate.thumbprint();
            let authority = Authority::for_options(options)?;
            let http = AuthHttp::new(timeout, authority.is_local())?;
            progress.say(format!(
                "Signing in as app {client_id} with certificate {thumbprint} at {} (tenant {tenant}) for {resource}.",
                authority.host()
            ));
            let renewer = Renewer::Certificate {
                http,
                token_url: authority.token_url(&tenant)?,
                client_id,
                scope,
                certificate,
            };
            let first = renewer.renew(None, &clock).await?;
            Ok(TokenSource::new(
                method,
                renewer,
                first,
                clock,
                Some(thumbprint),
            ))
        }

        Credential::ManagedIdentity { client_id } => {
            let client_id = client_id
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(checked_client_id)
                .transpose()?;
            let endpoint = Endpoint::discover(environment)?;
            let http = AuthHttp::new(timeout, endpoint.is_local())?;
            progress.say(format!(
                "Asking the managed identity endpoint for a token for {resource}."
            ));
            let renewer = Renewer::ManagedIdentity {
                http,
                endpoint,
                resource,
                client_id,
            };
            let first = renewer.renew(None, &clock).await?;
            Ok(TokenSource::new(method, renewer, first, clock, None))
        }
    }
}

/// The tenant for user sign-in: the one named, else any organization.
fn user_tenant(options: &SignInOptions) -> Result<String, Error> {
    match options.tenant.as_deref().map(str::trim) {
        Some(tenant) if !tenant.is_empty() => checked_tenant(tenant, "TenantId"),
        _ => Ok(ORGANIZATIONS.to_owned()),
    }
}

/// The tenant for app-only sign-in, which must be a real tenant: an app has no home tenant
/// to fall back to.
fn app_tenant(tenant_id: &str, options: &SignInOptions) -> Result<String, Error> {
    if tenant_id.trim().is_empty() {
        return Err(Error::invalid_argument(
            "TenantIdRequired",
            "TenantId",
            "App-only sign-in with a certificate needs -TenantId: the tenant id (a GUID) or a domain such as contoso.onmicrosoft.com.",
        ));
    }
    let tenant = checked_tenant(tenant_id, "TenantId")?;
    if matches!(tenant.as_str(), "organizations" | "common" | "consumers") {
        return Err(Error::invalid_argument(
            "TenantIdRequired",
            "TenantId",
            format!(
                "App-only sign-in needs a specific tenant, not '{tenant}'. Use the tenant id (a GUID) or a domain such as contoso.onmicrosoft.com."
            ),
        ));
    }
    if let Some(other) = options.tenant.as_deref().filter(|t| !t.trim().is_empty())
        && checked_tenant(other, "TenantId")? != tenant
    {
        return Err(Error::invalid_argument(
            "TenantConflict",
            "TenantId",
            format!(
                "Two different tenants were given: '{tenant}' and '{}'.",
                other.trim()
            ),
        ));
    }
    Ok(tenant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn options() -> SignInOptions {
        SignInOptions::new(Url::parse("https://contoso-admin.sharepoint.com").unwrap())
    }

    #[test]
    fn user_sign_in_defaults_to_any_organization() {
        assert_eq!(user_tenant(&options()).unwrap(), "organizations");
        let mut named = options();
        named.tenant = Some("Contoso.com".into());
        assert_eq!(user_tenant(&named).unwrap(), "contoso.com");
    }

    #[test]
    fn app_only_sign_in_needs_one_real_tenant() {
        assert_eq!(
            app_tenant("", &options()).unwrap_err().id(),
            "TenantIdRequired"
        );
        assert_eq!(
            app_tenant("common", &options()).unwrap_err().id(),
            "TenantIdRequired"
        );
        let mut other = options();
        other.tenant = Some("fabrikam.com".into());
        assert_eq!(
            app_tenant("contoso.com", &other).unwrap_err().id(),
            "TenantConflict"
        );
        other.tenant = Some("CONTOSO.com".into());
        assert_eq!(app_tenant("contoso.com", &other).unwrap(), "contoso.com");
    }

    #[test]
    fn input_is_checked_before_anything_is_sent() {
        let runtime = crate::transport::runtime::shared().unwrap();
        let progress = Progress::default();
        let mut bad_authority = options();
        bad_authority.authority_override = Some(Url::parse("http://login.example").unwrap());
        let cases = [
            (
                Credential::DeviceCode {
                    client_id: "not-a-guid".into(),
                },
                options(),
                "ClientIdInvalid",
            ),
            (
                Credential::DeviceCode {
                    client_id: DEFAULT_CLIENT_ID.into(),
                },
                bad_authority,
                "AuthorityUrlInvalid",
            ),
            (
                Credential::AccessToken(zeroize::Zeroizing::new(" ".into())),
                options(),
                "AccessTokenInvalid",
            ),
            (
                Credential::ManagedIdentity { client_id: None },
                options(),
                "ManagedIdentityUnavailable",
            ),
        ];
        for (credential, options, id) in cases {
            let error = runtime
                .block_on(sign_in_with_environment(
                    credential,
                    &options,
                    &progress,
                    &|_| None,
                ))
                .unwrap_err();
            assert_eq!(error.id(), id);
        }
        assert_eq!(progress.next(), None);
    }
}
