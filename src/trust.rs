//! The cross-tenant trust operations: each cmdlet's arguments checked and turned into one
//! CSOM method call on the Tenant object (protocol.md §1), and its return value read back.

use crate::csom::{
    MethodCall, OrgRelationRole, OrgRelationScenario, OrgRelationVerificationStatus, Parameter,
};
use crate::error::{Error, ErrorKind};
use crate::site_url;
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

/// `Set-SPOCrossTenantRelationship`: ask the partner for trust.
pub fn set_relation(
    scenario: u32,
    partner_role: u32,
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
    scenario: u32,
    partner_role: u32,
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
    scenario: u32,
    partner_role: u32,
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
        method: MethodCall {
            name: "GetSPOTenantOrgRelationAll",
            parameters: vec![],
        },
        returns: ReturnShape::Text,
    }
}

/// `Get-SPOCrossTenantRelationshipByPartner`.
pub fn list_relations_by_partner(partner_host_url: &str) -> Result<TenantCall, Error> {
    Ok(TenantCall {
        method: MethodCall {
            name: "GetSPOTenantOrgRelationByPartner",
            parameters: vec![Parameter::String(site_url::partner_host_url(
                partner_host_url,
            )?)],
        },
        returns: ReturnShape::Text,
    })
}

/// `Get-SPOCrossTenantRelationshipByScenario`.
pub fn list_relations_by_scenario(scenario: u32, partner_role: u32) -> Result<TenantCall, Error> {
    let (scenario, role) = (checked_scenario(scenario)?, checked_role(partner_role)?);
    Ok(TenantCall {
        method: MethodCall {
            name: "GetSPOTenantOrgRelationByScenario",
            parameters: vec![
                Parameter::Enum(scenario.wire()),
                Parameter::Enum(role.wire()),
            ],
        },
        returns: ReturnShape::Text,
    })
}

/// `Get-SPOCrossTenantHostUrl`: this tenant's own cross-tenant host URL.
pub fn host_url() -> TenantCall {
    TenantCall {
        method: MethodCall {
            name: "GetMySiteHostUrl",
            parameters: vec![],
        },
        returns: ReturnShape::Text,
    }
}

fn relation_call(
    name: &'static str,
    returns: ReturnShape,
    scenario: u32,
    partner_role: u32,
    partner_host_url: &str,
) -> Result<TenantCall, Error> {
    let scenario = checked_scenario(scenario)?;
    let role = checked_role(partner_role)?;
    let url = site_url::partner_host_url(partner_host_url)?;
    Ok(TenantCall {
        method: MethodCall {
            name,
            parameters: vec![
                Parameter::Enum(scenario.wire()),
                Parameter::Enum(role.wire()),
                Parameter::String(url),
            ],
        },
        returns,
    })
}

fn checked_scenario(value: u32) -> Result<OrgRelationScenario, Error> {
    match OrgRelationScenario::from_wire(value) {
        Some(OrgRelationScenario::None) => Err(Error::invalid_argument(
            "ScenarioNone",
            "Scenario",
            "Scenario 'None' cannot carry a trust relation; use -Scenario MnA (mergers and acquisitions).",
        )),
        Some(scenario) => Ok(scenario),
        None => Err(Error::invalid_argument(
            "ScenarioOutOfRange",
            "Scenario",
            format!("{value} is not a scenario; the only scenario for a trust relation is MnA."),
        )),
    }
}

fn checked_role(value: u32) -> Result<OrgRelationRole, Error> {
    match OrgRelationRole::from_wire(value) {
        Some(OrgRelationRole::None) => Err(Error::invalid_argument(
            "PartnerRoleNone",
            "PartnerRole",
            "PartnerRole 'None' cannot carry a trust relation; use Source if the partner sends content to this tenant, Target if it receives content from it.",
        )),
        Some(role) => Ok(role),
        None => Err(Error::invalid_argument(
            "PartnerRoleOutOfRange",
            "PartnerRole",
            format!("{value} is not a partner role; use Source or Target."),
        )),
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
            .map(|status| status.wire().to_string())
            .ok_or_else(|| unexpected(&format!("{number} is not a verification status"))),
        (ReturnShape::VerificationStatus, Some(Value::String(name))) => {
            OrgRelationVerificationStatus::ALL
                .iter()
                .find(|status| status.name() == name)
                .map(|status| status.wire().to_string())
                .ok_or_else(|| unexpected(&format!("'{name}' is not a verification status")))
        }
        (ReturnShape::VerificationStatus, _) => Err(unexpected("expected a verification status")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_builds_new_org_relation_with_enum_numbers_and_clean_url() {
        let call = set_relation(1, 2, "https://Fabrikam-my.sharepoint.com/").unwrap();
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
    fn none_and_out_of_range_enums_are_refused_before_the_url_is_looked_at() {
        assert_eq!(set_relation(0, 2, "").unwrap_err().id(), "ScenarioNone");
        assert_eq!(set_relation(1, 0, "").unwrap_err().id(), "PartnerRoleNone");
        assert_eq!(
            set_relation(7, 1, "").unwrap_err().id(),
            "ScenarioOutOfRange"
        );
        assert_eq!(
            verify_relation(1, 3, "").unwrap_err().id(),
            "PartnerRoleOutOfRange"
        );
        assert_eq!(
            remove_relation(1, 1, "").unwrap_err().parameter(),
            Some("PartnerCrossTenantHostUrl")
        );
        assert_eq!(
            list_relations_by_scenario(1, 0).unwrap_err().id(),
            "PartnerRoleNone"
        );
    }

    #[test]
    fn each_cmdlet_calls_its_documented_method() {
        let url = "https://fabrikam-my.sharepoint.com";
        assert_eq!(
            verify_relation(1, 1, url).unwrap().method.name,
            "VerifySPOTenantOrgRelation"
        );
        assert_eq!(
            remove_relation(1, 1, url).unwrap().method.name,
            "RemoveSPOTenantOrgRelation"
        );
        assert_eq!(list_relations().method.name, "GetSPOTenantOrgRelationAll");
        assert_eq!(
            list_relations_by_partner(url).unwrap().method.name,
            "GetSPOTenantOrgRelationByPartner"
        );
        assert_eq!(
            list_relations_by_scenario(1, 2).unwrap().method.name,
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
            "4"
        );
        assert_eq!(
            read_return_value(ReturnShape::VerificationStatus, Some(&json!("Dormant"))).unwrap(),
            "2"
        );
        assert!(read_return_value(ReturnShape::VerificationStatus, Some(&json!(9))).is_err());
        assert!(read_return_value(ReturnShape::VerificationStatus, None).is_err());
        assert!(read_return_value(ReturnShape::Text, Some(&json!({"a": 1}))).is_err());
    }
}
