//! `Add-`, `Get-` and `Remove-SPOTenantIdentityMapping{User,Group}`: one entry of the target
//! tenant's identity map at a time, through the Tenant methods of docs/migration-wire.md.
//!
//! Add's values pass the same checks as the rows of an uploaded map (`rows`), and so do the
//! values entries are looked up by; a refusal sends nothing. Add adds or updates (the method's
//! name says so). Get answers the entries that match. Remove reads the entries that match first
//! and sends the removal only when there are any, so removing what is not there is told apart
//! from removing something, whatever the service answers for it; its value is the entries it
//! removed (`[]`: none matched, nothing was sent after the look-up).

use super::entries::{self, Entries};
use super::rows::{self, Problems};
use crate::connection::Connection;
use crate::csom::request::METHOD_ACTION_ID;
use crate::csom::response::object_list_items;
use crate::csom::{
    EnumTable, MethodCall, Parameter, TenantIdentityMappingGroupField,
    TenantIdentityMappingUserField,
};
use crate::error::Error;
use crate::operations::{Outcome, run_method_call};
use crate::transport::Progress;

pub const ADD_USER: &str = "AddOrUpdateTenantSingleUserIdentityMappingItem";
pub const ADD_USER_PARAMETERS: &[&str] = &[
    "SourceTenantCompanyId",
    "SourceUserKey",
    "TargetUserPuid",
    "TargetUserUpn",
    "TargetUserEmail",
    "UserType",
];
pub const ADD_GROUP: &str = "AddOrUpdateTenantSingleGroupIdentityMappingItem";
pub const ADD_GROUP_PARAMETERS: &[&str] = &[
    "SourceTenantCompanyId",
    "SourceGroupObjectId",
    "TargetGroupObjectId",
    "TargetGroupName",
    "GroupType",
];
pub const GET_USER: &str = "GetTenantUserIdentityMappingItem";
pub const GET_GROUP: &str = "GetTenantGroupIdentityMappingItem";
pub const REMOVE_USER: &str = "RemoveTenantUserIdentityMappingItem";
pub const REMOVE_GROUP: &str = "RemoveTenantGroupIdentityMappingItem";
/// What Get and Remove take, for users and groups alike.
pub const LOOKUP_PARAMETERS: &[&str] = &["Field", "Value"];

/// A checked single-entry call, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryCall {
    /// Add or update one entry: a void method.
    Add(MethodCall),
    /// The entries that match.
    Find(Lookup),
    /// The entries that match, then their removal when there are any.
    Remove { lookup: Lookup, remove: MethodCall },
}

/// Which entries a look-up reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    User,
    Group,
}

/// A look-up of entries by one field: a method returning a client object list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    call: MethodCall,
    kind: EntryKind,
}

impl Lookup {
    /// The user entries whose `field` is `value` (a checked, canonical value).
    pub fn users(field: TenantIdentityMappingUserField, value: String) -> Self {
        Lookup::new(EntryKind::User, lookup_parameters(field.wire(), value))
    }

    /// The group entries whose `field` is `value` (a checked, canonical value).
    pub fn groups(field: TenantIdentityMappingGroupField, value: String) -> Self {
        Lookup::new(EntryKind::Group, lookup_parameters(field.wire(), value))
    }

    fn new(kind: EntryKind, parameters: Vec<Parameter>) -> Self {
        let method = match kind {
            EntryKind::User => GET_USER,
            EntryKind::Group => GET_GROUP,
        };
        Lookup {
            call: MethodCall::object_list(method, parameters),
            kind,
        }
    }

