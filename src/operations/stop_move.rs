//! `Stop-SPOCrossTenantUserContentMove` / `...SiteContentMove` / `...GroupContentMove`:
//! stop a move that has not begun copying (run on the source).

use super::migration_call::{JsonAnswer, MigrationCall};
use super::move_inputs::{self, End};
use crate::csom::{MethodCall, Parameter};
use crate::error::Error;

/// The server method, as `spo_call` names the command.
pub const COMMAND: &str = "StopSPOCrossTenantContentMove";

/// The arguments in order; the key is the move's source key (UPN, site URL or alias).
pub const PARAMETERS: &[&str] = &["ContentType", "MoveJobKey"];

/// Checks the content type and the key's shape; the value is the move's state after the stop.
pub fn stop_move(arguments: &[&str]) -> Result<MigrationCall, Error> {
    let [content_type, key] = arguments else {
        unreachable!("the command table checked the argument count")
    };
    let content_type = move_inputs::content_type(content_type)?;
    let key = move_inputs::content_key(content_type, End::Source, key)?;
    Ok(MigrationCall {
        method: MethodCall::new(
            COMMAND,
            vec![Parameter::Enum(content_type.wire()), Parameter::String(key)],
        ),
        answer: JsonAnswer::MoveState,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_type_and_source_key_and_checks_the_key_by_type() {
        let call = stop_move(&["Group", "sales"]).unwrap();
        assert_eq!(
            call.method.parameters,
            vec![Parameter::Enum(1), Parameter::String("sales".into())]
        );
        let error = stop_move(&["Odb", "alex"]).unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            (
                "SourceUserPrincipalNameInvalid",
                Some("SourceUserPrincipalName")
            )
        );
        let error = stop_move(&["RegSite", "sites/a"]).unwrap_err();
        assert_eq!(error.parameter(), Some("SourceSiteUrl"));
        assert_eq!(
            stop_move(&["2", "x"]).unwrap_err().id(),
            "ContentTypeOutOfRange"
        );
    }
}
