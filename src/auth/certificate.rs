//! A certificate with its RSA private key, read from a PFX file or PEM text and checked
//! before anything is sent: the key must belong to the certificate and the certificate
//! must be within its validity period, so those mistakes get a local, precise error
//! instead of a generic AADSTS700027 from the server.

use super::credential::CertificateKey;
use crate::error::Error;
use p12_keystore::Pkcs12Archive;
use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, SHA256, digest};
use ring::rand::SystemRandom;
use ring::signature::{KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::fmt;
use x509_parser::prelude::{FromDer, X509Certificate};
use zeroize::Zeroizing;

/// The parameter named in errors about the certificate itself.
const CERTIFICATE: &str = "Certificate";

/// How the private key is encoded; ring reads both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyEncoding {
    Pkcs8,
    Pkcs1,
}

/// A certificate that can sign client assertions.
pub(crate) struct SigningCertificate {
    /// The certificate, DER.
    der: Vec<u8>,
    /// The private key, DER; wiped on drop. It is parsed again for each signature so that
    /// ring's own copy (which ring does not wipe) lives only for that moment.
    key: Zeroizing<Vec<u8>>,
    encoding: KeyEncoding,
    subject: String,
}

impl fmt::Debug for SigningCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningCertificate")
            .field("subject", &self.subject)
            .field("thumbprint", &self.thumbprint())
            .field("key", &"<redacted>")
            .finish()
    }
}

impl SigningCertificate {
    /// Reads `key` and checks it at `now` (Unix seconds).
    pub(crate) fn load(key: &CertificateKey, now: u64) -> Result<Self, Error> {
        let certificate = match key {
            CertificateKey::Pfx { bytes, password } => {
                from_pfx(bytes, password.as_deref().map(String::as_str))?
            }
            CertificateKey::Pem {
                certificate,
                private_key,
            } => from_pem(certificate, private_key)?,
        };
        certificate.checked(now)
    }

    /// Not checked yet: see [`Self::checked`].
    fn unchecked(der: Vec<u8>, key: Zeroizing<Vec<u8>>, encoding: KeyEncoding) -> Self {
        SigningCertificate {
            der,
            key,
            encoding,
            subject: String::new(),
        }
    }

    /// Fills in the subject and checks validity dates and that the key fits.
    fn checked(mut self, now: u64) -> Result<Self, Error> {
        let thumbprint = self.thumbprint();
        let (_, parsed) = X509Certificate::from_der(&self.der).map_err(|e| {
            certificate_error(
                "CertificateUnreadable",
                format!("The certificate could not be read: {e}."),
            )
        })?;
        self.subject = parsed.subject().to_string();
        let validity = parsed.validity();
        check_validity(
            validity.not_before.timestamp(),
            validity.not_after.timestamp(),
            now,
            &thumbprint,
            &validity.not_before.to_string(),
            &validity.not_after.to_string(),
        )?;
        let key_pair = self.key_pair()?;
        // Both sides are the DER RSAPublicKey, so equal bytes mean the same key.
        let certificate_key = &parsed.public_key().subject_public_key.data;
        if key_pair.public_key().as_ref() != certificate_key.as_ref() {
            return Err(certificate_error(
                "CertificateKeyMismatch",
                format!(
                    "The private key does not belong to the certificate {thumbprint}. Use the key that was created with this certificate."
                ),
            ));
        }
        Ok(self)
    }

    fn key_pair(&self) -> Result<RsaKeyPair, Error> {
        let parsed = match self.encoding {
            KeyEncoding::Pkcs8 => RsaKeyPair::from_pkcs8(&self.key),
            KeyEncoding::Pkcs1 => RsaKeyPair::from_der(&self.key),
        };
        parsed.map_err(|rejected| {
            let why = match rejected.to_string().as_str() {
                "WrongAlgorithm" => {
                    "it is not an RSA key; client assertions for Entra ID are signed with RSA (RS256)"
                }
                "TooSmall" => "the RSA key is shorter than 2048 bits",
                "TooLarge" => "the RSA key is longer than 4096 bits",
                _ => "it is damaged or in an unsupported form",
            };
            certificate_error(
                "PrivateKeyUnusable",
                format!("The private key cannot be used: {why}."),
            )
        })
    }

