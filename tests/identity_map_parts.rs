//! Identity maps too large for one request, through the C ABI against a canned server: refused
//! before anything is sent, or (allowed) sent in parts under 2,097,152 bytes, each part read back
//! and parts a replacing service lost named; a failure or a cancel between the requests.

mod support;

use spo_crosstenant::ffi::*;
use std::time::{Duration, Instant};
use support::migration::*;
use support::*;

const MAP: &str = "AddOrUpdateTenantIdentityMap";

/// Rows of [`big_map`] that need two requests.
const TWO_REQUESTS: usize = 14_000;

#[test]
fn a_map_over_the_request_limit_is_refused_before_anything_is_sent() {
    let (_dir, path) = big_map(TWO_REQUESTS);
    let (base, received) = canned_server(vec![csom_ok("never", "")]);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let outcome = call(connection, MAP, &[&path, "false"]);
    assert!(outcome.is(spo_status::InvalidArgument), "{outcome:?}");
    assert_eq!(
        (outcome.error_id.as_str(), outcome.parameter.as_str()),
        ("IdentityMapOverRequestLimit", "IdentityMapPath")
    );
    assert!(!outcome.sent);
    for fragment in [
        "has 14,000 rows",
        "at most 2,097,152 bytes",
        "Nothing was sent.",
        "-AllowMultipleRequests",
    ] {
        assert!(outcome.message.contains(fragment), "{}", outcome.message);
    }
    assert!(
        received.recv_timeout(Duration::from_millis(200)).is_err(),
        "a refused map was sent"
    );
    unsafe { spo_connection_free(connection) };
}

#[test]
fn parts_sent_on_purpose_are_each_read_back_and_parts_a_replacing_service_lost_fail_by_name() {
    let (_dir, path) = big_map(TWO_REQUESTS);
    // The engine's own plan says where the first request ends.
    let upload = spo_crosstenant::operations::identity_map::from_bytes(
        &std::fs::read(&path).unwrap(),
        &path,
    )
    .unwrap();
    let first_part = upload.plan().parts[0].len();
    // A service that merges: every sampled row is there.
    let (outcome, requests) = against(
        vec![
            answer("c1", &serde_json::json!([])),
            answer("c2", &serde_json::json!([])),
            found_row(1),
            found_row(first_part),
            found_row(first_part + 1),
            found_row(TWO_REQUESTS),
        ],
        MAP,
        &[&path, "true"],
    );
    assert!(outcome.is(spo_status::Ok), "{outcome:?}");
    assert_eq!(items_of(&requests[0].body).len(), first_part);
    assert_eq!(first_part + items_of(&requests[1].body).len(), TWO_REQUESTS);
    assert!(requests.iter().all(|r| r.body.len() <= 2_097_152));
    let summary: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(summary["requests"], 2);
    assert_eq!(summary["uploaded"], TWO_REQUESTS);
    let read: Vec<(u64, u64, bool)> = summary["readBack"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["part"].as_u64().unwrap(),
                s["line"].as_u64().unwrap(),
                s["found"].as_bool().unwrap(),
            )
        })
        .collect();
    let last_of_first = first_part as u64;
    assert_eq!(
        read,
        vec![
            (1, 1, true),
            (1, last_of_first, true),
            (2, last_of_first + 1, true),
            (2, TWO_REQUESTS as u64, true)
        ]
    );
    assert_eq!(
        looked_up(&requests[3].body),
        format!("u{first_part}@contoso.onmicrosoft.com")
    );
    let progress: Vec<&String> = outcome
        .progress
        .iter()
        .filter(|p| p.starts_with("Progress: "))
        .collect();
    assert_eq!(
        progress[0],
        &format!(
            "Progress: 0 Uploading identity map rows 1-{first_part} of {TWO_REQUESTS} (request 1 of 2)"
        )
    );

    // A service that replaces: only the last part is left, also when looked up again. The
    // error carries the summary: line 2 was refused in part 1.
    let (outcome, requests) = against(
        [
            vec![
                answer(
                    "c1",
                    &serde_json::json!(["1: no such user in the target tenant"]),
                ),
                answer("c2", &serde_json::json!([])),
                found_nothing(),
                found_nothing(),
                found_row(first_part + 1),
                found_row(TWO_REQUESTS),
            ],
            still_missing(2),
        ]
        .concat(),
        MAP,
        &[&path, "true"],
    );
    assert_eq!(outcome.error_id, "IdentityMapPartsLost", "{outcome:?}");
    assert_eq!(outcome.correlation_id, "c2");
    assert_eq!(
        requests.len(),
        10,
        "the two missing rows, looked up twice more"
    );
    let summary: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(summary["rejected"][0]["line"], 2);
    assert_eq!(summary["uploaded"], TWO_REQUESTS - 1);
    for fragment in [
        "went in 2 requests, and 1 of them are gone".to_owned(),
        format!("part 1 (lines 1-{first_part})"),
        "line 1 (u1@contoso.onmicrosoft.com)".to_owned(),
        "it holds part 2 now".to_owned(),
        "split the migration into waves".to_owned(),
    ] {
        assert!(
            outcome.message.contains(&fragment),
            "{fragment}: {}",
            outcome.message
        );
    }
}

