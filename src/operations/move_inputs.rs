//! The arguments of the content-move commands, checked before anything is sent: content
//! type, the keys that name what moves (UPN, site URL, group alias), host URLs, dates,
//! switches, and the filters of the state query. Each refusal names the parameter as the
//! cmdlet names it, so the module's ErrorRecord points at what the admin typed.

use super::account_names::{is_group_alias, is_user_principal_name};
use crate::csom::{MnAWorkManagerContentType, MoveDirection, MoveState, OrgRelationRole};
use crate::error::Error;
use crate::site_url;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use url::Url;
use uuid::Uuid;

/// Which end of a move a key names: the cmdlets call them Source... and Target....
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Source,
    Target,
}

/// The content type named `name` (Odb, RegSite, Group; ignoring case). Numbers are refused.
pub fn content_type(name: &str) -> Result<MnAWorkManagerContentType, Error> {
    MnAWorkManagerContentType::from_name(name.trim()).ok_or_else(|| {
        Error::invalid_argument(
            "ContentTypeOutOfRange",
            "ContentType",
            format!("'{name}' is not a content type name; use Odb (a user's OneDrive), RegSite (a site) or Group (a group's site)."),
        )
    })
}

/// The key that names a user, site or group at one end of a move, checked for its shape.
pub fn content_key(
    content_type: MnAWorkManagerContentType,
    end: End,
    text: &str,
) -> Result<String, Error> {
    let text = text.trim();
    match (content_type, end) {
        (MnAWorkManagerContentType::Odb, End::Source) => user(
            text,
            "SourceUserPrincipalNameInvalid",
            "SourceUserPrincipalName",
        ),
        (MnAWorkManagerContentType::Odb, End::Target) => user(
            text,
            "TargetUserPrincipalNameInvalid",
            "TargetUserPrincipalName",
        ),
        (MnAWorkManagerContentType::RegSite, End::Source) => {
            site(text, "SourceSiteUrlInvalid", "SourceSiteUrl")
        }
        (MnAWorkManagerContentType::RegSite, End::Target) => {
            site(text, "TargetSiteUrlInvalid", "TargetSiteUrl")
        }
        (MnAWorkManagerContentType::Group, End::Source) => {
            group(text, "SourceGroupAliasInvalid", "SourceGroupAlias")
        }
        (MnAWorkManagerContentType::Group, End::Target) => {
            group(text, "TargetGroupAliasInvalid", "TargetGroupAlias")
        }
    }
}

fn user(text: &str, id: &'static str, parameter: &'static str) -> Result<String, Error> {
    if is_user_principal_name(text) {
        Ok(text.to_owned())
    } else {
        Err(Error::invalid_argument(
            id,
            parameter,
            format!(
                "'{text}' is not a user principal name; give the user's sign-in name, e.g. alex@contoso.onmicrosoft.com."
            ),
        ))
    }
}

fn group(text: &str, id: &'static str, parameter: &'static str) -> Result<String, Error> {
    if is_group_alias(text) {
        Ok(text.to_owned())
    } else {
        Err(Error::invalid_argument(
            id,
            parameter,
            format!(
                "'{text}' is not a group alias; give the group's mail nickname (the part of its address before the @, 1 to 64 letters, digits, '-', '_' or '.', no spaces), e.g. sales-emea."
            ),
        ))
    }
}

/// An absolute https URL of a site (plain http only for a local emulator), without user
/// name, query or fragment. Returned trimmed, otherwise as typed.
pub fn site(text: &str, id: &'static str, parameter: &'static str) -> Result<String, Error> {
    let refuse = |why: &str| {
        Error::invalid_argument(
            id,
            parameter,
            format!(
                "'{text}' {why}; give the site's full address, e.g. https://contoso.sharepoint.com/sites/sales."
            ),
        )
    };
    if text.is_empty() {
        return Err(refuse("is empty"));
    }
    if text.chars().any(char::is_control) {
        return Err(refuse(
            "contains control characters (tabs, line breaks or similar)",
        ));
    }
    let url = match Url::parse(text) {
        Ok(url) if url.has_host() && !url.cannot_be_a_base() => url,
        _ => return Err(refuse("is not an absolute URL")),
    };
    match url.scheme() {
        "https" => {}
        "http" if site_url::is_loopback(&url) => {}
        _ => return Err(refuse("does not start with https://")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("contains a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("has a query (?...) or fragment (#...)"));
    }
    Ok(text.to_owned())
}

/// The partner's cross-tenant host URL, checked as for trust, named `parameter`.
pub fn host_url(text: &str, parameter: &'static str) -> Result<String, Error> {
    site_url::partner_host_url(text).map_err(|e| e.for_parameter(parameter))
}

/// An ISO-8601 (RFC 3339) date with a time zone, e.g. `2026-12-24T22:00:00Z`; "" is
/// "not given".
pub fn optional_date(
    text: &str,
    id: &'static str,
    parameter: &'static str,
) -> Result<Option<OffsetDateTime>, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        // Near the end of year 9999 a negative offset has no UTC form.
        .and_then(|date| date.checked_to_offset(time::UtcOffset::UTC))
        .map(Some)
        .ok_or_else(|| {
            Error::invalid_argument(
                id,
                parameter,
                format!("'{text}' is not a date the engine can read; pass it in UTC as ISO-8601, e.g. 2026-12-24T22:00:00Z (in PowerShell: $date.ToUniversalTime().ToString('o'))."),
            )
        })
}

/// Refuses an end that is not after its begin (both given).
pub fn in_order(
    begin: Option<OffsetDateTime>,
    end: Option<OffsetDateTime>,
    id: &'static str,
    begin_parameter: &'static str,
    end_parameter: &'static str,
) -> Result<(), Error> {
    match (begin, end) {
        (Some(begin), Some(end)) if end <= begin => Err(Error::invalid_argument(
            id,
            end_parameter,
            format!(
                "-{end_parameter} must be later than -{begin_parameter}; swap them or move the end later."
            ),
        )),
        _ => Ok(()),
    }
}

/// "true" or "false", ignoring case.
pub fn switch(text: &str, id: &'static str, parameter: &'static str) -> Result<bool, Error> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Error::invalid_argument(
            id,
            parameter,
            format!(
                "'{text}' is not a switch value; the engine takes \"true\" or \"false\" for -{parameter}."
            ),
        )),
    }
}

