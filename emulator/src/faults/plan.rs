//! The armed faults, and what each request gets from them.

use std::time::Duration;

use serde::Serialize;

use super::spec::{FaultKind, FaultSpec};
use super::traffic::Load;

/// A fault in the plan, with how often it has fired.
#[derive(Clone, Debug)]
struct ArmedFault {
    spec: FaultSpec,
    fired: u64,
}

impl ArmedFault {
    fn applies_to(&self, tenant: &str) -> bool {
        let has_budget = self.spec.count.is_none_or(|count| self.fired < count);
        let tenant_matches = self.spec.tenant.as_deref().is_none_or(|t| t == tenant);
        has_budget && tenant_matches
    }

    /// Whether the tenant's load sets it off (always, for a fault without a load trigger).
    fn triggered_by(&self, load: Load) -> bool {
        let trigger = self.spec.trigger;
        !trigger.is_load()
            || trigger
                .in_flight_above
                .is_some_and(|most| load.in_flight > most)
            || trigger
                .rps_above
                .is_some_and(|most| load.this_second > most)
    }
}

/// What to do to one request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultDecision {
    pub delay: Duration,
    /// The fault that replaces or mangles the answer, if any.
    pub disruption: Option<FaultKind>,
    /// The `RateLimit-*` headers to send, once a tenant has used 80% of an `rps` budget.
    pub rate_limit: Option<RateLimitHeaders>,
}

/// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitHeaders {
    pub limit: u64,
    pub remaining: u64,
    pub reset_seconds: u64,
}

impl RateLimitHeaders {
    /// The headers for a budget of `limit` a second, when `load` has used 80% of it.
    fn from_80_percent(limit: u64, load: Load) -> Option<Self> {
        (load.this_second * 5 >= limit * 4).then(|| RateLimitHeaders {
            limit,
            remaining: limit.saturating_sub(load.this_second),
            reset_seconds: load.second_left.as_secs_f64().ceil().max(1.0) as u64,
        })
    }
}

/// How a fault looks in `GET /_emulator/faults`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FaultStatus {
    pub spec: String,
    pub fired: u64,
    /// `null` when unlimited.
    pub remaining: Option<u64>,
}

#[derive(Clone, Debug, Default)]
pub struct FaultPlan {
    faults: Vec<ArmedFault>,
}

impl FaultPlan {
    pub fn add(&mut self, spec: FaultSpec) {
        self.faults.push(ArmedFault { spec, fired: 0 });
    }

    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// Decides the faults for the next admin-site API request to `tenant`, arriving under
    /// `load`, and uses them up.
    pub fn next_request(&mut self, tenant: &str, load: Load) -> FaultDecision {
        let mut decision = FaultDecision::default();
        for fault in self.faults.iter_mut().filter(|f| f.applies_to(tenant)) {
            if let Some(budget) = fault.spec.trigger.rps_above {
                decision.rate_limit = decision
                    .rate_limit
                    .or_else(|| RateLimitHeaders::from_80_percent(budget, load));
            }
            if !fault.triggered_by(load) {
                continue;
            }
            match fault.spec.kind {
                FaultKind::Latency {
                    milliseconds,
                    jitter,
                } => {
                    decision.delay += jittered(milliseconds, jitter);
                }
                kind if decision.disruption.is_none() => decision.disruption = Some(kind),
                _ => continue,
            }
            fault.fired += 1;
        }
        decision
    }

    pub fn status(&self) -> Vec<FaultStatus> {
        self.faults
            .iter()
            .map(|fault| FaultStatus {
                spec: fault.spec.to_string(),
                fired: fault.fired,
                remaining: fault
                    .spec
                    .count
                    .map(|count| count.saturating_sub(fault.fired)),
            })
            .collect()
    }
}

