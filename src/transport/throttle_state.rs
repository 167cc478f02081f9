//! What the service has told one connection about its pace, and what follows for the next
//! request: how many may be on the wire at once, whether everything must hold until a
//! named time, and how far apart request starts must be.
//!
//! SharePoint throttles an app per tenant, not per request: a 429 or 503 with Retry-After
//! is the tenant's budget speaking, so every request of the connection holds until then,
//! and the number allowed on the wire halves (once per throttling episode, not once per
//! throttled answer of the same burst; a request throttled while alone on the wire says
//! nothing about how many may be, and only holds). Good answers grow it back one at a time:
//! quickly up to just below where the last throttle happened, then by probes, because a
//! probe that fails costs a hold for every request: the first after a while, each next one
//! sooner while they succeed. Once the service sends `RateLimit-*` headers (from 80% of its
//! budget), request starts are spread so the rest of the budget lasts until it resets, so a
//! wave slows down before the first 429.
//!
//! Pure state: every method takes the current time, so the tests run on a made-up clock.
//! The waiting itself is [`super::gate::ThrottleGate`]'s.

use reqwest::header::HeaderMap;
use std::time::{Duration, Instant};

/// The least time from a throttle to the first probe above the level it left safe.
const PROBE_AFTER_AT_LEAST: Duration = Duration::from_secs(15);
/// The first probe waits this many times the last wait the service named (a failed probe
/// costs one such wait for every request), but no longer than [`PROBE_AFTER_AT_MOST`].
const PROBE_AFTER_WAITS: u32 = 10;
/// After long named waits (minutes have been seen), a wave must not stay slow for an hour.
const PROBE_AFTER_AT_MOST: Duration = Duration::from_secs(60);
/// A `RateLimit-Reset` of 0 (or none) still spreads over this much.
const SHORTEST_RESET: Duration = Duration::from_secs(1);

/// What an answer said about the pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Throttled (429 or 503), with the wait the service named, if any.
    Throttled { retry_after: Option<Duration> },
    /// Any other HTTP answer, with the service's `RateLimit-*` headers when it sent them.
    Answered { rate_limit: Option<RateLimitHint> },
    /// No answer (a network failure, a timeout, or the request was dropped): says nothing
    /// about the pace.
    Unanswered,
}

/// The `RateLimit-Remaining` and `RateLimit-Reset` headers of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHint {
    /// Resource units left in the current window.
    pub remaining: u64,
    /// Time until the window resets.
    pub reset: Duration,
}

impl RateLimitHint {
    /// The hint in `headers`, or None when the service sent none (below 80% of its budget).
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| -> Option<u64> {
            headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok()
        };
        let remaining = number("ratelimit-remaining")?;
        let reset = number("ratelimit-reset").unwrap_or(0).min(24 * 3600);
        Some(RateLimitHint {
            remaining,
            reset: Duration::from_secs(reset),
        })
    }
}

/// Handed to a request when it goes on the wire; handed back with its answer, so that
/// answers of a burst sent before the last decrease do not decrease again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    epoch: u64,
    /// How many were on the wire once it was, itself included: what the service saw when it
    /// chose to throttle it, however many have been answered since.
    sent_among: u32,
}

/// The pace of one connection.
#[derive(Debug, Clone)]
pub struct ThrottleState {
    /// The most that may ever be on the wire at once.
    ceiling: u32,
    /// How many may be on the wire now.
    limit: u32,
    /// The highest limit the last throttle left safe: growth up to it is quick.
    safe: u32,
    /// Bumped by each decrease.
    epoch: u64,
    /// Good answers since the limit last changed.
    good_in_a_row: u32,
    /// Nothing goes on the wire before this.
    hold_until: Option<Instant>,
    /// Request starts are at least this far apart (from RateLimit headers).
    spacing: Option<Duration>,
    next_start: Option<Instant>,
    /// When the limit last fell or was probed upward; the next probe waits `probe_after`
    /// from then, which halves with each probe that goes well.
    last_change: Option<Instant>,
    probe_after: Duration,
    /// What `probe_after` starts from after a throttle.
    first_probe_after: Duration,
    on_wire: u32,
    throttled_answers: u64,
}

