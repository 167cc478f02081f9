//! Test helpers: a one-shot HTTP server on 127.0.0.1 that answers with canned bytes and
//! records what it was sent, and small wrappers over the C ABI.

#![allow(dead_code)]

pub mod emulator;

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
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..n]);
        if let Some(end) = find(&data, b"\r\n\r\n") {
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

/// Takes a library string and frees it.
pub fn take_text(ptr: *mut c_char) -> String {
    assert!(!ptr.is_null());
    let text = unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned();
    unsafe { spo_string_free(ptr) };
    text
}

/// Reads one field of an error handle.
pub fn error_text(error: *const spo_error, field: spo_error_field) -> String {
    let mut out = std::ptr::null_mut();
    assert_eq!(
        unsafe { spo_error_text(error, field as u32, &mut out) },
        spo_status::Ok
    );
    take_text(out)
}

/// Signs in through the ABI with `settings`, returning the connection or the failure.
pub fn sign_in(
    admin_url: &str,
    settings: &[(spo_setting, &str)],
) -> Result<*mut spo_connection, (spo_status, *mut spo_error)> {
    let mut builder = std::ptr::null_mut();
    let mut error = std::ptr::null_mut();
    let status = unsafe { spo_sign_in_new(c(admin_url).as_ptr(), &mut builder, &mut error) };
    if status != spo_status::Ok {
        return Err((status, error));
    }
    for (setting, value) in settings {
        let status =
            unsafe { spo_sign_in_set(builder, *setting as u32, c(value).as_ptr(), &mut error) };
        assert_eq!(status, spo_status::Ok, "setting {setting:?}");
    }
    let mut operation = std::ptr::null_mut();
    let status = unsafe { spo_sign_in_begin(builder, &mut operation, &mut error) };
    unsafe { spo_sign_in_free(builder) };
    if status != spo_status::Ok {
        return Err((status, error));
    }
    let status = wait(operation);
    let result = if status == spo_status::Ok {
        let mut connection = std::ptr::null_mut();
        assert_eq!(
            unsafe { spo_operation_connection(operation, &mut connection) },
            spo_status::Ok
        );
        Ok(connection)
    } else {
        assert_eq!(
            unsafe { spo_operation_error(operation, &mut error) },
            spo_status::Ok
        );
        Err((status, error))
    };
    unsafe { spo_operation_free(operation) };
    result
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
    settings: &[(spo_setting, &str)],
) -> *mut spo_connection {
    let timeout = timeout_seconds.to_string();
    let mut all = vec![
        (spo_setting::AccessToken, token),
        (spo_setting::TimeoutSeconds, timeout.as_str()),
    ];
    all.extend_from_slice(settings);
    match sign_in(admin_url, &all) {
        Ok(connection) => connection,
        Err((status, error)) => panic!(
            "connect failed: {status:?} {}",
            error_text(error, spo_error_field::Message)
        ),
    }
}

/// Waits for an operation in short slices, as the PowerShell module does.
pub fn wait(operation: *const spo_operation) -> spo_status {
    for _ in 0..300 {
        let status = unsafe { spo_operation_wait(operation, 100) };
        if status != spo_status::Pending {
            return status;
        }
    }
    panic!("operation did not finish within 30 s");
}
