//! Reads the error body of SharePoint's REST (OData) endpoints, the other shape in which
//! the server explains a failure (protocol.md; docs/abi-v3.md, the compatibility check):
//! `{"odata.error":{"code":"-2147024809, System.ArgumentException","message":{"value":"..."}}}`.

use crate::error::ServerErrorInfo;
use serde_json::Value;

/// The server's error fields, when `body` is an OData error; None for any other body.
/// The correlation id is not in the body: the caller takes it from `SPRequestGuid`.
pub fn parse(body: &[u8]) -> Option<ServerErrorInfo> {
    let value: Value = serde_json::from_slice(body).ok()?;
    // Verbose OData (odata=verbose) says "error"; the other formats say "odata.error".
    let error = value.get("odata.error").or_else(|| value.get("error"))?;
    let code_text = error
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let message = match error.get("message") {
        Some(Value::String(text)) => text.clone(),
        Some(message) => message
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        None => String::new(),
    };
    // "<number>, <type name>"; either part may be missing.
    let (number, type_name) = match code_text.split_once(',') {
        Some((number, type_name)) => (number.trim(), type_name.trim()),
        None if code_text.trim().parse::<i64>().is_ok() => (code_text.trim(), ""),
        None => ("", code_text.trim()),
    };
    Some(ServerErrorInfo {
        message: if message.is_empty() {
            "The server reported an error without a message.".into()
        } else {
            message
        },
        code: number.parse().unwrap_or(0),
        type_name: type_name.to_owned(),
        correlation_id: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_type_and_message() {
        let body = br#"{"odata.error":{"code":"-2147024809, System.ArgumentException","message":{"lang":"en-US","value":"Bad partner."}}}"#;
        let info = parse(body).unwrap();
        assert_eq!(info.code, -2147024809);
        assert_eq!(info.type_name, "System.ArgumentException");
        assert_eq!(info.message, "Bad partner.");
    }

    #[test]
    fn tolerates_verbose_form_and_partial_codes() {
        let info = parse(br#"{"error":{"code":"-1","message":"x"}}"#).unwrap();
        assert_eq!((info.code, info.message.as_str()), (-1, "x"));
        let info =
            parse(br#"{"odata.error":{"code":"Microsoft.SharePoint.SPException"}}"#).unwrap();
        assert_eq!(info.type_name, "Microsoft.SharePoint.SPException");
        assert_eq!(info.code, 0);
    }

    #[test]
    fn other_bodies_are_not_odata_errors() {
        assert!(parse(b"<html>").is_none());
        assert!(parse(br#"{"d":{}}"#).is_none());
        assert!(parse(br#"[1]"#).is_none());
    }
}
