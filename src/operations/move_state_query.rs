//! `Get-SPOCrossTenantUserContentMoveState` / `...SiteContentMoveState` /
//! `...GroupContentMoveState`: the moves that match the filters. Every filter may be left
//! out ("" from the module), which the method reads as "any".

use super::migration_call::{JsonAnswer, MigrationCall};
use super::move_inputs::{self, End};
use crate::csom::{MethodCall, Parameter};
use crate::error::Error;

/// The server method, as `spo_call` names the command.
pub const COMMAND: &str = "GetSPOCrossTenantContentMoveState";

/// The arguments in order.
pub const PARAMETERS: &[&str] = &[
    "ContentType",
    "PartnerCrossTenantHostUrl",
    "SourceContentKey",
    "SiteMoveId",
    "MoveState",
    "MoveDirection",
    "Limit",
    "MoveStartTime",
    "MoveEndTime",
    "PartnerRole",
];

/// Checks every filter, then builds the call; the value is an array of move states.
pub fn query_move_states(arguments: &[&str]) -> Result<MigrationCall, Error> {
    let [
        content_type,
        partner,
        source,
        site_move_id,
        state,
        direction,
        limit,
        start,
        end,
        role,
    ] = arguments
    else {
        unreachable!("the command table checked the argument count")
    };
    let content_type = move_inputs::content_type(content_type)?;
    let partner = match partner.trim() {
        "" => String::new(),
        partner => move_inputs::host_url(partner, "PartnerCrossTenantHostUrl")?,
    };
    let source = match source.trim() {
        "" => String::new(),
        source => move_inputs::content_key(content_type, End::Source, source)?,
    };
    let site_move_id = move_inputs::site_move_id(site_move_id)?;
    let state = move_inputs::move_state(state)?;
    let direction = move_inputs::move_direction(direction)?;
    let limit = move_inputs::limit(limit)?;
    let start = move_inputs::optional_date(start, "MoveStartTimeInvalid", "MoveStartTime")?;
    let end = move_inputs::optional_date(end, "MoveEndTimeInvalid", "MoveEndTime")?;
    move_inputs::in_order(
        start,
        end,
        "MoveTimesOutOfOrder",
        "MoveStartTime",
        "MoveEndTime",
    )?;
    let role = move_inputs::partner_role(role)?;
    // The method declares the state and direction filters as Int32, not as enums.
    let number = |wire: u32| i32::try_from(wire).unwrap_or(i32::MAX);
    Ok(MigrationCall {
        method: MethodCall::new(
            COMMAND,
            vec![
                Parameter::Enum(content_type.wire()),
                Parameter::String(partner),
                Parameter::String(source),
                Parameter::Guid(site_move_id),
                Parameter::Int32(number(state.wire())),
                Parameter::Int32(number(direction.wire())),
                Parameter::UInt32(limit),
                Parameter::DateTime(start),
                Parameter::DateTime(end),
                Parameter::Enum(role.wire()),
            ],
        ),
        answer: JsonAnswer::MoveStates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_left_out_are_sent_as_any() {
        let call = query_move_states(&["Odb", "", "", "", "", "", "", "", "", ""]).unwrap();
        assert_eq!(call.answer, JsonAnswer::MoveStates);
        let xml = call.method.to_request_xml("x");
        assert!(xml.contains(concat!(
            r#"<Parameters><Parameter Type="Enum">0</Parameter><Parameter Type="String"></Parameter><Parameter Type="String"></Parameter>"#,
            r#"<Parameter Type="Guid">{00000000-0000-0000-0000-000000000000}</Parameter>"#,
            r#"<Parameter Type="Int32">8</Parameter><Parameter Type="Int32">2</Parameter><Parameter Type="UInt32">0</Parameter>"#,
            r#"<Parameter Type="DateTime">0001-01-01T00:00:00.000Z</Parameter><Parameter Type="DateTime">0001-01-01T00:00:00.000Z</Parameter>"#,
            r#"<Parameter Type="Enum">0</Parameter></Parameters>"#
        )), "{xml}");
    }

    #[test]
    fn filters_given_are_checked_and_sent_as_numbers() {
        let call = query_move_states(&[
            "Group",
            "https://fabrikam-my.sharepoint.com",
            "sales",
            "3F2C9A1E-0B7D-4C55-9A57-2F1E6F0C8B11",
            "Stopped",
            "MoveIn",
            "10",
            "2026-12-01T00:00:00Z",
            "2026-12-02T00:00:00Z",
            "Target",
        ])
        .unwrap();
        assert_eq!(
            call.method.parameters[3],
            Parameter::Guid(uuid::Uuid::parse_str("3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11").unwrap())
        );
        assert_eq!(call.method.parameters[4], Parameter::Int32(4));
        assert_eq!(call.method.parameters[5], Parameter::Int32(1));
        assert_eq!(call.method.parameters[6], Parameter::UInt32(10));
        assert_eq!(call.method.parameters[9], Parameter::Enum(2));
        let blank = ["Odb", "", "", "", "", "", "", "", "", ""];
        let cases: [(usize, &str, &str, &str); 9] = [
            (
                1,
                "https://fabrikam.sharepoint.com/sites/x",
                "PartnerUrlHasPath",
                "PartnerCrossTenantHostUrl",
            ),
            (
                2,
                "alex",
                "SourceUserPrincipalNameInvalid",
                "SourceUserPrincipalName",
            ),
            (3, "not-a-guid", "SiteMoveIdInvalid", "SiteMoveId"),
            (4, "Scheduled", "MoveStateOutOfRange", "MoveState"),
            (5, "Out", "MoveDirectionOutOfRange", "MoveDirection"),
            (6, "0", "LimitInvalid", "Limit"),
            (7, "2026-12-01", "MoveStartTimeInvalid", "MoveStartTime"),
            (8, "12/02/2026", "MoveEndTimeInvalid", "MoveEndTime"),
            (9, "Both", "PartnerRoleOutOfRange", "PartnerRole"),
        ];
        for (index, bad, id, parameter) in cases {
            let mut arguments = blank;
            arguments[index] = bad;
            let error = query_move_states(&arguments).unwrap_err();
            assert_eq!(
                (error.id(), error.parameter()),
                (id, Some(parameter)),
                "{bad}"
            );
        }
        let mut arguments = blank;
        arguments[7] = "2026-12-02T00:00:00Z";
        arguments[8] = "2026-12-01T00:00:00Z";
        let error = query_move_states(&arguments).unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("MoveTimesOutOfOrder", Some("MoveEndTime"))
        );
    }
}
