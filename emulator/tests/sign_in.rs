//! The identity endpoints over HTTP: password, refresh, device code, certificate and
//! managed identity sign-in, their errors, and that the tokens they issue work (and
//! expire) on ProcessQuery.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{Emulator, PUBLIC_CLIENT, claims_of, method, request_xml};
use reqwest::Method;
use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};

const CERT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cert.pem");
const KEY_PEM: &str = include_str!("data/key.pem");
const OTHER_KEY_PEM: &str = include_str!("data/other-key.pem");
const CERT_PEM: &str = include_str!("data/cert.pem");
const THUMBPRINT: &str = "4066B9094E73136A10842E84CD1567689EC0A012";
const APP: &str = "11111111-2222-3333-4444-555555555555";
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn body() -> String {
    request_xml(&method(3, "GetMySiteHostUrl", &[]))
}

/// The ProcessQuery status for `token` at `tenant`.
fn process_query_status(emulator: &Emulator, tenant: &str, token: &str) -> u16 {
    emulator
        .post_with_token(tenant, token, &body())
        .unwrap()
        .status()
        .as_u16()
}

fn token_of(answer: &Value) -> String {
    answer["access_token"].as_str().unwrap().to_string()
}

fn password(emulator: &Emulator, tenant: &str) -> String {
    emulator.tenant_field(tenant, "password")
}

fn user(emulator: &Emulator, tenant: &str) -> String {
    emulator.tenant_field(tenant, "user")
}

/// Checks the identity platform's error shape; answers the AADSTS code.
fn platform_error(answer: &Value, error: &str) -> i64 {
    assert_eq!(answer["error"], error, "{answer}");
    let code = answer["error_codes"][0].as_i64().unwrap();
    let description = answer["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    for part in ["Trace ID: ", "Correlation ID: ", "Timestamp: "] {
        assert!(description.contains(part), "{description}");
    }
    for field in ["timestamp", "trace_id", "correlation_id"] {
        assert!(answer[field].is_string(), "{answer}");
    }
    code
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A client assertion signed with the PKCS#8 key in `key_pem`, naming the test certificate.
fn assertion(client_id: &str, audience: &str, key_pem: &str) -> String {
    let der: String = key_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let key = RsaKeyPair::from_pkcs8(&STANDARD.decode(der).unwrap()).unwrap();
    let certificate: String = CERT_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let sha1 = digest(
        &SHA1_FOR_LEGACY_USE_ONLY,
        &STANDARD.decode(certificate).unwrap(),
    );
    let header = json!({"alg": "RS256", "typ": "JWT", "x5t": URL_SAFE_NO_PAD.encode(sha1)});
    let now = now();
    let claims = json!({"aud": audience, "iss": client_id, "sub": client_id,
        "jti": uuid::Uuid::new_v4().to_string(), "nbf": now, "iat": now, "exp": now + 600});
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signed.as_bytes(),
        &mut signature,
    )
    .unwrap();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn client_credentials(
    emulator: &Emulator,
    tenant: &str,
    client_id: &str,
    assertion: &str,
) -> (u16, Value) {
    let scope = format!("{}/.default", emulator.authority());
    emulator.post_form(
        &format!("{tenant}/oauth2/v2.0/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("scope", &scope),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion),
        ],
    )
}

fn request_device_code(emulator: &Emulator, tenant: &str) -> Value {
    let scope = format!("{}/.default offline_access", emulator.authority());
    let (status, answer) = emulator.post_form(
        &format!("{tenant}/oauth2/v2.0/devicecode"),
        &[("client_id", PUBLIC_CLIENT), ("scope", &scope)],
    );
    assert_eq!(status, 200, "{answer}");
    answer
}

fn poll(emulator: &Emulator, tenant: &str, device_code: &Value) -> (u16, Value) {
    emulator.post_form(
        &format!("{tenant}/oauth2/v2.0/token"),
        &[
            ("grant_type", DEVICE_CODE_GRANT),
            ("client_id", PUBLIC_CLIENT),
            ("device_code", device_code["device_code"].as_str().unwrap()),
        ],
    )
}

#[test]
fn the_startup_line_names_the_identity_endpoints() {
    let app = format!("{APP}={CERT}@fabrikam");
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--app",
        &app,
        "--managed-identity-tenant",
        "fabrikam",
    ]);
    let base = format!("http://{}", emulator.listen());
    for tenant in ["contoso", "fabrikam"] {
        assert_eq!(emulator.tenant_field(tenant, "authority"), base);
        assert_eq!(
            emulator.tenant_field(tenant, "domain"),
            format!("{tenant}.onmicrosoft.com")
        );
        assert_eq!(
            user(&emulator, tenant),
            format!("admin@{tenant}.onmicrosoft.com")
        );
        assert!(password(&emulator, tenant).len() >= 20);
        // The fields of before are still there.
        for field in ["adminUrl", "hostUrl", "accessToken", "tenantId"] {
            emulator.tenant_field(tenant, field);
        }
    }
    assert_ne!(
        password(&emulator, "contoso"),
        password(&emulator, "fabrikam")
    );
    let managed = &emulator.startup["managedIdentity"];
    assert_eq!(
        managed["endpoint"],
        format!("{base}/_emulator/managed-identity")
    );
    assert!(managed["header"].as_str().unwrap().len() >= 20);
    assert_eq!(managed["tenant"], "fabrikam");
    assert!(uuid::Uuid::parse_str(managed["clientId"].as_str().unwrap()).is_ok());
    assert_eq!(
        emulator.startup["apps"],
        json!({ APP: { "thumbprint": THUMBPRINT, "tenant": "fabrikam" } })
    );
}

