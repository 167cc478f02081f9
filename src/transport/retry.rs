//! When and how long to wait before sending a request again.
//!
//! Only throttling (429, 503) and connections refused before anything was sent are retried:
//! a trust change that reached the server must not be sent twice on a guess. The server's
//! Retry-After wins; otherwise the wait doubles from one second, with jitter so that many
//! scripts throttled together do not return together.
//!
//! While the service names its waits, a request is bounded by time alone (`max_total`), not
//! by attempts: a throttled wave waits as long as it is asked to within that time, and no
//! row fails for having been asked to wait often. Without a named wait, attempts count too.

use crate::error::{Error, ErrorKind};
use std::time::{Duration, SystemTime};

/// Limits on retrying, chosen at connect time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included, when the server names no wait; 1 turns
    /// retrying off.
    pub max_attempts: u32,
    /// No wait may end later than this after the first attempt started.
    pub max_total: Duration,
    /// First backoff step when the server names no wait.
    pub base_delay: Duration,
    /// Longest single backoff step when the server names no wait.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_total: Duration::from_secs(300),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

/// Why a failed attempt may be sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryReason {
    Throttled { http_status: u16 },
    ConnectionRefused,
}

/// What the retry loop needs to know about a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryHint {
    pub reason: RetryReason,
    /// The server's Retry-After, already turned into a wait.
    pub retry_after: Option<Duration>,
}

impl RetryHint {
    /// The server named a wait to keep to. "Retry-After: 0" does not count: it paces nothing,
    /// and bounded by time alone it would allow retrying as fast as the network goes.
    pub fn names_a_wait(&self) -> bool {
        self.retry_after.is_some_and(|wait| !wait.is_zero())
    }
}

/// Whether `error` may be retried, and what the server asked for.
pub fn hint_for(error: &Error) -> Option<RetryHint> {
    match error.kind() {
        ErrorKind::Throttled => Some(RetryHint {
            reason: RetryReason::Throttled {
                http_status: error.http_status().unwrap_or(0),
            },
            retry_after: error.retry_after(),
        }),
        ErrorKind::Network if error.id() == "ConnectionRefused" => Some(RetryHint {
            reason: RetryReason::ConnectionRefused,
            retry_after: None,
        }),
        _ => None,
    }
}

/// How long before the next attempt, and how much of it the request waits by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryWait {
    /// Until the next attempt.
    pub delay: Duration,
    /// What the request sleeps itself; the connection's gate holds it for the rest.
    pub sleep: Duration,
}

impl RetryPolicy {
    /// After a failed attempt: the wait before attempt `next_attempt`, or None when the
    /// budget is used up. `held` is how much longer the connection's gate holds every
    /// request. A named wait is kept with the gate: the request sleeps only what the gate
    /// does not cover (a throttled token renewal never passed the gate, so it sleeps all of
    /// its wait); it then goes again through the gate. Other waits are slept in full.
    pub fn next_wait(
        &self,
        next_attempt: u32,
        hint: &RetryHint,
        elapsed: Duration,
        held: Duration,
    ) -> Option<RetryWait> {
        if !hint.names_a_wait() {
            let delay = self.delay_before(next_attempt, hint, elapsed)?;
            return Some(RetryWait {
                delay,
                sleep: delay,
            });
        }
        let own = hint.retry_after.unwrap_or_default();
        let with_gate = RetryHint {
            retry_after: Some(own.max(held)),
            ..hint.clone()
        };
        let delay = self.delay_before(next_attempt, &with_gate, elapsed)?;
        Some(RetryWait {
            delay,
            sleep: own.saturating_sub(held),
        })
    }

    /// The wait before attempt `next_attempt` (2 for the first retry), or None when the
    /// attempts (without a named wait) or the total time are used up. `elapsed` counts from
    /// the first attempt.
    pub fn delay_before(
        &self,
        next_attempt: u32,
        hint: &RetryHint,
        elapsed: Duration,
    ) -> Option<Duration> {
        if self.max_attempts <= 1 || (!hint.names_a_wait() && next_attempt > self.max_attempts) {
            return None;
        }
        let delay = hint
            .retry_after
            .unwrap_or_else(|| self.backoff(next_attempt));
        (elapsed + delay <= self.max_total).then_some(delay)
    }

    /// Exponential backoff with "full jitter" between half and all of the step.
    fn backoff(&self, next_attempt: u32) -> Duration {
        let exponent = next_attempt.saturating_sub(2).min(16);
        let step = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let half = step / 2;
        half + step.mul_f64(fastrand::f64() * 0.5)
    }
}

