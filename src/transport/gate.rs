//! The throttle gate: one per connection, passed by every request the connection sends
//! (trust, moves, readiness, identity maps), so the service sets the pace of all of them.
//!
//! A request waits here, in line for a place on the wire, until the connection's
//! [`ThrottleState`] lets it go: not while the service's named wait holds, not sooner than
//! the spacing its `RateLimit-*` headers ask for, not beyond the number allowed on the wire.
//! The line is ordered by [`Turn`], taken once per request and kept across its retries, so
//! a throttled request goes again before requests that came after it: a batch that writes
//! its rows in input order is not left waiting on an old row stuck behind new ones. Its
//! answer is handed back through the [`GatePass`], which also frees the place, whatever
//! happens to the request (a dropped future, a cancelled operation).

use super::throttle_state::{Answer, ThrottleSnapshot, ThrottleState, Ticket};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// The most requests one connection ever has on the wire at once. Callers choose fewer
/// (a batch's -ThrottleLimit); the service's throttling lowers it further.
pub(crate) const MAX_IN_FLIGHT: u32 = 64;

/// A request's place in line, kept across its retries: the older request goes first. It
/// also carries the time after which the request would rather fail than wait for a hold
/// (its retry time budget): a hold that lasts longer is a throttled failure at once.
/// Turns order by `number` (first field); each number is handed out once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Turn {
    number: u64,
    give_up_at: Option<Instant>,
}

/// A hold of the connection that outlasts a request's [`Turn::give_up_at`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldTooLong {
    pub until: Instant,
}

struct Line {
    pace: ThrottleState,
    /// Turns of the requests waiting, oldest first.
    waiting: BTreeSet<Turn>,
    next_turn: u64,
}

struct Inner {
    line: Mutex<Line>,
    /// Woken whenever a request may have become able to go.
    changed: Notify,
}

/// One connection's gate; clones share it.
#[derive(Clone)]
pub struct ThrottleGate {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for ThrottleGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThrottleGate")
            .field("state", &self.snapshot())
            .finish()
    }
}

impl Default for ThrottleGate {
    fn default() -> Self {
        ThrottleGate::new(MAX_IN_FLIGHT)
    }
}

impl ThrottleGate {
    pub fn new(ceiling: u32) -> Self {
        ThrottleGate {
            inner: Arc::new(Inner {
                line: Mutex::new(Line {
                    pace: ThrottleState::new(ceiling),
                    waiting: BTreeSet::new(),
                    next_turn: 0,
                }),
                changed: Notify::new(),
            }),
        }
    }

    /// A new request's turn: behind every request that took one before. `give_up_at`: see
    /// [`Turn`]; None waits out any hold.
    pub fn take_turn(&self, give_up_at: Option<Instant>) -> Turn {
        let mut line = self.lock();
        line.next_turn += 1;
        Turn {
            number: line.next_turn,
            give_up_at,
        }
    }

    /// Waits until it is `turn`'s go: among the oldest turns in line that fit in the places
    /// free (so a full window goes out together once a hold ends), and the pace allows.
    pub async fn enter(&self, turn: Turn) -> Result<GatePass, HeldTooLong> {
        // In line until dropped: on any return, admitted or given up.
        let _waiting = Waiting::new(self, turn);
        loop {
            let changed = self.inner.changed.notified();
            tokio::pin!(changed);
            // Registered before looking, so a change in between still wakes us.
            changed.as_mut().enable();
            let decision = {
                let mut line = self.lock();
                let free = line.pace.limit().saturating_sub(line.pace.on_wire()) as usize;
                if line
                    .waiting
                    .iter()
                    .take(free)
                    .any(|waiting| *waiting == turn)
                {
                    Some(line.pace.admit(now()))
                } else {
                    None
                }
            };
            match decision {
                Some(Ok(ticket)) => {
                    return Ok(GatePass {
                        gate: self.clone(),
                        ticket,
                        answered: false,
                    });
                }
                Some(Err(until)) if turn.give_up_at.is_some_and(|limit| until > limit) => {
                    return Err(HeldTooLong { until });
                }
                Some(Err(until)) => {
                    let _ = tokio::time::timeout_at(until.into(), changed).await;
                }
                None => changed.await,
            }
        }
    }

