//! Sign-in against a small identity platform written here: a stateful HTTP server on
//! 127.0.0.1 that answers the devicecode, token and managed identity endpoints the way
//! the real ones do, checks what it is sent (certificate assertions are verified against
//! the certificate), and records every request.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use serde_json::{Value, json};
use spo_crosstenant::ErrorKind;
use spo_crosstenant::auth::*;
use spo_crosstenant::transport::{Operation, Progress, runtime};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use url::Url;
use zeroize::Zeroizing;

const CERT_PEM: &str = include_str!("../src/auth/testdata/cert.pem");
const KEY_PEM: &str = include_str!("../src/auth/testdata/key.pem");
const PFX: &[u8] = include_bytes!("../src/auth/testdata/cert.pfx");
const APP: &str = "11111111-2222-3333-4444-555555555555";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CORRELATION: &str = "c0ffee00-1111-4222-8333-444455556666";

// ---------------------------------------------------------------- the server

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: HashMap<String, String>,
    headers: HashMap<String, String>,
    form: HashMap<String, String>,
    at: Instant,
}

/// An answer: status and JSON body.
struct Reply(u16, Value);

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves `handler` until the test process ends, one thread per connection.
    fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                thread::spawn(move || serve_one(stream, &*handler, &log));
            }
        });
        Server { base, seen }
    }

    fn authority(&self) -> Url {
        Url::parse(&self.base).unwrap()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn seen_at(&self, path_end: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.path.ends_with(path_end))
            .collect()
    }
}

fn serve_one(mut stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Seen>>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    let (head, body) = loop {
        let Ok(n) = stream.read(&mut buffer) else {
            return;
        };
        if n == 0 {
            return;
        }
        data.extend_from_slice(&buffer[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&data[..end]).to_string();
        let length = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().unwrap())
            })
            .unwrap_or(0);
        if data.len() >= end + 4 + length {
            break (head, data[end + 4..end + 4 + length].to_vec());
        }
    };
    let mut lines = head.lines();
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap().to_owned();
    let target = Url::parse(&format!("http://x{}", request_line.next().unwrap())).unwrap();
    let seen = Seen {
        method,
        path: target.path().to_owned(),
        query: target.query_pairs().into_owned().collect(),
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect(),
        form: url::form_urlencoded::parse(&body).into_owned().collect(),
        at: Instant::now(),
    };
    log.lock().unwrap().push(seen.clone());
    let Reply(status, body) = handler(&seen);
    let body = body.to_string();
    let response = format!(
        "HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

// ---------------------------------------------------------------- helpers

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token shaped like the platform's, with readable claims and a fake signature.
fn jwt(claims: Value) -> String {
    format!(
        "{}.{}.c2ln",
        b64(br#"{"typ":"JWT","alg":"RS256"}"#),
        b64(claims.to_string().as_bytes())
    )
}

fn user_token(n: u32) -> String {
    jwt(json!({
        "aud": "https://contoso-admin.sharepoint.com", "tid": TENANT,
        "upn": "admin@contoso.com", "appid": DEFAULT_CLIENT_ID, "exp": now() + 3600, "n": n
    }))
}

fn app_token(n: u32) -> String {
    jwt(json!({"tid": TENANT, "appid": APP, "exp": now() + 3600, "n": n}))
}

fn token_reply(access_token: &str, expires_in: u64, refresh_token: Option<&str>) -> Reply {
    let mut body = json!({
        "token_type": "Bearer", "scope": "https://contoso-admin.sharepoint.com/.default",
        "expires_in": expires_in, "ext_expires_in": expires_in, "access_token": access_token,
    });
    if let Some(refresh_token) = refresh_token {
        body["refresh_token"] = json!(refresh_token);
    }
    Reply(200, body)
}

fn platform_error(error: &str, code: i64, description: &str) -> Reply {
    Reply(
        400,
        json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {description}\r\nTrace ID: 7ace\r\nCorrelation ID: {CORRELATION}\r\nTimestamp: 2026-01-01 00:00:00Z"),
            "error_codes": [code], "timestamp": "2026-01-01 00:00:00Z",
            "trace_id": "7ace0000-0000-4000-8000-000000000000", "correlation_id": CORRELATION,
        }),
    )
}

