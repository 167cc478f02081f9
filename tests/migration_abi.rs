//! Migration after trust through the C ABI (`spo_call`) against a canned server on
//! 127.0.0.1: the request each command sends (parameter types and order), the value it
//! returns, server errors, malformed answers, and refusals that send nothing, including a
//! corpus of bad identity-map files (tests/support/identity-maps). Maps that need more than
//! one request are in tests/identity_map_parts.rs (kept out of the valgrind run: megabytes of
//! map add nothing to what it checks).

mod support;

use spo_crosstenant::ffi::*;
use spo_crosstenant::operations::identity_map::request_parts::thousands;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use support::migration::*;
use support::*;

const HOST: &str = "https://fabrikam-my.sharepoint.com";
const MAP: &str = "AddOrUpdateTenantIdentityMap";
const START: &str = "StartSPOCrossTenantContentMove";
const STOP: &str = "StopSPOCrossTenantContentMove";
const STATE: &str = "GetSPOCrossTenantContentMoveState";
const LONG_PATHS: &str = "GetSPOCrossTenantLongFilePathsForSiteRename";
const ADD_USER: &str = "AddOrUpdateTenantSingleUserIdentityMappingItem";
const ADD_GROUP: &str = "AddOrUpdateTenantSingleGroupIdentityMappingItem";
const GET_USER: &str = "GetTenantUserIdentityMappingItem";
const GET_GROUP: &str = "GetTenantGroupIdentityMappingItem";
const REMOVE_USER: &str = "RemoveTenantUserIdentityMappingItem";
const REMOVE_GROUP: &str = "RemoveTenantGroupIdentityMappingItem";

/// A move state as the server writes it (JSON text inside the CSOM answer).
const STATE_JSON: &str = r#"{"MoveJobId":"3F2C9A1E-0B7D-4C55-9A57-2F1E6F0C8B11","ContentType":"Odb","SourceContentKey":"alex@contoso.onmicrosoft.com","TargetContentKey":"alex@fabrikam.onmicrosoft.com","SourceSiteUrl":"https://contoso-my.sharepoint.com/personal/alex_contoso_onmicrosoft_com","TargetSiteUrl":null,"TargetCrossTenantHostUrl":"https://fabrikam-my.sharepoint.com/","MoveDirection":"MoveOut","MoveState":"Scheduled","MovePhase":null,"PercentComplete":0,"ValidationOnly":false,"ErrorCode":null,"ErrorMessage":null,"SourceDataLocation":"NAM","DestinationDataLocation":"NAM","PreferredMoveBeginDate":"2026-12-24T23:00:00+01:00","PreferredMoveEndDate":null,"CreatedTime":"2026-12-02T00:00:00Z","StartedTime":null,"CompletedTime":null,"TimeStamp":"2026-12-02T00:00:05Z"}"#;

/// The `<Parameters>` element of a request body.
fn parameters(body: &str) -> &str {
    let start = body.find("<Parameters").expect("a Parameters element");
    let end = body
        .find("</Parameters>")
        .map_or(body.len(), |e| e + "</Parameters>".len());
    &body[start..end]
}

fn corpus(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "support",
        "identity-maps",
        name,
    ]
    .iter()
    .collect();
    path.to_str().unwrap().to_owned()
}

#[test]
fn describe_lists_the_migration_commands_and_enums() {
    let mut result = std::ptr::null_mut();
    assert_eq!(unsafe { spo_describe(&mut result) }, spo_status::Ok);
    let facts: serde_json::Value = serde_json::from_str(&take(result).value).unwrap();
    for name in [
        MAP,
        START,
        STOP,
        STATE,
        LONG_PATHS,
        ADD_USER,
        ADD_GROUP,
        GET_USER,
        GET_GROUP,
        REMOVE_USER,
        REMOVE_GROUP,
    ] {
        assert!(
            facts["commands"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == name),
            "{name}"
        );
    }
    let enums = &facts["enums"];
    assert_eq!(
        enums["Microsoft.Online.SharePoint.TenantAdministration.MnAWorkManagerContentType"],
        serde_json::json!({"Odb": 0, "Group": 1, "RegSite": 2})
    );
    // The move-state filters carry the type names of Microsoft's PowerShell module.
    let ns = "Microsoft.Online.SharePoint.PowerShell";
    assert_eq!(enums[format!("{ns}.MoveState")]["All"], 8);
    assert_eq!(enums[format!("{ns}.MoveState")]["Rescheduled"], 7);
    assert_eq!(
        enums[format!("{ns}.MoveDirection")],
        serde_json::json!({"MoveOut": 0, "MoveIn": 1, "All": 2})
    );
    let ns = "Microsoft.SharePoint.Client.Administration";
    assert_eq!(
        enums[format!("{ns}.TenantIdentityMappingUserType")]["GuestUser"],
        3
    );
    assert_eq!(
        enums[format!("{ns}.TenantIdentityMappingGroupType")]["O365Group"],
        3
    );
    assert_eq!(
        enums[format!("{ns}.TenantIdentityMappingUserField")],
        serde_json::json!({"SourceUserKey": 0, "TargetUserPuid": 1, "TargetUserUpn": 2, "TargetUserEmail": 3})
    );
    assert_eq!(
        enums[format!("{ns}.TenantIdentityMappingGroupField")],
        serde_json::json!({"SourceGroupObjectId": 0, "TargetGroupObjectId": 1, "TargetGroupName": 2})
    );
}

