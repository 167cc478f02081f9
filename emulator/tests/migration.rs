//! Migration after trust over HTTP: identity maps, content moves through their states,
//! stop rules, injected failures, long paths, control endpoints, faults, `--state`.

mod common;

use std::time::{Duration, Instant};

use common::{Arg, Emulator};
use reqwest::Method;
use serde_json::Value;

const NOT_GIVEN: &str = "0001-01-01T00:00:00.000Z";
const NIL: &str = "00000000-0000-0000-0000-000000000000";
const ODB: i64 = 0;
const GROUP: i64 = 1;
const REG_SITE: i64 = 2;
const ALL_STATES: i64 = 8;
const ALL_DIRECTIONS: i64 = 2;

fn start_emulator(extra: &[&str]) -> Emulator {
    let mut arguments = vec![
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--dormant-period",
        "0s",
    ];
    arguments.extend_from_slice(extra);
    Emulator::start(&arguments)
}

fn company(emulator: &Emulator, tenant: &str) -> String {
    emulator.tenant_field(tenant, "companyId")
}

fn map_users(emulator: &Emulator, pairs: &[(&str, &str)]) -> Vec<String> {
    let company = company(emulator, "contoso");
    let items: Vec<String> = pairs
        .iter()
        .map(|(source, target)| format!("User,{company},{source},{target},{target},RegularUser"))
        .collect();
    let answer = emulator
        .call(
            "fabrikam",
            "AddOrUpdateTenantIdentityMap",
            &[Arg::Strings(&items)],
        )
        .unwrap();
    serde_json::from_value(answer).unwrap()
}

fn start_move(
    emulator: &Emulator,
    content_type: i64,
    source: &str,
    target: &str,
    options: (&str, &str, bool, bool),
) -> Result<Value, Value> {
    let host = emulator.host_url("fabrikam");
    let (begin, end, validation_only, force) = options;
    emulator
        .call(
            "contoso",
            "StartSPOCrossTenantContentMove",
            &[
                Arg::Enum(content_type),
                Arg::Str(source),
                Arg::Str(target),
                Arg::Str(&host),
                Arg::DateTime(begin),
                Arg::DateTime(end),
                Arg::Bool(validation_only),
                Arg::Bool(force),
            ],
        )
        .map(|value| parse(&value))
}

const PLAIN: (&str, &str, bool, bool) = (NOT_GIVEN, NOT_GIVEN, false, false);
const VALIDATE: (&str, &str, bool, bool) = (NOT_GIVEN, NOT_GIVEN, true, false);

fn parse(value: &Value) -> Value {
    serde_json::from_str(value.as_str().expect("a JSON string")).expect("JSON text")
}

fn states(emulator: &Emulator, tenant: &str, content_type: i64, source: &str) -> Vec<Value> {
    let partner = if tenant == "contoso" {
        "fabrikam"
    } else {
        "contoso"
    };
    let host = emulator.host_url(partner);
    let value = emulator
        .call(
            tenant,
            "GetSPOCrossTenantContentMoveState",
            &[
                Arg::Enum(content_type),
                Arg::Str(&host),
                Arg::Str(source),
                Arg::Guid(NIL),
                Arg::Int32(ALL_STATES),
                Arg::Int32(ALL_DIRECTIONS),
                Arg::UInt32(0),
                Arg::DateTime(NOT_GIVEN),
                Arg::DateTime(NOT_GIVEN),
                Arg::Enum(0),
            ],
        )
        .unwrap();
    serde_json::from_value(parse(&value)).unwrap()
}

fn error_name(error: &Value) -> String {
    let message = error["ErrorMessage"].as_str().unwrap();
    message[message.rfind('(').unwrap() + 1..message.len() - 1].to_string()
}

