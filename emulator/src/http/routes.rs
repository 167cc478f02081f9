//! Which part of the emulator a request path addresses.
//!
//! Layout on the one listener (matched case-insensitively, like SharePoint URLs):
//! `/<tenant>-admin` admin site, `/<tenant>-admin/_vti_bin/client.svc/ProcessQuery` the
//! CSOM endpoint, `/<tenant>-admin/_api/...MultiGeoServicesBeta/XTenantMoveCompatibilityCheck(...)`
//! the compatibility check, `/<tenant>-my/` host site, `/_emulator/...` the control endpoints;
//! and the identity endpoints: `/<tenant>/oauth2/v2.0/devicecode` and `/token`,
//! `/devicelogin`, `/_emulator/managed-identity`.
//!
//! Through the proxy (`--proxy`) the real host name says which site a path is on
//! ([`route_on`]): `https://contoso-admin.sharepoint.com/_vti_bin/client.svc/ProcessQuery`
//! is the same route as `/contoso-admin/_vti_bin/client.svc/ProcessQuery` on the listener.

use crate::http::identity::IdentityEndpoint;
use crate::tenant::host_url::{ADMIN_SITE_SUFFIX, MY_SITE_SUFFIX};
use crate::tenant::real_names::{RealHost, SiteHost};

const PROCESS_QUERY_PATH: &str = "_vti_bin/client.svc/processquery";
/// The compatibility check's path below the admin site, lowercased, up to its parameters.
/// INFERRED: SharePoint's REST metadata has the function bound to this type; that the
/// cmdlet calls it this way is not published.
const COMPATIBILITY_CHECK_PATH: &str = "_api/microsoft.online.sharepoint.multigeo.service.multigeoservicesbeta/xtenantmovecompatibilitycheck";
const CONTROL_PREFIX: &str = "_emulator";
const MANAGED_IDENTITY: &str = "managed-identity";
const DEVICE_LOGIN: &str = "devicelogin";
const TOKEN_PATH: &str = "oauth2/v2.0/token";
const DEVICE_CODE_PATH: &str = "oauth2/v2.0/devicecode";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Index,
    AdminPage {
        tenant: String,
    },
    HostPage {
        tenant: String,
    },
    ProcessQuery {
        tenant: String,
    },
    /// `arguments`: the text between the function's parentheses, lowercased, still
    /// percent-encoded, e.g. `targettenanthosturl=@p`.
    CompatibilityCheck {
        tenant: String,
        arguments: String,
    },
    /// The path below `/_emulator/`.
    Control {
        path: String,
    },
    /// `/<tenant>/oauth2/v2.0/devicecode` or `/token`; the tenant segment as sent
    /// (lowercased): a name, tenant id, domain, `organizations` or `common`.
    Identity {
        tenant: String,
        endpoint: IdentityEndpoint,
    },
    ManagedIdentity,
    DeviceLogin,
    NotFound,
}

pub fn route(path: &str) -> Route {
    let path = path.trim_matches('/').to_ascii_lowercase();
    if path.is_empty() {
        return Route::Index;
    }
    let (site, rest) = first_segment(&path);
    if let Some(route) = identity_route(site, rest) {
        return route;
    }
    if site == CONTROL_PREFIX && rest == MANAGED_IDENTITY {
        return Route::ManagedIdentity;
    }
    if site == CONTROL_PREFIX {
        return Route::Control {
            path: rest.to_string(),
        };
    }
    if let Some(tenant) = site.strip_suffix(ADMIN_SITE_SUFFIX) {
        return admin_site_route(tenant, rest);
    }
    if let Some(tenant) = site.strip_suffix(MY_SITE_SUFFIX)
        && rest.is_empty()
    {
        return Route::HostPage {
            tenant: tenant.to_string(),
        };
    }
    Route::NotFound
}

