//! The rules for identity map rows (Microsoft's six-column format, no header row) and the
//! map item each good row becomes: the six fields, trimmed, joined with commas.
//!
//! `User,<SourceTenantCompanyID>,<SourceUserUpn>,<TargetUserUpn>,<TargetUserEmail>,<UserType>`
//! `Group,<SourceTenantCompanyID>,<SourceGroupObjectID>,<TargetGroupObjectID>,<GroupName>,<GroupType>`

use super::csv::{Record, SyntaxProblem};
use crate::csom::{
    TenantIdentityMappingGroupField, TenantIdentityMappingGroupType,
    TenantIdentityMappingUserField, TenantIdentityMappingUserType,
};
use crate::operations::account_names::{is_email_address, is_user_principal_name};
use std::collections::HashMap;
use uuid::Uuid;

/// Columns of every row.
const COLUMNS: usize = 6;

/// A good row, ready to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapItem {
    pub line: usize,
    pub item: String,
    /// What it maps, to find it in the tenant's map after the upload.
    pub mapped: Mapped,
}

/// A bad row: its line and `what is wrong — how to fix it` (several joined with "; ").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub text: String,
}

/// How the map's keys and names are compared, here and when entries are read back: ignoring
/// case in any script (Unicode lowercase, so `Élodie@` and `élodie@` are one user), as the
/// service compares them.
pub fn folded(text: &str) -> String {
    text.to_lowercase()
}

/// The map items of every row, or every row's problems when any row is bad.
pub fn check(records: &[Record]) -> Result<Vec<MapItem>, Vec<RowProblem>> {
    let mut items = Vec::with_capacity(records.len());
    let mut problems = Vec::new();
    let mut source_keys: HashMap<String, usize> = HashMap::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let fields: Vec<&str> = record.fields.iter().map(|f| f.trim()).collect();
        // Excel writes ",,,,," for an empty row that once held formatting.
        if record.problem.is_none() && fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        match check_row(index, record, &fields) {
            Ok((item, key, mapped)) => {
                if let Some(first) = source_keys.get(&folded(&key)) {
                    problems.push(RowProblem {
                        line: record.line,
                        text: format!("{} '{}' is also on line {first} — keep one row per source {} (the server would keep only the last)", key_column(&fields), key, key_noun(&fields)),
                    });
                } else {
                    source_keys.insert(folded(&key), record.line);
                    items.push(MapItem {
                        line: record.line,
                        item,
                        mapped,
                    });
                }
            }
            Err(text) => problems.push(RowProblem {
                line: record.line,
                text,
            }),
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

/// The item and its source key, or what is wrong with the row.
fn check_row(
    index: usize,
    record: &Record,
    fields: &[&str],
) -> Result<(String, String, Mapped), String> {
    match record.problem {
        Some(SyntaxProblem::UnclosedQuote) => return Err("a quoted field is never closed, so the rest of the file is read as one field — add the missing closing quote (\")".into()),
        Some(SyntaxProblem::TextAfterClosingQuote) => return Err("text follows a closing quote before the next comma — put the whole field in quotes and double any quote inside it (\"\")".into()),
        None => {}
    }
    if fields.len() == 1 && fields[0].contains(';') {
        return Err("the fields are separated by semicolons — save the file with commas (in Excel: Save As > 'CSV UTF-8 (Comma delimited)'; or set the list separator to a comma)".into());
    }
    let kind = fields[0];
    let is_user = kind.eq_ignore_ascii_case("User");
    let is_group = kind.eq_ignore_ascii_case("Group");
    if index == 0 && !is_user && !is_group && looks_like_header(fields) {
        return Err("this looks like a header row — delete it; the identity map has no header row, every row is a User or Group mapping".into());
    }
    if fields.len() != COLUMNS {
        return Err(format!(
            "has {} field(s), expected {COLUMNS} — a row is User or Group, SourceTenantCompanyID, then four more columns; put fields that contain commas in double quotes",
            fields.len()
        ));
    }
    let mut wrong = Vec::new();
    if let Some((column, _)) = fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.contains(',') || f.chars().any(char::is_control))
    {
        wrong.push(format!("column {} contains a comma, a line break or another control character — remove it; map items cannot carry them", column + 1));
    }
    if !is_user && !is_group {
        wrong.push(format!("column 1 is '{kind}' — write User or Group"));
        return Err(wrong.join("; "));
    }
    let checked = if is_user {
        check_user(fields[1], fields[2], fields[3], fields[4], fields[5]).map(|user| {
            let item = format!(
                "User,{},{},{},{},{}",
                user.company,
                user.source,
                user.target_upn,
                user.target_email,
                user.user_type.name()
            );
            (item, user.source.clone(), user.mapped())
        })
    } else {
        check_group(fields[1], fields[2], fields[3], fields[4], fields[5]).map(|group| {
            let item = format!(
                "Group,{},{},{},{},{}",
                group.company,
                group.source,
                group.target,
                group.name,
                group.group_type.name()
            );
            (item, group.source.to_string(), group.mapped())
        })
    };
    match checked {
        Ok(row) if wrong.is_empty() => Ok(row),
        Ok(_) => Err(wrong.join("; ")),
        Err(problems) => {
            wrong.extend(
                problems
                    .iter()
                    .map(|(field, text)| format!("{} {text}", field.column())),
            );
            Err(wrong.join("; "))
        }
    }
}

/// One value of a mapping, as a CSV row names its column and as the Add- commands name their
/// parameter: the checks below are the same for both, only the name in the message differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    SourceTenantCompanyId,
    SourceUser,
    TargetUserUpn,
    TargetUserEmail,
    UserType,
    SourceGroup,
    TargetGroup,
    GroupName,
    GroupType,
}

