//! Bearer token checks: 401 with a challenge for missing, malformed, expired and
//! wrong-audience tokens; 403 for non-admins under `--require-admin`.

mod common;

use common::{Emulator, method, request_xml};
use reqwest::blocking::Response;
use serde_json::Value;

fn body() -> String {
    request_xml(&method(3, "GetMySiteHostUrl", &[]))
}

fn assert_challenge(response: Response, emulator: &Emulator, tenant: &str, why: &str) {
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["WWW-Authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    let realm = emulator.tenant_field(tenant, "tenantId");
    assert!(
        challenge.starts_with(&format!(r#"Bearer realm="{realm}""#)),
        "{challenge}"
    );
    assert!(challenge.contains(r#"client_id="00000003-0000-0ff1-ce00-000000000000""#));
    assert!(response.headers().contains_key("SPRequestGuid"));
    let text = response.text().unwrap();
    assert!(text.contains(why), "{text}");
    assert!(!text.contains("eyJ"), "the body must not echo a token");
}

#[test]
fn missing_malformed_and_foreign_tokens_are_refused() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--tenant", "fabrikam"]);
    let url = emulator.process_query_url("contoso");

    let missing = emulator.client.post(&url).body(body()).send().unwrap();
    assert_challenge(missing, &emulator, "contoso", "No bearer token");

    let basic = emulator
        .client
        .post(&url)
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .body(body())
        .send()
        .unwrap();
    assert_challenge(basic, &emulator, "contoso", "malformed");

    let garbage = emulator
        .post_with_token("contoso", "not-a-token", &body())
        .unwrap();
    assert_challenge(garbage, &emulator, "contoso", "malformed");

    let token = emulator.token("contoso");
    // Change a character inside the signature (not the last one, whose spare bits must be 0).
    let position = token.len() - 5;
    let replacement = if &token[position..=position] == "A" {
        "B"
    } else {
        "A"
    };
    let tampered = format!(
        "{}{replacement}{}",
        &token[..position],
        &token[position + 1..]
    );
    let tampered = emulator
        .post_with_token("contoso", &tampered, &body())
        .unwrap();
    assert_challenge(tampered, &emulator, "contoso", "signature");

    let fabrikam_token = emulator.token("fabrikam");
    let wrong_audience = emulator
        .post_with_token("contoso", &fabrikam_token, &body())
        .unwrap();
    assert_challenge(wrong_audience, &emulator, "contoso", "another audience");

    let right = emulator.post("contoso", &body()).unwrap();
    assert_eq!(right.status(), 200);

    let log = emulator
        .stderr_once_it_contains("refused=\"The bearer token was issued for another audience.\"");
    assert!(log.contains("401"), "{log}");
    assert!(!log.contains(&fabrikam_token), "tokens never reach the log");
    assert!(!log.contains(&token));
}

#[test]
fn expired_tokens_are_refused() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--token-lifetime", "0s"]);
    let expired = emulator.post("contoso", &body()).unwrap();
    assert_challenge(expired, &emulator, "contoso", "expired");
}

#[test]
fn require_admin_refuses_non_admin_tokens_with_403() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--require-admin"]);
    let non_admin = emulator.tenant_field("contoso", "nonAdminToken");
    let refused = emulator
        .post_with_token("contoso", &non_admin, &body())
        .unwrap();
    assert_eq!(refused.status(), 403);
    let error: Value = refused.json().unwrap();
    assert!(
        error["error"]["code"]
            .as_str()
            .unwrap()
            .contains("UnauthorizedAccessException")
    );

    let admin = emulator.post("contoso", &body()).unwrap();
    assert_eq!(admin.status(), 200);
}

#[test]
fn without_require_admin_non_admin_tokens_are_not_printed() {
    let emulator = Emulator::start(&["--tenant", "contoso"]);
    assert!(
        emulator.startup["tenants"]["contoso"]
            .get("nonAdminToken")
            .is_none()
    );
}