/// Reads a Retry-After header: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds.min(24 * 3600)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttled(retry_after: Option<Duration>) -> RetryHint {
        RetryHint {
            reason: RetryReason::Throttled { http_status: 429 },
            retry_after,
        }
    }

    #[test]
    fn retry_after_seconds_and_dates_are_understood() {
        let now = httpdate::parse_http_date("Fri, 27 Nov 2026 10:00:00 GMT").unwrap();
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn the_server_wait_wins_and_named_waits_are_bounded_by_time_alone() {
        let policy = RetryPolicy {
            max_attempts: 3,
            max_total: Duration::from_secs(60),
            ..Default::default()
        };
        let hint = throttled(Some(Duration::from_secs(2)));
        assert_eq!(
            policy.delay_before(2, &hint, Duration::ZERO),
            Some(Duration::from_secs(2))
        );
        // Asked to wait a 30th time, well within the minute: still waits.
        assert_eq!(
            policy.delay_before(30, &hint, Duration::from_secs(40)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.delay_before(31, &hint, Duration::from_secs(59)),
            None
        );
        // Without a named wait, the attempts count.
        let unnamed = throttled(None);
        assert!(policy.delay_before(3, &unnamed, Duration::ZERO).is_some());
        assert_eq!(policy.delay_before(4, &unnamed, Duration::ZERO), None);
        // One attempt in all turns retrying off, named wait or not.
        let once = RetryPolicy {
            max_attempts: 1,
            ..policy
        };
        assert_eq!(once.delay_before(2, &hint, Duration::ZERO), None);
        // "Retry-After: 0" retries at once, but attempts count.
        let now = throttled(Some(Duration::ZERO));
        assert_eq!(
            policy.delay_before(3, &now, Duration::ZERO),
            Some(Duration::ZERO)
        );
        assert_eq!(policy.delay_before(4, &now, Duration::ZERO), None);
    }

    #[test]
    fn a_named_wait_the_gate_already_holds_is_not_slept_twice_and_one_it_does_not_is_slept() {
        let policy = RetryPolicy::default();
        let hint = throttled(Some(Duration::from_secs(2)));
        // A throttled request: its answer set the gate's hold, which covers the wait.
        assert_eq!(
            policy.next_wait(2, &hint, Duration::ZERO, Duration::from_secs(2)),
            Some(RetryWait {
                delay: Duration::from_secs(2),
                sleep: Duration::ZERO
            })
        );
        // Another request was asked to wait longer: the gate holds this one as long.
        assert_eq!(
            policy
                .next_wait(2, &hint, Duration::ZERO, Duration::from_secs(9))
                .map(|wait| (wait.delay, wait.sleep)),
            Some((Duration::from_secs(9), Duration::ZERO))
        );
        // A throttled token renewal never passed the gate: the request sleeps its wait.
        assert_eq!(
            policy.next_wait(2, &hint, Duration::ZERO, Duration::ZERO),
            Some(RetryWait {
                delay: Duration::from_secs(2),
                sleep: Duration::from_secs(2)
            })
        );
        // Without a named wait, the backoff is slept in full.
        let backoff = policy
            .next_wait(2, &throttled(None), Duration::ZERO, Duration::from_secs(5))
            .unwrap();
        assert_eq!(backoff.sleep, backoff.delay);
        // A hold that outlasts the time budget ends the retries.
        assert_eq!(
            policy.next_wait(2, &hint, Duration::from_secs(290), Duration::from_secs(20)),
            None
        );
    }

    #[test]
    fn the_total_time_bound_stops_a_wait_that_would_overrun_it() {
        let policy = RetryPolicy {
            max_total: Duration::from_secs(10),
            ..Default::default()
        };
        let hint = throttled(Some(Duration::from_secs(6)));
        assert!(
            policy
                .delay_before(2, &hint, Duration::from_secs(4))
                .is_some()
        );
        assert_eq!(policy.delay_before(2, &hint, Duration::from_secs(5)), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 30,
            max_total: Duration::from_secs(100_000),
            ..Default::default()
        };
        let hint = throttled(None);
        for _ in 0..50 {
            let first = policy.delay_before(2, &hint, Duration::ZERO).unwrap();
            assert!(
                first >= Duration::from_millis(500) && first <= Duration::from_secs(1),
                "{first:?}"
            );
            let third = policy.delay_before(4, &hint, Duration::ZERO).unwrap();
            assert!(
                third >= Duration::from_secs(2) && third <= Duration::from_secs(4),
                "{third:?}"
            );
            let late = policy.delay_before(20, &hint, Duration::ZERO).unwrap();
            assert!(late <= Duration::from_secs(60), "{late:?}");
        }
    }

    #[test]
    fn only_throttling_and_refused_connections_are_retried() {
        let throttled = Error::new(ErrorKind::Throttled, "Throttled", "x").with_http_status(503);
        let hint = hint_for(
            &throttled
                .clone()
                .with_retry_after(Some(Duration::from_secs(3))),
        )
        .unwrap();
        assert_eq!(hint.reason, RetryReason::Throttled { http_status: 503 });
        assert_eq!(hint.retry_after, Some(Duration::from_secs(3)));
        let refused = Error::new(ErrorKind::Network, "ConnectionRefused", "x");
        assert_eq!(
            hint_for(&refused).unwrap().reason,
            RetryReason::ConnectionRefused
        );
        for (kind, id) in [
            (ErrorKind::Network, "Network"),
            (ErrorKind::Timeout, "Timeout"),
            (ErrorKind::Server, "ServerError"),
            (ErrorKind::Http, "ServiceError"),
            (ErrorKind::Unauthorized, "Unauthorized"),
        ] {
            assert!(hint_for(&Error::new(kind, id, "x")).is_none(), "{id}");
        }
    }
}