#[test]
fn a_failure_in_a_later_part_says_how_far_the_upload_got() {
    let (_dir, path) = big_map(TWO_REQUESTS);
    let (outcome, requests) = against(
        vec![
            answer("c1", &serde_json::json!([])),
            server_error(
                "The identity map is full. (MnAIdentityMapLimitExceeded)",
                "c2",
            ),
        ],
        MAP,
        &[&path, "true"],
    );
    assert!(outcome.is(spo_status::ServerError));
    assert_eq!(requests.len(), 2);
    assert_eq!(outcome.correlation_id, "c2");
    let first_part = items_of(&requests[0].body).len();
    assert!(
        outcome.message.contains(&format!(
            "The first {first_part} of {TWO_REQUESTS} rows were sent before this failure"
        )),
        "{}",
        outcome.message
    );
    let summary: serde_json::Value = serde_json::from_str(&outcome.value).unwrap();
    assert_eq!(
        (summary["uploaded"].as_u64(), summary["requests"].as_u64()),
        (Some(first_part as u64), Some(2)),
        "the value says what the first request did"
    );
    let (_dir, path) = big_map(1_500);
    let (outcome, _) = against(
        vec![answer("c1", &serde_json::json!(["1500: out of range"]))],
        MAP,
        &[&path, "false"],
    );
    assert_eq!(
        (outcome.error_id.as_str(), outcome.correlation_id.as_str()),
        ("MalformedResponse", "c1")
    );
}

/// Answers the first request with `first`, then accepts the next and never answers it.
fn answers_once_then_hangs(first: Vec<u8>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            if n == 0 {
                let mut data = Vec::new();
                let mut buffer = [0u8; 65536];
                // Read until the request body has arrived (the whole first request).
                while !data.ends_with(b"</Request>") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(read) => data.extend_from_slice(&buffer[..read]),
                    }
                }
                let _ = stream.write_all(&first);
            } else {
                held.push(stream);
            }
        }
    });
    base
}

#[test]
fn an_upload_can_be_cancelled_between_requests_like_any_call() {
    let (_dir, path) = big_map(TWO_REQUESTS);
    let base = answers_once_then_hangs(answer("c1", &serde_json::json!([])));
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let arguments = [c(&path), c("true")];
    let pointers = [arguments[0].as_ptr(), arguments[1].as_ptr()];
    let mut operation = std::ptr::null_mut();
    let mut result = std::ptr::null_mut();
    let status = unsafe {
        spo_call(
            connection,
            c(MAP).as_ptr(),
            pointers.as_ptr(),
            2,
            0,
            &mut operation,
            &mut result,
        )
    };
    assert_eq!(status, spo_status::Pending);
    let mut progress = take(result).progress;
    // Wait until the second request is on its way, then cancel (generously: on a busy machine
    // a request of two megabytes takes a while).
    let deadline = Instant::now() + Duration::from_secs(120);
    while !progress.iter().any(|p| p.ends_with("(request 2 of 2)")) && Instant::now() < deadline {
        let mut result = std::ptr::null_mut();
        assert_eq!(
            unsafe { spo_operation_wait(operation, 50, &mut result) },
            spo_status::Pending
        );
        progress.extend(take(result).progress);
    }
    assert!(
        progress
            .iter()
            .any(|p| p.ends_with(&format!(" of {TWO_REQUESTS} (request 2 of 2)"))),
        "{progress:?}"
    );
    unsafe { spo_operation_cancel(operation) };
    let mut result = std::ptr::null_mut();
    assert_eq!(
        unsafe { spo_operation_wait(operation, 1000, &mut result) },
        spo_status::Cancelled
    );
    let outcome = take(result);
    assert_eq!(outcome.kind, "Cancelled");
    assert!(outcome.sent);
    unsafe { spo_operation_free(operation) };
    unsafe { spo_connection_free(connection) };
}
