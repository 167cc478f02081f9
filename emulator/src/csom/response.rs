//! Writing a ProcessQuery answer: a JSON array whose first element is a header.
//!
//! Success: `[header, id, value, id, value, ...]`, one pair per action that yields a value
//! (object paths yield `{"IsNull":false}`; void methods yield nothing at all, the way the
//! service leaves them out). Failure: `[header]` with `ErrorInfo` filled in and no results.

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::wire::status_codes::Failure;

/// The only schema version we speak.
pub const SCHEMA_VERSION: &str = "15.0.0.0";
/// The library version we claim; the build number is made up but has the real shape.
pub const LIBRARY_VERSION: &str = "16.0.25919.12000";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Header<'a> {
    schema_version: &'static str,
    library_version: &'static str,
    error_info: Option<ErrorInfo<'a>>,
    trace_correlation_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorInfo<'a> {
    error_message: &'a str,
    error_value: Option<()>,
    trace_correlation_id: String,
    error_code: i64,
    error_type_name: &'static str,
}

/// One `id, value` pair of a successful answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionResult {
    pub id: i64,
    pub value: Value,
}

impl ActionResult {
    /// What an `ObjectPath` action answers.
    pub fn object_present(id: i64) -> Self {
        ActionResult {
            id,
            value: serde_json::json!({ "IsNull": false }),
        }
    }
}

pub fn success(correlation: Uuid, results: &[ActionResult]) -> String {
    let mut answer = String::from("[");
    answer.push_str(&header_text(correlation, None));
    for result in results {
        answer.push(',');
        answer.push_str(&result.id.to_string());
        answer.push(',');
        answer.push_str(&result.value.to_string());
    }
    answer.push(']');
    answer
}

pub fn failure(correlation: Uuid, failure: &Failure) -> String {
    format!("[{}]", header_text(correlation, Some(failure)))
}

/// Serialized straight from the struct, so the keys keep the service's order.
fn header_text(correlation: Uuid, failure: Option<&Failure>) -> String {
    let header = Header {
        schema_version: SCHEMA_VERSION,
        library_version: LIBRARY_VERSION,
        error_info: failure.map(|failure| {
            let shape = failure.kind.wire_shape();
            ErrorInfo {
                error_message: &failure.message,
                error_value: None,
                trace_correlation_id: correlation.to_string(),
                error_code: shape.error_code,
                error_type_name: shape.error_type_name,
            }
        }),
        trace_correlation_id: correlation.to_string(),
    };
    serde_json::to_string(&header).expect("the header always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::status_codes::FailureKind;
    use serde_json::json;

    #[test]
    fn success_lists_the_header_then_id_value_pairs() {
        let correlation = Uuid::new_v4();
        let text = success(
            correlation,
            &[
                ActionResult::object_present(2),
                ActionResult {
                    id: 5,
                    value: json!("http://127.0.0.1:1/contoso-my/"),
                },
            ],
        );
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            json!([
                {"SchemaVersion": "15.0.0.0", "LibraryVersion": LIBRARY_VERSION, "ErrorInfo": null,
                 "TraceCorrelationId": correlation.to_string()},
                2, {"IsNull": false},
                5, "http://127.0.0.1:1/contoso-my/"
            ])
        );
        assert!(text.starts_with(r#"[{"SchemaVersion":"15.0.0.0","LibraryVersion""#));
    }

    #[test]
    fn failure_is_the_header_alone_with_matching_correlation_ids() {
        let correlation = Uuid::new_v4();
        let text = failure(
            correlation,
            &Failure::new(FailureKind::InvalidArgument, "Bad value."),
        );
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            json!([{
                "SchemaVersion": "15.0.0.0", "LibraryVersion": LIBRARY_VERSION,
                "ErrorInfo": {"ErrorMessage": "Bad value.", "ErrorValue": null,
                    "TraceCorrelationId": correlation.to_string(), "ErrorCode": -2147024809,
                    "ErrorTypeName": "System.ArgumentException"},
                "TraceCorrelationId": correlation.to_string()
            }])
        );
    }
}