fn device_code_reply(interval: u64, expires_in: u64) -> Reply {
    Reply(
        200,
        json!({
            "user_code": "ABCD-EFGH", "device_code": "device-code-secret",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": expires_in, "interval": interval,
            "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate.",
        }),
    )
}

fn options(server: &Server) -> SignInOptions {
    let mut options =
        SignInOptions::new(Url::parse("https://contoso-admin.sharepoint.com").unwrap());
    options.authority_override = Some(server.authority());
    options.timeout = Duration::from_secs(10);
    options
}

fn run<F: std::future::Future>(future: F) -> F::Output {
    runtime::shared().unwrap().block_on(future)
}

fn sign_in_now(
    credential: Credential,
    options: &SignInOptions,
) -> (Result<TokenSource, spo_crosstenant::Error>, Vec<String>) {
    let progress = Progress::default();
    let result = run(sign_in(credential, options, &progress));
    let mut said = Vec::new();
    while let Some(message) = progress.next() {
        said.push(message);
    }
    (result, said)
}

fn device_code() -> Credential {
    Credential::DeviceCode {
        client_id: DEFAULT_CLIENT_ID.into(),
    }
}

/// A device code server whose token endpoint answers from `polls`, in turn; the last
/// answer repeats.
fn device_code_server(interval: u64, expires_in: u64, polls: Vec<fn() -> Reply>) -> Server {
    let count = AtomicUsize::new(0);
    Server::start(move |seen| {
        if seen.path.ends_with("/devicecode") {
            return device_code_reply(interval, expires_in);
        }
        let n = count.fetch_add(1, Ordering::SeqCst);
        polls[n.min(polls.len() - 1)]()
    })
}

// ---------------------------------------------------------------- device code

#[test]
fn device_code_tells_the_user_what_to_do_and_polls_past_pending() {
    let server = device_code_server(
        1,
        60,
        vec![
            || platform_error("authorization_pending", 70016, "Pending."),
            || token_reply(&user_token(1), 3600, Some("refresh-1")),
        ],
    );
    let (result, said) = sign_in_now(device_code(), &options(&server));
    let source = result.unwrap();

    let prompt = said
        .iter()
        .find(|m| m.starts_with(DEVICE_CODE_PROMPT_PREFIX))
        .expect("the instruction was said");
    assert!(prompt.ends_with("enter the code ABCD-EFGH to authenticate."));

    let codes = server.seen_at("/organizations/oauth2/v2.0/devicecode");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].method, "POST");
    assert_eq!(codes[0].form["client_id"], DEFAULT_CLIENT_ID);
    assert_eq!(
        codes[0].form["scope"],
        "https://contoso-admin.sharepoint.com/.default offline_access"
    );
    assert_eq!(
        codes[0].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    let polls = server.seen_at("/organizations/oauth2/v2.0/token");
    assert_eq!(polls.len(), 2);
    for poll in &polls {
        assert_eq!(
            poll.form["grant_type"],
            "urn:ietf:params:oauth:grant-type:device_code"
        );
        assert_eq!(poll.form["device_code"], "device-code-secret");
    }
    assert!(polls[1].at - polls[0].at >= Duration::from_millis(950));

    assert_eq!(*run(source.bearer()).unwrap(), user_token(1));
    let info = source.info();
    assert_eq!(info.method, SignInMethod::DeviceCode);
    assert_eq!(info.account.as_deref(), Some("admin@contoso.com"));
    assert_eq!(info.tenant_id.as_deref(), Some(TENANT));
    assert!(info.can_renew);
    let expires_on = info.expires_on.unwrap();
    assert!(expires_on >= now() + 3590 && expires_on <= now() + 3600);
}

