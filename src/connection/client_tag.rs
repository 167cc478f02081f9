//! Connect-SPOService -ClientTag: the rule for what may be sent as the
//! `X-ClientService-ClientTag` header, checked when the settings are, before anything is sent.

use crate::error::Error;

/// The header that carries the tag.
pub const HEADER: &str = "x-clientservice-clienttag";

/// The tag to send, or None when it is blank. Any control character (a pasted CR/LF
/// included, even at the end) is refused rather than trimmed away, and so is anything a
/// header cannot carry.
pub fn checked(tag: &str) -> Result<Option<String>, Error> {
    let refuse = |why: &str| {
        Error::invalid_argument(
            "ClientTagInvalid",
            "ClientTag",
            format!("The client tag {why}; it may contain only printable ASCII characters."),
        )
    };
    if tag.chars().any(char::is_control) {
        return Err(refuse(
            "contains a control character (such as a line break or tab)",
        ));
    }
    if !tag.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        return Err(refuse("contains a character that is not printable ASCII"));
    }
    let tag = tag.trim();
    Ok((!tag.is_empty()).then(|| tag.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_passes_and_blank_means_none() {
        assert_eq!(
            checked(" MigrationRun42 ").unwrap().as_deref(),
            Some("MigrationRun42")
        );
        assert_eq!(checked("  ").unwrap(), None);
    }

    #[test]
    fn control_and_non_ascii_characters_are_refused_with_the_parameter() {
        for bad in ["tag\r\n", "tag\n", "a\tb", "\u{7f}", "tag\u{0}", "tä g"] {
            let error = checked(bad).unwrap_err();
            assert_eq!(error.id(), "ClientTagInvalid", "{bad:?}");
            assert_eq!(error.parameter(), Some("ClientTag"));
        }
    }
}
