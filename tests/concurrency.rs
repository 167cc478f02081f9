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