/// A snapshot, for Get-SPOCrossTenantConnection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleSnapshot {
    pub on_wire: u32,
    pub limit: u32,
    pub ceiling: u32,
    /// How long from now every request still holds; None when nothing holds.
    pub holding_for: Option<Duration>,
    pub spacing: Option<Duration>,
    pub throttled_answers: u64,
}

impl ThrottleState {
    /// A connection that starts with `ceiling` requests allowed on the wire.
    pub fn new(ceiling: u32) -> Self {
        let ceiling = ceiling.max(1);
        ThrottleState {
            ceiling,
            limit: ceiling,
            safe: ceiling,
            epoch: 0,
            good_in_a_row: 0,
            hold_until: None,
            spacing: None,
            next_start: None,
            last_change: None,
            probe_after: PROBE_AFTER_AT_LEAST,
            first_probe_after: PROBE_AFTER_AT_LEAST,
            on_wire: 0,
            throttled_answers: 0,
        }
    }

    /// How many may be on the wire now.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// How many are on the wire now.
    pub fn on_wire(&self) -> u32 {
        self.on_wire
    }

    /// Until when every request holds, if anything holds at `now`.
    pub fn holding_until(&self, now: Instant) -> Option<Instant> {
        self.hold_until.filter(|until| *until > now)
    }

    /// May a request go on the wire at `now`, as far as time goes? (Whether there is room
    /// under the limit is the gate's to check, with [`Self::on_wire`].) `Ok` puts it on the
    /// wire; `Err` is the time to ask again.
    pub fn admit(&mut self, now: Instant) -> Result<Ticket, Instant> {
        if let Some(until) = self.holding_until(now) {
            return Err(until);
        }
        if let Some(next) = self.next_start.filter(|_| self.spacing.is_some())
            && next > now
        {
            return Err(next);
        }
        self.next_start = self.spacing.map(|spacing| now + spacing);
        self.on_wire += 1;
        Ok(Ticket {
            epoch: self.epoch,
            sent_among: self.on_wire,
        })
    }

    /// Takes the answer of a request admitted with `ticket`.
    pub fn answered(&mut self, now: Instant, ticket: Ticket, answer: Answer) {
        let on_wire = self.on_wire;
        self.on_wire = self.on_wire.saturating_sub(1);
        match answer {
            Answer::Throttled { retry_after } => self.throttled(now, ticket, on_wire, retry_after),
            Answer::Answered { rate_limit } => {
                self.follow_rate_limit(now, rate_limit);
                // Answers of a burst sent before the last decrease are no news either.
                if ticket.epoch == self.epoch {
                    self.good(now);
                }
            }
            Answer::Unanswered => {}
        }
    }

    pub fn snapshot(&self, now: Instant) -> ThrottleSnapshot {
        ThrottleSnapshot {
            on_wire: self.on_wire,
            limit: self.limit,
            ceiling: self.ceiling,
            holding_for: self.holding_until(now).map(|until| until - now),
            spacing: self.spacing,
            throttled_answers: self.throttled_answers,
        }
    }

    fn throttled(
        &mut self,
        now: Instant,
        ticket: Ticket,
        on_wire: u32,
        retry_after: Option<Duration>,
    ) {
        self.throttled_answers += 1;
        if let Some(wait) = retry_after {
            self.hold_at_least_until(now + wait);
            self.first_probe_after =
                (wait * PROBE_AFTER_WAITS).clamp(PROBE_AFTER_AT_LEAST, PROBE_AFTER_AT_MOST);
        }
        // How many were out together: by the time a throttled answer comes back (after the
        // service's latency) others may have been answered, and counting only those left
        // would set the safe level too low and keep the wave below what the service takes.
        let crowd = on_wire.max(ticket.sent_among);
        // Alone on the wire, the service limits the rate, not how many: the hold is the
        // answer. And the rest of a burst sent before the last decrease says nothing new.
        if crowd <= 1 || ticket.epoch != self.epoch {
            return;
        }
        self.epoch += 1;
        self.safe = crowd - 1;
        self.probe_after = self.first_probe_after;
        self.set_limit(now, (crowd / 2).clamp(1, self.limit));
    }

