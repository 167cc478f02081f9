//! `--proxy`: the emulator answers for its tenants' real names and the sign-in hosts through
//! a loopback proxy, with certificates from the CA it writes to `--cert-out`; every other
//! host and every plain-HTTP request is refused, logged, and never forwarded.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use common::{Emulator, PUBLIC_CLIENT, method, request_xml, role, status};
use reqwest::blocking::Client;
use serde_json::{Value, json};

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const SIGN_IN_HOSTS: [&str; 4] = [
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.microsoftonline.de",
    "login.chinacloudapi.cn",
];

/// An emulator with `--proxy` for contoso and fabrikam, its log in `folder`.
fn rehearsal(folder: &Path, extra: &[&str]) -> Emulator {
    let ca = folder.join("ca.pem");
    let log = folder.join("emulator.log");
    let mut arguments = vec![
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--proxy",
        "--cert-out",
        ca.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
        "--dormant-period",
        "0s",
    ];
    arguments.extend_from_slice(extra);
    let mut emulator = Emulator::start(&arguments);
    emulator.client = client_through(&emulator, true);
    emulator
}

fn proxy_url(emulator: &Emulator) -> String {
    emulator.startup["proxy"]
        .as_str()
        .expect("the start-up line names the proxy")
        .to_string()
}

/// A client that sends every HTTPS request through the proxy, trusting only the rehearsal
/// CA (`trusting`) or nothing at all.
fn client_through(emulator: &Emulator, trusting: bool) -> Client {
    let proxy = reqwest::Proxy::all(proxy_url(emulator)).unwrap();
    let mut builder = Client::builder()
        .proxy(proxy)
        .timeout(Duration::from_secs(15));
    if trusting {
        let pem = std::fs::read(emulator.startup["certificate"].as_str().unwrap()).unwrap();
        builder = builder.tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()]);
    } else {
        builder = builder.tls_certs_only([]);
    }
    builder.build().unwrap()
}

/// Sends `request` to the proxy as is; the status line, headers and body of the answer.
fn raw(emulator: &Emulator, request: &str) -> String {
    let address = proxy_url(emulator)
        .trim_start_matches("http://")
        .to_string();
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

fn log_of(folder: &Path) -> String {
    std::fs::read_to_string(folder.join("emulator.log")).unwrap_or_default()
}

/// Waits (at most two seconds) until the log contains `text`, then returns all of it.
fn log_once_it_contains(folder: &Path, text: &str) -> String {
    for _ in 0..40 {
        let log = log_of(folder);
        if log.contains(text) {
            return log;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    log_of(folder)
}

fn urls_in(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(text) if text.contains("://") => found.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| urls_in(item, found)),
        Value::Object(fields) => fields.values().for_each(|item| urls_in(item, found)),
        _ => {}
    }
}

#[test]
fn every_url_handed_out_is_the_real_looking_one() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(folder.path(), &[]);
    let startup = &emulator.startup;
    assert!(proxy_url(&emulator).starts_with("http://127.0.0.1:"));
    let certificate = startup["certificate"].as_str().unwrap();
    assert!(Path::new(certificate).is_absolute() && certificate.ends_with("ca.pem"));
    assert_eq!(
        emulator.admin_url("contoso"),
        "https://contoso-admin.sharepoint.com"
    );
    assert_eq!(
        emulator.host_url("fabrikam"),
        "https://fabrikam-my.sharepoint.com/"
    );
    assert_eq!(emulator.authority(), "https://login.microsoftonline.com");
    let mut tenant_urls = Vec::new();
    urls_in(&startup["tenants"], &mut tenant_urls);
    assert!(tenant_urls.len() > 20, "{tenant_urls:?}");
    for url in &tenant_urls {
        let host = url::Url::parse(url)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string();
        assert!(
            host.ends_with(".sharepoint.com") || host == "login.microsoftonline.com",
            "{url}"
        );
        assert!(url.starts_with("https://"), "{url}");
    }
    assert!(tenant_urls.contains(&"https://contoso.sharepoint.com/sites/marketing".to_string()));
    assert!(tenant_urls.contains(
        &"https://contoso-my.sharepoint.com/personal/alex_contoso_onmicrosoft_com".to_string()
    ));
    // What only this machine can reach stays on the listener: the managed identity endpoint.
    assert!(
        startup["managedIdentity"]["endpoint"]
            .as_str()
            .unwrap()
            .starts_with(&format!("http://{}/", emulator.listen()))
    );
    // The server hands out the real host URL too.
    assert_eq!(
        emulator.call("contoso", "GetMySiteHostUrl", &[]).unwrap(),
        json!("https://contoso-my.sharepoint.com/")
    );
}