impl Field {
    /// How a complaint about a CSV row names it.
    fn column(self) -> &'static str {
        match self {
            Field::SourceTenantCompanyId => "column 2 (SourceTenantCompanyID)",
            Field::SourceUser => "column 3 (SourceUserUpn)",
            Field::TargetUserUpn => "column 4 (TargetUserUpn)",
            Field::TargetUserEmail => "column 5 (TargetUserEmail)",
            Field::UserType => "column 6 (UserType)",
            Field::SourceGroup => "column 3 (SourceGroupObjectID)",
            Field::TargetGroup => "column 4 (TargetGroupObjectID)",
            Field::GroupName => "column 5 (GroupName)",
            Field::GroupType => "column 6 (GroupType)",
        }
    }

    /// The parameter of `Add-SPOTenantIdentityMappingUser` or `...Group` that carries it.
    pub fn parameter(self) -> &'static str {
        match self {
            Field::SourceTenantCompanyId => "SourceTenantCompanyId",
            Field::SourceUser => "SourceUserKey",
            Field::TargetUserUpn => "TargetUserUpn",
            Field::TargetUserEmail => "TargetUserEmail",
            Field::UserType => "UserType",
            Field::SourceGroup => "SourceGroupObjectId",
            Field::TargetGroup => "TargetGroupObjectId",
            Field::GroupName => "TargetGroupName",
            Field::GroupType => "GroupType",
        }
    }

    /// The id of a refusal of that parameter.
    pub fn error_id(self) -> &'static str {
        match self {
            Field::SourceTenantCompanyId => "SourceTenantCompanyIdInvalid",
            Field::SourceUser => "SourceUserKeyInvalid",
            Field::TargetUserUpn => "TargetUserUpnInvalid",
            Field::TargetUserEmail => "TargetUserEmailInvalid",
            Field::UserType => "UserTypeInvalid",
            Field::SourceGroup => "SourceGroupObjectIdInvalid",
            Field::TargetGroup => "TargetGroupObjectIdInvalid",
            Field::GroupName => "TargetGroupNameInvalid",
            Field::GroupType => "GroupTypeInvalid",
        }
    }
}

/// What is wrong with each bad value: the field and `'value' what is wrong — how to fix it`.
pub type Problems = Vec<(Field, String)>;

/// What a good row or entry maps, for finding it in the tenant's map again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    User { source: String, target: String },
    Group { source: Uuid, target: Uuid },
}

/// A user mapping whose values passed the checks, trimmed and canonical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserValues {
    pub company: Uuid,
    pub source: String,
    pub target_upn: String,
    pub target_email: String,
    pub user_type: TenantIdentityMappingUserType,
}

impl UserValues {
    pub fn mapped(&self) -> Mapped {
        Mapped::User {
            source: self.source.clone(),
            target: self.target_upn.clone(),
        }
    }
}

