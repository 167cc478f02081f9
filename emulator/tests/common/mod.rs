//! Test harness: starts the real `spo-emulator` binary and talks to it over HTTP.
//! Each test gets its own emulator on a free loopback port; dropping it kills the process.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Once};
use std::thread;
use std::time::Duration;

use reqwest::blocking::{Client, Response};
use serde_json::Value;

/// The SharePoint Online Management Shell's public client id, which the engine uses.
pub const PUBLIC_CLIENT: &str = "9bc3ab49-b65d-410a-85ad-de819febfddc";
pub const TENANT_TYPE_ID: &str = "{268004ae-ef6b-4e9b-8425-127220d84719}";
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

pub struct Emulator {
    child: Child,
    pub startup: Value,
    stderr: Arc<Mutex<String>>,
    pub client: Client,
}

impl Emulator {
    pub fn start(arguments: &[&str]) -> Emulator {
        Self::try_start(arguments)
            .unwrap_or_else(|stderr| panic!("emulator did not start: {stderr}"))
    }

    /// Starts the emulator; `Err` carries its stderr when no start-up line came.
    pub fn try_start(arguments: &[&str]) -> Result<Emulator, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spo-emulator"))
            .args(arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the emulator binary starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let stderr = stderr.clone();
            let mut pipe = child.stderr.take().unwrap();
            thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                while let Ok(read) = pipe.read(&mut buffer) {
                    if read == 0 {
                        break;
                    }
                    stderr
                        .lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buffer[..read]));
                }
            });
        }
        let (sender, receiver) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(STARTUP_TIMEOUT).unwrap_or_default();
        if line.trim().is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            thread::sleep(Duration::from_millis(100));
            return Err(stderr.lock().unwrap().clone());
        }
        let startup: Value = serde_json::from_str(&line).expect("the start-up line is JSON");
        let client = match startup.get("certificate").and_then(Value::as_str) {
            Some(path) => client_trusting(Path::new(path)),
            None => plain_client(),
        };
        Ok(Emulator {
            child,
            startup,
            stderr,
            client,
        })
    }

    pub fn listen(&self) -> String {
        self.startup["listen"].as_str().unwrap().to_string()
    }

    pub fn tenant_field(&self, tenant: &str, field: &str) -> String {
        self.startup["tenants"][tenant][field]
            .as_str()
            .unwrap_or_else(|| panic!("start-up line lacks {tenant}.{field}: {}", self.startup))
            .to_string()
    }

    pub fn admin_url(&self, tenant: &str) -> String {
        self.tenant_field(tenant, "adminUrl")
    }

    pub fn host_url(&self, tenant: &str) -> String {
        self.tenant_field(tenant, "hostUrl")
    }

    pub fn token(&self, tenant: &str) -> String {
        self.tenant_field(tenant, "accessToken")
    }

    pub fn base_url(&self) -> String {
        let admin = self.admin_url(self.first_tenant().as_str());
        admin[..admin.rfind('/').unwrap()].to_string()
    }

    pub fn first_tenant(&self) -> String {
        self.startup["tenants"]
            .as_object()
            .unwrap()
            .keys()
            .next()
            .unwrap()
            .clone()
    }

    pub fn process_query_url(&self, tenant: &str) -> String {
        format!(
            "{}/_vti_bin/client.svc/ProcessQuery",
            self.admin_url(tenant)
        )
    }

    /// POSTs a CSOM body with the tenant's own admin token.
    pub fn post(&self, tenant: &str, body: &str) -> reqwest::Result<Response> {
        self.post_with_token(tenant, &self.token(tenant), body)
    }

    pub fn post_with_token(
        &self,
        tenant: &str,
        token: &str,
        body: &str,
    ) -> reqwest::Result<Response> {
        self.client
            .post(self.process_query_url(tenant))
            .bearer_auth(token)
            .header("Content-Type", "text/xml")
            .body(body.to_string())
            .send()
    }

    /// Runs actions on the tenant and returns the parsed JSON answer (HTTP 200 expected).
    pub fn csom(&self, tenant: &str, actions: &str) -> Value {
        let response = self
            .post(tenant, &request_xml(actions))
            .expect("ProcessQuery answers");
        assert_eq!(response.status(), 200);
        response.json().expect("the answer is JSON")
    }

    /// Calls one method and returns its value (or the ErrorInfo as `Err`).
    pub fn call(&self, tenant: &str, method_name: &str, arguments: &[Arg]) -> Result<Value, Value> {
        let answer = self.csom(tenant, &method(3, method_name, arguments));
        let header = &answer[0];
        if !header["ErrorInfo"].is_null() {
            return Err(header["ErrorInfo"].clone());
        }
        Ok(answer.get(2).cloned().unwrap_or(Value::Null))
    }

    /// Reads the client object list a method returns: its items (or the ErrorInfo as `Err`).
    pub fn list(
        &self,
        tenant: &str,
        method_name: &str,
        arguments: &[Arg],
    ) -> Result<Vec<Value>, Value> {
        let response = self
            .post(tenant, &list_request_xml(method_name, arguments))
            .expect("ProcessQuery answers");
        assert_eq!(response.status(), 200);
        let answer: Value = response.json().expect("the answer is JSON");
        if !answer[0]["ErrorInfo"].is_null() {
            return Err(answer[0]["ErrorInfo"].clone());
        }
        assert_eq!(answer[1], 2);
        assert_eq!(answer[3], 5);
        assert_eq!(answer[5], 3, "the list answers the query's id");
        Ok(answer[6]["_Child_Items_"]
            .as_array()
            .expect("a client object list")
            .clone())
    }

    pub fn relation_call(
        &self,
        tenant: &str,
        method_name: &str,
        role: i64,
        partner: &str,
    ) -> Result<Value, Value> {
        let partner_url = self.host_url(partner);
        self.call(
            tenant,
            method_name,
            &[Arg::Enum(1), Arg::Enum(role), Arg::Str(&partner_url)],
        )
    }

    /// Contoso names fabrikam its Target, fabrikam names contoso its Source.
    pub fn trust_both_ways(&self) {
        self.relation_call(
            "contoso",
            "NewSPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
        self.relation_call(
            "fabrikam",
            "NewSPOTenantOrgRelation",
            role::SOURCE,
            "contoso",
        )
        .unwrap();
    }

    pub fn control(&self, method: reqwest::Method, path: &str, body: Option<&str>) -> (u16, Value) {
        let url = format!("{}/_emulator/{path}", self.base_url());
        let mut request = self.client.request(method, url);
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().expect("control endpoint answers");
        let status = response.status().as_u16();
        (status, response.json().unwrap_or(Value::Null))
    }

    /// The identity endpoints' base URL (`authority` in the start-up line).
    pub fn authority(&self) -> String {
        self.tenant_field(&self.first_tenant(), "authority")
    }

    /// POSTs a form to `{authority}/{path}`; the status and the JSON answer.
    pub fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/{path}", self.authority()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(pairs))
            .send()
            .expect("the identity endpoint answers");
        let status = response.status().as_u16();
        (status, response.json().unwrap_or(Value::Null))
    }

    /// `grant_type=password` at `{tenant}`, for `{resource}/.default offline_access`.
    pub fn password_sign_in(
        &self,
        tenant: &str,
        user: &str,
        password: &str,
        resource: &str,
    ) -> (u16, Value) {
        let scope = format!("{resource}/.default offline_access");
        self.post_form(
            &format!("{tenant}/oauth2/v2.0/token"),
            &[
                ("grant_type", "password"),
                ("client_id", PUBLIC_CLIENT),
                ("scope", &scope),
                ("username", user),
                ("password", password),
            ],
        )
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits (at most two seconds) until stderr contains `text`, then returns all of it.
    pub fn stderr_once_it_contains(&self, text: &str) -> String {
        for _ in 0..40 {
            let stderr = self.stderr();
            if stderr.contains(text) {
                return stderr;
            }
            thread::sleep(Duration::from_millis(50));
        }
        self.stderr()
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM (on Unix) and waits, bounded, for the exit.
    #[cfg(unix)]
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        self.signal("-TERM")
    }

    /// Sends a signal (`-TERM`, `-INT`) with kill(1) and waits up to five seconds for the exit.
    #[cfg(unix)]
    pub fn signal(&mut self, signal: &str) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.kill();
    }
}

fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

pub fn plain_client() -> Client {
    install_crypto_provider();
    Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("a client")
}

pub fn client_trusting(pem_path: &Path) -> Client {
    install_crypto_provider();
    let pem = std::fs::read(pem_path).expect("the certificate file exists");
    let certificate = reqwest::Certificate::from_pem(&pem).expect("a PEM certificate");
    Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .tls_certs_only([certificate])
        .build()
        .expect("a client")
}

pub enum Arg<'a> {
    Enum(i64),
    Str(&'a str),
    Bool(bool),
    Int32(i64),
    UInt32(u64),
    Guid(&'a str),
    DateTime(&'a str),
    Strings(&'a [String]),
}

/// A `<Method>` action on the Tenant object (object path 1).
pub fn method(id: u32, name: &str, arguments: &[Arg]) -> String {
    format!(
        r#"<Method Name="{name}" Id="{id}" ObjectPathId="1"><Parameters>{}</Parameters></Method>"#,
        parameters(arguments)
    )
}

/// A request that reads the client object list a Tenant method returns: the method is object
/// path 4, and action 3 queries it with its items.
pub fn list_request_xml(name: &str, arguments: &[Arg]) -> String {
    format!(
        concat!(
            r#"<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="spo-emulator tests">"#,
            r#"<Actions><ObjectPath Id="2" ObjectPathId="1" /><ObjectPath Id="5" ObjectPathId="4" /><Query Id="3" ObjectPathId="4">"#,
            r#"<Query SelectAllProperties="true"><Properties /></Query><ChildItemQuery SelectAllProperties="true"><Properties /></ChildItemQuery></Query></Actions>"#,
            r#"<ObjectPaths><Constructor Id="1" TypeId="{}" /><Method Id="4" ParentId="1" Name="{}"><Parameters>{}</Parameters></Method></ObjectPaths></Request>"#
        ),
        TENANT_TYPE_ID,
        name,
        parameters(arguments)
    )
}

fn parameters(arguments: &[Arg]) -> String {
    arguments
        .iter()
        .map(|argument| match argument {
            Arg::Enum(number) => format!(r#"<Parameter Type="Enum">{number}</Parameter>"#),
            Arg::Str(text) => format!(r#"<Parameter Type="String">{}</Parameter>"#, escape(text)),
            Arg::Bool(value) => format!(r#"<Parameter Type="Boolean">{value}</Parameter>"#),
            Arg::Int32(value) => format!(r#"<Parameter Type="Int32">{value}</Parameter>"#),
            Arg::UInt32(value) => format!(r#"<Parameter Type="UInt32">{value}</Parameter>"#),
            Arg::Guid(value) => format!(r#"<Parameter Type="Guid">{{{value}}}</Parameter>"#),
            Arg::DateTime(value) => format!(r#"<Parameter Type="DateTime">{value}</Parameter>"#),
            Arg::Strings(items) => {
                let objects: String = items
                    .iter()
                    .map(|item| format!(r#"<Object Type="String">{}</Object>"#, escape(item)))
                    .collect();
                format!(r#"<Parameter Type="Array">{objects}</Parameter>"#)
            }
        })
        .collect()
}

/// A full request with the Tenant constructor as object path 1.
pub fn request_xml(actions: &str) -> String {
    format!(
        r#"<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="spo-emulator tests"><Actions>{actions}</Actions><ObjectPaths><Constructor Id="1" TypeId="{TENANT_TYPE_ID}" /></ObjectPaths></Request>"#
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Parses the relation list string that the Get methods return.
pub fn relation_list(value: &Value) -> Vec<Value> {
    serde_json::from_str(value.as_str().expect("the list is a string")).expect("the list is JSON")
}

pub mod status {
    pub const NOT_ESTABLISHED: i64 = 0;
    pub const NOT_ESTABLISHED_BY_PARTNER: i64 = 1;
    pub const DORMANT: i64 = 2;
    pub const DORMANT_BY_PARTNER: i64 = 3;
    pub const GOOD_TO_PROCEED: i64 = 4;
    pub const COULD_NOT_CONTACT_PARTNER: i64 = 5;
}

pub mod role {
    pub const SOURCE: i64 = 1;
    pub const TARGET: i64 = 2;
}

/// An `application/x-www-form-urlencoded` body.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

/// The payload of a JWT-shaped token, unchecked.
pub fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}
