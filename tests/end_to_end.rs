//! The engine against the local emulator through the C ABI: the documented two-tenant
//! workflow, server errors, token failures and retried throttling.

mod support;

use spo_crosstenant::ffi::*;
use std::ptr::null_mut;
use support::emulator::{Emulator, Tenant};
use support::*;

/// Runs one operation to completion; returns its status, value (or "") and correlation id.
fn run(
    begin: impl FnOnce(*mut *mut spo_operation) -> spo_status,
) -> (spo_status, String, String, Option<String>) {
    let mut operation = null_mut();
    assert_eq!(begin(&mut operation), spo_status::Ok, "begin failed");
    let status = wait(operation);
    let mut out = null_mut();
    let value = if unsafe { spo_operation_value(operation, &mut out) } == spo_status::Ok {
        take_text(out)
    } else {
        String::new()
    };
    assert_eq!(
        unsafe { spo_operation_correlation_id(operation, &mut out) },
        spo_status::Ok
    );
    let correlation = take_text(out);
    let message = (status != spo_status::Ok).then(|| {
        let mut error = null_mut();
        assert_eq!(
            unsafe { spo_operation_error(operation, &mut error) },
            spo_status::Ok
        );
        let message = error_text(error, spo_error_field::Message);
        unsafe { spo_error_free(error) };
        message
    });
    unsafe { spo_operation_free(operation) };
    (status, value, correlation, message)
}

fn connect_to(tenant: &Tenant) -> *mut spo_connection {
    connect(&tenant.admin_url, &tenant.access_token, 10)
}

/// The shape shared by the set, verify and remove exports.
type RelationBegin = unsafe extern "C" fn(
    *const spo_connection,
    u32,
    u32,
    *const std::ffi::c_char,
    *mut *mut spo_operation,
    *mut *mut spo_error,
) -> spo_status;

/// Runs set, verify or remove for scenario MnA.
fn relation(
    connection: *mut spo_connection,
    begin: RelationBegin,
    role: u32,
    url: &str,
) -> (spo_status, String, String, Option<String>) {
    let url = c(url);
    run(|op| unsafe { begin(connection, 1, role, url.as_ptr(), op, null_mut()) })
}

const SOURCE: u32 = 1;
const TARGET: u32 = 2;

#[test]
fn the_documented_two_tenant_workflow_reaches_good_to_proceed_and_back() {
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--dormant-period",
        "0s",
    ]);
    let (contoso, fabrikam) = (emulator.tenant("contoso"), emulator.tenant("fabrikam"));
    let (source, target) = (connect_to(&contoso), connect_to(&fabrikam));

    // Step 2: each side reads its own host URL.
    let (status, source_host, correlation, _) =
        run(|op| unsafe { spo_host_url_begin(source, op, null_mut()) });
    assert_eq!(
        (status, source_host.as_str()),
        (spo_status::Ok, contoso.host_url.as_str())
    );
    assert!(!correlation.is_empty());
    let (_, target_host, _, _) = run(|op| unsafe { spo_host_url_begin(target, op, null_mut()) });
    assert_eq!(target_host, fabrikam.host_url);

    // Step 3 on one side only: the partner has not answered yet.
    assert_eq!(
        relation(source, spo_relation_set_begin, TARGET, &target_host).0,
        spo_status::Ok
    );
    assert_eq!(
        relation(source, spo_relation_verify_begin, TARGET, &target_host).1,
        "1",
        "NotEstablishedByPartner"
    );
    assert_eq!(
        relation(target, spo_relation_verify_begin, SOURCE, &source_host).1,
        "0",
        "NotEstablished"
    );

    // Step 3 on the other side, then step 4 on both.
    assert_eq!(
        relation(target, spo_relation_set_begin, SOURCE, &source_host).0,
        spo_status::Ok
    );
    assert_eq!(
        relation(source, spo_relation_verify_begin, TARGET, &target_host).1,
        "4",
        "GoodToProceed"
    );
    assert_eq!(
        relation(target, spo_relation_verify_begin, SOURCE, &source_host).1,
        "4",
        "GoodToProceed"
    );

    // The relation list names the partner.
    let (status, list, _, _) = run(|op| unsafe { spo_relation_list_begin(source, op, null_mut()) });
    assert_eq!(status, spo_status::Ok);
    let relations: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(relations[0]["PartnerRole"], "Target");
    assert_eq!(
        relations[0]["PartnerCrossTenantHostUrl"],
        target_host.as_str()
    );
    let url = c(&target_host);
    let (_, by_partner, _, _) = run(|op| unsafe {
        spo_relation_list_by_partner_begin(source, url.as_ptr(), op, null_mut())
    });
    assert_eq!(by_partner, list);
    let (_, by_scenario, _, _) =
        run(|op| unsafe { spo_relation_list_by_scenario_begin(source, 1, TARGET, op, null_mut()) });
    assert_eq!(by_scenario, list);

    // Step 5: remove on both sides; verification falls back to NotEstablished.
    assert_eq!(
        relation(source, spo_relation_remove_begin, TARGET, &target_host).0,
        spo_status::Ok
    );
    assert_eq!(
        relation(target, spo_relation_remove_begin, SOURCE, &source_host).0,
        spo_status::Ok
    );
    assert_eq!(
        relation(source, spo_relation_verify_begin, TARGET, &target_host).1,
        "0"
    );
    unsafe {
        spo_connection_free(source);
        spo_connection_free(target);
    }
}

