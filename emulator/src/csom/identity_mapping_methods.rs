//! The single-entry methods of the identity map (docs/migration-wire.md), against the same
//! per-tenant map that `AddOrUpdateTenantIdentityMap` fills:
//! `AddOrUpdateTenantSingle{User,Group}IdentityMappingItem` and
//! `RemoveTenant{User,Group}IdentityMappingItem` are void methods (a removal of what is not
//! there removes nothing and says nothing: the service's answer is not published), and
//! `GetTenant{User,Group}IdentityMappingItem` return client object lists, read with a `Query`.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::csom::arguments::Arguments;
use crate::csom::request::Parameter;
use crate::csom::tenant_methods::{CallContext, CallResult};
use crate::tenant::Directory;
use crate::tenant::identity_map::{GroupMapping, IdentityMap, UserMapping, upn_field};
use crate::wire::enums::{MappedGroupField, MappedGroupType, MappedUserField, MappedUserType};
use crate::wire::status_codes::{Failure, FailureKind};

/// The .NET types of the list items, as their `_ObjectType_`.
const USER_TYPE: &str =
    "Microsoft.Online.SharePoint.TenantAdministration.SPOTenantUserIdentityMapping";
const GROUP_TYPE: &str =
    "Microsoft.Online.SharePoint.TenantAdministration.SPOTenantGroupIdentityMapping";
/// The `_ObjectType_` of the list itself (our guess: the service's name is not published).
const LIST_TYPE: &str = "SP.ClientObjectList";

const GET_USER: &str = "GetTenantUserIdentityMappingItem";
const GET_GROUP: &str = "GetTenantGroupIdentityMappingItem";

/// `Some` when `method` is one of the void single-entry methods.
pub fn call(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Option<Result<CallResult, Failure>> {
    let result = match method {
        "AddOrUpdateTenantSingleUserIdentityMappingItem" => {
            add_user(method, parameters).map(|user| map_of(directory, context).put_user(user))
        }
        "AddOrUpdateTenantSingleGroupIdentityMappingItem" => {
            add_group(method, parameters).map(|group| map_of(directory, context).put_group(group))
        }
        "RemoveTenantUserIdentityMappingItem" => {
            user_lookup(method, parameters).map(|(field, value)| {
                map_of(directory, context).remove_users(field, &value);
            })
        }
        "RemoveTenantGroupIdentityMappingItem" => {
            group_lookup(method, parameters).map(|(field, value)| {
                map_of(directory, context).remove_groups(field, &value);
            })
        }
        _ => return None,
    };
    Some(result.map(|()| CallResult {
        value: None,
        changed: false,
        deferred: true,
    }))
}

/// Refuses an object path whose method does not return a client object list.
pub fn check_list_method(method: &str) -> Result<(), Failure> {
    match method {
        GET_USER | GET_GROUP => Ok(()),
        other => Err(Failure::invalid_query(format!(
            "The method {other} does not return a client object this emulator can query; call it with a <Method> action."
        ))),
    }
}

/// The value of a `Query` of a list method's object path.
pub fn list(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Result<Value, Failure> {
    check_list_method(method)?;
    let map = map_of(directory, context);
    let items: Vec<Value> = if method == GET_USER {
        let (field, value) = user_lookup(method, parameters)?;
        map.find_users(field, &value)
            .into_iter()
            .map(user_item)
            .collect()
    } else {
        let (field, value) = group_lookup(method, parameters)?;
        map.find_groups(field, &value)
            .into_iter()
            .map(group_item)
            .collect()
    };
    Ok(json!({ "_ObjectType_": LIST_TYPE, "_Child_Items_": items }))
}

fn map_of<'a>(directory: &'a mut Directory, context: CallContext) -> &'a mut IdentityMap {
    &mut directory
        .tenant_mut_checked(context.tenant)
        .expect("tenant resolved from the request path")
        .identity_map
}

fn add_user(method: &str, parameters: &[Parameter]) -> Result<UserMapping, Failure> {
    let arguments = Arguments::expect(method, parameters, 6)?;
    let source = checked_upn(&arguments, 1, "sourceUserKey")?;
    let target_user_puid = arguments.string(2)?.trim().to_string();
    let target_user_upn = checked_upn(&arguments, 3, "targetUserUpn")?;
    let target_user_email = checked_upn(&arguments, 4, "targetUserEmail")?;
    Ok(UserMapping {
        source_tenant_company_id: company(&arguments)?,
        source_user_upn: source,
        target_user_puid,
        target_user_upn,
        target_user_email,
        user_type: arguments.enumeration(
            5,
            "userType",
            MappedUserType::WIRE_NAME,
            MappedUserType::from_number,
        )?,
    })
}

