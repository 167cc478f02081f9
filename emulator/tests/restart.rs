//! `--state`: tenants, relations and token validity survive a restart.

mod common;

use common::{Emulator, relation_list, role, status};
use serde_json::json;

#[test]
fn state_survives_a_restart_on_the_same_address() {
    let folder = tempfile::tempdir().unwrap();
    let state = folder.path().join("state.json");
    let state = state.to_str().unwrap();

    let mut first = Emulator::start(&[
        "--tenant", "contoso", "--tenant", "fabrikam", "--state", state,
    ]);
    first
        .relation_call(
            "contoso",
            "NewSPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    let listed_before = relation_list(
        &first
            .call("contoso", "GetSPOTenantOrgRelationAll", &[])
            .unwrap(),
    );
    let listen = first.listen();
    let old_token = first.token("contoso");
    let old_tenant_id = first.tenant_field("contoso", "tenantId");
    #[cfg(unix)]
    {
        let exit = first.terminate().expect("SIGTERM stops the emulator");
        assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
    }
    first.kill();
    drop(first);

    // The state file remembers the address, so the admin URLs (token audiences) stay the
    // same; neither --listen nor --tenant is needed.
    let second = restart(state);
    assert_eq!(second.listen(), listen);
    assert_eq!(second.tenant_field("contoso", "tenantId"), old_tenant_id);
    let listed_after = relation_list(
        &second
            .call("contoso", "GetSPOTenantOrgRelationAll", &[])
            .unwrap(),
    );
    assert_eq!(
        listed_after, listed_before,
        "relations and creation times survive"
    );

    let response = second
        .post_with_token(
            "contoso",
            &old_token,
            &common::request_xml(&common::method(3, "GetMySiteHostUrl", &[])),
        )
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "a token issued before the restart still works"
    );

    // The dormant period still counts from the original creation.
    let dormant = second
        .relation_call(
            "contoso",
            "VerifySPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    assert_eq!(dormant, json!(status::NOT_ESTABLISHED_BY_PARTNER));

    let saved = std::fs::read_to_string(state).unwrap();
    assert!(saved.contains("fabrikam-my"));
    assert!(
        !saved.contains(&old_token),
        "tokens themselves are not stored"
    );
}

/// Restarts on the port that was just freed; retries briefly in case it is still settling.
fn restart(state: &str) -> Emulator {
    let mut last_error = String::new();
    for _ in 0..20 {
        match Emulator::try_start(&["--state", state]) {
            Ok(emulator) => return emulator,
            Err(stderr) => last_error = stderr,
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the emulator did not restart: {last_error}");
}

#[test]
fn an_unreadable_state_file_stops_the_start_with_a_message() {
    let folder = tempfile::tempdir().unwrap();
    let state = folder.path().join("state.json");
    std::fs::write(&state, "{ not json").unwrap();
    let stderr = Emulator::try_start(&["--tenant", "contoso", "--state", state.to_str().unwrap()])
        .err()
        .expect("a corrupt state file refuses to start");
    assert!(stderr.contains("is not a state file"), "{stderr}");
}
