//! The C ABI (version 3) as a C caller sees it: NULLs, frees, statuses, one result record
//! per call, and whole calls against a canned HTTP server or the emulator on 127.0.0.1.

mod support;

use spo_crosstenant::ffi::*;
use std::ptr::{null, null_mut};
use std::time::{Duration, Instant};
use support::emulator::Emulator;
use support::*;

const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ.secret-token-value.sig";
const PARTNER: &str = "https://fabrikam-my.sharepoint.com";
const SET: &str = "NewSPOTenantOrgRelation";
const COMPATIBILITY: &str = "XTenantMoveCompatibilityCheck";

#[test]
fn reports_abi_3_and_describes_enums_settings_and_commands() {
    assert_eq!(spo_abi_version(), 3);
    assert_eq!(SPO_ABI_VERSION, 3);
    let mut result = null_mut();
    assert_eq!(unsafe { spo_describe(&mut result) }, spo_status::Ok);
    let outcome = take(result);
    assert!(outcome.is(spo_status::Ok) && outcome.kind.is_empty());
    let facts: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(facts["libraryVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(facts["abiVersion"], 3);
    let enums = &facts["enums"];
    assert_eq!(
        enums["Microsoft.SharePoint.Client.Administration.OrgRelationScenario"],
        serde_json::json!({"None": 0, "MnA": 1})
    );
    assert_eq!(
        enums["Microsoft.SharePoint.Client.Administration.OrgRelationRole"]["Target"],
        2
    );
    assert_eq!(
        enums["Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus"]["GoodToProceed"],
        4
    );
    assert_eq!(
        enums["SPOCrossTenant.CompatibilityStatus"],
        serde_json::json!({"Compatible": 0, "Warning": 1, "Incompatible": 2})
    );
    let settings: Vec<&str> = facts["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for name in ["AccessToken", "ClientTag", "CertificatePfx", "MaxAttempts"] {
        assert!(settings.contains(&name), "{name}");
    }
    let commands = facts["commands"].as_array().unwrap();
    assert_eq!(commands.len(), 19);
    for name in [SET, "GetMySiteHostUrl", COMPATIBILITY] {
        assert!(commands.iter().any(|c| c == name), "{name}");
    }
    // Without a place for the record, the status alone.
    assert_eq!(unsafe { spo_describe(null_mut()) }, spo_status::Ok);
}

#[test]
fn freeing_null_is_a_no_op_everywhere() {
    unsafe {
        spo_result_free(null_mut());
        spo_connection_free(null_mut());
        spo_operation_free(null_mut());
        spo_sign_in_free(null_mut());
        spo_operation_cancel(null_mut());
    }
}

#[test]
fn null_arguments_give_a_status_and_a_record_but_no_handle() {
    let mut builder = null_mut();
    let mut result = null_mut();
    let status = unsafe { spo_sign_in_new(null(), &mut builder, &mut result) };
    assert_eq!(status, spo_status::NullArgument);
    assert!(builder.is_null());
    let outcome = take(result);
    assert!(outcome.is(spo_status::NullArgument));
    assert_eq!(
        (outcome.kind.as_str(), outcome.error_id.as_str()),
        ("NullArgument", "NullArgument")
    );
    assert!(outcome.message.contains("admin_url"));

    let status = unsafe {
        spo_sign_in_new(
            c("http://127.0.0.1:1/a-admin").as_ptr(),
            null_mut(),
            null_mut(),
        )
    };
    assert_eq!(status, spo_status::NullArgument);
    assert_eq!(
        unsafe { spo_sign_in_set(null_mut(), c("AccessToken").as_ptr(), null(), 0, null_mut()) },
        spo_status::NullArgument
    );
    let mut operation = null_mut();
    let mut result = null_mut();
    assert_eq!(
        unsafe { spo_sign_in_begin(null_mut(), 0, &mut operation, &mut result) },
        spo_status::NullArgument
    );
    assert!(operation.is_null());
    assert!(take(result).message.contains("sign_in"));
    let mut result = null_mut();
    assert_eq!(
        unsafe { spo_connection_info(null(), &mut result) },
        spo_status::NullArgument
    );
    take(result);

    let mut operation = null_mut();
    let mut result = null_mut();
    let status = unsafe {
        spo_call(
            null(),
            c(SET).as_ptr(),
            null(),
            0,
            0,
            &mut operation,
            &mut result,
        )
    };
    assert_eq!(status, spo_status::NullArgument);
    assert!(operation.is_null());
    assert!(take(result).message.contains("connection"));

    let mut result = null_mut();
    assert_eq!(
        unsafe { spo_operation_wait(null_mut(), 10, &mut result) },
        spo_status::NullArgument
    );
    take(result);
    assert_eq!(
        unsafe { spo_operation_wait(null_mut(), 10, null_mut()) },
        spo_status::NullArgument
    );
}

#[test]
fn null_out_pointers_and_argument_arrays_are_refused_before_anything_starts() {
    let connection = connect("http://127.0.0.1:9/contoso-admin", TOKEN, 0);
    let mut result = null_mut();
    let status = unsafe {
        spo_call(
            connection,
            c("GetMySiteHostUrl").as_ptr(),
            null(),
            0,
            0,
            null_mut(),
            &mut result,
        )
    };
    assert_eq!(status, spo_status::NullArgument);
    assert!(take(result).message.contains("operation_out"));
    let mut operation = null_mut();
    let mut result = null_mut();
    let status = unsafe {
        spo_call(
            connection,
            c("GetSPOTenantOrgRelationByPartner").as_ptr(),
            null(),
            1,
            0,
            &mut operation,
            &mut result,
        )
    };
    assert_eq!(status, spo_status::NullArgument);
    assert!(operation.is_null());
    assert!(take(result).message.contains("arguments"));
    let one_null = [null::<std::ffi::c_char>()];
    let mut result = null_mut();
    let status = unsafe {
        spo_call(
            connection,
            c("GetSPOTenantOrgRelationByPartner").as_ptr(),
            one_null.as_ptr(),
            1,
            0,
            &mut operation,
            &mut result,
        )
    };
    assert_eq!(status, spo_status::NullArgument);
    assert!(take(result).message.contains("arguments[0]"));
    unsafe { spo_connection_free(connection) };
}

#[test]
fn invalid_utf8_is_refused() {
    let bytes = [0x68u8, 0x74, 0xFF, 0xFE, 0];
    let mut builder = null_mut();
    let mut result = null_mut();
    let status = unsafe { spo_sign_in_new(bytes.as_ptr().cast(), &mut builder, &mut result) };
    assert_eq!(status, spo_status::InvalidUtf8);
    assert!(builder.is_null());
    assert_eq!(take(result).kind, "InvalidUtf8");
}

#[test]
fn arguments_are_refused_before_sending_with_id_and_parameter() {
    // A server that would answer anything: no refusal may reach it.
    let (base, received) = canned_server(vec![csom_ok("never", "")]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let relation = |scenario: &'static str, role: &'static str, url: &'static str| {
        (SET, vec![scenario, role, url])
    };
    /// (command, arguments), expected error id, expected parameter.
    type Case<'a> = ((&'a str, Vec<&'a str>), &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            relation("None", "Target", PARTNER),
            "ScenarioNone",
            "Scenario",
        ),
        (
            relation("MnA", "none", PARTNER),
            "PartnerRoleNone",
            "PartnerRole",
        ),
        (
            relation("Merger", "Target", PARTNER),
            "ScenarioOutOfRange",
            "Scenario",
        ),
        (
            relation("1", "Target", PARTNER),
            "ScenarioOutOfRange",
            "Scenario",
        ),
        (
            relation("MnA", "2", PARTNER),
            "PartnerRoleOutOfRange",
            "PartnerRole",
        ),
        (
            relation("MnA", "Target", ""),
            "PartnerUrlEmpty",
            "PartnerCrossTenantHostUrl",
        ),
        (
            relation("MnA", "Target", "http://fabrikam-my.sharepoint.com"),
            "PartnerUrlNotHttps",
            "PartnerCrossTenantHostUrl",
        ),
        (
            relation("MnA", "Target", "https://fabrikam.sharepoint.com"),
            "PartnerUrlNotCrossTenantHost",
            "PartnerCrossTenantHostUrl",
        ),
        (
            relation("MnA", "Target", "https://fabrikam-admin.sharepoint.com"),
            "PartnerUrlIsAdminUrl",
            "PartnerCrossTenantHostUrl",
        ),
        (
            relation("MnA", "Target", "https://-my.sharepoint.com"),
            "PartnerUrlHasNoTenantName",
            "PartnerCrossTenantHostUrl",
        ),
        (
            (COMPATIBILITY, vec!["https://-my.sharepoint.us/"]),
            "PartnerUrlHasNoTenantName",
            "PartnerCrossTenantHostUrl",
        ),
        (
            (COMPATIBILITY, vec!["https://fabrikam-my.sharepoint.com/x"]),
            "PartnerUrlHasPath",
            "PartnerCrossTenantHostUrl",
        ),
        ((SET, vec!["MnA", "Target"]), "ArgumentCount", ""),
        (("GetMySiteHostUrl", vec![PARTNER]), "ArgumentCount", ""),
        (("DeleteTenant", vec![]), "UnknownCommand", ""),
    ];
    for ((command, arguments), id, parameter) in cases {
        let mut operation = null_mut();
        let outcome = {
            let owned: Vec<_> = arguments.iter().map(|a| c(a)).collect();
            let pointers: Vec<_> = owned.iter().map(|a| a.as_ptr()).collect();
            let mut result = null_mut();
            let status = unsafe {
                spo_call(
                    connection,
                    c(command).as_ptr(),
                    pointers.as_ptr(),
                    pointers.len(),
                    5000,
                    &mut operation,
                    &mut result,
                )
            };
            assert_eq!(status, spo_status::InvalidArgument, "{id}");
            take(result)
        };
        assert!(operation.is_null(), "{id}");
        assert!(outcome.is(spo_status::InvalidArgument));
        assert_eq!(outcome.kind, "InvalidArgument");
        assert_eq!(outcome.error_id, id);
        assert_eq!(outcome.parameter, parameter, "{id}");
        assert!(!outcome.sent, "{id}");
        assert_eq!(outcome.http_status, 0);
        assert_eq!(outcome.server_message, "");
        assert!(!outcome.message.is_empty());
    }
    assert!(
        received.recv_timeout(Duration::from_millis(200)).is_err(),
        "a refused call was sent"
    );
    unsafe { spo_connection_free(connection) };
}