#[test]
fn password_and_refresh_tokens_work_on_process_query() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--tenant", "fabrikam"]);
    let (contoso_user, contoso_password) =
        (user(&emulator, "contoso"), password(&emulator, "contoso"));

    // `organizations` with the base URL as the resource, as the engine asks.
    let (status, answer) = emulator.password_sign_in(
        "organizations",
        &contoso_user,
        &contoso_password,
        &emulator.authority(),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3600);
    let token = token_of(&answer);
    let claims = claims_of(&token);
    assert_eq!(claims["aud"], emulator.admin_url("contoso"));
    assert_eq!(claims["tid"], emulator.tenant_field("contoso", "tenantId"));
    assert_eq!(claims["upn"], contoso_user);
    assert_eq!(claims["appid"], PUBLIC_CLIENT);
    assert_eq!(claims["admin"], true);
    assert!(claims["exp"].as_u64().unwrap() >= now() + 3590);
    assert_eq!(process_query_status(&emulator, "contoso", &token), 200);
    assert_eq!(process_query_status(&emulator, "fabrikam", &token), 401);

    // The tenant's domain or id with its admin URL as the resource.
    for tenant in [
        "contoso.onmicrosoft.com".to_string(),
        emulator.tenant_field("contoso", "tenantId"),
    ] {
        let (status, answer) = emulator.password_sign_in(
            &tenant,
            &contoso_user,
            &contoso_password,
            &emulator.admin_url("contoso"),
        );
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            process_query_status(&emulator, "contoso", &token_of(&answer)),
            200
        );
    }

    // Refresh: a new access token and a new refresh token each time.
    let refresh = |refresh_token: &str| {
        let scope = format!("{}/.default offline_access", emulator.authority());
        emulator.post_form(
            "organizations/oauth2/v2.0/token",
            &[
                ("grant_type", "refresh_token"),
                ("client_id", PUBLIC_CLIENT),
                ("scope", &scope),
                ("refresh_token", refresh_token),
            ],
        )
    };
    let first_refresh = answer["refresh_token"].as_str().unwrap().to_string();
    let (status, renewed) = refresh(&first_refresh);
    assert_eq!(status, 200, "{renewed}");
    let second_refresh = renewed["refresh_token"].as_str().unwrap();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(
        process_query_status(&emulator, "contoso", &token_of(&renewed)),
        200
    );
    assert_eq!(refresh(second_refresh).0, 200);
    let (status, refused) = refresh("not-a-refresh-token");
    assert_eq!(status, 400);
    assert_eq!(platform_error(&refused, "invalid_grant"), 70008);

    // Wrong password, unknown user, another tenant's admin site.
    let (status, refused) = emulator.password_sign_in(
        "organizations",
        &contoso_user,
        "wrong",
        &emulator.authority(),
    );
    assert_eq!(status, 400);
    assert_eq!(platform_error(&refused, "invalid_grant"), 50126);
    let (_, refused) = emulator.password_sign_in(
        "organizations",
        "someone@contoso.onmicrosoft.com",
        "x",
        &emulator.authority(),
    );
    assert_eq!(platform_error(&refused, "invalid_grant"), 50034);
    let (_, refused) = emulator.password_sign_in(
        "organizations",
        &contoso_user,
        &contoso_password,
        &emulator.admin_url("fabrikam"),
    );
    assert_eq!(platform_error(&refused, "invalid_resource"), 500011);
    let (_, refused) = emulator.password_sign_in(
        "northwind.onmicrosoft.com",
        &contoso_user,
        &contoso_password,
        &emulator.authority(),
    );
    assert_eq!(platform_error(&refused, "invalid_request"), 90002);

    // GET is refused in the platform's words; answers are not to be cached.
    let response = emulator
        .client
        .get(format!(
            "{}/contoso/oauth2/v2.0/token",
            emulator.authority()
        ))
        .send()
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers().contains_key("x-ms-request-id"));
    let refused: Value = response.json().unwrap();
    assert_eq!(platform_error(&refused, "invalid_request"), 900561);

    let stats = emulator.control(Method::GET, "stats", None).1;
    assert!(
        stats["signIns"]["password"].as_u64().unwrap() >= 6,
        "{stats}"
    );
    assert_eq!(stats["signIns"]["refresh_token"], 3);
}

