//! The token holder a connection asks for a bearer token before each request. It renews
//! the token shortly before it expires, one renewal at a time however many requests ask.

use super::assertion::client_assertion;
use super::certificate::SigningCertificate;
use super::credential::{SignInMethod, access_token_expired};
use super::http::AuthHttp;
use super::jwt::{Claims, read_claims};
use super::managed_identity::Endpoint;
use super::token_endpoint::{IssuedToken, client_credentials_form, refresh_form, request_token};
use crate::error::{Error, ErrorKind};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};
use url::Url;
use zeroize::Zeroizing;

/// The current time in Unix seconds; tests replace it to move time without waiting.
pub(crate) type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

pub(crate) fn system_clock() -> Clock {
    Arc::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    })
}

/// Renew at most this long before expiry: a one-hour token is renewed after 55 minutes.
const MAX_RENEWAL_MARGIN: u64 = 300;
/// A token with less than this left is not handed out; it could expire in flight.
const MIN_REMAINING: u64 = 30;

/// Whether a token issued at `issued_at` and expiring at `expires_at` is due for renewal
/// at `now`: within 5 minutes of expiry, or within the last tenth of its lifetime for
/// tokens shorter than 50 minutes (so a 10-minute token is not renewed every time).
pub(crate) fn renewal_due(now: u64, issued_at: u64, expires_at: u64) -> bool {
    let lifetime = expires_at.saturating_sub(issued_at);
    let margin = (lifetime / 10).min(MAX_RENEWAL_MARGIN);
    now.saturating_add(margin) >= expires_at
}

/// What a token is good for at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freshness {
    /// Use it.
    Fresh,
    /// Renew it, but it still works if renewing fails.
    Due,
    /// Renew it or fail.
    Expired,
}

/// What the admin may see about a sign-in; never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInInfo {
    pub method: SignInMethod,
    /// The tenant id (`tid` claim), when the token is readable.
    pub tenant_id: Option<String>,
    /// The signed-in user (`upn`, `preferred_username` or `unique_name` claim).
    pub account: Option<String>,
    /// The application (`appid` or `azp` claim).
    pub app_id: Option<String>,
    /// When the current token expires, Unix seconds; None when unknown (an opaque token).
    pub expires_on: Option<u64>,
    /// Whether the token is renewed automatically.
    pub can_renew: bool,
    /// The certificate's SHA-1 thumbprint, for certificate sign-in.
    pub certificate_thumbprint: Option<String>,
}

/// How a new token is obtained.
pub(crate) enum Renewer {
    /// A pasted token: never.
    Never,
    /// With the newest refresh token (device code and password sign-in).
    RefreshToken {
        http: AuthHttp,
        token_url: Url,
        client_id: String,
        scope: String,
    },
    /// With a new client assertion.
    Certificate {
        http: AuthHttp,
        token_url: Url,
        client_id: String,
        scope: String,
        certificate: SigningCertificate,
    },
    /// From the managed identity endpoint again.
    ManagedIdentity {
        http: AuthHttp,
        endpoint: Endpoint,
        resource: String,
        client_id: Option<String>,
    },
}

impl Renewer {
    /// A new token; `refresh_token` is the newest refresh token, if any.
    pub(crate) async fn renew(
        &self,
        refresh_token: Option<&str>,
        clock: &Clock,
    ) -> Result<IssuedToken, Error> {
        match self {
            Renewer::Never => Err(access_token_expired()),
            Renewer::RefreshToken {
                http,
                token_url,
                client_id,
                scope,
            } => {
                let Some(refresh_token) = refresh_token else {
                    return Err(Error::new(
                        ErrorKind::Unauthorized,
                        "SignInExpired",
                        "The access token has expired and cannot be renewed, because the sign-in did not return a refresh token. Run Connect-SPOService again.",
                    ));
                };
                let form = refresh_form(client_id, scope, refresh_token);
                request_token(http, token_url, form, clock)
                    .await
                    .map_err(|f| f.into_error())
            }
            Renewer::Certificate {
                http,
                token_url,
                client_id,
                scope,
                certificate,
            } => {
                let assertion =
                    client_assertion(certificate, client_id, token_url.as_str(), clock())?;
                let form = client_credentials_form(client_id, scope, &assertion);
                drop(assertion);
                request_token(http, token_url, form, clock)
                    .await
                    .map_err(|f| f.into_error())
            }
            Renewer::ManagedIdentity {
                http,
                endpoint,
                resource,
                client_id,
            } => {
                endpoint
                    .fetch(http, resource, client_id.as_deref(), clock)
                    .await
            }
        }
    }
}

