//! The real host names a rehearsal answers for (`--proxy`): each tenant's three SharePoint
//! Online hosts, `<tenant>.sharepoint.com`, `<tenant>-admin.sharepoint.com` and
//! `<tenant>-my.sharepoint.com`, and the sign-in host of every cloud the module signs in to.
//! One place builds these names (for the URLs the emulator hands out) and reads them back
//! (for the proxy deciding what it answers).

use super::host_url::{ADMIN_SITE_SUFFIX, MY_SITE_SUFFIX};

/// The domain of SharePoint Online's commercial cloud.
pub const SHAREPOINT_DOMAIN: &str = "sharepoint.com";

/// The identity platform's host of each cloud that `Connect-SPOService -Region` signs in
/// to (the engine's table is `src/auth/region.rs`), the commercial cloud first: it is the
/// authority the start-up line gives.
pub const SIGN_IN_HOSTS: [&str; 4] = [
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.microsoftonline.de",
    "login.chinacloudapi.cn",
];

/// Which of a tenant's three SharePoint hosts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteHost {
    /// `<tenant>.sharepoint.com`: the root site and the regular and group sites below it.
    Root,
    /// `<tenant>-admin.sharepoint.com`: the admin site.
    Admin,
    /// `<tenant>-my.sharepoint.com`: the host URL, OneDrives below it.
    My,
}

/// A real host name, read syntactically: whether the emulator serves that tenant is for
/// the caller to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RealHost {
    Site { tenant: String, site: SiteHost },
    SignIn(&'static str),
}

impl RealHost {
    /// Reads a host name (any case, an ending dot allowed); `None` for every name that is
    /// not one of the shapes above.
    pub fn parse(host: &str) -> Option<RealHost> {
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        if let Some(sign_in) = SIGN_IN_HOSTS.iter().find(|known| **known == host) {
            return Some(RealHost::SignIn(sign_in));
        }
        let label = host.strip_suffix(SHAREPOINT_DOMAIN)?.strip_suffix('.')?;
        let (tenant, site) = if let Some(tenant) = label.strip_suffix(ADMIN_SITE_SUFFIX) {
            (tenant, SiteHost::Admin)
        } else if let Some(tenant) = label.strip_suffix(MY_SITE_SUFFIX) {
            (tenant, SiteHost::My)
        } else {
            (label, SiteHost::Root)
        };
        // Tenant names are letters and digits (see `cli::parse_tenant_name`).
        if tenant.is_empty() || !tenant.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some(RealHost::Site {
            tenant: tenant.to_string(),
            site,
        })
    }

    /// The host name, lowercase.
    pub fn name(&self) -> String {
        match self {
            RealHost::Site { tenant, site } => site_host_name(tenant, *site),
            RealHost::SignIn(host) => host.to_string(),
        }
    }

    /// The tenant a SharePoint host belongs to; `None` for a sign-in host.
    pub fn tenant(&self) -> Option<&str> {
        match self {
            RealHost::Site { tenant, .. } => Some(tenant),
            RealHost::SignIn(_) => None,
        }
    }
}

/// `contoso.sharepoint.com`, `contoso-admin.sharepoint.com` or `contoso-my.sharepoint.com`.
pub fn site_host_name(tenant: &str, site: SiteHost) -> String {
    let suffix = match site {
        SiteHost::Root => "",
        SiteHost::Admin => ADMIN_SITE_SUFFIX,
        SiteHost::My => MY_SITE_SUFFIX,
    };
    format!("{tenant}{suffix}.{SHAREPOINT_DOMAIN}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(tenant: &str, site: SiteHost) -> Option<RealHost> {
        Some(RealHost::Site {
            tenant: tenant.to_string(),
            site,
        })
    }

    #[test]
    fn reads_the_three_sharepoint_hosts_of_a_tenant() {
        assert_eq!(
            RealHost::parse("contoso.sharepoint.com"),
            site("contoso", SiteHost::Root)
        );
        assert_eq!(
            RealHost::parse("Contoso-Admin.SharePoint.com."),
            site("contoso", SiteHost::Admin)
        );
        assert_eq!(
            RealHost::parse("fabrikam2-my.sharepoint.com"),
            site("fabrikam2", SiteHost::My)
        );
    }

    #[test]
    fn reads_every_sign_in_host() {
        for host in SIGN_IN_HOSTS {
            assert_eq!(RealHost::parse(host), Some(RealHost::SignIn(host)));
            assert_eq!(
                RealHost::parse(&host.to_uppercase()),
                Some(RealHost::SignIn(host))
            );
        }
    }

    #[test]
    fn other_names_are_not_real_hosts() {
        for host in [
            "example.com",
            "sharepoint.com",
            ".sharepoint.com",
            "-my.sharepoint.com",
            "www.contoso.sharepoint.com",
            "contoso-admin.sharepoint.com.evil.example",
            "contosoxsharepoint.com",
            "contoso_x.sharepoint.com",
            "contoso.sharepoint.us",
            "login.microsoftonline.com.evil.example",
            "127.0.0.1",
            "localhost",
            "",
        ] {
            assert_eq!(RealHost::parse(host), None, "{host}");
        }
    }

    #[test]
    fn names_read_back() {
        for site_kind in [SiteHost::Root, SiteHost::Admin, SiteHost::My] {
            let name = site_host_name("contoso", site_kind);
            let host = RealHost::parse(&name).unwrap();
            assert_eq!(host.name(), name);
            assert_eq!(host.tenant(), Some("contoso"));
        }
        assert_eq!(
            RealHost::parse("login.microsoftonline.us")
                .unwrap()
                .tenant(),
            None
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn never_panics(raw in "\\PC{0,80}") {
                let _ = RealHost::parse(&raw);
            }

            #[test]
            fn a_parsed_name_is_its_own_name(tenant in "[a-z0-9]{1,20}", kind in 0..3u8) {
                let site_kind = [SiteHost::Root, SiteHost::Admin, SiteHost::My][kind as usize];
                let name = site_host_name(&tenant, site_kind);
                prop_assert_eq!(RealHost::parse(&name).unwrap().name(), name);
            }
        }
    }
}