/// `milliseconds`, plus or minus up to `jitter`, uniformly; never below zero.
fn jittered(milliseconds: u64, jitter: u64) -> Duration {
    let spread = fastrand::u64(0..=jitter.saturating_mul(2));
    Duration::from_millis((milliseconds + spread).saturating_sub(jitter))
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: Load = Load {
        in_flight: 1,
        this_second: 1,
        second_left: Duration::from_secs(1),
    };

    fn load(in_flight: u64, this_second: u64) -> Load {
        Load {
            in_flight,
            this_second,
            second_left: Duration::from_millis(300),
        }
    }

    fn spec(text: &str) -> FaultSpec {
        text.parse().unwrap()
    }

    #[test]
    fn counted_faults_fire_that_many_times() {
        let mut plan = FaultPlan::default();
        plan.add(spec("429:count=2"));
        let throttled = Some(FaultKind::TooManyRequests {
            retry_after_seconds: 1,
        });
        assert_eq!(plan.next_request("contoso", IDLE).disruption, throttled);
        assert_eq!(plan.next_request("fabrikam", IDLE).disruption, throttled);
        assert_eq!(plan.next_request("contoso", IDLE).disruption, None);
        assert_eq!(plan.status()[0].remaining, Some(0));
        assert_eq!(plan.status()[0].fired, 2);
    }

    #[test]
    fn first_disruption_wins_and_the_next_waits_its_turn() {
        let mut plan = FaultPlan::default();
        plan.add(spec("503:count=1"));
        plan.add(spec("drop:count=1"));
        assert_eq!(
            plan.next_request("contoso", IDLE)
                .disruption
                .map(FaultKind::label),
            Some("503")
        );
        assert_eq!(
            plan.next_request("contoso", IDLE)
                .disruption
                .map(FaultKind::label),
            Some("drop")
        );
        assert_eq!(plan.next_request("contoso", IDLE).disruption, None);
    }

    #[test]
    fn latency_adds_up_and_combines_with_a_disruption() {
        let mut plan = FaultPlan::default();
        plan.add(spec("latency:ms=100"));
        plan.add(spec("latency:ms=50:count=1"));
        plan.add(spec("html:count=1"));
        let first = plan.next_request("contoso", IDLE);
        assert_eq!(first.delay, Duration::from_millis(150));
        assert_eq!(first.disruption, Some(FaultKind::HtmlError));
        let second = plan.next_request("contoso", IDLE);
        assert_eq!(second.delay, Duration::from_millis(100));
        assert_eq!(second.disruption, None);
        assert_eq!(plan.status()[0].remaining, None);
    }

    #[test]
    fn tenant_filters_leave_other_tenants_alone() {
        let mut plan = FaultPlan::default();
        plan.add(spec("not-json:tenant=fabrikam:count=1"));
        assert_eq!(plan.next_request("contoso", IDLE).disruption, None);
        assert_eq!(
            plan.next_request("fabrikam", IDLE).disruption,
            Some(FaultKind::NotJson)
        );
        assert_eq!(plan.next_request("fabrikam", IDLE).disruption, None);
    }

    #[test]
    fn an_in_flight_fault_hits_only_above_its_level_and_counts_only_hits() {
        let mut plan = FaultPlan::default();
        plan.add(spec("429:in-flight=4:count=2"));
        assert_eq!(plan.next_request("contoso", load(4, 50)).disruption, None);
        assert!(
            plan.next_request("contoso", load(5, 51))
                .disruption
                .is_some()
        );
        assert_eq!(plan.status()[0].fired, 1);
    }

    #[test]
    fn an_rps_fault_hits_above_its_budget_and_says_so_from_80_percent() {
        let mut plan = FaultPlan::default();
        plan.add(spec("429:rps=10"));
        let quiet = plan.next_request("contoso", load(1, 7));
        assert_eq!((quiet.disruption, quiet.rate_limit), (None, None));
        let busy = plan.next_request("contoso", load(1, 8));
        assert_eq!(busy.disruption, None);
        assert_eq!(
            busy.rate_limit,
            Some(RateLimitHeaders {
                limit: 10,
                remaining: 2,
                reset_seconds: 1
            })
        );
        let over = plan.next_request("contoso", load(1, 11));
        assert!(over.disruption.is_some());
        assert_eq!(over.rate_limit.map(|h| h.remaining), Some(0));
    }

    #[test]
    fn latency_with_jitter_stays_within_its_spread() {
        let mut plan = FaultPlan::default();
        plan.add(spec("latency:ms=100:jitter=30"));
        let delays: Vec<Duration> = (0..200)
            .map(|_| plan.next_request("contoso", IDLE).delay)
            .collect();
        assert!(delays.iter().all(|d| (70..=130).contains(&d.as_millis())));
        assert!(delays.iter().any(|d| d.as_millis() < 90));
        assert!(delays.iter().any(|d| d.as_millis() > 110));
        assert!(
            jittered(10, 50).as_millis() <= 60,
            "never below zero, never above ms + jitter"
        );
    }

    #[test]
    fn clear_disarms_everything() {
        let mut plan = FaultPlan::default();
        plan.add(spec("drop"));
        plan.clear();
        assert_eq!(plan.next_request("contoso", IDLE), FaultDecision::default());
        assert!(plan.status().is_empty());
    }
}