#[test]
fn sign_in_input_is_refused_before_anything_is_sent() {
    let admin = "http://127.0.0.1:9/contoso-admin";
    let refusal = |url: &str, settings: &[(&str, &str)]| {
        let outcome = sign_in(url, settings).unwrap_err();
        assert!(outcome.is(spo_status::InvalidArgument), "{outcome:?}");
        assert!(!outcome.sent);
        (outcome.error_id, outcome.parameter)
    };
    let pair = |id: &str, parameter: &str| (id.to_owned(), parameter.to_owned());
    assert_eq!(
        refusal("https://-admin.sharepoint.com", &[]),
        pair("AdminUrlHasNoTenantName", "Url")
    );
    assert_eq!(
        refusal("https://-admin.sharepoint.cn/", &[]),
        pair("AdminUrlHasNoTenantName", "Url")
    );
    assert_eq!(
        refusal("https://contoso.sharepoint.com", &[]),
        pair("AdminUrlInvalid", "Url")
    );
    assert_eq!(
        refusal(admin, &[("AccessToken", TOKEN), ("ClientTag", "run-7\r\n")]),
        pair("ClientTagInvalid", "ClientTag")
    );
    assert_eq!(
        refusal(admin, &[("AccessToken", TOKEN), ("ClientTag", "a\u{1b}b")]),
        pair("ClientTagInvalid", "ClientTag")
    );
    assert_eq!(
        refusal(admin, &[("UserName", "  "), ("Password", "pw")]),
        pair("UserNameEmpty", "Credential")
    );
    assert_eq!(
        refusal(admin, &[("AccessToken", "")]),
        pair("AccessTokenEmpty", "AccessToken")
    );

    let mut builder = null_mut();
    unsafe { spo_sign_in_new(c(admin).as_ptr(), &mut builder, null_mut()) };
    let mut result = null_mut();
    let status =
        unsafe { spo_sign_in_set(builder, c("Colour").as_ptr(), b"x".as_ptr(), 1, &mut result) };
    assert_eq!(status, spo_status::InvalidArgument);
    assert_eq!(take(result).error_id, "UnknownSetting");
    // The sign-in needs a record to hand its connection over in.
    let mut operation = null_mut();
    assert_eq!(
        unsafe { spo_sign_in_begin(builder, 0, &mut operation, null_mut()) },
        spo_status::NullArgument
    );
    unsafe { spo_sign_in_free(builder) };
}