fn add_group(method: &str, parameters: &[Parameter]) -> Result<GroupMapping, Failure> {
    let arguments = Arguments::expect(method, parameters, 5)?;
    let group_name = arguments.string(3)?.trim().to_string();
    if group_name.is_empty() {
        return Err(argument("The value cannot be empty.", "targetGroupName"));
    }
    Ok(GroupMapping {
        source_tenant_company_id: company(&arguments)?,
        source_group_object_id: object_id(&arguments, 1, "sourceGroupObjectId")?,
        target_group_object_id: object_id(&arguments, 2, "targetGroupObjectId")?,
        group_name,
        group_type: arguments.enumeration(
            4,
            "groupType",
            MappedGroupType::WIRE_NAME,
            MappedGroupType::from_number,
        )?,
    })
}

fn user_lookup(
    method: &str,
    parameters: &[Parameter],
) -> Result<(MappedUserField, String), Failure> {
    lookup(
        method,
        parameters,
        MappedUserField::WIRE_NAME,
        MappedUserField::from_number,
    )
}

fn group_lookup(
    method: &str,
    parameters: &[Parameter],
) -> Result<(MappedGroupField, String), Failure> {
    lookup(
        method,
        parameters,
        MappedGroupField::WIRE_NAME,
        MappedGroupField::from_number,
    )
}

/// The field (an enum number) and the value of a look-up or removal.
fn lookup<F>(
    method: &str,
    parameters: &[Parameter],
    type_name: &str,
    from_number: fn(i64) -> Option<F>,
) -> Result<(F, String), Failure> {
    let arguments = Arguments::expect(method, parameters, 2)?;
    let field = arguments.enumeration(0, "field", type_name, from_number)?;
    Ok((field, arguments.string(1)?))
}

fn company(arguments: &Arguments) -> Result<Uuid, Failure> {
    object_id(arguments, 0, "sourceTenantCompanyId")
}

/// A Guid parameter that must name something: the all-zero GUID is refused.
fn object_id(arguments: &Arguments, index: usize, name: &str) -> Result<Uuid, Failure> {
    let id = arguments.guid(index)?;
    if id.is_nil() {
        return Err(argument("The value cannot be an empty GUID.", name));
    }
    Ok(id)
}

fn checked_upn(arguments: &Arguments, index: usize, name: &str) -> Result<String, Failure> {
    let text = arguments.string(index)?.trim().to_string();
    upn_field(&text, name).map_err(|why| argument(&format!("{why}."), name))?;
    Ok(text)
}

fn argument(message: &str, name: &str) -> Failure {
    Failure::new(
        FailureKind::InvalidArgument,
        format!("{message}\r\nParameter name: {name}"),
    )
}

fn user_item(user: &UserMapping) -> Value {
    json!({
        "_ObjectType_": USER_TYPE,
        "SourceTenantCompanyId": guid_text(user.source_tenant_company_id),
        "SourceUserKey": user.source_user_upn,
        "TargetUserPuid": user.target_user_puid,
        "TargetUserUpn": user.target_user_upn,
        "TargetUserEmail": user.target_user_email,
        "UserType": user.user_type.number(),
    })
}

fn group_item(group: &GroupMapping) -> Value {
    json!({
        "_ObjectType_": GROUP_TYPE,
        "GroupType": group.group_type.number(),
        "SourceGroupObjectId": guid_text(group.source_group_object_id),
        "SourceTenantCompanyId": guid_text(group.source_tenant_company_id),
        "TargetGroupName": group.group_name,
        "TargetGroupObjectId": guid_text(group.target_group_object_id),
    })
}

