//! The C ABI as a C caller sees it: NULLs, frees, statuses, error data, and whole calls
//! against a canned HTTP server on 127.0.0.1.

mod support;

use spo_crosstenant::ffi::*;
use std::ptr::{null, null_mut};
use std::time::{Duration, Instant};
use support::*;

const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ.secret-token-value.sig";
const PARTNER: &str = "https://fabrikam-my.sharepoint.com";

#[test]
fn reports_its_abi_and_library_version() {
    assert_eq!(spo_abi_version(), SPO_ABI_VERSION);
    let mut out = null_mut();
    assert_eq!(unsafe { spo_library_version(&mut out) }, spo_status::Ok);
    assert_eq!(take_text(out), env!("CARGO_PKG_VERSION"));
    assert_eq!(
        unsafe { spo_library_version(null_mut()) },
        spo_status::NullArgument
    );
}

#[test]
fn freeing_null_is_a_no_op_everywhere() {
    unsafe {
        spo_string_free(null_mut());
        spo_connection_free(null_mut());
        spo_operation_free(null_mut());
        spo_error_free(null_mut());
        spo_operation_cancel(null());
    }
}

#[test]
fn null_arguments_give_a_status_and_an_error_but_no_result() {
    let mut builder = null_mut();
    let mut error = null_mut();
    let status = unsafe { spo_sign_in_new(null(), &mut builder, &mut error) };
    assert_eq!(status, spo_status::NullArgument);
    assert!(builder.is_null());
    assert_eq!(unsafe { spo_error_kind(error) }, spo_status::NullArgument);
    assert_eq!(error_text(error, spo_error_field::Id), "NullArgument");
    assert!(error_text(error, spo_error_field::Message).contains("admin_url"));
    unsafe { spo_error_free(error) };

    let status = unsafe {
        spo_sign_in_new(
            c("http://127.0.0.1:1/a-admin").as_ptr(),
            null_mut(),
            null_mut(),
        )
    };
    assert_eq!(status, spo_status::NullArgument);
    assert_eq!(
        unsafe { spo_sign_in_set(null_mut(), 0, c(TOKEN).as_ptr(), null_mut()) },
        spo_status::NullArgument
    );
    assert_eq!(
        unsafe { spo_sign_in_set_bytes(null_mut(), 11, null(), 0, null_mut()) },
        spo_status::NullArgument
    );
    let mut operation = null_mut();
    assert_eq!(
        unsafe { spo_sign_in_begin(null(), &mut operation, null_mut()) },
        spo_status::NullArgument
    );
    assert!(operation.is_null());
    let mut connection = null_mut();
    assert_eq!(
        unsafe { spo_operation_connection(null(), &mut connection) },
        spo_status::NullArgument
    );
    let mut text = null_mut();
    assert_eq!(
        unsafe { spo_connection_info(null(), &mut text) },
        spo_status::NullArgument
    );
    unsafe { spo_sign_in_free(null_mut()) };

    let mut operation = null_mut();
    let status = unsafe {
        spo_relation_set_begin(
            null(),
            1,
            2,
            c(PARTNER).as_ptr(),
            &mut operation,
            null_mut(),
        )
    };
    assert_eq!(status, spo_status::NullArgument);
    assert!(operation.is_null());

    assert_eq!(
        unsafe { spo_operation_wait(null(), 10) },
        spo_status::NullArgument
    );
    assert_eq!(unsafe { spo_error_kind(null()) }, spo_status::NullArgument);
    assert_eq!(unsafe { spo_error_http_status(null()) }, 0);
    let mut out = null_mut();
    assert_eq!(
        unsafe { spo_error_text(null(), 0, &mut out) },
        spo_status::NullArgument
    );
    assert_eq!(
        unsafe { spo_operation_value(null(), &mut out) },
        spo_status::NullArgument
    );
    assert!(out.is_null());
}

#[test]
fn invalid_utf8_is_refused() {
    let bytes = [0x68u8, 0x74, 0xFF, 0xFE, 0];
    let mut builder = null_mut();
    let status = unsafe { spo_sign_in_new(bytes.as_ptr().cast(), &mut builder, null_mut()) };
    assert_eq!(status, spo_status::InvalidUtf8);
    assert!(builder.is_null());
}

