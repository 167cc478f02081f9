//! Where each tenant's sites live. By default on the one listener: `/<tenant>-admin` and
//! `/<tenant>-my/`. With `--proxy`, at their real names (`https://contoso-admin.sharepoint.com`,
//! `https://contoso-my.sharepoint.com/`), which the proxy answers for.

use super::host_url::{ADMIN_SITE_SUFFIX, HostUrl, MY_SITE_SUFFIX};
use super::real_names::{SIGN_IN_HOSTS, SiteHost, site_host_name};

/// Where each tenant's sites live, and so every URL the emulator hands out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteLayout {
    /// The listener's `scheme://host:port`, no trailing slash.
    listener: String,
    /// Sites at their real names (`--proxy`) rather than on the listener.
    real_names: bool,
}

impl SiteLayout {
    /// Sites on the listener at `base` (`scheme://host:port`).
    pub fn new(base: impl Into<String>) -> Self {
        SiteLayout {
            listener: base.into().trim_end_matches('/').to_string(),
            real_names: false,
        }
    }

    /// Sites at their real names; `listener` still serves the control endpoints, the
    /// managed identity endpoint and the device code page.
    pub fn real_names(listener: impl Into<String>) -> Self {
        SiteLayout {
            real_names: true,
            ..SiteLayout::new(listener)
        }
    }

    pub fn uses_real_names(&self) -> bool {
        self.real_names
    }

    /// `scheme://host:port` of the listener.
    pub fn listener_base(&self) -> &str {
        &self.listener
    }

    /// The base of the identity endpoints (`{authority}/{tenant}/oauth2/v2.0/token`): the
    /// listener, or the commercial cloud's sign-in host.
    pub fn authority(&self) -> String {
        if self.real_names {
            format!("https://{}", SIGN_IN_HOSTS[0])
        } else {
            self.listener.clone()
        }
    }

    /// The admin site; also the audience of the tenant's tokens.
    pub fn admin_url(&self, tenant: &str) -> String {
        if self.real_names {
            format!("https://{}", site_host_name(tenant, SiteHost::Admin))
        } else {
            format!("{}/{tenant}{ADMIN_SITE_SUFFIX}", self.listener)
        }
    }

    /// The host URL exactly as `GetMySiteHostUrl` answers it: with a trailing slash.
    pub fn host_url(&self, tenant: &str) -> String {
        if self.real_names {
            format!("https://{}/", site_host_name(tenant, SiteHost::My))
        } else {
            format!("{}/{tenant}{MY_SITE_SUFFIX}/", self.listener)
        }
    }

    /// A regular or group site: `https://contoso.sharepoint.com/sites/{name}`, on the
    /// listener `{base}/{tenant}/sites/{name}`.
    pub fn site_url(&self, tenant: &str, name: &str) -> String {
        if self.real_names {
            format!(
                "https://{}/sites/{name}",
                site_host_name(tenant, SiteHost::Root)
            )
        } else {
            format!("{}/{tenant}/sites/{name}", self.listener)
        }
    }

    /// A user's OneDrive: `{host url}personal/{upn with @ and . as _}`, as in the cloud.
    pub fn one_drive_url(&self, tenant: &str, upn: &str) -> String {
        let folder: String = upn
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if c == '@' || c == '.' { '_' } else { c })
            .collect();
        format!("{}personal/{folder}", self.host_url(tenant))
    }

    pub fn host_url_key(&self, tenant: &str) -> HostUrl {
        HostUrl::from_trusted(&self.host_url(tenant))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_layout_builds_its_urls() {
        for (layout, [admin, host, site, one_drive, authority]) in [
            (
                SiteLayout::new("http://127.0.0.1:9000/"),
                [
                    "http://127.0.0.1:9000/contoso-admin",
                    "http://127.0.0.1:9000/contoso-my/",
                    "http://127.0.0.1:9000/contoso/sites/legal",
                    "http://127.0.0.1:9000/contoso-my/personal/alex_contoso_onmicrosoft_com",
                    "http://127.0.0.1:9000",
                ],
            ),
            (
                SiteLayout::real_names("http://127.0.0.1:9000"),
                [
                    "https://contoso-admin.sharepoint.com",
                    "https://contoso-my.sharepoint.com/",
                    "https://contoso.sharepoint.com/sites/legal",
                    "https://contoso-my.sharepoint.com/personal/alex_contoso_onmicrosoft_com",
                    "https://login.microsoftonline.com",
                ],
            ),
        ] {
            assert_eq!(layout.admin_url("contoso"), admin);
            assert_eq!(layout.host_url("contoso"), host);
            assert_eq!(layout.site_url("contoso", "legal"), site);
            assert_eq!(
                layout.one_drive_url("contoso", "Alex@contoso.onmicrosoft.com"),
                one_drive
            );
            assert_eq!(layout.authority(), authority);
            assert_eq!(layout.listener_base(), "http://127.0.0.1:9000");
            assert_eq!(
                layout.host_url_key("contoso").as_str(),
                host.trim_end_matches('/')
            );
            // Every host URL handed out parses back as one; an admin URL does not.
            assert!(HostUrl::parse(&layout.host_url("contoso")).is_ok());
            assert!(HostUrl::parse(&layout.admin_url("contoso")).is_err());
        }
    }
}