#[test]
fn device_code_slow_down_waits_five_seconds_longer() {
    let server = device_code_server(
        1,
        60,
        vec![|| platform_error("slow_down", 70016, "Slow down."), || {
            token_reply(&user_token(1), 3600, Some("refresh-1"))
        }],
    );
    let (result, _) = sign_in_now(device_code(), &options(&server));
    result.unwrap();
    let polls = server.seen_at("/token");
    assert_eq!(polls.len(), 2);
    let gap = polls[1].at - polls[0].at;
    assert!(gap >= Duration::from_millis(5950), "{gap:?}");
    assert!(gap < Duration::from_secs(9), "{gap:?}");
}

#[test]
fn device_code_polling_waits_out_a_brief_outage() {
    let server = device_code_server(
        1,
        60,
        vec![
            || Reply(503, json!("busy")),
            || Reply(500, json!("oops")),
            || token_reply(&user_token(1), 3600, Some("refresh-1")),
        ],
    );
    let (result, said) = sign_in_now(device_code(), &options(&server));
    result.unwrap();
    assert_eq!(server.seen_at("/token").len(), 3);
    assert_eq!(
        said.iter().filter(|m| m.contains("trying again")).count(),
        2
    );

    // An outage that does not end gives up after a few polls.
    let server = device_code_server(1, 60, vec![|| Reply(503, json!("busy"))]);
    let (result, _) = sign_in_now(device_code(), &options(&server));
    assert_eq!(result.unwrap_err().id(), "Throttled");
    assert_eq!(server.seen_at("/token").len(), 4);
}

#[test]
fn device_code_declined_stops_with_sign_in_declined() {
    let server = device_code_server(
        1,
        60,
        vec![|| platform_error("authorization_declined", 70000, "The user declined.")],
    );
    let (result, _) = sign_in_now(device_code(), &options(&server));
    let error = result.unwrap_err();
    assert_eq!(error.id(), "SignInDeclined");
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    assert!(error.message().contains(CORRELATION));
    assert_eq!(server.seen_at("/token").len(), 1);
}