    /// How much longer every request of the connection holds (the service's named wait).
    pub fn holding_for(&self) -> Option<Duration> {
        self.snapshot().holding_for
    }

    pub fn snapshot(&self) -> ThrottleSnapshot {
        self.lock().pace.snapshot(now())
    }

    fn lock(&self) -> MutexGuard<'_, Line> {
        // The line stays consistent even if a holder panicked: every change is one step.
        self.inner
            .line
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn leave(&self, ticket: Ticket, answer: Answer) {
        self.lock().pace.answered(now(), ticket, answer);
        self.inner.changed.notify_waiters();
    }
}

/// A turn in line; leaves the line when dropped (the request was admitted, or given up).
struct Waiting<'a> {
    gate: &'a ThrottleGate,
    turn: Turn,
}

impl<'a> Waiting<'a> {
    fn new(gate: &'a ThrottleGate, turn: Turn) -> Self {
        gate.lock().waiting.insert(turn);
        Waiting { gate, turn }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if self.gate.lock().waiting.remove(&self.turn) {
            self.gate.inner.changed.notify_waiters();
        }
    }
}

/// The runtime's clock (which tests can stop and move), as the pace reads time.
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// A request's place on the wire. Hand its answer back with [`GatePass::answered`];
/// dropped without one, it counts as unanswered.
pub struct GatePass {
    gate: ThrottleGate,
    ticket: Ticket,
    answered: bool,
}

impl GatePass {
    pub fn answered(mut self, answer: Answer) {
        self.answered = true;
        self.gate.leave(self.ticket, answer);
    }
}

