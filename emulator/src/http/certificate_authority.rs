//! `--proxy`: the rehearsal's certificate authority, made at start-up, and the server
//! certificates it issues for the real names the proxy answers for.
//!
//! The CA's certificate (never its key) is written with `--cert-out`, so that a rehearsal
//! can trust exactly it (`SSL_CERT_FILE`). Its key exists only in this process's memory and
//! dies with it: nobody can issue another certificate with it afterwards. Name constraints
//! limit it further: a client honouring them accepts its certificates only for
//! `sharepoint.com`, the sign-in hosts, `localhost` and the loopback addresses, even if the
//! CA were trusted by mistake beyond a rehearsal.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    NameConstraints, SerialNumber,
};
use rustls::ServerConfig;
#[cfg(test)]
use rustls::pki_types::CertificateDer;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;

use crate::tenant::persistence::write_atomically;
use crate::tenant::real_names::{SHAREPOINT_DOMAIN, SIGN_IN_HOSTS};

/// How long the CA and its certificates are valid: longer than any rehearsal (the default
/// waiting period is seven days), short enough to be gone soon after.
const VALIDITY: Duration = Duration::from_secs(30 * 24 * 3600);
/// Certificates start a little in the past, for clocks that are a little behind.
const BACKDATE: Duration = Duration::from_secs(3600);

pub struct CertificateAuthority {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    /// Server configurations issued so far, by the names they cover.
    issued: Mutex<HashMap<Vec<String>, Arc<ServerConfig>>>,
}

impl CertificateAuthority {
    /// A new CA with a fresh key.
    pub fn generate() -> Result<Self, String> {
        let now = OffsetDateTime::now_utc();
        let not_before = now - BACKDATE;
        let not_after = now + VALIDITY;
        let mut params = CertificateParams::default();
        params.distinguished_name = distinguished_name(&format!(
            "spo-emulator rehearsal CA {}",
            humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        ));
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.name_constraints = Some(NameConstraints {
            permitted_subtrees: permitted_names(),
            excluded_subtrees: Vec::new(),
        });
        params.serial_number = Some(random_serial());
        params.not_before = not_before;
        params.not_after = not_after;
        let key = KeyPair::generate().map_err(|error| cannot("make the CA's key", error))?;
        let certificate = params
            .self_signed(&key)
            .map_err(|error| cannot("make the CA's certificate", error))?;
        Ok(CertificateAuthority {
            pem: certificate.pem(),
            issuer: Issuer::new(params, key),
            not_before,
            not_after,
            issued: Mutex::new(HashMap::new()),
        })
    }

    /// The CA's certificate, PEM.
    #[cfg(test)]
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// The CA's certificate, DER.
    #[cfg(test)]
    pub fn certificate(&self) -> CertificateDer<'static> {
        let (_, pem) = x509_parser::pem::parse_x509_pem(self.pem.as_bytes()).unwrap();
        CertificateDer::from(pem.contents)
    }

    /// Writes the CA's certificate (not its key) to `path`.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        write_atomically(path, self.pem.as_bytes()).map_err(|error| {
            format!(
                "cannot write the CA certificate to {}: {error}",
                path.display()
            )
        })
    }

    /// A TLS server configuration with a certificate for `names` (host names or IP
    /// addresses), issued on first use and kept.
    pub fn server_config(&self, names: &[String]) -> Result<Arc<ServerConfig>, String> {
        let mut issued = self
            .issued
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(config) = issued.get(names) {
            return Ok(config.clone());
        }
        let config = Arc::new(self.issue(names)?);
        issued.insert(names.to_vec(), config.clone());
        Ok(config)
    }

    fn issue(&self, names: &[String]) -> Result<ServerConfig, String> {
        let mut params = CertificateParams::new(names.to_vec())
            .map_err(|error| cannot("name a certificate", error))?;
        params.distinguished_name =
            distinguished_name(names.first().map(String::as_str).unwrap_or_default());
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial());
        params.not_before = self.not_before;
        params.not_after = self.not_after;
        let key = KeyPair::generate().map_err(|error| cannot("make a server key", error))?;
        let certificate = params
            .signed_by(&key, &self.issuer)
            .map_err(|error| cannot("issue a server certificate", error))?;
        let private_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        super::tls::server_config(certificate.der().clone(), private_key)
    }
}

/// What the CA may issue for: SharePoint Online's domain, the sign-in hosts, and this
/// machine (`--https` together with `--proxy`).
fn permitted_names() -> Vec<GeneralSubtree> {
    let mut names = vec![GeneralSubtree::DnsName(SHAREPOINT_DOMAIN.to_string())];
    names.extend(
        SIGN_IN_HOSTS
            .iter()
            .map(|host| GeneralSubtree::DnsName(host.to_string())),
    );
    names.push(GeneralSubtree::DnsName("localhost".to_string()));
    names.push(GeneralSubtree::IpAddress(CidrSubnet::from_v4_prefix(
        Ipv4Addr::LOCALHOST.octets(),
        32,
    )));
    names.push(GeneralSubtree::IpAddress(CidrSubnet::from_v6_prefix(
        Ipv6Addr::LOCALHOST.octets(),
        128,
    )));
    names
}

fn distinguished_name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name.push(
        DnType::OrganizationName,
        "spo-emulator (local rehearsal only)",
    );
    name
}

