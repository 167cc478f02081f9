//! Checking a client assertion (RFC 7523): a JWT signed RS256 with the key of a certificate
//! registered on the app, naming that certificate in `x5t` (base64url SHA-1 of the DER)
//! or `x5t#S256`, with `iss` = `sub` = the client id, `aud` = the token endpoint, and a
//! valid time range (five minutes of clock skew allowed either way).

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use serde_json::{Map, Value};

use super::apps::AppCertificate;
use super::platform_error::{PlatformError, shown};

/// Clock skew allowed on `exp` and `nbf`.
pub const SKEW_SECONDS: u64 = 300;

/// Why an assertion was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssertionError {
    Malformed(&'static str),
    Algorithm(String),
    /// No `x5t` / `x5t#S256` names the registered certificate; the SHA-1 named, in hex.
    UnknownCertificate(Option<String>),
    BadSignature,
    WrongIssuer,
    WrongAudience,
    Expired,
    NotYetValid,
    CertificateOutOfDate,
}

impl AssertionError {
    pub fn into_platform(self, client_id: &str) -> PlatformError {
        let invalid_client = |code, text: String| PlatformError::new("invalid_client", code, text);
        match self {
            AssertionError::Malformed(why) => PlatformError::new(
                "invalid_request",
                50027,
                format!("JWT token is invalid or malformed: {why}."),
            ),
            AssertionError::Algorithm(alg) => invalid_client(
                700027,
                format!(
                    "Client assertion failed signature validation. The assertion must be signed with RS256, not '{}'.",
                    shown(&alg)
                ),
            ),
            AssertionError::UnknownCertificate(thumbprint) => invalid_client(
                700027,
                format!(
                    "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{client_id}'.]",
                    thumbprint.as_deref().unwrap_or("none")
                ),
            ),
            AssertionError::BadSignature => invalid_client(
                700027,
                "Client assertion failed signature validation. [Reason - The key was found, but use of the key to verify the signature failed.]".to_string(),
            ),
            AssertionError::WrongIssuer => invalid_client(
                700021,
                "Client assertion application identifier doesn't match 'client_id' parameter. Both 'iss' and 'sub' must be the client id.".to_string(),
            ),
            AssertionError::WrongAudience => invalid_client(
                50012,
                "Client assertion audience claim does not match Realm issuer. 'aud' must be the token endpoint URL this request was sent to.".to_string(),
            ),
            AssertionError::Expired | AssertionError::NotYetValid => invalid_client(
                700024,
                "Client assertion is not within its valid time range ('nbf' to 'exp', five minutes of clock skew allowed).".to_string(),
            ),
            AssertionError::CertificateOutOfDate => invalid_client(
                700027,
                "Client assertion failed signature validation. [Reason - The certificate used to sign it is expired or not yet valid.]".to_string(),
            ),
        }
    }
}

/// What the assertion is checked against besides the certificate.
pub struct Expected<'a> {
    pub client_id: &'a str,
    /// Whether a given `aud` is the token endpoint the request came to.
    pub audience: &'a dyn Fn(&str) -> bool,
    /// Unix seconds.
    pub now: u64,
}

pub fn verify(
    assertion: &str,
    certificate: &AppCertificate,
    expected: &Expected<'_>,
) -> Result<(), AssertionError> {
    let mut parts = assertion.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AssertionError::Malformed("it does not have three parts"));
    };
    let header = json_part(header).ok_or(AssertionError::Malformed("the header is not JSON"))?;
    let algorithm = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if algorithm != "RS256" {
        return Err(AssertionError::Algorithm(algorithm.to_string()));
    }
    check_certificate_named(&header, certificate)?;

    let signature =
        decode(signature).ok_or(AssertionError::Malformed("the signature is not base64url"))?;
    let signed = &assertion.trim()[..header_len(assertion) + 1 + payload.len()];
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &certificate.rsa_public_key)
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| AssertionError::BadSignature)?;

    let claims = json_part(payload).ok_or(AssertionError::Malformed("the claims are not JSON"))?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("iss") != Some(expected.client_id) || text("sub") != Some(expected.client_id) {
        // Client ids are GUIDs: compare without regard to case.
        let same = |claim: Option<&str>| {
            claim.is_some_and(|value| value.eq_ignore_ascii_case(expected.client_id))
        };
        if !same(text("iss")) || !same(text("sub")) {
            return Err(AssertionError::WrongIssuer);
        }
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(audience)) => (expected.audience)(audience),
        Some(Value::Array(audiences)) => audiences
            .iter()
            .filter_map(Value::as_str)
            .any(|audience| (expected.audience)(audience)),
        _ => false,
    };
    if !audience_ok {
        return Err(AssertionError::WrongAudience);
    }
    let time = |name: &str| claims.get(name).and_then(Value::as_u64);
    let expires = time("exp").ok_or(AssertionError::Malformed("it has no 'exp' claim"))?;
    if expires.saturating_add(SKEW_SECONDS) <= expected.now {
        return Err(AssertionError::Expired);
    }
    if time("nbf").is_some_and(|not_before| not_before > expected.now + SKEW_SECONDS) {
        return Err(AssertionError::NotYetValid);
    }
    let now = i64::try_from(expected.now).unwrap_or(i64::MAX);
    if now < certificate.not_before || now > certificate.not_after {
        return Err(AssertionError::CertificateOutOfDate);
    }
    Ok(())
}

