//! Content added by start options (`--user`, `--site`, `--group`) and by the control
//! endpoint `/_emulator/tenants/{tenant}/...`, written as one-line specs:
//!
//! - user: `UPN[,unlicensed][,no-onedrive][=PATH;PATH...]`; the tenant is the UPN's domain
//!   `<tenant>.onmicrosoft.com`; a OneDrive gets the files given (or two default ones);
//! - site: `TENANT:NAME[=PATH;PATH...]`, at `/<tenant>/sites/<name>`;
//! - group: `TENANT:ALIAS[=PATH;PATH...]`, with its group site `/<tenant>/sites/<alias>`
//!   and an object id derived from the tenant id and alias.

use std::str::FromStr;

use super::content::{Group, Site, SiteKind, User};
use super::default_content::derived_guid;
use super::directory::Directory;
use super::identity_map::is_upn_shaped;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentSpec {
    User {
        upn: String,
        licensed: bool,
        one_drive: bool,
        files: Option<Vec<String>>,
    },
    Site {
        tenant: String,
        name: String,
        files: Vec<String>,
    },
    Group {
        tenant: String,
        alias: String,
        files: Vec<String>,
    },
}

/// Which kind of spec a text is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecKind {
    User,
    Site,
    Group,
}

impl SpecKind {
    pub fn parse(self, text: &str) -> Result<ContentSpec, String> {
        let (head, files) = match text.trim().split_once('=') {
            Some((head, files)) => (head.trim(), Some(split_files(files))),
            None => (text.trim(), None),
        };
        match self {
            SpecKind::User => {
                let mut parts = head.split(',').map(str::trim);
                let upn = parts.next().unwrap_or("").to_string();
                if !is_upn_shaped(&upn) {
                    return Err(format!(
                        "'{text}' does not start with a UPN (name@tenant.onmicrosoft.com)"
                    ));
                }
                let (mut licensed, mut one_drive) = (true, true);
                for flag in parts {
                    match flag.to_ascii_lowercase().as_str() {
                        "unlicensed" => licensed = false,
                        "no-onedrive" => one_drive = false,
                        "licensed" | "onedrive" => {}
                        other => {
                            return Err(format!(
                                "'{other}' is not a user flag: use unlicensed or no-onedrive"
                            ));
                        }
                    }
                }
                Ok(ContentSpec::User {
                    upn,
                    licensed,
                    one_drive,
                    files,
                })
            }
            SpecKind::Site | SpecKind::Group => {
                let Some((tenant, name)) = head.split_once(':') else {
                    return Err(format!("'{text}' is not TENANT:NAME[=PATH;PATH...]"));
                };
                let (tenant, name) = (tenant.trim().to_ascii_lowercase(), name.trim().to_string());
                let valid_name = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if tenant.is_empty() || !valid_name {
                    return Err(format!(
                        "'{text}': name a tenant and a site or alias of letters, digits, - and _"
                    ));
                }
                let files = files.unwrap_or_default();
                Ok(if self == SpecKind::Site {
                    ContentSpec::Site {
                        tenant,
                        name,
                        files,
                    }
                } else {
                    ContentSpec::Group {
                        tenant,
                        alias: name,
                        files,
                    }
                })
            }
        }
    }
}

fn split_files(text: &str) -> Vec<String> {
    text.split(';')
        .map(|file| file.trim().trim_start_matches('/').to_string())
        .filter(|file| !file.is_empty())
        .collect()
}

/// `--user` values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSpec(pub ContentSpec);
/// `--site` values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteSpec(pub ContentSpec);
/// `--group` values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSpec(pub ContentSpec);

impl FromStr for UserSpec {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        SpecKind::User.parse(text).map(UserSpec)
    }
}

impl FromStr for SiteSpec {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        SpecKind::Site.parse(text).map(SiteSpec)
    }
}

impl FromStr for GroupSpec {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        SpecKind::Group.parse(text).map(GroupSpec)
    }
}