#[test]
fn mfa_is_required_by_flag_or_control_switch() {
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--mfa-user",
        "Admin@Contoso.onmicrosoft.com",
    ]);
    let sign_in = |tenant: &str| {
        emulator.password_sign_in(
            "organizations",
            &user(&emulator, tenant),
            &password(&emulator, tenant),
            &emulator.authority(),
        )
    };
    let (status, refused) = sign_in("contoso");
    assert_eq!(status, 400);
    assert_eq!(platform_error(&refused, "invalid_grant"), 50076);
    assert_eq!(refused["suberror"], "basic_action");
    assert_eq!(sign_in("fabrikam").0, 200);

    let contoso = user(&emulator, "contoso");
    // A percent-encoded @ is fine too.
    let encoded = format!("users/{}/mfa", contoso.replace('@', "%40"));
    assert_eq!(emulator.control(Method::POST, &encoded, None).0, 200);
    let (status, users) = emulator.control(Method::GET, "users", None);
    assert_eq!(status, 200);
    let mfa: Vec<(String, bool)> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["user"].as_str().unwrap().to_string(),
                u["mfa"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(mfa.contains(&(contoso.clone(), true)), "{users}");
    assert!(!users.to_string().contains(&password(&emulator, "contoso")));

    let path = format!("users/{contoso}/mfa");
    assert_eq!(emulator.control(Method::DELETE, &path, None).0, 200);
    assert_eq!(sign_in("contoso").0, 200);
    let (status, answer) = emulator.control(Method::POST, &path, None);
    assert_eq!((status, answer["mfa"].as_bool()), (200, Some(true)));
    assert_eq!(sign_in("contoso").0, 400);
    assert_eq!(
        emulator.control(Method::POST, "users/nobody@x/mfa", None).0,
        400
    );

    // An unknown --mfa-user stops the start.
    let refused = Emulator::try_start(&["--tenant", "contoso", "--mfa-user", "x@y"]).err();
    assert!(refused.unwrap().contains("--mfa-user"));
}

