//! Injected faults, from `--fault` flags and from the control endpoint.

mod common;

use std::time::{Duration, Instant};

use common::{Emulator, method, request_xml};
use reqwest::Method;
use serde_json::{Value, json};

fn body() -> String {
    request_xml(&method(3, "GetMySiteHostUrl", &[]))
}

fn start(faults: &[&str]) -> Emulator {
    let mut arguments = vec!["--tenant", "contoso", "--tenant", "fabrikam"];
    for fault in faults {
        arguments.push("--fault");
        arguments.push(fault);
    }
    Emulator::start(&arguments)
}

fn assert_normal(emulator: &Emulator, tenant: &str) {
    let response = emulator.post(tenant, &body()).unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().unwrap();
    assert_eq!(answer[2], json!(emulator.host_url(tenant)));
}

#[test]
fn throttling_429_with_retry_after_for_the_first_n_requests() {
    let emulator = start(&["429:retry-after=3:count=2"]);
    for _ in 0..2 {
        let response = emulator.post("contoso", &body()).unwrap();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["Retry-After"], "3");
    }
    assert_normal(&emulator, "contoso");
    let (_, stats) = emulator.control(Method::GET, "stats", None);
    assert_eq!(stats["faultsInjected"]["429"], 2);
    assert_eq!(stats["byStatus"]["429"], 2);
    assert_eq!(stats["processQuery"], 3);
}

#[test]
fn unavailable_503_with_retry_after_only_for_the_named_tenant() {
    let emulator = start(&["503:retry-after=1:tenant=fabrikam:count=1"]);
    assert_normal(&emulator, "contoso");
    let response = emulator.post("fabrikam", &body()).unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["Retry-After"], "1");
    assert_normal(&emulator, "fabrikam");
}

#[test]
fn latency_delays_the_normal_answer() {
    let emulator = start(&["latency:ms=400:count=1"]);
    let started = Instant::now();
    assert_normal(&emulator, "contoso");
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn dropped_connections_get_no_response() {
    let emulator = start(&["drop:count=1"]);
    let error = emulator.post("contoso", &body()).unwrap_err();
    assert!(
        !error.is_timeout(),
        "the connection must close, not hang: {error}"
    );
    assert_normal(&emulator, "contoso");
}

#[test]
fn html_error_pages_not_json_and_truncated_bodies() {
    let emulator = start(&["html:count=1", "not-json:count=1", "truncated:count=1"]);
    let html = emulator.post("contoso", &body()).unwrap();
    assert_eq!(html.status(), 500);
    assert!(
        html.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(html.text().unwrap().contains("<html>"));

    let plain = emulator.post("contoso", &body()).unwrap();
    assert_eq!(plain.status(), 200);
    assert!(
        plain.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(serde_json::from_str::<Value>(&plain.text().unwrap()).is_err());

    let truncated = emulator.post("contoso", &body()).unwrap();
    assert_eq!(truncated.status(), 200);
    let text = truncated.text().unwrap();
    assert!(text.starts_with("[{\"SchemaVersion\""), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");

    assert_normal(&emulator, "contoso");
}

#[test]
fn the_control_endpoint_arms_lists_and_clears_faults() {
    let emulator = start(&[]);
    let (code, armed) = emulator.control(
        Method::POST,
        "faults",
        Some(r#"{"specs": ["429:count=1", "drop"]}"#),
    );
    assert_eq!(code, 200);
    assert_eq!(armed["faults"][0]["spec"], "429:retry-after=1:count=1");
    assert_eq!(armed["faults"][0]["remaining"], 1);
    assert_eq!(armed["faults"][1]["remaining"], Value::Null);

    assert_eq!(emulator.post("contoso", &body()).unwrap().status(), 429);
    assert!(
        emulator.post("contoso", &body()).is_err(),
        "then the drop fault fires"
    );
    let (_, listed) = emulator.control(Method::GET, "faults", None);
    assert_eq!(listed["faults"][0]["fired"], 1);
    assert_eq!(listed["faults"][1]["fired"], 1);

    let (code, cleared) = emulator.control(Method::DELETE, "faults", None);
    assert_eq!(code, 200);
    assert_eq!(cleared["faults"], json!([]));
    assert_normal(&emulator, "contoso");

    let (code, error) = emulator.control(Method::POST, "faults", Some(r#""teapot""#));
    assert_eq!(code, 400);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("unknown fault kind")
    );
}

#[test]
fn faults_apply_before_authentication_and_not_to_pages() {
    let emulator = start(&["503:count=1"]);
    let page = emulator
        .client
        .get(emulator.admin_url("contoso"))
        .send()
        .unwrap();
    assert_eq!(page.status(), 200);
    let unauthenticated = emulator
        .client
        .post(emulator.process_query_url("contoso"))
        .body(body())
        .send()
        .unwrap();
    assert_eq!(unauthenticated.status(), 503);
}
