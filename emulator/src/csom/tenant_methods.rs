//! The methods of the Tenant object that the cross-tenant cmdlets call.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::csom::arguments::Arguments;
use crate::csom::identity_mapping_methods;
use crate::csom::migration_methods;
use crate::csom::relation_list;
use crate::csom::request::Parameter;
use crate::tenant::host_url::HostUrl;
use crate::tenant::identity_map::Uploads;
use crate::tenant::{self, Directory, SetOutcome};
use crate::wire::enums::{Role, Scenario};
use crate::wire::status_codes::Failure;

/// Which tenant is being asked, and when.
#[derive(Clone, Copy, Debug)]
pub struct CallContext<'a> {
    pub tenant: &'a str,
    pub now: SystemTime,
    pub dormant_period: Duration,
    /// The clock step of new moves (`--move-step`).
    pub move_step: Duration,
    /// What an identity map upload does to the map there (`--identity-map-uploads`).
    pub identity_map_uploads: Uploads,
}

/// What a method call produced.
#[derive(Clone, Debug, PartialEq)]
pub struct CallResult {
    /// `None` for void methods, which put nothing in the answer.
    pub value: Option<Value>,
    /// Whether relations changed, so the state file needs writing now.
    pub changed: bool,
    /// Whether identity maps or moves changed: the state file is written soon (coalesced,
    /// since a batch starts thousands of moves).
    pub deferred: bool,
}

impl CallResult {
    fn value(value: impl Into<Value>) -> Self {
        CallResult {
            value: Some(value.into()),
            changed: false,
            deferred: false,
        }
    }

    fn void(changed: bool) -> Self {
        CallResult {
            value: None,
            changed,
            deferred: false,
        }
    }
}