#[test]
fn device_codes_are_found_and_approved_through_the_control_endpoints() {
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--device-code-interval",
        "0s",
    ]);
    let code = request_device_code(&emulator, "organizations");
    let user_code = code["user_code"].as_str().unwrap().to_string();
    let verification_uri = format!("{}/devicelogin", emulator.authority());
    assert_eq!(code["verification_uri"], verification_uri);
    assert_eq!(code["expires_in"], 900);
    assert_eq!(code["interval"], 0);
    assert_eq!(
        code["message"],
        format!(
            "To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."
        )
    );

    let (status, pending) = poll(&emulator, "organizations", &code);
    assert_eq!(status, 400);
    assert_eq!(platform_error(&pending, "authorization_pending"), 70016);

    let (status, listed) = emulator.control(Method::GET, "device-codes", None);
    assert_eq!(status, 200);
    let codes = listed["deviceCodes"].as_array().unwrap();
    assert_eq!(codes.len(), 1, "{listed}");
    assert_eq!(codes[0]["userCode"], user_code);
    assert_eq!(codes[0]["status"], "pending");
    assert_eq!(codes[0]["clientId"], PUBLIC_CLIENT);
    assert_eq!(codes[0]["defaultUser"], user(&emulator, "contoso"));
    assert!(
        !listed
            .to_string()
            .contains(code["device_code"].as_str().unwrap()),
        "the device code is a secret"
    );

    let fabrikam_user = user(&emulator, "fabrikam");
    let approve_body = json!({ "user": fabrikam_user }).to_string();
    let (status, approved) = emulator.control(
        Method::POST,
        &format!("device-codes/{user_code}/approve"),
        Some(&approve_body),
    );
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["user"], fabrikam_user);
    assert_eq!(
        emulator.control(Method::GET, "device-codes", None).1["deviceCodes"],
        json!([])
    );

    let (status, tokens) = poll(&emulator, "organizations", &code);
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refresh_token"].is_string());
    let token = token_of(&tokens);
    assert_eq!(claims_of(&token)["upn"], fabrikam_user);
    assert_eq!(process_query_status(&emulator, "fabrikam", &token), 200);
    let (status, again) = poll(&emulator, "organizations", &code);
    assert_eq!(status, 400);
    assert_eq!(platform_error(&again, "invalid_grant"), 70000);

    // Denied.
    let code = request_device_code(&emulator, "contoso");
    let path = format!("device-codes/{}/deny", code["user_code"].as_str().unwrap());
    assert_eq!(emulator.control(Method::POST, &path, None).0, 200);
    let (_, declined) = poll(&emulator, "contoso", &code);
    platform_error(&declined, "authorization_declined");
    assert_eq!(emulator.control(Method::POST, &path, None).0, 409);
    assert_eq!(
        emulator
            .control(Method::POST, "device-codes/NOSUCHCODE/approve", None)
            .0,
        404
    );

    // The page a person would use: approve by form, as the tenant's admin.
    let code = request_device_code(&emulator, "contoso");
    let page = emulator.client.get(&verification_uri).send().unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().unwrap().contains("<form"));
    let typed = code["user_code"].as_str().unwrap().to_lowercase();
    let response = emulator
        .client
        .post(&verification_uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(common::form(&[("code", &typed), ("action", "approve")]))
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .unwrap()
            .contains("admin@contoso.onmicrosoft.com")
    );
    let (status, tokens) = poll(&emulator, "contoso", &code);
    assert_eq!(status, 200, "{tokens}");
}

#[test]
fn device_codes_expire_and_fast_polling_slows_down() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--device-code-lifetime", "2s"]);
    let code = request_device_code(&emulator, "contoso");
    let issued = Instant::now();
    assert_eq!(code["expires_in"], 2);
    assert_eq!(code["interval"], 5);
    // Polled twice in a row with a 5 s interval: the second poll is too soon.
    assert_eq!(poll(&emulator, "contoso", &code).0, 400);
    let (_, slow) = poll(&emulator, "contoso", &code);
    platform_error(&slow, "slow_down");

    std::thread::sleep(Duration::from_millis(2100).saturating_sub(issued.elapsed()));
    let (status, expired) = poll(&emulator, "contoso", &code);
    assert_eq!(status, 400);
    assert_eq!(platform_error(&expired, "expired_token"), 70020);
    let path = format!(
        "device-codes/{}/approve",
        code["user_code"].as_str().unwrap()
    );
    assert_eq!(emulator.control(Method::POST, &path, None).0, 409);
}

#[test]
fn auto_approved_device_codes_sign_in_at_once() {
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--auto-approve-device-codes",
        "--device-code-interval",
        "0s",
    ]);
    let code = request_device_code(&emulator, "organizations");
    let (status, tokens) = poll(&emulator, "organizations", &code);
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        process_query_status(&emulator, "contoso", &token_of(&tokens)),
        200
    );
}

