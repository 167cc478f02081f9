//! What a sign-in needs besides the credential: the admin site the token is for, the cloud,
//! the tenant, and where exactly the identity platform lives.

use super::region::Region;
use crate::error::Error;
use crate::site_url::is_loopback;
use std::time::Duration;
use url::{Host, Url};

/// The public client id of the "Microsoft SharePoint Online Management Shell" application,
/// which Connect-SPOService uses for user sign-in. Microsoft does not document it, but it is
/// a multi-tenant public client that most tenants have already consented to for SharePoint,
/// so admins can sign in without registering an app first. Pass another client id to use
/// an app registration of your own.
pub const DEFAULT_CLIENT_ID: &str = "9bc3ab49-b65d-410a-85ad-de819febfddc";

/// The tenant placeholder for user sign-in when no tenant is named: any work or school
/// account, whose home tenant the identity platform then picks.
pub const ORGANIZATIONS: &str = "organizations";

/// Choices for one sign-in.
#[derive(Debug, Clone)]
pub struct SignInOptions {
    /// The tenant admin site, e.g. `https://contoso-admin.sharepoint.com`; the token's scope
    /// is its origin followed by `/.default`.
    pub admin_url: Url,
    /// Picks the login host when `authority_override` is not set.
    pub region: Region,
    /// Replaces the region's login host outright, e.g. a local emulator. Plain http is
    /// accepted only for loopback addresses. A path is kept as a prefix.
    pub authority_override: Option<Url>,
    /// The tenant id or domain for user sign-in; `organizations` when absent. Certificate
    /// sign-in takes its tenant from the credential instead.
    pub tenant: Option<String>,
    /// Per-request timeout; zero means [`crate::transport::http::DEFAULT_TIMEOUT`].
    pub timeout: Duration,
}

impl SignInOptions {
    /// Options for the commercial cloud and any tenant.
    pub fn new(admin_url: Url) -> Self {
        SignInOptions {
            admin_url,
            region: Region::Default,
            authority_override: None,
            tenant: None,
            timeout: Duration::ZERO,
        }
    }

    pub(crate) fn effective_timeout(&self) -> Duration {
        if self.timeout.is_zero() {
            crate::transport::http::DEFAULT_TIMEOUT
        } else {
            self.timeout
        }
    }
}

/// The admin site without a trailing slash, which is both the managed identity `resource`
/// and the start of the v2 scope. For SharePoint Online that is the origin; a path is kept
/// because the local emulator serves each tenant's admin site under one.
pub(crate) fn resource_of(admin_url: &Url) -> Result<String, Error> {
    let fail = |why: &str| {
        Error::invalid_argument(
            "AdminUrlInvalid",
            "Url",
            format!("{why} Use the tenant admin site, e.g. https://contoso-admin.sharepoint.com."),
        )
    };
    match admin_url.scheme() {
        "https" => {}
        "http" if is_loopback(admin_url) => {}
        _ => return Err(fail("The admin URL must start with https://.")),
    }
    if admin_url.host_str().is_none_or(str::is_empty) {
        return Err(fail("The admin URL has no host."));
    }
    let path = admin_url.path().trim_end_matches('/');
    Ok(format!(
        "{}{path}",
        admin_url.origin().ascii_serialization()
    ))
}

/// Checks a tenant id or domain before it becomes part of a URL path.
pub(crate) fn checked_tenant(tenant: &str, parameter: &'static str) -> Result<String, Error> {
    let tenant = tenant.trim();
    let valid = !tenant.is_empty()
        && tenant.len() <= 253
        && tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !tenant.starts_with(['.', '-'])
        && !tenant.contains("..");
    if valid {
        Ok(tenant.to_ascii_lowercase())
    } else {
        Err(Error::invalid_argument(
            "TenantInvalid",
            parameter,
            format!(
                "'{tenant}' is not a tenant. Use the tenant id (a GUID) or one of its domains, e.g. contoso.onmicrosoft.com."
            ),
        ))
    }
}

/// Where the identity platform lives for this sign-in: always ends with a slash, so the
/// tenant and endpoint path join below it.
#[derive(Debug, Clone)]
pub(crate) struct Authority {
    base: Url,
}