#[test]
fn device_code_expired_by_the_server_or_here_gives_device_code_expired() {
    let server = device_code_server(
        1,
        60,
        vec![|| platform_error("expired_token", 70020, "The code has expired.")],
    );
    let (result, _) = sign_in_now(device_code(), &options(&server));
    let error = result.unwrap_err();
    assert_eq!(error.id(), "DeviceCodeExpired");
    assert!(error.message().contains("AADSTS70020"));
    assert_eq!(error.correlation_id(), Some(CORRELATION));

    // A code that lives one second, while nobody signs in.
    let server = device_code_server(
        1,
        1,
        vec![|| platform_error("authorization_pending", 70016, "Pending.")],
    );
    let started = Instant::now();
    let (result, _) = sign_in_now(device_code(), &options(&server));
    assert_eq!(result.unwrap_err().id(), "DeviceCodeExpired");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn device_code_sign_in_stops_polling_when_cancelled() {
    let server = device_code_server(
        1,
        600,
        vec![|| platform_error("authorization_pending", 70016, "Pending.")],
    );
    let options = options(&server);
    let operation = Operation::start(move |progress| async move {
        sign_in(device_code(), &options, &progress)
            .await
            .map(|_| ())
    })
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.seen_at("/token").is_empty() {
        assert!(Instant::now() < deadline, "no poll arrived");
        thread::sleep(Duration::from_millis(20));
    }
    assert!(!operation.wait(Duration::ZERO));
    let prompt = operation.progress().drain();
    assert!(
        prompt
            .into_iter()
            .any(|m| m.starts_with(DEVICE_CODE_PROMPT_PREFIX))
    );
    operation.cancel();
    assert_eq!(
        operation.result().unwrap().unwrap_err().kind(),
        ErrorKind::Cancelled
    );
    let polls = server.seen_at("/token").len();
    thread::sleep(Duration::from_millis(2500));
    assert_eq!(server.seen_at("/token").len(), polls, "polling went on");
}

// ---------------------------------------------------------------- password and renewal

#[test]
fn password_sign_in_renews_with_the_newest_refresh_token() {
    // Sign-in gives a token that is already due, each refresh rotates the refresh token,
    // and the third token lives an hour.
    let server = Server::start(|seen| match seen.form["grant_type"].as_str() {
        "password" => token_reply(&user_token(1), 0, Some("refresh-1")),
        "refresh_token" => match seen.form["refresh_token"].as_str() {
            "refresh-1" => token_reply(&user_token(2), 0, Some("refresh-2")),
            "refresh-2" => token_reply(&user_token(3), 3600, None),
            other => panic!("unexpected refresh token {other}"),
        },
        other => panic!("unexpected grant {other}"),
    });
    let mut options = options(&server);
    options.tenant = Some("contoso.onmicrosoft.com".into());
    let (result, said) = sign_in_now(
        Credential::Password {
            client_id: DEFAULT_CLIENT_ID.into(),
            username: "admin@contoso.com".into(),
            password: Zeroizing::new("p@ss w0rd&=".into()),
        },
        &options,
    );
    let source = result.unwrap();
    assert!(said.iter().all(|m| !m.contains("p@ss")));
    let first = &server.seen()[0];
    assert_eq!(first.path, "/contoso.onmicrosoft.com/oauth2/v2.0/token");
    assert_eq!(first.form["username"], "admin@contoso.com");
    assert_eq!(first.form["password"], "p@ss w0rd&=");
    assert_eq!(first.form["client_id"], DEFAULT_CLIENT_ID);
    assert!(first.form["scope"].ends_with("/.default offline_access"));

    assert_eq!(*run(source.bearer()).unwrap(), user_token(2));
    assert_eq!(*run(source.bearer()).unwrap(), user_token(3));
    // Fresh now: no more requests.
    assert_eq!(*run(source.bearer()).unwrap(), user_token(3));
    let grants: Vec<String> = server
        .seen()
        .iter()
        .map(|s| {
            format!(
                "{}:{}",
                s.form["grant_type"],
                s.form.get("refresh_token").map_or("", String::as_str)
            )
        })
        .collect();
    assert_eq!(
        grants,
        [
            "password:",
            "refresh_token:refresh-1",
            "refresh_token:refresh-2"
        ]
    );
    let renewal = &server.seen()[1];
    assert_eq!(renewal.form["client_id"], DEFAULT_CLIENT_ID);
    assert!(renewal.form["scope"].ends_with("/.default offline_access"));
    assert!(source.info().can_renew);
}

#[test]
fn many_callers_of_an_expired_token_share_one_renewal() {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refreshes);
    let server = Server::start(move |seen| match seen.form["grant_type"].as_str() {
        "password" => token_reply(&user_token(1), 0, Some("refresh-1")),
        _ => {
            counter.fetch_add(1, Ordering::SeqCst);
            thread::sleep(Duration::from_millis(300));
            token_reply(&user_token(2), 3600, Some("refresh-2"))
        }
    });
    let (result, _) = sign_in_now(
        Credential::Password {
            client_id: DEFAULT_CLIENT_ID.into(),
            username: "admin@contoso.com".into(),
            password: Zeroizing::new("pw".into()),
        },
        &options(&server),
    );
    let source = result.unwrap();
    let tokens = run(async {
        let calls = (0..8).map(|_| {
            let source = source.clone();
            tokio::spawn(async move { source.bearer().await.unwrap() })
        });
        let mut tokens = Vec::new();
        for call in calls.collect::<Vec<_>>() {
            tokens.push(call.await.unwrap());
        }
        tokens
    });
    assert!(tokens.iter().all(|t| **t == user_token(2)));
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
}