/// The route of a request that came through the proxy (`--proxy`) for a real host name:
/// the admin site's paths on `<tenant>-admin.sharepoint.com`, the host page at the root of
/// `<tenant>-my.sharepoint.com`, the identity endpoints on a sign-in host. The listener's
/// own paths (`/_emulator/`, `/<tenant>-admin/...`) are not found there.
pub fn route_on(host: &RealHost, path: &str) -> Route {
    let path = path.trim_matches('/').to_ascii_lowercase();
    match host {
        RealHost::Site {
            tenant,
            site: SiteHost::Admin,
        } => admin_site_route(tenant, &path),
        RealHost::Site {
            tenant,
            site: SiteHost::My,
        } if path.is_empty() => Route::HostPage {
            tenant: tenant.clone(),
        },
        RealHost::Site { .. } => Route::NotFound,
        RealHost::SignIn(_) => {
            let (segment, rest) = first_segment(&path);
            identity_route(segment, rest).unwrap_or(Route::NotFound)
        }
    }
}

/// `a/b/c` as `("a", "b/c")`; the rest without surrounding slashes.
fn first_segment(path: &str) -> (&str, &str) {
    let (first, rest) = path.split_once('/').unwrap_or((path, ""));
    (first, rest.trim_matches('/'))
}

/// The identity endpoints below `/<tenant>/` and the device code page.
fn identity_route(site: &str, rest: &str) -> Option<Route> {
    match rest {
        TOKEN_PATH | DEVICE_CODE_PATH if site != CONTROL_PREFIX => Some(Route::Identity {
            tenant: site.to_string(),
            endpoint: if rest == TOKEN_PATH {
                IdentityEndpoint::Token
            } else {
                IdentityEndpoint::DeviceCode
            },
        }),
        "" if site == DEVICE_LOGIN => Some(Route::DeviceLogin),
        _ => None,
    }
}

