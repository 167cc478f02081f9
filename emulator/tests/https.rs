//! `--https`: the emulator serves TLS with a certificate the client can trust from the PEM.

mod common;

use common::{Emulator, role, status};
use serde_json::json;

#[test]
fn https_end_to_end_with_the_written_certificate() {
    let folder = tempfile::tempdir().unwrap();
    let pem = folder.path().join("emulator.pem");
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--tenant",
        "fabrikam",
        "--https",
        "--cert-out",
        pem.to_str().unwrap(),
        "--dormant-period",
        "0s",
    ]);
    let certificate = emulator.startup["certificate"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(certificate.ends_with("emulator.pem"), "{certificate}");
    assert!(
        std::fs::read_to_string(&certificate)
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    assert!(
        emulator
            .admin_url("contoso")
            .starts_with("https://127.0.0.1:")
    );
    assert!(
        emulator
            .host_url("fabrikam")
            .starts_with("https://127.0.0.1:")
    );

    emulator.trust_both_ways();
    let verified = emulator
        .relation_call(
            "contoso",
            "VerifySPOTenantOrgRelation",
            role::TARGET,
            "fabrikam",
        )
        .unwrap();
    assert_eq!(verified, json!(status::GOOD_TO_PROCEED));

    // A client that does not trust the certificate is refused at the TLS layer.
    let untrusting = common::plain_client();
    assert!(
        untrusting
            .get(emulator.admin_url("contoso"))
            .send()
            .is_err()
    );
}