#[test]
fn certificate_sign_in_checks_the_assertion() {
    let everywhere = format!("{APP}={CERT}");
    let bound_app = "22222222-2222-3333-4444-555555555555";
    let bound = format!("{bound_app}={CERT}@fabrikam");
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--app",
        &everywhere,
        "--app",
        &bound,
    ]);
    let token_url = |tenant: &str| format!("{}/{tenant}/oauth2/v2.0/token", emulator.authority());

    let good = assertion(APP, &token_url("contoso"), KEY_PEM);
    let (status, answer) = client_credentials(&emulator, "contoso", APP, &good);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("refresh_token").is_none());
    let token = token_of(&answer);
    let claims = claims_of(&token);
    assert_eq!(claims["appid"], APP);
    assert_eq!(claims["admin"], true);
    assert!(claims.get("upn").is_none());
    assert_eq!(process_query_status(&emulator, "contoso", &token), 200);

    let (status, refused) = client_credentials(
        &emulator,
        "contoso",
        APP,
        &assertion(APP, &token_url("contoso"), OTHER_KEY_PEM),
    );
    assert_eq!(status, 401);
    assert_eq!(platform_error(&refused, "invalid_client"), 700027);

    let (status, refused) = client_credentials(
        &emulator,
        "contoso",
        APP,
        &assertion(APP, &token_url("fabrikam"), KEY_PEM),
    );
    assert_eq!(status, 401);
    assert_eq!(platform_error(&refused, "invalid_client"), 50012);

    let stranger = "44444444-2222-3333-4444-555555555555";
    let (status, refused) = client_credentials(
        &emulator,
        "contoso",
        stranger,
        &assertion(stranger, &token_url("contoso"), KEY_PEM),
    );
    assert_eq!(status, 400);
    assert_eq!(platform_error(&refused, "unauthorized_client"), 700016);

    // The bound app exists in fabrikam only.
    let (status, _) = client_credentials(
        &emulator,
        "contoso",
        bound_app,
        &assertion(bound_app, &token_url("contoso"), KEY_PEM),
    );
    assert_eq!(status, 400);
    let tenant_id = emulator.tenant_field("fabrikam", "tenantId");
    let (status, answer) = client_credentials(
        &emulator,
        &tenant_id,
        bound_app,
        &assertion(bound_app, &token_url(&tenant_id), KEY_PEM),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        process_query_status(&emulator, "fabrikam", &token_of(&answer)),
        200
    );

    let scope = format!("{}/.default", emulator.authority());
    let (status, refused) = emulator.post_form(
        "contoso/oauth2/v2.0/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("scope", &scope),
            ("client_secret", "s3cret"),
        ],
    );
    assert_eq!(status, 401);
    assert_eq!(platform_error(&refused, "invalid_client"), 7000215);
    assert!(
        refused["error_description"]
            .as_str()
            .unwrap()
            .contains("certificate")
    );

    // A missing certificate file stops the start.
    let missing = format!("{APP}=/nonexistent/cert.pem");
    let refused = Emulator::try_start(&["--tenant", "contoso", "--app", &missing]).err();
    assert!(refused.unwrap().contains("cannot read"));
}

#[test]
fn managed_identity_tokens_need_the_header() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--tenant", "fabrikam"]);
    let managed = emulator.startup["managedIdentity"].clone();
    let endpoint = managed["endpoint"].as_str().unwrap();
    let header = managed["header"].as_str().unwrap();
    let ask = |resource: &str, secret: Option<&str>| {
        let query = common::form(&[("resource", resource), ("api-version", "2019-08-01")]);
        let mut request = emulator.client.get(format!("{endpoint}?{query}"));
        if let Some(secret) = secret {
            request = request.header("X-IDENTITY-HEADER", secret);
        }
        let response = request.send().unwrap();
        let status = response.status().as_u16();
        (status, response.json::<Value>().unwrap())
    };
    let (status, answer) = ask(&emulator.authority(), Some(header));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["resource"], emulator.authority());
    let expires_on: u64 = answer["expires_on"].as_str().unwrap().parse().unwrap();
    assert!(expires_on >= now() + 3590 && expires_on <= now() + 3600);
    let token = token_of(&answer);
    assert_eq!(claims_of(&token)["appid"], managed["clientId"]);
    // The identity lives in the first tenant.
    assert_eq!(managed["tenant"], "contoso");
    assert_eq!(process_query_status(&emulator, "contoso", &token), 200);
    assert_eq!(ask(&emulator.admin_url("contoso"), Some(header)).0, 200);

    assert_eq!(ask(&emulator.authority(), Some("wrong")).0, 401);
    let (status, refused) = ask(&emulator.authority(), None);
    assert_eq!(status, 401);
    assert!(refused["message"].is_string());
    let (status, refused) = ask(&emulator.host_url("contoso"), Some(header));
    assert_eq!(status, 400);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("AADSTS500011")
    );
    assert_eq!(ask(&emulator.admin_url("fabrikam"), Some(header)).0, 400);
}

