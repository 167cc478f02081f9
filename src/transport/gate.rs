//! The throttle gate: one per connection, passed by every request the connection sends
//! (trust, moves, readiness, identity maps), so the service sets the pace of all of them.
//!
//! A request waits here, first in line for a place on the wire (first come, first served),
//! then until the connection's [`ThrottleState`] lets it go: not while the service's named
//! wait holds, not sooner than the spacing its `RateLimit-*` headers ask for. Its answer is
//! handed back through the [`GatePass`], which also frees the place, whatever happens to the
//! request (a dropped future, a cancelled operation).

use super::throttle_state::{Answer, ThrottleSnapshot, ThrottleState, Ticket};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The most requests one connection ever has on the wire at once. Callers choose fewer
/// (a batch's -ThrottleLimit); the service's throttling lowers it further.
pub(crate) const MAX_IN_FLIGHT: u32 = 64;

struct Inner {
    /// Places on the wire; FIFO, so requests go in the order they arrived.
    places: Arc<Semaphore>,
    state: Mutex<Counted>,
}

/// The pace, and how many places exist (held or free), which follows `state.limit()`.
struct Counted {
    pace: ThrottleState,
    places: u32,
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
        let pace = ThrottleState::new(ceiling);
        let places = pace.limit();
        ThrottleGate {
            inner: Arc::new(Inner {
                places: Arc::new(Semaphore::new(places as usize)),
                state: Mutex::new(Counted { pace, places }),
            }),
        }
    }

    /// Waits for a place on the wire and for the pace to allow a start.
    pub async fn enter(&self) -> GatePass {
        // The semaphore is never closed, so acquiring only fails if that changes.
        let place = Arc::clone(&self.inner.places).acquire_owned().await.ok();
        loop {
            let decision = self.lock().pace.admit(now());
            match decision {
                Ok(ticket) => {
                    return GatePass {
                        gate: self.clone(),
                        place,
                        ticket,
                        answered: false,
                    };
                }
                Err(until) => tokio::time::sleep_until(until.into()).await,
            }
        }
    }

    /// Until when every request of the connection holds (the service's named wait).
    pub fn holding_until(&self) -> Option<Instant> {
        self.lock().pace.holding_until(now())
    }

    pub fn snapshot(&self) -> ThrottleSnapshot {
        self.lock().pace.snapshot(now())
    }

    fn lock(&self) -> MutexGuard<'_, Counted> {
        // The state stays consistent even if a holder panicked: every change is one step.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes an answer and gives back the place, making or removing places so that their
    /// number follows the limit.
    fn leave(&self, ticket: Ticket, answer: Answer, place: Option<OwnedSemaphorePermit>) {
        let mut state = self.lock();
        state.pace.answered(now(), ticket, answer);
        let limit = state.pace.limit();
        if state.places < limit {
            self.inner
                .places
                .add_permits((limit - state.places) as usize);
            state.places = limit;
        }
        if state.places > limit
            && let Some(place) = place
        {
            place.forget();
            state.places -= 1;
        }
        // Free places beyond the limit go too, so a lower limit holds at once.
        while state.places > limit {
            match self.inner.places.try_acquire() {
                Ok(free) => {
                    free.forget();
                    state.places -= 1;
                }
                Err(_) => break,
            }
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
    place: Option<OwnedSemaphorePermit>,
    ticket: Ticket,
    answered: bool,
}

impl GatePass {
    pub fn answered(mut self, answer: Answer) {
        self.answered = true;
        self.gate.leave(self.ticket, answer, self.place.take());
    }
}

impl Drop for GatePass {
    fn drop(&mut self) {
        if !self.answered {
            self.gate
                .leave(self.ticket, Answer::Unanswered, self.place.take());
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

    #[test]
    fn no_more_than_the_limit_are_on_the_wire() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(3);
            let passes: Vec<GatePass> =
                vec![gate.enter().await, gate.enter().await, gate.enter().await];
            let fourth = tokio::time::timeout(Duration::from_secs(10), gate.enter()).await;
            assert!(fourth.is_err(), "a fourth request waits for a place");
            assert_eq!(gate.snapshot().on_wire, 3);
            drop(passes);
            let fourth = tokio::time::timeout(Duration::from_secs(1), gate.enter()).await;
            assert!(fourth.is_ok());
        });
    }

    #[test]
    fn one_throttled_answer_holds_every_waiting_request_until_the_same_time() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(8);
            let started = tokio::time::Instant::now();
            let throttled = gate.enter().await;
            throttled.answered(Answer::Throttled {
                retry_after: Some(Duration::from_secs(3)),
            });
            let waiters: Vec<_> = (0..5)
                .map(|_| {
                    let gate = gate.clone();
                    tokio::spawn(async move {
                        let pass = gate.enter().await;
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
    fn a_lower_limit_removes_places_and_a_higher_one_adds_them_back() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(8);
            let mut passes = Vec::new();
            for _ in 0..8 {
                passes.push(gate.enter().await);
            }
            let first = passes.remove(0);
            first.answered(Answer::Throttled { retry_after: None });
            assert_eq!(gate.snapshot().limit, 4);
            // The other seven answer well (sent before the decrease: no growth yet).
            for pass in passes.drain(..) {
                pass.answered(GOOD);
            }
            for _ in 0..4 {
                passes.push(gate.enter().await);
            }
            let fifth = tokio::time::timeout(Duration::from_secs(5), gate.enter()).await;
            assert!(fifth.is_err(), "only four places are left");
            // A round of good answers at the new limit adds a place.
            for pass in passes.drain(..) {
                pass.answered(GOOD);
            }
            assert_eq!(gate.snapshot().limit, 5);
            for _ in 0..5 {
                passes.push(gate.enter().await);
            }
            assert_eq!(gate.snapshot().on_wire, 5);
        });
    }

    #[test]
    fn a_request_dropped_on_its_way_frees_its_place() {
        runtime().block_on(async {
            let gate = ThrottleGate::new(1);
            {
                let _pass = gate.enter().await;
            }
            let again = tokio::time::timeout(Duration::from_secs(1), gate.enter()).await;
            assert!(again.is_ok());
            assert_eq!(gate.snapshot().limit, 1);
        });
    }
}
