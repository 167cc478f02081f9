//! Reads the JSON array ProcessQuery answers with (protocol.md §5).
//!
//! Element 0 is a header object; then come pairs of action id and value. A failed request
//! has an ErrorInfo object in the header and no pairs. Unknown fields are ignored. A client
//! object list (the value of a `<Query>` with a `ChildItemQuery`) is an object whose
//! `_Child_Items_` array holds one object per item, each with its properties by name;
//! `Guid` properties are written `"/Guid(...)/"` (confirmed, many CSOM clients read these).

use crate::error::{Error, ErrorKind, ServerErrorInfo};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

/// The key of a client object list's items.
const CHILD_ITEMS: &str = "_Child_Items_";

/// A successful ProcessQuery answer.
#[derive(Debug, Clone, PartialEq)]
pub struct CsomResponse {
    pub correlation_id: Option<String>,
    pub results: Vec<(u64, Value)>,
}

impl CsomResponse {
    /// The value the server returned for the action with `id`, if it returned one.
    pub fn value_of(&self, id: u32) -> Option<&Value> {
        self.results
            .iter()
            .find(|(action, _)| *action == u64::from(id))
            .map(|(_, value)| value)
    }
}

#[derive(Deserialize)]
struct Header {
    #[serde(rename = "ErrorInfo", default)]
    error_info: Option<ErrorInfo>,
    #[serde(rename = "TraceCorrelationId", default)]
    trace_correlation_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorInfo {
    #[serde(rename = "ErrorMessage", default)]
    message: Option<String>,
    #[serde(rename = "ErrorCode", default)]
    code: Option<i64>,
    #[serde(rename = "ErrorTypeName", default)]
    type_name: Option<String>,
    #[serde(rename = "TraceCorrelationId", default)]
    trace_correlation_id: Option<String>,
}

/// Parses a ProcessQuery body. `http_status` goes into any error this produces.
///
/// A server-side failure becomes [`ErrorKind::Server`]; a body that is HTML, not JSON, or
/// JSON of another shape becomes [`ErrorKind::InvalidResponse`] with a distinct id.
pub fn parse(body: &[u8], http_status: u16) -> Result<CsomResponse, Error> {
    let elements: Vec<Value> = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(elements)) => elements,
        Ok(_) => {
            return Err(malformed(
                "the answer is JSON but not an array",
                http_status,
            ));
        }
        Err(_) if looks_like_html(body) => {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                "HtmlResponse",
                format!(
                    "The server answered with an HTML page instead of a CSOM response (HTTP {http_status}). \
                     Check that -Url is the tenant admin site, e.g. https://contoso-admin.sharepoint.com."
                ),
            )
            .with_http_status(http_status));
        }
        Err(_) => {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                "NonJsonResponse",
                format!(
                    "The server's answer is not JSON (HTTP {http_status}, {} bytes); it may have been cut off or come from a proxy.",
                    body.len()
                ),
            )
            .with_http_status(http_status));
        }
    };
    let mut elements = elements.into_iter();
    let header_value = elements
        .next()
        .ok_or_else(|| malformed("the answer is an empty array", http_status))?;
    let header: Header = serde_json::from_value(header_value).map_err(|e| {
        malformed(
            &format!("the header element is not understood ({e})"),
            http_status,
        )
    })?;

    if let Some(info) = header.error_info {
        let correlation_id = info
            .trace_correlation_id
            .or(header.trace_correlation_id)
            .unwrap_or_default();
        return Err(Error::server(
            ServerErrorInfo {
                message: info
                    .message
                    .unwrap_or_else(|| "The server reported an error without a message.".into()),
                code: info.code.unwrap_or(0),
                type_name: info.type_name.unwrap_or_default(),
                correlation_id,
            },
            http_status,
        ));
    }

    let mut results = Vec::new();
    while let Some(id) = elements.next() {
        let id = id
            .as_u64()
            .ok_or_else(|| malformed("an action id is not a number", http_status))?;
        let value = elements
            .next()
            .ok_or_else(|| malformed("an action id has no value after it", http_status))?;
        results.push((id, value));
    }
    Ok(CsomResponse {
        correlation_id: header.trace_correlation_id,
        results,
    })
}

/// The items of a client object list, each an object of properties by name.
pub fn object_list_items(value: Option<&Value>) -> Result<&[Value], Error> {
    let items = value
        .and_then(|list| list.get(CHILD_ITEMS))
        .and_then(Value::as_array)
        .ok_or_else(|| not_an_object_list(&format!("it has no {CHILD_ITEMS} array")))?;
    if items.iter().any(|item| !item.is_object()) {
        return Err(not_an_object_list("an item is not an object"));
    }
    Ok(items)
}

/// A `Guid` property: `"/Guid(3f2c...)/"` as CSOM writes it, or plain GUID text.
pub fn guid_property(value: &Value) -> Option<Uuid> {
    let text = value.as_str()?;
    let inner = text
        .strip_prefix("/Guid(")
        .and_then(|rest| rest.strip_suffix(")/"))
        .unwrap_or(text);
    Uuid::try_parse(inner.trim()).ok()
}

fn not_an_object_list(why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        "MalformedResponse",
        format!("The server's answer is not the list this method returns: {why}."),
    )
}

fn malformed(why: &str, http_status: u16) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        "MalformedResponse",
        format!("The server's answer is not a CSOM response: {why} (HTTP {http_status})."),
    )
    .with_http_status(http_status)
}

