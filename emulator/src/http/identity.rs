//! The HTTP side of the identity endpoints: reading forms and queries, answering JSON with
//! the platform's headers, the `/devicelogin` page, and the `/_emulator/device-codes` and
//! `/_emulator/users` control endpoints. Log entries get the grant, tenant and outcome;
//! never a token, password, code or assertion.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{CACHE_CONTROL, HeaderName, HeaderValue, PRAGMA};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::emulator::Emulator;
use crate::http::replies::{self, Body};
use crate::identity::grants::{DEVICE_LOGIN_PATH, Form, GrantType};
use crate::identity::managed_identity;
use crate::identity::platform_error::PlatformError;
use crate::identity::tenancy::Audience;
use crate::identity::{ControlRefusal, Identity};
use crate::monitoring::request_log::LogEntry;

/// Forms and control bodies are small; real token requests are a few kilobytes.
const MAX_FORM_BYTES: usize = 64 * 1024;

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const MS_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityEndpoint {
    DeviceCode,
    Token,
}

impl IdentityEndpoint {
    pub fn name(self) -> &'static str {
        match self {
            IdentityEndpoint::DeviceCode => "devicecode",
            IdentityEndpoint::Token => "token",
        }
    }
}

/// `POST /{tenant}/oauth2/v2.0/devicecode` and `/token`.
pub async fn oauth(
    emulator: &Emulator,
    segment: &str,
    endpoint: IdentityEndpoint,
    request: Request<Incoming>,
    entry: &mut LogEntry,
) -> Response<Body> {
    let identity = &emulator.identity;
    entry.endpoint = endpoint.name().to_string();
    entry.tenant = tenant_label(identity, segment);
    // The client's own correlation id is echoed, as the platform does.
    let correlation = request
        .headers()
        .get(&CLIENT_REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| Uuid::parse_str(value.trim()).ok())
        .unwrap_or_else(Uuid::new_v4);
    let trace = Uuid::new_v4();
    entry.correlation_id = Some(correlation.to_string());
    let now = SystemTime::now();

    let result = if request.method() != Method::POST {
        Err(PlatformError::post_only())
    } else {
        match read_body(request).await {
            None => {
                return replies::reply(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    replies::TEXT,
                    "The request body is too large or was cut off.\n",
                );
            }
            Some(body) => {
                let form = Form::parse(&body);
                match endpoint {
                    IdentityEndpoint::DeviceCode => identity.device_code(segment, &form, now),
                    IdentityEndpoint::Token => {
                        let grant = GrantType::of(&form);
                        entry.actions = vec![grant.label().to_string()];
                        emulator.stats().record_sign_in(grant.label());
                        identity.token(&emulator.tokens, segment, &form, now)
                    }
                }
            }
        }
    };
    let (status, body) = match result {
        Ok(granted) => {
            entry.tenant = granted.tenant;
            entry.outcome = Some(match endpoint {
                IdentityEndpoint::DeviceCode => "code-issued".to_string(),
                IdentityEndpoint::Token => "issued".to_string(),
            });
            (StatusCode::OK, granted.body)
        }
        Err(error) => {
            entry.outcome = Some(error.label());
            (error.status(), error.body(trace, correlation, now))
        }
    };
    platform_answer(status, &body, trace, correlation)
}

/// `GET /_emulator/managed-identity`.
pub fn managed_identity(
    emulator: &Emulator,
    request: &Request<Incoming>,
    entry: &mut LogEntry,
) -> Response<Body> {
    let identity = &emulator.identity;
    entry.endpoint = "managed-identity".to_string();
    entry.tenant = identity.managed_identity.tenant.clone();
    emulator.stats().record_sign_in("managed_identity");
    if !matches!(*request.method(), Method::GET) {
        return replies::method_not_allowed("GET");
    }
    let query: HashMap<String, String> = request
        .uri()
        .query()
        .map(|query| {
            let mut fields = HashMap::new();
            for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
                fields
                    .entry(name.into_owned())
                    .or_insert_with(|| value.into_owned());
            }
            fields
        })
        .unwrap_or_default();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    let answer = identity.managed_identity_token(
        &emulator.tokens,
        &managed_identity::Request {
            query: &query,
            identity_header: header("x-identity-header"),
            secret_header: header("secret"),
        },
        SystemTime::now(),
    );
    let correlation = Uuid::new_v4();
    entry.correlation_id = Some(correlation.to_string());
    let (status, body) = match answer {
        Ok(body) => {
            entry.outcome = Some("issued".to_string());
            (StatusCode::OK, body)
        }
        Err(refusal) => {
            entry.outcome = Some(format!("refused/{}", refusal.status));
            (
                StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST),
                json!({
                    "statusCode": refusal.status,
                    "message": refusal.message,
                    "correlationId": correlation.to_string(),
                }),
            )
        }
    };
    let mut response = replies::json(status, &body);
    no_store(&mut response);
    response
}

