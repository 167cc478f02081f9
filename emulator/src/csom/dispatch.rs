//! Running a parsed ProcessQuery request against the tenants, action by action.
//!
//! Actions run in order; the first failure stops the request and the answer carries only
//! that failure. Effects of the actions before it stay (the service has no rollback either).

use crate::csom::identity_mapping_methods;
use crate::csom::request::{Action, ClientRequest, ObjectPathDefinition};
use crate::csom::response::{ActionResult, SCHEMA_VERSION};
use crate::csom::tenant_methods::{self, CallContext};
use crate::tenant::Directory;
use crate::wire::status_codes::{Failure, FailureKind};

/// The type id of `Microsoft.Online.SharePoint.TenantAdministration.Tenant` (public).
pub const TENANT_TYPE_ID: &str = "{268004ae-ef6b-4e9b-8425-127220d84719}";

#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub answer: Result<Vec<ActionResult>, Failure>,
    /// Whether any action changed relations (even if a later one failed).
    pub changed: bool,
    /// Whether identity maps or moves changed (saved soon, coalesced).
    pub deferred: bool,
}

pub fn process(
    directory: &mut Directory,
    context: CallContext,
    request: &ClientRequest,
) -> Outcome {
    let mut changed = false;
    // Moves that finished since the last request take effect first (their targets appear).
    let mut deferred = directory.settle_moves(context.now);
    let answer = run_actions(directory, context, request, &mut changed, &mut deferred);
    Outcome {
        answer,
        changed,
        deferred,
    }
}

fn run_actions(
    directory: &mut Directory,
    context: CallContext,
    request: &ClientRequest,
    changed: &mut bool,
    deferred: &mut bool,
) -> Result<Vec<ActionResult>, Failure> {
    check_schema_version(request.schema_version.as_deref())?;
    let mut results = Vec::new();
    for action in &request.actions {
        match action {
            Action::ObjectPath { id, object_path_id } => {
                match request.object_path(*object_path_id) {
                    Some(ObjectPathDefinition::Method {
                        parent_id, name, ..
                    }) => {
                        resolve_tenant_path(request, *parent_id)?;
                        identity_mapping_methods::check_list_method(name)?;
                    }
                    _ => resolve_tenant_path(request, *object_path_id)?,
                }
                results.push(ActionResult::object_present(*id));
            }
            Action::Query { id, object_path_id } => {
                let Some(ObjectPathDefinition::Method {
                    parent_id,
                    name,
                    parameters,
                }) = request.object_path(*object_path_id)
                else {
                    resolve_tenant_path(request, *object_path_id)?;
                    return Err(Failure::invalid_query(
                        "Querying the Tenant object's own properties is not supported by this emulator.",
                    ));
                };
                resolve_tenant_path(request, *parent_id)?;
                let value = identity_mapping_methods::list(directory, context, name, parameters)?;
                results.push(ActionResult { id: *id, value });
            }
            Action::Method {
                id,
                object_path_id,
                name,
                parameters,
            } => {
                resolve_tenant_path(request, *object_path_id)?;
                let result = tenant_methods::call(directory, context, name, parameters)?;
                *changed |= result.changed;
                *deferred |= result.deferred;
                if let Some(value) = result.value {
                    results.push(ActionResult { id: *id, value });
                }
            }
            Action::Unsupported { element } => {
                return Err(Failure::invalid_query(format!(
                    "The action <{element}> is not supported by this emulator."
                )));
            }
        }
    }
    Ok(results)
}

fn check_schema_version(version: Option<&str>) -> Result<(), Failure> {
    match version {
        Some(SCHEMA_VERSION) => Ok(()),
        other => Err(Failure::new(
            FailureKind::UnsupportedSchemaVersion,
            format!(
                "The schema version '{}' is not supported; use {SCHEMA_VERSION}.",
                other.unwrap_or("")
            ),
        )),
    }
}