#[test]
fn the_start_up_line_names_users_sites_and_groups() {
    let emulator = start_emulator(&[]);
    let contoso = &emulator.startup["tenants"]["contoso"];
    assert_eq!(contoso["companyId"], contoso["tenantId"]);
    let users = contoso["users"].as_array().unwrap();
    assert_eq!(users.len(), 6);
    let alex = users
        .iter()
        .find(|u| u["upn"] == "alex@contoso.onmicrosoft.com")
        .unwrap();
    assert_eq!(alex["licensed"], true);
    assert!(
        alex["oneDriveUrl"]
            .as_str()
            .unwrap()
            .ends_with("/contoso-my/personal/alex_contoso_onmicrosoft_com")
    );
    assert!(
        contoso["sites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().ends_with("/contoso/sites/projects"))
    );
    let groups = contoso["groups"].as_array().unwrap();
    assert!(
        groups
            .iter()
            .any(|g| g["alias"] == "sales" && g["objectId"].as_str().unwrap().len() == 36)
    );
    // Existing fields are unchanged.
    assert!(contoso["accessToken"].is_string() && contoso["hostUrl"].is_string());

    let bare = Emulator::start(&[
        "--tenant",
        "contoso",
        "--no-default-content",
        "--user",
        "gus@contoso.onmicrosoft.com,unlicensed",
        "--site",
        "contoso:legal=a.docx",
        "--group",
        "contoso:team",
    ]);
    let contoso = &bare.startup["tenants"]["contoso"];
    assert_eq!(contoso["users"].as_array().unwrap().len(), 1);
    assert_eq!(contoso["users"][0]["licensed"], false);
    assert_eq!(contoso["sites"].as_array().unwrap().len(), 1);
    assert_eq!(contoso["groups"][0]["alias"], "team");
}

/// The users of the target tenant's map, from the control endpoint.
fn mapped_users(emulator: &Emulator) -> Vec<Value> {
    let (status, map) = emulator.control(Method::GET, "tenants/fabrikam/identity-map", None);
    assert_eq!(status, 200);
    map["users"].as_array().unwrap().clone()
}

/// `count` user pairs u<n>@contoso -> u<n>@fabrikam.
fn user_pairs(count: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|n| {
            (
                format!("u{n}@contoso.onmicrosoft.com"),
                format!("u{n}@fabrikam.onmicrosoft.com"),
            )
        })
        .collect()
}

fn upload(emulator: &Emulator, pairs: &[(String, String)]) -> Vec<String> {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(s, t)| (s.as_str(), t.as_str()))
        .collect();
    map_users(emulator, &pairs)
}

#[test]
fn each_upload_replaces_the_map_and_rejects_per_item() {
    let emulator = start_emulator(&[]);
    let company = company(&emulator, "contoso");
    assert!(upload(&emulator, &user_pairs(2_500)).is_empty());
    assert_eq!(mapped_users(&emulator).len(), 2_500);
    assert!(upload(&emulator, &user_pairs(10)).is_empty());
    assert_eq!(
        mapped_users(&emulator).len(),
        10,
        "the second upload replaced the first"
    );
    let items = vec![
        format!(
            "User,{company},alex@contoso.onmicrosoft.com,emil@fabrikam.onmicrosoft.com,emil@fabrikam.onmicrosoft.com,RegularUser"
        ),
        "User,not-a-guid,a@b.com,c@d.com,c@d.com,RegularUser".to_string(),
        "only,three,fields".to_string(),
    ];
    let answer = emulator
        .call(
            "fabrikam",
            "AddOrUpdateTenantIdentityMap",
            &[Arg::Strings(&items)],
        )
        .unwrap();
    let rejections: Vec<String> = serde_json::from_value(answer).unwrap();
    assert_eq!(rejections.len(), 2);
    assert!(rejections[0].starts_with("1: SourceTenantCompanyID"));
    assert!(rejections[1].starts_with("2: expected 6"));
    let users = mapped_users(&emulator);
    assert_eq!(users.len(), 1, "the map holds what the last upload took");
    assert_eq!(users[0]["targetUserUpn"], "emil@fabrikam.onmicrosoft.com");
    let wrong_type = emulator.call("fabrikam", "AddOrUpdateTenantIdentityMap", &[Arg::Str("x")]);
    assert_eq!(
        wrong_type.unwrap_err()["ErrorTypeName"],
        "Microsoft.SharePoint.Client.InvalidClientQueryException"
    );
}

#[test]
fn uploads_merge_by_source_key_when_started_so() {
    let emulator = start_emulator(&["--identity-map-uploads", "merge"]);
    assert!(upload(&emulator, &user_pairs(2_500)).is_empty());
    let mut update = user_pairs(10);
    update[0].1 = "moved@fabrikam.onmicrosoft.com".to_owned();
    assert!(upload(&emulator, &update).is_empty());
    let users = mapped_users(&emulator);
    assert_eq!(users.len(), 2_500, "merged by source key");
    assert!(
        users
            .iter()
            .any(|u| u["targetUserUpn"] == "moved@fabrikam.onmicrosoft.com")
    );
}

