//! Which part of the emulator a request path addresses.
//!
//! Layout on the one listener (matched case-insensitively, like SharePoint URLs):
//! `/<tenant>-admin` admin site, `/<tenant>-admin/_vti_bin/client.svc/ProcessQuery` the
//! CSOM endpoint, `/<tenant>-my/` host site, `/_emulator/...` the control endpoints.

use crate::host_url::{ADMIN_SITE_SUFFIX, MY_SITE_SUFFIX};

const PROCESS_QUERY_PATH: &str = "_vti_bin/client.svc/processquery";
const CONTROL_PREFIX: &str = "_emulator";

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
    /// The path below `/_emulator/`.
    Control {
        path: String,
    },
    NotFound,
}

pub fn route(path: &str) -> Route {
    let path = path.trim_matches('/').to_ascii_lowercase();
    if path.is_empty() {
        return Route::Index;
    }
    let (site, rest) = path.split_once('/').unwrap_or((&path, ""));
    let rest = rest.trim_matches('/');
    if site == CONTROL_PREFIX {
        return Route::Control {
            path: rest.to_string(),
        };
    }
    if let Some(tenant) = site.strip_suffix(ADMIN_SITE_SUFFIX) {
        return match rest {
            "" => Route::AdminPage {
                tenant: tenant.to_string(),
            },
            PROCESS_QUERY_PATH => Route::ProcessQuery {
                tenant: tenant.to_string(),
            },
            _ => Route::NotFound,
        };
    }
    if let Some(tenant) = site.strip_suffix(MY_SITE_SUFFIX) {
        if rest.is_empty() {
            return Route::HostPage {
                tenant: tenant.to_string(),
            };
        }
    }
    Route::NotFound
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
    fn routes_control_index_and_unknown_paths() {
        assert_eq!(route("/"), Route::Index);
        assert_eq!(
            route("/_emulator/faults"),
            Route::Control {
                path: "faults".to_string()
            }
        );
        assert_eq!(route("/contoso-admin/_api/web"), Route::NotFound);
        assert_eq!(route("/contoso-my/personal/x"), Route::NotFound);
        assert_eq!(route("/contoso"), Route::NotFound);
    }
}
