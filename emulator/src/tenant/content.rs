//! What a tenant holds that moves act on: users (licensed or not, with or without a
//! OneDrive), sites with their files (OneDrives and group sites are sites too), and
//! Microsoft 365 groups. Plain data, looked up by normalized key in O(log n).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::serde_forms::guid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub upn: String,
    /// Licensed for cross-tenant migration (a move of an unlicensed user is refused).
    pub licensed: bool,
    /// The URL of the user's OneDrive (a site in `sites`), when one exists.
    pub one_drive_url: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SiteKind {
    Regular,
    OneDrive,
    GroupSite,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    pub url: String,
    pub kind: SiteKind,
    /// File paths below the site URL (`Shared Documents/Plan.docx`), in creation order.
    pub files: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub alias: String,
    #[serde(with = "guid")]
    pub object_id: Uuid,
    pub site_url: String,
}

/// One tenant's users, sites and groups.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    users: BTreeMap<String, User>,
    sites: BTreeMap<String, Site>,
    groups: BTreeMap<String, Group>,
}

/// How URLs, UPNs, aliases and identity map entries are compared, everywhere: trimmed,
/// lowercase in any script (Unicode, so `Élodie@` is `élodie@`), no trailing slash,
/// `localhost` as `127.0.0.1` (SharePoint compares them case-insensitively).
pub fn key_of(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replacen("://localhost:", "://127.0.0.1:", 1)
        .trim_end_matches('/')
        .to_string()
}

impl Content {
    /// Adds or replaces a user.
    pub fn put_user(&mut self, user: User) {
        self.users.insert(key_of(&user.upn), user);
    }

    /// Adds or replaces a site.
    pub fn put_site(&mut self, site: Site) {
        self.sites.insert(key_of(&site.url), site);
    }

    /// Adds or replaces a group (its site is added separately).
    pub fn put_group(&mut self, group: Group) {
        self.groups.insert(key_of(&group.alias), group);
    }

    /// Removes a user and its OneDrive; whether it existed.
    pub fn remove_user(&mut self, upn: &str) -> bool {
        let Some(user) = self.users.remove(&key_of(upn)) else {
            return false;
        };
        if let Some(url) = user.one_drive_url {
            self.sites.remove(&key_of(&url));
        }
        true
    }

    /// Removes a site; a user whose OneDrive it was keeps no OneDrive. Whether it existed.
    pub fn remove_site(&mut self, url: &str) -> bool {
        let key = key_of(url);
        let removed = self.sites.remove(&key).is_some();
        for user in self.users.values_mut() {
            if user.one_drive_url.as_deref().map(key_of) == Some(key.clone()) {
                user.one_drive_url = None;
            }
        }
        removed
    }

    /// Removes a group and its site; whether it existed.
    pub fn remove_group(&mut self, alias: &str) -> bool {
        let Some(group) = self.groups.remove(&key_of(alias)) else {
            return false;
        };
        self.sites.remove(&key_of(&group.site_url));
        true
    }

    pub fn user(&self, upn: &str) -> Option<&User> {
        self.users.get(&key_of(upn))
    }

    pub fn site(&self, url: &str) -> Option<&Site> {
        self.sites.get(&key_of(url))
    }

    pub fn group(&self, alias: &str) -> Option<&Group> {
        self.groups.get(&key_of(alias))
    }

    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
    }

    pub fn sites(&self) -> impl Iterator<Item = &Site> {
        self.sites.values()
    }

    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case_slashes_and_localhost() {
        let mut content = Content::default();
        content.put_site(Site {
            url: "http://127.0.0.1:9000/contoso/sites/Legal".to_string(),
            kind: SiteKind::Regular,
            files: vec!["a.docx".to_string()],
        });
        content.put_user(User {
            upn: "Alex@Contoso.onmicrosoft.com".to_string(),
            licensed: true,
            one_drive_url: None,
        });
        assert!(
            content
                .site("HTTP://localhost:9000/contoso/sites/legal/")
                .is_some()
        );
        assert!(content.user(" alex@contoso.onmicrosoft.com").is_some());
        assert!(content.group("sales").is_none());
        assert!(content.remove_site("http://127.0.0.1:9000/contoso/sites/legal"));
        assert!(!content.remove_site("http://127.0.0.1:9000/contoso/sites/legal"));
        assert!(content.remove_user("alex@contoso.onmicrosoft.com"));
        assert!(!content.remove_group("sales"));
    }
}