/// The token in use and what we know about it.
struct Current {
    token: Zeroizing<String>,
    issued_at: u64,
    expires_at: Option<u64>,
    claims: Claims,
    can_renew: bool,
}

impl Current {
    fn freshness(&self, now: u64) -> Freshness {
        match self.expires_at {
            None => Freshness::Fresh,
            Some(expires_at) if now.saturating_add(MIN_REMAINING) >= expires_at => {
                Freshness::Expired
            }
            Some(expires_at) if self.can_renew && renewal_due(now, self.issued_at, expires_at) => {
                Freshness::Due
            }
            Some(_) => Freshness::Fresh,
        }
    }
}

struct Shared {
    method: SignInMethod,
    renewer: Renewer,
    clock: Clock,
    certificate_thumbprint: Option<String>,
    current: Mutex<Current>,
    /// Held for the whole of a renewal, so only one runs at a time; it guards the newest
    /// refresh token, which only renewals use.
    renewal: tokio::sync::Mutex<Option<Zeroizing<String>>>,
}

impl Shared {
    fn current(&self) -> MutexGuard<'_, Current> {
        // A poisoned lock only means a thread panicked while holding it; the token it
        // guards is replaced whole, so it is consistent.
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn look(&self) -> (Freshness, Zeroizing<String>) {
        let current = self.current();
        (current.freshness((self.clock)()), current.token.clone())
    }
}

/// A signed-in identity that hands out bearer tokens for the admin site and renews them.
/// Cheap to clone; clones share the token. Safe to use from many threads.
#[derive(Clone)]
pub struct TokenSource {
    shared: Arc<Shared>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.info();
        f.debug_struct("TokenSource")
            .field("method", &info.method)
            .field("expires_on", &info.expires_on)
            .field("can_renew", &info.can_renew)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// A source whose first token is `first`.
    pub(crate) fn new(
        method: SignInMethod,
        renewer: Renewer,
        first: IssuedToken,
        clock: Clock,
        certificate_thumbprint: Option<String>,
    ) -> Self {
        let IssuedToken {
            access_token,
            refresh_token,
            issued_at,
            expires_at,
        } = first;
        let can_renew = match renewer {
            Renewer::Never => false,
            Renewer::RefreshToken { .. } => refresh_token.is_some(),
            Renewer::Certificate { .. } | Renewer::ManagedIdentity { .. } => true,
        };
        let current = Current {
            claims: read_claims(&access_token).unwrap_or_default(),
            token: access_token,
            issued_at,
            expires_at: Some(expires_at),
            can_renew,
        };
        TokenSource {
            shared: Arc::new(Shared {
                method,
                renewer,
                clock,
                certificate_thumbprint,
                current: Mutex::new(current),
                renewal: tokio::sync::Mutex::new(refresh_token),
            }),
        }
    }

    /// A source for a pasted token, which expires when its `exp` claim says (never, as far
    /// as we know, when the token is not a readable JWT).
    pub(crate) fn pasted(token: Zeroizing<String>, clock: Clock) -> Result<Self, Error> {
        let claims = read_claims(&token).unwrap_or_default();
        let current = Current {
            token,
            issued_at: clock(),
            expires_at: claims.exp,
            claims,
            can_renew: false,
        };
        if current.freshness(clock()) == Freshness::Expired {
            return Err(access_token_expired());
        }
        Ok(TokenSource {
            shared: Arc::new(Shared {
                method: SignInMethod::AccessToken,
                renewer: Renewer::Never,
                clock,
                certificate_thumbprint: None,
                current: Mutex::new(current),
                renewal: tokio::sync::Mutex::new(None),
            }),
        })
    }