#[test]
fn a_request_over_2_097_152_bytes_is_refused_with_the_services_status_and_text() {
    let emulator = start_emulator(&[]);
    let company = company(&emulator, "contoso");
    // Row n's source user name is padded with `pad` letters, so a request can be sized to the byte.
    let item = |n: usize, pad: usize| {
        format!(
            "User,{company},u{n}{}@contoso.onmicrosoft.com,u{n}@fabrikam.onmicrosoft.com,u{n}@fabrikam.com,RegularUser",
            "x".repeat(pad)
        )
    };
    let request = |count: usize, pad: usize| {
        let items: Vec<String> = (0..count)
            .map(|n| item(n, if n + 1 == count { pad } else { 0 }))
            .collect();
        common::request_xml(&common::method(
            3,
            "AddOrUpdateTenantIdentityMap",
            &[Arg::Strings(&items)],
        ))
    };
    // The most unpadded rows that fit (each adds its text and the element around it), then
    // the last row padded to fill the limit exactly.
    let empty = request(0, 0).len();
    let element = request(1, 0).len() - empty - item(0, 0).len();
    let (mut count, mut size) = (0, empty);
    while size + element + item(count, 0).len() <= 2_097_152 {
        size += element + item(count, 0).len();
        count += 1;
    }
    let pad = 2_097_152 - size;
    let exact = request(count, pad);
    assert_eq!(exact.len(), 2_097_152);
    let response = emulator.post("fabrikam", &exact).unwrap();
    assert_eq!(
        response.status(),
        200,
        "a request of exactly 2,097,152 bytes"
    );
    assert_eq!(mapped_users(&emulator).len(), count);

    let over = request(count, pad + 1);
    assert_eq!(over.len(), 2_097_153);
    let response = emulator.post("fabrikam", &over).unwrap();
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().unwrap();
    assert_eq!(
        answer[0]["ErrorInfo"]["ErrorMessage"],
        "The request message is too big. The server does not allow messages larger than 2,097,152 bytes."
    );
    let users = mapped_users(&emulator);
    assert_eq!(
        users.len(),
        count,
        "nothing of the refused request was taken"
    );
    let padded = format!("u{}{}@contoso.onmicrosoft.com", count - 1, "x".repeat(pad));
    assert!(
        users.iter().any(|u| u["sourceUserUpn"] == padded.as_str()),
        "the map is still the one of the exact request"
    );
}

#[test]
fn single_entries_are_added_found_updated_and_removed_in_the_uploaded_map() {
    let emulator = start_emulator(&[]);
    let company = company(&emulator, "contoso");
    assert!(upload(&emulator, &user_pairs(3)).is_empty());
    let get_user = |field: i64, value: &str| {
        emulator
            .list(
                "fabrikam",
                "GetTenantUserIdentityMappingItem",
                &[Arg::Enum(field), Arg::Str(value)],
            )
            .unwrap()
    };
    // An uploaded row is found by each field.
    for (field, value) in [
        (0, "U1@contoso.onmicrosoft.com"),
        (2, "u1@fabrikam.onmicrosoft.com"),
        (3, "u1@fabrikam.onmicrosoft.com"),
    ] {
        let found = get_user(field, value);
        assert_eq!(found.len(), 1, "{field}");
        assert_eq!(found[0]["SourceUserKey"], "u1@contoso.onmicrosoft.com");
        assert_eq!(
            found[0]["SourceTenantCompanyId"],
            format!("/Guid({company})/")
        );
        assert_eq!(found[0]["UserType"], 1);
    }
    // Add, then update by the same key.
    for target in [
        "dana@fabrikam.onmicrosoft.com",
        "emil@fabrikam.onmicrosoft.com",
    ] {
        emulator
            .call(
                "fabrikam",
                "AddOrUpdateTenantSingleUserIdentityMappingItem",
                &[
                    Arg::Guid(&company),
                    Arg::Str("alex@contoso.onmicrosoft.com"),
                    Arg::Str("1003BFFD8"),
                    Arg::Str(target),
                    Arg::Str(target),
                    Arg::Enum(2),
                ],
            )
            .unwrap();
    }
    let found = get_user(1, "1003BFFD8");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["TargetUserUpn"], "emil@fabrikam.onmicrosoft.com");
    assert_eq!(
        mapped_users(&emulator).len(),
        4,
        "added to the uploaded map, then updated"
    );
    // A move uses the entry added on its own.
    emulator.trust_both_ways();
    let started = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "emil@fabrikam.onmicrosoft.com",
        VALIDATE,
    );
    assert!(started.is_ok(), "{started:?}");
    emulator
        .call(
            "fabrikam",
            "RemoveTenantUserIdentityMappingItem",
            &[Arg::Enum(0), Arg::Str("alex@contoso.onmicrosoft.com")],
        )
        .unwrap();
    assert!(get_user(0, "alex@contoso.onmicrosoft.com").is_empty());
    // Groups.
    let group = "11111111-1111-4111-8111-111111111111";
    emulator
        .call(
            "fabrikam",
            "AddOrUpdateTenantSingleGroupIdentityMappingItem",
            &[
                Arg::Guid(&company),
                Arg::Guid(group),
                Arg::Guid(group),
                Arg::Str("Sales"),
                Arg::Enum(3),
            ],
        )
        .unwrap();
    let get_group = |field: i64| {
        emulator.list(
            "fabrikam",
            "GetTenantGroupIdentityMappingItem",
            &[Arg::Enum(field), Arg::Str("sales")],
        )
    };
    let found = get_group(2).unwrap();
    assert_eq!(found[0]["SourceGroupObjectId"], format!("/Guid({group})/"));
    assert_eq!(found[0]["GroupType"], 3);
    let refused = get_group(7).unwrap_err();
    assert_eq!(refused["ErrorTypeName"], "System.ArgumentException");
    let not_a_list = emulator
        .list("fabrikam", "GetMySiteHostUrl", &[])
        .unwrap_err();
    assert_eq!(
        not_a_list["ErrorTypeName"],
        "Microsoft.SharePoint.Client.InvalidClientQueryException"
    );
}