#[test]
fn bad_input_is_refused_before_sending_with_id_and_parameter() {
    // Port 9 on loopback is never served here: a request would fail with Network, not these.
    let connection = connect("http://127.0.0.1:9/contoso-admin", TOKEN, 0);
    let cases: &[(u32, u32, &str, &str, &str)] = &[
        (0, 2, PARTNER, "ScenarioNone", "Scenario"),
        (1, 0, PARTNER, "PartnerRoleNone", "PartnerRole"),
        (5, 1, PARTNER, "ScenarioOutOfRange", "Scenario"),
        (1, 9, PARTNER, "PartnerRoleOutOfRange", "PartnerRole"),
        (1, 2, "", "PartnerUrlEmpty", "PartnerCrossTenantHostUrl"),
        (
            1,
            2,
            "http://fabrikam-my.sharepoint.com",
            "PartnerUrlNotHttps",
            "PartnerCrossTenantHostUrl",
        ),
        (
            1,
            2,
            "https://fabrikam.sharepoint.com",
            "PartnerUrlNotCrossTenantHost",
            "PartnerCrossTenantHostUrl",
        ),
        (
            1,
            2,
            "https://fabrikam-admin.sharepoint.com",
            "PartnerUrlIsAdminUrl",
            "PartnerCrossTenantHostUrl",
        ),
    ];
    for (scenario, role, url, id, parameter) in cases {
        let mut operation = null_mut();
        let mut error = null_mut();
        let status = unsafe {
            spo_relation_set_begin(
                connection,
                *scenario,
                *role,
                c(url).as_ptr(),
                &mut operation,
                &mut error,
            )
        };
        assert_eq!(status, spo_status::InvalidArgument, "{id}");
        assert!(operation.is_null(), "{id}");
        assert_eq!(error_text(error, spo_error_field::Id), *id);
        assert_eq!(error_text(error, spo_error_field::Parameter), *parameter);
        assert_eq!(error_text(error, spo_error_field::ServerMessage), "");
        unsafe { spo_error_free(error) };
    }
    let mut error = null_mut();
    let mut builder = null_mut();
    let status = unsafe {
        spo_sign_in_new(
            c("https://contoso.sharepoint.com").as_ptr(),
            &mut builder,
            &mut error,
        )
    };
    assert_eq!(status, spo_status::InvalidArgument);
    assert_eq!(error_text(error, spo_error_field::Id), "AdminUrlInvalid");
    assert_eq!(error_text(error, spo_error_field::Parameter), "Url");
    let mut out = null_mut();
    assert_eq!(
        unsafe { spo_error_text(error, 99, &mut out) },
        spo_status::InvalidArgument
    );
    assert!(out.is_null());
    unsafe { spo_error_free(error) };
    unsafe { spo_connection_free(connection) };
}

