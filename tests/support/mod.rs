//! Test helpers: a one-shot HTTP server on 127.0.0.1 that answers with canned bytes and
//! records what it was sent, and small wrappers over the C ABI.

#![allow(dead_code)]

pub mod emulator;
pub mod migration;

use spo_crosstenant::ffi::*;
use std::ffi::{CStr, CString, c_char};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// What the canned server received.
pub struct Received {
    pub head: String,
    pub body: String,
}

/// Serves `responses` one connection each, in order, then stops. Returns the base URL
/// and a channel of what each request carried.
pub fn canned_server(responses: Vec<Vec<u8>>) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sent, received) = mpsc::channel();
    thread::spawn(move || {
        for response in responses {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let request = read_request(&mut stream);
            let _ = sent.send(request);
            let _ = stream.write_all(&response);
            let _ = stream.flush();
        }
    });
    (base, received)
}

fn read_request(stream: &mut impl Read) -> Received {
    let mut data = Vec::new();
    let mut buffer = [0u8; 65536];
    // Where the head ends, once known: bodies of megabytes are not searched again per read.
    let mut head_end = None;
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..n]);
        if head_end.is_none() {
            head_end = find(&data, b"\r\n\r\n");
        }
        if let Some(end) = head_end {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                let body = String::from_utf8_lossy(&data[end + 4..end + 4 + length]).to_string();
                return Received { head, body };
            }
        }
    }
    Received {
        head: String::from_utf8_lossy(&data).to_string(),
        body: String::new(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An HTTP/1.1 response with a body, closing the connection.
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A successful CSOM answer with the given correlation id and results after the header.
pub fn csom_ok(correlation_id: &str, results: &str) -> Vec<u8> {
    let body = format!(
        r#"[{{"SchemaVersion":"15.0.0.0","LibraryVersion":"16.0.1.0","ErrorInfo":null,"TraceCorrelationId":"{correlation_id}"}}{results}]"#
    );
    http_response(
        "200 OK",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

pub fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// A result record read into Rust, the record itself already freed.
#[derive(Debug)]
pub struct Outcome {
    pub status: u32,
    pub sent: bool,
    pub http_status: u32,
    pub value: String,
    pub correlation_id: String,
    pub kind: String,
    pub error_id: String,
    pub message: String,
    pub server_message: String,
    pub server_error_code: String,
    pub server_error_type_name: String,
    pub parameter: String,
    /// Progress lines of this record only.
    pub progress: Vec<String>,
    pub connection: *mut spo_connection,
}

impl Outcome {
    pub fn is(&self, status: spo_status) -> bool {
        self.status == status as u32
    }
}

/// Reads a library text, checking the ptr/len/NUL contract.
pub fn text(text: &spo_text) -> String {
    if text.ptr.is_null() {
        assert_eq!(text.len, 0, "NULL text with a length");
        return String::new();
    }
    let bytes = unsafe { std::slice::from_raw_parts(text.ptr.cast::<u8>(), text.len + 1) };
    assert_eq!(bytes[text.len], 0, "text is not NUL-terminated");
    assert_eq!(
        unsafe { CStr::from_ptr(text.ptr) }.to_bytes().len(),
        text.len,
        "a NUL inside the text"
    );
    String::from_utf8(bytes[..text.len].to_vec()).expect("UTF-8")
}

/// Reads a record and frees it.
pub fn take(result: *mut spo_result) -> Outcome {
    assert!(!result.is_null(), "no record was written");
    let r = unsafe { &*result };
    assert_eq!(r.reserved, 0);
    let progress = text(&r.progress);
    let outcome = Outcome {
        status: r.status,
        sent: r.sent == 1,
        http_status: r.http_status,
        value: text(&r.value),
        correlation_id: text(&r.correlation_id),
        kind: text(&r.kind),
        error_id: text(&r.error_id),
        message: text(&r.message),
        server_message: text(&r.server_message),
        server_error_code: text(&r.server_error_code),
        server_error_type_name: text(&r.server_error_type_name),
        parameter: text(&r.parameter),
        progress: if progress.is_empty() {
            Vec::new()
        } else {
            progress.split('\n').map(str::to_owned).collect()
        },
        connection: r.connection,
    };
    unsafe { spo_result_free(result) };
    outcome
}

/// Waits for an operation in short slices, as the PowerShell module does, frees it, and
/// returns the final record with the progress lines of every record on the way.
pub fn finish(operation: *mut spo_operation) -> Outcome {
    let mut progress = Vec::new();
    for _ in 0..300 {
        let mut result = std::ptr::null_mut();
        let status = unsafe { spo_operation_wait(operation, 100, &mut result) };
        let mut outcome = take(result);
        assert_eq!(outcome.status, status as u32);
        progress.append(&mut outcome.progress);
        if status != spo_status::Pending {
            unsafe { spo_operation_free(operation) };
            outcome.progress = progress;
            return outcome;
        }
    }
    panic!("operation did not finish within 30 s");
}

/// Calls a command and waits for its end; progress lines of every record are collected.
pub fn call(connection: *const spo_connection, command: &str, arguments: &[&str]) -> Outcome {
    call_waiting(connection, command, arguments, 30_000)
}

/// As [`call`], letting the first native call wait `wait_ms`.
pub fn call_waiting(
    connection: *const spo_connection,
    command: &str,
    arguments: &[&str],
    wait_ms: u32,
) -> Outcome {
    let owned: Vec<CString> = arguments.iter().map(|a| c(a)).collect();
    let pointers: Vec<*const c_char> = owned.iter().map(|a| a.as_ptr()).collect();
    let mut operation = std::ptr::null_mut();
    let mut result = std::ptr::null_mut();
    let status = unsafe {
        spo_call(
            connection,
            c(command).as_ptr(),
            pointers.as_ptr(),
            pointers.len(),
            wait_ms,
            &mut operation,
            &mut result,
        )
    };
    let mut first = take(result);
    assert_eq!(first.status, status as u32);
    if status != spo_status::Pending {
        assert!(
            operation.is_null(),
            "a finished call handed over an operation"
        );
        return first;
    }
    assert!(!operation.is_null());
    let mut last = finish(operation);
    first.progress.append(&mut last.progress);
    last.progress = first.progress;
    last
}

/// Signs in through the ABI with settings given by name, returning the connection or the
/// failure record.
pub fn sign_in(
    admin_url: &str,
    settings: &[(&str, &str)],
) -> Result<*mut spo_connection, Box<Outcome>> {
    let mut builder = std::ptr::null_mut();
    let mut result = std::ptr::null_mut();
    let status = unsafe { spo_sign_in_new(c(admin_url).as_ptr(), &mut builder, &mut result) };
    let outcome = take(result);
    if status != spo_status::Ok {
        assert!(builder.is_null());
        return Err(Box::new(outcome));
    }
    for (name, value) in settings {
        let status = unsafe {
            spo_sign_in_set(
                builder,
                c(name).as_ptr(),
                value.as_ptr(),
                value.len(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, spo_status::Ok, "setting {name}");
    }
    let mut operation = std::ptr::null_mut();
    let mut result = std::ptr::null_mut();
    let status = unsafe { spo_sign_in_begin(builder, 0, &mut operation, &mut result) };
    unsafe { spo_sign_in_free(builder) };
    let first = take(result);
    let outcome = if status == spo_status::Pending {
        finish(operation)
    } else {
        assert!(operation.is_null());
        first
    };
    if outcome.is(spo_status::Ok) {
        assert!(!outcome.connection.is_null());
        Ok(outcome.connection)
    } else {
        assert!(outcome.connection.is_null());
        Err(Box::new(outcome))
    }
}

/// Connects with a pasted token, panicking on failure. A timeout of 0 means the default.
pub fn connect(admin_url: &str, token: &str, timeout_seconds: u32) -> *mut spo_connection {
    connect_with(admin_url, token, timeout_seconds, &[])
}

/// As [`connect`], with more settings.
pub fn connect_with(
    admin_url: &str,
    token: &str,
    timeout_seconds: u32,
    settings: &[(&str, &str)],
) -> *mut spo_connection {
    let timeout = timeout_seconds.to_string();
    let mut all = vec![("AccessToken", token), ("TimeoutSeconds", timeout.as_str())];
    all.extend_from_slice(settings);
    match sign_in(admin_url, &all) {
        Ok(connection) => connection,
        Err(outcome) => panic!("connect failed: {outcome:?}"),
    }
}
