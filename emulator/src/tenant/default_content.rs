//! The population every tenant starts with, derived from its name (and id, for group object
//! ids), so tests and demos have users, sites and groups without any setup:
//!
//! - users `alex`, `bianca`, `chen` (licensed, with a OneDrive), `dana`, `emil` (licensed, no
//!   OneDrive: good move targets), `farah` (not licensed, with a OneDrive), all
//!   `@<tenant>.onmicrosoft.com`;
//! - sites `marketing` (short paths), `finance` and `projects` (deep paths: full file URLs of
//!   exactly 390, 395 and 400 characters, so a rename that adds a few characters makes some
//!   exceed 400);
//! - groups `sales` and `hr`, each with its group site `/sites/<alias>`.

use uuid::Uuid;

use super::content::{Content, Group, Site, SiteKind, User};
use super::site_layout::SiteLayout;

/// (name, licensed, has a OneDrive)
const USERS: &[(&str, bool, bool)] = &[
    ("alex", true, true),
    ("bianca", true, true),
    ("chen", true, true),
    ("dana", true, false),
    ("emil", true, false),
    ("farah", false, true),
];

const ONE_DRIVE_FILES: &[&str] = &["Documents/Notes.docx", "Documents/Projects/Plan.xlsx"];

/// Full URL lengths of the deep files: under the 400 limit by 10, by 5, and exactly at it.
pub const DEEP_FILE_URL_LENGTHS: &[usize] = &[390, 395, 400];

pub fn default_content(layout: &SiteLayout, tenant: &str, tenant_id: Uuid) -> Content {
    let mut content = Content::default();
    let domain = format!("{tenant}.onmicrosoft.com");
    for (name, licensed, has_one_drive) in USERS {
        let upn = format!("{name}@{domain}");
        let one_drive_url = has_one_drive.then(|| layout.one_drive_url(tenant, &upn));
        if let Some(url) = &one_drive_url {
            content.put_site(Site {
                url: url.clone(),
                kind: SiteKind::OneDrive,
                files: ONE_DRIVE_FILES.iter().map(|f| f.to_string()).collect(),
            });
        }
        content.put_user(User {
            upn,
            licensed: *licensed,
            one_drive_url,
        });
    }
    let marketing = layout.site_url(tenant, "marketing");
    content.put_site(Site {
        url: marketing,
        kind: SiteKind::Regular,
        files: vec![
            "Shared Documents/Brand/Logo.png".to_string(),
            "Shared Documents/Campaigns/2026/Launch plan.docx".to_string(),
            "Shared Documents/Campaigns/2026/Budget.xlsx".to_string(),
        ],
    });
    for name in ["finance", "projects"] {
        let url = layout.site_url(tenant, name);
        let mut files = vec!["Shared Documents/Readme.docx".to_string()];
        for (index, length) in DEEP_FILE_URL_LENGTHS.iter().enumerate() {
            files.push(deep_path(
                &url,
                *length,
                &format!("Report {}.docx", index + 1),
            ));
        }
        content.put_site(Site {
            url,
            kind: SiteKind::Regular,
            files,
        });
    }
    for alias in ["sales", "hr"] {
        let site_url = layout.site_url(tenant, alias);
        content.put_site(Site {
            url: site_url.clone(),
            kind: SiteKind::GroupSite,
            files: vec!["Shared Documents/General/Welcome.docx".to_string()],
        });
        content.put_group(Group {
            alias: alias.to_string(),
            object_id: derived_guid(tenant_id, alias),
            site_url,
        });
    }
    content
}

/// A file path below `site_url` whose full URL (`site_url/path`) has exactly `length`
/// characters: nested folders of an archive, the last one padded to fit.
pub fn deep_path(site_url: &str, length: usize, file_name: &str) -> String {
    const FOLDERS: &[&str] = &[
        "Shared Documents",
        "Archive",
        "Programme Management Office",
        "Integration Workstreams 2026",
        "Finance and Controlling",
        "Quarterly Reporting Packages",
        "Supporting Evidence and Reconciliations",
        "Working Papers",
        "Drafts for Review",
        "Version History Exports",
        "Regional Submissions",
    ];
    let budget = length.saturating_sub(site_url.chars().count() + 1);
    let mut path = String::new();
    for folder in FOLDERS.iter().cycle().take(40) {
        // Leave room for this folder, a padding folder ("x/") and the file name.
        if path.len() + folder.len() + 1 + 2 + file_name.len() > budget {
            break;
        }
        path.push_str(folder);
        path.push('/');
    }
    let padding = budget
        .saturating_sub(path.len() + file_name.len() + 1)
        .max(1);
    path.push_str(&"x".repeat(padding));
    path.push('/');
    path.push_str(file_name);
    path
}

/// A stable GUID for something named `name` in the tenant `tenant_id` (a hash, not random,
/// so group object ids stay the same across restarts with `--state`).
pub fn derived_guid(tenant_id: Uuid, name: &str) -> Uuid {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("{tenant_id}/{name}").as_bytes(),
    );
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tenant_gets_users_sites_and_groups() {
        let layout = SiteLayout::new("http://127.0.0.1:41234");
        let id = Uuid::new_v4();
        let content = default_content(&layout, "contoso", id);
        assert_eq!(content.users().count(), 6);
        let alex = content.user("alex@contoso.onmicrosoft.com").unwrap();
        assert!(alex.licensed);
        assert!(content.site(alex.one_drive_url.as_ref().unwrap()).is_some());
        assert!(
            !content
                .user("farah@contoso.onmicrosoft.com")
                .unwrap()
                .licensed
        );
        assert!(
            content
                .user("dana@contoso.onmicrosoft.com")
                .unwrap()
                .one_drive_url
                .is_none()
        );
        let sales = content.group("sales").unwrap();
        assert_eq!(sales.object_id, derived_guid(id, "sales"));
        assert!(content.site(&sales.site_url).is_some());
        assert_eq!(
            default_content(&layout, "contoso", id),
            content,
            "deterministic"
        );
    }

    #[test]
    fn deep_files_have_the_planned_url_lengths() {
        for base in ["http://127.0.0.1:1", "https://127.0.0.1:65535"] {
            let layout = SiteLayout::new(base);
            let content = default_content(&layout, "averyveryverylongtenantname", Uuid::nil());
            let site = content
                .site(&layout.site_url("averyveryverylongtenantname", "projects"))
                .unwrap();
            let lengths: Vec<usize> = site.files[1..]
                .iter()
                .map(|file| format!("{}/{file}", site.url).chars().count())
                .collect();
            assert_eq!(lengths, DEEP_FILE_URL_LENGTHS);
        }
    }
}
