//! Checks the two kinds of URL an admin types: the partner's cross-tenant host URL and
//! the tenant admin site URL. Everything is decided here, before anything is sent.

use crate::error::Error;
use url::{Host, Url};

/// DNS suffixes of SharePoint Online: commercial, US government (GCC High, DoD), the
/// former German cloud, and the cloud operated by 21Vianet in China.
pub const SHAREPOINT_SUFFIXES: &[&str] = &[
    "sharepoint.com",
    "sharepoint.us",
    "sharepoint-mil.us",
    "sharepoint.de",
    "sharepoint.cn",
];

/// Longest DNS name and label (RFC 1035).
const MAX_DNS_NAME: usize = 253;
const MAX_DNS_LABEL: usize = 63;

/// The first-label ending of a tenant's cross-tenant (OneDrive) host, e.g. contoso-my.
const HOST_LABEL_SUFFIX: &str = "-my";
/// The first-label ending of a tenant admin site, e.g. contoso-admin.
const ADMIN_LABEL_SUFFIX: &str = "-admin";

const PARTNER: &str = "PartnerCrossTenantHostUrl";
const HOST_URL_HINT: &str = "Ask the partner's admin to run Get-SPOCrossTenantHostUrl on their tenant and use the URL it prints, e.g. https://fabrikam-my.sharepoint.com.";

