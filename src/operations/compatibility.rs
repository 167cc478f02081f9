//! `Get-SPOCrossTenantCompatibilityStatus`: whether this (source) tenant and a partner can
//! start cross-tenant moves.
//!
//! INFERRED, not confirmed (protocol.md §9, issue 10): no CSOM method exists, so this calls
//! the SharePoint REST function `XTenantMoveCompatibilityCheck(targetTenantHostUrl)` bound to
//! `Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta`, whose result carries
//! `XTenantMoveCompatibilityResult` as an Int32. Both guesses live here and only here:
//! the URL form in [`CHECK_PATH`] and the number-to-name mapping in [`RESULT`] (declaration
//! order of the documented values Compatible, Warning, Incompatible). A correction is a
//! one-line change.
//!
//! It goes through the same connection as ProcessQuery: same token, transport, retries,
//! timeouts and error mapping, with SPRequestGuid as the correlation id.

use super::Outcome;
use crate::connection::Connection;
use crate::csom::EnumTable;
use crate::error::{Error, ErrorKind};
use crate::site_url;
use crate::transport::Progress;
use serde_json::Value;

/// The server method, as `spo_call` names the command.
pub const COMMAND: &str = "XTenantMoveCompatibilityCheck";

/// INFERRED: the REST path below the admin site; the partner host URL goes in the `@p`
/// alias (see [`check_path`]).
pub const CHECK_PATH: &str = "_api/Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta/XTenantMoveCompatibilityCheck(targetTenantHostUrl=@p)";

/// INFERRED: `XTenantMoveCompatibilityResult` numbers and the names the cmdlet shows.
/// The type name is this module's own: the server declares the field as a plain Int32.
pub const RESULT: EnumTable = EnumTable {
    type_name: "SPOCrossTenant.CompatibilityStatus",
    values: &[("Compatible", 0), ("Warning", 1), ("Incompatible", 2)],
};

/// A checked compatibility check, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompatibilityCheck {
    partner_host_url: String,
}

/// Checks the partner URL exactly as Set- does.
pub fn compatibility_check(partner_host_url: &str) -> Result<CompatibilityCheck, Error> {
    Ok(CompatibilityCheck {
        partner_host_url: site_url::partner_host_url(partner_host_url)?,
    })
}

impl CompatibilityCheck {
    /// Sends the check and reads the result as its name.
    pub async fn run(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<Outcome, Error> {
        let (value, correlation_id) = connection
            .rest_get(COMMAND, &check_path(&self.partner_host_url), progress)
            .await?;
        let value =
            read_result(&value).map_err(|e| e.with_correlation_id(correlation_id.clone()))?;
        Ok(Outcome {
            value: value.to_owned(),
            correlation_id,
        })
    }
}

/// `CHECK_PATH?@p='<url>'`: single quotes doubled (OData string literal), then everything
/// but unreserved characters percent-encoded. (The URL parser then writes the quotes around
/// the literal as %27, as WHATWG URLs do in queries; servers decode both the same.)
pub fn check_path(partner_host_url: &str) -> String {
    let literal = partner_host_url.replace('\'', "''");
    let mut encoded = String::with_capacity(literal.len() * 2);
    for byte in literal.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{CHECK_PATH}?@p='{encoded}'")
}

/// The result's name from the JSON answer, plain or wrapped as `{"d":{...}}`.
pub fn read_result(answer: &Value) -> Result<&'static str, Error> {
    let malformed = |why: String| {
        Error::new(
            ErrorKind::InvalidResponse,
            "MalformedResponse",
            format!("The server's answer to the compatibility check is not understood: {why}."),
        )
    };
    let object = answer.get("d").unwrap_or(answer);
    let number = match object.get("XTenantMoveCompatibilityResult") {
        Some(Value::Number(number)) => number
            .as_i64()
            .ok_or_else(|| malformed(format!("{number} is not a whole number")))?,
        Some(other) => {
            return Err(malformed(format!(
                "XTenantMoveCompatibilityResult is {other}"
            )));
        }
        None => return Err(malformed("it has no XTenantMoveCompatibilityResult".into())),
    };
    RESULT
        .name_of(number)
        .ok_or_else(|| malformed(format!("{number} is not a known compatibility result")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_path_carries_the_partner_as_a_quoted_encoded_alias() {
        assert_eq!(
            check_path("https://fabrikam-my.sharepoint.com"),
            format!("{CHECK_PATH}?@p='https%3A%2F%2Ffabrikam-my.sharepoint.com'")
        );
        assert!(
            check_path("http://127.0.0.1:1/o'x")
                .ends_with("@p='http%3A%2F%2F127.0.0.1%3A1%2Fo%27%27x'")
        );
    }

    #[test]
    fn results_map_to_names_plain_or_wrapped() {
        for (number, name) in [(0, "Compatible"), (1, "Warning"), (2, "Incompatible")] {
            let plain = json!({"SourceTenantHostUrl": "s", "TargetTenantHostUrl": "t", "XTenantMoveCompatibilityResult": number});
            assert_eq!(read_result(&plain).unwrap(), name);
            assert_eq!(read_result(&json!({ "d": plain })).unwrap(), name);
        }
    }

    #[test]
    fn unknown_numbers_and_shapes_are_malformed_responses() {
        for bad in [
            json!({"XTenantMoveCompatibilityResult": 3}),
            json!({"XTenantMoveCompatibilityResult": -1}),
            json!({"XTenantMoveCompatibilityResult": "Compatible"}),
            json!({"XTenantMoveCompatibilityResult": 1.5}),
            json!({}),
            json!([]),
        ] {
            let error = read_result(&bad).unwrap_err();
            assert_eq!(
                (error.kind(), error.id()),
                (ErrorKind::InvalidResponse, "MalformedResponse"),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_partner_url_is_checked_like_sets() {
        assert_eq!(
            compatibility_check("https://fabrikam.sharepoint.com")
                .unwrap_err()
                .id(),
            "PartnerUrlNotCrossTenantHost"
        );
        assert_eq!(
            compatibility_check("https://-my.sharepoint.com")
                .unwrap_err()
                .id(),
            "PartnerUrlHasNoTenantName"
        );
        assert!(compatibility_check("https://fabrikam-my.sharepoint.com/").is_ok());
    }
}