impl Drop for GatePass {
    fn drop(&mut self) {
        if !self.answered {
            self.gate.leave(self.ticket, Answer::Unanswered);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
    }

    const GOOD: Answer = Answer::Answered { rate_limit: None };

    async fn enter(gate: &ThrottleGate) -> GatePass {
        gate.enter(gate.take_turn(None)).await.unwrap()
    }

    #[test]
    fn no_more_than_the_limit_are_on_the_wire() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(3);
            let passes = vec![enter(&gate).await, enter(&gate).await, enter(&gate).await];
            let fourth = tokio::time::timeout(Duration::from_secs(10), enter(&gate)).await;
            assert!(fourth.is_err(), "a fourth request waits for a place");
            assert_eq!(gate.snapshot().on_wire, 3);
            drop(passes);
            let fourth = tokio::time::timeout(Duration::from_secs(1), enter(&gate)).await;
            assert!(fourth.is_ok());
        });
    }

    #[test]
    fn one_throttled_answer_holds_every_waiting_request_until_the_same_time() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(8);
            let started = tokio::time::Instant::now();
            let throttled = enter(&gate).await;
            throttled.answered(Answer::Throttled {
                retry_after: Some(Duration::from_secs(3)),
            });
            let waiters: Vec<_> = (0..5)
                .map(|_| {
                    let gate = gate.clone();
                    tokio::spawn(async move {
                        let pass = enter(&gate).await;
                        let entered = tokio::time::Instant::now();
                        pass.answered(GOOD);
                        entered
                    })
                })
                .collect();
            for waiter in waiters {
                let entered = waiter.await.unwrap();
                assert_eq!(entered.duration_since(started), Duration::from_secs(3));
            }
        });
    }

    #[test]
    fn a_lower_limit_holds_at_once_and_a_higher_one_lets_more_go() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(8);
            let mut passes = Vec::new();
            for _ in 0..8 {
                passes.push(enter(&gate).await);
            }
            let first = passes.remove(0);
            first.answered(Answer::Throttled { retry_after: None });
            assert_eq!(gate.snapshot().limit, 4);
            // The other seven answer well (sent before the decrease: no growth yet).
            for pass in passes.drain(..) {
                pass.answered(GOOD);
            }
            for _ in 0..4 {
                passes.push(enter(&gate).await);
            }
            let fifth = tokio::time::timeout(Duration::from_secs(5), enter(&gate)).await;
            assert!(fifth.is_err(), "only four may be on the wire");
            // A round of good answers at the new limit lets one more go.
            for pass in passes.drain(..) {
                pass.answered(GOOD);
            }
            assert_eq!(gate.snapshot().limit, 5);
            for _ in 0..5 {
                passes.push(enter(&gate).await);
            }
            assert_eq!(gate.snapshot().on_wire, 5);
        });
    }

    #[test]
    fn a_request_that_goes_again_keeps_its_turn_ahead_of_later_ones() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(1);
            let old = gate.take_turn(None);
            let pass = gate.enter(old).await.unwrap();
            // Two later requests queue behind the one on the wire.
            let order = Arc::new(Mutex::new(Vec::new()));
            let later: Vec<_> = (0..2)
                .map(|n| {
                    let gate = gate.clone();
                    let order = Arc::clone(&order);
                    let turn = gate.take_turn(None);
                    tokio::spawn(async move {
                        let pass = gate.enter(turn).await.unwrap();
                        order.lock().unwrap().push(n);
                        pass.answered(GOOD);
                    })
                })
                .collect();
            tokio::task::yield_now().await;
            pass.answered(Answer::Throttled {
                retry_after: Some(Duration::from_secs(1)),
            });
            // The throttled request goes again with its old turn: first.
            let again = gate.enter(old).await.unwrap();
            order.lock().unwrap().push(99);
            again.answered(GOOD);
            for task in later {
                task.await.unwrap();
            }
            assert_eq!(*order.lock().unwrap(), vec![99, 0, 1]);
        });
    }

    #[test]
    fn once_a_hold_ends_every_free_place_is_taken_at_once() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(8);
            let first = enter(&gate).await;
            first.answered(Answer::Throttled {
                retry_after: Some(Duration::from_secs(2)),
            });
            let waiters: Vec<_> = (0..8)
                .map(|_| {
                    let gate = gate.clone();
                    tokio::spawn(async move { enter(&gate).await })
                })
                .collect();
            let mut passes = Vec::new();
            for waiter in waiters {
                passes.push(waiter.await.unwrap());
            }
            assert_eq!(gate.snapshot().on_wire, 8, "all eight together");
        });
    }

    #[test]
    fn a_request_whose_budget_ends_before_the_hold_fails_at_once() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(4);
            let first = enter(&gate).await;
            first.answered(Answer::Throttled {
                retry_after: Some(Duration::from_secs(300)),
            });
            let soon = now() + Duration::from_secs(60);
            let started = tokio::time::Instant::now();
            let held = gate.enter(gate.take_turn(Some(soon))).await;
            assert!(matches!(held, Err(HeldTooLong { .. })));
            assert_eq!(started.elapsed(), Duration::ZERO, "without waiting");
            // A budget that covers the hold waits it out.
            let later = now() + Duration::from_secs(400);
            assert!(gate.enter(gate.take_turn(Some(later))).await.is_ok());
        });
    }

    #[test]
    fn a_request_dropped_on_its_way_leaves_the_line_and_frees_its_place() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(1);
            let pass = enter(&gate).await;
            // Waiting behind it, then given up (a cancelled operation).
            let given_up = tokio::time::timeout(Duration::from_secs(1), enter(&gate)).await;
            assert!(given_up.is_err());
            drop(pass);
            let next = tokio::time::timeout(Duration::from_secs(1), enter(&gate)).await;
            assert!(
                next.is_ok(),
                "neither the dropped pass nor the dropped wait blocks the line"
            );
            assert_eq!(gate.snapshot().limit, 1);
        });
    }
}