fn random_serial() -> SerialNumber {
    let mut bytes = *uuid::Uuid::new_v4().as_bytes();
    // Positive, and never zero.
    bytes[0] = (bytes[0] & 0x7f) | 0x01;
    SerialNumber::from_slice(&bytes)
}

fn cannot(what: &str, error: rcgen::Error) -> String {
    format!("cannot {what}: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    /// The leaf certificate a configuration of `authority` for `served` presents to a
    /// client that trusts only `trusted` and asks for `asked`, by running the handshake.
    fn handshake_trusting(
        authority: &CertificateAuthority,
        trusted: &CertificateAuthority,
        served: &[&str],
        asked: &str,
    ) -> Result<Vec<u8>, rustls::Error> {
        use rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConnection};
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add(trusted.certificate()).unwrap();
        let client_config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let server_name = rustls::pki_types::ServerName::try_from(asked.to_string()).unwrap();
        let mut client = ClientConnection::new(Arc::new(client_config), server_name).unwrap();
        let mut server =
            ServerConnection::new(authority.server_config(&names(served)).unwrap()).unwrap();
        for _ in 0..10 {
            let mut wire = Vec::new();
            while client.wants_write() {
                client.write_tls(&mut wire).unwrap();
            }
            if !wire.is_empty() {
                server.read_tls(&mut wire.as_slice()).unwrap();
                server.process_new_packets()?;
            }
            let mut back = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut back).unwrap();
            }
            if !back.is_empty() {
                client.read_tls(&mut back.as_slice()).unwrap();
                client.process_new_packets()?;
            }
            if !client.is_handshaking() && !server.is_handshaking() {
                return Ok(client.peer_certificates().unwrap()[0].to_vec());
            }
        }
        panic!("the handshake did not finish");
    }

    fn handshake(
        authority: &CertificateAuthority,
        served: &[&str],
        asked: &str,
    ) -> Result<Vec<u8>, rustls::Error> {
        handshake_trusting(authority, authority, served, asked)
    }

    #[test]
    fn the_ca_is_a_constrained_ca_and_its_pem_holds_no_key() {
        let authority = CertificateAuthority::generate().unwrap();
        assert!(authority.pem().starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(!authority.pem().contains("PRIVATE KEY"));
        let der = authority.certificate();
        let (_, ca) = X509Certificate::from_der(&der).unwrap();
        assert!(ca.is_ca());
        let constraints = ca.name_constraints().unwrap().unwrap().value;
        let permitted: Vec<String> = constraints
            .permitted_subtrees
            .as_ref()
            .unwrap()
            .iter()
            .filter_map(|subtree| match &subtree.base {
                GeneralName::DNSName(name) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        assert!(permitted.contains(&"sharepoint.com".to_string()));
        assert!(permitted.contains(&"login.microsoftonline.com".to_string()));
        assert!(
            !permitted
                .iter()
                .any(|name| name.is_empty() || name == "com")
        );
        let lifetime = ca.validity().time_to_expiration().unwrap();
        assert!(lifetime.whole_days() >= 29 && lifetime.whole_days() <= 30);
    }

    #[test]
    fn issues_certificates_a_client_trusting_the_ca_accepts() {
        let authority = CertificateAuthority::generate().unwrap();
        for host in [
            "contoso-admin.sharepoint.com",
            "fabrikam-my.sharepoint.com",
            "login.microsoftonline.us",
        ] {
            let leaf = handshake(&authority, &[host], host).unwrap();
            let (_, leaf) = X509Certificate::from_der(&leaf).unwrap();
            assert!(!leaf.is_ca());
            let alternative_names = leaf.subject_alternative_name().unwrap().unwrap().value;
            assert_eq!(
                alternative_names.general_names,
                vec![GeneralName::DNSName(host)]
            );
            assert_eq!(
                leaf.issuer(),
                X509Certificate::from_der(&authority.certificate())
                    .unwrap()
                    .1
                    .subject()
            );
        }
        handshake(&authority, &["127.0.0.1", "localhost"], "127.0.0.1").unwrap();
    }

    #[test]
    fn a_certificate_covers_only_its_own_names() {
        let authority = CertificateAuthority::generate().unwrap();
        let wrong = handshake(
            &authority,
            &["contoso-admin.sharepoint.com"],
            "fabrikam-admin.sharepoint.com",
        );
        assert!(wrong.is_err());
    }

    #[test]
    fn names_outside_the_constraints_are_not_trusted_even_when_issued() {
        let authority = CertificateAuthority::generate().unwrap();
        let outside = handshake(&authority, &["www.example.com"], "www.example.com");
        assert!(outside.is_err(), "{outside:?}");
    }

    #[test]
    fn another_ca_is_not_trusted_and_certificates_are_kept() {
        let first = CertificateAuthority::generate().unwrap();
        let second = CertificateAuthority::generate().unwrap();
        assert_ne!(first.pem(), second.pem());
        let host = "contoso-admin.sharepoint.com";
        assert!(handshake_trusting(&first, &second, &[host], host).is_err());
        let issued = first.server_config(&names(&[host])).unwrap();
        assert!(Arc::ptr_eq(
            &issued,
            &first.server_config(&names(&[host])).unwrap()
        ));
    }

    #[test]
    fn writes_the_certificate() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("ca.pem");
        let authority = CertificateAuthority::generate().unwrap();
        authority.write(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), authority.pem());
    }
}