/// A group mapping whose values passed the checks, trimmed and canonical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupValues {
    pub company: Uuid,
    pub source: Uuid,
    pub target: Uuid,
    pub name: String,
    pub group_type: TenantIdentityMappingGroupType,
}

impl GroupValues {
    pub fn mapped(&self) -> Mapped {
        Mapped::Group {
            source: self.source,
            target: self.target,
        }
    }
}

/// Checks a user mapping's values (a `User` row's columns 2-6): every problem, in order.
pub fn check_user(
    company: &str,
    source: &str,
    target_upn: &str,
    target_email: &str,
    user_type: &str,
) -> Result<UserValues, Problems> {
    let mut wrong = Problems::new();
    let company = company_id(company, &mut wrong);
    let source = user_principal_name(Field::SourceUser, source, &mut wrong);
    let target_upn = user_principal_name(Field::TargetUserUpn, target_upn, &mut wrong);
    let target_email = email_address(Field::TargetUserEmail, target_email, &mut wrong);
    let user_type = mapping_type(
        Field::UserType,
        user_type,
        TenantIdentityMappingUserType::from_name,
        TenantIdentityMappingUserType::None,
        "user type — write RegularUser, AdminUser or GuestUser",
        &mut wrong,
    );
    match (company, source, target_upn, target_email, user_type) {
        (Some(company), Some(source), Some(target_upn), Some(target_email), Some(user_type))
            if wrong.is_empty() =>
        {
            Ok(UserValues {
                company,
                source,
                target_upn,
                target_email,
                user_type,
            })
        }
        _ => Err(wrong),
    }
}

/// Checks a group mapping's values (a `Group` row's columns 2-6): every problem, in order.
pub fn check_group(
    company: &str,
    source: &str,
    target: &str,
    name: &str,
    group_type: &str,
) -> Result<GroupValues, Problems> {
    let mut wrong = Problems::new();
    let company = company_id(company, &mut wrong);
    let source = guid(
        Field::SourceGroup,
        source,
        "the group's object ID in the source tenant",
        &mut wrong,
    );
    let target = guid(
        Field::TargetGroup,
        target,
        "the group's object ID in the target tenant",
        &mut wrong,
    );
    let name = name.trim();
    if name.is_empty() {
        wrong.push((
            Field::GroupName,
            "is empty — write the group's display name".into(),
        ));
    }
    let group_type = mapping_type(
        Field::GroupType,
        group_type,
        TenantIdentityMappingGroupType::from_name,
        TenantIdentityMappingGroupType::None,
        "group type — write RegularGroup, AdminGroup or O365Group",
        &mut wrong,
    );
    match (company, source, target, group_type) {
        (Some(company), Some(source), Some(target), Some(group_type)) if wrong.is_empty() => {
            Ok(GroupValues {
                company,
                source,
                target,
                name: name.to_owned(),
                group_type,
            })
        }
        _ => Err(wrong),
    }
}

/// Checks the value a user entry is looked up by (`Get-`/`Remove-SPOTenantIdentityMappingUser`)
/// by the rule of its field, as in a row: the canonical value, or what is wrong with it.
pub fn check_user_lookup(
    field: TenantIdentityMappingUserField,
    value: &str,
) -> Result<String, String> {
    let mut wrong = Problems::new();
    let checked = match field {
        TenantIdentityMappingUserField::SourceUserKey => {
            user_principal_name(Field::SourceUser, value, &mut wrong)
        }
        TenantIdentityMappingUserField::TargetUserUpn => {
            user_principal_name(Field::TargetUserUpn, value, &mut wrong)
        }
        TenantIdentityMappingUserField::TargetUserEmail => {
            email_address(Field::TargetUserEmail, value, &mut wrong)
        }
        TenantIdentityMappingUserField::TargetUserPuid => return any_text(value),
    };
    checked.ok_or_else(|| first_problem(wrong))
}

