//! The emulator's fault injection drives one table: each fault, the outcome the engine must
//! reach (retried then succeeded, or failed with the right kind and id), and how many
//! requests it may send to get there.

mod support;

use spo_crosstenant::ffi::*;
use support::emulator::Emulator;
use support::*;

struct Case {
    fault: &'static str,
    /// Settings beyond the token: timeouts and retry limits.
    settings: &'static [(&'static str, &'static str)],
    status: spo_status,
    /// The error id, for failures.
    id: &'static str,
    requests: u64,
}

const CASES: &[Case] = &[
    Case {
        fault: "429:retry-after=0:count=2",
        settings: &[],
        status: spo_status::Ok,
        id: "",
        requests: 3,
    },
    Case {
        fault: "503:retry-after=0:count=1",
        settings: &[],
        status: spo_status::Ok,
        id: "",
        requests: 2,
    },
    Case {
        fault: "429:retry-after=0",
        settings: &[("MaxAttempts", "3")],
        status: spo_status::Throttled,
        id: "Throttled",
        requests: 3,
    },
    Case {
        // The server asks for longer than the retry budget allows: give up at once.
        fault: "503:retry-after=30",
        settings: &[("MaxRetrySeconds", "5")],
        status: spo_status::Throttled,
        id: "Throttled",
        requests: 1,
    },
    Case {
        fault: "latency:ms=200",
        settings: &[("TimeoutSeconds", "5")],
        status: spo_status::Ok,
        id: "",
        requests: 1,
    },
    Case {
        fault: "latency:ms=2500",
        settings: &[("TimeoutSeconds", "1")],
        status: spo_status::Timeout,
        id: "Timeout",
        requests: 1,
    },
    // A dropped connection may have reached the server: never resent.
    Case {
        fault: "drop:count=1",
        settings: &[],
        status: spo_status::Network,
        id: "Network",
        requests: 1,
    },
    Case {
        fault: "html:count=1",
        settings: &[],
        status: spo_status::HttpError,
        id: "ServiceError",
        requests: 1,
    },
    Case {
        fault: "truncated:count=1",
        settings: &[],
        status: spo_status::InvalidResponse,
        id: "NonJsonResponse",
        requests: 1,
    },
    Case {
        fault: "not-json:count=1",
        settings: &[],
        status: spo_status::InvalidResponse,
        id: "NonJsonResponse",
        requests: 1,
    },
];

#[test]
fn every_fault_ends_in_its_expected_outcome_with_a_bounded_number_of_requests() {
    let emulator = Emulator::start(&["--tenant", "contoso"]);
    let contoso = emulator.tenant("contoso");
    for case in CASES {
        emulator.clear_faults_and_stats();
        emulator.set_faults(case.fault);
        let connection = connect_with(&contoso.admin_url, &contoso.access_token, 0, case.settings);
        let outcome = call(connection, "GetMySiteHostUrl", &[]);
        assert!(outcome.is(case.status), "{}: {outcome:?}", case.fault);
        if case.status == spo_status::Ok {
            assert_eq!(outcome.value, contoso.host_url, "{}", case.fault);
        } else {
            assert_eq!(outcome.error_id, case.id, "{}", case.fault);
            assert!(outcome.value.is_empty());
        }
        assert_eq!(
            emulator.stats()["processQuery"],
            case.requests,
            "{}: {}",
            case.fault,
            emulator.stats()
        );
        unsafe { spo_connection_free(connection) };
    }
}