    /// A token for the `Authorization: Bearer` header, renewed first when it is about to
    /// expire. When renewing fails but the old token still has time left, the old token is
    /// returned and renewing is tried again on the next call.
    pub async fn bearer(&self) -> Result<Zeroizing<String>, Error> {
        let shared = &*self.shared;
        let (freshness, token) = shared.look();
        if freshness == Freshness::Fresh {
            return Ok(token);
        }
        let mut refresh_token = shared.renewal.lock().await;
        // Another caller may have renewed while we waited for the lock.
        let (freshness, token) = shared.look();
        if freshness == Freshness::Fresh {
            return Ok(token);
        }
        let renewed = shared
            .renewer
            .renew(refresh_token.as_deref().map(String::as_str), &shared.clock)
            .await;
        let issued = match renewed {
            Ok(issued) => issued,
            Err(_) if freshness == Freshness::Due => return Ok(token),
            Err(error) if shared.method == SignInMethod::AccessToken => return Err(error),
            Err(error) => return Err(error.with_note("(The access token was being renewed.)")),
        };
        let IssuedToken {
            access_token,
            refresh_token: new_refresh_token,
            issued_at,
            expires_at,
        } = issued;
        if new_refresh_token.is_some() {
            // The platform may rotate refresh tokens; the newest one is the one to keep.
            *refresh_token = new_refresh_token;
        }
        let mut current = shared.current();
        *current = Current {
            claims: read_claims(&access_token).unwrap_or_default(),
            token: access_token,
            issued_at,
            expires_at: Some(expires_at),
            can_renew: current.can_renew,
        };
        Ok(current.token.clone())
    }

