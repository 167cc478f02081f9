//! The floor under one module call, for `bench/Measure-Call.ps1`; not a test.
//!
//! Sends the same CSOM request `count` times to an admin site (the local emulator) in two ways
//! and prints the median microseconds per request of each, one `name value` line apiece:
//! - `raw_http_us`: a bare reqwest client posting the XML body (HTTP and the server, nothing else);
//! - `abi_call_us`: `spo_call` through the C ABI, as the module makes it (the engine on top).
//!
//! Usage: `call_floor <admin-url> <body.xml> <partner-host-url> <count>`, with the access token in
//! the environment variable `SPO_BENCH_ACCESS_TOKEN` (a command line is readable by other users).

use spo_crosstenant::ffi::{
    spo_call, spo_connection_free, spo_result, spo_result_free, spo_sign_in_begin,
    spo_sign_in_free, spo_sign_in_new, spo_sign_in_set, spo_status,
};
use std::ffi::{CString, c_char};
use std::time::Instant;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [admin_url, body_path, partner, count] = arguments.as_slice() else {
        eprintln!("usage: call_floor <admin-url> <body.xml> <partner-host-url> <count>");
        std::process::exit(2);
    };
    let token =
        std::env::var("SPO_BENCH_ACCESS_TOKEN").expect("SPO_BENCH_ACCESS_TOKEN holds the token");
    let token = token.as_str();
    // The engine installs rustls' ring provider on first use; the bare client below may come first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let count: usize = count.parse().expect("count is a number");
    let body = std::fs::read_to_string(body_path).expect("the body file is readable");
    println!(
        "raw_http_us {:.1}",
        median(raw_http(admin_url, token, &body, count))
    );
    println!(
        "abi_call_us {:.1}",
        median(abi_calls(admin_url, token, partner, count))
    );
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn raw_http(admin_url: &str, token: &str, body: &str, count: usize) -> Vec<f64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = reqwest::Client::builder().build().expect("an HTTP client");
    let url = format!(
        "{}/_vti_bin/client.svc/ProcessQuery",
        admin_url.trim_end_matches('/')
    );
    runtime.block_on(async {
        let mut times = Vec::with_capacity(count);
        for _ in 0..count {
            let started = Instant::now();
            let answer = client
                .post(&url)
                .bearer_auth(token)
                .header("content-type", "text/xml")
                .body(body.to_owned())
                .send()
                .await
                .expect("the emulator answers");
            let bytes = answer.bytes().await.expect("a body");
            assert!(!bytes.is_empty());
            times.push(started.elapsed().as_secs_f64() * 1e6);
        }
        times
    })
}

fn abi_calls(admin_url: &str, token: &str, partner: &str, count: usize) -> Vec<f64> {
    let admin = CString::new(admin_url).expect("no NUL");
    let setting = CString::new("AccessToken").expect("no NUL");
    let method = CString::new("NewSPOTenantOrgRelation").expect("no NUL");
    let texts = [
        CString::new("MnA").expect("no NUL"),
        CString::new("Target").expect("no NUL"),
        CString::new(partner).expect("no NUL"),
    ];
    let pointers: Vec<*const c_char> = texts.iter().map(|text| text.as_ptr()).collect();
    // SAFETY: every pointer handed over is live for the call; every record and handle the
    // library returns is released with its own free function before the next use.
    unsafe {
        let mut sign_in = std::ptr::null_mut();
        let mut record: *mut spo_result = std::ptr::null_mut();
        assert_eq!(
            spo_sign_in_new(admin.as_ptr(), &mut sign_in, &mut record),
            spo_status::Ok
        );
        spo_result_free(record);
        let status = spo_sign_in_set(
            sign_in,
            setting.as_ptr(),
            token.as_ptr(),
            token.len(),
            &mut record,
        );
        assert_eq!(status, spo_status::Ok, "the token is accepted");
        spo_result_free(record);
        let mut operation = std::ptr::null_mut();
        assert_eq!(
            spo_sign_in_begin(sign_in, 10_000, &mut operation, &mut record),
            spo_status::Ok
        );
        let connection = (*record).connection;
        spo_result_free(record);
        spo_sign_in_free(sign_in);

        let mut times = Vec::with_capacity(count);
        for _ in 0..count {
            let started = Instant::now();
            let status = spo_call(
                connection,
                method.as_ptr(),
                pointers.as_ptr(),
                pointers.len(),
                10_000,
                &mut operation,
                &mut record,
            );
            times.push(started.elapsed().as_secs_f64() * 1e6);
            assert_eq!(status, spo_status::Ok, "the call succeeds");
            spo_result_free(record);
        }
        spo_connection_free(connection);
        times
    }
}
