//! The `/_emulator/` control endpoints, for tests and demos.
//!
//! Unauthenticated on purpose: they live only on the emulator's own loopback listener.
//!
//! - `GET /_emulator/faults`: the armed faults and how often each fired.
//! - `POST /_emulator/faults`: arm more faults. Body: `"SPEC"`, `["SPEC", ...]`,
//!   `{"spec": "SPEC"}` or `{"specs": [...]}` in JSON, or plain text with one spec per line.
//! - `DELETE /_emulator/faults`: disarm all faults.
//! - `GET /_emulator/stats`: request counters; `DELETE` zeroes them.
//! - `POST /_emulator/reset`: forget every relation of every tenant (and save that).
//! - `device-codes...` and `users...`: see `http::identity::control`.

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::emulator::Emulator;
use crate::faults::FaultSpec;
use crate::http::replies::{self, Body};
use crate::monitoring::stats::Stats;

const MAX_CONTROL_BODY: usize = 64 * 1024;

pub async fn handle(emulator: &Emulator, path: &str, request: Request<Incoming>) -> Response<Body> {
    let method = request.method().clone();
    let first = path.split('/').next().unwrap_or("");
    if first == "device-codes" || first == "users" {
        return crate::http::identity::control(emulator, path, request).await;
    }
    match (path, method) {
        ("faults", Method::GET) => faults_answer(emulator),
        ("faults", Method::POST) => {
            let body = match Limited::new(request.into_body(), MAX_CONTROL_BODY)
                .collect()
                .await
            {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return bad_request("The body is too large or was cut off."),
            };
            match parse_fault_request(&String::from_utf8_lossy(&body)) {
                Ok(specs) => {
                    let mut plan = emulator.faults();
                    for spec in specs {
                        plan.add(spec);
                    }
                    drop(plan);
                    faults_answer(emulator)
                }
                Err(message) => bad_request(&message),
            }
        }
        ("faults", Method::DELETE) => {
            emulator.faults().clear();
            faults_answer(emulator)
        }
        ("stats", Method::GET) => {
            let stats = emulator.stats().clone();
            replies::json(
                StatusCode::OK,
                &serde_json::to_value(stats).unwrap_or_default(),
            )
        }
        ("stats", Method::DELETE) => {
            *emulator.stats() = Stats::default();
            replies::json(StatusCode::OK, &json!({ "reset": true }))
        }
        ("reset", Method::POST) => {
            let mut directory = emulator.directory();
            directory.clear_relations();
            if let Err(message) = emulator.persist(&directory) {
                return replies::json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &json!({ "error": message }),
                );
            }
            replies::json(StatusCode::OK, &json!({ "reset": true }))
        }
        ("faults", _) => replies::method_not_allowed("GET, POST, DELETE"),
        ("stats", _) => replies::method_not_allowed("GET, DELETE"),
        ("reset", _) => replies::method_not_allowed("POST"),
        _ => replies::not_found(),
    }
}

fn faults_answer(emulator: &Emulator) -> Response<Body> {
    let status = emulator.faults().status();
    replies::json(StatusCode::OK, &json!({ "faults": status }))
}

fn bad_request(message: &str) -> Response<Body> {
    replies::json(StatusCode::BAD_REQUEST, &json!({ "error": message }))
}

/// Reads the fault specs of a `POST /_emulator/faults` body; all or nothing.
pub fn parse_fault_request(body: &str) -> Result<Vec<FaultSpec>, String> {
    let texts: Vec<String> = match serde_json::from_str::<Value>(body) {
        Ok(Value::String(spec)) => vec![spec],
        Ok(Value::Array(items)) => strings(items)?,
        Ok(Value::Object(mut fields)) => match (fields.remove("spec"), fields.remove("specs")) {
            (Some(Value::String(spec)), None) => vec![spec],
            (None, Some(Value::Array(items))) => strings(items)?,
            _ => {
                return Err(
                    r#"send {"spec": "KIND[:key=value]..."} or {"specs": [...]}"#.to_string(),
                );
            }
        },
        Ok(_) => return Err("send fault specs as a JSON string, array or object".to_string()),
        Err(_) => body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(String::from)
            .collect(),
    };
    if texts.is_empty() {
        return Err("no fault spec was sent".to_string());
    }
    texts.iter().map(|text| text.parse()).collect()
}

fn strings(items: Vec<Value>) -> Result<Vec<String>, String> {
    items
        .into_iter()
        .map(|item| match item {
            Value::String(text) => Ok(text),
            _ => Err("every fault spec must be a string".to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::FaultKind;

    fn kinds(body: &str) -> Vec<&'static str> {
        parse_fault_request(body)
            .unwrap()
            .into_iter()
            .map(|spec| spec.kind.label())
            .collect()
    }

    #[test]
    fn accepts_every_documented_body_shape() {
        assert_eq!(kinds(r#""429:count=1""#), vec!["429"]);
        assert_eq!(kinds(r#"["drop", "html"]"#), vec!["drop", "html"]);
        assert_eq!(kinds(r#"{"spec": "latency:ms=5"}"#), vec!["latency"]);
        assert_eq!(
            kinds(r#"{"specs": ["503", "not-json"]}"#),
            vec!["503", "not-json"]
        );
        assert_eq!(
            kinds("truncated\n\n503:retry-after=2\n"),
            vec!["truncated", "503"]
        );
        let parsed = parse_fault_request(r#""503:retry-after=4""#).unwrap();
        assert_eq!(
            parsed[0].kind,
            FaultKind::Unavailable {
                retry_after_seconds: 4
            }
        );
    }

    #[test]
    fn refuses_bad_bodies_entirely() {
        for body in [
            "",
            "[]",
            "42",
            r#"{"other": 1}"#,
            r#"[1]"#,
            r#"["drop", "teapot"]"#,
        ] {
            assert!(parse_fault_request(body).is_err(), "{body}");
        }
    }
}
