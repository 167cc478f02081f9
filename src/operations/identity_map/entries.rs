//! The entries of a target tenant's identity map as the service returns them:
//! `GetTenantUserIdentityMappingItem` and `GetTenantGroupIdentityMappingItem` answer client
//! object lists of `SPOTenantUserIdentityMapping` and `SPOTenantGroupIdentityMapping` (their
//! properties are confirmed by the CSOM API dumps, docs/migration-wire.md). Each is read into
//! one shape here and handed to the module as JSON with the class's property names.

use super::rows::{Mapped, folded};
use crate::csom::response::guid_property;
use crate::csom::{TenantIdentityMappingGroupType, TenantIdentityMappingUserType};
use crate::error::{Error, ErrorKind};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// One user entry (`SPOTenantUserIdentityMapping`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserEntry {
    pub source_tenant_company_id: Uuid,
    pub source_user_key: String,
    pub target_user_puid: String,
    pub target_user_upn: String,
    pub target_user_email: String,
    pub user_type: TenantIdentityMappingUserType,
}

/// One group entry (`SPOTenantGroupIdentityMapping`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupEntry {
    pub source_tenant_company_id: Uuid,
    pub source_group_object_id: Uuid,
    pub target_group_object_id: Uuid,
    pub target_group_name: String,
    pub group_type: TenantIdentityMappingGroupType,
}

/// The entries one look-up found; serialized as a plain JSON array of entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Entries {
    Users(Vec<UserEntry>),
    Groups(Vec<GroupEntry>),
}

impl Entries {
    pub fn is_empty(&self) -> bool {
        match self {
            Entries::Users(users) => users.is_empty(),
            Entries::Groups(groups) => groups.is_empty(),
        }
    }

    /// Whether an entry maps what `mapped` maps: the same source key to the same target
    /// (compared as the rows' keys are, by [`folded`]).
    pub fn holds(&self, mapped: &Mapped) -> bool {
        match (self, mapped) {
            (Entries::Users(users), Mapped::User { source, target }) => users.iter().any(|u| {
                folded(&u.source_user_key) == folded(source)
                    && folded(&u.target_user_upn) == folded(target)
            }),
            (Entries::Groups(groups), Mapped::Group { source, target }) => groups.iter().any(|g| {
                g.source_group_object_id == *source && g.target_group_object_id == *target
            }),
            _ => false,
        }
    }

