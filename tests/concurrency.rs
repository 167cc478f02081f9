//! Many threads share one connection, as runspaces of one PowerShell process share the
//! library: every call succeeds, and slow requests overlap instead of queueing behind a lock.

mod support;

use spo_crosstenant::ffi::*;
use std::time::{Duration, Instant};
use support::emulator::Emulator;
use support::*;

/// A connection handle may be used from any thread (the library documents it thread-safe).
#[derive(Clone, Copy)]
struct Shared(*mut spo_connection);
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn host_url(connection: Shared) -> (u32, String) {
    let outcome = call(connection.0, "GetMySiteHostUrl", &[]);
    (outcome.status, outcome.value)
}

#[test]
fn eight_threads_share_one_connection_and_their_requests_overlap() {
    let emulator = Emulator::start(&["--tenant", "contoso"]);
    let contoso = emulator.tenant("contoso");
    let connection = Shared(connect(&contoso.admin_url, &contoso.access_token, 0));

    let threads: Vec<_> = (0..8)
        .map(|_| {
            std::thread::spawn(move || (0..25).map(|_| host_url(connection)).collect::<Vec<_>>())
        })
        .collect();
    for thread in threads {
        for (status, value) in thread.join().unwrap() {
            assert_eq!(status, spo_status::Ok as u32);
            assert_eq!(value, contoso.host_url);
        }
    }
    assert_eq!(emulator.stats()["processQuery"], 200);

    // 8 requests that each take 400 ms: in sequence that is 3.2 s; overlapping, about 0.4 s.
    emulator.set_faults("latency:ms=400");
    let started = Instant::now();
    let threads: Vec<_> = (0..8)
        .map(|_| std::thread::spawn(move || host_url(connection)))
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().0, spo_status::Ok as u32);
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_millis(2400),
        "requests were serialised: {elapsed:?}"
    );
    unsafe { spo_connection_free(connection.0) };
}

/// The connection's description, as Get-SPOCrossTenantConnection reads it.
fn connection_info(connection: Shared) -> serde_json::Value {
    let mut result = std::ptr::null_mut();
    let status = unsafe { spo_connection_info(connection.0, &mut result) };
    let outcome = take(result);
    assert_eq!(status, spo_status::Ok);
    serde_json::from_str(&outcome.value).unwrap()
}

#[test]
fn a_burst_of_throttled_answers_holds_every_request_together_and_fails_none() {
    let emulator = Emulator::start(&["--tenant", "contoso"]);
    let contoso = emulator.tenant("contoso");
    let connection = Shared(connect(&contoso.admin_url, &contoso.access_token, 0));
    // 16 requests at once, 30 throttled answers with Retry-After: 1. Each request on its own
    // clock and attempt count would give up after five attempts; held together at one gate,
    // the burst costs a few holds of a second, and no request fails.
    emulator.set_faults("429:retry-after=1:count=30");
    let threads: Vec<_> = (0..16)
        .map(|_| std::thread::spawn(move || host_url(connection)))
        .collect();
    for thread in threads {
        let (status, value) = thread.join().unwrap();
        assert_eq!(status, spo_status::Ok as u32, "{value}");
    }
    let stats = emulator.stats();
    assert_eq!(stats["byStatus"]["429"], 30);
    assert_eq!(stats["byStatus"]["200"], 16);
    let throttle = &connection_info(connection)["throttle"];
    assert_eq!(throttle["throttledAnswers"], 30);
    assert_eq!(throttle["inFlight"], 0);
    assert!(
        throttle["limit"].as_u64().unwrap() < 16,
        "throttling lowered the limit: {throttle}"
    );
    unsafe { spo_connection_free(connection.0) };
}

#[test]
fn requests_overlap_no_further_than_a_tenant_that_takes_four_at_a_time_allows() {
    let emulator = Emulator::start(&["--tenant", "contoso"]);
    let contoso = emulator.tenant("contoso");
    let connection = Shared(connect(&contoso.admin_url, &contoso.access_token, 0));
    emulator.set_faults("latency:ms=50");
    emulator.set_faults("429:retry-after=1:in-flight=4");
    let threads: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || (0..8).map(|_| host_url(connection)).collect::<Vec<_>>())
        })
        .collect();
    for thread in threads {
        for (status, value) in thread.join().unwrap() {
            assert_eq!(status, spo_status::Ok as u32, "{value}");
        }
    }
    let limit = connection_info(connection)["throttle"]["limit"]
        .as_u64()
        .unwrap();
    assert!(limit <= 4, "the gate settled at {limit}");
    unsafe { spo_connection_free(connection.0) };
}

#[test]
fn ratelimit_headers_spread_requests_so_the_budget_is_not_overrun() {
    let emulator = Emulator::start(&["--tenant", "contoso"]);
    let contoso = emulator.tenant("contoso");
    let connection = Shared(connect(&contoso.admin_url, &contoso.access_token, 0));
    // A budget of 5 requests a second: from the 4th answer on, RateLimit headers say how
    // many are left until the second is over (1, then none).
    emulator.set_faults("429:retry-after=1:rps=5");
    let started = Instant::now();
    for _ in 0..8 {
        assert_eq!(host_url(connection).0, spo_status::Ok as u32);
    }
    // Sent as fast as answered, the 6th request would be refused; spread out, none is.
    assert_eq!(emulator.stats()["byStatus"].get("429"), None);
    assert!(started.elapsed() >= Duration::from_millis(900));
    unsafe { spo_connection_free(connection.0) };
}
