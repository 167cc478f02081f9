//! `--https`: a self-signed certificate for 127.0.0.1 and localhost, made at start-up.
//!
//! The certificate (not the key) is written as PEM so a client can trust exactly it.

use std::path::Path;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use crate::tenant::persistence::write_atomically;

/// The names the certificate covers: the ones our URLs use.
const SUBJECT_NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

pub fn self_signed_acceptor(certificate_out: &Path) -> Result<TlsAcceptor, String> {
    let names: Vec<String> = SUBJECT_NAMES.iter().map(|name| name.to_string()).collect();
    let generated = rcgen::generate_simple_self_signed(names)
        .map_err(|error| format!("cannot generate a certificate: {error}"))?;
    write_atomically(certificate_out, generated.cert.pem().as_bytes()).map_err(|error| {
        format!(
            "cannot write the certificate to {}: {error}",
            certificate_out.display()
        )
    })?;

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        generated.signing_key.serialize_der(),
    ));
    // The ring provider is chosen explicitly: nothing else in this process installs one.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("cannot configure TLS: {error}"))?
        .with_no_client_auth()
        .with_single_cert(vec![generated.cert.der().clone()], key)
        .map_err(|error| format!("cannot use the generated certificate: {error}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_pem_certificate() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("cert.pem");
        self_signed_acceptor(&path).unwrap();
        let pem = std::fs::read_to_string(&path).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(!pem.contains("PRIVATE KEY"));
    }
}