impl ContentSpec {
    /// The tenant it goes to: named, or the UPN's `<tenant>.onmicrosoft.com` domain.
    pub fn tenant(&self) -> String {
        match self {
            ContentSpec::User { upn, .. } => {
                let domain = upn.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
                domain
                    .strip_suffix(".onmicrosoft.com")
                    .unwrap_or(&domain)
                    .to_string()
            }
            ContentSpec::Site { tenant, .. } | ContentSpec::Group { tenant, .. } => tenant.clone(),
        }
    }
}

impl Directory {
    /// Adds (or replaces) what the spec describes; `Err` when it names no tenant here.
    pub fn apply_content(&mut self, spec: &ContentSpec) -> Result<(), String> {
        let tenant_name = spec.tenant();
        let layout = self.layout().clone();
        let Some(tenant) = self.tenant_mut_checked(&tenant_name) else {
            return Err(format!(
                "there is no tenant '{tenant_name}' (users need a <tenant>.onmicrosoft.com UPN)"
            ));
        };
        let content = &mut tenant.content;
        match spec {
            ContentSpec::User {
                upn,
                licensed,
                one_drive,
                files,
            } => {
                let one_drive_url = one_drive.then(|| layout.one_drive_url(&tenant_name, upn));
                if let Some(url) = &one_drive_url {
                    let files = files.clone().unwrap_or_else(|| {
                        vec![
                            "Documents/Notes.docx".to_string(),
                            "Documents/Projects/Plan.xlsx".to_string(),
                        ]
                    });
                    content.put_site(Site {
                        url: url.clone(),
                        kind: SiteKind::OneDrive,
                        files,
                    });
                }
                content.put_user(User {
                    upn: upn.clone(),
                    licensed: *licensed,
                    one_drive_url,
                });
            }
            ContentSpec::Site { name, files, .. } => {
                content.put_site(Site {
                    url: layout.site_url(&tenant_name, name),
                    kind: SiteKind::Regular,
                    files: files.clone(),
                });
            }
            ContentSpec::Group { alias, files, .. } => {
                let site_url = layout.site_url(&tenant_name, alias);
                content.put_site(Site {
                    url: site_url.clone(),
                    kind: SiteKind::GroupSite,
                    files: files.clone(),
                });
                let object_id = derived_guid(tenant.id, alias);
                tenant.content.put_group(Group {
                    alias: alias.clone(),
                    object_id,
                    site_url,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::directory::tests::two_tenants;

    #[test]
    fn specs_parse_and_apply() {
        let mut directory = two_tenants();
        let user: UserSpec = "gus@Fabrikam.onmicrosoft.com,unlicensed,no-onedrive"
            .parse()
            .unwrap();
        directory.apply_content(&user.0).unwrap();
        let gus = directory
            .tenant("fabrikam")
            .unwrap()
            .content
            .user("gus@fabrikam.onmicrosoft.com")
            .unwrap();
        assert!(!gus.licensed && gus.one_drive_url.is_none());
        let site: SiteSpec = "contoso:legal=Docs/a.docx; Docs/b.docx".parse().unwrap();
        directory.apply_content(&site.0).unwrap();
        let url = directory.layout().site_url("contoso", "legal");
        assert_eq!(
            directory
                .tenant("contoso")
                .unwrap()
                .content
                .site(&url)
                .unwrap()
                .files
                .len(),
            2
        );
        let group: GroupSpec = "contoso:team-x".parse().unwrap();
        directory.apply_content(&group.0).unwrap();
        assert!(
            directory
                .tenant("contoso")
                .unwrap()
                .content
                .group("TEAM-X")
                .is_some()
        );
        let stranger: UserSpec = "a@northwind.com".parse().unwrap();
        assert!(directory.apply_content(&stranger.0).is_err());
        for bad in ["nobody", "a@b.c,weird"] {
            assert!(bad.parse::<UserSpec>().is_err(), "{bad}");
        }
        assert!("contoso".parse::<SiteSpec>().is_err());
        assert!("contoso:has space".parse::<GroupSpec>().is_err());
    }
}
