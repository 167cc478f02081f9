//! `Find-SPOCrossTenantLongFilePathsForSiteRename`: which files of a site would get paths
//! longer than SharePoint allows if the site were renamed to the new URL.

use super::migration_call::{JsonAnswer, MigrationCall};
use super::move_inputs;
use crate::csom::{MethodCall, Parameter};
use crate::error::Error;

/// The server method, as `spo_call` names the command.
pub const COMMAND: &str = "GetSPOCrossTenantLongFilePathsForSiteRename";

/// The arguments in order.
pub const PARAMETERS: &[&str] = &["OldSiteUrl", "NewSiteUrl"];

/// Checks both site URLs; the value is a JSON array of the files' new URLs.
pub fn long_paths(arguments: &[&str]) -> Result<MigrationCall, Error> {
    let [old, new] = arguments else {
        unreachable!("the command table checked the argument count")
    };
    let old = move_inputs::site(old.trim(), "OldSiteUrlInvalid", "OldSiteUrl")?;
    let new = move_inputs::site(new.trim(), "NewSiteUrlInvalid", "NewSiteUrl")?;
    if old
        .trim_end_matches('/')
        .eq_ignore_ascii_case(new.trim_end_matches('/'))
    {
        return Err(Error::invalid_argument(
            "SiteUrlsIdentical",
            "NewSiteUrl",
            format!(
                "-NewSiteUrl is the same as -OldSiteUrl ('{old}'); give the URL the site would be renamed to."
            ),
        ));
    }
    Ok(MigrationCall {
        method: MethodCall::new(
            COMMAND,
            vec![Parameter::String(old), Parameter::String(new)],
        ),
        answer: JsonAnswer::Texts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_both_urls_and_refuses_bad_or_identical_ones() {
        let call = long_paths(&[
            "https://contoso.sharepoint.com/sites/a",
            " https://contoso.sharepoint.com/sites/a-much-longer-name ",
        ])
        .unwrap();
        assert_eq!(call.answer, JsonAnswer::Texts);
        assert_eq!(
            call.method.parameters[1],
            Parameter::String("https://contoso.sharepoint.com/sites/a-much-longer-name".into())
        );
        let refusal = |old: &str, new: &str| {
            let error = long_paths(&[old, new]).unwrap_err();
            (error.id(), error.parameter().unwrap())
        };
        assert_eq!(
            refusal("sites/a", "https://c.sharepoint.com/sites/b"),
            ("OldSiteUrlInvalid", "OldSiteUrl")
        );
        assert_eq!(
            refusal("https://c.sharepoint.com/sites/a", ""),
            ("NewSiteUrlInvalid", "NewSiteUrl")
        );
        assert_eq!(
            refusal(
                "https://c.sharepoint.com/sites/a",
                "https://C.sharepoint.com/sites/a/"
            ),
            ("SiteUrlsIdentical", "NewSiteUrl")
        );
    }
}
