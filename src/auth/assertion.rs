//! The client assertion: a short-lived JWT, signed with the certificate's key, that proves
//! to the token endpoint that we hold the private key of a certificate registered on the
//! app (RFC 7523).

use super::certificate::SigningCertificate;
use super::jwt::base64url;
use crate::error::{Error, ErrorKind};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::json;
use zeroize::Zeroizing;

/// How long an assertion is valid: long enough for one request, short enough that a
/// captured one is soon useless.
pub(crate) const ASSERTION_LIFETIME_SECONDS: u64 = 600;

/// The `client_assertion_type` that goes with it.
pub(crate) const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A signed assertion for `client_id` at `audience` (the token endpoint URL), issued at
/// `now` (Unix seconds).
pub(crate) fn client_assertion(
    certificate: &SigningCertificate,
    client_id: &str,
    audience: &str,
    now: u64,
) -> Result<Zeroizing<String>, Error> {
    // x5t names the certificate so Entra ID knows which registered key to check with;
    // x5t#S256 is the same with SHA-256, which newer validators prefer.
    let header = json!({
        "alg": "RS256",
        "typ": "JWT",
        "x5t": base64url(&certificate.sha1()),
        "x5t#S256": base64url(&certificate.sha256()),
    });
    let claims = json!({
        "aud": audience,
        "iss": client_id,
        "sub": client_id,
        "jti": random_id()?,
        "nbf": now,
        "iat": now,
        "exp": now + ASSERTION_LIFETIME_SECONDS,
    });
    let mut jwt = Zeroizing::new(String::with_capacity(2048));
    jwt.push_str(&base64url(header.to_string().as_bytes()));
    jwt.push('.');
    jwt.push_str(&base64url(claims.to_string().as_bytes()));
    let signature = certificate.sign_rs256(jwt.as_bytes())?;
    jwt.push('.');
    jwt.push_str(&base64url(&signature));
    Ok(jwt)
}

/// A random UUID (version 4), so the server can refuse a replayed assertion.
fn random_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    SystemRandom::new().fill(&mut bytes).map_err(|_| {
        Error::new(
            ErrorKind::Internal,
            "RandomUnavailable",
            "The system random number generator failed.",
        )
    })?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::super::certificate::testdata::*;
    use super::super::credential::CertificateKey;
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    use serde_json::Value;
    use x509_parser::prelude::{FromDer, X509Certificate};

    const NOW: u64 = 1_900_000_000;
    const CLIENT: &str = "11111111-2222-3333-4444-555555555555";
    const AUDIENCE: &str = "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token";

    fn decode(part: &str) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    fn certificate() -> SigningCertificate {
        SigningCertificate::load(
            &CertificateKey::Pem {
                certificate: CERT_PEM.into(),
                private_key: Zeroizing::new(KEY_PEM.into()),
            },
            NOW,
        )
        .unwrap()
    }

    #[test]
    fn header_and_claims_are_what_entra_id_expects() {
        let jwt = client_assertion(&certificate(), CLIENT, AUDIENCE, NOW).unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = decode(parts[0]);
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["typ"], "JWT");
        let thumbprint = hex_to_bytes(THUMBPRINT);
        assert_eq!(header["x5t"], URL_SAFE_NO_PAD.encode(thumbprint));
        assert_eq!(header["x5t#S256"].as_str().unwrap().len(), 43);
        let claims = decode(parts[1]);
        assert_eq!(claims["aud"], AUDIENCE);
        assert_eq!(claims["iss"], CLIENT);
        assert_eq!(claims["sub"], CLIENT);
        assert_eq!(claims["nbf"], NOW);
        assert_eq!(claims["iat"], NOW);
        assert_eq!(claims["exp"], NOW + 600);
        let jti = claims["jti"].as_str().unwrap();
        assert_eq!(jti.len(), 36);
        assert_eq!(&jti[14..15], "4");
    }

    #[test]
    fn the_signature_verifies_with_the_certificate_and_ids_differ() {
        let first = client_assertion(&certificate(), CLIENT, AUDIENCE, NOW).unwrap();
        let (signed, signature) = first.rsplit_once('.').unwrap();
        let der = CertificateDer::from_pem_slice(CERT_PEM.as_bytes()).unwrap();
        let (_, parsed) = X509Certificate::from_der(&der).unwrap();
        UnparsedPublicKey::new(
            &RSA_PKCS1_2048_8192_SHA256,
            parsed.public_key().subject_public_key.data.as_ref(),
        )
        .verify(
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).unwrap(),
        )
        .unwrap();
        let second = client_assertion(&certificate(), CLIENT, AUDIENCE, NOW).unwrap();
        let jti = |jwt: &str| decode(jwt.split('.').nth(1).unwrap())["jti"].clone();
        assert_ne!(jti(&first), jti(&second));
    }

    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    fn hex_to_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }
}