#[test]
fn a_user_move_walks_its_states_on_a_fast_clock() {
    let emulator = start_emulator(&["--move-step", "250ms"]);
    emulator.trust_both_ways();
    map_users(
        &emulator,
        &[(
            "alex@contoso.onmicrosoft.com",
            "dana@fabrikam.onmicrosoft.com",
        )],
    );
    let started = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap();
    assert_eq!(started["MoveState"], "NotStarted");
    assert_eq!(started["ContentType"], "Odb");
    assert_eq!(started["MoveDirection"], "MoveOut");
    assert_eq!(
        started["TargetCrossTenantHostUrl"],
        emulator.host_url("fabrikam")
    );
    assert!(
        started["TargetSiteUrl"]
            .as_str()
            .unwrap()
            .ends_with("/fabrikam-my/personal/dana_fabrikam_onmicrosoft_com")
    );

    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen: Vec<String> = Vec::new();
    let mut percents = Vec::new();
    loop {
        let found = states(&emulator, "contoso", ODB, "alex@contoso.onmicrosoft.com");
        assert_eq!(found.len(), 1);
        let state = &found[0];
        let name = match state["MovePhase"].as_str() {
            Some(phase) => format!("InProgress/{phase}"),
            None => state["MoveState"].as_str().unwrap().to_string(),
        };
        if seen.last() != Some(&name) {
            seen.push(name);
        }
        percents.push(state["PercentComplete"].as_u64().unwrap());
        if state["MoveState"] == "Success" {
            assert!(state["CompletedTime"].is_string() && state["StartedTime"].is_string());
            break;
        }
        assert!(Instant::now() < deadline, "never finished: {seen:?}");
        std::thread::sleep(Duration::from_millis(40));
    }
    assert!(seen.contains(&"Scheduled".to_string()), "{seen:?}");
    assert!(seen.contains(&"InProgress/Restore".to_string()), "{seen:?}");
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");

    let incoming = states(&emulator, "fabrikam", ODB, "");
    assert_eq!(incoming[0]["MoveDirection"], "MoveIn");
    let (_, content) = emulator.control(Method::GET, "tenants/fabrikam/content", None);
    let dana = content["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["upn"] == "dana@fabrikam.onmicrosoft.com")
        .unwrap();
    assert!(
        dana["oneDriveUrl"].is_string(),
        "the target OneDrive exists: {dana}"
    );
    let again = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        PLAIN,
    );
    assert_eq!(error_name(&again.unwrap_err()), "MnATargetSiteConflict");
    let forced = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        (NOT_GIVEN, NOT_GIVEN, false, true),
    );
    assert!(forced.is_ok());
}