impl Authority {
    pub(crate) fn for_options(options: &SignInOptions) -> Result<Self, Error> {
        let Some(given) = &options.authority_override else {
            let base = Url::parse(options.region.login_host()).map_err(|_| {
                Error::new(
                    crate::error::ErrorKind::Internal,
                    "AuthorityInvalid",
                    "The built-in login host of the region is not a URL.",
                )
            })?;
            return Ok(Authority { base });
        };
        let fail = |why: &str| {
            Error::invalid_argument(
                "AuthorityUrlInvalid",
                "AuthenticationUrl",
                format!("{why} Use the login host only, e.g. https://login.microsoftonline.com."),
            )
        };
        match given.scheme() {
            "https" => {}
            "http" if is_loopback(given) => {}
            "http" => {
                return Err(fail(
                    "The sign-in URL must use https:// (plain http is allowed only for 127.0.0.1 or localhost).",
                ));
            }
            _ => return Err(fail("The sign-in URL must start with https://.")),
        }
        if given.host().is_none() {
            return Err(fail("The sign-in URL has no host."));
        }
        if !given.username().is_empty()
            || given.password().is_some()
            || given.query().is_some()
            || given.fragment().is_some()
        {
            return Err(fail(
                "The sign-in URL must not contain a user name, password, query or fragment.",
            ));
        }
        let mut base = given.clone();
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Ok(Authority { base })
    }

    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub(crate) fn token_url(&self, tenant: &str) -> Result<Url, Error> {
        self.endpoint(tenant, "token")
    }

    /// `{authority}/{tenant}/oauth2/v2.0/devicecode`.
    pub(crate) fn device_code_url(&self, tenant: &str) -> Result<Url, Error> {
        self.endpoint(tenant, "devicecode")
    }

    fn endpoint(&self, tenant: &str, name: &str) -> Result<Url, Error> {
        // `tenant` went through checked_tenant, so it cannot add path segments.
        self.base
            .join(&format!("{tenant}/oauth2/v2.0/{name}"))
            .map_err(|_| {
                Error::invalid_argument(
                    "TenantInvalid",
                    "TenantId",
                    format!("'{tenant}' cannot be used in a sign-in URL."),
                )
            })
    }

    /// True when requests should skip any proxy (a local emulator).
    pub(crate) fn is_local(&self) -> bool {
        is_loopback(&self.base)
    }

    /// The host (and port) for messages.
    pub(crate) fn host(&self) -> String {
        host_for_messages(&self.base)
    }
}

pub(crate) fn host_for_messages(url: &Url) -> String {
    match (url.host(), url.port()) {
        (Some(Host::Ipv6(ip)), Some(port)) => format!("[{ip}]:{port}"),
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> SignInOptions {
        SignInOptions::new(Url::parse("https://contoso-admin.sharepoint.com/").unwrap())
    }

    #[test]
    fn resource_is_the_admin_site_without_trailing_slash() {
        assert_eq!(
            resource_of(&options().admin_url).unwrap(),
            "https://contoso-admin.sharepoint.com"
        );
        let local = Url::parse("http://127.0.0.1:8080/contoso-admin/").unwrap();
        assert_eq!(
            resource_of(&local).unwrap(),
            "http://127.0.0.1:8080/contoso-admin"
        );
        let clear = Url::parse("http://contoso-admin.sharepoint.com").unwrap();
        assert_eq!(resource_of(&clear).unwrap_err().id(), "AdminUrlInvalid");
    }

    #[test]
    fn endpoints_follow_the_region_unless_overridden() {
        let mut options = options();
        options.region = Region::China;
        let authority = Authority::for_options(&options).unwrap();
        assert_eq!(
            authority.token_url("contoso.cn").unwrap().as_str(),
            "https://login.chinacloudapi.cn/contoso.cn/oauth2/v2.0/token"
        );
        options.authority_override = Some(Url::parse("http://127.0.0.1:4000/login").unwrap());
        let authority = Authority::for_options(&options).unwrap();
        assert!(authority.is_local());
        assert_eq!(
            authority.device_code_url(ORGANIZATIONS).unwrap().as_str(),
            "http://127.0.0.1:4000/login/organizations/oauth2/v2.0/devicecode"
        );
        assert_eq!(authority.host(), "127.0.0.1:4000");
    }

    #[test]
    fn override_must_be_https_unless_loopback_and_plain() {
        for bad in [
            "http://login.example.com",
            "ftp://127.0.0.1",
            "https://user:pw@login.example.com",
            "https://login.example.com/?x=1",
        ] {
            let mut options = options();
            options.authority_override = Some(Url::parse(bad).unwrap());
            let error = Authority::for_options(&options).unwrap_err();
            assert_eq!(error.id(), "AuthorityUrlInvalid", "{bad}");
            assert_eq!(error.parameter(), Some("AuthenticationUrl"));
        }
    }

    #[test]
    fn tenants_are_guids_or_domains_only() {
        assert_eq!(
            checked_tenant(" Contoso.onmicrosoft.com ", "TenantId").unwrap(),
            "contoso.onmicrosoft.com"
        );
        assert!(checked_tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", "TenantId").is_ok());
        for bad in ["", "a/b", "../x", "a b", "x?y", ".x", "a..b", "ü.com"] {
            assert_eq!(
                checked_tenant(bad, "TenantId").unwrap_err().id(),
                "TenantInvalid",
                "{bad}"
            );
        }
    }
}