/// True when the body starts (after white space and a BOM) like an HTML document.
pub fn looks_like_html(body: &[u8]) -> bool {
    let start: Vec<u8> = body
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace() || *b == 0xEF || *b == 0xBB || *b == 0xBF)
        .take(16)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    start.starts_with(b"<!doctype html")
        || start.starts_with(b"<html")
        || start.starts_with(b"<head")
        || start.starts_with(b"<body")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_and_results() {
        let body = br#"[{"SchemaVersion":"15.0.0.0","LibraryVersion":"16.0.25000.12000","ErrorInfo":null,"TraceCorrelationId":"1f527f9f-aaaa"},2,{"IsNull":false},3,"https://contoso-my.sharepoint.com/"]"#;
        let response = parse(body, 200).unwrap();
        assert_eq!(response.correlation_id.as_deref(), Some("1f527f9f-aaaa"));
        assert_eq!(
            response.value_of(3),
            Some(&Value::String("https://contoso-my.sharepoint.com/".into()))
        );
        assert_eq!(response.value_of(4), None);
    }

    #[test]
    fn error_info_becomes_a_server_error_with_all_fields() {
        let body = br#"[{"SchemaVersion":"15.0.0.0","ErrorInfo":{"ErrorMessage":"Bad partner.","ErrorValue":null,"TraceCorrelationId":"b319879f-1","ErrorCode":-2147024809,"ErrorTypeName":"System.ArgumentException"},"TraceCorrelationId":"b319879f-1"}]"#;
        let error = parse(body, 200).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server);
        let info = error.server_info().unwrap();
        assert_eq!(info.message, "Bad partner.");
        assert_eq!(info.code, -2147024809);
        assert_eq!(info.type_name, "System.ArgumentException");
        assert_eq!(error.correlation_id(), Some("b319879f-1"));
    }

    #[test]
    fn error_info_without_its_own_correlation_id_uses_the_header_one() {
        let body =
            br#"[{"ErrorInfo":{"ErrorMessage":"x","ErrorCode":-1},"TraceCorrelationId":"hdr"}]"#;
        assert_eq!(parse(body, 500).unwrap_err().correlation_id(), Some("hdr"));
    }

    #[test]
    fn unknown_fields_are_tolerated() {
        let body = br#"[{"ErrorInfo":null,"NewField":[1,2],"TraceCorrelationId":"c"},3,null]"#;
        assert_eq!(parse(body, 200).unwrap().results, vec![(3, Value::Null)]);
    }

    #[test]
    fn object_lists_give_their_items_and_guids_read_in_both_forms() {
        let body = br#"[{"ErrorInfo":null},2,{"IsNull":false},5,{"IsNull":false},3,{"_ObjectType_":"SP.ClientObjectList","_Child_Items_":[{"_ObjectType_":"X","Id":"\/Guid(3f2c0000-1111-2222-3333-444455556666)\/"},{"Id":"3F2C0000-1111-2222-3333-444455556666"}]}]"#;
        let response = parse(body, 200).unwrap();
        let items = object_list_items(response.value_of(3)).unwrap();
        assert_eq!(items.len(), 2);
        let id = Uuid::parse_str("3f2c0000-1111-2222-3333-444455556666").unwrap();
        assert_eq!(guid_property(&items[0]["Id"]), Some(id));
        assert_eq!(guid_property(&items[1]["Id"]), Some(id));
        assert_eq!(guid_property(&serde_json::json!("/Guid(x)/")), None);
        assert_eq!(guid_property(&serde_json::json!(3)), None);
        let empty = serde_json::json!({"_Child_Items_": []});
        assert!(object_list_items(Some(&empty)).unwrap().is_empty());
        for bad in [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({"_Child_Items_": {}}),
            serde_json::json!({"_Child_Items_": [1]}),
        ] {
            assert_eq!(
                object_list_items(Some(&bad)).unwrap_err().id(),
                "MalformedResponse"
            );
        }
        assert!(object_list_items(None).is_err());
    }

    #[test]
    fn html_non_json_and_wrong_shapes_have_distinct_ids() {
        assert_eq!(
            parse(b"  <!DOCTYPE html><html>", 500).unwrap_err().id(),
            "HtmlResponse"
        );
        assert_eq!(
            parse(b"<html><body>Sorry", 200).unwrap_err().id(),
            "HtmlResponse"
        );
        assert_eq!(
            parse(b"Service Unavailable", 200).unwrap_err().id(),
            "NonJsonResponse"
        );
        assert_eq!(
            parse(br#"[{"ErrorInfo":null}"#, 200).unwrap_err().id(),
            "NonJsonResponse"
        );
        assert_eq!(
            parse(br#"{"error":"x"}"#, 200).unwrap_err().id(),
            "MalformedResponse"
        );
        assert_eq!(parse(b"[]", 200).unwrap_err().id(), "MalformedResponse");
        assert_eq!(
            parse(br#"[{"ErrorInfo":"text"}]"#, 200).unwrap_err().id(),
            "MalformedResponse"
        );
        assert_eq!(
            parse(br#"[{"ErrorInfo":null},"three",1]"#, 200)
                .unwrap_err()
                .id(),
            "MalformedResponse"
        );
        assert_eq!(
            parse(br#"[{"ErrorInfo":null},3]"#, 200).unwrap_err().id(),
            "MalformedResponse"
        );
        assert_eq!(
            parse(br#"[{"ErrorInfo":{"ErrorCode":"x"}}]"#, 200)
                .unwrap_err()
                .id(),
            "MalformedResponse"
        );
    }
}
