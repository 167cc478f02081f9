//! Bearer tokens the emulator issues and checks.
//!
//! A token looks like a JWT (`header.payload.signature`, base64url, HS256) so clients that
//! peek at `exp` or `aud` can, but only this emulator can make or check one: the signing
//! key is random per emulator (kept in the state file when there is one). The audience is
//! the tenant's admin URL, as for the real service.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};

pub const KEY_LENGTH: usize = 32;
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;
const ISSUER: &str = "spo-emulator";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub aud: String,
    pub iss: String,
    /// The tenant id (also the `WWW-Authenticate` realm).
    pub tid: String,
    pub iat: u64,
    pub exp: u64,
    /// Whether the bearer is a SharePoint admin; only checked with `--require-admin`.
    pub admin: bool,
    /// The signed-in user, for tokens from a user sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    /// The application (client id) the token was issued to, for tokens from the identity
    /// endpoints (user and app sign-in alike).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
}

/// Who a token from the identity endpoints is for: a user (with the client that signed
/// them in) or an application on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bearer {
    User { upn: String, client_id: String },
    App { client_id: String },
}

/// Why a request's token was refused. The texts never include the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    Missing,
    Malformed,
    BadSignature,
    Expired,
    WrongAudience,
}

impl Rejection {
    pub fn description(self) -> &'static str {
        match self {
            Rejection::Missing => "No bearer token was sent.",
            Rejection::Malformed => "The bearer token is malformed.",
            Rejection::BadSignature => "The bearer token's signature is not valid.",
            Rejection::Expired => "The bearer token has expired.",
            Rejection::WrongAudience => "The bearer token was issued for another audience.",
        }
    }

    /// Whether to add `error="invalid_token"` (RFC 6750: not when no token came at all).
    pub fn is_invalid_token(self) -> bool {
        self != Rejection::Missing
    }
}

pub struct TokenAuthority {
    key_bytes: [u8; KEY_LENGTH],
    key: hmac::Key,
}

impl TokenAuthority {
    pub fn generate() -> Self {
        let mut key_bytes = [0u8; KEY_LENGTH];
        SystemRandom::new()
            .fill(&mut key_bytes)
            .expect("the system random source works");
        Self::from_key(key_bytes)
    }

    pub fn from_key(key_bytes: [u8; KEY_LENGTH]) -> Self {
        TokenAuthority {
            key: hmac::Key::new(hmac::HMAC_SHA256, &key_bytes),
            key_bytes,
        }
    }

    pub fn key_bytes(&self) -> &[u8; KEY_LENGTH] {
        &self.key_bytes
    }

    /// A token with no user or app claims, as printed in the start-up line.
    pub fn issue(
        &self,
        audience: &str,
        tenant_id: &str,
        admin: bool,
        now: SystemTime,
        lifetime: Duration,
    ) -> String {
        self.sign(&Self::claims(audience, tenant_id, admin, now, lifetime))
    }

    /// A token for `bearer`, as the identity endpoints issue it.
    pub fn issue_for(
        &self,
        bearer: &Bearer,
        audience: &str,
        tenant_id: &str,
        admin: bool,
        now: SystemTime,
        lifetime: Duration,
    ) -> String {
        let mut claims = Self::claims(audience, tenant_id, admin, now, lifetime);
        match bearer {
            Bearer::User { upn, client_id } => {
                claims.upn = Some(upn.clone());
                claims.appid = Some(client_id.clone());
            }
            Bearer::App { client_id } => claims.appid = Some(client_id.clone()),
        }
        self.sign(&claims)
    }

    fn claims(
        audience: &str,
        tenant_id: &str,
        admin: bool,
        now: SystemTime,
        lifetime: Duration,
    ) -> Claims {
        let issued_at = unix_seconds(now);
        Claims {
            aud: audience.to_string(),
            iss: ISSUER.to_string(),
            tid: tenant_id.to_string(),
            iat: issued_at,
            exp: issued_at.saturating_add(lifetime.as_secs()),
            admin,
            upn: None,
            appid: None,
        }
    }

    fn sign(&self, claims: &Claims) -> String {
        let payload = serde_json::to_vec(claims).expect("claims always serialize");
        let signed_part = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature = hmac::sign(&self.key, signed_part.as_bytes());
        format!(
            "{signed_part}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        )
    }

    /// Checks a token for `audience` at time `now`: shape, then signature, expiry, audience.
    pub fn check(&self, token: &str, audience: &str, now: SystemTime) -> Result<Claims, Rejection> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Rejection::Malformed);
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| Rejection::Malformed)?;
        let signed_part = &token[..header.len() + 1 + payload.len()];
        hmac::verify(&self.key, signed_part.as_bytes(), &signature)
            .map_err(|_| Rejection::BadSignature)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| Rejection::Malformed)?;
        let claims: Claims = serde_json::from_slice(&payload).map_err(|_| Rejection::Malformed)?;
        if unix_seconds(now) >= claims.exp {
            return Err(Rejection::Expired);
        }
        if !same_audience(&claims.aud, audience) {
            return Err(Rejection::WrongAudience);
        }
        Ok(claims)
    }
}

/// Pulls the token out of an `Authorization` header value.
pub fn bearer_token(authorization: Option<&str>) -> Result<&str, Rejection> {
    let value = authorization.ok_or(Rejection::Missing)?.trim();
    let (scheme, token) = value.split_once(' ').ok_or(Rejection::Malformed)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(Rejection::Malformed);
    }
    Ok(token.trim())
}