pub fn call(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Result<CallResult, Failure> {
    if let Some(result) = migration_methods::call(directory, context, method, parameters) {
        return result;
    }
    if let Some(result) = identity_mapping_methods::call(directory, context, method, parameters) {
        return result;
    }
    let tenant = context.tenant;
    match method {
        "NewSPOTenantOrgRelation" => {
            let (scenario, role, url) = relation_arguments(directory, tenant, method, parameters)?;
            let outcome = directory.set_relation(tenant, scenario, role, url, context.now);
            Ok(CallResult::void(outcome != SetOutcome::Unchanged))
        }
        "VerifySPOTenantOrgRelation" => {
            let (scenario, role, url) = relation_arguments(directory, tenant, method, parameters)?;
            let status = directory.verify(
                tenant,
                scenario,
                role,
                &url,
                context.now,
                context.dormant_period,
            );
            Ok(CallResult::value(status.number()))
        }
        "RemoveSPOTenantOrgRelation" => {
            let (scenario, role, url) = relation_arguments(directory, tenant, method, parameters)?;
            directory.remove_relation(tenant, scenario, role, &url)?;
            Ok(CallResult::void(true))
        }
        "GetSPOTenantOrgRelationAll" => {
            Arguments::expect(method, parameters, 0)?;
            Ok(CallResult::value(relation_list::serialize(
                directory.relations(tenant),
            )))
        }
        "GetSPOTenantOrgRelationByPartner" => {
            let arguments = Arguments::expect(method, parameters, 1)?;
            let url = HostUrl::parse(&arguments.string(0)?)?;
            let matching = directory
                .relations(tenant)
                .iter()
                .filter(|r| r.partner_host_url == url);
            Ok(CallResult::value(relation_list::serialize(matching)))
        }
        "GetSPOTenantOrgRelationByScenario" => {
            let arguments = Arguments::expect(method, parameters, 2)?;
            let scenario = scenario_argument(&arguments, 0)?;
            let role = role_argument(&arguments, 1)?;
            tenant::validate_scenario(scenario)?;
            // Our choice: role None asks for every role.
            let matching = directory.relations(tenant).iter().filter(|r| {
                r.scenario == scenario && (role == Role::None || r.partner_role == role)
            });
            Ok(CallResult::value(relation_list::serialize(matching)))
        }
        "GetMySiteHostUrl" => {
            Arguments::expect(method, parameters, 0)?;
            Ok(CallResult::value(directory.layout().host_url(tenant)))
        }
        other => Err(Failure::invalid_query(format!(
            "The method '{other}' does not exist on type Tenant in this emulator."
        ))),
    }
}

/// Reads and validates the (scenario, partnerRole, partnerHostUrl) triple.
fn relation_arguments(
    directory: &Directory,
    tenant: &str,
    method: &str,
    parameters: &[Parameter],
) -> Result<(Scenario, Role, HostUrl), Failure> {
    let arguments = Arguments::expect(method, parameters, 3)?;
    let scenario = scenario_argument(&arguments, 0)?;
    let role = role_argument(&arguments, 1)?;
    let raw_url = arguments.string(2)?;
    let url = directory.validate_relation_arguments(tenant, scenario, role, &raw_url)?;
    Ok((scenario, role, url))
}

fn scenario_argument(arguments: &Arguments, index: usize) -> Result<Scenario, Failure> {
    arguments.enumeration(
        index,
        "scenario",
        Scenario::WIRE_NAME,
        Scenario::from_number,
    )
}

fn role_argument(arguments: &Arguments, index: usize) -> Result<Role, Failure> {
    arguments.enumeration(index, "partnerRole", Role::WIRE_NAME, Role::from_number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csom::request::ParameterValue;
    use crate::tenant::directory::tests::{BASE, two_tenants};
    use crate::wire::enums::VerificationStatus;
    use crate::wire::status_codes::FailureKind;
    use serde_json::json;

    fn enum_parameter(number: i64) -> Parameter {
        Parameter {
            type_name: "Enum".to_string(),
            value: ParameterValue::Text(number.to_string()),
        }
    }

    fn string_parameter(text: &str) -> Parameter {
        Parameter {
            type_name: "String".to_string(),
            value: ParameterValue::Text(text.to_string()),
        }
    }

    fn triple(scenario: i64, role: i64, tenant: &str) -> Vec<Parameter> {
        vec![
            enum_parameter(scenario),
            enum_parameter(role),
            string_parameter(&format!("{BASE}/{tenant}-my/")),
        ]
    }

    fn context(tenant: &str) -> CallContext<'_> {
        CallContext {
            tenant,
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000),
            dormant_period: Duration::ZERO,
            move_step: Duration::from_secs(1),
            identity_map_uploads: Uploads::Replace,
        }
    }

    #[test]
    fn new_verify_list_and_remove_round_trip() {
        let mut directory = two_tenants();
        let set = call(
            &mut directory,
            context("contoso"),
            "NewSPOTenantOrgRelation",
            &triple(1, 2, "fabrikam"),
        );
        assert_eq!(
            set,
            Ok(CallResult {
                value: None,
                changed: true,
                deferred: false,
            })
        );
        let again = call(
            &mut directory,
            context("contoso"),
            "NewSPOTenantOrgRelation",
            &triple(1, 2, "fabrikam"),
        );
        assert!(!again.unwrap().changed);
        call(
            &mut directory,
            context("fabrikam"),
            "NewSPOTenantOrgRelation",
            &triple(1, 1, "contoso"),
        )
        .unwrap();

        let verified = call(
            &mut directory,
            context("contoso"),
            "VerifySPOTenantOrgRelation",
            &triple(1, 2, "fabrikam"),
        );
        assert_eq!(
            verified.unwrap().value,
            Some(json!(VerificationStatus::GoodToProceed.number()))
        );

        let all = call(
            &mut directory,
            context("contoso"),
            "GetSPOTenantOrgRelationAll",
            &[],
        )
        .unwrap();
        let list: Value = serde_json::from_str(all.value.unwrap().as_str().unwrap()).unwrap();
        assert_eq!(list[0]["PartnerRole"], "Target");
        assert_eq!(
            list[0]["PartnerCrossTenantHostUrl"],
            format!("{BASE}/fabrikam-my/")
        );

        let removed = call(
            &mut directory,
            context("contoso"),
            "RemoveSPOTenantOrgRelation",
            &triple(1, 2, "fabrikam"),
        );
        assert_eq!(
            removed,
            Ok(CallResult {
                value: None,
                changed: true,
                deferred: false,
            })
        );
        let missing = call(
            &mut directory,
            context("contoso"),
            "RemoveSPOTenantOrgRelation",
            &triple(1, 2, "fabrikam"),
        );
        assert_eq!(missing.unwrap_err().kind, FailureKind::NoSetupForPartner);
    }

    #[test]
    fn lists_filter_by_partner_and_scenario() {
        let mut directory = two_tenants();
        call(
            &mut directory,
            context("contoso"),
            "NewSPOTenantOrgRelation",
            &triple(1, 2, "fabrikam"),
        )
        .unwrap();
        let list = |directory: &mut Directory, method: &str, parameters: &[Parameter]| -> usize {
            let result = call(directory, context("contoso"), method, parameters).unwrap();
            let text = result.value.unwrap();
            serde_json::from_str::<Vec<Value>>(text.as_str().unwrap())
                .unwrap()
                .len()
        };
        let by_partner = [string_parameter(&format!("{BASE}/FABRIKAM-my"))];
        assert_eq!(
            list(
                &mut directory,
                "GetSPOTenantOrgRelationByPartner",
                &by_partner
            ),
            1
        );
        let other_partner = [string_parameter("https://northwind-my.sharepoint.com")];
        assert_eq!(
            list(
                &mut directory,
                "GetSPOTenantOrgRelationByPartner",
                &other_partner
            ),
            0
        );
        let targets = [enum_parameter(1), enum_parameter(2)];
        assert_eq!(
            list(
                &mut directory,
                "GetSPOTenantOrgRelationByScenario",
                &targets
            ),
            1
        );
        let sources = [enum_parameter(1), enum_parameter(1)];
        assert_eq!(
            list(
                &mut directory,
                "GetSPOTenantOrgRelationByScenario",
                &sources
            ),
            0
        );
        let any_role = [enum_parameter(1), enum_parameter(0)];
        assert_eq!(
            list(
                &mut directory,
                "GetSPOTenantOrgRelationByScenario",
                &any_role
            ),
            1
        );
        let no_scenario = [enum_parameter(0), enum_parameter(2)];
        let failure = call(
            &mut directory,
            context("contoso"),
            "GetSPOTenantOrgRelationByScenario",
            &no_scenario,
        );
        assert_eq!(failure.unwrap_err().kind, FailureKind::WrongCmdletUsage);
    }

    #[test]
    fn host_url_has_a_trailing_slash() {
        let mut directory = two_tenants();
        let result = call(&mut directory, context("fabrikam"), "GetMySiteHostUrl", &[]).unwrap();
        assert_eq!(result.value, Some(json!(format!("{BASE}/fabrikam-my/"))));
    }

    #[test]
    fn validation_failures_reach_the_caller() {
        let mut directory = two_tenants();
        let mut check = |method: &str, parameters: Vec<Parameter>| {
            call(&mut directory, context("contoso"), method, &parameters)
                .unwrap_err()
                .kind
        };
        assert_eq!(
            check("NewSPOTenantOrgRelation", triple(0, 2, "fabrikam")),
            FailureKind::WrongCmdletUsage
        );
        assert_eq!(
            check("NewSPOTenantOrgRelation", triple(1, 0, "fabrikam")),
            FailureKind::WrongCmdletUsage
        );
        assert_eq!(
            check("NewSPOTenantOrgRelation", triple(1, 2, "contoso")),
            FailureKind::PartnersOnTheSameFarm
        );
        assert_eq!(
            check("VerifySPOTenantOrgRelation", triple(5, 2, "fabrikam")),
            FailureKind::InvalidArgument
        );
        assert_eq!(
            check("VerifySPOTenantOrgRelation", triple(1, 3, "fabrikam")),
            FailureKind::InvalidArgument
        );
        let admin_url = vec![
            enum_parameter(1),
            enum_parameter(2),
            string_parameter(&format!("{BASE}/fabrikam-admin")),
        ];
        assert_eq!(
            check("NewSPOTenantOrgRelation", admin_url),
            FailureKind::DomainNameIsIncorrect
        );
        assert_eq!(
            check("NewSPOTenantOrgRelation", vec![enum_parameter(1)]),
            FailureKind::InvalidClientQuery
        );
        assert_eq!(
            check("GetMySiteHostUrl", vec![enum_parameter(1)]),
            FailureKind::InvalidClientQuery
        );
        assert_eq!(
            check("DeleteEverything", vec![]),
            FailureKind::InvalidClientQuery
        );
    }
}
