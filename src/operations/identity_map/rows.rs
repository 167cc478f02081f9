//! The rules for identity map rows (Microsoft's six-column format, no header row) and the
//! map item each good row becomes: the six fields, trimmed, joined with commas.
//!
//! `User,<SourceTenantCompanyID>,<SourceUserUpn>,<TargetUserUpn>,<TargetUserEmail>,<UserType>`
//! `Group,<SourceTenantCompanyID>,<SourceGroupObjectID>,<TargetGroupObjectID>,<GroupName>,<GroupType>`

use super::csv::{Record, SyntaxProblem};
use crate::csom::{TenantIdentityMappingGroupType, TenantIdentityMappingUserType};
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
}

/// A bad row: its line and `what is wrong — how to fix it` (several joined with "; ").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub text: String,
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
            Ok((item, key)) => {
                if let Some(first) = source_keys.get(&key.to_lowercase()) {
                    problems.push(RowProblem {
                        line: record.line,
                        text: format!("{} '{}' is also on line {first} — keep one row per source {} (the server would keep only the last)", key_column(&fields), key, key_noun(&fields)),
                    });
                } else {
                    source_keys.insert(key.to_lowercase(), record.line);
                    items.push(MapItem {
                        line: record.line,
                        item,
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
fn check_row(index: usize, record: &Record, fields: &[&str]) -> Result<(String, String), String> {
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
    let company = guid(
        fields[1],
        "column 2 (SourceTenantCompanyID)",
        "the source tenant's ID (Get-MgOrganization shows it)",
        &mut wrong,
    );
    let (item, key) = if is_user {
        user_item(fields, company, &mut wrong)
    } else {
        group_item(fields, company, &mut wrong)
    };
    if wrong.is_empty() {
        Ok((item, key))
    } else {
        Err(wrong.join("; "))
    }
}

/// A `User` row's item and source key (the source UPN); problems go to `wrong`.
fn user_item(fields: &[&str], company: Option<Uuid>, wrong: &mut Vec<String>) -> (String, String) {
    for (column, value, what) in [
        (3, fields[2], "SourceUserUpn"),
        (4, fields[3], "TargetUserUpn"),
    ] {
        if !is_user_principal_name(value) {
            wrong.push(format!("column {column} ({what}) '{value}' is not a user principal name — write the user's sign-in name, e.g. alex@contoso.onmicrosoft.com"));
        }
    }
    if !is_email_address(fields[4]) {
        wrong.push(format!("column 5 (TargetUserEmail) '{}' is not an e-mail address — write the target user's address, e.g. alex@fabrikam.com", fields[4]));
    }
    let user_type = TenantIdentityMappingUserType::from_name(fields[5])
        .filter(|t| *t != TenantIdentityMappingUserType::None);
    if user_type.is_none() {
        wrong.push(format!("column 6 (UserType) '{}' is not a user type — write RegularUser, AdminUser or GuestUser", fields[5]));
    }
    let name = user_type.map_or("", |t| t.name());
    (
        format!(
            "User,{},{},{},{},{name}",
            company.map(|g| g.to_string()).unwrap_or_default(),
            fields[2],
            fields[3],
            fields[4]
        ),
        fields[2].to_owned(),
    )
}

/// A `Group` row's item and source key (the source group's object id); problems go to `wrong`.
fn group_item(fields: &[&str], company: Option<Uuid>, wrong: &mut Vec<String>) -> (String, String) {
    let source = guid(
        fields[2],
        "column 3 (SourceGroupObjectID)",
        "the group's object ID in the source tenant",
        wrong,
    );
    let target = guid(
        fields[3],
        "column 4 (TargetGroupObjectID)",
        "the group's object ID in the target tenant",
        wrong,
    );
    if fields[4].is_empty() {
        wrong.push("column 5 (GroupName) is empty — write the group's display name".into());
    }
    let group_type = TenantIdentityMappingGroupType::from_name(fields[5])
        .filter(|t| *t != TenantIdentityMappingGroupType::None);
    if group_type.is_none() {
        wrong.push(format!("column 6 (GroupType) '{}' is not a group type — write RegularGroup, AdminGroup or O365Group", fields[5]));
    }
    let text = |g: Option<Uuid>| g.map(|g| g.to_string()).unwrap_or_default();
    (
        format!(
            "Group,{},{},{},{},{}",
            text(company),
            text(source),
            text(target),
            fields[4],
            group_type.map_or("", |t| t.name())
        ),
        text(source),
    )
}

fn guid(text: &str, column: &str, what: &str, wrong: &mut Vec<String>) -> Option<Uuid> {
    let parsed = Uuid::try_parse(text).ok();
    if parsed.is_none() {
        wrong.push(format!("{column} '{text}' is not a GUID — write {what}, e.g. 3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11"));
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
                    )
                },
                MapItem {
                    line: 2,
                    item: format!("Group,{COMPANY},{GROUP_A},{GROUP_B},Sales \"EMEA\",O365Group")
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
            "User,{COMPANY},A@contoso.com,a@fabrikam.com,a@fabrikam.com,RegularUser\nUser,{COMPANY},a@CONTOSO.com,b@fabrikam.com,b@fabrikam.com,RegularUser\nGroup,{COMPANY},{GROUP_A},{GROUP_B},x,RegularGroup\nGroup,{COMPANY},{},{GROUP_B},y,AdminGroup\n",
            GROUP_A.to_uppercase()
        );
        let problems = run(&text).unwrap_err();
        assert_eq!(
            problems.iter().map(|p| p.line).collect::<Vec<_>>(),
            vec![2, 4]
        );
        assert!(problems[1].text.contains("SourceGroupObjectID"));
    }
}
