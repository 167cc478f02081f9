//! Partner host URLs: what counts as one, and the one normalized form we store and compare.
//!
//! A host URL is the root of a tenant's personal-sites ("my") host: in the cloud
//! `https://contoso-my.sharepoint.com`, in this emulator `http://127.0.0.1:PORT/contoso-my`
//! (the tenant lives in the first path segment because every tenant shares one listener).
//! Normalizing lowercases the whole URL (SharePoint treats URLs case-insensitively, and for a
//! host URL the path is part of the tenant's name) and drops the trailing slash.

use std::fmt;

use crate::wire::status_codes::{Failure, FailureKind};

/// The suffix that marks a personal-sites host, in the host name or in our path segment.
pub const MY_SITE_SUFFIX: &str = "-my";
/// The suffix that marks a tenant admin site.
pub const ADMIN_SITE_SUFFIX: &str = "-admin";

/// A host URL in normalized form: lowercase, no trailing slash.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostUrl(String);

impl HostUrl {
    /// Validates `raw` as a host URL and normalizes it.
    pub fn parse(raw: &str) -> Result<HostUrl, Failure> {
        let trimmed = raw.trim();
        let url =
            url::Url::parse(trimmed).map_err(|_| incorrect(raw, "it is not an absolute URL"))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(incorrect(raw, "it must start with https://"));
        }
        let Some(host) = url.host_str() else {
            return Err(incorrect(raw, "it names no host"));
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(incorrect(raw, "it must not carry user information"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(incorrect(raw, "it must not carry a query or fragment"));
        }
        let segments: Vec<&str> = url
            .path()
            .split('/')
            .filter(|segment| !segment.is_empty())
            .collect();
        let site_name = match segments.as_slice() {
            [] => host.split('.').next().unwrap_or(host),
            [segment] => segment,
            _ => return Err(incorrect(raw, "a host URL has no path below the site")),
        }
        .to_ascii_lowercase();
        if site_name.ends_with(ADMIN_SITE_SUFFIX) {
            return Err(incorrect(
                raw,
                "it is an admin site URL; use the partner's host URL from Get-SPOCrossTenantHostUrl",
            ));
        }
        if !site_name.ends_with(MY_SITE_SUFFIX) || site_name.len() == MY_SITE_SUFFIX.len() {
            return Err(incorrect(
                raw,
                "it is not a tenant host (-my) URL; use the value of Get-SPOCrossTenantHostUrl",
            ));
        }
        let normalized = url.as_str().to_lowercase();
        Ok(HostUrl(normalized.trim_end_matches('/').to_string()))
    }

    /// Wraps a URL we built ourselves, normalizing it the same way.
    pub fn from_trusted(url: &str) -> HostUrl {
        HostUrl(url.to_lowercase().trim_end_matches('/').to_string())
    }

    /// The normalized form, without trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form clients are shown, with the trailing slash `GetMySiteHostUrl` uses.
    pub fn with_trailing_slash(&self) -> String {
        format!("{}/", self.0)
    }
}

impl fmt::Display for HostUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn incorrect(raw: &str, why: &str) -> Failure {
    Failure::new(
        FailureKind::DomainNameIsIncorrect,
        format!("The partner host URL '{raw}' is not valid: {why}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(raw: &str) -> FailureKind {
        HostUrl::parse(raw).unwrap_err().kind
    }

    #[test]
    fn cloud_host_urls_are_normalized() {
        let url = HostUrl::parse("HTTPS://Contoso-My.SharePoint.com/").unwrap();
        assert_eq!(url.as_str(), "https://contoso-my.sharepoint.com");
        assert_eq!(
            url.with_trailing_slash(),
            "https://contoso-my.sharepoint.com/"
        );
    }

    #[test]
    fn emulator_host_urls_keep_their_site_segment() {
        let url = HostUrl::parse("http://127.0.0.1:8080/Fabrikam-my/").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/fabrikam-my");
        let same = HostUrl::parse("http://127.0.0.1:8080/fabrikam-my").unwrap();
        assert_eq!(url, same);
    }

    #[test]
    fn admin_urls_are_rejected() {
        assert_eq!(
            kind_of("https://contoso-admin.sharepoint.com"),
            FailureKind::DomainNameIsIncorrect
        );
        assert_eq!(
            kind_of("http://127.0.0.1:8080/contoso-admin"),
            FailureKind::DomainNameIsIncorrect
        );
    }

    #[test]
    fn non_host_urls_are_rejected() {
        for raw in [
            "contoso-my.sharepoint.com",
            "ftp://contoso-my.sharepoint.com",
            "https://contoso.sharepoint.com",
            "https://contoso-my.sharepoint.com/personal/someone",
            "https://contoso-my.sharepoint.com/?x=1",
            "https://-my.sharepoint.com",
            "",
        ] {
            assert_eq!(kind_of(raw), FailureKind::DomainNameIsIncorrect, "{raw}");
        }
    }

    #[test]
    fn messages_name_the_status_code() {
        let failure = HostUrl::parse("https://contoso-admin.sharepoint.com").unwrap_err();
        assert!(failure.message.contains("MnADomainNameIsInCorrect"));
        assert!(failure.message.contains("admin site"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn never_panics(raw in "\\PC{0,80}") {
                let _ = HostUrl::parse(&raw);
            }

            #[test]
            fn normalizing_is_idempotent(
                scheme in "(http|https|HTTPS)",
                host in "[a-zA-Z0-9]{1,12}(-my|-MY|-admin)?(\\.[a-z]{2,8}){0,2}",
                port in proptest::option::of(1u16..),
                path in "(/[a-zA-Z0-9]{1,8}(-my)?)?/?",
            ) {
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                let raw = format!("{scheme}://{host}{port}{path}");
                if let Ok(url) = HostUrl::parse(&raw) {
                    prop_assert_eq!(HostUrl::parse(url.as_str()).unwrap(), url.clone());
                    prop_assert_eq!(HostUrl::parse(&url.with_trailing_slash()).unwrap(), url.clone());
                    prop_assert_eq!(url.as_str().to_lowercase(), url.as_str());
                    prop_assert!(!url.as_str().ends_with('/'));
                }
            }
        }
    }
}
