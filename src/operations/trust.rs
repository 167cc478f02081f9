//! The cross-tenant trust operations: each cmdlet's arguments checked and turned into one
//! CSOM method call on the Tenant object (protocol.md §1), and its return value read back.

use super::{Outcome, run_method_call};
use crate::connection::Connection;
use crate::csom::{
    MethodCall, OrgRelationRole, OrgRelationScenario, OrgRelationVerificationStatus, Parameter,
};
use crate::error::{Error, ErrorKind};
use crate::site_url;
use crate::transport::Progress;
use serde_json::Value;

/// What the method returns, so the answer can be checked and turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnShape {
    Void,
    Text,
    VerificationStatus,
}

/// A checked call, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantCall {
    pub method: MethodCall,
    pub returns: ReturnShape,
}

impl TenantCall {
    /// Sends the call and reads its return value as text.
    pub async fn run(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<Outcome, Error> {
        let read = |value: Option<&Value>| read_return_value(self.returns, value);
        run_method_call(&self.method, read, connection, progress).await
    }
}

/// `Set-SPOCrossTenantRelationship`: ask the partner for trust.
pub fn set_relation(
    scenario: OrgRelationScenario,
    partner_role: OrgRelationRole,
    partner_host_url: &str,
) -> Result<TenantCall, Error> {
    relation_call(
        "NewSPOTenantOrgRelation",
        ReturnShape::Void,
        scenario,
        partner_role,
        partner_host_url,
    )
}

/// `Verify-SPOCrossTenantRelationship`: where the trust stands.
pub fn verify_relation(
    scenario: OrgRelationScenario,
    partner_role: OrgRelationRole,
    partner_host_url: &str,
) -> Result<TenantCall, Error> {
    relation_call(
        "VerifySPOTenantOrgRelation",
        ReturnShape::VerificationStatus,
        scenario,
        partner_role,
        partner_host_url,
    )
}

/// `Remove-SPOCrossTenantRelationship`: end the trust on this side.
pub fn remove_relation(
    scenario: OrgRelationScenario,
    partner_role: OrgRelationRole,
    partner_host_url: &str,
) -> Result<TenantCall, Error> {
    relation_call(
        "RemoveSPOTenantOrgRelation",
        ReturnShape::Void,
        scenario,
        partner_role,
        partner_host_url,
    )
}

/// `Get-SPOCrossTenantRelationship`: every relation of this tenant, serialized by the server.
pub fn list_relations() -> TenantCall {
    TenantCall {
        method: MethodCall::new("GetSPOTenantOrgRelationAll", vec![]),
        returns: ReturnShape::Text,
    }
}

/// `Get-SPOCrossTenantRelationshipByPartner`.
pub fn list_relations_by_partner(partner_host_url: &str) -> Result<TenantCall, Error> {
    Ok(TenantCall {
        method: MethodCall::new(
            "GetSPOTenantOrgRelationByPartner",
            vec![Parameter::String(site_url::partner_host_url(
                partner_host_url,
            )?)],
        ),
        returns: ReturnShape::Text,
    })
}

/// `Get-SPOCrossTenantRelationshipByScenario`.
pub fn list_relations_by_scenario(
    scenario: OrgRelationScenario,
    partner_role: OrgRelationRole,
) -> Result<TenantCall, Error> {
    let (scenario, role) = (usable_scenario(scenario)?, usable_role(partner_role)?);
    Ok(TenantCall {
        method: MethodCall::new(
            "GetSPOTenantOrgRelationByScenario",
            vec![
                Parameter::Enum(scenario.wire()),
                Parameter::Enum(role.wire()),
            ],
        ),
        returns: ReturnShape::Text,
    })
}

/// `Get-SPOCrossTenantHostUrl`: this tenant's own cross-tenant host URL.
pub fn host_url() -> TenantCall {
    TenantCall {
        method: MethodCall::new("GetMySiteHostUrl", vec![]),
        returns: ReturnShape::Text,
    }
}

fn relation_call(
    name: &'static str,
    returns: ReturnShape,
    scenario: OrgRelationScenario,
    partner_role: OrgRelationRole,
    partner_host_url: &str,
) -> Result<TenantCall, Error> {
    let scenario = usable_scenario(scenario)?;
    let role = usable_role(partner_role)?;
    let url = site_url::partner_host_url(partner_host_url)?;
    Ok(TenantCall {
        method: MethodCall::new(
            name,
            vec![
                Parameter::Enum(scenario.wire()),
                Parameter::Enum(role.wire()),
                Parameter::String(url),
            ],
        ),
        returns,
    })
}

/// The scenario named `name` (ignoring case). Numbers are refused: the module passes names.
pub fn scenario(name: &str) -> Result<OrgRelationScenario, Error> {
    OrgRelationScenario::from_name(name.trim()).ok_or_else(|| {
        Error::invalid_argument(
            "ScenarioOutOfRange",
            "Scenario",
            format!(
                "'{name}' is not a scenario name; the only scenario for a trust relation is MnA."
            ),
        )
    })
}

/// The partner role named `name` (ignoring case). Numbers are refused.
pub fn partner_role(name: &str) -> Result<OrgRelationRole, Error> {
    OrgRelationRole::from_name(name.trim()).ok_or_else(|| {
        Error::invalid_argument(
            "PartnerRoleOutOfRange",
            "PartnerRole",
            format!("'{name}' is not a partner role name; use Source or Target."),
        )
    })
}

fn usable_scenario(scenario: OrgRelationScenario) -> Result<OrgRelationScenario, Error> {
    match scenario {
        OrgRelationScenario::None => Err(Error::invalid_argument(
            "ScenarioNone",
            "Scenario",
            "Scenario 'None' cannot carry a trust relation; use -Scenario MnA (mergers and acquisitions).",
        )),
        scenario => Ok(scenario),
    }
}

fn usable_role(role: OrgRelationRole) -> Result<OrgRelationRole, Error> {
    match role {
        OrgRelationRole::None => Err(Error::invalid_argument(
            "PartnerRoleNone",
            "PartnerRole",
            "PartnerRole 'None' cannot carry a trust relation; use Source if the partner sends content to this tenant, Target if it receives content from it.",
        )),
        role => Ok(role),
    }
}

/// Turns the method's return value into the text handed to PowerShell.
pub fn read_return_value(returns: ReturnShape, value: Option<&Value>) -> Result<String, Error> {
    let unexpected = |what: &str| {
        Error::new(
            ErrorKind::InvalidResponse,
            "MalformedResponse",
            format!("The server's answer is not what this method returns: {what}."),
        )
    };
    match (returns, value) {
        (ReturnShape::Void, _) => Ok(String::new()),
        (ReturnShape::Text, Some(Value::String(text))) => Ok(text.clone()),
        (ReturnShape::Text, Some(Value::Null) | None) => Ok(String::new()),
        (ReturnShape::Text, Some(_)) => Err(unexpected("expected text")),
        (ReturnShape::VerificationStatus, Some(Value::Number(number))) => number
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .and_then(OrgRelationVerificationStatus::from_wire)
            .map(|status| status.name().to_owned())
            .ok_or_else(|| unexpected(&format!("{number} is not a verification status"))),
        (ReturnShape::VerificationStatus, Some(Value::String(name))) => {
            OrgRelationVerificationStatus::ALL
                .iter()
                .find(|status| status.name() == name)
                .map(|status| status.name().to_owned())
                .ok_or_else(|| unexpected(&format!("'{name}' is not a verification status")))
        }
        (ReturnShape::VerificationStatus, _) => Err(unexpected("expected a verification status")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrgRelationRole::{Source, Target};
    use OrgRelationScenario::MnA;

    #[test]
    fn set_builds_new_org_relation_with_enum_numbers_and_clean_url() {
        let call = set_relation(MnA, Target, "https://Fabrikam-my.sharepoint.com/").unwrap();
        assert_eq!(call.method.name, "NewSPOTenantOrgRelation");
        assert_eq!(
            call.method.parameters,
            vec![
                Parameter::Enum(1),
                Parameter::Enum(2),
                Parameter::String("https://fabrikam-my.sharepoint.com".into())
            ]
        );
        assert_eq!(call.returns, ReturnShape::Void);
    }

    #[test]
    fn names_are_read_ignoring_case_and_numbers_are_refused() {
        assert_eq!(scenario("mna").unwrap(), MnA);
        assert_eq!(partner_role(" TARGET ").unwrap(), Target);
        assert_eq!(scenario("1").unwrap_err().id(), "ScenarioOutOfRange");
        assert_eq!(partner_role("2").unwrap_err().id(), "PartnerRoleOutOfRange");
        assert_eq!(
            partner_role("Sideways").unwrap_err().parameter(),
            Some("PartnerRole")
        );
    }

    #[test]
    fn none_enums_are_refused_before_the_url_is_looked_at() {
        let none = OrgRelationScenario::None;
        assert_eq!(
            set_relation(none, Target, "").unwrap_err().id(),
            "ScenarioNone"
        );
        assert_eq!(
            set_relation(MnA, OrgRelationRole::None, "")
                .unwrap_err()
                .id(),
            "PartnerRoleNone"
        );
        assert_eq!(
            remove_relation(MnA, Source, "").unwrap_err().parameter(),
            Some("PartnerCrossTenantHostUrl")
        );
        assert_eq!(
            list_relations_by_scenario(MnA, OrgRelationRole::None)
                .unwrap_err()
                .id(),
            "PartnerRoleNone"
        );
    }

    #[test]
    fn each_cmdlet_calls_its_documented_method() {
        let url = "https://fabrikam-my.sharepoint.com";
        assert_eq!(
            verify_relation(MnA, Source, url).unwrap().method.name,
            "VerifySPOTenantOrgRelation"
        );
        assert_eq!(
            remove_relation(MnA, Source, url).unwrap().method.name,
            "RemoveSPOTenantOrgRelation"
        );
        assert_eq!(list_relations().method.name, "GetSPOTenantOrgRelationAll");
        assert_eq!(
            list_relations_by_partner(url).unwrap().method.name,
            "GetSPOTenantOrgRelationByPartner"
        );
        assert_eq!(
            list_relations_by_scenario(MnA, Target).unwrap().method.name,
            "GetSPOTenantOrgRelationByScenario"
        );
        assert_eq!(host_url().method.name, "GetMySiteHostUrl");
    }

    #[test]
    fn return_values_are_checked_against_the_method() {
        use serde_json::json;
        assert_eq!(read_return_value(ReturnShape::Void, None).unwrap(), "");
        assert_eq!(
            read_return_value(ReturnShape::Text, Some(&json!("https://x/"))).unwrap(),
            "https://x/"
        );
        assert_eq!(
            read_return_value(ReturnShape::VerificationStatus, Some(&json!(4))).unwrap(),
            "GoodToProceed"
        );
        assert_eq!(
            read_return_value(ReturnShape::VerificationStatus, Some(&json!("Dormant"))).unwrap(),
            "Dormant"
        );
        assert!(read_return_value(ReturnShape::VerificationStatus, Some(&json!(9))).is_err());
        assert!(read_return_value(ReturnShape::VerificationStatus, None).is_err());
        assert!(read_return_value(ReturnShape::Text, Some(&json!({"a": 1}))).is_err());
    }
}
