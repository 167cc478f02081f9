//! The `/_emulator/` control endpoints, for tests and demos.
//!
//! Unauthenticated on purpose: they live only on the emulator's own loopback listener.
//!
//! - `GET /_emulator/faults`: the armed faults and how often each fired.
//! - `POST /_emulator/faults`: arm more faults. Body: `"SPEC"`, `["SPEC", ...]`,
//!   `{"spec": "SPEC"}` or `{"specs": [...]}` in JSON, or plain text with one spec per line.
//! - `DELETE /_emulator/faults`: disarm all faults.
//! - `GET /_emulator/stats`: request counters; `DELETE` zeroes them.
//! - `GET /_emulator/compatibility`: the compatibility check answers forced per tenant.
//! - `POST /_emulator/compatibility`: force more; body `TENANT=RESULT` like
//!   `--compatibility` (`"contoso=Warning"`, `["contoso=Warning", ...]` in JSON, or plain
//!   text with one per line); all or nothing.
//! - `DELETE /_emulator/compatibility[/TENANT]`: back to computed answers (all, or one tenant).
//! - `POST /_emulator/reset`: forget every relation, identity map and move of every tenant,
//!   put each tenant's content back as the start options define it (and save that), forget
//!   every forced compatibility answer and injected move failure.
//! - `tenants/...` and `move-faults`: see `http::migration_control`.
//! - `device-codes...` and `users...`: see `http::identity::control`.

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::emulator::Emulator;
use crate::faults::FaultSpec;
use crate::http::replies::{self, Body};
use crate::monitoring::stats::Stats;
use crate::tenant::compatibility::ForcedAnswer;

const MAX_CONTROL_BODY: usize = 64 * 1024;

pub async fn handle(emulator: &Emulator, path: &str, request: Request<Incoming>) -> Response<Body> {
    let method = request.method().clone();
    let first = path.split('/').next().unwrap_or("");
    if first == "device-codes" || first == "users" {
        return crate::http::identity::control(emulator, path, request).await;
    }
    if first == "tenants" || first == "move-faults" {
        return crate::http::migration_control::handle(emulator, path, request).await;
    }
    if let Some(tenant) = path.strip_prefix("compatibility/") {
        return match method {
            Method::DELETE => {
                if emulator.directory().tenant(tenant).is_none() {
                    return replies::json(
                        StatusCode::NOT_FOUND,
                        &json!({ "error": format!("there is no tenant '{tenant}'") }),
                    );
                }
                emulator.forced_compatibility().release(tenant);
                compatibility_answer(emulator)
            }
            _ => replies::method_not_allowed("DELETE"),
        };
    }
    match (path, method) {
        ("compatibility", Method::GET) => compatibility_answer(emulator),
        ("compatibility", Method::POST) => {
            let body = match Limited::new(request.into_body(), MAX_CONTROL_BODY)
                .collect()
                .await
            {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return bad_request("The body is too large or was cut off."),
            };
            let answers =
                match parse_specs::<ForcedAnswer>(&String::from_utf8_lossy(&body), "TENANT=RESULT")
                {
                    Ok(answers) => answers,
                    Err(message) => return bad_request(&message),
                };
            if let Some(unknown) = answers
                .iter()
                .find(|answer| emulator.directory().tenant(&answer.tenant).is_none())
            {
                return bad_request(&format!("there is no tenant '{}'", unknown.tenant));
            }
            let mut forced = emulator.forced_compatibility();
            for answer in answers {
                forced.force(answer);
            }
            drop(forced);
            compatibility_answer(emulator)
        }
        ("compatibility", Method::DELETE) => {
            emulator.forced_compatibility().clear();
            compatibility_answer(emulator)
        }
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
            emulator.forced_compatibility().clear();
            let mut directory = emulator.directory();
            directory.clear_relations();
            directory.clear_moves_and_maps();
            directory.move_faults.clear();
            for (name, content) in &emulator.settings.initial_content {
                if let Some(tenant) = directory.tenant_mut_checked(name) {
                    tenant.content = content.clone();
                }
            }
            if let Err(message) = emulator.persist(&directory) {
                return replies::json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &json!({ "error": message }),
                );
            }
            replies::json(StatusCode::OK, &json!({ "reset": true }))
        }
        ("faults", _) | ("compatibility", _) => replies::method_not_allowed("GET, POST, DELETE"),
        ("stats", _) => replies::method_not_allowed("GET, DELETE"),
        ("reset", _) => replies::method_not_allowed("POST"),
        _ => replies::not_found(),
    }
}

fn faults_answer(emulator: &Emulator) -> Response<Body> {
    let status = emulator.faults().status();
    replies::json(StatusCode::OK, &json!({ "faults": status }))
}

fn compatibility_answer(emulator: &Emulator) -> Response<Body> {
    let forced = emulator.forced_compatibility().by_name();
    replies::json(StatusCode::OK, &json!({ "compatibility": forced }))
}

fn bad_request(message: &str) -> Response<Body> {
    replies::json(StatusCode::BAD_REQUEST, &json!({ "error": message }))
}

/// Reads the fault specs of a `POST /_emulator/faults` body; all or nothing.
pub fn parse_fault_request(body: &str) -> Result<Vec<FaultSpec>, String> {
    parse_specs(body, "KIND[:key=value]...")
}

/// Reads specs (fault specs, forced answers) from a control body: a JSON string, array of
/// strings, `{"spec": ...}` or `{"specs": [...]}`, or text with one per line; all or nothing.
pub fn parse_specs<T: std::str::FromStr<Err = String>>(
    body: &str,
    form: &str,
) -> Result<Vec<T>, String> {
    spec_texts(body, form)?
        .iter()
        .map(|text| text.parse())
        .collect()
}

/// The spec texts of a control body (see `parse_specs`), not yet parsed.
pub fn spec_texts(body: &str, form: &str) -> Result<Vec<String>, String> {
    let texts: Vec<String> = match serde_json::from_str::<Value>(body) {
        Ok(Value::String(spec)) => vec![spec],
        Ok(Value::Array(items)) => strings(items)?,
        Ok(Value::Object(mut fields)) => match (fields.remove("spec"), fields.remove("specs")) {
            (Some(Value::String(spec)), None) => vec![spec],
            (None, Some(Value::Array(items))) => strings(items)?,
            _ => {
                return Err(format!(
                    r#"send {{"spec": "{form}"}} or {{"specs": [...]}}"#
                ));
            }
        },
        Ok(_) => return Err(format!("send {form} as a JSON string, array or object")),
        Err(_) => body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(String::from)
            .collect(),
    };
    if texts.is_empty() {
        return Err(format!("nothing was sent; send {form}"));
    }
    Ok(texts)
}

fn strings(items: Vec<Value>) -> Result<Vec<String>, String> {
    items
        .into_iter()
        .map(|item| match item {
            Value::String(text) => Ok(text),
            _ => Err("every spec must be a string".to_string()),
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
