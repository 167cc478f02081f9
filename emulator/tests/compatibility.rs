//! The cross-tenant compatibility check (`XTenantMoveCompatibilityCheck`): computed answers,
//! forced answers (`--compatibility` and `/_emulator/compatibility`), the OData error for an
//! unknown partner, and the same auth, faults, log and counters as ProcessQuery.

mod common;

use std::time::{Duration, Instant};

use common::{Arg, Emulator, role};
use reqwest::Method;
use reqwest::blocking::Response;
use serde_json::{Value, json};

const FUNCTION: &str = "_api/Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta/XTenantMoveCompatibilityCheck";

const COMPATIBLE: i64 = 0;
const WARNING: i64 = 1;
const INCOMPATIBLE: i64 = 2;

const ARGUMENT_EXCEPTION: &str = "-2147024809, System.ArgumentException";

fn two_tenants(extra: &[&str]) -> Emulator {
    let mut arguments = vec!["--tenant", "contoso", "--tenant", "fabrikam"];
    arguments.extend_from_slice(extra);
    Emulator::start(&arguments)
}

/// The URL the engine sends: the partner URL as an OData string literal in the `@p` alias,
/// percent-encoded.
fn check_url(emulator: &Emulator, tenant: &str, partner_url: &str) -> String {
    let literal = format!("'{}'", partner_url.replace('\'', "''"));
    let encoded: String = url::form_urlencoded::byte_serialize(literal.as_bytes()).collect();
    format!(
        "{}/{FUNCTION}(targetTenantHostUrl=@p)?@p={encoded}",
        emulator.admin_url(tenant)
    )
}

fn get_with_token(emulator: &Emulator, url: &str, token: Option<&str>) -> Response {
    let mut request = emulator
        .client
        .get(url)
        .header("Accept", "application/json;odata=nometadata");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().expect("the compatibility check answers")
}

/// Checks `tenant` against `partner_url` with the tenant's own admin token.
fn check(emulator: &Emulator, tenant: &str, partner_url: &str) -> Response {
    let url = check_url(emulator, tenant, partner_url);
    get_with_token(emulator, &url, Some(&emulator.token(tenant)))
}

fn correlation_of(response: &Response) -> String {
    response.headers()["SPRequestGuid"]
        .to_str()
        .unwrap()
        .to_string()
}

/// The answer of a successful check, with its shape asserted.
fn answer(response: Response) -> Value {
    assert_eq!(response.status(), 200);
    assert!(!correlation_of(&response).is_empty());
    let content_type = response.headers()["Content-Type"].to_str().unwrap();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let answer: Value = response.json().unwrap();
    let mut keys: Vec<&String> = answer.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "SourceTenantHostUrl",
            "TargetTenantHostUrl",
            "XTenantMoveCompatibilityResult"
        ]
    );
    answer
}

fn result(emulator: &Emulator, tenant: &str, partner: &str) -> i64 {
    let answer = answer(check(emulator, tenant, &emulator.host_url(partner)));
    answer["XTenantMoveCompatibilityResult"].as_i64().unwrap()
}

/// The OData error of a refused check, with its shape asserted: (code, message).
fn odata_error(response: Response) -> (String, String) {
    assert_eq!(response.status(), 400);
    assert!(!correlation_of(&response).is_empty());
    let body: Value = response.json().unwrap();
    let error = &body["odata.error"];
    assert_eq!(error["message"]["lang"], "en-US", "{body}");
    (
        error["code"].as_str().unwrap().to_string(),
        error["message"]["value"].as_str().unwrap().to_string(),
    )
}

fn set_relation(emulator: &Emulator, tenant: &str, partner_role: i64, partner: &str) {
    emulator
        .relation_call(tenant, "NewSPOTenantOrgRelation", partner_role, partner)
        .unwrap();
}