#[test]
fn the_two_tenant_workflow_runs_through_the_proxy() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(folder.path(), &[]);
    emulator.trust_both_ways();
    for (tenant, partner, partner_role) in [
        ("contoso", "fabrikam", role::TARGET),
        ("fabrikam", "contoso", role::SOURCE),
    ] {
        let verified = emulator
            .relation_call(tenant, "VerifySPOTenantOrgRelation", partner_role, partner)
            .unwrap();
        assert_eq!(verified, json!(status::GOOD_TO_PROCEED));
    }
    let check = format!(
        "{}/_api/Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta/XTenantMoveCompatibilityCheck(targetTenantHostUrl=@p)?@p='{}'",
        emulator.admin_url("contoso"),
        emulator.host_url("fabrikam")
    );
    let answer: Value = emulator
        .client
        .get(check)
        .bearer_auth(emulator.token("contoso"))
        .header("Accept", "application/json;odata=nometadata")
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(answer["XTenantMoveCompatibilityResult"], 0, "{answer}");

    // Pages answer at their real names; sites are data, not served.
    let page = emulator
        .client
        .get("https://fabrikam-my.sharepoint.com/")
        .send()
        .unwrap();
    assert_eq!(page.status(), 200);
    let site = emulator
        .client
        .get("https://contoso.sharepoint.com/sites/marketing")
        .send()
        .unwrap();
    assert_eq!(site.status(), 404);

    let log = log_once_it_contains(folder.path(), "XTenantMoveCompatibilityCheck");
    assert!(
        log.contains("CONNECT contoso proxy 200 - host=contoso-admin.sharepoint.com:443"),
        "{log}"
    );
    assert!(
        log.contains("ProcessQuery[NewSPOTenantOrgRelation] 200")
            && log.contains("host=contoso-admin.sharepoint.com\n"),
        "{log}"
    );
}

#[test]
fn sign_in_answers_at_every_clouds_login_host() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(
        folder.path(),
        &[
            "--auto-approve-device-codes",
            "--device-code-interval",
            "0s",
        ],
    );
    let scope = format!("{}/.default offline_access", emulator.admin_url("contoso"));
    let password = emulator.tenant_field("contoso", "password");
    let user = emulator.tenant_field("contoso", "user");
    for host in SIGN_IN_HOSTS {
        let answer: Value = emulator
            .client
            .post(format!("https://{host}/organizations/oauth2/v2.0/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(common::form(&[
                ("grant_type", "password"),
                ("client_id", PUBLIC_CLIENT),
                ("scope", &scope),
                ("username", &user),
                ("password", &password),
            ]))
            .send()
            .unwrap()
            .json()
            .unwrap();
        let token = answer["access_token"].as_str().expect("a token");
        let status = emulator
            .post_with_token(
                "contoso",
                token,
                &request_xml(&method(3, "GetMySiteHostUrl", &[])),
            )
            .unwrap()
            .status();
        assert_eq!(status, 200, "{host}");
    }

    let (status, code) = emulator.post_form(
        "contoso.onmicrosoft.com/oauth2/v2.0/devicecode",
        &[("client_id", PUBLIC_CLIENT), ("scope", &scope)],
    );
    assert_eq!(status, 200, "{code}");
    // The page a person opens is on the listener: browsers do not use the rehearsal proxy.
    assert_eq!(
        code["verification_uri"],
        format!("http://{}/devicelogin", emulator.listen())
    );
    let (status, tokens) = emulator.post_form(
        "contoso.onmicrosoft.com/oauth2/v2.0/token",
        &[
            ("grant_type", DEVICE_CODE_GRANT),
            ("client_id", PUBLIC_CLIENT),
            ("device_code", code["device_code"].as_str().unwrap()),
        ],
    );
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        common::claims_of(tokens["access_token"].as_str().unwrap())["aud"],
        "https://contoso-admin.sharepoint.com"
    );
}