#[test]
fn mfa_accounts_are_told_that_credential_sign_in_cannot_work() {
    let server = Server::start(|_| {
        platform_error(
            "invalid_grant",
            50076,
            "Due to a configuration change made by your administrator, you must use multi-factor authentication.",
        )
    });
    let (result, _) = sign_in_now(
        Credential::Password {
            client_id: DEFAULT_CLIENT_ID.into(),
            username: "admin@contoso.com".into(),
            password: Zeroizing::new("secret-password".into()),
        },
        &options(&server),
    );
    let error = result.unwrap_err();
    assert_eq!(error.id(), "MfaRequired");
    assert!(error.message().contains("-Credential"));
    assert!(error.message().contains("AADSTS50076"));
    assert!(error.message().contains(CORRELATION));
    assert!(!error.message().contains("secret-password"));
    assert_eq!(error.http_status(), Some(400));
}

#[test]
fn consent_and_tenant_problems_keep_their_codes() {
    let server = Server::start(|seen| match seen.form["username"].as_str() {
        "consent@contoso.com" => platform_error(
            "invalid_grant",
            65001,
            "The user or administrator has not consented.",
        ),
        _ => platform_error("invalid_request", 90002, "Tenant 'nope.com' not found."),
    });
    let password = |username: &str| Credential::Password {
        client_id: DEFAULT_CLIENT_ID.into(),
        username: username.into(),
        password: Zeroizing::new("pw".into()),
    };
    let (result, _) = sign_in_now(password("consent@contoso.com"), &options(&server));
    assert_eq!(result.unwrap_err().id(), "ConsentRequired");
    let (result, _) = sign_in_now(password("x@nope.com"), &options(&server));
    let error = result.unwrap_err();
    assert_eq!(error.id(), "WrongTenant");
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(error.parameter(), Some("TenantId"));
}

#[test]
fn an_answer_that_is_not_oauth_is_reported_as_such() {
    let server = Server::start(|_| Reply(502, json!("bad gateway")));
    let (result, _) = sign_in_now(device_code(), &options(&server));
    let error = result.unwrap_err();
    assert_eq!(error.id(), "SignInServiceError");
    assert_eq!(error.http_status(), Some(502));
    let server = Server::start(|_| Reply(404, json!({"nothing": "here"})));
    let (result, _) = sign_in_now(device_code(), &options(&server));
    assert_eq!(result.unwrap_err().id(), "SignInResponseInvalid");
}

// ---------------------------------------------------------------- certificate

/// Checks an assertion as Entra ID would, against the certificate; panics on a mismatch.
fn verify_assertion(assertion: &str, audience: &str) -> String {
    let der = pem_der(CERT_PEM);
    let (_, certificate) = x509_parser::parse_x509_certificate(&der).unwrap();
    let (signed, signature) = assertion.rsplit_once('.').unwrap();
    UnparsedPublicKey::new(
        &RSA_PKCS1_2048_8192_SHA256,
        certificate.public_key().subject_public_key.data.as_ref(),
    )
    .verify(
        signed.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).unwrap(),
    )
    .expect("the assertion's signature verifies with the certificate");
    let part = |i: usize| -> Value {
        serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(signed.split('.').nth(i).unwrap())
                .unwrap(),
        )
        .unwrap()
    };
    let (header, claims) = (part(0), part(1));
    assert_eq!(header["alg"], "RS256");
    assert_eq!(
        header["x5t"],
        b64(digest(&SHA1_FOR_LEGACY_USE_ONLY, &der).as_ref())
    );
    assert_eq!(claims["aud"], audience);
    assert_eq!(claims["iss"], APP);
    assert_eq!(claims["sub"], APP);
    let issued = claims["nbf"].as_u64().unwrap();
    assert!(issued.abs_diff(now()) < 60);
    assert_eq!(claims["exp"].as_u64().unwrap(), issued + 600);
    claims["jti"].as_str().unwrap().to_owned()
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