#[test]
fn set_sends_the_documented_request_and_succeeds_with_no_value() {
    let (base, received) = canned_server(vec![csom_ok("corr-set-1", r#",2,{"IsNull":false}"#)]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let mut operation = null_mut();
    let status = unsafe {
        spo_relation_set_begin(
            connection,
            1,
            2,
            c("https://Fabrikam-my.sharepoint.com/").as_ptr(),
            &mut operation,
            null_mut(),
        )
    };
    assert_eq!(status, spo_status::Ok);
    assert_eq!(wait(operation), spo_status::Ok);

    let mut out = null_mut();
    assert_eq!(
        unsafe { spo_operation_value(operation, &mut out) },
        spo_status::Ok
    );
    assert_eq!(take_text(out), "");
    assert_eq!(
        unsafe { spo_operation_correlation_id(operation, &mut out) },
        spo_status::Ok
    );
    assert_eq!(take_text(out), "corr-set-1");
    let mut error = null_mut();
    assert_eq!(
        unsafe { spo_operation_error(operation, &mut error) },
        spo_status::InvalidArgument
    );
    assert!(error.is_null());

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
    unsafe {
        spo_operation_free(operation);
        spo_connection_free(connection);
    }
}

#[test]
fn verify_and_host_url_return_their_values_as_text() {
    let (base, _received) = canned_server(vec![
        csom_ok("c1", r#",2,{"IsNull":false},3,4"#),
        csom_ok(
            "c2",
            r#",2,{"IsNull":false},3,"https://contoso-my.sharepoint.com/""#,
        ),
    ]);
    let connection = connect(&format!("{base}/contoso-admin/"), TOKEN, 0);
    for (begin, expected) in [
        (
            Box::new(|op: *mut *mut spo_operation| unsafe {
                spo_relation_verify_begin(connection, 1, 1, c(PARTNER).as_ptr(), op, null_mut())
            }) as Box<dyn Fn(*mut *mut spo_operation) -> spo_status>,
            "4",
        ),
        (
            Box::new(|op: *mut *mut spo_operation| unsafe {
                spo_host_url_begin(connection, op, null_mut())
            }),
            "https://contoso-my.sharepoint.com/",
        ),
    ] {
        let mut operation = null_mut();
        assert_eq!(begin(&mut operation), spo_status::Ok);
        assert_eq!(wait(operation), spo_status::Ok);
        let mut out = null_mut();
        assert_eq!(
            unsafe { spo_operation_value(operation, &mut out) },
            spo_status::Ok
        );
        assert_eq!(take_text(out), expected);
        unsafe { spo_operation_free(operation) };
    }
    unsafe { spo_connection_free(connection) };
}

/// Runs one Set against a server answering `response` and returns the final status and error.
fn set_against(response: Vec<u8>, timeout_seconds: u32) -> (spo_status, *mut spo_error) {
    set_against_all(vec![response], timeout_seconds)
}

/// As [`set_against`], with one canned response per connection, in order.
fn set_against_all(responses: Vec<Vec<u8>>, timeout_seconds: u32) -> (spo_status, *mut spo_error) {
    let (base, _received) = canned_server(responses);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, timeout_seconds);
    let mut operation = null_mut();
    assert_eq!(
        unsafe {
            spo_relation_set_begin(
                connection,
                1,
                2,
                c(PARTNER).as_ptr(),
                &mut operation,
                null_mut(),
            )
        },
        spo_status::Ok
    );
    let status = wait(operation);
    let mut error = null_mut();
    assert_eq!(
        unsafe { spo_operation_error(operation, &mut error) },
        spo_status::Ok
    );
    let mut value = null_mut();
    assert_eq!(
        unsafe { spo_operation_value(operation, &mut value) },
        status
    );
    assert!(value.is_null());
    unsafe {
        spo_operation_free(operation);
        spo_connection_free(connection);
    }
    (status, error)
}

#[test]
fn a_server_error_carries_message_code_type_and_correlation_id() {
    let body = br#"[{"SchemaVersion":"15.0.0.0","ErrorInfo":{"ErrorMessage":"The partner is this tenant.","ErrorValue":null,"TraceCorrelationId":"5d1c-corr","ErrorCode":-2147024809,"ErrorTypeName":"System.ArgumentException"},"TraceCorrelationId":"5d1c-corr"}]"#;
    let (status, error) = set_against(http_response("200 OK", &[], body), 0);
    assert_eq!(status, spo_status::ServerError);
    assert_eq!(unsafe { spo_error_kind(error) }, spo_status::ServerError);
    assert_eq!(unsafe { spo_error_http_status(error) }, 200);
    assert_eq!(
        error_text(error, spo_error_field::ServerMessage),
        "The partner is this tenant."
    );
    assert_eq!(
        error_text(error, spo_error_field::ServerErrorCode),
        "-2147024809"
    );
    assert_eq!(
        error_text(error, spo_error_field::ServerErrorTypeName),
        "System.ArgumentException"
    );
    assert_eq!(
        error_text(error, spo_error_field::CorrelationId),
        "5d1c-corr"
    );
    let message = error_text(error, spo_error_field::Message);
    assert!(
        message.contains("The partner is this tenant.")
            && message.contains("5d1c-corr")
            && message.contains("-2147024809")
    );
    unsafe { spo_error_free(error) };
}

#[test]
fn http_failures_map_to_distinct_statuses_and_never_echo_the_token() {
    let cases: Vec<(Vec<u8>, spo_status, &str, u16)> = vec![
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
        let (status, error) = set_against(response, 0);
        assert_eq!(status, expected, "{id}");
        assert_eq!(error_text(error, spo_error_field::Id), id);
        assert_eq!(unsafe { spo_error_http_status(error) }, http_status, "{id}");
        let message = error_text(error, spo_error_field::Message);
        assert!(!message.contains("secret-token-value"), "{id}: {message}");
        if id == "Unauthorized" {
            assert!(message.contains("Connect-SPOService"));
        }
        unsafe { spo_error_free(error) };
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
    let mut operation = null_mut();
    assert_eq!(
        unsafe {
            spo_relation_set_begin(
                connection,
                1,
                2,
                c(PARTNER).as_ptr(),
                &mut operation,
                null_mut(),
            )
        },
        spo_status::Ok
    );
    assert_eq!(wait(operation), spo_status::Ok);
    let mut messages = Vec::new();
    let mut out = null_mut();
    while unsafe { spo_operation_next_message(operation, &mut out) } == spo_status::Ok {
        messages.push(take_text(out));
    }
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
    unsafe {
        spo_operation_free(operation);
        spo_connection_free(connection);
    }
}

#[test]
fn throttling_that_never_ends_gives_up_after_the_attempt_limit() {
    let throttled = http_response(
        "429 Too Many Requests",
        &[("Retry-After", "0"), ("SPRequestGuid", "thr-1")],
        b"",
    );
    let (status, error) = set_against_all(vec![throttled; 5], 0);
    assert_eq!(status, spo_status::Throttled);
    assert_eq!(unsafe { spo_error_http_status(error) }, 429);
    assert_eq!(error_text(error, spo_error_field::CorrelationId), "thr-1");
    assert!(error_text(error, spo_error_field::Message).contains("Gave up after 5 attempts"));
    unsafe { spo_error_free(error) };
}

#[test]
fn an_oversized_answer_is_cut_off_at_the_limit() {
    let body = vec![b' '; 9 * 1024 * 1024];
    let (status, error) = set_against(http_response("200 OK", &[], &body), 0);
    assert_eq!(status, spo_status::InvalidResponse);
    assert_eq!(error_text(error, spo_error_field::Id), "ResponseTooLarge");
    unsafe { spo_error_free(error) };
}

#[test]
fn a_refused_connection_is_a_network_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    // One attempt only: a refused connection is otherwise retried with backoff.
    let connection = connect_with(
        &format!("http://127.0.0.1:{port}/contoso-admin"),
        TOKEN,
        5,
        &[(spo_setting::MaxAttempts, "1")],
    );
    let mut operation = null_mut();
    assert_eq!(
        unsafe {
            spo_relation_set_begin(
                connection,
                1,
                2,
                c(PARTNER).as_ptr(),
                &mut operation,
                null_mut(),
            )
        },
        spo_status::Ok
    );
    assert_eq!(wait(operation), spo_status::Network);
    unsafe {
        spo_operation_free(operation);
        spo_connection_free(connection);
    }
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
    let mut operation = null_mut();
    assert_eq!(
        unsafe {
            spo_relation_set_begin(
                connection,
                1,
                2,
                c(PARTNER).as_ptr(),
                &mut operation,
                null_mut(),
            )
        },
        spo_status::Ok
    );
    assert_eq!(wait(operation), spo_status::Timeout);
    unsafe {
        spo_operation_free(operation);
        spo_connection_free(connection);
    }
}

#[test]
fn cancel_stops_a_waiting_request_at_once_and_the_connection_stays_usable() {
    let (base, _listener) = silent_server();
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let mut operation = null_mut();
    assert_eq!(
        unsafe {
            spo_relation_set_begin(
                connection,
                1,
                2,
                c(PARTNER).as_ptr(),
                &mut operation,
                null_mut(),
            )
        },
        spo_status::Ok
    );
    assert_eq!(
        unsafe { spo_operation_wait(operation, 50) },
        spo_status::Pending
    );
    let mut out = null_mut();
    assert_eq!(
        unsafe { spo_operation_value(operation, &mut out) },
        spo_status::Pending
    );
    assert!(out.is_null());
    let started = Instant::now();
    unsafe { spo_operation_cancel(operation) };
    assert_eq!(
        unsafe { spo_operation_wait(operation, 1000) },
        spo_status::Cancelled
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    unsafe { spo_operation_free(operation) };
    // Freeing the connection while another operation runs is safe: it holds its own reference.
    let mut second = null_mut();
    assert_eq!(
        unsafe {
            spo_relation_set_begin(
                connection,
                1,
                2,
                c(PARTNER).as_ptr(),
                &mut second,
                null_mut(),
            )
        },
        spo_status::Ok
    );
    unsafe { spo_connection_free(connection) };
    unsafe { spo_operation_free(second) };
}

#[test]
fn the_client_tag_is_sent_as_its_header() {
    let (base, received) = canned_server(vec![csom_ok("c", "")]);
    let connection = connect_with(
        &format!("{base}/contoso-admin"),
        TOKEN,
        0,
        &[(spo_setting::ClientTag, "MigrationRun42")],
    );
    let mut operation = null_mut();
    assert_eq!(
        unsafe { spo_host_url_begin(connection, &mut operation, null_mut()) },
        spo_status::Ok
    );
    assert_eq!(wait(operation), spo_status::Ok);
    let head = received
        .recv_timeout(Duration::from_secs(5))
        .unwrap()
        .head
        .to_ascii_lowercase();
    assert!(head.contains("x-clientservice-clienttag: migrationrun42"));
    let mut url = null_mut();
    assert_eq!(
        unsafe { spo_connection_admin_url(connection, &mut url) },
        spo_status::Ok
    );
    assert_eq!(take_text(url), format!("{base}/contoso-admin"));
    unsafe {
        spo_operation_free(operation);
        spo_connection_free(connection);
    }
}