#[test]
fn a_new_relation_is_dormant_during_the_waiting_period() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--tenant", "fabrikam"]);
    let (contoso, fabrikam) = (emulator.tenant("contoso"), emulator.tenant("fabrikam"));
    let (source, target) = (connect_to(&contoso), connect_to(&fabrikam));
    relation(source, spo_relation_set_begin, TARGET, &fabrikam.host_url);
    relation(target, spo_relation_set_begin, SOURCE, &contoso.host_url);
    assert_eq!(
        relation(
            source,
            spo_relation_verify_begin,
            TARGET,
            &fabrikam.host_url
        )
        .1,
        "2",
        "Dormant"
    );
    unsafe {
        spo_connection_free(source);
        spo_connection_free(target);
    }
}

#[test]
fn server_side_refusals_surface_message_and_correlation_id() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--tenant", "fabrikam"]);
    let contoso = emulator.tenant("contoso");
    let connection = connect_to(&contoso);
    // Naming yourself as partner passes our checks (it is a host URL) but the server refuses it.
    let (status, _, correlation, message) = relation(
        connection,
        spo_relation_set_begin,
        TARGET,
        &contoso.host_url,
    );
    assert_eq!(status, spo_status::ServerError);
    assert!(!correlation.is_empty());
    let message = message.unwrap();
    assert!(message.contains(&correlation), "{message}");
    assert!(message.contains("MnAPartnersOnTheSameFarm"), "{message}");
    // Removing what does not exist.
    let fabrikam = emulator.tenant("fabrikam");
    let (status, _, _, message) = relation(
        connection,
        spo_relation_remove_begin,
        TARGET,
        &fabrikam.host_url,
    );
    assert_eq!(status, spo_status::ServerError);
    assert!(message.unwrap().contains("MnATrustNoSetupForPartner"));
    unsafe { spo_connection_free(connection) };
}

#[test]
fn a_token_for_another_tenant_is_refused_with_401_and_never_echoed() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--tenant", "fabrikam"]);
    let (contoso, fabrikam) = (emulator.tenant("contoso"), emulator.tenant("fabrikam"));
    let connection = connect(&contoso.admin_url, &fabrikam.access_token, 10);
    let (status, _, _, message) =
        run(|op| unsafe { spo_host_url_begin(connection, op, null_mut()) });
    assert_eq!(status, spo_status::Unauthorized);
    let message = message.unwrap();
    assert!(message.contains("Connect-SPOService"), "{message}");
    assert!(!message.contains(&fabrikam.access_token));
    unsafe { spo_connection_free(connection) };
}

#[test]
fn throttling_from_the_emulator_is_retried_until_it_succeeds() {
    let emulator = Emulator::start(&["--tenant", "contoso"]);
    emulator.set_faults("429:retry-after=0:count=2");
    let contoso = emulator.tenant("contoso");
    let connection = connect_to(&contoso);
    let (status, value, _, _) = run(|op| unsafe { spo_host_url_begin(connection, op, null_mut()) });
    assert_eq!(
        (status, value.as_str()),
        (spo_status::Ok, contoso.host_url.as_str())
    );
    assert_eq!(emulator.stats()["processQuery"], 3, "{}", emulator.stats());
    unsafe { spo_connection_free(connection) };
}