/// `x5t` must be the certificate's SHA-1 (and `x5t#S256`, when sent, its SHA-256); one of
/// the two must be there.
fn check_certificate_named(
    header: &Map<String, Value>,
    certificate: &AppCertificate,
) -> Result<(), AssertionError> {
    let named = |name: &str| {
        header
            .get(name)
            .and_then(Value::as_str)
            .map(|text| decode(text).unwrap_or_default())
    };
    let sha1 = named("x5t");
    let sha256 = named("x5t#S256");
    let unknown = || {
        AssertionError::UnknownCertificate(
            sha1.as_ref()
                .filter(|bytes| bytes.len() == 20)
                .map(|bytes| bytes.iter().map(|b| format!("{b:02X}")).collect()),
        )
    };
    if sha1.is_none() && sha256.is_none() {
        return Err(unknown());
    }
    if sha1
        .as_ref()
        .is_some_and(|bytes| *bytes != certificate.sha1)
        || sha256
            .as_ref()
            .is_some_and(|bytes| *bytes != certificate.sha256)
    {
        return Err(unknown());
    }
    Ok(())
}

fn header_len(assertion: &str) -> usize {
    assertion.trim().find('.').unwrap_or(0)
}

/// base64url, with or without padding.
fn decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(text)
        .or_else(|_| URL_SAFE.decode(text))
        .ok()
}

fn json_part(text: &str) -> Option<Map<String, Value>> {
    serde_json::from_slice(&decode(text)?).ok()
}

#[cfg(test)]
pub mod tests {
    use super::super::apps::tests::CERT_PEM;
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
    use serde_json::json;

    pub const KEY_PEM: &str = include_str!("../../tests/data/key.pem");
    pub const OTHER_KEY_PEM: &str = include_str!("../../tests/data/other-key.pem");
    const CLIENT: &str = "11111111-2222-3333-4444-555555555555";
    const AUDIENCE: &str = "http://127.0.0.1:4000/contoso/oauth2/v2.0/token";
    const NOW: u64 = 1_900_000_000;

    /// The DER inside a PEM block.
    pub fn pem_der(pem: &str) -> Vec<u8> {
        let body: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    }

    /// An RS256 JWT over `header` and `claims`, signed with the PKCS#8 key in `key_pem`.
    pub fn sign(header: &Value, claims: &Value, key_pem: &str) -> String {
        let key = RsaKeyPair::from_pkcs8(&pem_der(key_pem)).unwrap();
        let signed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; key.public().modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signed.as_bytes(),
            &mut signature,
        )
        .unwrap();
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    fn certificate() -> AppCertificate {
        AppCertificate::from_pem(CERT_PEM.as_bytes()).unwrap()
    }

    fn header() -> Value {
        let certificate = certificate();
        json!({
            "alg": "RS256", "typ": "JWT",
            "x5t": URL_SAFE_NO_PAD.encode(&certificate.sha1),
            "x5t#S256": URL_SAFE_NO_PAD.encode(&certificate.sha256),
        })
    }

    fn claims() -> Value {
        json!({
            "aud": AUDIENCE, "iss": CLIENT, "sub": CLIENT, "jti": "j",
            "nbf": NOW, "iat": NOW, "exp": NOW + 600,
        })
    }

    fn check(assertion: &str) -> Result<(), AssertionError> {
        check_at(assertion, NOW)
    }

    fn check_at(assertion: &str, now: u64) -> Result<(), AssertionError> {
        let audience = |aud: &str| aud == AUDIENCE;
        verify(
            assertion,
            &certificate(),
            &Expected {
                client_id: CLIENT,
                audience: &audience,
                now,
            },
        )
    }

    #[test]
    fn a_good_assertion_passes() {
        assert_eq!(check(&sign(&header(), &claims(), KEY_PEM)), Ok(()));
        // Only one of the thumbprints is needed.
        let mut only_sha1 = header();
        only_sha1.as_object_mut().unwrap().remove("x5t#S256");
        assert_eq!(check(&sign(&only_sha1, &claims(), KEY_PEM)), Ok(()));
        let mut only_sha256 = header();
        only_sha256.as_object_mut().unwrap().remove("x5t");
        assert_eq!(check(&sign(&only_sha256, &claims(), KEY_PEM)), Ok(()));
        // An upper-case client id and an audience list are fine too.
        let mut claims = claims();
        claims["iss"] = json!(CLIENT.to_uppercase());
        claims["aud"] = json!(["https://elsewhere", AUDIENCE]);
        assert_eq!(check(&sign(&header(), &claims, KEY_PEM)), Ok(()));
    }