#[test]
fn failures_come_from_state_with_their_names() {
    let emulator = start_emulator(&["--move-step", "0s"]);
    let untrusted = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap_err();
    assert_eq!(error_name(&untrusted), "MnATrustNoSetupForPartner");
    assert_eq!(
        untrusted["ErrorTypeName"],
        "Microsoft.SharePoint.Client.ServerException"
    );
    assert_eq!(untrusted["ErrorCode"], -1);
    emulator.trust_both_ways();
    let cases = [
        (
            ODB,
            "nobody@contoso.onmicrosoft.com",
            "x@fabrikam.onmicrosoft.com",
            "MnASourceNotFound",
        ),
        (
            ODB,
            "farah@contoso.onmicrosoft.com",
            "x@fabrikam.onmicrosoft.com",
            "MnAUserNotLicensed",
        ),
        (
            ODB,
            "alex@contoso.onmicrosoft.com",
            "dana@fabrikam.onmicrosoft.com",
            "MnAIdentityMappingNotFound",
        ),
        (GROUP, "sales", "sales2", "MnAIdentityMappingNotFound"),
        (GROUP, "nogroup", "sales2", "MnASourceNotFound"),
        (
            REG_SITE,
            "https://elsewhere.example/sites/x",
            "https://x.example/sites/y",
            "MnASourceNotFound",
        ),
    ];
    for (content_type, source, target, name) in cases {
        let error = start_move(&emulator, content_type, source, target, PLAIN).unwrap_err();
        assert_eq!(error_name(&error), name, "{source}");
    }
    map_users(
        &emulator,
        &[(
            "alex@contoso.onmicrosoft.com",
            "alex@fabrikam.onmicrosoft.com",
        )],
    );
    let conflict = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "alex@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap_err();
    assert_eq!(error_name(&conflict), "MnATargetSiteConflict");
    assert!(
        conflict["ErrorMessage"]
            .as_str()
            .unwrap()
            .contains("target tenant has a conflict")
    );

    let validated = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "alex@fabrikam.onmicrosoft.com",
        (NOT_GIVEN, NOT_GIVEN, true, true),
    )
    .unwrap();
    assert_eq!(validated["ValidationOnly"], true);
    assert_eq!(validated["MoveState"], "Success");
    assert!(
        states(&emulator, "contoso", ODB, "").is_empty(),
        "validation is not kept"
    );

    let stop_unknown = emulator.call(
        "contoso",
        "StopSPOCrossTenantContentMove",
        &[Arg::Enum(ODB), Arg::Str("bianca@contoso.onmicrosoft.com")],
    );
    assert_eq!(error_name(&stop_unknown.unwrap_err()), "MnAMoveJobNotFound");
    let bad_enum = start_move(&emulator, 7, "a", "b", PLAIN).unwrap_err();
    assert_eq!(bad_enum["ErrorTypeName"], "System.ArgumentException");
    let host = emulator.host_url("fabrikam");
    let bad_state = emulator.call(
        "contoso",
        "GetSPOCrossTenantContentMoveState",
        &[
            Arg::Enum(ODB),
            Arg::Str(&host),
            Arg::Str(""),
            Arg::Guid(NIL),
            Arg::Int32(9),
            Arg::Int32(ALL_DIRECTIONS),
            Arg::UInt32(0),
            Arg::DateTime(NOT_GIVEN),
            Arg::DateTime(NOT_GIVEN),
            Arg::Enum(0),
        ],
    );
    assert_eq!(
        bad_state.unwrap_err()["ErrorTypeName"],
        "System.ArgumentException"
    );
    let too_few = emulator.call(
        "contoso",
        "StartSPOCrossTenantContentMove",
        &[Arg::Enum(ODB), Arg::Str("a"), Arg::Str("b")],
    );
    assert_eq!(
        too_few.unwrap_err()["ErrorTypeName"],
        "Microsoft.SharePoint.Client.InvalidClientQueryException"
    );
    let string_for_bool = emulator.call(
        "contoso",
        "StartSPOCrossTenantContentMove",
        &[
            Arg::Enum(ODB),
            Arg::Str("alex@contoso.onmicrosoft.com"),
            Arg::Str("x@fabrikam.onmicrosoft.com"),
            Arg::Str(&host),
            Arg::DateTime(NOT_GIVEN),
            Arg::DateTime(NOT_GIVEN),
            Arg::Str("false"),
            Arg::Bool(false),
        ],
    );
    assert_eq!(
        string_for_bool.unwrap_err()["ErrorTypeName"],
        "Microsoft.SharePoint.Client.InvalidClientQueryException"
    );
}