#[test]
fn start_sends_typed_parameters_in_order_and_returns_the_normalized_state() {
    let (outcome, requests) = against(
        vec![answer(
            "corr-start",
            &serde_json::Value::String(STATE_JSON.into()),
        )],
        START,
        &[
            "odb",
            "alex@contoso.onmicrosoft.com",
            "alex@fabrikam.onmicrosoft.com",
            "https://Fabrikam-my.sharepoint.com/",
            "2026-12-24T23:00:00+01:00",
            "",
            "false",
            "TRUE",
        ],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.correlation_id, "corr-start");
    let state: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(state["MoveJobId"], "3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11");
    assert_eq!(state["MoveState"], "Scheduled");
    assert_eq!(state["PreferredMoveBeginDate"], "2026-12-24T22:00:00Z");
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0]
            .body
            .contains(r#"<Method Name="StartSPOCrossTenantContentMove" Id="3" ObjectPathId="1">"#)
    );
    assert_eq!(
        parameters(&requests[0].body),
        concat!(
            r#"<Parameters><Parameter Type="Enum">0</Parameter>"#,
            r#"<Parameter Type="String">alex@contoso.onmicrosoft.com</Parameter>"#,
            r#"<Parameter Type="String">alex@fabrikam.onmicrosoft.com</Parameter>"#,
            r#"<Parameter Type="String">https://fabrikam-my.sharepoint.com</Parameter>"#,
            r#"<Parameter Type="DateTime">2026-12-24T22:00:00.000Z</Parameter>"#,
            r#"<Parameter Type="DateTime">0001-01-01T00:00:00.000Z</Parameter>"#,
            r#"<Parameter Type="Boolean">false</Parameter><Parameter Type="Boolean">true</Parameter></Parameters>"#
        )
    );
}

#[test]
fn start_refusals_of_the_server_carry_its_text_and_correlation_id() {
    let (outcome, _) = against(
        vec![server_error(
            "The identity map of the target tenant has no entry for this user. (MnAIdentityMappingNotFound)",
            "corr-no-map",
        )],
        START,
        &["Group", "sales", "sales", HOST, "", "", "true", "false"],
    );
    assert!(outcome.is(spo_status::ServerError));
    assert_eq!(outcome.error_id, "ServerError");
    assert!(
        outcome
            .server_message
            .ends_with("(MnAIdentityMappingNotFound)")
    );
    assert_eq!(
        outcome.server_error_type_name,
        "Microsoft.SharePoint.Client.ServerException"
    );
    assert_eq!(outcome.correlation_id, "corr-no-map");
    assert!(outcome.message.contains("corr-no-map") && outcome.sent);
}

#[test]
fn stop_sends_type_and_key_and_maps_the_cannot_stop_error() {
    let stopped = STATE_JSON.replace(r#""Scheduled""#, r#""Stopped""#);
    let (outcome, requests) = against(
        vec![answer("corr-stop", &serde_json::Value::String(stopped))],
        STOP,
        &["RegSite", "https://contoso.sharepoint.com/sites/sales"],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&outcome.value).unwrap()["MoveState"],
        "Stopped"
    );
    assert_eq!(
        parameters(&requests[0].body),
        r#"<Parameters><Parameter Type="Enum">2</Parameter><Parameter Type="String">https://contoso.sharepoint.com/sites/sales</Parameter></Parameters>"#
    );
    let (outcome, _) = against(
        vec![server_error(
            "The move is in progress and cannot be stopped. (MnAMoveCannotBeStopped)",
            "corr-busy",
        )],
        STOP,
        &["Odb", "alex@contoso.onmicrosoft.com"],
    );
    assert!(outcome.is(spo_status::ServerError));
    assert!(outcome.server_message.contains("MnAMoveCannotBeStopped"));
    assert_eq!(outcome.correlation_id, "corr-busy");
}