    /// The SHA-1 thumbprint in upper-case hex, as Windows and the Entra portal show it.
    pub(crate) fn thumbprint(&self) -> String {
        digest(&SHA1_FOR_LEGACY_USE_ONLY, &self.der)
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    /// The certificate's SHA-1 hash (the `x5t` header).
    pub(crate) fn sha1(&self) -> Vec<u8> {
        digest(&SHA1_FOR_LEGACY_USE_ONLY, &self.der)
            .as_ref()
            .to_vec()
    }

    /// The certificate's SHA-256 hash (the `x5t#S256` header).
    pub(crate) fn sha256(&self) -> Vec<u8> {
        digest(&SHA256, &self.der).as_ref().to_vec()
    }

    /// An RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub(crate) fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let key_pair = self.key_pair()?;
        let mut signature = vec![0; key_pair.public().modulus_len()];
        key_pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| {
                Error::new(
                    crate::error::ErrorKind::Internal,
                    "SigningFailed",
                    "Signing the client assertion with the certificate's key failed.",
                )
            })?;
        Ok(signature)
    }
}

fn certificate_error(id: &'static str, message: String) -> Error {
    Error::invalid_argument(id, CERTIFICATE, message)
}

/// Fails when `now` is outside the certificate's validity period.
fn check_validity(
    not_before: i64,
    not_after: i64,
    now: u64,
    thumbprint: &str,
    not_before_text: &str,
    not_after_text: &str,
) -> Result<(), Error> {
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    if now > not_after {
        return Err(certificate_error(
            "CertificateExpired",
            format!(
                "The certificate {thumbprint} expired on {not_after_text}. Create a new one, upload it to the app registration, and sign in with it."
            ),
        ));
    }
    if now < not_before {
        return Err(certificate_error(
            "CertificateNotYetValid",
            format!(
                "The certificate {thumbprint} is valid only from {not_before_text}. Check the system clock or wait until then."
            ),
        ));
    }
    Ok(())
}

/// Reads the private key and the certificate that goes with it from a PKCS#12 file.
fn from_pfx(bytes: &[u8], password: Option<&str>) -> Result<SigningCertificate, Error> {
    let archive = Pkcs12Archive::from_pkcs12(bytes, password.unwrap_or("")).map_err(|e| {
        use p12_keystore::error::Error as P12;
        match e {
            P12::MacError(_) | P12::UnpadError if password.is_none() => Error::invalid_argument(
                "CertificatePasswordRequired",
                "CertificatePassword",
                "The certificate file is protected by a password; pass it with -CertificatePassword.",
            ),
            P12::MacError(_) | P12::UnpadError => Error::invalid_argument(
                "CertificatePasswordWrong",
                "CertificatePassword",
                "The certificate file could not be opened with this password.",
            ),
            other => certificate_error(
                "CertificateUnreadable",
                format!(
                    "The certificate file is not a PFX (PKCS#12) file this library can read: {other}."
                ),
            ),
        }
    })?;
    let Some(key) = archive.keys.first() else {
        return Err(certificate_error(
            "PrivateKeyMissing",
            "The certificate file holds no private key. Export the certificate with its private key (a .pfx), not just the .cer.".into(),
        ));
    };
    let private_key = Zeroizing::new(key.key.as_der().to_vec());
    // The certificate bag that PKCS#12 links to the key, else the only one there is.
    let linked = archive.certs.iter().find(|c| {
        c.local_key_id.as_deref().is_some_and(|id| {
            key.local_key_id
                .as_ref()
                .is_some_and(|key_id| key_id.0 == id)
        })
    });
    let certificate = linked
        .or(archive.certs.first())
        .ok_or_else(|| {
            certificate_error(
                "CertificateMissing",
                "The certificate file holds a private key but no certificate.".into(),
            )
        })?
        .cert
        .as_der()
        .to_vec();
    Ok(SigningCertificate::unchecked(
        certificate,
        private_key,
        KeyEncoding::Pkcs8,
    ))
}