/// A move id (GUID, with or without braces); "" is "any", sent as the all-zero GUID.
pub fn site_move_id(text: &str) -> Result<Uuid, Error> {
    optional(
        text,
        Uuid::nil(),
        |text| Uuid::try_parse(text).ok(),
        |text| {
            Error::invalid_argument(
                "SiteMoveIdInvalid",
                "SiteMoveId",
                format!(
                    "'{text}' is not a GUID; give the MoveJobId of a move, e.g. 3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11."
                ),
            )
        },
    )
}

/// A move state filter by name; "" is "any" (All).
pub fn move_state(text: &str) -> Result<MoveState, Error> {
    optional(text, MoveState::All, MoveState::from_name, |text| {
        Error::invalid_argument(
            "MoveStateOutOfRange",
            "MoveState",
            format!(
                "'{text}' is not a move state name; use one of {}.",
                names(MoveState::ALL.iter().map(|s| s.name()))
            ),
        )
    })
}

/// A move direction filter by name; "" is "any" (All).
pub fn move_direction(text: &str) -> Result<MoveDirection, Error> {
    optional(text, MoveDirection::All, MoveDirection::from_name, |text| {
        Error::invalid_argument(
            "MoveDirectionOutOfRange",
            "MoveDirection",
            format!("'{text}' is not a move direction name; use MoveOut, MoveIn or All."),
        )
    })
}

/// A partner role filter by name; "" is "any" (None).
pub fn partner_role(text: &str) -> Result<OrgRelationRole, Error> {
    optional(
        text,
        OrgRelationRole::None,
        OrgRelationRole::from_name,
        |text| {
            Error::invalid_argument(
                "PartnerRoleOutOfRange",
                "PartnerRole",
                format!(
                    "'{text}' is not a partner role name; use Source or Target (or leave -PartnerRole out for both)."
                ),
            )
        },
    )
}