    fn follow_rate_limit(&mut self, now: Instant, hint: Option<RateLimitHint>) {
        let Some(hint) = hint else {
            // Below 80% of the budget: no headers, no spacing.
            self.spacing = None;
            self.next_start = None;
            return;
        };
        let reset = hint.reset.max(SHORTEST_RESET);
        if hint.remaining == 0 {
            self.hold_at_least_until(now + reset);
            self.spacing = None;
            return;
        }
        let spacing = reset / u32::try_from(hint.remaining).unwrap_or(u32::MAX);
        self.spacing = Some(spacing);
        if self.next_start.is_none() {
            self.next_start = Some(now + spacing);
        }
    }

    fn good(&mut self, now: Instant) {
        self.good_in_a_row = self.good_in_a_row.saturating_add(1);
        // One step per round of answers at the current limit.
        if self.limit >= self.ceiling || self.good_in_a_row < self.limit {
            return;
        }
        let probing = self.limit >= self.safe;
        if probing
            && self
                .last_change
                .is_some_and(|changed| now.duration_since(changed) < self.probe_after)
        {
            return;
        }
        let limit = self.limit + 1;
        if probing {
            self.safe = limit;
            self.last_change = Some(now);
            self.probe_after /= 2;
        }
        self.limit = limit;
        self.good_in_a_row = 0;
    }

    /// A later hold never cuts a longer one short.
    fn hold_at_least_until(&mut self, until: Instant) {
        self.hold_until = Some(self.hold_until.map_or(until, |held| held.max(until)));
    }

    fn set_limit(&mut self, now: Instant, limit: u32) {
        self.limit = limit;
        self.good_in_a_row = 0;
        self.last_change = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up clock: seconds from an arbitrary start.
    struct Clock(Instant);
    impl Clock {
        fn new() -> Self {
            Clock(Instant::now())
        }
        fn at(&self, seconds: f64) -> Instant {
            self.0 + Duration::from_secs_f64(seconds)
        }
    }

    const GOOD: Answer = Answer::Answered { rate_limit: None };

    fn throttled(seconds: u64) -> Answer {
        Answer::Throttled {
            retry_after: Some(Duration::from_secs(seconds)),
        }
    }

    /// Puts `n` requests on the wire at `now`.
    fn send(state: &mut ThrottleState, now: Instant, n: u32) -> Vec<Ticket> {
        (0..n).map(|_| state.admit(now).unwrap()).collect()
    }

    #[test]
    fn a_throttled_answer_holds_every_request_until_the_named_time() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(16);
        let tickets = send(&mut state, clock.at(0.0), 3);
        state.answered(clock.at(0.1), tickets[0], throttled(5));
        // Not only the throttled request: any request of the connection holds.
        assert_eq!(state.admit(clock.at(0.2)), Err(clock.at(5.1)));
        assert_eq!(state.admit(clock.at(5.0)), Err(clock.at(5.1)));
        assert!(state.admit(clock.at(5.1)).is_ok());
        assert_eq!(
            state.snapshot(clock.at(1.1)).holding_for,
            Some(Duration::from_secs(4))
        );
        assert_eq!(state.snapshot(clock.at(6.0)).holding_for, None);
    }

