//! `Start-SPOCrossTenantUserContentMove` / `...SiteContentMove` / `...GroupContentMove`:
//! start moving one OneDrive, site or group site to the partner tenant (run on the source).

use super::migration_call::{JsonAnswer, MigrationCall};
use super::move_inputs::{self, End};
use crate::csom::{MethodCall, Parameter};
use crate::error::Error;

/// The server method, as `spo_call` names the command.
pub const COMMAND: &str = "StartSPOCrossTenantContentMove";

/// The arguments in order, named as the engine's checks name them.
pub const PARAMETERS: &[&str] = &[
    "ContentType",
    "SourceContentKey",
    "TargetContentKey",
    "TargetCrossTenantHostUrl",
    "PreferredMoveBeginDate",
    "PreferredMoveEndDate",
    "ValidationOnly",
    "Force",
];

/// Checks every argument, then builds the call; its value is the new move's state.
pub fn start_move(arguments: &[&str]) -> Result<MigrationCall, Error> {
    let [
        content_type,
        source,
        target,
        host,
        begin,
        end,
        validation_only,
        force,
    ] = arguments
    else {
        unreachable!("the command table checked the argument count")
    };
    let content_type = move_inputs::content_type(content_type)?;
    let source = move_inputs::content_key(content_type, End::Source, source)?;
    let target = move_inputs::content_key(content_type, End::Target, target)?;
    let host = move_inputs::host_url(host, "TargetCrossTenantHostUrl")?;
    let begin = move_inputs::optional_date(
        begin,
        "PreferredMoveBeginDateInvalid",
        "PreferredMoveBeginDate",
    )?;
    let end =
        move_inputs::optional_date(end, "PreferredMoveEndDateInvalid", "PreferredMoveEndDate")?;
    move_inputs::in_order(
        begin,
        end,
        "MoveDatesOutOfOrder",
        "PreferredMoveBeginDate",
        "PreferredMoveEndDate",
    )?;
    let validation_only =
        move_inputs::switch(validation_only, "ValidationOnlyInvalid", "ValidationOnly")?;
    let force = move_inputs::switch(force, "ForceInvalid", "Force")?;
    Ok(MigrationCall {
        method: MethodCall::new(
            COMMAND,
            vec![
                Parameter::Enum(content_type.wire()),
                Parameter::String(source),
                Parameter::String(target),
                Parameter::String(host),
                Parameter::DateTime(begin),
                Parameter::DateTime(end),
                Parameter::Boolean(validation_only),
                Parameter::Boolean(force),
            ],
        ),
        answer: JsonAnswer::MoveState,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "https://fabrikam-my.sharepoint.com/";

    #[test]
    fn builds_the_documented_parameters_in_order() {
        let call = start_move(&[
            "Odb",
            "alex@contoso.com",
            "alex@fabrikam.com",
            HOST,
            "2026-12-24T22:00:00Z",
            "",
            "true",
            "False",
        ])
        .unwrap();
        assert_eq!(call.answer, JsonAnswer::MoveState);
        let xml = call.method.to_request_xml("x");
        assert!(xml.contains(concat!(
            r#"<Method Name="StartSPOCrossTenantContentMove" Id="3" ObjectPathId="1"><Parameters>"#,
            r#"<Parameter Type="Enum">0</Parameter><Parameter Type="String">alex@contoso.com</Parameter>"#,
            r#"<Parameter Type="String">alex@fabrikam.com</Parameter><Parameter Type="String">https://fabrikam-my.sharepoint.com</Parameter>"#,
            r#"<Parameter Type="DateTime">2026-12-24T22:00:00.000Z</Parameter><Parameter Type="DateTime">0001-01-01T00:00:00.000Z</Parameter>"#,
            r#"<Parameter Type="Boolean">true</Parameter><Parameter Type="Boolean">false</Parameter></Parameters>"#
        )), "{xml}");
    }

    #[test]
    fn every_argument_is_checked_with_its_parameter_name() {
        let good = [
            "RegSite",
            "https://contoso.sharepoint.com/sites/a",
            "https://fabrikam.sharepoint.com/sites/a",
            HOST,
            "2026-12-24T22:00:00Z",
            "2026-12-25T22:00:00Z",
            "false",
            "false",
        ];
        assert!(start_move(&good).is_ok());
        let cases: [(usize, &str, &str, &str); 9] = [
            (0, "Site", "ContentTypeOutOfRange", "ContentType"),
            (
                1,
                "contoso/sites/a",
                "SourceSiteUrlInvalid",
                "SourceSiteUrl",
            ),
            (2, "", "TargetSiteUrlInvalid", "TargetSiteUrl"),
            (
                3,
                "https://fabrikam.sharepoint.com",
                "PartnerUrlNotCrossTenantHost",
                "TargetCrossTenantHostUrl",
            ),
            (
                4,
                "tomorrow",
                "PreferredMoveBeginDateInvalid",
                "PreferredMoveBeginDate",
            ),
            (
                5,
                "2026-13-01T00:00:00Z",
                "PreferredMoveEndDateInvalid",
                "PreferredMoveEndDate",
            ),
            (
                5,
                "2026-12-24T21:00:00Z",
                "MoveDatesOutOfOrder",
                "PreferredMoveEndDate",
            ),
            (6, "yes", "ValidationOnlyInvalid", "ValidationOnly"),
            (7, "", "ForceInvalid", "Force"),
        ];
        for (index, bad, id, parameter) in cases {
            let mut arguments = good;
            arguments[index] = bad;
            let error = start_move(&arguments).unwrap_err();
            assert_eq!(
                (error.id(), error.parameter()),
                (id, Some(parameter)),
                "{bad}"
            );
        }
    }
}