fn certificate_server() -> Server {
    let issued = AtomicUsize::new(0);
    let base: Arc<Mutex<String>> = Arc::default();
    let server_base = Arc::clone(&base);
    let server = Server::start(move |seen| {
        let audience = format!("{}{}", server_base.lock().unwrap(), seen.path);
        assert_eq!(seen.form["grant_type"], "client_credentials");
        assert_eq!(seen.form["client_id"], APP);
        assert_eq!(
            seen.form["scope"],
            "https://contoso-admin.sharepoint.com/.default"
        );
        assert_eq!(
            seen.form["client_assertion_type"],
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        );
        assert!(!seen.form.contains_key("client_secret"));
        verify_assertion(&seen.form["client_assertion"], &audience);
        let n = issued.fetch_add(1, Ordering::SeqCst) as u32;
        // The first token is due at once, so the test sees a renewal.
        token_reply(&app_token(n), if n == 0 { 0 } else { 3600 }, None)
    });
    *base.lock().unwrap() = server.base.clone();
    server
}

#[test]
fn certificate_sign_in_sends_an_assertion_the_server_verifies_and_renews_with_a_new_one() {
    let server = certificate_server();
    let (result, said) = sign_in_now(
        Credential::Certificate {
            client_id: APP.into(),
            tenant_id: TENANT.into(),
            key: CertificateKey::Pem {
                certificate: CERT_PEM.into(),
                private_key: Zeroizing::new(KEY_PEM.into()),
            },
        },
        &options(&server),
    );
    let source = result.unwrap_or_else(|e| panic!("{}", e.message()));
    assert!(
        said.iter()
            .any(|m| m.contains("4066B9094E73136A10842E84CD1567689EC0A012"))
    );
    assert_eq!(
        server.seen()[0].path,
        format!("/{TENANT}/oauth2/v2.0/token")
    );
    assert_eq!(*run(source.bearer()).unwrap(), app_token(1));
    let jtis: Vec<String> = server
        .seen()
        .iter()
        .map(|s| {
            verify_assertion(
                &s.form["client_assertion"],
                &format!("{}{}", server.base, s.path),
            )
        })
        .collect();
    assert_eq!(jtis.len(), 2);
    assert_ne!(jtis[0], jtis[1]);
    let info = source.info();
    assert_eq!(info.method, SignInMethod::Certificate);
    assert_eq!(info.app_id.as_deref(), Some(APP));
    assert_eq!(info.account, None);
    assert_eq!(
        info.certificate_thumbprint.as_deref(),
        Some("4066B9094E73136A10842E84CD1567689EC0A012")
    );
    assert!(info.can_renew);
}

