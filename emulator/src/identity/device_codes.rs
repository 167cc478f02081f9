//! The device code flow's state (RFC 8628): codes are issued pending, approved or denied
//! through the control endpoints (or the `/devicelogin` page), and redeemed once by
//! polling the token endpoint.
//!
//! ```text
//! pending --approve--> approved --poll--> redeemed
//!    |  \--deny--> denied
//!    \-- (lifetime over) --> expired   (whatever the decision, unless redeemed)
//! ```
//!
//! Device codes are secrets: only their SHA-256 is kept, and they never appear in listings.

use std::time::{Duration, SystemTime};

use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};

use super::tenancy::Scope;
use super::users::random_text;

/// Added to the required polling interval after each `slow_down` (RFC 8628 §3.5).
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Codes this long past their expiry are forgotten (polling them then gives invalid_grant).
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// At most this many codes are remembered; the oldest go first.
const MAX_CODES: usize = 10_000;
/// User codes: 9 characters without look-alikes (no I, O, 0, 1).
const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const USER_CODE_LENGTH: usize = 9;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceCodeSettings {
    pub lifetime: Duration,
    pub interval: Duration,
}

/// What a code was requested for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRequest {
    /// The tenant named in the URL; `None` for `organizations` / `common`.
    pub tenant: Option<String>,
    pub client_id: String,
    pub scope: Scope,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Pending,
    Approved { upn: String },
    Denied,
    Redeemed,
}

impl Decision {
    pub fn name(&self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved { .. } => "approved",
            Decision::Denied => "denied",
            Decision::Redeemed => "redeemed",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    key: Vec<u8>,
    pub user_code: String,
    pub request: CodeRequest,
    pub created: SystemTime,
    pub expires: SystemTime,
    required_interval: Duration,
    last_poll: Option<SystemTime>,
    pub decision: Decision,
}

impl Entry {
    pub fn is_expired(&self, now: SystemTime) -> bool {
        now >= self.expires
    }
}

/// A newly issued code.
pub struct Issued {
    pub device_code: String,
    pub user_code: String,
}

/// What a poll of the token endpoint finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Poll {
    /// No decision yet: `authorization_pending`.
    Pending,
    /// Polled sooner than the interval: `slow_down` (the interval grows by 5 s).
    SlowDown,
    Expired,
    Declined,
    /// Approved: the code is now used up; issue tokens for `upn`.
    Approved {
        upn: String,
        request: CodeRequest,
    },
    /// Redeemed before.
    AlreadyRedeemed,
    /// Not a code we issued (or long forgotten).
    Unknown,
    /// Issued to another client id.
    WrongClient,
}

/// Why an approval or denial was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecisionError {
    Unknown,
    Expired,
    AlreadyDecided(&'static str),
}