#[test]
fn one_call_returns_one_record_and_sends_the_documented_request() {
    let (base, received) = canned_server(vec![csom_ok("corr-set-1", r#",2,{"IsNull":false}"#)]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let arguments = [
        c("mna"),
        c("TARGET"),
        c("https://Fabrikam-my.sharepoint.com/"),
    ];
    let pointers: Vec<_> = arguments.iter().map(|a| a.as_ptr()).collect();
    let mut operation = null_mut();
    let mut result = null_mut();
    let status = unsafe {
        spo_call(
            connection,
            c(SET).as_ptr(),
            pointers.as_ptr(),
            3,
            30_000,
            &mut operation,
            &mut result,
        )
    };
    assert_eq!(status, spo_status::Ok);
    assert!(operation.is_null());
    let outcome = take(result);
    assert!(outcome.is(spo_status::Ok));
    assert_eq!(outcome.value, "");
    assert_eq!(outcome.correlation_id, "corr-set-1");
    assert!(outcome.sent);
    assert_eq!(outcome.http_status, 200);
    assert_eq!(
        (
            outcome.kind.as_str(),
            outcome.error_id.as_str(),
            outcome.message.as_str()
        ),
        ("", "", "")
    );
    assert!(outcome.connection.is_null());

    let request = received.recv_timeout(Duration::from_secs(5)).unwrap();
    let head = request.head.to_ascii_lowercase();
    assert!(
        head.starts_with("post /contoso-admin/_vti_bin/client.svc/processquery http/1.1"),
        "{head}"
    );
    assert!(head.contains(&format!(
        "authorization: bearer {}",
        TOKEN.to_ascii_lowercase()
    )));
    assert!(head.contains("content-type: text/xml"));
    assert!(head.contains("user-agent: nonisv|spocrosstenant|spocrosstenant/"));
    assert!(
        request
            .body
            .contains(r#"<Method Name="NewSPOTenantOrgRelation" Id="3" ObjectPathId="1">"#)
    );
    assert!(request.body.contains(r#"<Parameter Type="Enum">1</Parameter><Parameter Type="Enum">2</Parameter><Parameter Type="String">https://fabrikam-my.sharepoint.com</Parameter>"#));
    assert!(
        request
            .body
            .contains(r#"TypeId="{268004ae-ef6b-4e9b-8425-127220d84719}""#)
    );
    assert!(request.body.contains(&format!(
        r#"ApplicationName="SPOCrossTenant PowerShell ({})""#,
        env!("CARGO_PKG_VERSION")
    )));
    unsafe { spo_connection_free(connection) };
}

#[test]
fn verify_gives_the_status_name_and_host_url_the_server_text() {
    let (base, _received) = canned_server(vec![
        csom_ok("c1", r#",2,{"IsNull":false},3,4"#),
        csom_ok(
            "c2",
            r#",2,{"IsNull":false},3,"https://contoso-my.sharepoint.com/""#,
        ),
        csom_ok("c3", r#",2,{"IsNull":false},3,null"#),
    ]);
    let connection = connect(&format!("{base}/contoso-admin/"), TOKEN, 0);
    let verify = call(
        connection,
        "VerifySPOTenantOrgRelation",
        &["MnA", "Source", PARTNER],
    );
    assert_eq!(
        (verify.value.as_str(), verify.correlation_id.as_str()),
        ("GoodToProceed", "c1")
    );
    let host = call(connection, "GetMySiteHostUrl", &[]);
    assert_eq!(host.value, "https://contoso-my.sharepoint.com/");
    let list = call(connection, "GetSPOTenantOrgRelationAll", &[]);
    assert!(list.is(spo_status::Ok));
    assert_eq!(list.value, "");
    let mut result = null_mut();
    assert_eq!(
        unsafe { spo_connection_info(connection, &mut result) },
        spo_status::Ok
    );
    let info: serde_json::Value = serde_json::from_str(&take(result).value).unwrap();
    assert_eq!(info["adminUrl"], format!("{base}/contoso-admin/"));
    assert_eq!(info["method"], "AccessToken");
    assert!(!info.to_string().contains("secret-token-value"));
    unsafe { spo_connection_free(connection) };
}

/// Runs one Set against a server answering `responses`, one connection each, in order.
fn set_against_all(responses: Vec<Vec<u8>>, timeout_seconds: u32) -> Outcome {
    let (base, _received) = canned_server(responses);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, timeout_seconds);
    let outcome = call(connection, SET, &["MnA", "Target", PARTNER]);
    unsafe { spo_connection_free(connection) };
    assert_eq!(outcome.value, "");
    outcome
}

fn set_against(response: Vec<u8>, timeout_seconds: u32) -> Outcome {
    set_against_all(vec![response], timeout_seconds)
}

#[test]
fn a_server_error_carries_message_code_type_and_correlation_id() {
    let body = br#"[{"SchemaVersion":"15.0.0.0","ErrorInfo":{"ErrorMessage":"The partner is this tenant.","ErrorValue":null,"TraceCorrelationId":"5d1c-corr","ErrorCode":-2147024809,"ErrorTypeName":"System.ArgumentException"},"TraceCorrelationId":"5d1c-corr"}]"#;
    let outcome = set_against(http_response("200 OK", &[], body), 0);
    assert!(outcome.is(spo_status::ServerError));
    assert_eq!(outcome.kind, "Server");
    assert_eq!(outcome.error_id, "ServerError");
    assert_eq!(outcome.http_status, 200);
    assert!(outcome.sent);
    assert_eq!(outcome.server_message, "The partner is this tenant.");
    assert_eq!(outcome.server_error_code, "-2147024809");
    assert_eq!(outcome.server_error_type_name, "System.ArgumentException");
    assert_eq!(outcome.correlation_id, "5d1c-corr");
    assert!(
        outcome.message.contains("The partner is this tenant.")
            && outcome.message.contains("5d1c-corr")
            && outcome.message.contains("-2147024809")
    );
}

#[test]
fn http_failures_map_to_distinct_statuses_and_never_echo_the_token() {
    let cases: Vec<(Vec<u8>, spo_status, &str, u32)> = vec![
        (
            http_response(
                "401 Unauthorized",
                &[(
                    "WWW-Authenticate",
                    r#"Bearer realm="r", error="invalid_token""#,
                )],
                b"",
            ),
            spo_status::Unauthorized,
            "Unauthorized",
            401,
        ),
        (
            http_response("403 Forbidden", &[], b""),
            spo_status::Forbidden,
            "Forbidden",
            403,
        ),
        (
            http_response("404 Not Found", &[], b"<html>nope</html>"),
            spo_status::HttpError,
            "NotFound",
            404,
        ),
        (
            http_response("502 Bad Gateway", &[], b"<!DOCTYPE html><html></html>"),
            spo_status::HttpError,
            "ServiceError",
            502,
        ),
        (
            http_response(
                "200 OK",
                &[("Content-Type", "text/html")],
                b"<html><body>Sign in</body></html>",
            ),
            spo_status::InvalidResponse,
            "HtmlResponse",
            200,
        ),
        (
            http_response("200 OK", &[], br#"[{"ErrorInfo":null,"TraceCorr"#),
            spo_status::InvalidResponse,
            "NonJsonResponse",
            200,
        ),
        (
            http_response("302 Found", &[("Location", "https://evil.example/")], b""),
            spo_status::HttpError,
            "Redirected",
            302,
        ),
    ];
    for (response, expected, id, http_status) in cases {
        let outcome = set_against(response, 0);
        assert!(outcome.is(expected), "{id}: {outcome:?}");
        assert_eq!(outcome.error_id, id);
        assert_eq!(outcome.http_status, http_status, "{id}");
        assert!(outcome.sent, "{id}");
        assert!(
            !outcome.message.contains("secret-token-value"),
            "{id}: {}",
            outcome.message
        );
        if id == "Unauthorized" {
            assert!(outcome.message.contains("Connect-SPOService"));
        }
    }
}

#[test]
fn throttled_attempts_are_retried_as_the_server_asks_and_reported_as_progress() {
    let (base, received) = canned_server(vec![
        http_response("429 Too Many Requests", &[("Retry-After", "0")], b""),
        http_response("503 Service Unavailable", &[("Retry-After", "0")], b""),
        csom_ok("after-retry", ""),
    ]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let outcome = call(connection, SET, &["MnA", "Target", PARTNER]);
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    let messages = outcome.progress;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("throttled (HTTP 429)") && messages[0].contains("attempt 2 of 5"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("throttled (HTTP 503)") && messages[1].contains("as the server asked"),
        "{messages:?}"
    );
    assert_eq!(received.try_iter().count(), 3);
    unsafe { spo_connection_free(connection) };
}

#[test]
fn throttling_that_never_ends_gives_up_after_the_attempt_limit() {
    let throttled = http_response(
        "429 Too Many Requests",
        &[("Retry-After", "0"), ("SPRequestGuid", "thr-1")],
        b"",
    );
    let outcome = set_against_all(vec![throttled; 5], 0);
    assert!(outcome.is(spo_status::Throttled));
    assert_eq!(outcome.kind, "Throttled");
    assert_eq!(outcome.http_status, 429);
    assert_eq!(outcome.correlation_id, "thr-1");
    assert!(outcome.message.contains("Gave up after 5 attempts"));
}

#[test]
fn an_oversized_answer_is_cut_off_at_the_limit() {
    let body = vec![b' '; 9 * 1024 * 1024];
    let outcome = set_against(http_response("200 OK", &[], &body), 0);
    assert!(outcome.is(spo_status::InvalidResponse));
    assert_eq!(outcome.error_id, "ResponseTooLarge");
}

#[test]
fn a_refused_connection_is_a_network_error_and_nothing_was_sent() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    // One attempt only: a refused connection is otherwise retried with backoff.
    let connection = connect_with(
        &format!("http://127.0.0.1:{port}/contoso-admin"),
        TOKEN,
        5,
        &[("MaxAttempts", "1")],
    );
    let outcome = call(connection, SET, &["MnA", "Target", PARTNER]);
    assert!(outcome.is(spo_status::Network));
    assert_eq!(outcome.error_id, "ConnectionRefused");
    assert!(!outcome.sent);
    assert_eq!(outcome.http_status, 0);
    unsafe { spo_connection_free(connection) };
}

/// A server that accepts connections and never answers.
fn silent_server() -> (String, std::net::TcpListener) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    (
        format!("http://{}", listener.local_addr().unwrap()),
        listener,
    )
}

#[test]
fn a_silent_server_times_out_with_its_own_status() {
    let (base, _listener) = silent_server();
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 1);
    let outcome = call(connection, SET, &["MnA", "Target", PARTNER]);
    assert!(outcome.is(spo_status::Timeout));
    assert_eq!(outcome.kind, "Timeout");
    assert!(outcome.sent);
    unsafe { spo_connection_free(connection) };
}

#[test]
fn cancel_stops_a_waiting_request_at_once_and_the_connection_stays_usable() {
    let (base, _listener) = silent_server();
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let arguments = [c("MnA"), c("Target"), c(PARTNER)];
    let pointers: Vec<_> = arguments.iter().map(|a| a.as_ptr()).collect();
    let start = |operation: &mut *mut spo_operation| {
        let mut result = null_mut();
        let status = unsafe {
            spo_call(
                connection,
                c(SET).as_ptr(),
                pointers.as_ptr(),
                3,
                50,
                operation,
                &mut result,
            )
        };
        assert_eq!(status, spo_status::Pending);
        let outcome = take(result);
        assert!(outcome.is(spo_status::Pending));
        assert_eq!((outcome.value.as_str(), outcome.kind.as_str()), ("", ""));
    };
    let mut operation = null_mut();
    start(&mut operation);
    assert!(!operation.is_null());
    let mut result = null_mut();
    assert_eq!(
        unsafe { spo_operation_wait(operation, 50, &mut result) },
        spo_status::Pending
    );
    assert!(take(result).is(spo_status::Pending));
    let started = Instant::now();
    unsafe { spo_operation_cancel(operation) };
    let mut result = null_mut();
    assert_eq!(
        unsafe { spo_operation_wait(operation, 1000, &mut result) },
        spo_status::Cancelled
    );
    let outcome = take(result);
    assert_eq!(
        (outcome.kind.as_str(), outcome.error_id.as_str()),
        ("Cancelled", "Cancelled")
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    unsafe { spo_operation_free(operation) };
    // Freeing the connection while another operation runs is safe: it holds its own reference.
    let mut second = null_mut();
    start(&mut second);
    unsafe { spo_connection_free(connection) };
    unsafe { spo_operation_free(second) };
}

#[test]
fn the_pending_path_against_a_slow_emulator_waits_then_cancels() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--fault", "latency:ms=3000"]);
    let tenant = emulator.tenant("contoso");
    let connection = connect(&tenant.admin_url, &tenant.access_token, 10);
    let mut operation = null_mut();
    let mut result = null_mut();
    let status = unsafe {
        spo_call(
            connection,
            c("GetMySiteHostUrl").as_ptr(),
            null(),
            0,
            20,
            &mut operation,
            &mut result,
        )
    };
    assert_eq!(status, spo_status::Pending);
    assert!(take(result).is(spo_status::Pending));
    for _ in 0..3 {
        let mut result = null_mut();
        assert_eq!(
            unsafe { spo_operation_wait(operation, 100, &mut result) },
            spo_status::Pending
        );
        let outcome = take(result);
        assert!(outcome.is(spo_status::Pending) && outcome.value.is_empty());
    }
    let started = Instant::now();
    unsafe { spo_operation_cancel(operation) };
    let mut result = null_mut();
    assert_eq!(
        unsafe { spo_operation_wait(operation, 1000, &mut result) },
        spo_status::Cancelled
    );
    assert!(take(result).is(spo_status::Cancelled));
    assert!(started.elapsed() < Duration::from_secs(1));
    unsafe { spo_operation_free(operation) };
    // The same connection still works once the fault is gone.
    emulator.clear_faults_and_stats();
    let outcome = call(connection, "GetMySiteHostUrl", &[]);
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.value, tenant.host_url);
    unsafe { spo_connection_free(connection) };
}

#[test]
fn the_client_tag_is_sent_as_its_header() {
    let (base, received) = canned_server(vec![csom_ok("c", "")]);
    let connection = connect_with(
        &format!("{base}/contoso-admin"),
        TOKEN,
        0,
        &[("ClientTag", "MigrationRun42")],
    );
    assert!(call(connection, "GetMySiteHostUrl", &[]).is(spo_status::Ok));
    let head = received
        .recv_timeout(Duration::from_secs(5))
        .unwrap()
        .head
        .to_ascii_lowercase();
    assert!(head.contains("x-clientservice-clienttag: migrationrun42"));
    unsafe { spo_connection_free(connection) };
}

/// A REST answer of the compatibility check.
fn rest_response(status: &str, body: &str) -> Vec<u8> {
    http_response(
        status,
        &[
            ("Content-Type", "application/json;odata=nometadata"),
            ("SPRequestGuid", "guid-compat"),
        ],
        body.as_bytes(),
    )
}

fn compatibility_against(responses: Vec<Vec<u8>>) -> (Outcome, Vec<Received>) {
    let (base, received) = canned_server(responses);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 5);
    let outcome = call(
        connection,
        COMPATIBILITY,
        &["https://Fabrikam-my.sharepoint.com/"],
    );
    unsafe { spo_connection_free(connection) };
    (outcome, received.try_iter().collect())
}

#[test]
fn the_compatibility_check_is_a_rest_get_whose_result_is_a_name() {
    let (outcome, requests) = compatibility_against(vec![rest_response(
        "200 OK",
        r#"{"SourceTenantHostUrl":"https://contoso-my.sharepoint.com","TargetTenantHostUrl":"https://fabrikam-my.sharepoint.com","XTenantMoveCompatibilityResult":0}"#,
    )]);
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.value, "Compatible");
    assert_eq!(outcome.correlation_id, "guid-compat");
    let head = requests[0].head.to_ascii_lowercase();
    assert!(
        head.starts_with("get /contoso-admin/_api/microsoft.online.sharepoint.multigeo.service.multigeoservicesbeta/xtenantmovecompatibilitycheck(targettenanthosturl=@p)?@p=%27https%3a%2f%2ffabrikam-my.sharepoint.com%27 http/1.1"),
        "{head}"
    );
    assert!(head.contains("accept: application/json;odata=nometadata"));
    assert!(head.contains(&format!(
        "authorization: bearer {}",
        TOKEN.to_ascii_lowercase()
    )));

    for (body, name) in [
        (r#"{"d":{"XTenantMoveCompatibilityResult":1}}"#, "Warning"),
        (r#"{"XTenantMoveCompatibilityResult":2}"#, "Incompatible"),
    ] {
        let (outcome, _) = compatibility_against(vec![rest_response("200 OK", body)]);
        assert_eq!(outcome.value, name);
    }
}

#[test]
fn compatibility_failures_map_like_process_query() {
    let (outcome, _) = compatibility_against(vec![rest_response(
        "200 OK",
        r#"{"XTenantMoveCompatibilityResult":7}"#,
    )]);
    assert!(outcome.is(spo_status::InvalidResponse));
    assert_eq!(outcome.error_id, "MalformedResponse");
    assert_eq!(outcome.correlation_id, "guid-compat");

    let (outcome, _) = compatibility_against(vec![rest_response(
        "400 Bad Request",
        r#"{"odata.error":{"code":"-2147024809, System.ArgumentException","message":{"lang":"en-US","value":"The partner is not set up."}}}"#,
    )]);
    assert!(outcome.is(spo_status::ServerError), "{outcome:?}");
    assert_eq!(outcome.server_message, "The partner is not set up.");
    assert_eq!(outcome.server_error_code, "-2147024809");
    assert_eq!(outcome.server_error_type_name, "System.ArgumentException");
    assert_eq!(outcome.correlation_id, "guid-compat");
    assert_eq!(outcome.http_status, 400);
    assert!(outcome.message.contains("guid-compat"));

    let (outcome, _) = compatibility_against(vec![http_response(
        "401 Unauthorized",
        &[("WWW-Authenticate", r#"Bearer realm="r""#)],
        b"",
    )]);
    assert!(outcome.is(spo_status::Unauthorized));
    assert_eq!(outcome.error_id, "Unauthorized");

    let (outcome, requests) = compatibility_against(vec![
        http_response("429 Too Many Requests", &[("Retry-After", "0")], b""),
        rest_response("200 OK", r#"{"XTenantMoveCompatibilityResult":0}"#),
    ]);
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(outcome.value, "Compatible");
    assert_eq!(requests.len(), 2);
    assert!(
        outcome.progress[0].contains("XTenantMoveCompatibilityCheck throttled (HTTP 429)"),
        "{:?}",
        outcome.progress
    );
}
