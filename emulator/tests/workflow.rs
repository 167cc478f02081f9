//! The documented two-tenant workflow and the CSOM answer shapes, over real HTTP.

mod common;

use common::{Arg, Emulator, method, relation_list, request_xml, role, status};
use serde_json::{Value, json};

const TENANTS: [&str; 4] = ["--tenant", "contoso", "--tenant", "fabrikam"];

fn start(extra: &[&str]) -> Emulator {
    let mut arguments = TENANTS.to_vec();
    arguments.extend_from_slice(extra);
    Emulator::start(&arguments)
}

#[test]
fn startup_line_describes_every_tenant() {
    let emulator = start(&[]);
    let listen = emulator.listen();
    assert!(listen.starts_with("127.0.0.1:"), "{listen}");
    assert_eq!(
        emulator.admin_url("contoso"),
        format!("http://{listen}/contoso-admin")
    );
    assert_eq!(
        emulator.host_url("fabrikam"),
        format!("http://{listen}/fabrikam-my/")
    );
    assert!(!emulator.token("contoso").is_empty());
    assert_ne!(emulator.token("contoso"), emulator.token("fabrikam"));
    assert!(emulator.startup.get("certificate").is_none());
    assert!(
        emulator.startup["tenants"]["contoso"]
            .get("nonAdminToken")
            .is_none()
    );
}

#[test]
fn two_tenants_reach_good_to_proceed_without_a_dormant_period() {
    let emulator = start(&["--dormant-period", "0s"]);
    // Each side learns the other's host URL.
    let contoso_host = emulator.call("contoso", "GetMySiteHostUrl", &[]).unwrap();
    assert_eq!(contoso_host, json!(emulator.host_url("contoso")));

    let verify = |tenant: &str, partner_role: i64, partner: &str| {
        emulator
            .relation_call(tenant, "VerifySPOTenantOrgRelation", partner_role, partner)
            .unwrap()
    };
    assert_eq!(
        verify("contoso", role::TARGET, "fabrikam"),
        json!(status::NOT_ESTABLISHED)
    );

    let set = emulator.relation_call(
        "contoso",
        "NewSPOTenantOrgRelation",
        role::TARGET,
        "fabrikam",
    );
    assert_eq!(
        set,
        Ok(Value::Null),
        "a void method adds nothing to the answer"
    );
    assert_eq!(
        verify("contoso", role::TARGET, "fabrikam"),
        json!(status::NOT_ESTABLISHED_BY_PARTNER)
    );

    emulator
        .relation_call(
            "fabrikam",
            "NewSPOTenantOrgRelation",
            role::SOURCE,
            "contoso",
        )
        .unwrap();
    assert_eq!(
        verify("contoso", role::TARGET, "fabrikam"),
        json!(status::GOOD_TO_PROCEED)
    );
    assert_eq!(
        verify("fabrikam", role::SOURCE, "contoso"),
        json!(status::GOOD_TO_PROCEED)
    );

    let all = relation_list(
        &emulator
            .call("contoso", "GetSPOTenantOrgRelationAll", &[])
            .unwrap(),
    );
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["Scenario"], "MnA");
    assert_eq!(all[0]["PartnerRole"], "Target");
    assert_eq!(
        all[0]["PartnerCrossTenantHostUrl"],
        json!(emulator.host_url("fabrikam"))
    );
    assert!(all[0]["CreatedTime"].as_str().unwrap().ends_with('Z'));

    let fabrikam_host = emulator.host_url("fabrikam");
    let by_partner = emulator
        .call(
            "contoso",
            "GetSPOTenantOrgRelationByPartner",
            &[Arg::Str(&fabrikam_host)],
        )
        .unwrap();
    assert_eq!(relation_list(&by_partner).len(), 1);
    let by_scenario = emulator
        .call(
            "fabrikam",
            "GetSPOTenantOrgRelationByScenario",
            &[Arg::Enum(1), Arg::Enum(role::SOURCE)],
        )
        .unwrap();
    assert_eq!(relation_list(&by_scenario)[0]["PartnerRole"], "Source");

    // Done migrating: both sides remove.
    emulator
        .relation_call(
            "contoso",
            "RemoveSPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    assert_eq!(
        verify("fabrikam", role::SOURCE, "contoso"),
        json!(status::NOT_ESTABLISHED_BY_PARTNER)
    );
    emulator
        .relation_call(
            "fabrikam",
            "RemoveSPOTenantOrgRelation",
            role::SOURCE,
            "contoso",
        )
        .unwrap();
    let again = emulator
        .relation_call(
            "fabrikam",
            "RemoveSPOTenantOrgRelation",
            role::SOURCE,
            "contoso",
        )
        .unwrap_err();
    assert!(
        again["ErrorMessage"]
            .as_str()
            .unwrap()
            .contains("MnATrustNoSetupForPartner")
    );
}