impl DecisionError {
    pub fn describe(&self) -> String {
        match self {
            DecisionError::Unknown => "No device code has this user code.".to_string(),
            DecisionError::Expired => "This device code has expired.".to_string(),
            DecisionError::AlreadyDecided(state) => {
                format!("This device code is already {state}.")
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct DeviceCodes {
    entries: Vec<Entry>,
}

impl DeviceCodes {
    pub fn issue(
        &mut self,
        request: CodeRequest,
        settings: DeviceCodeSettings,
        now: SystemTime,
    ) -> Issued {
        self.entries.retain(|entry| {
            entry.expires + FORGET_AFTER > now && entry.decision != Decision::Redeemed
        });
        if self.entries.len() >= MAX_CODES {
            self.entries.remove(0);
        }
        let device_code = random_text(48);
        let user_code = loop {
            let candidate = random_user_code();
            if self
                .entries
                .iter()
                .all(|entry| entry.user_code != candidate)
            {
                break candidate;
            }
        };
        self.entries.push(Entry {
            key: key_of(&device_code),
            user_code: user_code.clone(),
            request,
            created: now,
            expires: now + settings.lifetime,
            required_interval: settings.interval,
            last_poll: None,
            decision: Decision::Pending,
        });
        Issued {
            device_code,
            user_code,
        }
    }

    /// A poll of the token endpoint with `device_code` by `client_id`.
    pub fn poll(&mut self, device_code: &str, client_id: &str, now: SystemTime) -> Poll {
        let key = key_of(device_code.trim());
        let Some(entry) = self.entries.iter_mut().find(|entry| entry.key == key) else {
            return Poll::Unknown;
        };
        if !entry
            .request
            .client_id
            .eq_ignore_ascii_case(client_id.trim())
        {
            return Poll::WrongClient;
        }
        if entry.decision == Decision::Redeemed {
            return Poll::AlreadyRedeemed;
        }
        if entry.is_expired(now) {
            return Poll::Expired;
        }
        match &entry.decision {
            Decision::Denied => Poll::Declined,
            Decision::Approved { upn } => {
                let upn = upn.clone();
                entry.decision = Decision::Redeemed;
                Poll::Approved {
                    upn,
                    request: entry.request.clone(),
                }
            }
            Decision::Pending | Decision::Redeemed => {
                let too_soon = entry.last_poll.is_some_and(|last| {
                    let elapsed = now.duration_since(last).unwrap_or(Duration::ZERO);
                    // A fifth of the interval is forgiven: clocks and networks jitter.
                    elapsed + entry.required_interval / 5 < entry.required_interval
                });
                entry.last_poll = Some(now);
                if too_soon {
                    entry.required_interval += SLOW_DOWN_STEP;
                    Poll::SlowDown
                } else {
                    Poll::Pending
                }
            }
        }
    }

    /// The pending, unexpired code with this user code (any case, dashes and spaces ignored).
    pub fn pending(&self, user_code: &str, now: SystemTime) -> Result<&Entry, DecisionError> {
        let wanted = normalized_user_code(user_code);
        let entry = self
            .entries
            .iter()
            .find(|entry| entry.user_code == wanted)
            .ok_or(DecisionError::Unknown)?;
        if entry.decision != Decision::Pending {
            return Err(DecisionError::AlreadyDecided(entry.decision.name()));
        }
        if entry.is_expired(now) {
            return Err(DecisionError::Expired);
        }
        Ok(entry)
    }

    pub fn approve(
        &mut self,
        user_code: &str,
        upn: &str,
        now: SystemTime,
    ) -> Result<(), DecisionError> {
        self.decide(
            user_code,
            Decision::Approved {
                upn: upn.to_string(),
            },
            now,
        )
    }

    pub fn deny(&mut self, user_code: &str, now: SystemTime) -> Result<(), DecisionError> {
        self.decide(user_code, Decision::Denied, now)
    }

    fn decide(
        &mut self,
        user_code: &str,
        decision: Decision,
        now: SystemTime,
    ) -> Result<(), DecisionError> {
        self.pending(user_code, now)?;
        let wanted = normalized_user_code(user_code);
        if let Some(entry) = self
            .entries
            .iter_mut()
            .find(|entry| entry.user_code == wanted)
        {
            entry.decision = decision;
        }
        Ok(())
    }

    /// The codes waiting for a decision, oldest first.
    pub fn waiting(&self, now: SystemTime) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(move |entry| entry.decision == Decision::Pending && !entry.is_expired(now))
    }
}

fn key_of(device_code: &str) -> Vec<u8> {
    digest(&SHA256, device_code.as_bytes()).as_ref().to_vec()
}

fn random_user_code() -> String {
    let mut bytes = [0u8; USER_CODE_LENGTH];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the system random source works");
    bytes
        .iter()
        .map(|b| USER_CODE_ALPHABET[usize::from(*b) % USER_CODE_ALPHABET.len()] as char)
        .collect()
}

pub fn normalized_user_code(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tenancy::Resource;
    use super::*;
    use std::time::UNIX_EPOCH;

    const CLIENT: &str = "9bc3ab49-b65d-410a-85ad-de819febfddc";

    fn settings() -> DeviceCodeSettings {
        DeviceCodeSettings {
            lifetime: Duration::from_secs(900),
            interval: Duration::from_secs(5),
        }
    }

    fn request() -> CodeRequest {
        CodeRequest {
            tenant: None,
            client_id: CLIENT.into(),
            scope: Scope {
                resource: Resource::OwnSite,
                resource_text: "http://127.0.0.1:1".into(),
                offline_access: true,
                has_user_scopes: false,
            },
        }
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_000_000 + seconds)
    }

    #[test]
    fn pending_then_approved_then_redeemed_once() {
        let mut codes = DeviceCodes::default();
        let issued = codes.issue(request(), settings(), at(0));
        assert_eq!(issued.user_code.len(), 9);
        assert!(issued.device_code.len() >= 64);
        assert_eq!(
            codes.poll(&issued.device_code, CLIENT, at(5)),
            Poll::Pending
        );
        assert_eq!(codes.waiting(at(6)).count(), 1);

        let typed = format!(
            "{}-{}",
            &issued.user_code[..4].to_lowercase(),
            &issued.user_code[4..]
        );
        codes
            .approve(&typed, "admin@contoso.onmicrosoft.com", at(7))
            .unwrap();
        assert_eq!(codes.waiting(at(8)).count(), 0);
        assert_eq!(
            codes.approve(&issued.user_code, "x", at(8)),
            Err(DecisionError::AlreadyDecided("approved"))
        );
        assert_eq!(
            codes.poll(&issued.device_code, CLIENT, at(10)),
            Poll::Approved {
                upn: "admin@contoso.onmicrosoft.com".into(),
                request: request()
            }
        );
        assert_eq!(
            codes.poll(&issued.device_code, CLIENT, at(15)),
            Poll::AlreadyRedeemed
        );
    }

    #[test]
    fn denied_codes_are_declined() {
        let mut codes = DeviceCodes::default();
        let issued = codes.issue(request(), settings(), at(0));
        codes.deny(&issued.user_code, at(1)).unwrap();
        assert_eq!(
            codes.poll(&issued.device_code, CLIENT, at(5)),
            Poll::Declined
        );
        assert_eq!(
            codes.poll(&issued.device_code, CLIENT, at(10)),
            Poll::Declined
        );
        assert_eq!(
            codes.deny(&issued.user_code, at(11)),
            Err(DecisionError::AlreadyDecided("denied"))
        );
    }

    #[test]
    fn codes_expire_whatever_their_decision() {
        let mut codes = DeviceCodes::default();
        let pending = codes.issue(request(), settings(), at(0));
        let approved = codes.issue(request(), settings(), at(0));
        codes.approve(&approved.user_code, "u", at(1)).unwrap();
        assert_eq!(
            codes.poll(&pending.device_code, CLIENT, at(900)),
            Poll::Expired
        );
        assert_eq!(
            codes.poll(&approved.device_code, CLIENT, at(900)),
            Poll::Expired
        );
        assert_eq!(
            codes.approve(&pending.user_code, "u", at(900)),
            Err(DecisionError::Expired)
        );
        assert_eq!(codes.waiting(at(900)).count(), 0);
        // Long-expired codes are forgotten when new ones are issued.
        codes.issue(request(), settings(), at(900 + 3600));
        assert_eq!(
            codes.poll(&pending.device_code, CLIENT, at(900 + 3600)),
            Poll::Unknown
        );
    }

    #[test]
    fn polling_too_fast_slows_down_by_five_seconds() {
        let mut codes = DeviceCodes::default();
        let issued = codes.issue(request(), settings(), at(0));
        let code = &issued.device_code;
        // The first poll may come at once; then every 5 s (4 s is within the jitter).
        assert_eq!(codes.poll(code, CLIENT, at(0)), Poll::Pending);
        assert_eq!(codes.poll(code, CLIENT, at(4)), Poll::Pending);
        assert_eq!(codes.poll(code, CLIENT, at(6)), Poll::SlowDown);
        // Now 10 s are required.
        assert_eq!(codes.poll(code, CLIENT, at(13)), Poll::SlowDown);
        // ... and now 15 s.
        assert_eq!(codes.poll(code, CLIENT, at(28)), Poll::Pending);

        let fast = DeviceCodeSettings {
            interval: Duration::ZERO,
            ..settings()
        };
        let issued = codes.issue(request(), fast, at(0));
        for _ in 0..3 {
            assert_eq!(
                codes.poll(&issued.device_code, CLIENT, at(1)),
                Poll::Pending
            );
        }
    }

    #[test]
    fn unknown_codes_and_other_clients_are_refused() {
        let mut codes = DeviceCodes::default();
        let issued = codes.issue(request(), settings(), at(0));
        assert_eq!(codes.poll("nope", CLIENT, at(1)), Poll::Unknown);
        assert_eq!(
            codes.poll(
                &issued.device_code,
                "00000000-0000-0000-0000-000000000000",
                at(1)
            ),
            Poll::WrongClient
        );
        assert_eq!(
            codes.poll(&issued.device_code, &CLIENT.to_uppercase(), at(1)),
            Poll::Pending
        );
        assert_eq!(
            codes.approve("ZZZZZZZZZ", "u", at(1)),
            Err(DecisionError::Unknown)
        );
    }

    #[test]
    fn user_codes_are_unambiguous() {
        for _ in 0..50 {
            let code = random_user_code();
            assert!(
                code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b)),
                "{code}"
            );
        }
        assert_eq!(normalized_user_code("abcd-efg h1"), "ABCDEFGH1");
    }
}
