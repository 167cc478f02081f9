//! TLS end to end: the engine talks HTTPS to the emulator, trusting the emulator's freshly
//! generated certificate through the OS trust store settings (SSL_CERT_FILE), and refuses
//! it when it is not trusted. A test binary of its own, because it sets the environment.

mod support;

use spo_crosstenant::ffi::*;
use support::emulator::Emulator;
use support::*;

fn host_url_status(admin_url: &str, token: &str) -> (u32, String) {
    let connection = connect(admin_url, token, 10);
    let outcome = call(connection, "GetMySiteHostUrl", &[]);
    unsafe { spo_connection_free(connection) };
    (outcome.status, outcome.error_id)
}

#[test]
fn https_works_with_a_trusted_certificate_and_fails_cleanly_without_it() {
    let folder = std::env::temp_dir().join(format!("spo-https-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let pem = folder.join("emulator.pem");
    let emulator = Emulator::start(&[
        "--tenant",
        "contoso",
        "--https",
        "--cert-out",
        pem.to_str().unwrap(),
    ]);
    let contoso = emulator.tenant("contoso");
    assert!(contoso.admin_url.starts_with("https://127.0.0.1:"));

    // Not trusted yet: the OS store does not know the emulator's certificate.
    let untrusted = folder.join("empty.pem");
    std::fs::write(&untrusted, "").unwrap();
    // SAFETY: this test binary has a single test, so no other thread reads the environment.
    unsafe { std::env::set_var("SSL_CERT_FILE", &untrusted) };
    assert_eq!(
        host_url_status(&contoso.admin_url, &contoso.access_token),
        (spo_status::Network as u32, "Tls".into())
    );

    // Trusted: each connection builds its own verifier, which reads the store anew.
    unsafe { std::env::set_var("SSL_CERT_FILE", &pem) };
    assert_eq!(
        host_url_status(&contoso.admin_url, &contoso.access_token),
        (spo_status::Ok as u32, String::new())
    );
    let _ = std::fs::remove_dir_all(&folder);
}