    /// Sends the look-up: the entries found and the answer's correlation id.
    pub async fn find(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<(Entries, Option<String>), Error> {
        let response = connection.process_query(&self.call, progress).await?;
        let read = || {
            let items = object_list_items(response.value_of(METHOD_ACTION_ID))?;
            match self.kind {
                EntryKind::User => entries::read_users(items).map(Entries::Users),
                EntryKind::Group => entries::read_groups(items).map(Entries::Groups),
            }
        };
        let entries = read().map_err(|e| e.with_correlation_id(response.correlation_id.clone()))?;
        Ok((entries, response.correlation_id))
    }
}

impl EntryCall {
    pub async fn run(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<Outcome, Error> {
        match self {
            EntryCall::Add(call) => run_void(call, connection, progress).await,
            EntryCall::Find(lookup) => {
                let (entries, correlation_id) = lookup.find(connection, progress).await?;
                Ok(Outcome {
                    value: entries.to_json(),
                    correlation_id,
                })
            }
            EntryCall::Remove { lookup, remove } => {
                let (entries, correlation_id) = lookup.find(connection, progress).await?;
                if entries.is_empty() {
                    return Ok(Outcome {
                        value: entries.to_json(),
                        correlation_id,
                    });
                }
                let removed = run_void(remove, connection, progress).await?;
                Ok(Outcome {
                    value: entries.to_json(),
                    correlation_id: removed.correlation_id,
                })
            }
        }
    }
}

async fn run_void(
    call: &MethodCall,
    connection: &Connection,
    progress: &Progress,
) -> Result<Outcome, Error> {
    run_method_call(call, |_| Ok(String::new()), connection, progress).await
}

/// `Add-SPOTenantIdentityMappingUser`: the arguments of [`ADD_USER_PARAMETERS`].
pub fn add_user(arguments: &[&str]) -> Result<EntryCall, Error> {
    let [company, source, puid, upn, email, user_type] = arguments else {
        unreachable!("the command table checked the argument count")
    };
    let user = rows::check_user(company, source, upn, email, user_type)
        .map_err(|problems| refused(&problems))?;
    Ok(EntryCall::Add(MethodCall::new(
        ADD_USER,
        vec![
            Parameter::Guid(user.company),
            Parameter::String(user.source),
            Parameter::String(puid.trim().to_owned()),
            Parameter::String(user.target_upn),
            Parameter::String(user.target_email),
            Parameter::Enum(user.user_type.wire()),
        ],
    )))
}

/// `Add-SPOTenantIdentityMappingGroup`: the arguments of [`ADD_GROUP_PARAMETERS`].
pub fn add_group(arguments: &[&str]) -> Result<EntryCall, Error> {
    let [company, source, target, name, group_type] = arguments else {
        unreachable!("the command table checked the argument count")
    };
    let group = rows::check_group(company, source, target, name, group_type)
        .map_err(|problems| refused(&problems))?;
    Ok(EntryCall::Add(MethodCall::new(
        ADD_GROUP,
        vec![
            Parameter::Guid(group.company),
            Parameter::Guid(group.source),
            Parameter::Guid(group.target),
            Parameter::String(group.name),
            Parameter::Enum(group.group_type.wire()),
        ],
    )))
}

/// `Get-SPOTenantIdentityMappingUser`.
pub fn get_user(arguments: &[&str]) -> Result<EntryCall, Error> {
    find(arguments, EntryKind::User)
}

/// `Get-SPOTenantIdentityMappingGroup`.
pub fn get_group(arguments: &[&str]) -> Result<EntryCall, Error> {
    find(arguments, EntryKind::Group)
}

/// `Remove-SPOTenantIdentityMappingUser`.
pub fn remove_user(arguments: &[&str]) -> Result<EntryCall, Error> {
    remove(arguments, EntryKind::User, REMOVE_USER)
}

/// `Remove-SPOTenantIdentityMappingGroup`.
pub fn remove_group(arguments: &[&str]) -> Result<EntryCall, Error> {
    remove(arguments, EntryKind::Group, REMOVE_GROUP)
}

fn find(arguments: &[&str], kind: EntryKind) -> Result<EntryCall, Error> {
    let parameters = checked_lookup(arguments, kind)?;
    Ok(EntryCall::Find(Lookup::new(kind, parameters)))
}

/// A removal reads the same field and value first.
fn remove(arguments: &[&str], kind: EntryKind, method: &'static str) -> Result<EntryCall, Error> {
    let parameters = checked_lookup(arguments, kind)?;
    Ok(EntryCall::Remove {
        lookup: Lookup::new(kind, parameters.clone()),
        remove: MethodCall::new(method, parameters),
    })
}

/// The field (by name) and value of a Get or Remove, checked by the field's rule, as the
/// methods' parameters.
fn checked_lookup(arguments: &[&str], kind: EntryKind) -> Result<Vec<Parameter>, Error> {
    let [field, value] = arguments else {
        unreachable!("the command table checked the argument count")
    };
    let (name, wire, value) = match kind {
        EntryKind::User => {
            let field = TenantIdentityMappingUserField::from_name(field.trim())
                .ok_or_else(|| field_refused(field, TenantIdentityMappingUserField::TABLE))?;
            let value = rows::check_user_lookup(field, value);
            (field.name(), field.wire(), value)
        }
        EntryKind::Group => {
            let field = TenantIdentityMappingGroupField::from_name(field.trim())
                .ok_or_else(|| field_refused(field, TenantIdentityMappingGroupField::TABLE))?;
            let value = rows::check_group_lookup(field, value);
            (field.name(), field.wire(), value)
        }
    };
    let value = value.map_err(|why| value_refused(name, &why))?;
    Ok(lookup_parameters(wire, value))
}

fn lookup_parameters(field: u32, value: String) -> Vec<Parameter> {
    vec![Parameter::Enum(field), Parameter::String(value)]
}

/// Every bad value of an Add, named by its parameter; the first one is the record's parameter.
fn refused(problems: &Problems) -> Error {
    let (first, _) = problems[0];
    let what: Vec<String> = problems
        .iter()
        .map(|(field, text)| format!("-{} {text}", field.parameter()))
        .collect();
    Error::invalid_argument(
        first.error_id(),
        first.parameter(),
        format!("{}. Nothing was sent.", what.join("; ")),
    )
}

fn field_refused(field: &str, fields: EnumTable) -> Error {
    let names: Vec<&str> = fields.values.iter().map(|(name, _)| *name).collect();
    Error::invalid_argument(
        "FieldOutOfRange",
        "Field",
        format!(
            "'{field}' is not a field of an identity map entry; use {}.",
            names.join(", ")
        ),
    )
}

fn value_refused(field: &str, why: &str) -> Error {
    Error::invalid_argument(
        "IdentityMappingValueInvalid",
        "Value",
        format!("-Value {why} (it is looked up as -Field {field}). Nothing was sent."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPANY: &str = "0F8FAD5B-D9CB-469F-A165-70867728950E";
    const GROUP: &str = "{7c9e6679-7425-40de-944b-e07fc1f90ae7}";

    fn method(call: EntryCall) -> MethodCall {
        match call {
            EntryCall::Add(call) => call,
            other => panic!("not an add: {other:?}"),
        }
    }

    #[test]
    fn add_sends_the_checked_values_typed_and_in_order() {
        let call = method(
            add_user(&[
                COMPANY,
                " alex@contoso.com ",
                "",
                "alex@fabrikam.com",
                "alex@fabrikam.com",
                "adminuser",
            ])
            .unwrap(),
        );
        assert_eq!(call.name, ADD_USER);
        assert_eq!(
            call.parameters,
            vec![
                Parameter::Guid(uuid::Uuid::parse_str(COMPANY).unwrap()),
                Parameter::String("alex@contoso.com".into()),
                Parameter::String(String::new()),
                Parameter::String("alex@fabrikam.com".into()),
                Parameter::String("alex@fabrikam.com".into()),
                Parameter::Enum(2),
            ]
        );
        let call = method(add_group(&[COMPANY, GROUP, GROUP, "Sales, EMEA", "O365Group"]).unwrap());
        assert_eq!(call.parameters[3], Parameter::String("Sales, EMEA".into()));
        assert_eq!(call.parameters[4], Parameter::Enum(3));
    }

    #[test]
    fn bad_add_values_are_refused_by_the_row_rules_naming_every_parameter() {
        let error = add_user(&["x", "alex", "", "a@b.com", "a@", "None"]).unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            (
                "SourceTenantCompanyIdInvalid",
                Some("SourceTenantCompanyId")
            )
        );
        let message = error.message();
        for fragment in [
            "-SourceTenantCompanyId 'x' is not a GUID",
            "-SourceUserKey 'alex' is not a user principal name",
            "-TargetUserEmail 'a@' is not an e-mail address",
            "-UserType 'None' is not a user type",
            "Nothing was sent.",
        ] {
            assert!(message.contains(fragment), "{message}");
        }
        let error = add_group(&[COMPANY, GROUP, "y", " ", "Team"]).unwrap_err();
        assert_eq!(error.parameter(), Some("TargetGroupObjectId"));
        assert!(error.message().contains("-TargetGroupName is empty"));
        assert!(error.message().contains("-GroupType 'Team'"));
    }

    #[test]
    fn look_ups_check_the_value_by_its_field() {
        let EntryCall::Find(lookup) = get_user(&["TargetUserPuid", " 1003BFFD8 "]).unwrap() else {
            panic!("a find")
        };
        assert_eq!(lookup.call.name, GET_USER);
        assert_eq!(
            lookup.call.parameters,
            lookup_parameters(1, "1003BFFD8".into())
        );
        let EntryCall::Remove { lookup, remove } =
            remove_group(&["SourceGroupObjectId", GROUP]).unwrap()
        else {
            panic!("a removal")
        };
        assert_eq!(remove.name, REMOVE_GROUP);
        assert_eq!(
            remove.parameters,
            lookup_parameters(0, "7c9e6679-7425-40de-944b-e07fc1f90ae7".into())
        );
        assert_eq!(lookup.call.parameters, remove.parameters);
        for (arguments, id, parameter) in [
            (
                ["SourceUserKey", "alex"],
                "IdentityMappingValueInvalid",
                "Value",
            ),
            (
                ["TargetUserEmail", ""],
                "IdentityMappingValueInvalid",
                "Value",
            ),
            (["Upn", "a@b.com"], "FieldOutOfRange", "Field"),
            (["0", "a@b.com"], "FieldOutOfRange", "Field"),
        ] {
            let error = get_user(&arguments).unwrap_err();
            assert_eq!((error.id(), error.parameter()), (id, Some(parameter)));
        }
        let error = remove_group(&["TargetGroupObjectId", "sales"]).unwrap_err();
        assert!(
            error.message().contains("-Value 'sales' is not a GUID"),
            "{}",
            error.message()
        );
        assert!(get_group(&["TargetGroupName", "Sales, EMEA"]).is_ok());
    }
}
