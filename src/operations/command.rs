//! The commands `spo_call` accepts, by server method name: the one table of what each
//! takes, and the check of its arguments, done in full before anything is sent.

use super::Outcome;
use super::compatibility::{self, CompatibilityCheck};
use super::identity_map::entry_calls::{self, EntryCall};
use super::identity_map::{self, IdentityMapUpload};
use super::migration_call::MigrationCall;
use super::trust::{self, TenantCall};
use super::{long_paths, move_state_query, start_move, stop_move};
use crate::connection::Connection;
use crate::csom::{EnumTable, enums};
use crate::error::{Error, ErrorKind};
use crate::transport::Progress;

/// A command: the server method name and its parameters as the cmdlet names them.
pub struct Command {
    pub name: &'static str,
    pub parameters: &'static [&'static str],
    prepare: fn(&[&str]) -> Result<PreparedCall, Error>,
}

const SCENARIO: &str = "Scenario";
const PARTNER_ROLE: &str = "PartnerRole";
const PARTNER_HOST_URL: &str = "PartnerCrossTenantHostUrl";
const RELATION: &[&str] = &[SCENARIO, PARTNER_ROLE, PARTNER_HOST_URL];

/// Every command, in the order `spo_describe` lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "NewSPOTenantOrgRelation",
        parameters: RELATION,
        prepare: |a| relation(a, trust::set_relation),
    },
    Command {
        name: "VerifySPOTenantOrgRelation",
        parameters: RELATION,
        prepare: |a| relation(a, trust::verify_relation),
    },
    Command {
        name: "RemoveSPOTenantOrgRelation",
        parameters: RELATION,
        prepare: |a| relation(a, trust::remove_relation),
    },
    Command {
        name: "GetSPOTenantOrgRelationAll",
        parameters: &[],
        prepare: |_| Ok(PreparedCall::Tenant(trust::list_relations())),
    },
    Command {
        name: "GetSPOTenantOrgRelationByPartner",
        parameters: &[PARTNER_HOST_URL],
        prepare: |a| trust::list_relations_by_partner(a[0]).map(PreparedCall::Tenant),
    },
    Command {
        name: "GetSPOTenantOrgRelationByScenario",
        parameters: &[SCENARIO, PARTNER_ROLE],
        prepare: |a| {
            let (scenario, role) = (trust::scenario(a[0])?, trust::partner_role(a[1])?);
            trust::list_relations_by_scenario(scenario, role).map(PreparedCall::Tenant)
        },
    },
    Command {
        name: "GetMySiteHostUrl",
        parameters: &[],
        prepare: |_| Ok(PreparedCall::Tenant(trust::host_url())),
    },
    Command {
        name: compatibility::COMMAND,
        parameters: &[PARTNER_HOST_URL],
        prepare: |a| compatibility::compatibility_check(a[0]).map(PreparedCall::Compatibility),
    },
    Command {
        name: identity_map::COMMAND,
        parameters: identity_map::PARAMETERS,
        prepare: |a| identity_map::identity_map(a).map(PreparedCall::IdentityMapUpload),
    },
    Command {
        name: entry_calls::ADD_USER,
        parameters: entry_calls::ADD_USER_PARAMETERS,
        prepare: |a| entry_calls::add_user(a).map(PreparedCall::IdentityMapEntry),
    },
    Command {
        name: entry_calls::ADD_GROUP,
        parameters: entry_calls::ADD_GROUP_PARAMETERS,
        prepare: |a| entry_calls::add_group(a).map(PreparedCall::IdentityMapEntry),
    },
    Command {
        name: entry_calls::GET_USER,
        parameters: entry_calls::LOOKUP_PARAMETERS,
        prepare: |a| entry_calls::get_user(a).map(PreparedCall::IdentityMapEntry),
    },
    Command {
        name: entry_calls::GET_GROUP,
        parameters: entry_calls::LOOKUP_PARAMETERS,
        prepare: |a| entry_calls::get_group(a).map(PreparedCall::IdentityMapEntry),
    },
    Command {
        name: entry_calls::REMOVE_USER,
        parameters: entry_calls::LOOKUP_PARAMETERS,
        prepare: |a| entry_calls::remove_user(a).map(PreparedCall::IdentityMapEntry),
    },
    Command {
        name: entry_calls::REMOVE_GROUP,
        parameters: entry_calls::LOOKUP_PARAMETERS,
        prepare: |a| entry_calls::remove_group(a).map(PreparedCall::IdentityMapEntry),
    },
    Command {
        name: start_move::COMMAND,
        parameters: start_move::PARAMETERS,
        prepare: |a| start_move::start_move(a).map(PreparedCall::Migration),
    },
    Command {
        name: stop_move::COMMAND,
        parameters: stop_move::PARAMETERS,
        prepare: |a| stop_move::stop_move(a).map(PreparedCall::Migration),
    },
    Command {
        name: move_state_query::COMMAND,
        parameters: move_state_query::PARAMETERS,
        prepare: |a| move_state_query::query_move_states(a).map(PreparedCall::Migration),
    },
    Command {
        name: long_paths::COMMAND,
        parameters: long_paths::PARAMETERS,
        prepare: |a| long_paths::long_paths(a).map(PreparedCall::Migration),
    },
];

/// Every enum a command takes or returns, for `spo_describe`.
pub fn enum_tables() -> Vec<EnumTable> {
    let mut tables = enums::TABLES.to_vec();
    tables.push(compatibility::RESULT);
    tables
}