/// Reads the first certificate and the first private key from PEM text.
fn from_pem(certificate: &str, private_key: &str) -> Result<SigningCertificate, Error> {
    let der = CertificateDer::from_pem_slice(certificate.as_bytes()).map_err(|_| {
        certificate_error(
            "CertificateUnreadable",
            "No PEM certificate ('-----BEGIN CERTIFICATE-----') was found.".into(),
        )
    })?;
    let key = PrivateKeyDer::from_pem_slice(private_key.as_bytes()).map_err(|_| {
        let why = if private_key.contains("ENCRYPTED PRIVATE KEY") {
            "The PEM private key is encrypted, which is not supported. Use a PFX file with -CertificatePassword, or decrypt the key (openssl pkcs8 -in key.pem -out plain.pem)."
        } else {
            "No PEM private key ('-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----') was found."
        };
        Error::invalid_argument("PrivateKeyMissing", "PrivateKey", why)
    })?;
    let (bytes, encoding) = match &key {
        PrivateKeyDer::Pkcs8(k) => (k.secret_pkcs8_der(), KeyEncoding::Pkcs8),
        PrivateKeyDer::Pkcs1(k) => (k.secret_pkcs1_der(), KeyEncoding::Pkcs1),
        _ => {
            return Err(Error::invalid_argument(
                "PrivateKeyUnusable",
                "PrivateKey",
                "The private key is not an RSA key; client assertions for Entra ID are signed with RSA (RS256).",
            ));
        }
    };
    Ok(SigningCertificate::unchecked(
        der.to_vec(),
        Zeroizing::new(bytes.to_vec()),
        encoding,
    ))
}

#[cfg(test)]
pub(crate) mod testdata {
    //! The fixtures of `testdata/` (see its README for how they were made).
    pub const CERT_PEM: &str = include_str!("testdata/cert.pem");
    pub const KEY_PEM: &str = include_str!("testdata/key.pem");
    pub const KEY_PKCS1_PEM: &str = include_str!("testdata/key-pkcs1.pem");
    pub const OTHER_KEY_PEM: &str = include_str!("testdata/other-key.pem");
    pub const PFX: &[u8] = include_bytes!("testdata/cert.pfx");
    pub const PFX_3DES: &[u8] = include_bytes!("testdata/cert-3des.pfx");
    pub const PFX_NO_PASSWORD: &[u8] = include_bytes!("testdata/cert-nopass.pfx");
    pub const PFX_PASSWORD: &str = "test-password";
    /// `openssl x509 -in cert.pem -noout -fingerprint -sha1`
    pub const THUMBPRINT: &str = "4066B9094E73136A10842E84CD1567689EC0A012";
}

#[cfg(test)]
mod tests {
    use super::testdata::*;
    use super::*;
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

    /// Some time in 2030, inside the fixture's validity.
    const NOW: u64 = 1_900_000_000;

    fn pem(key: &str) -> CertificateKey {
        CertificateKey::Pem {
            certificate: CERT_PEM.into(),
            private_key: Zeroizing::new(key.into()),
        }
    }

    fn pfx(bytes: &[u8], password: Option<&str>) -> CertificateKey {
        CertificateKey::Pfx {
            bytes: Zeroizing::new(bytes.to_vec()),
            password: password.map(|p| Zeroizing::new(p.to_owned())),
        }
    }

