//! `Add-SPOTenantIdentityMap`: the whole job in one call. Read the file, decode it, read
//! its CSV, check every row (and refuse the file, listing every bad row, before anything is
//! sent), then upload it in chunks with progress, and report the server's per-row
//! rejections by CSV line.

pub mod csv;
pub mod file;
pub mod rows;
pub mod text;
pub mod upload;

use crate::error::Error;
use file::PARAMETER;
use rows::RowProblem;
pub use upload::IdentityMapUpload;

/// The server method, as `spo_call` names the command.
pub const COMMAND: &str = "AddOrUpdateTenantIdentityMap";

/// The one argument: the absolute path of the CSV file.
pub const PARAMETERS: &[&str] = &[PARAMETER];

/// Bad rows listed in one refusal; the rest are counted.
const MAX_LISTED: usize = 200;

/// Reads and checks the file named by the one argument.
pub fn identity_map(arguments: &[&str]) -> Result<IdentityMapUpload, Error> {
    let [path] = arguments else {
        unreachable!("the command table checked the argument count")
    };
    let bytes = file::read(path)?;
    from_bytes(&bytes, path)
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
    Ok(IdentityMapUpload::new(items))
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