#[test]
fn certificate_sign_in_from_a_pfx_file() {
    let server = certificate_server();
    let (result, _) = sign_in_now(
        Credential::Certificate {
            client_id: APP.into(),
            tenant_id: "contoso.onmicrosoft.com".into(),
            key: CertificateKey::Pfx {
                bytes: Zeroizing::new(PFX.to_vec()),
                password: Some(Zeroizing::new("test-password".into())),
            },
        },
        &options(&server),
    );
    result.unwrap_or_else(|e| panic!("{}", e.message()));
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn a_rejected_certificate_gets_advice() {
    let server = Server::start(|_| {
        platform_error(
            "invalid_client",
            700027,
            "Client assertion failed signature validation.",
        )
    });
    let (result, _) = sign_in_now(
        Credential::Certificate {
            client_id: APP.into(),
            tenant_id: TENANT.into(),
            key: CertificateKey::Pem {
                certificate: CERT_PEM.into(),
                private_key: Zeroizing::new(KEY_PEM.into()),
            },
        },
        &options(&server),
    );
    let error = result.unwrap_err();
    assert_eq!(error.id(), "CertificateRejected");
    assert!(error.message().contains("Certificates & secrets"));
    assert!(!error.message().contains("eyJ"), "no assertion in messages");
}

// ---------------------------------------------------------------- managed identity

fn environment(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> + Sync {
    let map: HashMap<&str, String> = pairs.into_iter().collect();
    move |name| map.get(name).cloned()
}

#[test]
fn managed_identity_asks_the_endpoint_with_its_secret_header_and_again_on_renewal() {
    let issued = AtomicUsize::new(0);
    let server = Server::start(move |seen| {
        assert_eq!(seen.method, "GET");
        let n = issued.fetch_add(1, Ordering::SeqCst) as u32;
        // App Service sends expires_on as a string of Unix seconds; the first is due now.
        let expires_on = if n == 0 { now() } else { now() + 3600 };
        Reply(
            200,
            json!({"access_token": app_token(n), "expires_on": expires_on.to_string(),
                   "resource": seen.query["resource"], "token_type": "Bearer"}),
        )
    });
    let lookup = environment(vec![
        ("IDENTITY_ENDPOINT", format!("{}/msi/token", server.base)),
        ("IDENTITY_HEADER", "identity-header-secret".into()),
    ]);
    let progress = Progress::default();
    let source = run(sign_in_with_environment(
        Credential::ManagedIdentity {
            client_id: Some(APP.into()),
        },
        &options(&server),
        &progress,
        &lookup,
    ))
    .unwrap();
    assert_eq!(*run(source.bearer()).unwrap(), app_token(1));
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for request in &seen {
        assert_eq!(request.path, "/msi/token");
        assert_eq!(
            request.query["resource"],
            "https://contoso-admin.sharepoint.com"
        );
        assert_eq!(request.query["api-version"], "2019-08-01");
        assert_eq!(request.query["client_id"], APP);
        assert_eq!(
            request.headers["x-identity-header"],
            "identity-header-secret"
        );
    }
    let info = source.info();
    assert_eq!(info.method, SignInMethod::ManagedIdentity);
    assert_eq!(info.tenant_id.as_deref(), Some(TENANT));
    assert!(info.expires_on.unwrap() >= now() + 3590);
    assert!(!format!("{source:?}").contains("secret"));
}

#[test]
fn managed_identity_on_older_hosts_and_its_errors() {
    let server = Server::start(|seen| {
        if seen.query.contains_key("clientid") {
            return Reply(
                400,
                json!({"statusCode": 400, "message": "No managed identity with this client id."}),
            );
        }
        Reply(
            200,
            json!({"access_token": app_token(0), "expires_on": now() + 3600}),
        )
    });
    let lookup = environment(vec![
        ("MSI_ENDPOINT", format!("{}/msi/token", server.base)),
        ("MSI_SECRET", "msi-secret".into()),
    ]);
    let progress = Progress::default();
    let signed_in = run(sign_in_with_environment(
        Credential::ManagedIdentity { client_id: None },
        &options(&server),
        &progress,
        &lookup,
    ));
    signed_in.unwrap();
    let first = &server.seen()[0];
    assert_eq!(first.query["api-version"], "2017-09-01");
    assert_eq!(first.headers["secret"], "msi-secret");

    let error = run(sign_in_with_environment(
        Credential::ManagedIdentity {
            client_id: Some(APP.into()),
        },
        &options(&server),
        &progress,
        &lookup,
    ))
    .unwrap_err();
    assert_eq!(error.id(), "ManagedIdentityFailed");
    assert!(
        error
            .message()
            .contains("No managed identity with this client id.")
    );
    assert!(!error.message().contains("msi-secret"));

    let error = run(sign_in_with_environment(
        Credential::ManagedIdentity { client_id: None },
        &options(&server),
        &progress,
        &|_: &str| None,
    ))
    .unwrap_err();
    assert_eq!(error.id(), "ManagedIdentityUnavailable");
}