#[test]
fn the_state_query_sends_every_filter_typed_and_returns_an_array() {
    let list = format!(
        "[{STATE_JSON},{}]",
        STATE_JSON.replace("Scheduled", "Success")
    );
    let (outcome, requests) = against(
        vec![answer("corr-state", &serde_json::Value::String(list))],
        STATE,
        &[
            "Odb",
            HOST,
            "alex@contoso.onmicrosoft.com",
            "3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11",
            "InProgress",
            "MoveOut",
            "50",
            "2026-12-01T00:00:00Z",
            "2026-12-03T00:00:00Z",
            "Target",
        ],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    let states: Vec<serde_json::Value> = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(states.len(), 2);
    assert_eq!(states[1]["MoveState"], "Success");
    assert_eq!(
        parameters(&requests[0].body),
        concat!(
            r#"<Parameters><Parameter Type="Enum">0</Parameter>"#,
            r#"<Parameter Type="String">https://fabrikam-my.sharepoint.com</Parameter>"#,
            r#"<Parameter Type="String">alex@contoso.onmicrosoft.com</Parameter>"#,
            r#"<Parameter Type="Guid">{3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11}</Parameter>"#,
            r#"<Parameter Type="Int32">1</Parameter><Parameter Type="Int32">0</Parameter>"#,
            r#"<Parameter Type="UInt32">50</Parameter>"#,
            r#"<Parameter Type="DateTime">2026-12-01T00:00:00.000Z</Parameter>"#,
            r#"<Parameter Type="DateTime">2026-12-03T00:00:00.000Z</Parameter>"#,
            r#"<Parameter Type="Enum">2</Parameter></Parameters>"#
        )
    );
    let (empty, _) = against(
        vec![answer("corr-none", &serde_json::json!("[]"))],
        STATE,
        &["Group", "", "", "", "", "", "", "", "", ""],
    );
    assert!(empty.is(spo_status::Ok));
    assert_eq!(empty.value, "[]");
}

#[test]
fn long_paths_send_both_urls_and_return_the_array() {
    let files =
        serde_json::json!(["https://contoso.sharepoint.com/sites/new/Shared Documents/a.docx"]);
    let (outcome, requests) = against(
        vec![answer("corr-paths", &files)],
        LONG_PATHS,
        &[
            "https://contoso.sharepoint.com/sites/old",
            "https://contoso.sharepoint.com/sites/new",
        ],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.value, files.to_string());
    assert_eq!(
        parameters(&requests[0].body),
        r#"<Parameters><Parameter Type="String">https://contoso.sharepoint.com/sites/old</Parameter><Parameter Type="String">https://contoso.sharepoint.com/sites/new</Parameter></Parameters>"#
    );
}

#[test]
fn answers_that_do_not_fit_the_shape_are_malformed_with_the_correlation_id() {
    let cases: Vec<(&str, Vec<&str>, serde_json::Value)> = vec![
        (
            STOP,
            vec!["Odb", "alex@contoso.onmicrosoft.com"],
            serde_json::json!("{\"MoveState\":\"Stopped\"}"),
        ),
        (
            STOP,
            vec!["Odb", "alex@contoso.onmicrosoft.com"],
            serde_json::json!(null),
        ),
        (
            STATE,
            vec!["Odb", "", "", "", "", "", "", "", "", ""],
            serde_json::json!(STATE_JSON),
        ),
        (
            LONG_PATHS,
            vec![
                "https://c.sharepoint.com/sites/a",
                "https://c.sharepoint.com/sites/b",
            ],
            serde_json::json!({"a": 1}),
        ),
    ];
    for (command, arguments, value) in cases {
        let (outcome, _) = against(vec![answer("corr-odd", &value)], command, &arguments);
        assert!(
            outcome.is(spo_status::InvalidResponse),
            "{command}: {outcome:?}"
        );
        assert_eq!(outcome.error_id, "MalformedResponse");
        assert_eq!(outcome.correlation_id, "corr-odd");
        assert!(outcome.sent);
    }
}

#[test]
fn throttling_is_retried_for_migration_commands_too() {
    let (outcome, requests) = against(
        vec![
            http_response("429 Too Many Requests", &[("Retry-After", "0")], b""),
            answer("corr-after", &serde_json::json!("[]")),
        ],
        STATE,
        &["Odb", "", "", "", "", "", "", "", "", ""],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(requests.len(), 2);
    assert!(
        outcome
            .progress
            .iter()
            .any(|p| p.contains("throttled (HTTP 429)"))
    );
}

#[test]
fn move_arguments_are_refused_before_sending_with_id_and_parameter() {
    let (base, received) = canned_server(vec![csom_ok("never", "")]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let upn = "alex@contoso.onmicrosoft.com";
    let site = "https://contoso.sharepoint.com/sites/a";
    let start =
        |c: &'static str, s: &'static str, t: &'static str, b: &'static str, e: &'static str| {
            vec![c, s, t, HOST, b, e, "false", "false"]
        };
    let blank_state = || vec!["Odb", "", "", "", "", "", "", "", "", ""];
    let with = |mut arguments: Vec<&'static str>, index: usize, value: &'static str| {
        arguments[index] = value;
        arguments
    };
    let cases: Vec<(&str, Vec<&str>, &str, &str)> = vec![
        (
            START,
            start("OneDrive", upn, upn, "", ""),
            "ContentTypeOutOfRange",
            "ContentType",
        ),
        (
            START,
            start("0", upn, upn, "", ""),
            "ContentTypeOutOfRange",
            "ContentType",
        ),
        (
            START,
            start("Odb", "alex", upn, "", ""),
            "SourceUserPrincipalNameInvalid",
            "SourceUserPrincipalName",
        ),
        (
            START,
            start("Odb", upn, "alex@", "", ""),
            "TargetUserPrincipalNameInvalid",
            "TargetUserPrincipalName",
        ),
        (
            START,
            start("RegSite", "sites/a", site, "", ""),
            "SourceSiteUrlInvalid",
            "SourceSiteUrl",
        ),
        (
            START,
            start(
                "RegSite",
                site,
                "http://contoso.sharepoint.com/sites/b",
                "",
                "",
            ),
            "TargetSiteUrlInvalid",
            "TargetSiteUrl",
        ),
        (
            START,
            start("Group", "sales team", "sales", "", ""),
            "SourceGroupAliasInvalid",
            "SourceGroupAlias",
        ),
        (
            START,
            start("Group", "sales", "sales@fabrikam.com", "", ""),
            "TargetGroupAliasInvalid",
            "TargetGroupAlias",
        ),
        (
            START,
            with(
                start("Odb", upn, upn, "", ""),
                3,
                "https://fabrikam.sharepoint.com",
            ),
            "PartnerUrlNotCrossTenantHost",
            "TargetCrossTenantHostUrl",
        ),
        (
            START,
            with(
                start("Odb", upn, upn, "", ""),
                3,
                "https://-my.sharepoint.com",
            ),
            "PartnerUrlHasNoTenantName",
            "TargetCrossTenantHostUrl",
        ),
        (
            START,
            start("Odb", upn, upn, "12/24/2026", ""),
            "PreferredMoveBeginDateInvalid",
            "PreferredMoveBeginDate",
        ),
        (
            START,
            start("Odb", upn, upn, "", "2026-12-24"),
            "PreferredMoveEndDateInvalid",
            "PreferredMoveEndDate",
        ),
        (
            START,
            start(
                "Odb",
                upn,
                upn,
                "2026-12-24T00:00:00Z",
                "2026-12-23T00:00:00Z",
            ),
            "MoveDatesOutOfOrder",
            "PreferredMoveEndDate",
        ),
        (
            START,
            with(start("Odb", upn, upn, "", ""), 6, "yes"),
            "ValidationOnlyInvalid",
            "ValidationOnly",
        ),
        (
            START,
            with(start("Odb", upn, upn, "", ""), 7, "1"),
            "ForceInvalid",
            "Force",
        ),
        (
            STOP,
            vec!["Odb", "alex"],
            "SourceUserPrincipalNameInvalid",
            "SourceUserPrincipalName",
        ),
        (
            STOP,
            vec!["RegSite", ""],
            "SourceSiteUrlInvalid",
            "SourceSiteUrl",
        ),
        (
            STOP,
            vec!["Group", "a b"],
            "SourceGroupAliasInvalid",
            "SourceGroupAlias",
        ),
        (
            STATE,
            with(blank_state(), 1, "https://fabrikam-admin.sharepoint.com"),
            "PartnerUrlIsAdminUrl",
            "PartnerCrossTenantHostUrl",
        ),
        (
            STATE,
            with(blank_state(), 2, "alex"),
            "SourceUserPrincipalNameInvalid",
            "SourceUserPrincipalName",
        ),
        (
            STATE,
            with(blank_state(), 3, "42"),
            "SiteMoveIdInvalid",
            "SiteMoveId",
        ),
        (
            STATE,
            with(blank_state(), 4, "Done"),
            "MoveStateOutOfRange",
            "MoveState",
        ),
        (
            STATE,
            with(blank_state(), 5, "1"),
            "MoveDirectionOutOfRange",
            "MoveDirection",
        ),
        (STATE, with(blank_state(), 6, "-5"), "LimitInvalid", "Limit"),
        (
            STATE,
            with(blank_state(), 7, "now"),
            "MoveStartTimeInvalid",
            "MoveStartTime",
        ),
        (
            STATE,
            with(blank_state(), 8, "later"),
            "MoveEndTimeInvalid",
            "MoveEndTime",
        ),
        (
            STATE,
            with(
                with(blank_state(), 7, "2026-12-02T00:00:00Z"),
                8,
                "2026-12-01T00:00:00Z",
            ),
            "MoveTimesOutOfOrder",
            "MoveEndTime",
        ),
        (
            STATE,
            with(blank_state(), 9, "Partner"),
            "PartnerRoleOutOfRange",
            "PartnerRole",
        ),
        (
            LONG_PATHS,
            vec!["contoso/sites/a", site],
            "OldSiteUrlInvalid",
            "OldSiteUrl",
        ),
        (
            LONG_PATHS,
            vec![site, "https://contoso.sharepoint.com/sites/b?x=1"],
            "NewSiteUrlInvalid",
            "NewSiteUrl",
        ),
        (
            LONG_PATHS,
            vec![site, site],
            "SiteUrlsIdentical",
            "NewSiteUrl",
        ),
    ];
    for (command, arguments, id, parameter) in cases {
        let outcome = call(connection, command, &arguments);
        assert!(outcome.is(spo_status::InvalidArgument), "{id}: {outcome:?}");
        assert_eq!(
            (outcome.error_id.as_str(), outcome.parameter.as_str()),
            (id, parameter),
            "{arguments:?}"
        );
        assert!(!outcome.sent && outcome.http_status == 0, "{id}");
        assert!(!outcome.message.is_empty());
    }
    let count = call(connection, START, &["Odb", "a@b.com"]);
    assert_eq!(count.error_id, "ArgumentCount");
    assert!(
        received.recv_timeout(Duration::from_millis(200)).is_err(),
        "a refused call was sent"
    );
    unsafe { spo_connection_free(connection) };
}

#[test]
fn a_good_identity_map_is_uploaded_as_canonical_items_then_read_back() {
    let group = serde_json::json!([{
        "SourceTenantCompanyId": format!("/Guid({COMPANY})/"),
        "SourceGroupObjectId": "/Guid(7c9e6679-7425-40de-944b-e07fc1f90ae7)/",
        "TargetGroupObjectId": "/Guid(16fd2706-8baf-433b-82eb-8c7fada847da)/",
        "TargetGroupName": "Sales", "GroupType": 3
    }]);
    let user1 = serde_json::json!([user_entry(
        "user1@contoso.onmicrosoft.com",
        "user1@fabrikam.onmicrosoft.com"
    )]);
    for (file, expected) in [
        ("good/excel-utf8-bom.csv", 4),
        ("good/utf16be.csv", 2),
        ("good/lf-no-bom.csv", 2),
    ] {
        let (outcome, requests) = against(
            vec![
                answer("corr-map", &serde_json::json!([])),
                list_answer("rb1", user1.clone()),
                list_answer("rb2", group.clone()),
            ],
            MAP,
            &[&corpus(file), "false"],
        );
        assert!(outcome.is(spo_status::Ok), "{file}: {outcome:?}");
        assert_eq!(outcome.correlation_id, "corr-map");
        let summary: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
        assert_eq!(summary["rows"], expected, "{file}");
        assert_eq!(summary["uploaded"], expected, "{file}");
        assert_eq!(summary["rejected"], serde_json::json!([]));
        assert_eq!(summary["requests"], 1);
        assert_eq!(
            summary["readBack"],
            serde_json::json!([
                {"part": 1, "line": 1, "key": "user1@contoso.onmicrosoft.com", "found": true},
                {"part": 1, "line": if expected == 4 { 4 } else { 2 }, "key": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "found": true}
            ]),
            "{file}"
        );
        assert_eq!(requests.len(), 3);
        assert!(requests[0].body.contains(r#"<Method Name="AddOrUpdateTenantIdentityMap" Id="3" ObjectPathId="1"><Parameters><Parameter Type="Array"><Object Type="String">"#));
        assert_eq!(summary["requestBytes"][0], requests[0].body.len());
        let items = items_of(&requests[0].body);
        assert_eq!(items.len(), expected);
        assert_eq!(
            items[0],
            format!(
                "User,{COMPANY},user1@contoso.onmicrosoft.com,user1@fabrikam.onmicrosoft.com,user1@fabrikam.com,RegularUser"
            )
        );
        assert_eq!(
            looked_up(&requests[1].body),
            "user1@contoso.onmicrosoft.com"
        );
        assert!(requests[2].body.contains(concat!(
            r#"<Method Id="4" ParentId="1" Name="GetTenantGroupIdentityMappingItem"><Parameters><Parameter Type="Enum">0</Parameter>"#,
            r#"<Parameter Type="String">7c9e6679-7425-40de-944b-e07fc1f90ae7</Parameter>"#
        )));
    }
    let (_, requests) = against(
        vec![
            answer("c", &serde_json::json!([])),
            list_answer("rb1", user1),
            list_answer("rb2", group),
        ],
        MAP,
        &[&corpus("good/excel-utf8-bom.csv"), "false"],
    );
    let items = items_of(&requests[0].body);
    assert!(items[2].ends_with(",GuestUser"));
    assert_eq!(
        items[3],
        format!(
            "Group,{COMPANY},7c9e6679-7425-40de-944b-e07fc1f90ae7,16fd2706-8baf-433b-82eb-8c7fada847da,Sales \"EMEA\",O365Group"
        )
    );
}

#[test]
fn a_map_that_fits_goes_in_one_request_with_rejections_by_line_and_its_ends_read_back() {
    let (_dir, path) = big_map(2_500);
    let (outcome, requests) = against(
        vec![
            answer(
                "c1",
                &serde_json::json!([
                    "0: no such user in the target tenant",
                    "999: guest accounts are not allowed",
                    "2499: no such user in the target tenant"
                ]),
            ),
            found_row(2),
            found_row(2_499),
        ],
        MAP,
        &[&path, "false"],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.correlation_id, "c1");
    assert_eq!(requests.len(), 3);
    assert_eq!(items_of(&requests[0].body).len(), 2_500);
    assert!(requests[0].body.len() <= 2_097_152);
    // The first and last row the service took: lines 1 and 2500 were refused.
    assert_eq!(looked_up(&requests[1].body), "u2@contoso.onmicrosoft.com");
    assert_eq!(
        looked_up(&requests[2].body),
        "u2499@contoso.onmicrosoft.com"
    );
    let summary: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(summary["rows"], 2500);
    assert_eq!(summary["uploaded"], 2497);
    assert_eq!(summary["requests"], 1);
    let rejected = summary["rejected"].as_array().unwrap();
    let lines: Vec<u64> = rejected
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![1, 1000, 2500]);
    assert_eq!(rejected[1]["reason"], "guest accounts are not allowed");
    assert_eq!(
        rejected[1]["correlationId"], "c1",
        "the answer that refused it"
    );
    assert!(
        rejected[0]["item"]
            .as_str()
            .unwrap()
            .contains(",u1@contoso.onmicrosoft.com,")
    );
    let progress: Vec<&String> = outcome
        .progress
        .iter()
        .filter(|p| p.starts_with("Progress: "))
        .collect();
    assert_eq!(
        progress[0],
        &format!(
            "Progress: 0 Uploading the identity map: 2,500 rows in one request ({} bytes)",
            thousands(requests[0].body.len())
        )
    );
    assert_eq!(
        progress[1],
        "Progress: 100 Uploaded 2497 of 2500 identity map rows"
    );
    assert_eq!(
        progress[2],
        "Progress: 100 Reading back line 2 (u2@contoso.onmicrosoft.com) from the tenant's identity map"
    );

    // A row the read-back does not find, also when it looks again, means the map is not in place.
    let (outcome, requests) = against(
        [
            vec![
                answer("c1", &serde_json::json!([])),
                found_row(1),
                found_nothing(),
            ],
            still_missing(1),
        ]
        .concat(),
        MAP,
        &[&path, "false"],
    );
    assert_eq!(outcome.error_id, "IdentityMapNotInPlace");
    assert_eq!(outcome.correlation_id, "c1");
    assert!(
        outcome.message.contains(
            "did not find line 2500 (u2500@contoso.onmicrosoft.com) in the tenant's map (or found it mapped to another target), also after waiting 3 s"
        ),
        "{}",
        outcome.message
    );
    assert_eq!(requests.len(), 5, "only the missing row is looked up again");
    assert!(
        requests[2..]
            .iter()
            .all(|r| looked_up(&r.body) == "u2500@contoso.onmicrosoft.com")
    );
}

#[test]
fn refused_rows_come_back_with_a_read_back_that_fails_or_misses_a_row() {
    let (_dir, path) = big_map(3);
    let refused = || {
        answer(
            "c1",
            &serde_json::json!(["1: no such user in the target tenant"]),
        )
    };
    let rejected_lines = |outcome: &Outcome| -> Vec<u64> {
        let summary: serde_json::Value =
            serde_json::from_str(&outcome.value).unwrap_or_else(|e| panic!("{e}: {outcome:?}"));
        assert_eq!(
            (summary["rows"].as_u64(), summary["uploaded"].as_u64()),
            (Some(3), Some(2))
        );
        summary["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect()
    };
    // The read-back of line 3 fails: the failure is the server's, and line 2's refusal is in the value.
    let (outcome, _) = against(
        vec![
            refused(),
            found_row(1),
            server_error("Something went wrong.", "rb-failed"),
        ],
        MAP,
        &[&path, "false"],
    );
    assert!(outcome.is(spo_status::ServerError), "{outcome:?}");
    assert_eq!(outcome.correlation_id, "rb-failed");
    assert!(
        outcome
            .message
            .contains("reading it back to confirm it is in place failed")
    );
    assert_eq!(rejected_lines(&outcome), vec![2]);

    // Line 3 is not there, also after waiting: not in place, and line 2's refusal is in the value.
    let (outcome, _) = against(
        [
            vec![refused(), found_row(1), found_nothing()],
            still_missing(1),
        ]
        .concat(),
        MAP,
        &[&path, "false"],
    );
    assert_eq!(outcome.error_id, "IdentityMapNotInPlace", "{outcome:?}");
    assert_eq!(rejected_lines(&outcome), vec![2]);

    // A service that applies the map a moment later: found when looked up again; -Verbose says so.
    let started = Instant::now();
    let (outcome, requests) = against(
        vec![refused(), found_row(1), found_nothing(), found_row(3)],
        MAP,
        &[&path, "false"],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(requests.len(), 4);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(rejected_lines(&outcome), vec![2]);
    assert!(
        outcome.progress.iter().any(|p| p
            == "1 row(s) read back are not in the tenant's identity map yet; looking again in 1 s, in case the service applies the upload a moment later (up to 3 s in all)."),
        "{:?}",
        outcome.progress
    );

    // Other failures carry no value: the first request failed, so nothing was sent before it.
    let (outcome, _) = against(
        vec![server_error("The map is locked.", "c0")],
        MAP,
        &[&path, "false"],
    );
    assert!(outcome.is(spo_status::ServerError));
    assert_eq!(outcome.value, "");
}

/// The bad-file corpus: each file, the refusal id, the CSV lines the message must list (in
/// order, exactly), and fragments the message must contain.
const BAD_MAPS: &[(&str, &str, &[usize], &[&str])] = &[
    (
        "header-row.csv",
        "IdentityMapInvalid",
        &[1],
        &["header row — delete it"],
    ),
    (
        "column-count.csv",
        "IdentityMapInvalid",
        &[3, 4],
        &[
            "line 3: has 5 field(s), expected 6",
            "line 4: has 7 field(s), expected 6",
        ],
    ),
    (
        "semicolons.csv",
        "IdentityMapInvalid",
        &[1, 2],
        &["separated by semicolons"],
    ),
    (
        "row-kind.csv",
        "IdentityMapInvalid",
        &[2, 3],
        &[
            "column 1 is 'Person' — write User or Group",
            "column 1 is 'Usr'",
        ],
    ),
    (
        "guids.csv",
        "IdentityMapInvalid",
        &[1, 2, 3],
        &[
            "column 2 (SourceTenantCompanyID) 'contoso' is not a GUID",
            "column 3 (SourceGroupObjectID) 'not-a-guid'",
            "column 4 (TargetGroupObjectID)",
        ],
    ),
    (
        "account-names.csv",
        "IdentityMapInvalid",
        &[1, 2, 3],
        &[
            "column 3 (SourceUserUpn) 'user1' is not a user principal name",
            "column 5 (TargetUserEmail) 'user2@' is not an e-mail address",
            "column 4 (TargetUserUpn) 'user 3@fabrikam.onmicrosoft.com'",
        ],
    ),
    (
        "types.csv",
        "IdentityMapInvalid",
        &[1, 2, 3, 4],
        &[
            "column 6 (UserType) 'Owner' is not a user type — write RegularUser, AdminUser or GuestUser",
            "column 6 (GroupType) 'Team'",
            "(UserType) 'None'",
            "(GroupType) ''",
        ],
    ),
    (
        "duplicate-users.csv",
        "IdentityMapInvalid",
        &[4],
        &[
            "line 4: SourceUserUpn 'USER1@contoso.onmicrosoft.com' is also on line 1 — keep one row per source user",
        ],
    ),
    (
        "duplicate-groups.csv",
        "IdentityMapInvalid",
        &[3],
        &["SourceGroupObjectID '7c9e6679-7425-40de-944b-e07fc1f90ae7' is also on line 1"],
    ),
    (
        "unclosed-quote.csv",
        "IdentityMapInvalid",
        &[3],
        &["line 3: a quoted field is never closed"],
    ),
    (
        "text-after-quote.csv",
        "IdentityMapInvalid",
        &[2],
        &["text follows a closing quote"],
    ),
    (
        "comma-in-field.csv",
        "IdentityMapInvalid",
        &[2],
        &["column 5 contains a comma"],
    ),
    (
        "empty-group-name.csv",
        "IdentityMapInvalid",
        &[1, 2],
        &["column 5 (GroupName) is empty — write the group's display name"],
    ),
    (
        "line-break-in-field.csv",
        "IdentityMapInvalid",
        &[2, 4],
        &[
            "line 2: column 5 contains a comma, a line break",
            "line 4: column 1 is 'Usr'",
        ],
    ),
    (
        "blank-lines-between.csv",
        "IdentityMapInvalid",
        &[4],
        &["line 4: column 2 (SourceTenantCompanyID) 'x'"],
    ),
    (
        "utf16le-bad-row.csv",
        "IdentityMapInvalid",
        &[2],
        &["column 6 (UserType) 'Robot'"],
    ),
    (
        "ansi-windows-1252.csv",
        "IdentityMapEncodingUnsupported",
        &[],
        &["probably saved as ANSI", "CSV UTF-8 (Comma delimited)"],
    ),
    (
        "utf16-without-bom.csv",
        "IdentityMapEncodingUnsupported",
        &[],
        &["UTF-16 without a byte order mark"],
    ),
    ("empty.csv", "IdentityMapEmpty", &[], &["has no rows"]),
    (
        "only-blank-rows.csv",
        "IdentityMapEmpty",
        &[],
        &["has no rows"],
    ),
];

/// The CSV line numbers a refusal lists, in order.
fn listed_lines(message: &str) -> Vec<usize> {
    message
        .lines()
        .filter_map(|line| line.strip_prefix("line ")?.split(':').next()?.parse().ok())
        .collect()
}

#[test]
fn every_bad_identity_map_of_the_corpus_is_refused_with_its_lines_and_nothing_is_sent() {
    let (base, received) = canned_server(vec![csom_ok("never", "")]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let on_disk = std::fs::read_dir(corpus("bad")).unwrap().count();
    // many-bad-rows.csv is checked on its own below.
    assert_eq!(
        on_disk,
        BAD_MAPS.len() + 1,
        "every corpus file has its expectation"
    );
    for (file, id, lines, fragments) in BAD_MAPS {
        let path = corpus(&format!("bad/{file}"));
        let outcome = call(connection, MAP, &[&path, "false"]);
        assert!(
            outcome.is(spo_status::InvalidArgument),
            "{file}: {outcome:?}"
        );
        assert_eq!(
            (outcome.error_id.as_str(), outcome.parameter.as_str()),
            (*id, "IdentityMapPath"),
            "{file}"
        );
        assert!(!outcome.sent, "{file}");
        assert_eq!(
            listed_lines(&outcome.message),
            *lines,
            "{file}: {}",
            outcome.message
        );
        for fragment in *fragments {
            assert!(
                outcome.message.contains(fragment),
                "{file}: '{fragment}' not in {}",
                outcome.message
            );
        }
        if *id == "IdentityMapInvalid" {
            assert!(outcome.message.contains("nothing was uploaded"));
        }
    }
    let many = call(
        connection,
        MAP,
        &[&corpus("bad/many-bad-rows.csv"), "false"],
    );
    assert_eq!(listed_lines(&many.message).len(), 200);
    assert!(many.message.ends_with("\nand 100 more"));
    assert!(
        received.recv_timeout(Duration::from_millis(200)).is_err(),
        "a refused map was sent"
    );
    unsafe { spo_connection_free(connection) };
}

#[test]
fn missing_relative_and_unreadable_paths_have_distinct_ids_and_send_nothing() {
    let (base, received) = canned_server(vec![csom_ok("never", "")]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    let cases = [
        (
            missing.to_str().unwrap().to_owned(),
            "IdentityMapFileNotFound",
            "Check the path",
        ),
        (
            "identity-map.csv".to_owned(),
            "IdentityMapPathInvalid",
            "absolute file path",
        ),
        (
            dir.path().to_str().unwrap().to_owned(),
            "IdentityMapFileUnreadable",
            "cannot be read",
        ),
    ];
    for (path, id, fragment) in cases {
        let outcome = call(connection, MAP, &[&path, "false"]);
        assert_eq!(
            (outcome.error_id.as_str(), outcome.parameter.as_str()),
            (id, "IdentityMapPath")
        );
        assert!(outcome.message.contains(fragment), "{}", outcome.message);
        assert!(!outcome.sent);
    }
    assert!(received.recv_timeout(Duration::from_millis(200)).is_err());
    unsafe { spo_connection_free(connection) };
}

const SOURCE_GROUP: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const TARGET_GROUP: &str = "16fd2706-8baf-433b-82eb-8c7fada847da";

/// A group entry as the service writes one.
fn group_entry() -> serde_json::Value {
    serde_json::json!({
        "_ObjectType_": "Microsoft.Online.SharePoint.TenantAdministration.SPOTenantGroupIdentityMapping",
        "SourceTenantCompanyId": format!("/Guid({COMPANY})/"), "SourceGroupObjectId": format!("/Guid({SOURCE_GROUP})/"),
        "TargetGroupObjectId": format!("/Guid({TARGET_GROUP})/"), "TargetGroupName": "Sales", "GroupType": 3
    })
}

#[test]
fn adding_one_entry_sends_its_method_with_typed_parameters_in_order() {
    let (outcome, requests) = against(
        vec![csom_ok("c-add", r#",2,{"IsNull":false}"#)],
        ADD_USER,
        &[
            &COMPANY.to_uppercase(),
            " alex@contoso.com",
            "",
            "dana@fabrikam.com",
            "dana@fabrikam.com",
            "GuestUser",
        ],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(
        (outcome.value.as_str(), outcome.correlation_id.as_str()),
        ("", "c-add")
    );
    assert_eq!(requests.len(), 1);
    assert!(requests[0].body.contains(
        r#"<Method Name="AddOrUpdateTenantSingleUserIdentityMappingItem" Id="3" ObjectPathId="1">"#
    ));
    assert_eq!(
        parameters(&requests[0].body),
        format!(
            concat!(
                r#"<Parameters><Parameter Type="Guid">{{{}}}</Parameter><Parameter Type="String">alex@contoso.com</Parameter>"#,
                r#"<Parameter Type="String"></Parameter><Parameter Type="String">dana@fabrikam.com</Parameter>"#,
                r#"<Parameter Type="String">dana@fabrikam.com</Parameter><Parameter Type="Enum">3</Parameter></Parameters>"#
            ),
            COMPANY
        )
    );
    let (outcome, requests) = against(
        vec![csom_ok("c-add", "")],
        ADD_GROUP,
        &[
            COMPANY,
            SOURCE_GROUP,
            &format!("{{{TARGET_GROUP}}}"),
            "Sales & Marketing, EMEA",
            "AdminGroup",
        ],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(
        parameters(&requests[0].body),
        format!(
            concat!(
                r#"<Parameters><Parameter Type="Guid">{{{}}}</Parameter><Parameter Type="Guid">{{{}}}</Parameter>"#,
                r#"<Parameter Type="Guid">{{{}}}</Parameter><Parameter Type="String">Sales &amp; Marketing, EMEA</Parameter>"#,
                r#"<Parameter Type="Enum">2</Parameter></Parameters>"#
            ),
            COMPANY, SOURCE_GROUP, TARGET_GROUP
        )
    );
}

#[test]
fn getting_entries_queries_the_method_as_a_client_object_list_and_returns_the_entries() {
    let (outcome, requests) = against(
        vec![list_answer(
            "c-get",
            serde_json::json!([user_entry("alex@contoso.com", "dana@fabrikam.com")]),
        )],
        GET_USER,
        &["TargetUserUpn", "dana@fabrikam.com"],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.correlation_id, "c-get");
    let body = &requests[0].body;
    assert!(body.contains(r#"<ObjectPath Id="5" ObjectPathId="4" /><Query Id="3" ObjectPathId="4"><Query SelectAllProperties="true"><Properties /></Query><ChildItemQuery SelectAllProperties="true"><Properties /></ChildItemQuery></Query>"#), "{body}");
    assert!(body.contains(concat!(
        r#"<Method Id="4" ParentId="1" Name="GetTenantUserIdentityMappingItem"><Parameters><Parameter Type="Enum">2</Parameter>"#,
        r#"<Parameter Type="String">dana@fabrikam.com</Parameter></Parameters></Method>"#
    )), "{body}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&outcome.value).unwrap(),
        serde_json::json!([{"SourceTenantCompanyId": COMPANY, "SourceUserKey": "alex@contoso.com", "TargetUserPuid": "",
            "TargetUserUpn": "dana@fabrikam.com", "TargetUserEmail": "dana@fabrikam.com", "UserType": "RegularUser"}])
    );
    let (outcome, requests) = against(
        vec![list_answer("c-get", serde_json::json!([]))],
        GET_GROUP,
        &["TargetGroupObjectId", &TARGET_GROUP.to_uppercase()],
    );
    assert_eq!(outcome.value, "[]");
    assert!(requests[0].body.contains(concat!(
        r#"<Method Id="4" ParentId="1" Name="GetTenantGroupIdentityMappingItem"><Parameters><Parameter Type="Enum">1</Parameter>"#,
        r#"<Parameter Type="String">16fd2706-8baf-433b-82eb-8c7fada847da</Parameter>"#
    )));
    let (outcome, _) = against(
        vec![answer("c-bad", &serde_json::json!("not a list"))],
        GET_USER,
        &["SourceUserKey", "alex@contoso.com"],
    );
    assert_eq!(
        (outcome.error_id.as_str(), outcome.correlation_id.as_str()),
        ("MalformedResponse", "c-bad")
    );
}

#[test]
fn removing_reads_the_entries_first_and_removes_only_what_is_there() {
    let (outcome, requests) = against(
        vec![
            list_answer("c-read", serde_json::json!([group_entry()])),
            csom_ok("c-remove", ""),
        ],
        REMOVE_GROUP,
        &["SourceGroupObjectId", SOURCE_GROUP],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.correlation_id, "c-remove");
    assert_eq!(requests.len(), 2);
    assert!(
        requests[0]
            .body
            .contains(r#"<Method Id="4" ParentId="1" Name="GetTenantGroupIdentityMappingItem">"#)
    );
    assert!(requests[1].body.contains(
        r#"<Method Name="RemoveTenantGroupIdentityMappingItem" Id="3" ObjectPathId="1">"#
    ));
    assert_eq!(
        parameters(&requests[1].body),
        format!(
            r#"<Parameters><Parameter Type="Enum">0</Parameter><Parameter Type="String">{SOURCE_GROUP}</Parameter></Parameters>"#
        )
    );
    let removed: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(removed[0]["TargetGroupObjectId"], TARGET_GROUP);
    assert_eq!(removed[0]["GroupType"], "O365Group");

    // Nothing matches: nothing is removed and the value says so.
    let (outcome, requests) = against(
        vec![
            list_answer("c-read", serde_json::json!([])),
            csom_ok("never", ""),
        ],
        REMOVE_USER,
        &["SourceUserKey", "nobody@contoso.com"],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(
        (outcome.value.as_str(), outcome.correlation_id.as_str()),
        ("[]", "c-read")
    );
    assert_eq!(requests.len(), 1, "no removal was sent");
    assert!(
        parameters(&requests[0].body)
            .contains(r#"<Parameter Type="String">nobody@contoso.com</Parameter>"#)
    );
}

#[test]
fn bad_entry_values_are_refused_by_the_row_rules_and_nothing_is_sent() {
    let (base, received) = canned_server(vec![csom_ok("never", "")]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    for (command, arguments, id, parameter) in [
        (
            ADD_USER,
            vec![
                "not-a-guid",
                "alex@contoso.com",
                "",
                "a@b.com",
                "a@b.com",
                "RegularUser",
            ],
            "SourceTenantCompanyIdInvalid",
            "SourceTenantCompanyId",
        ),
        (
            ADD_USER,
            vec![COMPANY, "alex", "", "a@b.com", "a@b.com", "RegularUser"],
            "SourceUserKeyInvalid",
            "SourceUserKey",
        ),
        (
            ADD_USER,
            vec![
                COMPANY,
                "alex@contoso.com",
                "",
                "a@b.com",
                "a@",
                "RegularUser",
            ],
            "TargetUserEmailInvalid",
            "TargetUserEmail",
        ),
        (
            ADD_USER,
            vec![
                COMPANY,
                "alex@contoso.com",
                "",
                "a@b.com",
                "a@b.com",
                "None",
            ],
            "UserTypeInvalid",
            "UserType",
        ),
        (
            ADD_GROUP,
            vec![COMPANY, "sales", TARGET_GROUP, "Sales", "O365Group"],
            "SourceGroupObjectIdInvalid",
            "SourceGroupObjectId",
        ),
        (
            ADD_GROUP,
            vec![COMPANY, SOURCE_GROUP, TARGET_GROUP, "", "O365Group"],
            "TargetGroupNameInvalid",
            "TargetGroupName",
        ),
        (GET_USER, vec!["Upn", "a@b.com"], "FieldOutOfRange", "Field"),
        (
            GET_USER,
            vec!["SourceUserKey", "alex"],
            "IdentityMappingValueInvalid",
            "Value",
        ),
        (
            REMOVE_GROUP,
            vec!["SourceGroupObjectId", "sales"],
            "IdentityMappingValueInvalid",
            "Value",
        ),
        (
            REMOVE_USER,
            vec!["TargetUserPuid", "  "],
            "IdentityMappingValueInvalid",
            "Value",
        ),
    ] {
        let outcome = call(connection, command, &arguments);
        assert!(
            outcome.is(spo_status::InvalidArgument),
            "{command} {arguments:?}: {outcome:?}"
        );
        assert_eq!(
            (outcome.error_id.as_str(), outcome.parameter.as_str()),
            (id, parameter),
            "{arguments:?}"
        );
        assert!(!outcome.sent);
        assert!(
            outcome.message.contains("Nothing was sent") || id == "FieldOutOfRange",
            "{}",
            outcome.message
        );
    }
    assert!(
        received.recv_timeout(Duration::from_millis(200)).is_err(),
        "a refused entry was sent"
    );
    unsafe { spo_connection_free(connection) };
}