#[test]
fn computed_answers_follow_both_tenants_relations() {
    let emulator = two_tenants(&[]);
    assert_eq!(result(&emulator, "contoso", "fabrikam"), INCOMPATIBLE);

    set_relation(&emulator, "contoso", role::TARGET, "fabrikam");
    assert_eq!(
        result(&emulator, "contoso", "fabrikam"),
        INCOMPATIBLE,
        "only the source has set its relation"
    );

    set_relation(&emulator, "fabrikam", role::SOURCE, "contoso");
    let both = answer(check(&emulator, "contoso", &emulator.host_url("fabrikam")));
    assert_eq!(
        both,
        json!({
            "SourceTenantHostUrl": emulator.host_url("contoso"),
            "TargetTenantHostUrl": emulator.host_url("fabrikam"),
            "XTenantMoveCompatibilityResult": COMPATIBLE,
        })
    );
    assert_eq!(
        result(&emulator, "fabrikam", "contoso"),
        INCOMPATIBLE,
        "the target is not the side that checks"
    );

    emulator
        .relation_call(
            "contoso",
            "RemoveSPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    assert_eq!(result(&emulator, "contoso", "fabrikam"), INCOMPATIBLE);

    set_relation(&emulator, "contoso", role::SOURCE, "fabrikam");
    assert_eq!(
        result(&emulator, "contoso", "fabrikam"),
        INCOMPATIBLE,
        "both sides naming each other Source do not agree"
    );
}

#[test]
fn partner_url_spellings_and_both_parameter_forms_are_understood() {
    let emulator = two_tenants(&[]);
    set_relation(&emulator, "contoso", role::TARGET, "fabrikam");
    set_relation(&emulator, "fabrikam", role::SOURCE, "contoso");
    let host = emulator.host_url("fabrikam");
    let expected = json!(host);
    for spelling in [
        host.clone(),
        host.trim_end_matches('/').to_string(),
        host.to_uppercase().replace("HTTP://", "http://"),
        host.replace("127.0.0.1", "localhost"),
        format!("  {host}  "),
    ] {
        let answer = answer(check(&emulator, "contoso", &spelling));
        assert_eq!(answer["TargetTenantHostUrl"], expected, "{spelling}");
        assert_eq!(answer["XTenantMoveCompatibilityResult"], COMPATIBLE);
    }

    let token = emulator.token("contoso");
    let admin = emulator.admin_url("contoso");
    let other_forms = [
        // Another alias name, the quotes not encoded, the path in other case.
        format!(
            "{admin}/{}(TARGETTENANTHOSTURL=@target)?@target='{host}'",
            FUNCTION.to_lowercase()
        ),
        // An inline literal instead of an alias.
        format!("{admin}/{FUNCTION}(targetTenantHostUrl='{host}')"),
        // Percent-encoded parameter text, other query parameters around the alias.
        format!("{admin}/{FUNCTION}(targetTenantHostUrl%3D%40p)?x=1&@p=%27{host}%27&y=2"),
    ];
    for url in other_forms {
        let answer = answer(get_with_token(&emulator, &url, Some(&token)));
        assert_eq!(answer["TargetTenantHostUrl"], expected, "{url}");
    }
}

#[test]
fn unknown_partners_and_bad_urls_are_odata_argument_errors() {
    let emulator = two_tenants(&[]);
    let northwind = "https://northwind-my.sharepoint.com/";
    let (code, message) = odata_error(check(&emulator, "contoso", northwind));
    assert_eq!(code, ARGUMENT_EXCEPTION);
    assert!(message.contains(northwind), "{message}");

    for partner in [
        emulator.admin_url("fabrikam"),
        emulator.host_url("contoso"),
        "not a url".to_string(),
        "https://it''s-my.sharepoint.com".to_string(),
    ] {
        let (code, _) = odata_error(check(&emulator, "contoso", &partner));
        assert_eq!(code, ARGUMENT_EXCEPTION, "{partner}");
    }

    // A call the OData parser cannot read: no value for the alias.
    let url = format!(
        "{}/{FUNCTION}(targetTenantHostUrl=@p)",
        emulator.admin_url("contoso")
    );
    let response = get_with_token(&emulator, &url, Some(&emulator.token("contoso")));
    let (code, message) = odata_error(response);
    assert_eq!(
        code,
        "-1, Microsoft.SharePoint.Client.InvalidClientQueryException"
    );
    assert!(message.contains("@p"), "{message}");
}

#[test]
fn forced_answers_from_the_command_line() {
    let emulator = two_tenants(&["--compatibility", "contoso=Warning"]);
    assert_eq!(result(&emulator, "contoso", "fabrikam"), WARNING);
    set_relation(&emulator, "contoso", role::TARGET, "fabrikam");
    set_relation(&emulator, "fabrikam", role::SOURCE, "contoso");
    assert_eq!(result(&emulator, "contoso", "fabrikam"), WARNING);
    assert_eq!(
        result(&emulator, "fabrikam", "contoso"),
        INCOMPATIBLE,
        "only the named tenant is forced"
    );
    let (code, _) = odata_error(check(
        &emulator,
        "contoso",
        "https://northwind-my.sharepoint.com",
    ));
    assert_eq!(
        code, ARGUMENT_EXCEPTION,
        "an unknown partner stays an error"
    );
    let log = emulator.stderr_once_it_contains("outcome=forced/Warning");
    assert!(log.contains("outcome=forced/Warning"), "{log}");

    let emulator = two_tenants(&["--compatibility", "contoso=Incompatible"]);
    set_relation(&emulator, "contoso", role::TARGET, "fabrikam");
    set_relation(&emulator, "fabrikam", role::SOURCE, "contoso");
    assert_eq!(result(&emulator, "contoso", "fabrikam"), INCOMPATIBLE);
}

#[test]
fn bad_compatibility_options_stop_the_start() {
    for (option, complaint) in [
        ("contoso=Maybe", "not a compatibility result"),
        ("contoso", "TENANT=RESULT"),
        ("northwind=Warning", "there is no tenant 'northwind'"),
    ] {
        let stderr = Emulator::try_start(&["--tenant", "contoso", "--compatibility", option])
            .err()
            .unwrap_or_else(|| panic!("{option} must stop the start"));
        assert!(stderr.contains(complaint), "{option}: {stderr}");
    }
}

#[test]
fn the_control_endpoint_forces_lists_and_releases_answers() {
    let emulator = two_tenants(&[]);
    set_relation(&emulator, "contoso", role::TARGET, "fabrikam");
    set_relation(&emulator, "fabrikam", role::SOURCE, "contoso");
    assert_eq!(result(&emulator, "contoso", "fabrikam"), COMPATIBLE);

    let (status, listed) = emulator.control(Method::GET, "compatibility", None);
    assert_eq!((status, listed), (200, json!({ "compatibility": {} })));

    let (status, listed) = emulator.control(
        Method::POST,
        "compatibility",
        Some(r#""contoso=Incompatible""#),
    );
    assert_eq!(status, 200);
    assert_eq!(
        listed,
        json!({ "compatibility": { "contoso": "Incompatible" } })
    );
    assert_eq!(result(&emulator, "contoso", "fabrikam"), INCOMPATIBLE);

    let (status, listed) = emulator.control(
        Method::POST,
        "compatibility",
        Some(r#"["contoso=warning", "fabrikam=Warning"]"#),
    );
    assert_eq!(status, 200);
    assert_eq!(
        listed,
        json!({ "compatibility": { "contoso": "Warning", "fabrikam": "Warning" } })
    );
    assert_eq!(result(&emulator, "contoso", "fabrikam"), WARNING);

    for bad in [r#""contoso=Maybe""#, r#""northwind=Warning""#, "[]", "42"] {
        let (status, error) = emulator.control(Method::POST, "compatibility", Some(bad));
        assert_eq!(status, 400, "{bad}");
        assert!(error["error"].is_string(), "{bad}: {error}");
    }
    let (_, unchanged) = emulator.control(Method::GET, "compatibility", None);
    assert_eq!(unchanged["compatibility"]["contoso"], "Warning");

    let (status, listed) = emulator.control(Method::DELETE, "compatibility/contoso", None);
    assert_eq!(status, 200);
    assert_eq!(
        listed,
        json!({ "compatibility": { "fabrikam": "Warning" } })
    );
    assert_eq!(result(&emulator, "contoso", "fabrikam"), COMPATIBLE);
    let (status, _) = emulator.control(Method::DELETE, "compatibility/northwind", None);
    assert_eq!(status, 404);

    let (status, listed) = emulator.control(Method::DELETE, "compatibility", None);
    assert_eq!((status, listed), (200, json!({ "compatibility": {} })));

    // Reset forgets forced answers along with the relations.
    emulator.control(Method::POST, "compatibility", Some(r#""contoso=Warning""#));
    let (status, _) = emulator.control(Method::POST, "reset", None);
    assert_eq!(status, 200);
    let (_, listed) = emulator.control(Method::GET, "compatibility", None);
    assert_eq!(listed, json!({ "compatibility": {} }));
    assert_eq!(result(&emulator, "contoso", "fabrikam"), INCOMPATIBLE);
}

fn assert_challenge(response: Response, emulator: &Emulator, why: &str) {
    assert_eq!(response.status(), 401);
    assert!(!correlation_of(&response).is_empty());
    let challenge = response.headers()["WWW-Authenticate"].to_str().unwrap();
    let realm = emulator.tenant_field("contoso", "tenantId");
    assert!(
        challenge.starts_with(&format!(r#"Bearer realm="{realm}""#)),
        "{challenge}"
    );
    let text = response.text().unwrap();
    assert!(text.contains(why), "{text}");
}

#[test]
fn tokens_are_checked_like_process_query() {
    let emulator = two_tenants(&[]);
    let url = check_url(&emulator, "contoso", &emulator.host_url("fabrikam"));
    assert_challenge(
        get_with_token(&emulator, &url, None),
        &emulator,
        "No bearer token",
    );
    assert_challenge(
        get_with_token(&emulator, &url, Some("not-a-token")),
        &emulator,
        "malformed",
    );
    let fabrikam_token = emulator.token("fabrikam");
    assert_challenge(
        get_with_token(&emulator, &url, Some(&fabrikam_token)),
        &emulator,
        "another audience",
    );

    let expired = Emulator::start(&[
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--token-lifetime",
        "0s",
    ]);
    let url = check_url(&expired, "contoso", &expired.host_url("fabrikam"));
    assert_challenge(
        get_with_token(&expired, &url, Some(&expired.token("contoso"))),
        &expired,
        "expired",
    );

    let strict = two_tenants(&["--require-admin"]);
    let url = check_url(&strict, "contoso", &strict.host_url("fabrikam"));
    let non_admin = strict.tenant_field("contoso", "nonAdminToken");
    let refused = get_with_token(&strict, &url, Some(&non_admin));
    assert_eq!(refused.status(), 403);
    assert!(!correlation_of(&refused).is_empty());
    let error: Value = refused.json().unwrap();
    assert!(
        error["error"]["code"]
            .as_str()
            .unwrap()
            .contains("UnauthorizedAccessException")
    );
    assert_eq!(result(&strict, "contoso", "fabrikam"), INCOMPATIBLE);
}

#[test]
fn faults_apply_like_process_query() {
    let emulator = two_tenants(&[
        "--fault",
        "429:retry-after=2:count=1",
        "--fault",
        "truncated:count=1:tenant=contoso",
    ]);
    let partner = emulator.host_url("fabrikam");

    let throttled = check(&emulator, "contoso", &partner);
    assert_eq!(throttled.status(), 429);
    assert_eq!(throttled.headers()["Retry-After"], "2");
    assert!(!correlation_of(&throttled).is_empty());

    let truncated = check(&emulator, "contoso", &partner);
    assert_eq!(truncated.status(), 200);
    let text = truncated.text().unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert!(text.starts_with(r#"{"SourceTenantHostUrl""#), "{text}");

    assert_eq!(result(&emulator, "contoso", "fabrikam"), INCOMPATIBLE);

    let arm = |spec: &str| {
        let (status, _) = emulator.control(Method::POST, "faults", Some(&json!(spec).to_string()));
        assert_eq!(status, 200);
    };
    arm("503:count=1");
    let unavailable = check(&emulator, "contoso", &partner);
    assert_eq!(unavailable.status(), 503);
    assert_eq!(unavailable.headers()["Retry-After"], "1");

    arm("html:count=1");
    let html = check(&emulator, "contoso", &partner);
    assert_eq!(html.status(), 500);
    assert!(
        html.headers()["Content-Type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );

    arm("not-json:count=1");
    let not_json = check(&emulator, "contoso", &partner);
    assert_eq!(not_json.status(), 200);
    assert!(serde_json::from_str::<Value>(&not_json.text().unwrap()).is_err());

    arm("drop:count=1");
    assert!(
        emulator
            .client
            .get(check_url(&emulator, "contoso", &partner))
            .bearer_auth(emulator.token("contoso"))
            .send()
            .is_err(),
        "a dropped connection gives no response"
    );

    arm("latency:ms=300:count=1");
    let started = Instant::now();
    assert_eq!(result(&emulator, "contoso", "fabrikam"), INCOMPATIBLE);
    assert!(started.elapsed() >= Duration::from_millis(300));

    let (_, stats) = emulator.control(Method::GET, "stats", None);
    for (kind, count) in [
        ("429", 1),
        ("503", 1),
        ("truncated", 1),
        ("html", 1),
        ("not-json", 1),
        ("drop", 1),
        ("latency", 1),
    ] {
        assert_eq!(stats["faultsInjected"][kind], count, "{kind}: {stats}");
    }
    assert_eq!(stats["byStatus"]["drop"], 1);
}

#[test]
fn requests_are_logged_and_counted() {
    let emulator = two_tenants(&[]);
    let response = check(&emulator, "contoso", &emulator.host_url("fabrikam"));
    let correlation = correlation_of(&response);
    answer(response);
    let unknown = check(&emulator, "contoso", "https://northwind-my.sharepoint.com");
    let unknown_correlation = correlation_of(&unknown);
    odata_error(unknown);
    emulator
        .call("contoso", "GetMySiteHostUrl", &[] as &[Arg])
        .unwrap();

    let log = emulator.stderr_once_it_contains(&unknown_correlation);
    assert!(
        log.contains(&format!(
            "GET contoso XTenantMoveCompatibilityCheck 200 {correlation} outcome=Incompatible"
        )),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "GET contoso XTenantMoveCompatibilityCheck 400 {unknown_correlation} outcome=error/-2147024809"
        )),
        "{log}"
    );
    assert!(
        !log.contains(&emulator.token("contoso")),
        "tokens never reach the log"
    );

    let (_, stats) = emulator.control(Method::GET, "stats", None);
    assert_eq!(stats["compatibilityCheck"], 2);
    assert_eq!(stats["processQuery"], 1);
    assert_eq!(stats["byTenant"]["contoso"], 3);
    assert_eq!(stats["byMethod"]["XTenantMoveCompatibilityCheck"], 2);
    assert_eq!(stats["byStatus"]["400"], 1);
}

#[test]
fn only_get_is_allowed() {
    let emulator = two_tenants(&[]);
    let url = check_url(&emulator, "contoso", &emulator.host_url("fabrikam"));
    let response = emulator
        .client
        .post(&url)
        .bearer_auth(emulator.token("contoso"))
        .send()
        .unwrap();
    assert_eq!(response.status(), 405);
    assert!(!correlation_of(&response).is_empty());
    assert_eq!(response.headers()["Allow"], "GET");
}