/// The paths below a tenant's admin site (`rest`: lowercased, no surrounding slashes).
fn admin_site_route(tenant: &str, rest: &str) -> Route {
    match rest {
        "" => Route::AdminPage {
            tenant: tenant.to_string(),
        },
        PROCESS_QUERY_PATH => Route::ProcessQuery {
            tenant: tenant.to_string(),
        },
        _ => match rest
            .strip_prefix(COMPATIBILITY_CHECK_PATH)
            .and_then(|call| call.strip_prefix('('))
            .and_then(|call| call.strip_suffix(')'))
        {
            Some(arguments) => Route::CompatibilityCheck {
                tenant: tenant.to_string(),
                arguments: arguments.to_string(),
            },
            None => Route::NotFound,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant_route(make: fn(String) -> Route, tenant: &str) -> Route {
        make(tenant.to_string())
    }

    #[test]
    fn routes_tenant_sites_case_insensitively() {
        assert_eq!(
            route("/contoso-admin/_vti_bin/client.svc/ProcessQuery"),
            tenant_route(|tenant| Route::ProcessQuery { tenant }, "contoso")
        );
        assert_eq!(
            route("/Contoso-Admin/_VTI_BIN/Client.svc/processquery/"),
            tenant_route(|tenant| Route::ProcessQuery { tenant }, "contoso")
        );
        assert_eq!(
            route("/fabrikam-admin"),
            tenant_route(|tenant| Route::AdminPage { tenant }, "fabrikam")
        );
        assert_eq!(
            route("/fabrikam-my/"),
            tenant_route(|tenant| Route::HostPage { tenant }, "fabrikam")
        );
    }

    #[test]
    fn routes_the_compatibility_check() {
        let path = "/Contoso-Admin/_api/Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta/XTenantMoveCompatibilityCheck(targetTenantHostUrl=@p)";
        let expected = Route::CompatibilityCheck {
            tenant: "contoso".into(),
            arguments: "targettenanthosturl=@p".into(),
        };
        assert_eq!(route(path), expected);
        assert_eq!(route(&format!("{path}/")), expected);
        assert_eq!(
            route(
                "/fabrikam-admin/_api/microsoft.online.sharepoint.multigeo.service.multigeoservicesbeta/xtenantmovecompatibilitycheck(targetTenantHostUrl='https://x-my.sharepoint.com/')"
            ),
            Route::CompatibilityCheck {
                tenant: "fabrikam".into(),
                arguments: "targettenanthosturl='https://x-my.sharepoint.com/'".into(),
            }
        );
        for other in [
            "/contoso-admin/_api/microsoft.online.sharepoint.multigeo.service.multigeoservicesbeta/xtenantmovecompatibilitycheck",
            "/contoso-admin/_api/microsoft.online.sharepoint.multigeo.service.multigeoservicesbeta/othercheck(x=@p)",
            "/contoso-my/_api/microsoft.online.sharepoint.multigeo.service.multigeoservicesbeta/xtenantmovecompatibilitycheck(x=@p)",
        ] {
            assert_eq!(route(other), Route::NotFound, "{other}");
        }
    }

    #[test]
    fn routes_identity_endpoints() {
        assert_eq!(
            route("/Contoso.onmicrosoft.com/oauth2/v2.0/token"),
            Route::Identity {
                tenant: "contoso.onmicrosoft.com".into(),
                endpoint: IdentityEndpoint::Token
            }
        );
        assert_eq!(
            route("/organizations/OAuth2/v2.0/devicecode/"),
            Route::Identity {
                tenant: "organizations".into(),
                endpoint: IdentityEndpoint::DeviceCode
            }
        );
        assert_eq!(route("/devicelogin"), Route::DeviceLogin);
        assert_eq!(route("/_emulator/managed-identity"), Route::ManagedIdentity);
        assert_eq!(route("/contoso/oauth2/v2.0/authorize"), Route::NotFound);
        assert_eq!(route("/contoso/oauth2/token"), Route::NotFound);
    }

    #[test]
    fn routes_control_index_and_unknown_paths() {
        assert_eq!(route("/"), Route::Index);
        assert_eq!(
            route("/_emulator/faults"),
            Route::Control {
                path: "faults".to_string()
            }
        );
        assert_eq!(route("/contoso-admin/_api/web"), Route::NotFound);
        assert_eq!(route("/devicelogin/x"), Route::NotFound);
        assert_eq!(route("/contoso-my/personal/x"), Route::NotFound);
        assert_eq!(route("/contoso"), Route::NotFound);
    }

    fn real(host: &str) -> RealHost {
        RealHost::parse(host).unwrap()
    }

    #[test]
    fn real_names_route_like_the_listener_paths() {
        for (host, path, listener_path) in [
            (
                "contoso-admin.sharepoint.com",
                "/_vti_bin/client.svc/ProcessQuery",
                "/contoso-admin/_vti_bin/client.svc/ProcessQuery",
            ),
            ("Contoso-Admin.sharepoint.com", "/", "/contoso-admin"),
            (
                "contoso-admin.sharepoint.com",
                "/_api/Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta/XTenantMoveCompatibilityCheck(targetTenantHostUrl=@p)",
                "/contoso-admin/_api/Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta/XTenantMoveCompatibilityCheck(targetTenantHostUrl=@p)",
            ),
            ("fabrikam-my.sharepoint.com", "", "/fabrikam-my/"),
            (
                "login.microsoftonline.com",
                "/organizations/oauth2/v2.0/devicecode",
                "/organizations/oauth2/v2.0/devicecode",
            ),
            (
                "login.chinacloudapi.cn",
                "/contoso.onmicrosoft.com/oauth2/v2.0/token",
                "/contoso.onmicrosoft.com/oauth2/v2.0/token",
            ),
            ("login.microsoftonline.us", "/devicelogin", "/devicelogin"),
        ] {
            assert_eq!(
                route_on(&real(host), path),
                route(listener_path),
                "{host}{path}"
            );
            assert_ne!(route_on(&real(host), path), Route::NotFound, "{host}{path}");
        }
    }

    #[test]
    fn real_names_do_not_serve_the_listeners_own_paths() {
        for (host, path) in [
            ("contoso-admin.sharepoint.com", "/_emulator/stats"),
            (
                "contoso-admin.sharepoint.com",
                "/contoso-admin/_vti_bin/client.svc/ProcessQuery",
            ),
            (
                "contoso-my.sharepoint.com",
                "/personal/alex_contoso_onmicrosoft_com",
            ),
            ("contoso.sharepoint.com", "/"),
            ("contoso.sharepoint.com", "/contoso/oauth2/v2.0/token"),
            ("contoso.sharepoint.com", "/sites/marketing"),
            ("login.microsoftonline.com", "/"),
            ("login.microsoftonline.com", "/_emulator/managed-identity"),
            ("login.microsoftonline.com", "/_emulator/oauth2/v2.0/token"),
            (
                "login.microsoftonline.com",
                "/contoso-admin/_vti_bin/client.svc/ProcessQuery",
            ),
        ] {
            assert_eq!(route_on(&real(host), path), Route::NotFound, "{host}{path}");
        }
    }
}