#[test]
fn the_default_period_keeps_new_relations_dormant() {
    let emulator = start(&[]);
    emulator
        .relation_call(
            "contoso",
            "NewSPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    emulator
        .relation_call(
            "fabrikam",
            "NewSPOTenantOrgRelation",
            role::SOURCE,
            "contoso",
        )
        .unwrap();
    let status = emulator
        .relation_call(
            "contoso",
            "VerifySPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    assert_eq!(status, json!(status::DORMANT));
}

#[test]
fn a_partner_outside_the_emulator_cannot_be_contacted() {
    let emulator = start(&["--dormant-period", "0s"]);
    let outside = [
        Arg::Enum(1),
        Arg::Enum(role::TARGET),
        Arg::Str("https://northwind-my.sharepoint.com"),
    ];
    emulator
        .call("contoso", "NewSPOTenantOrgRelation", &outside)
        .unwrap();
    let status = emulator
        .call("contoso", "VerifySPOTenantOrgRelation", &outside)
        .unwrap();
    assert_eq!(status, json!(status::COULD_NOT_CONTACT_PARTNER));
}

#[test]
fn several_actions_answer_in_order_with_matching_correlation_ids() {
    let emulator = start(&[]);
    let fabrikam = emulator.host_url("fabrikam");
    let actions = format!(
        r#"<ObjectPath Id="2" ObjectPathId="1" />{}{}{}"#,
        method(
            3,
            "NewSPOTenantOrgRelation",
            &[Arg::Enum(1), Arg::Enum(2), Arg::Str(&fabrikam)]
        ),
        method(4, "GetMySiteHostUrl", &[]),
        method(
            5,
            "VerifySPOTenantOrgRelation",
            &[Arg::Enum(1), Arg::Enum(2), Arg::Str(&fabrikam)]
        ),
    );
    let response = emulator.post("contoso", &request_xml(&actions)).unwrap();
    assert_eq!(response.status(), 200);
    let guid = response.headers()["SPRequestGuid"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let answer: Value = response.json().unwrap();
    assert_eq!(answer[0]["SchemaVersion"], "15.0.0.0");
    assert!(
        answer[0]["LibraryVersion"]
            .as_str()
            .unwrap()
            .starts_with("16.0.")
    );
    assert_eq!(answer[0]["TraceCorrelationId"], json!(guid));
    let rest: Vec<Value> = answer.as_array().unwrap()[1..].to_vec();
    assert_eq!(
        rest,
        vec![
            json!(2),
            json!({"IsNull": false}),
            json!(4),
            json!(emulator.host_url("contoso")),
            json!(5),
            json!(status::NOT_ESTABLISHED_BY_PARTNER),
        ]
    );
}

#[test]
fn validation_failures_come_back_as_error_info() {
    let emulator = start(&[]);
    let fabrikam = emulator.host_url("fabrikam");
    let contoso = emulator.host_url("contoso");
    let admin = emulator.admin_url("fabrikam");
    let cases: [(Vec<Arg>, &str, &str); 5] = [
        (
            vec![Arg::Enum(0), Arg::Enum(2), Arg::Str(&fabrikam)],
            "MnATrustWrongCmdletUsage",
            "Microsoft.Online.SharePoint.Common.SpoException",
        ),
        (
            vec![Arg::Enum(1), Arg::Enum(0), Arg::Str(&fabrikam)],
            "MnATrustWrongCmdletUsage",
            "Microsoft.Online.SharePoint.Common.SpoException",
        ),
        (
            vec![Arg::Enum(1), Arg::Enum(2), Arg::Str(&admin)],
            "MnADomainNameIsInCorrect",
            "Microsoft.Online.SharePoint.Common.SpoException",
        ),
        (
            vec![Arg::Enum(1), Arg::Enum(2), Arg::Str(&contoso)],
            "MnAPartnersOnTheSameFarm",
            "Microsoft.Online.SharePoint.Common.SpoException",
        ),
        (
            vec![Arg::Enum(7), Arg::Enum(2), Arg::Str(&fabrikam)],
            "not defined in OrgRelationScenario",
            "System.ArgumentException",
        ),
    ];
    for (arguments, message, type_name) in cases {
        let response = emulator
            .post(
                "contoso",
                &request_xml(&method(3, "NewSPOTenantOrgRelation", &arguments)),
            )
            .unwrap();
        assert_eq!(response.status(), 200);
        let guid = response.headers()["SPRequestGuid"]
            .to_str()
            .unwrap()
            .to_string();
        let answer: Value = response.json().unwrap();
        assert_eq!(
            answer.as_array().unwrap().len(),
            1,
            "no results after a failure"
        );
        let error = &answer[0]["ErrorInfo"];
        assert!(
            error["ErrorMessage"].as_str().unwrap().contains(message),
            "{error}"
        );
        assert_eq!(error["ErrorTypeName"], type_name);
        assert!(error["ErrorCode"].as_i64().unwrap() < 0);
        assert_eq!(error["ErrorValue"], Value::Null);
        assert_eq!(error["TraceCorrelationId"], json!(guid));
        assert_eq!(answer[0]["TraceCorrelationId"], json!(guid));
    }
    assert!(
        emulator
            .call("contoso", "GetSPOTenantOrgRelationAll", &[])
            .is_ok()
    );
    let listed = emulator
        .call("contoso", "GetSPOTenantOrgRelationAll", &[])
        .unwrap();
    assert!(
        relation_list(&listed).is_empty(),
        "failed calls stored nothing"
    );
}

#[test]
fn malformed_requests_are_invalid_client_queries() {
    let emulator = start(&[]);
    let old_schema =
        request_xml(&method(3, "GetMySiteHostUrl", &[])).replace("15.0.0.0", "14.0.0.0");
    let unknown_type =
        request_xml(&method(3, "GetMySiteHostUrl", &[])).replace("268004ae", "00000000");
    let cases = [
        ("<Request><Actions>".to_string(), -1),
        (request_xml(&method(3, "NoSuchMethod", &[])), -1),
        (
            request_xml(&method(3, "GetMySiteHostUrl", &[Arg::Enum(1)])),
            -1,
        ),
        (unknown_type, -1),
        (old_schema, -2130575151),
    ];
    for (body, code) in cases {
        let response = emulator.post("contoso", &body).unwrap();
        assert_eq!(response.status(), 200);
        let answer: Value = response.json().unwrap();
        let error = &answer[0]["ErrorInfo"];
        assert_eq!(error["ErrorCode"], json!(code), "{body}: {error}");
        assert_eq!(
            error["ErrorTypeName"],
            "Microsoft.SharePoint.Client.InvalidClientQueryException"
        );
    }
}

#[test]
fn form_content_type_and_a_bogus_digest_get_the_same_answer() {
    let emulator = start(&[]);
    let body = request_xml(&method(3, "GetMySiteHostUrl", &[]));
    let url = emulator.process_query_url("contoso");
    let send = |content_type: Option<&str>, digest: Option<&str>| -> Value {
        let mut request = emulator
            .client
            .post(&url)
            .bearer_auth(emulator.token("contoso"))
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        if let Some(digest) = digest {
            request = request.header("X-RequestDigest", digest);
        }
        let response = request.send().unwrap();
        assert_eq!(response.status(), 200);
        let mut answer: Value = response.json().unwrap();
        answer[0]["TraceCorrelationId"] = Value::Null;
        answer
    };
    let reference = send(Some("text/xml"), None);
    assert_eq!(reference[2], json!(emulator.host_url("contoso")));
    assert_eq!(
        send(
            Some("application/x-www-form-urlencoded"),
            Some("garbage,digest")
        ),
        reference
    );
    assert_eq!(send(None, Some("0x00")), reference);
}

#[test]
fn urls_are_matched_case_insensitively_and_pages_answer() {
    let emulator = start(&[]);
    let url = emulator
        .process_query_url("contoso")
        .replace("ProcessQuery", "PROCESSQUERY")
        .replace("contoso-admin", "Contoso-Admin");
    let response = emulator
        .client
        .post(url)
        .bearer_auth(emulator.token("contoso"))
        .body(request_xml(&method(3, "GetMySiteHostUrl", &[])))
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);

    for page in [
        emulator.admin_url("fabrikam"),
        emulator.host_url("fabrikam"),
    ] {
        let response = emulator.client.get(&page).send().unwrap();
        assert_eq!(response.status(), 200, "{page}");
        assert!(response.text().unwrap().contains("fabrikam"));
    }
    let missing = emulator
        .client
        .get(format!("{}/northwind-admin", emulator.base_url()))
        .send()
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[test]
fn reset_clears_relations_and_the_log_never_holds_tokens() {
    let emulator = start(&[]);
    emulator
        .relation_call(
            "contoso",
            "NewSPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    let (code, _) = emulator.control(reqwest::Method::POST, "reset", None);
    assert_eq!(code, 200);
    let listed = emulator
        .call("contoso", "GetSPOTenantOrgRelationAll", &[])
        .unwrap();
    assert!(relation_list(&listed).is_empty());

    let log = emulator.stderr_once_it_contains("ProcessQuery[GetSPOTenantOrgRelationAll] 200");
    assert!(
        log.contains("ProcessQuery[NewSPOTenantOrgRelation] 200"),
        "{log}"
    );
    let token = emulator.token("contoso");
    assert!(
        !log.contains(&token[token.len() - 20..]),
        "a token leaked into the log"
    );
    assert!(!log.to_lowercase().contains("bearer"));
}
