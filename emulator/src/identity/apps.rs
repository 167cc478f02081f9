//! Applications registered with `--app CLIENTID=PATH.pem[@TENANT]`: a client id and the
//! certificate (RSA public key) that its client assertions must be signed with.

use std::path::PathBuf;
use std::str::FromStr;

use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, SHA256, digest};
use uuid::Uuid;
use x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION;
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate};

/// `--app CLIENTID=PATH.pem[@TENANT]` as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppSpec {
    /// Lowercased GUID.
    pub client_id: String,
    pub certificate: PathBuf,
    /// Only valid in this tenant; every tenant when absent.
    pub tenant: Option<String>,
}

impl FromStr for AppSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let usage = "use CLIENTID=PATH.pem or CLIENTID=PATH.pem@TENANT";
        let (client_id, rest) = text
            .split_once('=')
            .ok_or_else(|| format!("'{text}' has no '=': {usage}"))?;
        let client_id = Uuid::parse_str(client_id.trim())
            .map_err(|_| format!("'{client_id}' is not a client id (a GUID): {usage}"))?
            .to_string();
        // A last `@NAME` is a tenant when NAME looks like one (letters and digits), so
        // file names such as `cert@2x.pem` stay whole.
        let (path, tenant) = match rest.rsplit_once('@') {
            Some((path, tenant))
                if !tenant.is_empty() && tenant.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                (path, Some(tenant.to_ascii_lowercase()))
            }
            _ => (rest, None),
        };
        if path.trim().is_empty() {
            return Err(format!("'{text}' names no certificate file: {usage}"));
        }
        Ok(AppSpec {
            client_id,
            certificate: PathBuf::from(path),
            tenant,
        })
    }
}

/// What we keep of an app's certificate to check its assertions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppCertificate {
    /// The DER `RSAPublicKey` (the subject public key bits), as ring verifies with.
    pub rsa_public_key: Vec<u8>,
    /// SHA-1 of the certificate DER: the `x5t` header, and the thumbprint.
    pub sha1: Vec<u8>,
    /// SHA-256 of the certificate DER: the `x5t#S256` header.
    pub sha256: Vec<u8>,
    /// Validity, Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
}

impl AppCertificate {
    /// Reads the first `CERTIFICATE` block of a PEM text (other blocks, e.g. a key, are
    /// skipped). The key must be RSA.
    pub fn from_pem(pem: &[u8]) -> Result<Self, String> {
        let block = Pem::iter_from_buffer(pem)
            .filter_map(Result::ok)
            .find(|block| block.label == "CERTIFICATE")
            .ok_or("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")?;
        Self::from_der(&block.contents)
    }

    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        let (_, certificate) =
            X509Certificate::from_der(der).map_err(|_| "the certificate cannot be read")?;
        let key = certificate.public_key();
        if key.algorithm.algorithm != OID_PKCS1_RSAENCRYPTION {
            return Err(
                "the certificate's key is not RSA; client assertions are signed with RS256"
                    .to_string(),
            );
        }
        let validity = certificate.validity();
        Ok(AppCertificate {
            rsa_public_key: key.subject_public_key.data.to_vec(),
            sha1: digest(&SHA1_FOR_LEGACY_USE_ONLY, der).as_ref().to_vec(),
            sha256: digest(&SHA256, der).as_ref().to_vec(),
            not_before: validity.not_before.timestamp(),
            not_after: validity.not_after.timestamp(),
        })
    }

    /// The SHA-1 thumbprint in upper-case hex, as Windows and the Entra portal show it.
    pub fn thumbprint(&self) -> String {
        self.sha1.iter().map(|b| format!("{b:02X}")).collect()
    }
}

/// A registered application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredApp {
    pub client_id: String,
    pub tenant: Option<String>,
    pub certificate: AppCertificate,
}

impl RegisteredApp {
    /// Loads the certificate file of `spec`.
    pub fn load(spec: &AppSpec) -> Result<Self, String> {
        let path = &spec.certificate;
        let pem = std::fs::read(path).map_err(|error| {
            format!(
                "--app {}: cannot read {}: {error}",
                spec.client_id,
                path.display()
            )
        })?;
        let certificate = AppCertificate::from_pem(&pem)
            .map_err(|why| format!("--app {}: {}: {why}", spec.client_id, path.display()))?;
        Ok(RegisteredApp {
            client_id: spec.client_id.clone(),
            tenant: spec.tenant.clone(),
            certificate,
        })
    }

