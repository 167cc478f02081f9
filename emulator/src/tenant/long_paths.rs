//! `GetSPOCrossTenantLongFilePathsForSiteRename`: which of a site's files would have a full
//! URL longer than 400 characters once the site is at its new URL.

use super::directory::Directory;
use crate::wire::status_codes::{Failure, FailureKind};

/// SharePoint's limit on a file's full URL (decoded), in characters.
pub const MAX_FILE_URL_LENGTH: usize = 400;

impl Directory {
    /// The full new URLs longer than the limit, in the site's file order.
    pub fn long_paths_after_rename(
        &self,
        tenant: &str,
        old_url: &str,
        new_url: &str,
    ) -> Result<Vec<String>, Failure> {
        let new_url = new_url.trim().trim_end_matches('/');
        let absolute = url::Url::parse(new_url).ok().is_some_and(|url| {
            (url.scheme() == "http" || url.scheme() == "https") && url.host().is_some()
        });
        if !absolute {
            return Err(Failure::new(
                FailureKind::InvalidArgument,
                format!(
                    "The new site URL '{new_url}' is not an absolute URL.\r\nParameter name: newUrl"
                ),
            ));
        }
        let site = self
            .tenant(tenant)
            .and_then(|t| t.content.site(old_url))
            .ok_or_else(|| {
                Failure::new(
                    FailureKind::SourceNotFound,
                    format!("There is no site '{}' in this tenant.", old_url.trim()),
                )
            })?;
        Ok(site
            .files
            .iter()
            .map(|file| format!("{new_url}/{file}"))
            .filter(|full| full.chars().count() > MAX_FILE_URL_LENGTH)
            .collect())
    }
}