/// `GET /devicelogin`: a page to approve or deny a code by hand; `POST` does it.
pub async fn device_login(
    emulator: &Emulator,
    request: Request<Incoming>,
    entry: &mut LogEntry,
) -> Response<Body> {
    let identity = &emulator.identity;
    entry.endpoint = "devicelogin".to_string();
    match *request.method() {
        Method::GET | Method::HEAD => page(StatusCode::OK, &login_form(identity, "")),
        Method::POST => {
            let Some(body) = read_body(request).await else {
                return page(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "<p>The form is too large.</p>",
                );
            };
            let form = Form::parse(&body);
            let code = form.get("code").unwrap_or("");
            let now = SystemTime::now();
            let result = match form.get("action") {
                Some("deny") => identity
                    .deny_device_code(code, now)
                    .map(|()| "The sign-in was denied.".to_string()),
                _ => identity
                    .approve_device_code(code, form.get("user"), now)
                    .map(|upn| {
                        format!(
                            "Signed in as {upn}. You can close this page and go back to the application."
                        )
                    }),
            };
            match result {
                Ok(text) => {
                    entry.outcome = Some("decided".to_string());
                    page(StatusCode::OK, &format!("<p>{}</p>", escape(&text)))
                }
                Err(refusal) => {
                    entry.outcome = Some(format!("refused/{}", refusal.status));
                    let status =
                        StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
                    page(
                        status,
                        &login_form(
                            identity,
                            &format!("<p><b>{}</b></p>", escape(&refusal.message)),
                        ),
                    )
                }
            }
        }
        _ => replies::method_not_allowed("GET, POST"),
    }
}

/// The control endpoints below `/_emulator/` for device codes and users:
///
/// - `GET device-codes`: codes waiting for a decision, oldest first.
/// - `POST device-codes/{user_code}/approve` (body optional: `{"user": "admin@..."}`)
/// - `POST device-codes/{user_code}/deny`
/// - `GET users`: the accounts (without passwords) and whether MFA is required.
/// - `POST users/{upn}/mfa` / `DELETE users/{upn}/mfa`: require MFA or stop requiring it.
pub async fn control(
    emulator: &Emulator,
    path: &str,
    request: Request<Incoming>,
) -> Response<Body> {
    let identity = &emulator.identity;
    let method = request.method().clone();
    let parts: Vec<&str> = path.split('/').collect();
    let now = SystemTime::now();
    let answer = |result: Result<Value, ControlRefusal>| match result {
        Ok(value) => replies::json(StatusCode::OK, &value),
        Err(refusal) => replies::json(
            StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST),
            &json!({ "error": refusal.message }),
        ),
    };
    match (parts.as_slice(), method) {
        (["device-codes"], Method::GET) => replies::json(
            StatusCode::OK,
            &json!({ "deviceCodes": waiting_codes(identity, now) }),
        ),
        (["device-codes", code, "approve"], Method::POST) => {
            let user = match control_body(request).await {
                Ok(body) => body
                    .as_ref()
                    .and_then(|body| body.get("user"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                Err(refusal) => return answer(Err(refusal)),
            };
            answer(
                identity
                    .approve_device_code(code, user.as_deref(), now)
                    .map(|upn| {
                        json!({
                            "userCode": crate::identity::device_codes::normalized_user_code(code),
                            "status": "approved",
                            "user": upn,
                        })
                    }),
            )
        }
        (["device-codes", code, "deny"], Method::POST) => {
            answer(identity.deny_device_code(code, now).map(|()| {
                json!({
                    "userCode": crate::identity::device_codes::normalized_user_code(code),
                    "status": "denied",
                })
            }))
        }
        (["users"], Method::GET) => {
            let mfa = identity.state().mfa_users.clone();
            let users: Vec<Value> = identity
                .accounts
                .iter()
                .map(|account| {
                    json!({
                        "user": account.upn,
                        "tenant": account.tenant,
                        "admin": account.admin,
                        "mfa": mfa.contains(&account.upn),
                    })
                })
                .collect();
            replies::json(StatusCode::OK, &json!({ "users": users }))
        }
        (["users", user, "mfa"], method @ (Method::POST | Method::DELETE)) => {
            let required = method == Method::POST;
            // The path is lowercased already; some clients encode the @.
            let user = user.replace("%40", "@");
            answer(
                identity
                    .set_mfa(&user, required)
                    .map(|upn| json!({ "user": upn, "mfa": required })),
            )
        }
        (["device-codes"], _) | (["users"], _) => replies::method_not_allowed("GET"),
        (["device-codes", _, "approve" | "deny"], _) => replies::method_not_allowed("POST"),
        (["users", _, "mfa"], _) => replies::method_not_allowed("POST, DELETE"),
        _ => replies::not_found(),
    }
}

fn waiting_codes(identity: &Identity, now: SystemTime) -> Vec<Value> {
    let state = identity.state();
    state
        .device_codes
        .waiting(now)
        .map(|entry| {
            let expires_in = entry
                .expires
                .duration_since(now)
                .unwrap_or(Duration::ZERO)
                .as_secs();
            json!({
                "userCode": entry.user_code,
                "status": entry.decision.name(),
                "tenant": entry.request.tenant,
                "clientId": entry.request.client_id,
                "resource": entry.request.scope.resource_text,
                "defaultUser": identity.default_approver(&entry.request).map(|a| a.upn.clone()),
                "createdAt": humantime::format_rfc3339_seconds(entry.created).to_string(),
                "expiresIn": expires_in,
            })
        })
        .collect()
}

/// An optional JSON body of a control request.
async fn control_body(request: Request<Incoming>) -> Result<Option<Value>, ControlRefusal> {
    let body = read_body(request).await.ok_or_else(|| ControlRefusal {
        status: 400,
        message: "The body is too large or was cut off.".to_string(),
    })?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|_| ControlRefusal {
            status: 400,
            message: r#"Send no body, or JSON such as {"user": "admin@contoso.onmicrosoft.com"}."#
                .to_string(),
        })
}

