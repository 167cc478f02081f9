//! Where each tenant's sites live on the one listener: `/<tenant>-admin` and `/<tenant>-my/`.

use super::host_url::{ADMIN_SITE_SUFFIX, HostUrl, MY_SITE_SUFFIX};

/// Where each tenant's sites live on our listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteLayout {
    /// `scheme://host:port`, no trailing slash.
    base: String,
}

impl SiteLayout {
    pub fn new(base: impl Into<String>) -> Self {
        SiteLayout {
            base: base.into().trim_end_matches('/').to_string(),
        }
    }

    /// `scheme://host:port`: the authority of the identity endpoints.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The admin site; also the audience of the tenant's tokens.
    pub fn admin_url(&self, tenant: &str) -> String {
        format!("{}/{tenant}{ADMIN_SITE_SUFFIX}", self.base)
    }

    /// The host URL exactly as `GetMySiteHostUrl` answers it: with a trailing slash.
    pub fn host_url(&self, tenant: &str) -> String {
        format!("{}/{tenant}{MY_SITE_SUFFIX}/", self.base)
    }

    /// A regular or group site: `{base}/{tenant}/sites/{name}` (like
    /// `https://contoso.sharepoint.com/sites/{name}`).
    pub fn site_url(&self, tenant: &str, name: &str) -> String {
        format!("{}/{tenant}/sites/{name}", self.base)
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
    fn layout_builds_admin_and_host_urls() {
        let layout = SiteLayout::new("http://127.0.0.1:9000/");
        assert_eq!(
            layout.admin_url("contoso"),
            "http://127.0.0.1:9000/contoso-admin"
        );
        assert_eq!(
            layout.host_url("contoso"),
            "http://127.0.0.1:9000/contoso-my/"
        );
        assert_eq!(
            layout.site_url("contoso", "legal"),
            "http://127.0.0.1:9000/contoso/sites/legal"
        );
        assert_eq!(
            layout.one_drive_url("contoso", "Alex@contoso.onmicrosoft.com"),
            "http://127.0.0.1:9000/contoso-my/personal/alex_contoso_onmicrosoft_com"
        );
    }
}
