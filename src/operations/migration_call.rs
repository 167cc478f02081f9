//! A migration method call: one ProcessQuery call on the Tenant object whose return value
//! is JSON text (a `ClientResult<string>`), read into its one named shape and handed to the
//! module as normalized JSON. Same connection, token, retries, timeouts and error mapping
//! as every other command.

use super::move_state;
use super::{Outcome, run_method_call};
use crate::connection::Connection;
use crate::csom::MethodCall;
use crate::error::{Error, ErrorKind};
use crate::transport::Progress;
use serde_json::Value;

/// What the JSON text inside the answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonAnswer {
    /// One move state object.
    MoveState,
    /// An array of move state objects.
    MoveStates,
    /// An array of strings (e.g. file URLs): a CSOM `string[]`, or the same as JSON text.
    Texts,
}

/// A checked migration call, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationCall {
    pub method: MethodCall,
    pub answer: JsonAnswer,
}

impl MigrationCall {
    /// Sends the call and returns the normalized JSON of its answer.
    pub async fn run(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<Outcome, Error> {
        let read = |value: Option<&Value>| read_answer(self.answer, value);
        run_method_call(&self.method, read, connection, progress).await
    }
}

/// The normalized JSON of the method's return value: a string holding JSON of `answer`'s
/// shape (string arrays may also come as a plain CSOM array).
pub fn read_answer(answer: JsonAnswer, value: Option<&Value>) -> Result<String, Error> {
    match answer {
        JsonAnswer::MoveState => {
            move_state::parse_one(json_text(value)?).map(|s| move_state::to_json(&s))
        }
        JsonAnswer::MoveStates => move_state::parse_list(json_text(value)?).map(|s| to_json(&s)),
        JsonAnswer::Texts => read_texts(value).map(|texts| to_json(&texts)),
    }
}

/// The normalized JSON handed to the module.
fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Serializing these plain structs and lists cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn json_text(value: Option<&Value>) -> Result<&str, Error> {
    match value {
        Some(Value::String(text)) => Ok(text),
        _ => Err(malformed("the method returned no JSON text")),
    }
}

/// A `string[]` return value: a JSON array of strings, or JSON text holding one.
pub fn read_texts(value: Option<&Value>) -> Result<Vec<String>, Error> {
    let texts = match value {
        Some(Value::String(text)) => serde_json::from_str::<Vec<String>>(text).ok(),
        Some(array @ Value::Array(_)) => serde_json::from_value::<Vec<String>>(array.clone()).ok(),
        _ => None,
    };
    texts.ok_or_else(|| malformed("expected an array of strings"))
}

fn malformed(why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        "MalformedResponse",
        format!("The server's answer is not what this method returns: {why}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_are_json_text_of_their_shape() {
        assert_eq!(
            read_answer(JsonAnswer::Texts, Some(&json!("[\"https://a/b\", \"c\"]"))).unwrap(),
            r#"["https://a/b","c"]"#
        );
        assert_eq!(
            read_answer(JsonAnswer::MoveStates, Some(&json!("[]"))).unwrap(),
            "[]"
        );
        assert_eq!(
            read_answer(JsonAnswer::Texts, Some(&json!(["a", "b"]))).unwrap(),
            r#"["a","b"]"#
        );
        for (answer, value) in [
            (JsonAnswer::Texts, Some(json!([1]))),
            (JsonAnswer::Texts, None),
            (JsonAnswer::Texts, Some(json!("[1]"))),
            (JsonAnswer::Texts, Some(json!("{}"))),
            (JsonAnswer::MoveState, Some(json!(null))),
            (JsonAnswer::MoveState, None),
            (JsonAnswer::MoveStates, Some(json!("{}"))),
            (JsonAnswer::MoveState, Some(json!(4))),
        ] {
            let error = read_answer(answer, value.as_ref()).unwrap_err();
            assert_eq!(error.id(), "MalformedResponse", "{value:?}");
        }
    }
}