    #[test]
    fn a_shorter_wait_named_later_does_not_cut_a_longer_hold() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(4);
        let tickets = send(&mut state, clock.at(0.0), 2);
        state.answered(clock.at(0.0), tickets[0], throttled(10));
        state.answered(clock.at(1.0), tickets[1], throttled(2));
        assert_eq!(state.holding_until(clock.at(1.0)), Some(clock.at(10.0)));
    }

    #[test]
    fn the_limit_halves_once_per_burst_not_once_per_throttled_answer() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(16);
        let tickets = send(&mut state, clock.at(0.0), 16);
        for ticket in &tickets[..12] {
            state.answered(clock.at(0.1), *ticket, throttled(1));
        }
        assert_eq!(state.limit(), 8, "16 on the wire, halved once");
        // Requests sent after the decrease that are throttled halve again.
        for ticket in &tickets[12..] {
            state.answered(clock.at(0.1), *ticket, GOOD);
        }
        let again = send(&mut state, clock.at(1.1), 8);
        state.answered(clock.at(1.2), again[0], throttled(1));
        assert_eq!(state.limit(), 4);
        assert_eq!(state.snapshot(clock.at(1.2)).throttled_answers, 13);
    }

    #[test]
    fn the_limit_never_falls_below_one() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(2);
        for round in 0..5 {
            let now = clock.at(f64::from(round) * 10.0);
            let limit = state.limit();
            let tickets = send(&mut state, now, limit);
            for ticket in tickets {
                state.answered(now, ticket, throttled(1));
            }
        }
        assert_eq!(state.limit(), 1);
    }

    #[test]
    fn a_request_throttled_alone_on_the_wire_holds_without_lowering_the_limit() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(16);
        let ticket = state.admit(clock.at(0.0)).unwrap();
        state.answered(clock.at(0.0), ticket, throttled(1));
        assert_eq!(
            state.limit(),
            16,
            "the service limits the rate: the hold says so"
        );
        assert_eq!(state.admit(clock.at(0.5)), Err(clock.at(1.0)));
    }

    #[test]
    fn good_answers_grow_the_limit_back_one_per_round_up_to_below_the_throttle() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(32);
        let tickets = send(&mut state, clock.at(0.0), 10);
        state.answered(clock.at(0.1), tickets[0], throttled(1));
        for ticket in &tickets[1..] {
            state.answered(clock.at(0.1), *ticket, GOOD);
        }
        assert_eq!(state.limit(), 5);
        // Each round of `limit` good answers adds one, up to 9 (one below the 10 that throttled).
        let mut now = 1.1;
        for expected in [6, 7, 8, 9, 9, 9] {
            let limit = state.limit();
            for ticket in send(&mut state, clock.at(now), limit) {
                state.answered(clock.at(now + 0.1), ticket, GOOD);
            }
            now += 0.1;
            assert_eq!(state.limit(), expected, "at {now:.1} s");
        }
    }

    #[test]
    fn above_the_safe_level_the_limit_grows_only_by_a_rare_probe() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(32);
        let tickets = send(&mut state, clock.at(0.0), 5);
        state.answered(clock.at(0.1), tickets[0], throttled(1));
        for ticket in &tickets[1..] {
            state.answered(clock.at(0.1), *ticket, GOOD);
        }
        // Halved to 2, safe level 4.
        let mut now = 1.1;
        let round = |state: &mut ThrottleState, now: f64| {
            let limit = state.limit();
            for ticket in send(state, clock.at(now), limit) {
                state.answered(clock.at(now + 0.1), ticket, GOOD);
            }
        };
        while now < 14.0 {
            round(&mut state, now);
            now += 0.1;
        }
        assert_eq!(
            state.limit(),
            4,
            "quick growth to the safe level, no probe yet"
        );
        while now < 16.0 {
            round(&mut state, now);
            now += 0.1;
        }
        assert_eq!(state.limit(), 5, "one probe 15 s after the throttle");
        // It went well: the next probe comes after half the time.
        while now < 23.0 {
            round(&mut state, now);
            now += 0.1;
        }
        assert_eq!(state.limit(), 6, "the next one 7.5 s later");
        // A probe that fails: back to half, and the first probe is far again.
        let tickets = send(&mut state, clock.at(now), 6);
        state.answered(clock.at(now + 0.1), tickets[0], throttled(1));
        assert_eq!(state.limit(), 3);
        let failed_at = now;
        now += 1.2; // past the hold
        while now < failed_at + 14.0 {
            round(&mut state, now);
            now += 0.1;
        }
        assert_eq!(state.limit(), 5, "back to the safe level only");
    }

    #[test]
    fn a_throttle_answered_after_others_counts_those_it_was_sent_among() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(32);
        let tickets = send(&mut state, clock.at(0.0), 5);
        // The first four are answered before the fifth's 429 comes back: one left on the wire.
        for ticket in &tickets[..4] {
            state.answered(clock.at(0.1), *ticket, GOOD);
        }
        state.answered(clock.at(0.2), tickets[4], throttled(1));
        assert_eq!(state.limit(), 2, "5 were out together, halved");
        // Quick growth back to 4, one below the 5 that throttled, and no further before a probe.
        let mut now = 1.2;
        while now < 10.0 {
            let limit = state.limit();
            for ticket in send(&mut state, clock.at(now), limit) {
                state.answered(clock.at(now + 0.1), ticket, GOOD);
            }
            now += 0.1;
        }
        assert_eq!(state.limit(), 4);
    }

    #[test]
    fn a_longer_named_wait_makes_the_first_probe_later_up_to_a_minute() {
        let clock = Clock::new();
        // 10 x 3 s is 30 s; 10 x 10 s would be 100 s, kept to a minute.
        for (wait, first_probe) in [(3, 30.0), (10, 60.0)] {
            let mut state = ThrottleState::new(8);
            let tickets = send(&mut state, clock.at(0.0), 4);
            state.answered(clock.at(0.0), tickets[0], throttled(wait));
            for ticket in &tickets[1..] {
                state.answered(clock.at(0.0), *ticket, GOOD);
            }
            // Halved to 2, safe 3: quick growth to 3, then the first probe.
            let mut now = wait as f64;
            let mut probed_at = None;
            while now < 200.0 && probed_at.is_none() {
                let limit = state.limit();
                for ticket in send(&mut state, clock.at(now), limit) {
                    state.answered(clock.at(now + 0.1), ticket, GOOD);
                }
                if state.limit() == 4 {
                    probed_at = Some(now);
                }
                now += 0.5;
            }
            let probed_at = probed_at.expect("a probe");
            assert!(
                (first_probe..first_probe + 1.0).contains(&probed_at),
                "Retry-After {wait}: first probe at {probed_at} s"
            );
        }
    }

    #[test]
    fn without_throttling_the_limit_stays_at_the_ceiling() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(16);
        for ticket in send(&mut state, clock.at(0.0), 16) {
            state.answered(clock.at(0.1), ticket, GOOD);
        }
        assert_eq!(state.limit(), 16);
        assert_eq!(state.snapshot(clock.at(0.1)).on_wire, 0);
    }

    #[test]
    fn rate_limit_headers_spread_request_starts_over_the_rest_of_the_window() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(16);
        let ticket = state.admit(clock.at(0.0)).unwrap();
        let hint = RateLimitHint {
            remaining: 10,
            reset: Duration::from_secs(5),
        };
        state.answered(
            clock.at(0.0),
            ticket,
            Answer::Answered {
                rate_limit: Some(hint),
            },
        );
        // 10 units left for 5 s: one start every 0.5 s.
        assert_eq!(state.admit(clock.at(0.1)), Err(clock.at(0.5)));
        assert!(state.admit(clock.at(0.5)).is_ok());
        assert_eq!(state.admit(clock.at(0.6)), Err(clock.at(1.0)));
        // An answer without the headers: the budget is below 80% again.
        let ticket = state.admit(clock.at(1.0)).unwrap();
        state.answered(clock.at(1.0), ticket, GOOD);
        assert!(state.admit(clock.at(1.0)).is_ok());
        assert!(state.admit(clock.at(1.0)).is_ok());
    }

    #[test]
    fn an_exhausted_budget_holds_until_it_resets() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(16);
        let ticket = state.admit(clock.at(0.0)).unwrap();
        let hint = RateLimitHint {
            remaining: 0,
            reset: Duration::from_secs(7),
        };
        state.answered(
            clock.at(0.0),
            ticket,
            Answer::Answered {
                rate_limit: Some(hint),
            },
        );
        assert_eq!(state.admit(clock.at(3.0)), Err(clock.at(7.0)));
        assert_eq!(
            state.limit(),
            16,
            "a budget about to reset is not a throttle"
        );
    }

    #[test]
    fn unanswered_requests_leave_the_wire_and_change_nothing_else() {
        let clock = Clock::new();
        let mut state = ThrottleState::new(4);
        let ticket = state.admit(clock.at(0.0)).unwrap();
        state.answered(clock.at(0.1), ticket, Answer::Unanswered);
        let snapshot = state.snapshot(clock.at(0.1));
        assert_eq!((snapshot.on_wire, snapshot.limit), (0, 4));
    }

    #[test]
    fn rate_limit_headers_are_read_when_present() {
        let mut headers = HeaderMap::new();
        assert_eq!(RateLimitHint::from_headers(&headers), None);
        headers.insert("RateLimit-Limit", "1200".parse().unwrap());
        headers.insert("RateLimit-Remaining", " 240 ".parse().unwrap());
        headers.insert("RateLimit-Reset", "35".parse().unwrap());
        assert_eq!(
            RateLimitHint::from_headers(&headers),
            Some(RateLimitHint {
                remaining: 240,
                reset: Duration::from_secs(35)
            })
        );
        headers.insert("RateLimit-Remaining", "lots".parse().unwrap());
        assert_eq!(RateLimitHint::from_headers(&headers), None);
    }
}
