//! The engine against the local emulator through the C ABI: the documented two-tenant
//! workflow, server errors, token failures and retried throttling.

mod support;

use spo_crosstenant::ffi::*;
use support::emulator::{Emulator, Tenant};
use support::*;

fn connect_to(tenant: &Tenant) -> *mut spo_connection {
    connect(&tenant.admin_url, &tenant.access_token, 10)
}

/// Runs set, verify or remove (by server method name) for scenario MnA.
fn relation(connection: *mut spo_connection, command: &str, role: &str, url: &str) -> Outcome {
    call(connection, command, &["MnA", role, url])
}

const SET: &str = "NewSPOTenantOrgRelation";
const VERIFY: &str = "VerifySPOTenantOrgRelation";
const REMOVE: &str = "RemoveSPOTenantOrgRelation";
const HOST_URL: &str = "GetMySiteHostUrl";
const SOURCE: &str = "Source";
const TARGET: &str = "Target";

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
    let host = call(source, HOST_URL, &[]);
    assert!(host.is(spo_status::Ok));
    let source_host = host.value;
    assert_eq!(source_host, contoso.host_url);
    assert!(!host.correlation_id.is_empty());
    let target_host = call(target, HOST_URL, &[]).value;
    assert_eq!(target_host, fabrikam.host_url);

    // Step 3 on one side only: the partner has not answered yet.
    assert_eq!(
        relation(source, SET, TARGET, &target_host).status,
        spo_status::Ok as u32
    );
    assert_eq!(
        relation(source, VERIFY, TARGET, &target_host).value,
        "NotEstablishedByPartner",
        "NotEstablishedByPartner"
    );
    assert_eq!(
        relation(target, VERIFY, SOURCE, &source_host).value,
        "NotEstablished",
        "NotEstablished"
    );

    // Step 3 on the other side, then step 4 on both.
    assert_eq!(
        relation(target, SET, SOURCE, &source_host).status,
        spo_status::Ok as u32
    );
    assert_eq!(
        relation(source, VERIFY, TARGET, &target_host).value,
        "GoodToProceed",
        "GoodToProceed"
    );
    assert_eq!(
        relation(target, VERIFY, SOURCE, &source_host).value,
        "GoodToProceed",
        "GoodToProceed"
    );

    // The relation list names the partner.
    let list = call(source, "GetSPOTenantOrgRelationAll", &[]);
    assert!(list.is(spo_status::Ok));
    let list = list.value;
    let relations: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(relations[0]["PartnerRole"], "Target");
    assert_eq!(
        relations[0]["PartnerCrossTenantHostUrl"],
        target_host.as_str()
    );
    let by_partner = call(source, "GetSPOTenantOrgRelationByPartner", &[&target_host]);
    assert_eq!(by_partner.value, list);
    let by_scenario = call(
        source,
        "GetSPOTenantOrgRelationByScenario",
        &["MnA", TARGET],
    );
    assert_eq!(by_scenario.value, list);

    // Step 5: remove on both sides; verification falls back to NotEstablished.
    assert_eq!(
        relation(source, REMOVE, TARGET, &target_host).status,
        spo_status::Ok as u32
    );
    assert_eq!(
        relation(target, REMOVE, SOURCE, &source_host).status,
        spo_status::Ok as u32
    );
    assert_eq!(
        relation(source, VERIFY, TARGET, &target_host).value,
        "NotEstablished"
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
    relation(source, SET, TARGET, &fabrikam.host_url);
    relation(target, SET, SOURCE, &contoso.host_url);
    assert_eq!(
        relation(source, VERIFY, TARGET, &fabrikam.host_url).value,
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
    let refused = relation(connection, SET, TARGET, &contoso.host_url);
    assert!(refused.is(spo_status::ServerError));
    assert!(refused.sent);
    let (correlation, message) = (refused.correlation_id, refused.message);
    assert!(!correlation.is_empty());
    assert!(message.contains(&correlation), "{message}");
    assert!(message.contains("MnAPartnersOnTheSameFarm"), "{message}");
    assert!(!refused.server_error_code.is_empty());
    // Removing what does not exist.
    let fabrikam = emulator.tenant("fabrikam");
    let refused = relation(connection, REMOVE, TARGET, &fabrikam.host_url);
    assert!(refused.is(spo_status::ServerError));
    assert!(refused.message.contains("MnATrustNoSetupForPartner"));
    unsafe { spo_connection_free(connection) };
}

#[test]
fn a_token_for_another_tenant_is_refused_with_401_and_never_echoed() {
    let emulator = Emulator::start(&["--tenant", "contoso", "--tenant", "fabrikam"]);
    let (contoso, fabrikam) = (emulator.tenant("contoso"), emulator.tenant("fabrikam"));
    let connection = connect(&contoso.admin_url, &fabrikam.access_token, 10);
    let refused = call(connection, HOST_URL, &[]);
    assert!(refused.is(spo_status::Unauthorized));
    assert_eq!(refused.http_status, 401);
    let message = refused.message;
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
    let host = call(connection, HOST_URL, &[]);
    assert!(host.is(spo_status::Ok));
    assert_eq!(host.value, contoso.host_url);
    assert_eq!(host.progress.len(), 2, "{:?}", host.progress);
    assert_eq!(emulator.stats()["processQuery"], 3, "{}", emulator.stats());
    unsafe { spo_connection_free(connection) };
}