#[test]
fn short_lived_tokens_expire_and_are_renewed() {
    // 3 s: long enough that a loaded machine still uses the token before it expires.
    let emulator = Emulator::start(&["--tenant", "contoso", "--token-lifetime", "3s"]);
    let (status, answer) = emulator.password_sign_in(
        "contoso",
        &user(&emulator, "contoso"),
        &password(&emulator, "contoso"),
        &emulator.authority(),
    );
    let issued = Instant::now();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["expires_in"], 3);
    let token = token_of(&answer);
    assert_eq!(process_query_status(&emulator, "contoso", &token), 200);

    std::thread::sleep(Duration::from_millis(3100).saturating_sub(issued.elapsed()));
    let expired = emulator
        .post_with_token("contoso", &token, &body())
        .unwrap();
    assert_eq!(expired.status(), 401);
    assert!(expired.text().unwrap().contains("expired"));

    let scope = format!("{}/.default offline_access", emulator.authority());
    let (status, renewed) = emulator.post_form(
        "contoso/oauth2/v2.0/token",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", PUBLIC_CLIENT),
            ("scope", &scope),
            ("refresh_token", answer["refresh_token"].as_str().unwrap()),
        ],
    );
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(renewed["expires_in"], 3);
    assert_eq!(
        process_query_status(&emulator, "contoso", &token_of(&renewed)),
        200
    );
}

#[test]
fn the_log_shows_grants_and_outcomes_but_no_secrets() {
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("requests.log");
    let app = format!("{APP}={CERT}");
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--log",
        log.to_str().unwrap(),
        "--app",
        &app,
        "--device-code-interval",
        "0s",
    ]);
    let contoso_password = password(&emulator, "contoso");
    let (_, signed_in) = emulator.password_sign_in(
        "organizations",
        &user(&emulator, "contoso"),
        &contoso_password,
        &emulator.authority(),
    );
    emulator.password_sign_in(
        "organizations",
        &user(&emulator, "contoso"),
        "not-the-password",
        &emulator.authority(),
    );
    let code = request_device_code(&emulator, "contoso");
    poll(&emulator, "contoso", &code);
    let assertion = assertion(
        APP,
        &format!("{}/contoso/oauth2/v2.0/token", emulator.authority()),
        KEY_PEM,
    );
    let (_, app_token) = client_credentials(&emulator, "contoso", APP, &assertion);

    let text = std::fs::read_to_string(&log).unwrap();
    for expected in [
        "POST contoso token[password] 200 ",
        "outcome=issued",
        "POST organizations token[password] 400 ",
        "outcome=invalid_grant/50126",
        "POST contoso devicecode 200 ",
        "outcome=code-issued",
        "POST contoso token[device_code] 400 ",
        "outcome=authorization_pending/70016",
        "POST contoso token[client_credentials] 200 ",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    for secret in [
        contoso_password.as_str(),
        "not-the-password",
        signed_in["access_token"].as_str().unwrap(),
        signed_in["refresh_token"].as_str().unwrap(),
        code["device_code"].as_str().unwrap(),
        code["user_code"].as_str().unwrap(),
        &assertion,
        app_token["access_token"].as_str().unwrap(),
    ] {
        assert!(!text.contains(secret), "a secret reached the log:\n{text}");
    }
}

#[test]
fn sign_in_works_over_https() {
    let folder = tempfile::tempdir().unwrap();
    let pem = folder.path().join("emulator.pem");
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--https",
        "--cert-out",
        pem.to_str().unwrap(),
    ]);
    let authority = emulator.authority();
    assert!(authority.starts_with("https://127.0.0.1:"), "{authority}");
    let (status, answer) = emulator.password_sign_in(
        "contoso.onmicrosoft.com",
        &user(&emulator, "contoso"),
        &password(&emulator, "contoso"),
        &authority,
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        claims_of(&token_of(&answer))["aud"],
        emulator.admin_url("contoso")
    );
    assert_eq!(
        process_query_status(&emulator, "contoso", &token_of(&answer)),
        200
    );
    let code = request_device_code(&emulator, "contoso");
    assert!(
        code["verification_uri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}