    #[test]
    fn a_bad_signature_is_refused() {
        let other = sign(&header(), &claims(), OTHER_KEY_PEM);
        assert_eq!(check(&other), Err(AssertionError::BadSignature));
        // Changed claims under a genuine signature.
        let genuine = sign(&header(), &claims(), KEY_PEM);
        let parts: Vec<&str> = genuine.split('.').collect();
        let mut changed = claims();
        changed["exp"] = json!(NOW + 999_999);
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(changed.to_string()),
            parts[2]
        );
        assert_eq!(check(&forged), Err(AssertionError::BadSignature));
        let error = AssertionError::BadSignature.into_platform(CLIENT);
        assert_eq!((error.error, error.code), ("invalid_client", 700027));
    }

    #[test]
    fn a_wrong_or_missing_thumbprint_is_refused() {
        let mut wrong = header();
        wrong["x5t"] = json!(URL_SAFE_NO_PAD.encode([7u8; 20]));
        let refused = check(&sign(&wrong, &claims(), KEY_PEM)).unwrap_err();
        assert_eq!(
            refused,
            AssertionError::UnknownCertificate(Some("07".repeat(20)))
        );
        let error = refused.into_platform(CLIENT);
        assert_eq!(error.code, 700027);
        assert!(error.text.contains(&"07".repeat(20)), "{}", error.text);
        assert!(error.text.contains(CLIENT));

        let mut wrong_sha256 = header();
        wrong_sha256["x5t#S256"] = json!(URL_SAFE_NO_PAD.encode([7u8; 32]));
        assert!(matches!(
            check(&sign(&wrong_sha256, &claims(), KEY_PEM)),
            Err(AssertionError::UnknownCertificate(_))
        ));
        let none = json!({"alg": "RS256", "typ": "JWT"});
        assert_eq!(
            check(&sign(&none, &claims(), KEY_PEM)),
            Err(AssertionError::UnknownCertificate(None))
        );
    }

    #[test]
    fn a_wrong_audience_or_issuer_is_refused() {
        for audience in [
            json!("http://127.0.0.1:4000/fabrikam/oauth2/v2.0/token"),
            json!(["https://login.microsoftonline.com/contoso/oauth2/v2.0/token"]),
            json!(42),
            Value::Null,
        ] {
            let mut claims = claims();
            claims["aud"] = audience.clone();
            assert_eq!(
                check(&sign(&header(), &claims, KEY_PEM)),
                Err(AssertionError::WrongAudience),
                "{audience}"
            );
        }
        let error = AssertionError::WrongAudience.into_platform(CLIENT);
        assert_eq!((error.error, error.code), ("invalid_client", 50012));
        for claim in ["iss", "sub"] {
            let mut claims = claims();
            claims[claim] = json!("99999999-2222-3333-4444-555555555555");
            assert_eq!(
                check(&sign(&header(), &claims, KEY_PEM)),
                Err(AssertionError::WrongIssuer),
                "{claim}"
            );
        }
    }

    #[test]
    fn times_are_checked_with_five_minutes_of_skew() {
        let assertion = sign(&header(), &claims(), KEY_PEM);
        // Valid until exp + 300 s.
        assert_eq!(check_at(&assertion, NOW + 600 + 299), Ok(()));
        assert_eq!(
            check_at(&assertion, NOW + 600 + 300),
            Err(AssertionError::Expired)
        );
        // Valid from nbf - 300 s.
        assert_eq!(check_at(&assertion, NOW - 300), Ok(()));
        assert_eq!(
            check_at(&assertion, NOW - 301),
            Err(AssertionError::NotYetValid)
        );
        let error = AssertionError::Expired.into_platform(CLIENT);
        assert_eq!(error.code, 700024);

        let mut no_expiry = claims();
        no_expiry.as_object_mut().unwrap().remove("exp");
        assert!(matches!(
            check(&sign(&header(), &no_expiry, KEY_PEM)),
            Err(AssertionError::Malformed(_))
        ));
        // The certificate itself must be valid (it is from 2020 to 2120).
        let mut in_2017 = claims();
        in_2017["nbf"] = json!(1_500_000_000u64);
        in_2017["exp"] = json!(1_500_000_600u64);
        assert_eq!(
            check_at(&sign(&header(), &in_2017, KEY_PEM), 1_500_000_100),
            Err(AssertionError::CertificateOutOfDate)
        );
    }

    #[test]
    fn other_algorithms_and_garbage_are_refused() {
        let mut none = header();
        none["alg"] = json!("none");
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(none.to_string()),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        assert_eq!(
            check(&unsigned),
            Err(AssertionError::Algorithm("none".into()))
        );
        let mut hs256 = header();
        hs256["alg"] = json!("HS256");
        assert!(matches!(
            check(&sign(&hs256, &claims(), KEY_PEM)),
            Err(AssertionError::Algorithm(_))
        ));
        for garbage in ["", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.e30"] {
            assert!(check(garbage).is_err(), "{garbage}");
        }
        let error = AssertionError::Malformed("x").into_platform(CLIENT);
        assert_eq!((error.error, error.code), ("invalid_request", 50027));
    }
}