async fn read_body(request: Request<Incoming>) -> Option<Bytes> {
    Limited::new(request.into_body(), MAX_FORM_BYTES)
        .collect()
        .await
        .ok()
        .map(|collected| collected.to_bytes())
}

/// The tenant for the log line: the tenant's name, `organizations`/`common`, or `unknown`
/// (never the raw segment, which is caller input).
fn tenant_label(identity: &Identity, segment: &str) -> String {
    match identity.realm.audience(segment) {
        Ok(Audience::Tenant(tenant)) => tenant.name.clone(),
        Ok(Audience::AnyOrganization) => segment.trim().to_ascii_lowercase(),
        Err(_) => "unknown".to_string(),
    }
}

fn platform_answer(
    status: StatusCode,
    body: &Value,
    trace: Uuid,
    correlation: Uuid,
) -> Response<Body> {
    let mut response = replies::json(status, body);
    no_store(&mut response);
    let headers = response.headers_mut();
    for (name, id) in [(MS_REQUEST_ID, trace), (CLIENT_REQUEST_ID, correlation)] {
        headers.insert(
            name,
            HeaderValue::from_str(&id.to_string()).expect("a uuid is a header value"),
        );
    }
    response
}

/// Token answers must not be cached (RFC 6749 §5.1).
fn no_store(response: &mut Response<Body>) {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
}

fn login_form(identity: &Identity, notice: &str) -> String {
    let users: Vec<String> = identity
        .accounts
        .iter()
        .map(|account| escape(&account.upn))
        .collect();
    format!(
        r#"{notice}<p>Enter the code the application shows. Leave the user empty to sign in as the tenant's admin.</p>
<form method="post" action="{DEVICE_LOGIN_PATH}">
<p><label>Code <input name="code" autocomplete="off" autofocus></label></p>
<p><label>User <input name="user" placeholder="{}"></label></p>
<p><button name="action" value="approve">Sign in</button> <button name="action" value="deny">Deny</button></p>
</form>
<p>Users: {}. Pending codes: <a href="/_emulator/device-codes">/_emulator/device-codes</a>.</p>"#,
        users.first().cloned().unwrap_or_default(),
        users.join(", ")
    )
}

fn page(status: StatusCode, content: &str) -> Response<Body> {
    replies::reply(
        status,
        replies::HTML,
        format!(
            "<!DOCTYPE html>\n<html><head><title>Sign in (spo-emulator)</title></head><body><h1>Sign in (spo-emulator)</h1>{content}</body></html>\n"
        ),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::tests::identity;

    #[test]
    fn log_tenants_are_never_caller_text() {
        let identity = identity();
        assert_eq!(
            tenant_label(&identity, "contoso.onmicrosoft.com"),
            "contoso"
        );
        assert_eq!(tenant_label(&identity, "Organizations"), "organizations");
        assert_eq!(tenant_label(&identity, "evil\nline"), "unknown");
    }

    #[test]
    fn platform_answers_carry_ids_and_no_store() {
        let trace = Uuid::new_v4();
        let correlation = Uuid::new_v4();
        let response = platform_answer(StatusCode::BAD_REQUEST, &json!({}), trace, correlation);
        let headers = response.headers();
        assert_eq!(headers["x-ms-request-id"], trace.to_string().as_str());
        assert_eq!(
            headers["client-request-id"],
            correlation.to_string().as_str()
        );
        assert_eq!(headers["cache-control"], "no-store");
    }

    #[test]
    fn the_login_page_escapes_what_it_shows() {
        assert_eq!(
            escape(r#"<a href="x">&"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
        let form = login_form(&identity(), "");
        assert!(form.contains("admin@contoso.onmicrosoft.com"));
        assert!(form.contains(r#"action="/devicelogin""#));
    }
}