/// Validates a partner's cross-tenant host URL and returns the form we send: scheme and
/// host (and, for a loopback emulator, its path) without a trailing slash.
pub fn partner_host_url(input: &str) -> Result<String, Error> {
    let url = parse_absolute(input, PARTNER, "PartnerUrl", HOST_URL_HINT)?;
    let loopback = is_loopback(&url);
    check_scheme(&url, loopback, PARTNER, "PartnerUrlNotHttps")?;
    if has_user_info(&url) {
        return Err(Error::invalid_argument(
            "PartnerUrlHasUserInfo",
            PARTNER,
            "The partner URL must not contain a user name or password. Use just the host, e.g. https://fabrikam-my.sharepoint.com.",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_argument(
            "PartnerUrlHasQueryOrFragment",
            PARTNER,
            "The partner URL must not have a query (?...) or fragment (#...). Use just the host, e.g. https://fabrikam-my.sharepoint.com.",
        ));
    }
    if !loopback {
        if url.path() != "/" {
            return Err(Error::invalid_argument(
                "PartnerUrlHasPath",
                PARTNER,
                format!(
                    "'{}' points inside a site; the partner's cross-tenant host URL is the bare host without a path. {HOST_URL_HINT}",
                    url.path()
                ),
            ));
        }
        match sharepoint_first_label(&url) {
            Some(label) if !has_tenant_name(&label, HOST_LABEL_SUFFIX) => {
                return Err(Error::invalid_argument(
                    "PartnerUrlHasNoTenantName",
                    PARTNER,
                    format!(
                        "'{}' has no tenant name before '-my'. {HOST_URL_HINT}",
                        url.host_str().unwrap_or_default()
                    ),
                ));
            }
            Some(label) if label.ends_with(HOST_LABEL_SUFFIX) && url.port().is_none() => {}
            Some(label) if label.ends_with(ADMIN_LABEL_SUFFIX) => {
                return Err(Error::invalid_argument(
                    "PartnerUrlIsAdminUrl",
                    PARTNER,
                    format!(
                        "'{}' is the partner's admin site, not its cross-tenant host URL. {HOST_URL_HINT}",
                        url.host_str().unwrap_or_default()
                    ),
                ));
            }
            _ => {
                return Err(Error::invalid_argument(
                    "PartnerUrlNotCrossTenantHost",
                    PARTNER,
                    format!(
                        "'{}' is not a SharePoint Online cross-tenant host (<tenant>-my.sharepoint.com or its sovereign-cloud equivalent). {HOST_URL_HINT}",
                        url.host_str().unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(without_trailing_slash(&url))
}

/// Validates a tenant admin site URL (https://<tenant>-admin.sharepoint.com).
pub fn admin_site_url(input: &str) -> Result<Url, Error> {
    const HINT: &str = "Use the tenant admin site, e.g. https://contoso-admin.sharepoint.com.";
    let fail =
        |why: String| Error::invalid_argument("AdminUrlInvalid", "Url", format!("{why} {HINT}"));
    // parse_absolute's message already ends with the hint: keep it once.
    let url = parse_absolute(input, "Url", "AdminUrl", HINT)
        .map_err(|e| Error::invalid_argument("AdminUrlInvalid", "Url", e.message().to_owned()))?;
    let loopback = is_loopback(&url);
    check_scheme(&url, loopback, "Url", "AdminUrlInvalid")?;
    if has_user_info(&url) || url.query().is_some() || url.fragment().is_some() {
        return Err(fail(
            "The admin URL must not contain a user name, password, query or fragment.".into(),
        ));
    }
    if !loopback {
        if url.path() != "/" {
            return Err(fail(format!(
                "The admin URL must be the bare host, without the path '{}'.",
                url.path()
            )));
        }
        match sharepoint_first_label(&url) {
            Some(label) if !has_tenant_name(&label, ADMIN_LABEL_SUFFIX) => {
                return Err(Error::invalid_argument(
                    "AdminUrlHasNoTenantName",
                    "Url",
                    format!(
                        "'{}' has no tenant name before '-admin'. {HINT}",
                        url.host_str().unwrap_or_default()
                    ),
                ));
            }
            Some(label) if label.ends_with(ADMIN_LABEL_SUFFIX) => {}
            Some(label) if label.ends_with(HOST_LABEL_SUFFIX) => {
                return Err(fail(format!(
                    "'{}' is a OneDrive host, not the admin site.",
                    url.host_str().unwrap_or_default()
                )));
            }
            _ => {
                return Err(fail(format!(
                    "'{}' is not a SharePoint Online admin site.",
                    url.host_str().unwrap_or_default()
                )));
            }
        }
    }
    Ok(url)
}

/// Plain http is allowed only for these, so the local emulator works and nothing else
/// ever sends a token in clear text.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn parse_absolute(
    input: &str,
    parameter: &'static str,
    id_prefix: &str,
    hint: &str,
) -> Result<Url, Error> {
    let text = input.trim();
    let (empty_id, not_absolute_id, control_id) = if id_prefix == "PartnerUrl" {
        (
            "PartnerUrlEmpty",
            "PartnerUrlNotAbsolute",
            "TextHasControlCharacter",
        )
    } else {
        (
            "AdminUrlInvalid",
            "AdminUrlInvalid",
            "TextHasControlCharacter",
        )
    };
    if text.is_empty() {
        return Err(Error::invalid_argument(
            empty_id,
            parameter,
            format!("The URL is empty. {hint}"),
        ));
    }
    // The URL parser silently drops tabs and newlines; a pasted URL with them is a mistake.
    if text.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            control_id,
            parameter,
            format!("The URL contains control characters (tabs, line breaks or similar). {hint}"),
        ));
    }
    match Url::parse(text) {
        Ok(url) if url.has_host() && !url.cannot_be_a_base() => Ok(url),
        _ => Err(Error::invalid_argument(
            not_absolute_id,
            parameter,
            format!("'{text}' is not an absolute URL. {hint}"),
        )),
    }
}

fn check_scheme(
    url: &Url,
    loopback: bool,
    parameter: &'static str,
    id: &'static str,
) -> Result<(), Error> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(Error::invalid_argument(
            id,
            parameter,
            format!(
                "'{url}' uses plain http; SharePoint Online is reached only over https (http is accepted for a local emulator on 127.0.0.1 or localhost)."
            ),
        )),
        other => Err(Error::invalid_argument(
            id,
            parameter,
            format!("The URL scheme '{other}' is not supported; use https."),
        )),
    }
}

fn has_user_info(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// The first DNS label of a host under one of the SharePoint suffixes, lower case.
fn sharepoint_first_label(url: &Url) -> Option<String> {
    let Some(Host::Domain(host)) = url.host() else {
        return None;
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    // DNS limits: a name this long cannot exist, whatever the parser accepted.
    if host.len() > MAX_DNS_NAME || host.split('.').any(|label| label.len() > MAX_DNS_LABEL) {
        return None;
    }
    let (label, rest) = host.split_once('.')?;
    SHAREPOINT_SUFFIXES
        .contains(&rest)
        .then(|| label.to_owned())
        .filter(|label| !label.is_empty())
}

/// False when `label` is `suffix` with nothing, or only dashes, before it (`-my`, `--admin`):
/// such a host names no tenant.
fn has_tenant_name(label: &str, suffix: &str) -> bool {
    match label.strip_suffix(suffix) {
        Some(tenant) => tenant.chars().next().is_some_and(|c| c != '-'),
        None => true,
    }
}

fn without_trailing_slash(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner_error(input: &str) -> &'static str {
        partner_host_url(input).unwrap_err().id()
    }

    #[test]
    fn accepts_host_urls_of_every_cloud_with_or_without_trailing_slash() {
        assert_eq!(
            partner_host_url("https://fabrikam-my.sharepoint.com").unwrap(),
            "https://fabrikam-my.sharepoint.com"
        );
        assert_eq!(
            partner_host_url(" https://Fabrikam-My.SharePoint.com/ ").unwrap(),
            "https://fabrikam-my.sharepoint.com"
        );
        for suffix in SHAREPOINT_SUFFIXES {
            assert!(
                partner_host_url(&format!("https://agency-my.{suffix}/")).is_ok(),
                "{suffix}"
            );
        }
    }

    #[test]
    fn accepts_loopback_emulator_urls_over_http_with_paths() {
        assert_eq!(
            partner_host_url("http://127.0.0.1:5000/fabrikam-my/").unwrap(),
            "http://127.0.0.1:5000/fabrikam-my"
        );
        assert!(partner_host_url("http://localhost:1/x").is_ok());
        assert!(partner_host_url("http://[::1]:8080/fabrikam-my").is_ok());
    }

    #[test]
    fn rejects_each_kind_of_mistake_with_its_own_id() {
        assert_eq!(partner_error(""), "PartnerUrlEmpty");
        assert_eq!(partner_error("   "), "PartnerUrlEmpty");
        assert_eq!(
            partner_error("fabrikam-my.sharepoint.com"),
            "PartnerUrlNotAbsolute"
        );
        assert_eq!(partner_error("/fabrikam-my"), "PartnerUrlNotAbsolute");
        assert_eq!(
            partner_error("mailto:admin@fabrikam.com"),
            "PartnerUrlNotAbsolute"
        );
        assert_eq!(
            partner_error("http://fabrikam-my.sharepoint.com"),
            "PartnerUrlNotHttps"
        );
        assert_eq!(
            partner_error("ftp://fabrikam-my.sharepoint.com"),
            "PartnerUrlNotHttps"
        );
        assert_eq!(
            partner_error("https://user:pw@fabrikam-my.sharepoint.com"),
            "PartnerUrlHasUserInfo"
        );
        assert_eq!(
            partner_error("https://fabrikam-my.sharepoint.com/?a=1"),
            "PartnerUrlHasQueryOrFragment"
        );
        assert_eq!(
            partner_error("https://fabrikam-my.sharepoint.com/#top"),
            "PartnerUrlHasQueryOrFragment"
        );
        assert_eq!(
            partner_error("https://fabrikam-my.sharepoint.com/personal/a_b"),
            "PartnerUrlHasPath"
        );
        assert_eq!(
            partner_error("https://fabrikam-admin.sharepoint.com"),
            "PartnerUrlIsAdminUrl"
        );
        assert_eq!(
            partner_error("https://fabrikam.sharepoint.com"),
            "PartnerUrlNotCrossTenantHost"
        );
        assert_eq!(
            partner_error("https://fabrikam-my.sharepoint.com.evil.example"),
            "PartnerUrlNotCrossTenantHost"
        );
        assert_eq!(
            partner_error("https://fabrikam-my.sharepoint.com:8443"),
            "PartnerUrlNotCrossTenantHost"
        );
        assert_eq!(
            partner_error("https://10.0.0.1"),
            "PartnerUrlNotCrossTenantHost"
        );
        assert_eq!(
            partner_error("https://fabrikam-my.sharepoint.com/\u{0}"),
            "TextHasControlCharacter"
        );
        assert_eq!(
            partner_error("https://fabrikam-my.share\npoint.com"),
            "TextHasControlCharacter"
        );
    }

    #[test]
    fn hosts_without_a_tenant_name_are_refused_with_their_own_ids() {
        for suffix in SHAREPOINT_SUFFIXES {
            let error = partner_host_url(&format!("https://-my.{suffix}")).unwrap_err();
            assert_eq!(error.id(), "PartnerUrlHasNoTenantName", "{suffix}");
            assert_eq!(error.parameter(), Some(PARTNER));
            let error = admin_site_url(&format!("https://-admin.{suffix}/")).unwrap_err();
            assert_eq!(error.id(), "AdminUrlHasNoTenantName", "{suffix}");
            assert_eq!(error.parameter(), Some("Url"));
        }
        assert_eq!(
            partner_error("https://--my.sharepoint.com"),
            "PartnerUrlHasNoTenantName"
        );
        assert!(partner_host_url("https://a-my.sharepoint.com").is_ok());
        assert!(admin_site_url("https://a-admin.sharepoint.com").is_ok());
    }

    #[test]
    fn admin_urls_must_be_admin_sites() {
        assert!(admin_site_url("https://contoso-admin.sharepoint.com").is_ok());
        assert!(admin_site_url("https://contoso-admin.sharepoint.us/").is_ok());
        assert!(admin_site_url("http://127.0.0.1:4000/contoso-admin").is_ok());
        for bad in [
            "",
            "contoso-admin.sharepoint.com",
            "http://contoso-admin.sharepoint.com",
            "https://contoso-my.sharepoint.com",
            "https://contoso.sharepoint.com",
            "https://contoso-admin.sharepoint.com/sites/x",
            "https://u:p@contoso-admin.sharepoint.com",
        ] {
            let error = admin_site_url(bad).unwrap_err();
            assert_eq!(error.id(), "AdminUrlInvalid", "{bad}");
            assert_eq!(error.parameter(), Some("Url"));
        }
    }
}