/// Checks the value a group entry is looked up by (`Get-`/`Remove-SPOTenantIdentityMappingGroup`):
/// object ids are GUIDs (sent in canonical form), a name is any text.
pub fn check_group_lookup(
    field: TenantIdentityMappingGroupField,
    value: &str,
) -> Result<String, String> {
    let (field, what) = match field {
        TenantIdentityMappingGroupField::SourceGroupObjectId => (
            Field::SourceGroup,
            "the group's object ID in the source tenant",
        ),
        TenantIdentityMappingGroupField::TargetGroupObjectId => (
            Field::TargetGroup,
            "the group's object ID in the target tenant",
        ),
        TenantIdentityMappingGroupField::TargetGroupName => return any_text(value),
    };
    let mut wrong = Problems::new();
    guid(field, value, what, &mut wrong)
        .map(|id| id.to_string())
        .ok_or_else(|| first_problem(wrong))
}

/// A value with no shape of its own (a PUID, a group name): anything but blank.
fn any_text(text: &str) -> Result<String, String> {
    match text.trim() {
        "" => Err("is empty — give the value to look for".into()),
        text => Ok(text.to_owned()),
    }
}

fn first_problem(wrong: Problems) -> String {
    wrong
        .into_iter()
        .next()
        .map(|(_, text)| text)
        .unwrap_or_default()
}

/// A user or group type by name, ignoring case; `None` is refused (it maps nobody).
fn mapping_type<T: PartialEq>(
    field: Field,
    text: &str,
    from_name: fn(&str) -> Option<T>,
    none: T,
    what: &str,
    wrong: &mut Problems,
) -> Option<T> {
    let text = text.trim();
    let found = from_name(text).filter(|t| *t != none);
    if found.is_none() {
        wrong.push((field, format!("'{text}' is not a {what}")));
    }
    found
}

fn company_id(text: &str, wrong: &mut Problems) -> Option<Uuid> {
    guid(
        Field::SourceTenantCompanyId,
        text,
        "the source tenant's ID (Get-MgOrganization shows it)",
        wrong,
    )
}

fn user_principal_name(field: Field, text: &str, wrong: &mut Problems) -> Option<String> {
    let text = text.trim();
    if is_user_principal_name(text) {
        return Some(text.to_owned());
    }
    wrong.push((field, format!("'{text}' is not a user principal name — write the user's sign-in name, e.g. alex@contoso.onmicrosoft.com")));
    None
}

fn email_address(field: Field, text: &str, wrong: &mut Problems) -> Option<String> {
    let text = text.trim();
    if is_email_address(text) {
        return Some(text.to_owned());
    }
    wrong.push((field, format!("'{text}' is not an e-mail address — write the target user's address, e.g. alex@fabrikam.com")));
    None
}

fn guid(field: Field, text: &str, what: &str, wrong: &mut Problems) -> Option<Uuid> {
    let text = text.trim();
    let parsed = Uuid::try_parse(text).ok();
    if parsed.is_none() {
        wrong.push((
            field,
            format!(
                "'{text}' is not a GUID — write {what}, e.g. 3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11"
            ),
        ));
    }
    parsed
}

/// A first row of column titles, as an admin who started from a spreadsheet might leave.
fn looks_like_header(fields: &[&str]) -> bool {
    fields.iter().any(|f| {
        let f = f.to_ascii_lowercase();
        [
            "type",
            "upn",
            "objectid",
            "companyid",
            "tenant",
            "email",
            "source",
            "target",
            "name",
        ]
        .iter()
        .any(|word| f.contains(word))
    })
}

fn key_column(fields: &[&str]) -> &'static str {
    if fields[0].eq_ignore_ascii_case("User") {
        "SourceUserUpn"
    } else {
        "SourceGroupObjectID"
    }
}

fn key_noun(fields: &[&str]) -> &'static str {
    if fields[0].eq_ignore_ascii_case("User") {
        "user"
    } else {
        "group"
    }
}

#[cfg(test)]
mod tests {
    use super::super::csv::records;
    use super::*;

    pub const COMPANY: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
    pub const GROUP_A: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    pub const GROUP_B: &str = "16fd2706-8baf-433b-82eb-8c7fada847da";

    fn run(text: &str) -> Result<Vec<MapItem>, Vec<RowProblem>> {
        check(&records(text))
    }