/// A command whose arguments passed every check, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreparedCall {
    Tenant(TenantCall),
    Compatibility(CompatibilityCheck),
    /// A whole map, uploaded (Add-SPOTenantIdentityMap).
    IdentityMapUpload(IdentityMapUpload),
    /// One entry of the map, added, read or removed (Add-/Get-/Remove-SPOTenantIdentityMapping*).
    IdentityMapEntry(EntryCall),
    Migration(MigrationCall),
}

impl PreparedCall {
    pub async fn run(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<Outcome, Error> {
        match self {
            PreparedCall::Tenant(call) => call.run(connection, progress).await,
            PreparedCall::Compatibility(check) => check.run(connection, progress).await,
            PreparedCall::IdentityMapUpload(upload) => upload.run(connection, progress).await,
            PreparedCall::IdentityMapEntry(call) => call.run(connection, progress).await,
            PreparedCall::Migration(call) => call.run(connection, progress).await,
        }
    }
}

/// Finds the command and checks its arguments: count, enum names, URLs.
pub fn prepare(name: &str, arguments: &[&str]) -> Result<PreparedCall, Error> {
    let command = COMMANDS.iter().find(|c| c.name == name).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            "UnknownCommand",
            format!(
                "'{name}' is not a command of this library; known commands: {}.",
                COMMANDS
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    if arguments.len() != command.parameters.len() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "ArgumentCount",
            format!(
                "{} takes {} argument(s) ({}), not {}.",
                command.name,
                command.parameters.len(),
                command.parameters.join(", "),
                arguments.len()
            ),
        ));
    }
    (command.prepare)(arguments)
}

fn relation(
    arguments: &[&str],
    make: fn(
        crate::csom::OrgRelationScenario,
        crate::csom::OrgRelationRole,
        &str,
    ) -> Result<TenantCall, Error>,
) -> Result<PreparedCall, Error> {
    let scenario = trust::scenario(arguments[0])?;
    let role = trust::partner_role(arguments[1])?;
    make(scenario, role, arguments[2]).map(PreparedCall::Tenant)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTNER: &str = "https://fabrikam-my.sharepoint.com";

    #[test]
    fn every_command_prepares_with_good_arguments() {
        // The identity map reads a file; its own tests cover it.
        for command in COMMANDS.iter().filter(|c| c.name != identity_map::COMMAND) {
            let arguments: Vec<&str> = command
                .parameters
                .iter()
                .map(|p| match *p {
                    SCENARIO => "MnA",
                    PARTNER_ROLE => "Target",
                    "ContentType" => "Odb",
                    "SourceContentKey" | "TargetContentKey" | "MoveJobKey" => "alex@contoso.com",
                    "OldSiteUrl" => "https://contoso.sharepoint.com/sites/a",
                    "NewSiteUrl" => "https://contoso.sharepoint.com/sites/b",
                    "ValidationOnly" | "Force" => "false",
                    "SourceTenantCompanyId" | "SourceGroupObjectId" | "TargetGroupObjectId" => {
                        "0f8fad5b-d9cb-469f-a165-70867728950e"
                    }
                    "SourceUserKey" | "TargetUserUpn" | "TargetUserEmail" => "alex@contoso.com",
                    "TargetUserPuid" => "",
                    "TargetGroupName" => "Sales",
                    "UserType" => "RegularUser",
                    "GroupType" => "O365Group",
                    "Field" if command.name.contains("Group") => "TargetGroupName",
                    "Field" => "SourceUserKey",
                    "Value" => "alex@contoso.com",
                    "PreferredMoveBeginDate"
                    | "PreferredMoveEndDate"
                    | "SiteMoveId"
                    | "MoveState"
                    | "MoveDirection"
                    | "Limit"
                    | "MoveStartTime"
                    | "MoveEndTime" => "",
                    _ => PARTNER,
                })
                .collect();
            assert!(
                prepare(command.name, &arguments).is_ok(),
                "{}",
                command.name
            );
        }
    }

    #[test]
    fn unknown_commands_wrong_counts_numbers_and_bad_urls_are_refused() {
        let refusal = |name: &str, args: &[&str]| {
            let error = prepare(name, args).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidArgument);
            (error.id(), error.parameter())
        };
        assert_eq!(refusal("DeleteEverything", &[]), ("UnknownCommand", None));
        assert_eq!(refusal("GetMySiteHostUrl", &["x"]), ("ArgumentCount", None));
        assert_eq!(
            refusal("NewSPOTenantOrgRelation", &["MnA", "Target"]),
            ("ArgumentCount", None)
        );
        assert_eq!(
            refusal("NewSPOTenantOrgRelation", &["1", "Target", PARTNER]),
            ("ScenarioOutOfRange", Some("Scenario"))
        );
        assert_eq!(
            refusal("VerifySPOTenantOrgRelation", &["MnA", "2", PARTNER]),
            ("PartnerRoleOutOfRange", Some("PartnerRole"))
        );
        assert_eq!(
            refusal("RemoveSPOTenantOrgRelation", &["None", "Target", PARTNER]),
            ("ScenarioNone", Some("Scenario"))
        );
        assert_eq!(
            refusal(
                "XTenantMoveCompatibilityCheck",
                &["https://-my.sharepoint.com"]
            ),
            ("PartnerUrlHasNoTenantName", Some(PARTNER_HOST_URL))
        );
        assert_eq!(
            refusal("GetSPOTenantOrgRelationByScenario", &["mna", "none"]),
            ("PartnerRoleNone", Some("PartnerRole"))
        );
    }

    #[test]
    fn enum_tables_include_the_compatibility_result() {
        let names: Vec<&str> = enum_tables().iter().map(|t| t.type_name).collect();
        assert!(names.contains(&"Microsoft.SharePoint.Client.Administration.OrgRelationRole"));
        assert!(names.contains(&compatibility::RESULT.type_name));
    }
}
