//! Small builders for the HTTP answers the emulator gives.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use hyper::{Response, StatusCode};
use uuid::Uuid;

use crate::wire::status_codes::Failure;

pub type Body = Full<Bytes>;

pub const JSON: &str = "application/json; charset=utf-8";
pub const HTML: &str = "text/html; charset=utf-8";
pub const TEXT: &str = "text/plain; charset=utf-8";
/// What SharePoint's REST API answers to `Accept: application/json;odata=nometadata`.
pub const ODATA_JSON: &str = "application/json;odata=nometadata;streaming=true;charset=utf-8";

/// The header the service uses to hand out its correlation id.
const SP_REQUEST_GUID: HeaderName = HeaderName::from_static("sprequestguid");
const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
/// SharePoint's own resource id, the `client_id` in its `WWW-Authenticate` challenge.
const SHAREPOINT_PRINCIPAL: &str = "00000003-0000-0ff1-ce00-000000000000";

pub fn reply(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type).expect("static content type"),
    );
    response
}

pub fn with_correlation(mut response: Response<Body>, correlation: Uuid) -> Response<Body> {
    let value = HeaderValue::from_str(&correlation.to_string()).expect("a uuid is a header value");
    response
        .headers_mut()
        .insert(SP_REQUEST_GUID, value.clone());
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

pub fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    reply(status, JSON, value.to_string())
}

/// The body of an OData error the way SharePoint's REST API answers one:
/// `{"odata.error":{"code":"<number>, <type name>","message":{"lang":"en-US","value":"..."}}}`.
pub fn odata_error_body(failure: &Failure) -> String {
    let shape = failure.kind.wire_shape();
    let body = serde_json::json!({ "odata.error": {
        "code": format!("{}, {}", shape.error_code, shape.error_type_name),
        "message": { "lang": "en-US", "value": failure.message },
    }});
    body.to_string()
}

pub fn retry_later(status: StatusCode, retry_after_seconds: u64) -> Response<Body> {
    let mut response = reply(
        status,
        TEXT,
        format!(
            "{} (injected fault); retry after {retry_after_seconds} s.",
            status
        ),
    );
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    response
}

/// 401 with the challenge SharePoint sends: realm is the tenant id.
pub fn unauthorized(realm: Uuid, description: &str, invalid_token: bool) -> Response<Body> {
    let mut challenge = format!(r#"Bearer realm="{realm}",client_id="{SHAREPOINT_PRINCIPAL}""#);
    if invalid_token {
        challenge.push_str(r#",error="invalid_token""#);
    }
    let mut response = json(
        StatusCode::UNAUTHORIZED,
        &serde_json::json!({ "error_description": description }),
    );
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_str(&challenge).expect("the challenge is ASCII"),
    );
    response
}

/// 403 shaped like the service's OData access-denied error.
pub fn forbidden() -> Response<Body> {
    json(
        StatusCode::FORBIDDEN,
        &serde_json::json!({ "error": {
            "code": "-2147024891, System.UnauthorizedAccessException",
            "message": { "lang": "en-US",
                "value": "Access denied: this account is not a SharePoint administrator of the tenant." }
        }}),
    )
}

pub fn html_page(status: StatusCode, title: &str, text: &str) -> Response<Body> {
    reply(
        status,
        HTML,
        format!(
            "<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>\n"
        ),
    )
}

pub fn not_found() -> Response<Body> {
    reply(StatusCode::NOT_FOUND, TEXT, "Not found.\n")
}

pub fn method_not_allowed(allowed: &'static str) -> Response<Body> {
    let mut response = reply(
        StatusCode::METHOD_NOT_ALLOWED,
        TEXT,
        format!("Use {allowed}.\n"),
    );
    response
        .headers_mut()
        .insert(hyper::header::ALLOW, HeaderValue::from_static(allowed));
    response
}