    /// Whether the app exists in `tenant`.
    pub fn is_in(&self, tenant: &str) -> bool {
        self.tenant.as_deref().is_none_or(|only| only == tenant)
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub const CERT_PEM: &str = include_str!("../../tests/data/cert.pem");
    /// `openssl x509 -in cert.pem -noout -fingerprint -sha1`, without colons.
    pub const THUMBPRINT: &str = "4066B9094E73136A10842E84CD1567689EC0A012";

    #[test]
    fn specs_take_an_optional_tenant() {
        let spec: AppSpec = "11111111-2222-3333-4444-555555555555=/tmp/app.pem"
            .parse()
            .unwrap();
        assert_eq!(spec.client_id, "11111111-2222-3333-4444-555555555555");
        assert_eq!(spec.certificate, PathBuf::from("/tmp/app.pem"));
        assert_eq!(spec.tenant, None);

        let bound: AppSpec = "11111111-2222-3333-4444-55555555555A=certs/app.pem@Contoso"
            .parse()
            .unwrap();
        assert_eq!(bound.client_id, "11111111-2222-3333-4444-55555555555a");
        assert_eq!(bound.certificate, PathBuf::from("certs/app.pem"));
        assert_eq!(bound.tenant.as_deref(), Some("contoso"));

        let at_in_name: AppSpec = "11111111-2222-3333-4444-555555555555=cert@2x.pem"
            .parse()
            .unwrap();
        assert_eq!(at_in_name.certificate, PathBuf::from("cert@2x.pem"));
        assert_eq!(at_in_name.tenant, None);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        for (spec, why) in [
            ("app.pem", "no '='"),
            ("my-app=app.pem", "not a client id"),
            ("11111111-2222-3333-4444-555555555555=", "no certificate"),
            (
                "11111111-2222-3333-4444-555555555555=@contoso",
                "no certificate",
            ),
        ] {
            let error = spec.parse::<AppSpec>().unwrap_err();
            assert!(error.contains(why), "{spec}: {error}");
        }
    }

    #[test]
    fn the_certificate_gives_its_key_and_thumbprints() {
        let certificate = AppCertificate::from_pem(CERT_PEM.as_bytes()).unwrap();
        assert_eq!(certificate.thumbprint(), THUMBPRINT);
        assert_eq!(certificate.sha256.len(), 32);
        // 2020-01-01 to 2120-01-01.
        assert_eq!(certificate.not_before, 1_577_836_800);
        assert!(certificate.not_after > 4_700_000_000);
        assert!(certificate.rsa_public_key.len() > 256);
    }

    #[test]
    fn non_certificates_are_refused() {
        let key = include_str!("../../tests/data/key.pem");
        assert!(
            AppCertificate::from_pem(key.as_bytes())
                .unwrap_err()
                .contains("no PEM certificate")
        );
        assert!(AppCertificate::from_pem(b"nothing").is_err());
        let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(
            AppCertificate::from_pem(broken.as_bytes())
                .unwrap_err()
                .contains("cannot be read")
        );
        // A combined file (key first, then certificate) is fine.
        let combined = format!("{key}{CERT_PEM}");
        assert!(AppCertificate::from_pem(combined.as_bytes()).is_ok());
    }

    #[test]
    fn apps_are_everywhere_unless_bound() {
        let certificate = AppCertificate::from_pem(CERT_PEM.as_bytes()).unwrap();
        let everywhere = RegisteredApp {
            client_id: "a".into(),
            tenant: None,
            certificate: certificate.clone(),
        };
        assert!(everywhere.is_in("contoso") && everywhere.is_in("fabrikam"));
        let bound = RegisteredApp {
            tenant: Some("contoso".into()),
            ..everywhere
        };
        assert!(bound.is_in("contoso") && !bound.is_in("fabrikam"));
    }
}