    /// Who is signed in and until when.
    pub fn info(&self) -> SignInInfo {
        let shared = &*self.shared;
        let current = shared.current();
        SignInInfo {
            method: shared.method,
            tenant_id: current.claims.tid.clone(),
            account: current.claims.account.clone(),
            app_id: current.claims.app_id.clone(),
            expires_on: current.expires_at,
            can_renew: current.can_renew,
            certificate_thumbprint: shared.certificate_thumbprint.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::jwt::fake_token;
    use serde_json::json;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn fake_clock(start: u64) -> (Clock, Arc<AtomicU64>) {
        let now = Arc::new(AtomicU64::new(start));
        let reader = Arc::clone(&now);
        (Arc::new(move || reader.load(Ordering::SeqCst)), now)
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        crate::transport::runtime::shared()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn long_tokens_renew_five_minutes_early_short_ones_at_nine_tenths() {
        // One hour: due from 55 minutes on.
        assert!(!renewal_due(3299, 0, 3600));
        assert!(renewal_due(3300, 0, 3600));
        // Ten minutes: due in the last minute only.
        assert!(!renewal_due(539, 0, 600));
        assert!(renewal_due(540, 0, 600));
        // Already expired, or issued already expired.
        assert!(renewal_due(700, 0, 600));
        assert!(renewal_due(50, 50, 50));
        // Odd inputs do not overflow.
        assert!(renewal_due(u64::MAX, 0, u64::MAX));
        assert!(!renewal_due(0, u64::MAX, 10));
    }

    #[test]
    fn a_pasted_token_is_used_until_its_expiry_then_says_it_cannot_renew() {
        let (clock, now) = fake_clock(1_000);
        let token = fake_token(&json!({"exp": 5_000, "tid": "t1", "upn": "admin@contoso.com"}));
        let source = TokenSource::pasted(Zeroizing::new(token.clone()), clock).unwrap();
        let info = source.info();
        assert_eq!(info.method, SignInMethod::AccessToken);
        assert_eq!(info.expires_on, Some(5_000));
        assert_eq!(info.tenant_id.as_deref(), Some("t1"));
        assert_eq!(info.account.as_deref(), Some("admin@contoso.com"));
        assert!(!info.can_renew);
        assert_eq!(*block_on(source.bearer()).unwrap(), token);
        now.store(4_900, Ordering::SeqCst);
        assert_eq!(*block_on(source.bearer()).unwrap(), token);
        now.store(4_970, Ordering::SeqCst);
        let error = block_on(source.bearer()).unwrap_err();
        assert_eq!(error.id(), "AccessTokenExpired");
        assert_eq!(error.kind(), ErrorKind::Unauthorized);
        assert!(error.message().contains("cannot be renewed"));
        assert!(error.message().contains("Connect-SPOService"));
    }

    #[test]
    fn an_expired_pasted_token_is_refused_at_once_and_opaque_ones_never_expire() {
        let (clock, _) = fake_clock(10_000);
        let expired = fake_token(&json!({"exp": 9_000}));
        let error = TokenSource::pasted(Zeroizing::new(expired), clock.clone()).unwrap_err();
        assert_eq!(error.id(), "AccessTokenExpired");
        let opaque = TokenSource::pasted(Zeroizing::new("opaque".into()), clock).unwrap();
        assert_eq!(opaque.info().expires_on, None);
        assert_eq!(*block_on(opaque.bearer()).unwrap(), "opaque");
    }

    #[test]
    fn freshness_of_renewable_and_pasted_tokens() {
        let current = |can_renew| Current {
            token: Zeroizing::new(String::new()),
            issued_at: 0,
            expires_at: Some(3600),
            claims: Claims::default(),
            can_renew,
        };
        assert_eq!(current(true).freshness(3000), Freshness::Fresh);
        assert_eq!(current(true).freshness(3400), Freshness::Due);
        assert_eq!(current(true).freshness(3570), Freshness::Expired);
        // Without renewal the token is used up to its last half minute.
        assert_eq!(current(false).freshness(3400), Freshness::Fresh);
        assert_eq!(current(false).freshness(3570), Freshness::Expired);
    }

    fn issued(token: &str, expires_at: u64) -> IssuedToken {
        IssuedToken {
            access_token: Zeroizing::new(token.into()),
            refresh_token: None,
            issued_at: 0,
            expires_at,
        }
    }

    #[test]
    fn a_failed_renewal_keeps_a_token_that_still_works_and_reports_one_that_does_not() {
        let (clock, now) = fake_clock(0);
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint_url = format!("http://{}/msi/token", closed.local_addr().unwrap());
        drop(closed);
        let endpoint = Endpoint::discover(&|name| match name {
            "IDENTITY_ENDPOINT" => Some(endpoint_url.clone()),
            "IDENTITY_HEADER" => Some("h".into()),
            _ => None,
        })
        .unwrap();
        let renewer = Renewer::ManagedIdentity {
            http: AuthHttp::new(std::time::Duration::from_secs(5), true).unwrap(),
            endpoint,
            resource: "https://contoso-admin.sharepoint.com".into(),
            client_id: None,
        };
        let source = TokenSource::new(
            SignInMethod::ManagedIdentity,
            renewer,
            issued("first", 3600),
            clock,
            None,
        );
        assert!(source.info().can_renew);
        now.store(3400, Ordering::SeqCst);
        assert_eq!(*block_on(source.bearer()).unwrap(), "first");
        now.store(3580, Ordering::SeqCst);
        let error = block_on(source.bearer()).unwrap_err();
        assert_eq!(error.id(), "ConnectionRefused");
        assert!(error.message().contains("renewed"));
    }

    #[test]
    fn without_a_refresh_token_the_sign_in_simply_ends() {
        let (clock, now) = fake_clock(0);
        let renewer = Renewer::RefreshToken {
            http: AuthHttp::new(std::time::Duration::from_secs(5), true).unwrap(),
            token_url: Url::parse("http://127.0.0.1:9/t/oauth2/v2.0/token").unwrap(),
            client_id: "app".into(),
            scope: "s".into(),
        };
        let source = TokenSource::new(
            SignInMethod::DeviceCode,
            renewer,
            issued("only", 3600),
            clock,
            None,
        );
        assert!(!source.info().can_renew);
        now.store(3400, Ordering::SeqCst);
        assert_eq!(*block_on(source.bearer()).unwrap(), "only");
        now.store(3600, Ordering::SeqCst);
        let error = block_on(source.bearer()).unwrap_err();
        assert_eq!(error.id(), "SignInExpired");
        assert!(error.message().contains("Connect-SPOService"));
    }

    #[test]
    fn debug_and_info_never_show_the_token() {
        let (clock, _) = fake_clock(0);
        let source = TokenSource::pasted(Zeroizing::new("secret-token".into()), clock).unwrap();
        let text = format!("{source:?} {:?}", source.info());
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("AccessToken"));
    }

    #[test]
    fn token_sources_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<TokenSource>();
    }
}
