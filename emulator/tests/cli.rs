//! Bad command lines fail fast with a message, before printing any start-up line.

mod common;

use common::Emulator;

fn refused(arguments: &[&str]) -> String {
    Emulator::try_start(arguments)
        .err()
        .unwrap_or_else(|| panic!("{arguments:?} should not start"))
}

#[test]
fn bad_usage_is_explained() {
    assert!(refused(&[]).contains("--tenant"));
    assert!(refused(&["--tenant", "con_toso"]).contains("letters and digits"));
    assert!(refused(&["--tenant", "contoso", "--https"]).contains("--cert-out"));
    assert!(refused(&["--tenant", "contoso", "--fault", "teapot"]).contains("unknown fault kind"));
    assert!(
        refused(&["--tenant", "contoso", "--dormant-period", "a while"])
            .contains("--dormant-period")
    );
    assert!(refused(&["--tenant", "contoso", "--listen", "0.0.0.0:0"]).contains("127.0.0.1"));
}

#[cfg(unix)]
#[test]
fn interrupt_shuts_down_cleanly() {
    let mut emulator = Emulator::start(&["--tenant", "contoso"]);
    let exit = emulator.signal("-INT").expect("SIGINT stops the emulator");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn the_log_file_gets_one_line_per_request() {
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("requests.log");
    let emulator = Emulator::start(&["--tenant", "contoso", "--log", log.to_str().unwrap()]);
    let body = common::request_xml(&common::method(3, "GetMySiteHostUrl", &[]));
    let response = emulator.post("contoso", &body).unwrap();
    let correlation = response.headers()["SPRequestGuid"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(response.status(), 200);
    let unauthenticated = emulator.post_with_token("contoso", "nope", &body).unwrap();
    assert_eq!(unauthenticated.status(), 401);

    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].ends_with(&format!(
            "POST contoso ProcessQuery[GetMySiteHostUrl] 200 {correlation}"
        )),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains(" 401 "), "{}", lines[1]);
    assert!(!text.contains(&emulator.token("contoso")));
    assert!(
        emulator.stderr().is_empty(),
        "nothing goes to stderr with --log"
    );
}
