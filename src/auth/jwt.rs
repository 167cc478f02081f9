//! Reading the claims of a token we were given, without checking its signature.
//!
//! SharePoint checks the signature; we only peek at the payload to know when the token
//! expires and whom it names, so a token we cannot read is still usable.

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

/// The claims this library uses; every one is optional because tokens differ by flow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Claims {
    /// Expiry, Unix seconds.
    pub exp: Option<u64>,
    /// The tenant id.
    pub tid: Option<String>,
    /// The signed-in user: `upn`, else `preferred_username`, else `unique_name`.
    pub account: Option<String>,
    /// The application: `appid` (v1 tokens) or `azp` (v2 tokens).
    pub app_id: Option<String>,
}

/// Tokens larger than this are not decoded (real ones are a few kilobytes).
const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// The claims of a JWT's payload, or None when `token` is not a readable JWT.
pub(crate) fn read_claims(token: &str) -> Option<Claims> {
    if token.len() > MAX_TOKEN_BYTES {
        return None;
    }
    let mut parts = token.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    // Tokens use unpadded base64url; accept padding too, some tools add it.
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| URL_SAFE.decode(payload))
        .ok()?;
    let claims: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Some(Claims {
        exp: claims.get("exp").and_then(seconds),
        tid: text("tid"),
        account: text("upn")
            .or_else(|| text("preferred_username"))
            .or_else(|| text("unique_name")),
        app_id: text("appid").or_else(|| text("azp")),
    })
}

/// A time in seconds given as a JSON number or a numeric string; fractions are dropped.
pub(crate) fn seconds(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(|f| f as u64)
            })
        }
        _ => None,
    }
}

/// Unpadded base64url, as JWTs and `x5t` use it.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
pub(crate) fn fake_token(claims: &Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        base64url(br#"{"alg":"RS256","typ":"JWT"}"#),
        base64url(claims.to_string().as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn user_token_claims_are_read() {
        let token = fake_token(&json!({
            "aud": "https://contoso-admin.sharepoint.com",
            "exp": 1_900_000_000u64,
            "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "upn": "admin@contoso.com",
            "preferred_username": "other@contoso.com",
            "appid": "9bc3ab49-b65d-410a-85ad-de819febfddc",
        }));
        let claims = read_claims(&token).unwrap();
        assert_eq!(claims.exp, Some(1_900_000_000));
        assert_eq!(
            claims.tid.as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        assert_eq!(claims.account.as_deref(), Some("admin@contoso.com"));
        assert_eq!(
            claims.app_id.as_deref(),
            Some("9bc3ab49-b65d-410a-85ad-de819febfddc")
        );
    }

    #[test]
    fn fallbacks_and_odd_shapes() {
        let claims = read_claims(&fake_token(&json!({
            "exp": "1700000000.5", "preferred_username": "u@c.com", "azp": "app", "upn": ""
        })))
        .unwrap();
        assert_eq!(claims.exp, Some(1_700_000_000));
        assert_eq!(claims.account.as_deref(), Some("u@c.com"));
        assert_eq!(claims.app_id.as_deref(), Some("app"));
        let claims = read_claims(&fake_token(&json!({"unique_name": "x", "exp": -5}))).unwrap();
        assert_eq!(claims.exp, None);
        assert_eq!(claims.account.as_deref(), Some("x"));
        // Padded payloads are accepted too.
        let padded = format!("h.{}.s", URL_SAFE.encode(br#"{"exp":12}"#));
        assert_eq!(read_claims(&padded).unwrap().exp, Some(12));
    }

    #[test]
    fn unreadable_tokens_give_none() {
        for token in ["", "opaque-token", "a.b.c", "a.bm90IGpzb24.c", "a.WzFd.c"] {
            assert_eq!(read_claims(token), None, "{token}");
        }
    }

    proptest! {
        #[test]
        fn reading_claims_never_panics(token in ".{0,300}") {
            let _ = read_claims(&token);
        }

        #[test]
        fn exp_round_trips(exp in 0u64..=u64::from(u32::MAX) * 4, upn in "[a-z]{1,10}@[a-z]{1,10}\\.com") {
            let claims = read_claims(&fake_token(&json!({"exp": exp, "upn": upn}))).unwrap();
            prop_assert_eq!(claims.exp, Some(exp));
            prop_assert_eq!(claims.account, Some(upn));
        }
    }
}