    /// The JSON handed to the module.
    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The user entries of a list's items.
pub fn read_users(items: &[Value]) -> Result<Vec<UserEntry>, Error> {
    items
        .iter()
        .map(|item| {
            Ok(UserEntry {
                source_tenant_company_id: guid(item, "SourceTenantCompanyId")?,
                // Older versions of the class named the source key SourceUserPuid.
                source_user_key: text(item, "SourceUserKey")
                    .filter(|key| !key.is_empty())
                    .or_else(|| text(item, "SourceUserPuid"))
                    .unwrap_or_default(),
                target_user_puid: text(item, "TargetUserPuid").unwrap_or_default(),
                target_user_upn: text(item, "TargetUserUpn").unwrap_or_default(),
                target_user_email: text(item, "TargetUserEmail").unwrap_or_default(),
                user_type: enumeration(
                    item,
                    "UserType",
                    TenantIdentityMappingUserType::from_wire,
                    TenantIdentityMappingUserType::from_name,
                )?,
            })
        })
        .collect()
}

/// The group entries of a list's items.
pub fn read_groups(items: &[Value]) -> Result<Vec<GroupEntry>, Error> {
    items
        .iter()
        .map(|item| {
            Ok(GroupEntry {
                source_tenant_company_id: guid(item, "SourceTenantCompanyId")?,
                source_group_object_id: guid(item, "SourceGroupObjectId")?,
                target_group_object_id: guid(item, "TargetGroupObjectId")?,
                target_group_name: text(item, "TargetGroupName").unwrap_or_default(),
                group_type: enumeration(
                    item,
                    "GroupType",
                    TenantIdentityMappingGroupType::from_wire,
                    TenantIdentityMappingGroupType::from_name,
                )?,
            })
        })
        .collect()
}

/// A text property; null reads as absent.
fn text(item: &Value, name: &str) -> Option<String> {
    item.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn guid(item: &Value, name: &str) -> Result<Uuid, Error> {
    item.get(name)
        .and_then(guid_property)
        .ok_or_else(|| malformed(name, "a GUID"))
}

/// An enum property: its number, as CSOM writes enums (or its name, tolerated).
fn enumeration<T>(
    item: &Value,
    name: &str,
    from_wire: fn(u32) -> Option<T>,
    from_name: fn(&str) -> Option<T>,
) -> Result<T, Error> {
    match item.get(name) {
        Some(Value::Number(number)) => number
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .and_then(from_wire),
        Some(Value::String(text)) => from_name(text),
        _ => None,
    }
    .ok_or_else(|| malformed(name, "a known enum value"))
}

fn malformed(name: &str, what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        "MalformedResponse",
        format!("The server's answer is not an identity map entry: {name} is not {what}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COMPANY: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const GROUP: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    #[test]
    fn user_entries_read_csom_forms_and_serialize_with_the_class_names() {
        let items = [
            json!({"_ObjectType_": "Microsoft.Online.SharePoint.TenantAdministration.SPOTenantUserIdentityMapping",
                "SourceTenantCompanyId": format!("/Guid({COMPANY})/"), "SourceUserKey": "alex@contoso.com",
                "TargetUserPuid": null, "TargetUserUpn": "alex@fabrikam.com", "TargetUserEmail": "alex@fabrikam.com", "UserType": 1}),
            json!({"SourceTenantCompanyId": COMPANY.to_uppercase(), "SourceUserPuid": "old@contoso.com",
                "TargetUserUpn": "old@fabrikam.com", "UserType": "GuestUser"}),
        ];
        let users = read_users(&items).unwrap();
        assert_eq!(
            users[0].user_type,
            TenantIdentityMappingUserType::RegularUser
        );
        assert_eq!(users[1].source_user_key, "old@contoso.com");
        assert_eq!(users[1].target_user_email, "");
        let json: Value = serde_json::from_str(&Entries::Users(users.clone()).to_json()).unwrap();
        assert_eq!(
            json[0],
            json!({"SourceTenantCompanyId": COMPANY, "SourceUserKey": "alex@contoso.com", "TargetUserPuid": "",
                "TargetUserUpn": "alex@fabrikam.com", "TargetUserEmail": "alex@fabrikam.com", "UserType": "RegularUser"})
        );
        let entries = Entries::Users(users);
        assert!(entries.holds(&Mapped::User {
            source: "ALEX@contoso.com".into(),
            target: "alex@FABRIKAM.com".into()
        }));
        assert!(!entries.holds(&Mapped::User {
            source: "alex@contoso.com".into(),
            target: "dana@fabrikam.com".into()
        }));
        let accented = Entries::Users(read_users(&[json!({"SourceTenantCompanyId": COMPANY,
            "SourceUserKey": "Élodie@contoso.com", "TargetUserUpn": "Ørjan@fabrikam.com", "UserType": 1})]).unwrap());
        assert!(
            accented.holds(&Mapped::User {
                source: "élodie@contoso.com".into(),
                target: "ØRJAN@fabrikam.com".into()
            }),
            "case is ignored beyond ASCII, as the rows' keys are compared"
        );
    }

    #[test]
    fn group_entries_need_their_ids_and_a_known_type() {
        let good = json!({"SourceTenantCompanyId": COMPANY, "SourceGroupObjectId": format!("/Guid({GROUP})/"),
            "TargetGroupObjectId": GROUP, "TargetGroupName": "Sales", "GroupType": 3});
        let groups = read_groups(std::slice::from_ref(&good)).unwrap();
        assert_eq!(
            groups[0].group_type,
            TenantIdentityMappingGroupType::O365Group
        );
        let id = Uuid::parse_str(GROUP).unwrap();
        assert!(Entries::Groups(groups).holds(&Mapped::Group {
            source: id,
            target: id
        }));
        for (key, bad) in [
            ("SourceGroupObjectId", json!("nope")),
            ("GroupType", json!(9)),
            ("GroupType", json!(null)),
            ("SourceTenantCompanyId", json!(null)),
        ] {
            let mut item = good.clone();
            item[key] = bad;
            let error = read_groups(&[item]).unwrap_err();
            assert_eq!(error.id(), "MalformedResponse");
            assert!(error.message().contains(key), "{}", error.message());
        }
        assert_eq!(Entries::Groups(vec![]).to_json(), "[]");
    }
}