/// How many states to return: a whole number from 1 up; "" is "no limit" (sent as 0).
pub fn limit(text: &str) -> Result<u32, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<u32>() {
        Ok(limit) if limit > 0 => Ok(limit),
        _ => Err(Error::invalid_argument(
            "LimitInvalid",
            "Limit",
            format!(
                "'{text}' is not a usable limit; give a whole number from 1 to {}, or leave -Limit out to get every move.",
                u32::MAX
            ),
        )),
    }
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// The shape of every optional filter: blank means `any`; otherwise `parse` must accept the
/// trimmed text, and `refuse` explains a value it does not.
fn optional<T>(
    text: &str,
    any: T,
    parse: impl FnOnce(&str) -> Option<T>,
    refuse: impl FnOnce(&str) -> Error,
) -> Result<T, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(any);
    }
    parse(text).ok_or_else(|| refuse(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use MnAWorkManagerContentType::{Group, Odb, RegSite};

    #[test]
    fn content_types_are_names_only() {
        assert_eq!(content_type("odb").unwrap(), Odb);
        assert_eq!(content_type(" RegSite ").unwrap(), RegSite);
        let error = content_type("0").unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("ContentTypeOutOfRange", Some("ContentType"))
        );
    }

    #[test]
    fn keys_are_checked_for_the_shape_of_their_content_type() {
        let refusal = |kind, end, text: &str| {
            let error = content_key(kind, end, text).unwrap_err();
            (error.id(), error.parameter().unwrap())
        };
        assert_eq!(
            content_key(Odb, End::Source, " alex@contoso.com ").unwrap(),
            "alex@contoso.com"
        );
        assert_eq!(
            refusal(Odb, End::Source, "alex"),
            ("SourceUserPrincipalNameInvalid", "SourceUserPrincipalName")
        );
        assert_eq!(
            refusal(Odb, End::Target, ""),
            ("TargetUserPrincipalNameInvalid", "TargetUserPrincipalName")
        );
        assert_eq!(
            refusal(RegSite, End::Source, "contoso.sharepoint.com/sites/x"),
            ("SourceSiteUrlInvalid", "SourceSiteUrl")
        );
        assert_eq!(
            refusal(
                RegSite,
                End::Target,
                "http://fabrikam.sharepoint.com/sites/x"
            ),
            ("TargetSiteUrlInvalid", "TargetSiteUrl")
        );
        assert!(content_key(RegSite, End::Target, "http://127.0.0.1:8080/sites/x").is_ok());
        assert_eq!(
            refusal(Group, End::Source, "sales team"),
            ("SourceGroupAliasInvalid", "SourceGroupAlias")
        );
        assert_eq!(
            refusal(Group, End::Target, "sales@fabrikam.com"),
            ("TargetGroupAliasInvalid", "TargetGroupAlias")
        );
        assert_eq!(content_key(Group, End::Target, "sales").unwrap(), "sales");
    }

    #[test]
    fn site_urls_refuse_user_info_queries_and_control_characters() {
        for bad in [
            "https://u:p@contoso.sharepoint.com/sites/x",
            "https://contoso.sharepoint.com/sites/x?a=1",
            "https://contoso.sharepoint.com/sites/x#top",
            "https://contoso.sharepoint.com/sites/\tx",
            "ftp://contoso.sharepoint.com/sites/x",
            "mailto:x@y.z",
        ] {
            assert!(
                site(bad, "OldSiteUrlInvalid", "OldSiteUrl").is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn host_urls_are_checked_as_for_trust_under_their_own_parameter_name() {
        let error = host_url(
            "https://fabrikam.sharepoint.com",
            "TargetCrossTenantHostUrl",
        )
        .unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            (
                "PartnerUrlNotCrossTenantHost",
                Some("TargetCrossTenantHostUrl")
            )
        );
        assert_eq!(
            host_url("https://Fabrikam-my.sharepoint.com/", "X").unwrap(),
            "https://fabrikam-my.sharepoint.com"
        );
    }

    #[test]
    fn dates_are_iso_with_a_zone_and_must_be_in_order() {
        let begin = optional_date("2026-12-24T22:00:00Z", "B", "PreferredMoveBeginDate")
            .unwrap()
            .unwrap();
        let end = optional_date("2026-12-25T00:30:00+01:00", "E", "PreferredMoveEndDate")
            .unwrap()
            .unwrap();
        assert_eq!(optional_date(" ", "B", "P").unwrap(), None);
        let error = optional_date(
            "24.12.2026",
            "PreferredMoveBeginDateInvalid",
            "PreferredMoveBeginDate",
        )
        .unwrap_err();
        assert_eq!(error.parameter(), Some("PreferredMoveBeginDate"));
        assert!(optional_date("2026-12-24T22:00:00", "B", "P").is_err());
        assert!(optional_date("9999-12-31T23:59:59-23:59", "B", "P").is_err());
        assert!(in_order(Some(begin), Some(end), "X", "B", "E").is_ok());
        let error = in_order(
            Some(end),
            Some(begin),
            "MoveDatesOutOfOrder",
            "PreferredMoveBeginDate",
            "PreferredMoveEndDate",
        )
        .unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("MoveDatesOutOfOrder", Some("PreferredMoveEndDate"))
        );
        assert!(in_order(Some(end), Some(end), "X", "B", "E").is_err());
        assert!(in_order(None, Some(begin), "X", "B", "E").is_ok());
    }

    #[test]
    fn switches_filters_and_limits() {
        assert!(switch("TRUE", "X", "Force").unwrap());
        assert!(!switch("false", "X", "Force").unwrap());
        assert_eq!(
            switch("1", "ForceInvalid", "Force").unwrap_err().id(),
            "ForceInvalid"
        );
        assert_eq!(site_move_id("").unwrap(), Uuid::nil());
        assert!(site_move_id("{3F2C9A1E-0B7D-4C55-9A57-2F1E6F0C8B11}").is_ok());
        assert_eq!(site_move_id("123").unwrap_err().id(), "SiteMoveIdInvalid");
        assert_eq!(move_state("").unwrap(), MoveState::All);
        assert_eq!(move_state("inprogress").unwrap(), MoveState::InProgress);
        assert_eq!(move_state("1").unwrap_err().parameter(), Some("MoveState"));
        assert_eq!(move_direction("").unwrap(), MoveDirection::All);
        assert_eq!(
            move_direction("sideways").unwrap_err().id(),
            "MoveDirectionOutOfRange"
        );
        assert_eq!(partner_role("").unwrap(), OrgRelationRole::None);
        assert_eq!(partner_role("target").unwrap(), OrgRelationRole::Target);
        assert_eq!(limit("").unwrap(), 0);
        assert_eq!(limit("25").unwrap(), 25);
        for bad in ["0", "-1", "2.5", "ten", "4294967296"] {
            assert_eq!(
                (
                    limit(bad).unwrap_err().id(),
                    limit(bad).unwrap_err().parameter()
                ),
                ("LimitInvalid", Some("Limit")),
                "{bad}"
            );
        }
    }
}
