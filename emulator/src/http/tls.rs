//! `--https`: the listener's TLS. Alone, a self-signed certificate for 127.0.0.1 and
//! localhost, made at start-up; with `--proxy`, a certificate for the same names from the
//! rehearsal CA, so that one trusted file covers both.
//!
//! The self-signed certificate (not the key) is written as PEM so a client can trust exactly it.

use std::path::Path;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use super::certificate_authority::CertificateAuthority;
use crate::tenant::persistence::write_atomically;

/// The names the certificate covers: the ones our URLs use.
const SUBJECT_NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

fn subject_names() -> Vec<String> {
    SUBJECT_NAMES.iter().map(|name| name.to_string()).collect()
}

pub fn self_signed_acceptor(certificate_out: &Path) -> Result<TlsAcceptor, String> {
    let generated = rcgen::generate_simple_self_signed(subject_names())
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
    let config = server_config(generated.cert.der().clone(), key)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The listener's TLS with a certificate from the rehearsal CA (`--https` with `--proxy`).
pub fn acceptor_from(authority: &CertificateAuthority) -> Result<TlsAcceptor, String> {
    Ok(TlsAcceptor::from(
        authority.server_config(&subject_names())?,
    ))
}

/// A TLS server configuration serving HTTP/1.1 with one certificate.
pub fn server_config(
    certificate: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> Result<ServerConfig, String> {
    // The ring provider is chosen explicitly: nothing else in this process installs one.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("cannot configure TLS: {error}"))?
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .map_err(|error| format!("cannot use the generated certificate: {error}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
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
