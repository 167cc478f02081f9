//! What the migration suites share: canned CSOM answers (values, server errors, client object
//! lists of identity map entries), a call against a canned server, and identity map files.

use super::*;

pub const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ.secret-token-value.sig";
pub const COMPANY: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// The CSOM answer whose method value (action 3) is `value` (JSON).
pub fn answer(correlation_id: &str, value: &serde_json::Value) -> Vec<u8> {
    csom_ok(
        correlation_id,
        &format!(r#",2,{{"IsNull":false}},3,{value}"#),
    )
}

/// A CSOM answer carrying a ServerException with an MnA status name.
pub fn server_error(message: &str, correlation_id: &str) -> Vec<u8> {
    let body = serde_json::json!([{
        "SchemaVersion": "15.0.0.0",
        "ErrorInfo": {"ErrorMessage": message, "ErrorValue": null, "TraceCorrelationId": correlation_id,
                      "ErrorCode": -2146232832, "ErrorTypeName": "Microsoft.SharePoint.Client.ServerException"},
        "TraceCorrelationId": correlation_id
    }]);
    http_response("200 OK", &[], body.to_string().as_bytes())
}

/// Calls one command against a server answering `responses`; returns the final record and
/// every request the server received.
pub fn against(
    responses: Vec<Vec<u8>>,
    command: &str,
    arguments: &[&str],
) -> (Outcome, Vec<Received>) {
    let (base, received) = canned_server(responses);
    let connection = connect(&format!("{base}/contoso-admin"), TOKEN, 0);
    let outcome = call(connection, command, arguments);
    unsafe { spo_connection_free(connection) };
    (outcome, received.try_iter().collect())
}

/// The map items a request carried, in order.
pub fn items_of(body: &str) -> Vec<String> {
    body.split(r#"<Object Type="String">"#)
        .skip(1)
        .map(|rest| {
            rest.split("</Object>")
                .next()
                .unwrap()
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

/// A client object list answer (the query is action 3) holding `items`.
pub fn list_answer(correlation_id: &str, items: serde_json::Value) -> Vec<u8> {
    answer(
        correlation_id,
        &serde_json::json!({"_ObjectType_": "SP.ClientObjectList", "_Child_Items_": items}),
    )
}

/// A user entry as the service writes one.
pub fn user_entry(source: &str, target: &str) -> serde_json::Value {
    serde_json::json!({
        "_ObjectType_": "Microsoft.Online.SharePoint.TenantAdministration.SPOTenantUserIdentityMapping",
        "SourceTenantCompanyId": format!("/Guid({COMPANY})/"), "SourceUserKey": source,
        "TargetUserPuid": "", "TargetUserUpn": target, "TargetUserEmail": target, "UserType": 1
    })
}

/// The read-back answer that finds row `n` of [`big_map`] in the tenant's map.
pub fn found_row(n: usize) -> Vec<u8> {
    list_answer(
        "read-back",
        serde_json::json!([user_entry(
            &format!("u{n}@contoso.onmicrosoft.com"),
            &format!("u{n}@fabrikam.onmicrosoft.com")
        )]),
    )
}

/// The read-back answer that finds nothing.
pub fn found_nothing() -> Vec<u8> {
    list_answer("read-back", serde_json::json!([]))
}

/// The answers to the read-back's further look-ups of `rows` rows it did not find at first,
/// after each of its waits, finding them still missing.
pub fn still_missing(rows: usize) -> Vec<Vec<u8>> {
    let looks = spo_crosstenant::operations::identity_map::read_back::READ_BACK_WAITS.len();
    (0..rows * looks).map(|_| found_nothing()).collect()
}

/// The source key a read-back request looks up (its String parameter).
pub fn looked_up(body: &str) -> String {
    assert!(
        body.contains(r#"<Method Id="4" ParentId="1" Name="GetTenantUserIdentityMappingItem"><Parameters><Parameter Type="Enum">0</Parameter>"#),
        "{body}"
    );
    body.split(r#"<Parameter Type="String">"#)
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

/// A map of `rows` good user rows, written to a temporary file.
pub fn big_map(rows: usize) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.csv");
    let mut text = String::with_capacity(rows * 140);
    for n in 1..=rows {
        text.push_str(&format!("User,{COMPANY},u{n}@contoso.onmicrosoft.com,u{n}@fabrikam.onmicrosoft.com,u{n}@fabrikam.com,RegularUser\r\n"));
    }
    std::fs::write(&path, text).unwrap();
    (dir, path.to_str().unwrap().to_owned())
}