#[test]
fn other_hosts_are_refused_and_nothing_is_forwarded() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(folder.path(), &[]);
    // A server the proxy could forward to, if it ever forwarded anything.
    let bystander = TcpListener::bind("127.0.0.1:0").unwrap();
    bystander.set_nonblocking(true).unwrap();
    let port = bystander.local_addr().unwrap().port();

    for (request, reason) in [
        (
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n".to_string(),
            "not an emulated host",
        ),
        (
            format!("CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
            "not an emulated host",
        ),
        (
            format!("CONNECT localhost:{port} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"),
            "not an emulated host",
        ),
        (
            "CONNECT northwind-admin.sharepoint.com:443 HTTP/1.1\r\nHost: northwind-admin.sharepoint.com:443\r\n\r\n".to_string(),
            "no such tenant here",
        ),
        (
            "CONNECT contoso-admin.sharepoint.com:8443 HTTP/1.1\r\nHost: contoso-admin.sharepoint.com:8443\r\n\r\n".to_string(),
            "only port 443",
        ),
        (
            "GET http://contoso-admin.sharepoint.com/ HTTP/1.1\r\nHost: contoso-admin.sharepoint.com\r\nConnection: close\r\n\r\n".to_string(),
            "plain HTTP is refused",
        ),
        (
            format!("GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
            "plain HTTP is refused",
        ),
        (
            "GET https://contoso-admin.sharepoint.com/ HTTP/1.1\r\nHost: contoso-admin.sharepoint.com\r\nConnection: close\r\n\r\n".to_string(),
            "https:// without a tunnel is refused, use CONNECT",
        ),
        (
            "CONNECT admin:S3cret@contoso-admin.sharepoint.com:443 HTTP/1.1\r\nHost: contoso-admin.sharepoint.com:443\r\n\r\n".to_string(),
            "user information in the target is refused",
        ),
    ] {
        let answer = raw(&emulator, &request);
        assert!(answer.starts_with("HTTP/1.1 403 Forbidden"), "{request}: {answer}");
        assert!(answer.contains("Nothing is forwarded."), "{answer}");
        let log = log_once_it_contains(folder.path(), reason);
        assert!(log.contains(&format!("refused=\"{reason}")), "{log}");
    }
    let refusal = raw(
        &emulator,
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    );
    assert!(
        refusal.contains("contoso-admin.sharepoint.com, contoso-my.sharepoint.com")
            && refusal.contains("login.chinacloudapi.cn"),
        "the refusal names what is answered: {refusal}"
    );
    let direct = raw(
        &emulator,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(direct.starts_with("HTTP/1.1 400"), "{direct}");

    // A real client's request for another host fails at the proxy.
    assert!(emulator.client.get("https://example.com/").send().is_err());
    let log = log_once_it_contains(folder.path(), "host=example.com:443\n");
    assert!(
        log.lines()
            .filter(|line| line.contains("host=example.com:443"))
            .all(|line| line.contains("CONNECT - proxy 403")),
        "{log}"
    );
    match bystander.accept() {
        Err(error) if error.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the proxy connected somewhere: {other:?}"),
    }
}

#[test]
fn credentials_in_a_target_are_refused_and_never_shown() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(folder.path(), &[]);
    for (target, shown) in [
        ("admin:S3cret@example.com:443", "example.com:443"),
        (
            "admin:S3cret@contoso-admin.sharepoint.com:443",
            "contoso-admin.sharepoint.com:443",
        ),
    ] {
        let answer = raw(
            &emulator,
            &format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"),
        );
        assert!(answer.starts_with("HTTP/1.1 403 Forbidden"), "{answer}");
        assert!(answer.contains(&format!("'{shown}'")), "{answer}");
        assert!(!answer.contains("S3cret"), "{answer}");
        let log = log_once_it_contains(folder.path(), &format!("host={shown}\n"));
        assert!(
            log.contains(&format!(
                "CONNECT - proxy 403 - refused=\"user information in the target is refused; nothing is forwarded\" host={shown}\n"
            )),
            "{log}"
        );
    }
    let plain = raw(
        &emulator,
        "GET http://admin:S3cret@contoso-admin.sharepoint.com/ HTTP/1.1\r\nHost: contoso-admin.sharepoint.com\r\nConnection: close\r\n\r\n",
    );
    assert!(plain.starts_with("HTTP/1.1 403"), "{plain}");
    assert!(!plain.contains("S3cret"), "{plain}");
    let log = log_once_it_contains(folder.path(), "plain HTTP");
    assert!(!log.contains("S3cret"), "{log}");
}

#[test]
fn a_request_for_another_host_inside_a_tunnel_is_misdirected() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(folder.path(), &[]);
    let url = "https://contoso-admin.sharepoint.com/";
    let misdirected = emulator
        .client
        .get(url)
        .header("Host", "fabrikam-admin.sharepoint.com")
        .send()
        .unwrap();
    assert_eq!(misdirected.status(), 421);
    let text = misdirected.text().unwrap();
    assert!(
        text.contains("this tunnel is for contoso-admin.sharepoint.com")
            && text.contains("'fabrikam-admin.sharepoint.com'"),
        "{text}"
    );
    // The tunnel's own name, with or without its port, is served.
    for host in [
        "contoso-admin.sharepoint.com",
        "contoso-admin.sharepoint.com:443",
    ] {
        let page = emulator
            .client
            .get(url)
            .header("Host", host)
            .send()
            .unwrap();
        assert_eq!(page.status(), 200, "{host}");
    }
    let log = log_once_it_contains(folder.path(), " 421 ");
    assert!(
        log.contains(
            "GET contoso proxy 421 - refused=\"the request names another host than its tunnel\" outcome=asked=fabrikam-admin.sharepoint.com host=contoso-admin.sharepoint.com\n"
        ),
        "{log}"
    );
    assert!(!log.contains("GET fabrikam"), "{log}");
}

