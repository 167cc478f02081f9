//! The armed faults, and what each request gets from them.

use std::time::Duration;

use serde::Serialize;

use super::spec::{FaultKind, FaultSpec};

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
}

/// What to do to one request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultDecision {
    pub delay: Duration,
    /// The fault that replaces or mangles the answer, if any.
    pub disruption: Option<FaultKind>,
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

    /// Decides the faults for the next admin-site API request to `tenant`, and uses them up.
    pub fn next_request(&mut self, tenant: &str) -> FaultDecision {
        let mut decision = FaultDecision::default();
        for fault in self.faults.iter_mut().filter(|f| f.applies_to(tenant)) {
            match fault.spec.kind {
                FaultKind::Latency { milliseconds } => {
                    decision.delay += Duration::from_millis(milliseconds);
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(plan.next_request("contoso").disruption, throttled);
        assert_eq!(plan.next_request("fabrikam").disruption, throttled);
        assert_eq!(plan.next_request("contoso").disruption, None);
        assert_eq!(plan.status()[0].remaining, Some(0));
        assert_eq!(plan.status()[0].fired, 2);
    }

    #[test]
    fn first_disruption_wins_and_the_next_waits_its_turn() {
        let mut plan = FaultPlan::default();
        plan.add(spec("503:count=1"));
        plan.add(spec("drop:count=1"));
        assert_eq!(
            plan.next_request("contoso")
                .disruption
                .map(FaultKind::label),
            Some("503")
        );
        assert_eq!(
            plan.next_request("contoso")
                .disruption
                .map(FaultKind::label),
            Some("drop")
        );
        assert_eq!(plan.next_request("contoso").disruption, None);
    }

    #[test]
    fn latency_adds_up_and_combines_with_a_disruption() {
        let mut plan = FaultPlan::default();
        plan.add(spec("latency:ms=100"));
        plan.add(spec("latency:ms=50:count=1"));
        plan.add(spec("html:count=1"));
        let first = plan.next_request("contoso");
        assert_eq!(first.delay, Duration::from_millis(150));
        assert_eq!(first.disruption, Some(FaultKind::HtmlError));
        let second = plan.next_request("contoso");
        assert_eq!(second.delay, Duration::from_millis(100));
        assert_eq!(second.disruption, None);
        assert_eq!(plan.status()[0].remaining, None);
    }

    #[test]
    fn tenant_filters_leave_other_tenants_alone() {
        let mut plan = FaultPlan::default();
        plan.add(spec("not-json:tenant=fabrikam:count=1"));
        assert_eq!(plan.next_request("contoso").disruption, None);
        assert_eq!(
            plan.next_request("fabrikam").disruption,
            Some(FaultKind::NotJson)
        );
        assert_eq!(plan.next_request("fabrikam").disruption, None);
    }

    #[test]
    fn clear_disarms_everything() {
        let mut plan = FaultPlan::default();
        plan.add(spec("drop"));
        plan.clear();
        assert_eq!(plan.next_request("contoso"), FaultDecision::default());
        assert!(plan.status().is_empty());
    }
}