    #[test]
    fn good_rows_become_canonical_items() {
        let text = format!(
            " user , {}, alex@contoso.com ,alex@fabrikam.com,alex@fabrikam.com,regularuser\r\nGroup,{COMPANY},{GROUP_A},{{{GROUP_B}}},\"Sales \"\"EMEA\"\"\",O365Group\r\n,,,,,\r\n",
            COMPANY.to_uppercase()
        );
        let items = run(&text).unwrap();
        assert_eq!(
            items,
            vec![
                MapItem {
                    line: 1,
                    item: format!(
                        "User,{COMPANY},alex@contoso.com,alex@fabrikam.com,alex@fabrikam.com,RegularUser"
                    ),
                    mapped: Mapped::User {
                        source: "alex@contoso.com".into(),
                        target: "alex@fabrikam.com".into()
                    }
                },
                MapItem {
                    line: 2,
                    item: format!("Group,{COMPANY},{GROUP_A},{GROUP_B},Sales \"EMEA\",O365Group"),
                    mapped: Mapped::Group {
                        source: Uuid::parse_str(GROUP_A).unwrap(),
                        target: Uuid::parse_str(GROUP_B).unwrap()
                    }
                },
            ]
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_a_fix() {
        let good =
            format!("User,{COMPANY},a@contoso.com,a@fabrikam.com,a@fabrikam.com,RegularUser");
        let text = [
            "Type,SourceTenantCompanyID,SourceUpn,TargetUpn,TargetEmail,UserType".to_owned(),
            good.clone(),
            format!("User,{COMPANY},a@contoso.com,b@fabrikam.com,b@fabrikam.com,GuestUser"),
            format!("Person,{COMPANY},c@contoso.com,c@fabrikam.com,c@fabrikam.com,RegularUser"),
            format!("User,{COMPANY},c@contoso.com,c@fabrikam.com"),
            "User,not-a-guid,d,d@fabrikam.com,d@,Owner".to_owned(),
            format!("Group,{COMPANY},{GROUP_A},x,,None"),
            format!("User,{COMPANY},\"e,f@contoso.com\",e@fabrikam.com,e@fabrikam.com,RegularUser"),
            "\"open".to_owned(),
        ]
        .join("\n");
        let problems = run(&text).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![1, 3, 4, 5, 6, 7, 8, 9]);
        let text_of = |line: usize| {
            problems
                .iter()
                .find(|p| p.line == line)
                .unwrap()
                .text
                .clone()
        };
        assert!(text_of(1).contains("header row"));
        assert!(text_of(3).contains("also on line 2"));
        assert!(text_of(4).contains("write User or Group"));
        assert!(text_of(5).contains("has 4 field(s), expected 6"));
        let six = text_of(6);
        for fragment in [
            "column 2 (SourceTenantCompanyID) 'not-a-guid' is not a GUID",
            "column 3 (SourceUserUpn) 'd'",
            "column 5 (TargetUserEmail) 'd@'",
            "column 6 (UserType) 'Owner'",
        ] {
            assert!(six.contains(fragment), "{six}");
        }
        let seven = text_of(7);
        for fragment in [
            "column 4 (TargetGroupObjectID) 'x'",
            "column 5 (GroupName) is empty",
            "column 6 (GroupType) 'None'",
        ] {
            assert!(seven.contains(fragment), "{seven}");
        }
        assert!(text_of(8).contains("column 3 contains a comma"));
        assert!(text_of(9).contains("never closed"));
        assert!(problems.iter().all(|p| p.text.contains(" — ")));
    }

    #[test]
    fn duplicate_keys_ignore_case_and_groups_compare_by_object_id() {
        let text = format!(
            "User,{COMPANY},A@contoso.com,a@fabrikam.com,a@fabrikam.com,RegularUser\nUser,{COMPANY},a@CONTOSO.com,b@fabrikam.com,b@fabrikam.com,RegularUser\nGroup,{COMPANY},{GROUP_A},{GROUP_B},x,RegularGroup\nGroup,{COMPANY},{},{GROUP_B},y,AdminGroup\nUser,{COMPANY},Élodie@contoso.com,e@fabrikam.com,e@fabrikam.com,RegularUser\nUser,{COMPANY},élodie@contoso.com,e@fabrikam.com,e@fabrikam.com,RegularUser\n",
            GROUP_A.to_uppercase()
        );
        let problems = run(&text).unwrap_err();
        assert_eq!(
            problems.iter().map(|p| p.line).collect::<Vec<_>>(),
            vec![2, 4, 6]
        );
        assert!(problems[1].text.contains("SourceGroupObjectID"));
    }
}