fn same_audience(left: &str, right: &str) -> bool {
    left.trim_end_matches('/')
        .eq_ignore_ascii_case(right.trim_end_matches('/'))
}

pub fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUDIENCE: &str = "http://127.0.0.1:9000/contoso-admin";
    const HOUR: Duration = Duration::from_secs(3600);

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn issued_tokens_check_out_for_their_audience() {
        let authority = TokenAuthority::generate();
        let token = authority.issue(AUDIENCE, "tenant-id", true, at(1000), HOUR);
        let claims = authority.check(&token, AUDIENCE, at(1001)).unwrap();
        assert_eq!(claims.aud, AUDIENCE);
        assert_eq!(claims.exp, 1000 + 3600);
        assert!(claims.admin);
        assert!(
            authority
                .check(&token, &format!("{AUDIENCE}/"), at(1001))
                .is_ok()
        );
    }

    #[test]
    fn expired_tokens_are_refused() {
        let authority = TokenAuthority::generate();
        let token = authority.issue(AUDIENCE, "t", true, at(1000), HOUR);
        assert_eq!(
            authority.check(&token, AUDIENCE, at(1000 + 3600)),
            Err(Rejection::Expired)
        );
    }

    #[test]
    fn other_audiences_are_refused() {
        let authority = TokenAuthority::generate();
        let token = authority.issue(AUDIENCE, "t", true, at(1000), HOUR);
        let other = "http://127.0.0.1:9000/fabrikam-admin";
        assert_eq!(
            authority.check(&token, other, at(1001)),
            Err(Rejection::WrongAudience)
        );
    }

    #[test]
    fn malformed_and_forged_tokens_are_refused() {
        let authority = TokenAuthority::generate();
        for token in ["", "abc", "a.b", "a.b.c.d", "a.b.!!!"] {
            assert_eq!(
                authority.check(token, AUDIENCE, at(0)),
                Err(Rejection::Malformed),
                "{token}"
            );
        }
        let stranger = TokenAuthority::generate();
        let forged = stranger.issue(AUDIENCE, "t", true, at(0), HOUR);
        assert_eq!(
            authority.check(&forged, AUDIENCE, at(1)),
            Err(Rejection::BadSignature)
        );

        let genuine = authority.issue(AUDIENCE, "t", false, at(0), HOUR);
        let mut parts: Vec<&str> = genuine.split('.').collect();
        let elevated = URL_SAFE_NO_PAD.encode(
            String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap())
                .unwrap()
                .replace("\"admin\":false", "\"admin\":true"),
        );
        parts[1] = &elevated;
        assert_eq!(
            authority.check(&parts.join("."), AUDIENCE, at(1)),
            Err(Rejection::BadSignature)
        );
    }

    #[test]
    fn user_and_app_tokens_carry_upn_and_appid() {
        let authority = TokenAuthority::generate();
        let user = Bearer::User {
            upn: "admin@contoso.onmicrosoft.com".into(),
            client_id: "client".into(),
        };
        let token = authority.issue_for(&user, AUDIENCE, "t", true, at(10), HOUR);
        let claims = authority.check(&token, AUDIENCE, at(11)).unwrap();
        assert_eq!(claims.upn.as_deref(), Some("admin@contoso.onmicrosoft.com"));
        assert_eq!(claims.appid.as_deref(), Some("client"));
        assert_eq!(claims.iat, 10);

        let app = Bearer::App {
            client_id: "app".into(),
        };
        let token = authority.issue_for(&app, AUDIENCE, "t", true, at(10), HOUR);
        let claims = authority.check(&token, AUDIENCE, at(11)).unwrap();
        assert_eq!(claims.upn, None);
        assert_eq!(claims.appid.as_deref(), Some("app"));

        // The printed tokens have neither claim, not even as null.
        let plain = authority.issue(AUDIENCE, "t", true, at(10), HOUR);
        let payload = URL_SAFE_NO_PAD
            .decode(plain.split('.').nth(1).unwrap())
            .unwrap();
        let text = String::from_utf8(payload).unwrap();
        assert!(!text.contains("upn") && !text.contains("appid"), "{text}");
    }

    #[test]
    fn the_same_key_checks_tokens_after_a_restart() {
        let authority = TokenAuthority::generate();
        let token = authority.issue(AUDIENCE, "t", true, at(0), HOUR);
        let restored = TokenAuthority::from_key(*authority.key_bytes());
        assert!(restored.check(&token, AUDIENCE, at(1)).is_ok());
    }

    #[test]
    fn bearer_header_parsing() {
        assert_eq!(bearer_token(None), Err(Rejection::Missing));
        assert_eq!(bearer_token(Some("Basic abc")), Err(Rejection::Malformed));
        assert_eq!(bearer_token(Some("Bearer")), Err(Rejection::Malformed));
        assert_eq!(bearer_token(Some("Bearer   ")), Err(Rejection::Malformed));
        assert_eq!(bearer_token(Some("bearer abc.def")), Ok("abc.def"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn arbitrary_strings_are_never_accepted(token in "[A-Za-z0-9_.-]{0,200}") {
                let authority = TokenAuthority::generate();
                prop_assert!(authority.check(&token, AUDIENCE, at(0)).is_err());
            }
        }
    }
}
