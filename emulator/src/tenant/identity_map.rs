//! A target tenant's identity map: which source user or group becomes which target user or
//! group. Filled by `AddOrUpdateTenantIdentityMap` (a whole map) and by the single-entry
//! methods, read and emptied entry by entry.
//!
//! An item is one CSV row, its six fields joined with commas (see docs/migration-wire.md):
//! `User,<SourceTenantCompanyID>,<SourceUserUpn>,<TargetUserUpn>,<TargetUserEmail>,<UserType>`
//! or `Group,<SourceTenantCompanyID>,<SourceGroupObjectID>,<TargetGroupObjectID>,<GroupName>,<GroupType>`.
//! An upload either replaces the map with its items (what Microsoft's guide says an upload
//! does, the default) or merges them by source key (the source UPN, or the source group's
//! object id): add or update ([`Uploads`]). A bad item is rejected as `<index>: <reason>` and
//! the others are still taken.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::content::key_of;
use super::serde_forms::guid;
use crate::wire::enums::{MappedGroupField, MappedGroupType, MappedUserField, MappedUserType};

/// What an `AddOrUpdateTenantIdentityMap` request does to the map already there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Uploads {
    /// Each request replaces the whole map with its items (Microsoft's guide).
    #[default]
    Replace,
    /// Each request adds its items and updates those already there (the emulator's old way).
    Merge,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserMapping {
    #[serde(with = "guid")]
    pub source_tenant_company_id: Uuid,
    pub source_user_upn: String,
    /// Set by `AddOrUpdateTenantSingleUserIdentityMappingItem`; uploads leave it empty.
    #[serde(default)]
    pub target_user_puid: String,
    pub target_user_upn: String,
    pub target_user_email: String,
    pub user_type: MappedUserType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMapping {
    #[serde(with = "guid")]
    pub source_tenant_company_id: Uuid,
    #[serde(with = "guid")]
    pub source_group_object_id: Uuid,
    #[serde(with = "guid")]
    pub target_group_object_id: Uuid,
    pub group_name: String,
    pub group_type: MappedGroupType,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapItem {
    User(UserMapping),
    Group(GroupMapping),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityMap {
    /// By normalized source UPN.
    users: BTreeMap<String, UserMapping>,
    /// By source group object id.
    groups: BTreeMap<String, GroupMapping>,
}

impl IdentityMap {
    /// Takes an uploaded map as `uploads` says; answers the rejections and how many were taken.
    pub fn upload(&mut self, items: &[String], uploads: Uploads) -> (Vec<String>, usize) {
        if uploads == Uploads::Replace {
            self.clear();
        }
        self.merge(items)
    }

    /// Merges the items; answers the rejections (`<index>: <reason>`) and how many were taken.
    pub fn merge(&mut self, items: &[String]) -> (Vec<String>, usize) {
        let mut rejections = Vec::new();
        let mut taken = 0;
        for (index, item) in items.iter().enumerate() {
            match parse_item(item) {
                Ok(MapItem::User(user)) => {
                    self.users.insert(key_of(&user.source_user_upn), user);
                    taken += 1;
                }
                Ok(MapItem::Group(group)) => {
                    self.groups
                        .insert(group.source_group_object_id.to_string(), group);
                    taken += 1;
                }
                Err(reason) => rejections.push(format!("{index}: {reason}")),
            }
        }
        (rejections, taken)
    }

    pub fn user(&self, source_upn: &str) -> Option<&UserMapping> {
        self.users.get(&key_of(source_upn))
    }

    pub fn group(&self, source_object_id: Uuid) -> Option<&GroupMapping> {
        self.groups.get(&source_object_id.to_string())
    }

    pub fn users(&self) -> impl Iterator<Item = &UserMapping> {
        self.users.values()
    }

    pub fn groups(&self) -> impl Iterator<Item = &GroupMapping> {
        self.groups.values()
    }

    pub fn clear(&mut self) {
        self.users.clear();
        self.groups.clear();
    }

    /// Adds a user entry, or updates the one with the same source key.
    pub fn put_user(&mut self, user: UserMapping) {
        self.users.insert(key_of(&user.source_user_upn), user);
    }

    /// Adds a group entry, or updates the one with the same source object id.
    pub fn put_group(&mut self, group: GroupMapping) {
        self.groups
            .insert(group.source_group_object_id.to_string(), group);
    }

    /// The user entries whose `field` is `value` (text compared as the keys are, by [`key_of`]:
    /// ignoring case, in any script).
    pub fn find_users(&self, field: MappedUserField, value: &str) -> Vec<&UserMapping> {
        let value = key_of(value);
        if field == MappedUserField::SourceUserKey {
            return self.users.get(&value).into_iter().collect();
        }
        self.users
            .values()
            .filter(|user| key_of(user_field(user, field)) == value)
            .collect()
    }

    /// The group entries whose `field` is `value` (ids compared as GUIDs, names by [`key_of`]).
    pub fn find_groups(&self, field: MappedGroupField, value: &str) -> Vec<&GroupMapping> {
        self.groups
            .values()
            .filter(|group| group_matches(group, field, value))
            .collect()
    }

    /// Removes the user entries whose `field` is `value`; how many there were.
    pub fn remove_users(&mut self, field: MappedUserField, value: &str) -> usize {
        let before = self.users.len();
        let value = key_of(value);
        self.users
            .retain(|_, user| key_of(user_field(user, field)) != value);
        before - self.users.len()
    }

    /// Removes the group entries whose `field` is `value`; how many there were.
    pub fn remove_groups(&mut self, field: MappedGroupField, value: &str) -> usize {
        let before = self.groups.len();
        self.groups
            .retain(|_, group| !group_matches(group, field, value));
        before - self.groups.len()
    }
}

fn user_field(user: &UserMapping, field: MappedUserField) -> &str {
    match field {
        MappedUserField::SourceUserKey => &user.source_user_upn,
        MappedUserField::TargetUserPuid => &user.target_user_puid,
        MappedUserField::TargetUserUpn => &user.target_user_upn,
        MappedUserField::TargetUserEmail => &user.target_user_email,
    }
}

fn group_matches(group: &GroupMapping, field: MappedGroupField, value: &str) -> bool {
    let value = value.trim();
    let id = || Uuid::parse_str(value).ok();
    match field {
        MappedGroupField::SourceGroupObjectId => id() == Some(group.source_group_object_id),
        MappedGroupField::TargetGroupObjectId => id() == Some(group.target_group_object_id),
        MappedGroupField::TargetGroupName => key_of(&group.group_name) == key_of(value),
    }
}

/// Reads and checks one item; `Err` is the reason in plain words.
pub fn parse_item(item: &str) -> Result<MapItem, String> {
    let fields: Vec<&str> = item.split(',').map(unquote).collect();
    if fields.len() != 6 {
        return Err(format!(
            "expected 6 comma-separated fields (User or Group, SourceTenantCompanyID, then four more), found {}",
            fields.len()
        ));
    }
    let company_id = guid_field(fields[1], "SourceTenantCompanyID")?;
    match fields[0] {
        kind if kind.eq_ignore_ascii_case("User") => {
            upn_field(fields[2], "SourceUserUpn")?;
            upn_field(fields[3], "TargetUserUpn")?;
            upn_field(fields[4], "TargetUserEmail")?;
            let user_type = MappedUserType::from_name(fields[5]).ok_or_else(|| {
                format!(
                    "UserType '{}' is not one of None, RegularUser, AdminUser, GuestUser",
                    fields[5]
                )
            })?;
            Ok(MapItem::User(UserMapping {
                source_tenant_company_id: company_id,
                source_user_upn: fields[2].to_string(),
                target_user_puid: String::new(),
                target_user_upn: fields[3].to_string(),
                target_user_email: fields[4].to_string(),
                user_type,
            }))
        }
        kind if kind.eq_ignore_ascii_case("Group") => {
            let source = guid_field(fields[2], "SourceGroupObjectID")?;
            let target = guid_field(fields[3], "TargetGroupObjectID")?;
            if fields[4].is_empty() {
                return Err("GroupName is empty (use the TargetGroupObjectID)".to_string());
            }
            let group_type = MappedGroupType::from_name(fields[5]).ok_or_else(|| {
                format!(
                    "GroupType '{}' is not one of None, RegularGroup, AdminGroup, O365Group",
                    fields[5]
                )
            })?;
            Ok(MapItem::Group(GroupMapping {
                source_tenant_company_id: company_id,
                source_group_object_id: source,
                target_group_object_id: target,
                group_name: fields[4].to_string(),
                group_type,
            }))
        }
        other => Err(format!(
            "the first field must be User or Group, not '{other}'"
        )),
    }
}

/// Fields arrive trimmed and unquoted; we tolerate stray spaces and quotes anyway.
fn unquote(field: &str) -> &str {
    let field = field.trim();
    field
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(field)
        .trim()
}

fn guid_field(text: &str, name: &str) -> Result<Uuid, String> {
    Uuid::parse_str(text).map_err(|_| format!("{name} '{text}' is not a GUID"))
}

/// A UPN or an e-mail address: `name@domain.tld`, no spaces, one `@`.
pub fn is_upn_shaped(text: &str) -> bool {
    let Some((name, domain)) = text.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

pub fn upn_field(text: &str, name: &str) -> Result<(), String> {
    if is_upn_shaped(text) {
        Ok(())
    } else {
        Err(format!(
            "{name} '{text}' is not shaped like name@domain.com"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPANY: &str = "9c47d690-0000-4000-8000-000000000001";

    fn user_item(source: &str, target: &str) -> String {
        format!("User,{COMPANY},{source},{target},{target},RegularUser")
    }

    #[test]
    fn merges_by_source_key_and_reports_each_bad_item() {
        let mut map = IdentityMap::default();
        let group = format!(
            "Group,{COMPANY},11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222,22222222-2222-4222-8222-222222222222,O365Group"
        );
        let items = vec![
            user_item(
                "alex@contoso.onmicrosoft.com",
                "alex@fabrikam.onmicrosoft.com",
            ),
            group,
            "User,too,few".to_string(),
            format!("Person,{COMPANY},a@b.c,a@b.c,a@b.c,RegularUser"),
            "User,not-a-guid,a@b.c,a@b.c,a@b.c,RegularUser".to_string(),
            format!("User,{COMPANY},alex,a@b.c,a@b.c,RegularUser"),
            format!("User,{COMPANY},a@b.c,a@b.c,a@b.c,Robot"),
            format!("Group,{COMPANY},x,22222222-2222-4222-8222-222222222222,n,O365Group"),
            format!(
                "Group,{COMPANY},11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222,,O365Group"
            ),
            format!(
                "Group,{COMPANY},11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222,n,Team"
            ),
        ];
        let (rejections, taken) = map.merge(&items);
        assert_eq!(taken, 2);
        let indexes: Vec<&str> = rejections
            .iter()
            .map(|r| r.split(':').next().unwrap())
            .collect();
        assert_eq!(indexes, vec!["2", "3", "4", "5", "6", "7", "8", "9"]);
        assert!(rejections[0].contains("found 3"));
        assert!(rejections[3].contains("SourceUserUpn 'alex'"));

        let (again, _) = map.merge(&[user_item(
            "ALEX@contoso.onmicrosoft.com",
            "alex.new@fabrikam.onmicrosoft.com",
        )]);
        assert!(again.is_empty());
        assert_eq!(map.users().count(), 1, "updated, not added");
        assert_eq!(
            map.user("alex@contoso.onmicrosoft.com")
                .unwrap()
                .target_user_upn,
            "alex.new@fabrikam.onmicrosoft.com"
        );
        let id = Uuid::parse_str("11111111-1111-4111-8111-111111111111").unwrap();
        assert_eq!(
            map.group(id).unwrap().group_type,
            MappedGroupType::O365Group
        );
    }

    #[test]
    fn an_upload_replaces_the_map_unless_uploads_merge() {
        let mut map = IdentityMap::default();
        let first: Vec<String> = (0..3)
            .map(|n| user_item(&format!("u{n}@contoso.com"), "t@fabrikam.com"))
            .collect();
        map.upload(&first, Uploads::Replace);
        map.upload(
            &[user_item("late@contoso.com", "t@fabrikam.com")],
            Uploads::Replace,
        );
        assert_eq!(map.users().count(), 1, "replaced");
        map.upload(&first, Uploads::Merge);
        assert_eq!(map.users().count(), 4, "merged");
        assert_eq!(Uploads::default(), Uploads::Replace);
    }

    #[test]
    fn entries_are_found_and_removed_by_any_field() {
        let mut map = IdentityMap::default();
        map.merge(&[
            user_item("alex@contoso.com", "dana@fabrikam.com"),
            user_item("bo@contoso.com", "dana@fabrikam.com"),
            format!("Group,{COMPANY},11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222,Sales,O365Group"),
        ]);
        let mut puid = map.user("alex@contoso.com").unwrap().clone();
        puid.target_user_puid = "1003BFFD8".into();
        map.put_user(puid);
        assert_eq!(
            map.find_users(MappedUserField::TargetUserUpn, "DANA@fabrikam.com")
                .len(),
            2
        );
        assert_eq!(
            map.find_users(MappedUserField::TargetUserPuid, "1003bffd8")
                .len(),
            1
        );
        assert_eq!(
            map.find_users(MappedUserField::SourceUserKey, "nobody@contoso.com")
                .len(),
            0
        );
        assert_eq!(
            map.find_groups(
                MappedGroupField::TargetGroupObjectId,
                "{22222222-2222-4222-8222-222222222222}"
            )
            .len(),
            1
        );
        assert_eq!(
            map.find_groups(MappedGroupField::SourceGroupObjectId, "sales")
                .len(),
            0
        );
        assert_eq!(
            map.find_groups(MappedGroupField::TargetGroupName, "sales")
                .len(),
            1
        );
        assert_eq!(
            map.remove_users(MappedUserField::TargetUserEmail, "dana@fabrikam.com"),
            2
        );
        assert_eq!(
            map.remove_groups(MappedGroupField::TargetGroupName, "Sales"),
            1
        );
        assert_eq!(
            map.remove_users(MappedUserField::SourceUserKey, "alex@contoso.com"),
            0
        );
        assert_eq!((map.users().count(), map.groups().count()), (0, 0));
    }

    #[test]
    fn keys_look_ups_and_removals_ignore_case_in_any_script() {
        let mut map = IdentityMap::default();
        map.merge(&[
            user_item("Élodie@contoso.com", "Ørjan@fabrikam.com"),
            format!("Group,{COMPANY},11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222,Ventes Été,O365Group"),
        ]);
        for (field, value) in [
            (MappedUserField::SourceUserKey, "élodie@contoso.com"),
            (MappedUserField::SourceUserKey, "ÉLODIE@CONTOSO.COM"),
            (MappedUserField::TargetUserUpn, "ørjan@fabrikam.com"),
            (MappedUserField::TargetUserEmail, "ØRJAN@fabrikam.com"),
        ] {
            assert_eq!(map.find_users(field, value).len(), 1, "{field:?} {value}");
        }
        assert_eq!(
            map.find_groups(MappedGroupField::TargetGroupName, "ventes été")
                .len(),
            1
        );
        map.merge(&[user_item("élodie@contoso.com", "new@fabrikam.com")]);
        assert_eq!(map.users().count(), 1, "the same key, updated");
        assert!(map.user("ÉLODIE@contoso.com").is_some());
        assert_eq!(
            map.remove_users(MappedUserField::TargetUserUpn, "NEW@FABRIKAM.COM"),
            1
        );
        assert_eq!(
            map.remove_groups(MappedGroupField::TargetGroupName, "VENTES ÉTÉ"),
            1
        );
    }

    #[test]
    fn tolerates_spaces_quotes_and_case() {
        let item = format!(" user , \"{COMPANY}\" , a@b.com,c@d.com , c@d.com, regularuser");
        assert!(matches!(parse_item(&item), Ok(MapItem::User(_))));
        assert!(!is_upn_shaped("a b@c.d"));
        assert!(!is_upn_shaped("a@b"));
        assert!(!is_upn_shaped("@b.c"));
        assert!(is_upn_shaped("first.last@sub.contoso.com"));
    }
}