#[test]
fn stop_works_only_before_in_progress_and_injected_failures_fail_the_move() {
    let emulator = start_emulator(&[
        "--move-step",
        "0s",
        "--move-fault",
        "bianca@contoso.onmicrosoft.com=Restore",
    ]);
    emulator.trust_both_ways();
    map_users(
        &emulator,
        &[
            (
                "alex@contoso.onmicrosoft.com",
                "dana@fabrikam.onmicrosoft.com",
            ),
            (
                "bianca@contoso.onmicrosoft.com",
                "emil@fabrikam.onmicrosoft.com",
            ),
            (
                "chen@contoso.onmicrosoft.com",
                "chen.new@fabrikam.onmicrosoft.com",
            ),
        ],
    );
    let later = "2099-01-01T00:00:00.000Z";
    let scheduled = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        (later, NOT_GIVEN, false, false),
    )
    .unwrap();
    assert_eq!(scheduled["MoveState"], "Scheduled");
    assert_eq!(scheduled["PreferredMoveBeginDate"], "2099-01-01T00:00:00Z");
    assert_eq!(
        states(&emulator, "contoso", ODB, "alex@contoso.onmicrosoft.com")[0]["MoveState"],
        "Scheduled"
    );
    let already = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap_err();
    assert_eq!(error_name(&already), "MnAMoveAlreadyExists");
    let stopped = emulator
        .call(
            "contoso",
            "StopSPOCrossTenantContentMove",
            &[Arg::Enum(ODB), Arg::Str("ALEX@contoso.onmicrosoft.com")],
        )
        .unwrap();
    assert_eq!(parse(&stopped)["MoveState"], "Stopped");
    let twice = emulator.call(
        "contoso",
        "StopSPOCrossTenantContentMove",
        &[Arg::Enum(ODB), Arg::Str("alex@contoso.onmicrosoft.com")],
    );
    assert_eq!(error_name(&twice.unwrap_err()), "MnAMoveCannotBeStopped");

    start_move(
        &emulator,
        ODB,
        "bianca@contoso.onmicrosoft.com",
        "emil@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap();
    let failed = &states(&emulator, "contoso", ODB, "bianca@contoso.onmicrosoft.com")[0];
    assert_eq!(failed["MoveState"], "Failed");
    assert!(failed["ErrorMessage"].as_str().unwrap().contains("Restore"));
    assert_eq!(failed["ErrorCode"], "MnAMoveFailed");
    assert!(
        failed["ErrorMessage"]
            .as_str()
            .unwrap()
            .ends_with("(MnAMoveFailed)")
    );

    let (status, _) = emulator.control(Method::POST, "move-faults", Some(r#""*=Validation""#));
    assert_eq!(status, 200);
    start_move(
        &emulator,
        ODB,
        "chen@contoso.onmicrosoft.com",
        "chen.new@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap();
    assert_eq!(
        states(&emulator, "contoso", ODB, "chen@contoso.onmicrosoft.com")[0]["MoveState"],
        "Failed"
    );
    let (_, faults) = emulator.control(Method::GET, "move-faults", None);
    assert_eq!(faults["moveFaults"].as_array().unwrap().len(), 2);
    let (status, _) = emulator.control(Method::POST, "move-faults", Some(r#""alex=Later""#));
    assert_eq!(status, 400);
    let (_, faults) = emulator.control(Method::DELETE, "move-faults", None);
    assert!(faults["moveFaults"].as_array().unwrap().is_empty());
}

#[test]
fn site_and_group_moves_and_long_paths() {
    let emulator = start_emulator(&["--move-step", "0s"]);
    emulator.trust_both_ways();
    let base = emulator.base_url();
    let projects = format!("{base}/contoso/sites/projects");
    let long = emulator
        .call(
            "contoso",
            "GetSPOCrossTenantLongFilePathsForSiteRename",
            &[
                Arg::Str(&projects),
                Arg::Str(&format!("{projects}-after-merger")),
            ],
        )
        .unwrap();
    let long: Vec<String> = serde_json::from_value(long).unwrap();
    assert_eq!(long.len(), 3);
    assert!(long.iter().all(|url| url.chars().count() > 400));
    let unknown = emulator.call(
        "contoso",
        "GetSPOCrossTenantLongFilePathsForSiteRename",
        &[
            Arg::Str(&format!("{base}/contoso/sites/none")),
            Arg::Str(&projects),
        ],
    );
    assert_eq!(error_name(&unknown.unwrap_err()), "MnASourceNotFound");

    let target_site = format!("{base}/fabrikam/sites/projects-contoso");
    let site = start_move(&emulator, REG_SITE, &projects, &target_site, PLAIN).unwrap();
    assert_eq!(site["ContentType"], "RegSite");

    let sales_id = emulator.startup["tenants"]["contoso"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["alias"] == "sales")
        .unwrap()["objectId"]
        .as_str()
        .unwrap()
        .to_string();
    let company = company(&emulator, "contoso");
    let item = vec![format!(
        "Group,{company},{sales_id},11111111-2222-4333-8444-555555555555,11111111-2222-4333-8444-555555555555,O365Group"
    )];
    emulator
        .call(
            "fabrikam",
            "AddOrUpdateTenantIdentityMap",
            &[Arg::Strings(&item)],
        )
        .unwrap();
    let group = start_move(&emulator, GROUP, "sales", "sales-contoso", PLAIN).unwrap();
    assert_eq!(group["ContentType"], "Group");
    assert_eq!(
        states(&emulator, "contoso", REG_SITE, &projects)[0]["MoveState"],
        "Success"
    );
    assert_eq!(
        states(&emulator, "contoso", GROUP, "sales")[0]["MoveState"],
        "Success"
    );
    let (_, content) = emulator.control(Method::GET, "tenants/fabrikam/content", None);
    assert!(
        content["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["alias"] == "sales-contoso"
                && g["objectId"] == "11111111-2222-4333-8444-555555555555")
    );
    assert!(
        content["sites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["url"] == target_site.as_str())
    );
    let (_, moves) = emulator.control(Method::GET, "tenants/fabrikam/moves", None);
    assert_eq!(moves["moves"].as_array().unwrap().len(), 2);
}

#[test]
fn control_endpoints_add_content_and_reset_clears_moves_and_maps() {
    let emulator = start_emulator(&["--move-step", "0s"]);
    let (status, content) = emulator.control(Method::POST, "tenants/contoso/users", Some(r#"["gus@contoso.onmicrosoft.com,unlicensed", "hana@contoso.onmicrosoft.com=Documents/a.docx"]"#));
    assert_eq!(status, 200);
    assert_eq!(content["users"].as_array().unwrap().len(), 8);
    let (status, _) = emulator.control(
        Method::POST,
        "tenants/contoso/sites",
        Some(r#""legal=Docs/a.docx;Docs/b.docx""#),
    );
    assert_eq!(status, 200);
    let (status, content) =
        emulator.control(Method::POST, "tenants/contoso/groups", Some("team-x"));
    assert_eq!(status, 200);
    assert_eq!(content["groups"].as_array().unwrap().len(), 3);
    let (status, _) = emulator.control(
        Method::POST,
        "tenants/contoso/users",
        Some(r#""gus@fabrikam.onmicrosoft.com""#),
    );
    assert_eq!(status, 400);
    let (status, _) = emulator.control(Method::GET, "tenants/nowhere/content", None);
    assert_eq!(status, 404);
    // Removing the target OneDrive resolves a conflict; removing a group removes its site.
    let (status, content) = emulator.control(
        Method::DELETE,
        "tenants/contoso/users",
        Some(r#""gus@contoso.onmicrosoft.com""#),
    );
    assert_eq!(status, 200);
    assert_eq!(content["users"].as_array().unwrap().len(), 7);
    let (status, _) = emulator.control(Method::DELETE, "tenants/contoso/sites", Some("legal"));
    assert_eq!(status, 200);
    let (status, content) =
        emulator.control(Method::DELETE, "tenants/contoso/groups", Some("team-x"));
    assert_eq!(status, 200);
    assert_eq!(content["groups"].as_array().unwrap().len(), 2);
    let (status, _) = emulator.control(Method::DELETE, "tenants/contoso/groups", Some("team-x"));
    assert_eq!(status, 404);

    emulator.trust_both_ways();
    map_users(
        &emulator,
        &[(
            "hana@contoso.onmicrosoft.com",
            "hana@fabrikam.onmicrosoft.com",
        )],
    );
    start_move(
        &emulator,
        ODB,
        "hana@contoso.onmicrosoft.com",
        "hana@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap();
    let (status, _) = emulator.control(Method::POST, "reset", None);
    assert_eq!(status, 200);
    let (_, map) = emulator.control(Method::GET, "tenants/fabrikam/identity-map", None);
    assert!(map["users"].as_array().unwrap().is_empty());
    let (_, moves) = emulator.control(Method::GET, "tenants/contoso/moves", None);
    assert!(moves["moves"].as_array().unwrap().is_empty());
    let (_, content) = emulator.control(Method::GET, "tenants/contoso/content", None);
    assert_eq!(
        content["users"].as_array().unwrap().len(),
        6,
        "back to the start options"
    );
}

#[test]
fn faults_stats_and_the_log_cover_the_new_methods() {
    let emulator = start_emulator(&["--move-step", "0s", "--fault", "429:count=1"]);
    let response = emulator
        .post(
            "contoso",
            &common::request_xml(&common::method(
                3,
                "GetSPOCrossTenantLongFilePathsForSiteRename",
                &[Arg::Str("a"), Arg::Str("b")],
            )),
        )
        .unwrap();
    assert_eq!(response.status(), 429);
    let unauthorized = emulator
        .post_with_token(
            "contoso",
            "not-a-token",
            &common::request_xml(&common::method(
                3,
                "StopSPOCrossTenantContentMove",
                &[Arg::Enum(ODB), Arg::Str("alex@contoso.onmicrosoft.com")],
            )),
        )
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
    assert!(unauthorized.headers().contains_key("www-authenticate"));
    emulator.trust_both_ways();
    let _ = start_move(
        &emulator,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        PLAIN,
    );
    let (_, stats) = emulator.control(Method::GET, "stats", None);
    assert_eq!(stats["byMethod"]["StartSPOCrossTenantContentMove"], 1);
    let log = emulator.stderr_once_it_contains("ProcessQuery[StartSPOCrossTenantContentMove] 200");
    assert!(log.contains("fault=429"));
}

#[test]
fn moves_and_maps_survive_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let state = folder.path().join("state.json");
    let state = state.to_str().unwrap();
    let mut first = start_emulator(&["--state", state, "--move-step", "1h"]);
    first.trust_both_ways();
    map_users(
        &first,
        &[(
            "alex@contoso.onmicrosoft.com",
            "dana@fabrikam.onmicrosoft.com",
        )],
    );
    let started = start_move(
        &first,
        ODB,
        "alex@contoso.onmicrosoft.com",
        "dana@fabrikam.onmicrosoft.com",
        PLAIN,
    )
    .unwrap();
    #[cfg(unix)]
    {
        let exit = first.terminate().expect("SIGTERM stops the emulator");
        assert!(exit.success());
    }
    first.kill();
    drop(first);
    let second = Emulator::start(&["--state", state]);
    let found = states(&second, "contoso", ODB, "alex@contoso.onmicrosoft.com");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["MoveJobId"], started["MoveJobId"]);
    let (_, map) = second.control(Method::GET, "tenants/fabrikam/identity-map", None);
    assert_eq!(map["users"].as_array().unwrap().len(), 1);
}

#[test]
fn four_thousand_moves_start_fast_and_the_next_is_refused() {
    const LIMIT: usize = 4_000;
    let emulator = start_emulator(&["--move-step", "1h", "--no-default-content"]);
    emulator.trust_both_ways();
    let users: Vec<String> = (0..=LIMIT)
        .map(|n| format!("u{n}@contoso.onmicrosoft.com,no-onedrive"))
        .collect();
    // OneDrives are needed: add them with one file each.
    let users: Vec<String> = users
        .iter()
        .map(|u| u.replace(",no-onedrive", "=a.docx"))
        .collect();
    let (status, _) = emulator.control(
        Method::POST,
        "tenants/contoso/users",
        Some(&users.join("\n")),
    );
    assert_eq!(status, 200);
    // One upload: each one replaces the map.
    let pairs: Vec<(String, String)> = (0..=LIMIT)
        .map(|n| {
            (
                format!("u{n}@contoso.onmicrosoft.com"),
                format!("t{n}@fabrikam.onmicrosoft.com"),
            )
        })
        .collect();
    assert!(upload(&emulator, &pairs).is_empty());
    let host = emulator.host_url("fabrikam");
    let began = Instant::now();
    for n in 0..LIMIT {
        let (source, target) = (
            format!("u{n}@contoso.onmicrosoft.com"),
            format!("t{n}@fabrikam.onmicrosoft.com"),
        );
        let answer = emulator.csom(
            "contoso",
            &common::method(
                3,
                "StartSPOCrossTenantContentMove",
                &[
                    Arg::Enum(ODB),
                    Arg::Str(&source),
                    Arg::Str(&target),
                    Arg::Str(&host),
                    Arg::DateTime(NOT_GIVEN),
                    Arg::DateTime(NOT_GIVEN),
                    Arg::Bool(false),
                    Arg::Bool(false),
                ],
            ),
        );
        assert!(answer[0]["ErrorInfo"].is_null(), "{n}: {}", answer[0]);
    }
    let elapsed = began.elapsed();
    assert!(
        elapsed < Duration::from_secs(60),
        "4,000 starts took {elapsed:?}"
    );
    let over = start_move(
        &emulator,
        ODB,
        &format!("u{LIMIT}@contoso.onmicrosoft.com"),
        &format!("t{LIMIT}@fabrikam.onmicrosoft.com"),
        PLAIN,
    );
    assert_eq!(error_name(&over.unwrap_err()), "MnAMoveBatchLimitExceeded");
    assert_eq!(states(&emulator, "contoso", ODB, "").len(), LIMIT);
}