#[test]
fn a_client_that_does_not_trust_the_ca_fails_and_the_log_says_why() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(folder.path(), &[]);
    let untrusting = client_through(&emulator, false);
    assert!(
        untrusting
            .get("https://contoso-admin.sharepoint.com/")
            .send()
            .is_err()
    );
    let log = log_once_it_contains(folder.path(), "handshake-failed");
    assert!(
        log.contains("TLS contoso proxy 0 - outcome=handshake-failed:")
            && log.contains(" host=contoso-admin.sharepoint.com"),
        "{log}"
    );
}

#[test]
fn https_with_proxy_serves_the_listener_with_a_certificate_of_the_same_ca() {
    let folder = tempfile::tempdir().unwrap();
    let emulator = rehearsal(folder.path(), &["--https"]);
    let pem = std::fs::read(emulator.startup["certificate"].as_str().unwrap()).unwrap();
    let direct = Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .build()
        .unwrap();
    let stats = direct
        .get(format!("https://{}/_emulator/stats", emulator.listen()))
        .send()
        .unwrap();
    assert_eq!(stats.status(), 200);
    assert_eq!(
        emulator.admin_url("contoso"),
        "https://contoso-admin.sharepoint.com"
    );
}

#[test]
fn the_proxy_listens_on_loopback_only_and_needs_a_certificate_file() {
    let folder = tempfile::tempdir().unwrap();
    let ca = folder.path().join("ca.pem");
    let refused = Emulator::try_start(&[
        "--tenant",
        "contoso",
        "--proxy",
        "--cert-out",
        ca.to_str().unwrap(),
        "--proxy-listen",
        "0.0.0.0:0",
    ])
    .err()
    .expect("refused");
    assert!(
        refused.contains("refusing to listen on 0.0.0.0:0"),
        "{refused}"
    );
    let missing = Emulator::try_start(&["--tenant", "contoso", "--proxy"])
        .err()
        .expect("refused");
    assert!(missing.contains("--cert-out"), "{missing}");
}

#[test]
fn a_state_file_keeps_one_form_of_urls() {
    let folder = tempfile::tempdir().unwrap();
    let state = folder.path().join("state.json");
    let ca = folder.path().join("ca.pem");
    let mut first = Emulator::start(&["--tenant", "contoso", "--state", state.to_str().unwrap()]);
    first.kill();
    let refused = Emulator::try_start(&[
        "--tenant",
        "contoso",
        "--state",
        state.to_str().unwrap(),
        "--proxy",
        "--cert-out",
        ca.to_str().unwrap(),
    ])
    .err()
    .expect("refused");
    assert!(
        refused.contains("the state file was written without --proxy"),
        "{refused}"
    );
}
