//! Starts the workspace's `spo-emulator` on 127.0.0.1 for a test and stops it on drop.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Once;

/// One tenant as the emulator's first stdout line describes it.
pub struct Tenant {
    pub admin_url: String,
    pub host_url: String,
    pub access_token: String,
}

pub struct Emulator {
    child: Child,
    pub base: String,
    pub startup: serde_json::Value,
}

impl Emulator {
    /// Starts the emulator with `args` plus a listen address on loopback. `cargo test
    /// --workspace` builds the emulator binary alongside this test; when it is missing
    /// (e.g. `cargo test -p spo-crosstenant` on a fresh tree) it is built here once.
    pub fn start(args: &[&str]) -> Emulator {
        static BUILD: Once = Once::new();
        let binary = target_dir().join("debug").join("spo-emulator");
        BUILD.call_once(|| {
            if binary.exists() {
                return;
            }
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", "spo-emulator"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building spo-emulator failed");
        });
        let mut child = Command::new(&binary)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", binary.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let startup: serde_json::Value = serde_json::from_str(&line).expect("first line is JSON");
        let base = format!("http://{}", startup["listen"].as_str().unwrap());
        Emulator {
            child,
            base,
            startup,
        }
    }

    pub fn tenant(&self, name: &str) -> Tenant {
        let t = &self.startup["tenants"][name];
        Tenant {
            admin_url: t["adminUrl"].as_str().unwrap().to_owned(),
            host_url: t["hostUrl"].as_str().unwrap().to_owned(),
            access_token: t["accessToken"].as_str().unwrap().to_owned(),
        }
    }

    /// Number of ProcessQuery requests the emulator has seen, from its stats endpoint.
    pub fn stats(&self) -> serde_json::Value {
        let body = http_request("GET", &format!("{}/_emulator/stats", self.base), "");
        serde_json::from_str(&body).unwrap()
    }

    /// Disarms every fault and zeroes the request counters.
    pub fn clear_faults_and_stats(&self) {
        http_request("DELETE", &format!("{}/_emulator/faults", self.base), "");
        http_request("DELETE", &format!("{}/_emulator/stats", self.base), "");
    }

    /// Arms faults through the control endpoint (one spec per line).
    pub fn set_faults(&self, specs: &str) {
        http_request("POST", &format!("{}/_emulator/faults", self.base), specs);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// A minimal HTTP/1.1 client for the control endpoints (no library under test involved).
fn http_request(method: &str, url: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, payload) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    assert!(head.starts_with("HTTP/1.1 2"), "{method} {url}: {head}");
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(payload)
    } else {
        payload.to_owned()
    }
}

fn dechunk(mut data: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = data.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        data = &rest[size + 2..];
    }
    out
}
