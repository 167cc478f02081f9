//! The target tenant's identity map.
//!
//! `Add-SPOTenantIdentityMap`: the whole job in one call. Read the file, decode it, read its
//! CSV, check every row (and refuse the file, listing every bad row, before anything is sent),
//! fit it in one request (or, when the admin allows it, in parts), upload it with progress,
//! report the server's per-row rejections by CSV line, and read rows back to confirm the map
//! is in place.
//!
//! `Add-`, `Get-` and `Remove-SPOTenantIdentityMapping{User,Group}`: one entry at a time
//! (`entry_calls`), its values checked by the same rules as the rows (`rows`).

pub mod csv;
pub mod entries;
pub mod entry_calls;
pub mod file;
pub mod read_back;
pub mod request_parts;
pub mod rows;
pub mod text;
pub mod upload;

use crate::csom::request::MAX_REQUEST_BYTES;
use crate::error::Error;
use crate::operations::move_inputs;
use file::PARAMETER;
use request_parts::{rows_that_fit, thousands};
use rows::RowProblem;
pub use upload::IdentityMapUpload;

/// The server method, as `spo_call` names the command.
pub const COMMAND: &str = "AddOrUpdateTenantIdentityMap";

/// The switch that lets a map too large for one request go in several.
pub const ALLOW_MULTIPLE_REQUESTS: &str = "AllowMultipleRequests";

/// The arguments: the absolute path of the CSV file, and the switch ("true"/"false").
pub const PARAMETERS: &[&str] = &[PARAMETER, ALLOW_MULTIPLE_REQUESTS];

/// Bad rows listed in one refusal; the rest are counted.
const MAX_LISTED: usize = 200;

/// Reads and checks the file; a map that needs more than one request is refused unless the
/// switch allows it.
pub fn identity_map(arguments: &[&str]) -> Result<IdentityMapUpload, Error> {
    let [path, allow] = arguments else {
        unreachable!("the command table checked the argument count")
    };
    let allow = move_inputs::switch(
        allow,
        "AllowMultipleRequestsInvalid",
        ALLOW_MULTIPLE_REQUESTS,
    )?;
    let bytes = file::read(path)?;
    let upload = from_bytes(&bytes, path)?;
    if upload.plan().parts.len() > 1 && !allow {
        return Err(over_request_limit(&upload, path));
    }
    Ok(upload)
}

/// The refusal of a map that one request cannot carry: the numbers and the two ways out.
fn over_request_limit(upload: &IdentityMapUpload, source: &str) -> Error {
    let plan = upload.plan();
    let fit = thousands(rows_that_fit(plan, upload.rows()));
    Error::invalid_argument(
        "IdentityMapOverRequestLimit",
        PARAMETER,
        format!(
            "'{source}' has {} rows, which make a request of {} bytes; SharePoint Online accepts at most {} bytes in one request (about {fit} rows of this map). Nothing was sent. \
             An upload replaces the tenant's whole map, so a map sent in several requests may keep only its last part. \
             Split the migration into waves whose maps fit (up to about {fit} rows each) and upload each wave's map before starting its moves; \
             or, to send this map in {} requests on purpose, run the command again with -{ALLOW_MULTIPLE_REQUESTS}: it then reads back the first and last row of every part and fails, naming them, if parts are gone.",
            thousands(upload.rows()),
            thousands(plan.whole_bytes),
            thousands(MAX_REQUEST_BYTES),
            plan.parts.len()
        ),
    )
}

/// Decodes, reads and checks a map's bytes (`source` names the file in messages).
pub fn from_bytes(bytes: &[u8], source: &str) -> Result<IdentityMapUpload, Error> {
    let text = text::decode(bytes)?;
    let records = csv::records(&text);
    let items = rows::check(&records).map_err(|problems| invalid(source, &problems))?;
    if items.is_empty() {
        return Err(Error::invalid_argument(
            "IdentityMapEmpty",
            PARAMETER,
            format!(
                "'{source}' has no rows; each row maps one user (User,...) or group (Group,...) of the source tenant to the target tenant."
            ),
        ));
    }
    IdentityMapUpload::new(items)
}

fn invalid(source: &str, problems: &[RowProblem]) -> Error {
    let mut message = format!(
        "'{source}' has {} bad row(s); nothing was uploaded. Fix them and run the command again:",
        problems.len()
    );
    for problem in problems.iter().take(MAX_LISTED) {
        message.push_str(&format!("\nline {}: {}", problem.line, problem.text));
    }
    if problems.len() > MAX_LISTED {
        message.push_str(&format!("\nand {} more", problems.len() - MAX_LISTED));
    }
    Error::invalid_argument("IdentityMapInvalid", PARAMETER, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPANY: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn a_good_map_becomes_an_upload_of_every_row() {
        let text = format!(
            "User,{COMPANY},a@contoso.com,a@fabrikam.com,a@fabrikam.com,RegularUser\r\n\r\n"
        );
        let upload = from_bytes(text.as_bytes(), "map.csv").unwrap();
        assert_eq!(upload.rows(), 1);
    }

    #[test]
    fn a_map_without_rows_is_refused() {
        for text in ["", "\r\n\r\n", ",,,,,\r\n"] {
            let error = from_bytes(text.as_bytes(), "map.csv").unwrap_err();
            assert_eq!(
                (error.id(), error.parameter()),
                ("IdentityMapEmpty", Some(PARAMETER))
            );
        }
    }

    #[test]
    fn a_map_over_the_request_limit_is_refused_unless_parts_are_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.csv");
        let text: String = (1..=14_000)
            .map(|n| format!("User,{COMPANY},u{n}@contoso.onmicrosoft.com,u{n}@fabrikam.onmicrosoft.com,u{n}@fabrikam.com,RegularUser\r\n"))
            .collect();
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        let error = identity_map(&[path, "false"]).unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("IdentityMapOverRequestLimit", Some(PARAMETER))
        );
        let message = error.message();
        for fragment in [
            "has 14,000 rows, which make a request of ",
            "at most 2,097,152 bytes in one request (about 1",
            "Nothing was sent.",
            "Split the migration into waves",
            "in 2 requests on purpose, run the command again with -AllowMultipleRequests",
        ] {
            assert!(message.contains(fragment), "{message}");
        }
        let upload = identity_map(&[path, "True"]).unwrap();
        assert_eq!(upload.plan().parts.len(), 2);
        assert!(upload.plan().bytes.iter().all(|b| *b <= MAX_REQUEST_BYTES));
        assert_eq!(
            identity_map(&[path, "maybe"]).unwrap_err().id(),
            "AllowMultipleRequestsInvalid"
        );
    }

    #[test]
    fn the_refusal_lists_at_most_200_rows_then_counts_the_rest() {
        let text = "Person,x,y,z,w,v\n".repeat(250);
        let error = from_bytes(text.as_bytes(), "map.csv").unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("IdentityMapInvalid", Some(PARAMETER))
        );
        let message = error.message();
        assert!(message.contains("250 bad row(s); nothing was uploaded"));
        assert!(message.contains("\nline 200: column 1 is 'Person' — write User or Group"));
        assert!(!message.contains("\nline 201:"));
        assert!(message.ends_with("\nand 50 more"), "{message}");
    }
}