/// A Guid property as CSOM's JSON writes it.
fn guid_text(id: Uuid) -> String {
    format!("/Guid({id})/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::directory::tests::two_tenants;
    use std::time::{Duration, SystemTime};

    const COMPANY: &str = "9c47d690-0000-4000-8000-000000000001";
    const GROUP: &str = "11111111-1111-4111-8111-111111111111";

    fn context() -> CallContext<'static> {
        CallContext {
            tenant: "fabrikam",
            now: SystemTime::now(),
            dormant_period: Duration::ZERO,
            move_step: Duration::ZERO,
            identity_map_uploads: Default::default(),
        }
    }

    fn parameter(type_name: &str, text: &str) -> Parameter {
        Parameter {
            type_name: type_name.to_string(),
            value: crate::csom::request::ParameterValue::Text(text.to_string()),
        }
    }

    fn lookup(field: i64, value: &str) -> Vec<Parameter> {
        vec![
            parameter("Enum", &field.to_string()),
            parameter("String", value),
        ]
    }

    fn add_alex(directory: &mut Directory, target: &str) -> Result<CallResult, Failure> {
        let parameters = vec![
            parameter("Guid", &format!("{{{COMPANY}}}")),
            parameter("String", "alex@contoso.onmicrosoft.com"),
            parameter("String", "1003BFFD8"),
            parameter("String", target),
            parameter("String", target),
            parameter("Enum", "1"),
        ];
        call(
            directory,
            context(),
            "AddOrUpdateTenantSingleUserIdentityMappingItem",
            &parameters,
        )
        .unwrap()
    }

    #[test]
    fn add_get_update_and_remove_a_user_entry() {
        let mut directory = two_tenants();
        let added = add_alex(&mut directory, "dana@fabrikam.onmicrosoft.com").unwrap();
        assert_eq!((added.value, added.deferred), (None, true));
        add_alex(&mut directory, "emil@fabrikam.onmicrosoft.com").unwrap();
        for (field, value) in [
            (0, "ALEX@contoso.onmicrosoft.com"),
            (1, "1003bffd8"),
            (2, "emil@fabrikam.onmicrosoft.com"),
            (3, "emil@fabrikam.onmicrosoft.com"),
        ] {
            let found = list(&mut directory, context(), GET_USER, &lookup(field, value)).unwrap();
            let items = found["_Child_Items_"].as_array().unwrap();
            assert_eq!(items.len(), 1, "{field} {value}");
            assert_eq!(
                items[0]["TargetUserUpn"], "emil@fabrikam.onmicrosoft.com",
                "updated, not added"
            );
            assert_eq!(
                items[0]["SourceTenantCompanyId"],
                format!("/Guid({COMPANY})/")
            );
            assert_eq!(items[0]["UserType"], 1);
        }
        call(
            &mut directory,
            context(),
            "RemoveTenantUserIdentityMappingItem",
            &lookup(0, "alex@contoso.onmicrosoft.com"),
        )
        .unwrap()
        .unwrap();
        let found = list(
            &mut directory,
            context(),
            GET_USER,
            &lookup(0, "alex@contoso.onmicrosoft.com"),
        )
        .unwrap();
        assert_eq!(
            found,
            json!({"_ObjectType_": LIST_TYPE, "_Child_Items_": []})
        );
        // Removing what is not there is not an error.
        assert!(
            call(
                &mut directory,
                context(),
                "RemoveTenantUserIdentityMappingItem",
                &lookup(0, "alex@contoso.onmicrosoft.com")
            )
            .unwrap()
            .is_ok()
        );
    }

    #[test]
    fn group_entries_and_refusals() {
        let mut directory = two_tenants();
        let add = |name: &str, kind: &str| {
            vec![
                parameter("Guid", COMPANY),
                parameter("Guid", GROUP),
                parameter("Guid", GROUP),
                parameter("String", name),
                parameter("Enum", kind),
            ]
        };
        call(
            &mut directory,
            context(),
            "AddOrUpdateTenantSingleGroupIdentityMappingItem",
            &add("Sales", "3"),
        )
        .unwrap()
        .unwrap();
        let found = list(&mut directory, context(), GET_GROUP, &lookup(2, "sales")).unwrap();
        assert_eq!(
            found["_Child_Items_"][0]["SourceGroupObjectId"],
            format!("/Guid({GROUP})/")
        );
        assert_eq!(found["_Child_Items_"][0]["GroupType"], 3);
        for (parameters, kind) in [
            (add(" ", "3"), FailureKind::InvalidArgument),
            (add("Sales", "7"), FailureKind::InvalidArgument),
            (add("Sales", "x"), FailureKind::InvalidClientQuery),
        ] {
            let failure = call(
                &mut directory,
                context(),
                "AddOrUpdateTenantSingleGroupIdentityMappingItem",
                &parameters,
            )
            .unwrap()
            .unwrap_err();
            assert_eq!(failure.kind, kind);
        }
        let failure = add_alex(&mut directory, "dana").unwrap_err();
        assert!(
            failure.message.contains("targetUserUpn"),
            "{}",
            failure.message
        );
        assert_eq!(
            list(&mut directory, context(), GET_USER, &lookup(9, "x"))
                .unwrap_err()
                .kind,
            FailureKind::InvalidArgument
        );
        assert_eq!(
            check_list_method("GetMySiteHostUrl").unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
        assert!(call(&mut directory, context(), "GetMySiteHostUrl", &[]).is_none());
    }
}
