//! Refresh tokens: opaque random strings, remembered (as SHA-256) with whom they sign in.
//! Each use hands out a new one; older ones stay valid until they expire (90 days), as the
//! identity platform's usually do. They live in memory only: a restart forgets them.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use ring::digest::{SHA256, digest};

use super::users::random_text;

pub const LIFETIME: Duration = Duration::from_secs(90 * 24 * 3600);
/// At most this many are remembered; the oldest go first.
const MAX_TOKENS: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshGrant {
    pub upn: String,
    /// The tenant's name.
    pub tenant: String,
    pub client_id: String,
}

#[derive(Debug, Default)]
pub struct RefreshTokens {
    by_key: HashMap<Vec<u8>, (RefreshGrant, SystemTime)>,
}

impl RefreshTokens {
    pub fn issue(&mut self, grant: RefreshGrant, now: SystemTime) -> String {
        self.by_key
            .retain(|_, (_, issued)| *issued + LIFETIME > now);
        if self.by_key.len() >= MAX_TOKENS {
            let oldest = self
                .by_key
                .iter()
                .min_by_key(|(_, (_, issued))| *issued)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.by_key.remove(&oldest);
            }
        }
        let token = random_text(48);
        self.by_key.insert(key_of(&token), (grant, now));
        token
    }

    /// The grant behind `token`, if it is one of ours and not expired.
    pub fn find(&self, token: &str, now: SystemTime) -> Option<&RefreshGrant> {
        self.by_key
            .get(&key_of(token.trim()))
            .filter(|(_, issued)| *issued + LIFETIME > now)
            .map(|(grant, _)| grant)
    }
}

fn key_of(token: &str) -> Vec<u8> {
    digest(&SHA256, token.as_bytes()).as_ref().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn grant() -> RefreshGrant {
        RefreshGrant {
            upn: "admin@contoso.onmicrosoft.com".into(),
            tenant: "contoso".into(),
            client_id: "c".into(),
        }
    }

    #[test]
    fn tokens_are_new_each_time_and_old_ones_stay_valid() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut tokens = RefreshTokens::default();
        let first = tokens.issue(grant(), now);
        let second = tokens.issue(grant(), now);
        assert_ne!(first, second);
        assert_eq!(tokens.find(&first, now), Some(&grant()));
        assert_eq!(tokens.find(&second, now), Some(&grant()));
        assert_eq!(tokens.find("unknown", now), None);
        assert_eq!(tokens.find(&first, now + LIFETIME), None);
    }
}