/// Every action must address the Tenant object; that is the only object we have.
fn resolve_tenant_path(request: &ClientRequest, object_path_id: i64) -> Result<(), Failure> {
    match request.object_path(object_path_id) {
        Some(ObjectPathDefinition::Constructor { type_id })
            if type_id.eq_ignore_ascii_case(TENANT_TYPE_ID) =>
        {
            Ok(())
        }
        Some(ObjectPathDefinition::Constructor { type_id }) => Err(Failure::invalid_query(
            format!("The type id {type_id} is unknown; this emulator serves only the Tenant type."),
        )),
        Some(ObjectPathDefinition::Method { name, .. }) => Err(Failure::invalid_query(format!(
            "Only the Tenant object's methods can be called; {name} returns another object."
        ))),
        Some(ObjectPathDefinition::Unsupported { element }) => Err(Failure::invalid_query(
            format!("The object path <{element}> is not supported by this emulator."),
        )),
        None => Err(Failure::invalid_query(format!(
            "The object path {object_path_id} is not defined in the request."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csom::request as csom_request;
    use crate::tenant::directory::tests::{BASE, two_tenants};
    use serde_json::json;
    use std::time::{Duration, SystemTime};

    fn run(directory: &mut Directory, schema: &str, actions: &str, type_id: &str) -> Outcome {
        let body = format!(
            r#"<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" SchemaVersion="{schema}" LibraryVersion="16.0.0.0">
            <Actions>{actions}</Actions>
            <ObjectPaths><Constructor Id="1" TypeId="{type_id}" /></ObjectPaths></Request>"#
        );
        let request = csom_request::parse(body.as_bytes()).unwrap();
        let context = CallContext {
            tenant: "contoso",
            now: SystemTime::now(),
            dormant_period: Duration::ZERO,
            move_step: Duration::ZERO,
            identity_map_uploads: Default::default(),
        };
        process(directory, context, &request)
    }

    fn new_relation(id: u32, role: u32) -> String {
        format!(
            r#"<Method Name="NewSPOTenantOrgRelation" Id="{id}" ObjectPathId="1"><Parameters>
            <Parameter Type="Enum">1</Parameter><Parameter Type="Enum">{role}</Parameter>
            <Parameter Type="String">{BASE}/fabrikam-my</Parameter></Parameters></Method>"#
        )
    }

    #[test]
    fn object_paths_and_valued_methods_answer_in_order_and_void_methods_are_silent() {
        let mut directory = two_tenants();
        let actions = format!(
            r#"<ObjectPath Id="2" ObjectPathId="1" />{}<Method Name="GetMySiteHostUrl" Id="4" ObjectPathId="1" />"#,
            new_relation(3, 2)
        );
        let outcome = run(&mut directory, "15.0.0.0", &actions, TENANT_TYPE_ID);
        assert!(outcome.changed);
        let results = outcome.answer.unwrap();
        assert_eq!(
            results,
            vec![
                ActionResult::object_present(2),
                ActionResult {
                    id: 4,
                    value: json!(format!("{BASE}/contoso-my/"))
                },
            ]
        );
    }

    #[test]
    fn the_first_failure_stops_the_request_but_earlier_effects_stay() {
        let mut directory = two_tenants();
        let actions = format!(
            r#"{}<Method Name="Nope" Id="4" ObjectPathId="1" /><Method Name="GetMySiteHostUrl" Id="5" ObjectPathId="1" />"#,
            new_relation(3, 2)
        );
        let outcome = run(&mut directory, "15.0.0.0", &actions, TENANT_TYPE_ID);
        assert_eq!(
            outcome.answer.unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
        assert!(outcome.changed);
        assert_eq!(directory.relations("contoso").len(), 1);
    }

    #[test]
    fn other_schema_versions_are_refused() {
        let mut directory = two_tenants();
        for schema in ["14.0.0.0", ""] {
            let outcome = run(&mut directory, schema, &new_relation(3, 2), TENANT_TYPE_ID);
            assert_eq!(
                outcome.answer.unwrap_err().kind,
                FailureKind::UnsupportedSchemaVersion
            );
            assert!(!outcome.changed);
        }
    }

    #[test]
    fn unknown_types_and_paths_are_invalid_queries() {
        let mut directory = two_tenants();
        let unknown_type = run(
            &mut directory,
            "15.0.0.0",
            &new_relation(3, 2),
            "{00000000-0000-0000-0000-000000000000}",
        );
        assert_eq!(
            unknown_type.answer.unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
        let missing_path = run(
            &mut directory,
            "15.0.0.0",
            r#"<ObjectPath Id="2" ObjectPathId="9" />"#,
            TENANT_TYPE_ID,
        );
        assert_eq!(
            missing_path.answer.unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
        let query = run(
            &mut directory,
            "15.0.0.0",
            r#"<Query Id="2" ObjectPathId="1" />"#,
            TENANT_TYPE_ID,
        );
        assert_eq!(
            query.answer.unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
    }

    #[test]
    fn type_ids_compare_case_insensitively() {
        let mut directory = two_tenants();
        let outcome = run(
            &mut directory,
            "15.0.0.0",
            r#"<ObjectPath Id="2" ObjectPathId="1" />"#,
            &TENANT_TYPE_ID.to_uppercase(),
        );
        assert_eq!(
            outcome.answer.unwrap(),
            vec![ActionResult::object_present(2)]
        );
    }
}