    #[test]
    fn every_form_of_the_fixture_loads_to_the_same_certificate() {
        let forms = [
            pem(KEY_PEM),
            pem(KEY_PKCS1_PEM),
            pem(&format!("{CERT_PEM}\n{KEY_PEM}")),
            pfx(PFX, Some(PFX_PASSWORD)),
            pfx(PFX_3DES, Some(PFX_PASSWORD)),
            pfx(PFX_NO_PASSWORD, None),
        ];
        for (i, form) in forms.iter().enumerate() {
            let certificate = SigningCertificate::load(form, NOW)
                .unwrap_or_else(|e| panic!("form {i}: {}", e.message()));
            assert_eq!(certificate.thumbprint(), THUMBPRINT, "form {i}");
            assert!(certificate.subject.contains("spo-crosstenant test"));
        }
    }

    #[test]
    fn signatures_verify_with_the_certificates_public_key() {
        let certificate = SigningCertificate::load(&pem(KEY_PKCS1_PEM), NOW).unwrap();
        let signature = certificate.sign_rs256(b"header.claims").unwrap();
        let (_, parsed) = X509Certificate::from_der(&certificate.der).unwrap();
        let public = UnparsedPublicKey::new(
            &RSA_PKCS1_2048_8192_SHA256,
            parsed.public_key().subject_public_key.data.to_vec(),
        );
        public.verify(b"header.claims", &signature).unwrap();
        assert!(public.verify(b"header.claimz", &signature).is_err());
    }

    #[test]
    fn wrong_or_missing_pfx_passwords_are_told_apart() {
        let wrong = SigningCertificate::load(&pfx(PFX, Some("nope")), NOW).unwrap_err();
        assert_eq!(wrong.id(), "CertificatePasswordWrong");
        assert_eq!(wrong.parameter(), Some("CertificatePassword"));
        let missing = SigningCertificate::load(&pfx(PFX, None), NOW).unwrap_err();
        assert_eq!(missing.id(), "CertificatePasswordRequired");
        let garbage = SigningCertificate::load(&pfx(b"not a pfx", None), NOW).unwrap_err();
        assert_eq!(garbage.id(), "CertificateUnreadable");
    }

    #[test]
    fn a_key_of_another_certificate_is_refused() {
        let error = SigningCertificate::load(&pem(OTHER_KEY_PEM), NOW).unwrap_err();
        assert_eq!(error.id(), "CertificateKeyMismatch");
        assert!(error.message().contains(THUMBPRINT));
    }

    #[test]
    fn pem_problems_name_the_fix() {
        let encrypted = CertificateKey::Pem {
            certificate: CERT_PEM.into(),
            private_key: Zeroizing::new(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"
                    .into(),
            ),
        };
        let error = SigningCertificate::load(&encrypted, NOW).unwrap_err();
        assert_eq!(error.id(), "PrivateKeyMissing");
        assert!(error.message().contains("encrypted"));
        let no_cert = CertificateKey::Pem {
            certificate: KEY_PEM.into(),
            private_key: Zeroizing::new(KEY_PEM.into()),
        };
        assert_eq!(
            SigningCertificate::load(&no_cert, NOW).unwrap_err().id(),
            "CertificateUnreadable"
        );
    }

    #[test]
    fn validity_is_checked_against_the_clock() {
        let check = |now| check_validity(100, 200, now, "AB", "then", "later");
        assert!(check(100).is_ok());
        assert!(check(200).is_ok());
        let expired = check(201).unwrap_err();
        assert_eq!(expired.id(), "CertificateExpired");
        assert!(expired.message().contains("later"));
        assert_eq!(check(99).unwrap_err().id(), "CertificateNotYetValid");
        // The fixture itself, checked far in the future.
        let error = SigningCertificate::load(&pem(KEY_PEM), 9_000_000_000).unwrap_err();
        assert_eq!(error.id(), "CertificateExpired");
    }

    #[test]
    fn debug_shows_the_thumbprint_not_the_key() {
        let certificate = SigningCertificate::load(&pem(KEY_PEM), NOW).unwrap();
        let text = format!("{certificate:?}");
        assert!(text.contains(THUMBPRINT));
        assert!(!text.contains("MII"));
    }
}
