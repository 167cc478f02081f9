//! Each tenant's load as the throttling faults see it: how many of its requests are being
//! answered now, and how many arrived in the current second.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A tenant's load when a request arrives, that request included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Load {
    pub in_flight: u64,
    pub this_second: u64,
    /// Until the current second's budget starts over.
    pub second_left: Duration,
}

#[derive(Debug)]
struct TenantLoad {
    in_flight: u64,
    second_started: Instant,
    this_second: u64,
}

/// Every tenant's load; shared by all connections.
#[derive(Debug, Default)]
pub struct Traffic {
    tenants: Mutex<HashMap<String, TenantLoad>>,
}

const SECOND: Duration = Duration::from_secs(1);

impl Traffic {
    /// Counts a request of `tenant` arriving at `now`: its load, and the mark that keeps it
    /// counted as being answered until dropped.
    pub fn arrive(&self, tenant: &str, now: Instant) -> (Load, Answering<'_>) {
        let mut tenants = self.lock();
        let load = tenants.entry(tenant.to_owned()).or_insert(TenantLoad {
            in_flight: 0,
            second_started: now,
            this_second: 0,
        });
        if now.duration_since(load.second_started) >= SECOND {
            load.second_started = now;
            load.this_second = 0;
        }
        load.in_flight += 1;
        load.this_second += 1;
        let seen = Load {
            in_flight: load.in_flight,
            this_second: load.this_second,
            second_left: SECOND.saturating_sub(now.duration_since(load.second_started)),
        };
        let answering = Answering {
            traffic: self,
            tenant: tenant.to_owned(),
        };
        (seen, answering)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, TenantLoad>> {
        self.tenants
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A request being answered; dropping it ends that.
#[derive(Debug)]
pub struct Answering<'a> {
    traffic: &'a Traffic,
    tenant: String,
}

impl Drop for Answering<'_> {
    fn drop(&mut self) {
        if let Some(load) = self.traffic.lock().get_mut(&self.tenant) {
            load.in_flight = load.in_flight.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_requests_being_answered_per_tenant() {
        let traffic = Traffic::default();
        let now = Instant::now();
        let (first, a) = traffic.arrive("contoso", now);
        let (second, b) = traffic.arrive("contoso", now);
        let (other, _c) = traffic.arrive("fabrikam", now);
        assert_eq!(
            (first.in_flight, second.in_flight, other.in_flight),
            (1, 2, 1)
        );
        drop(a);
        drop(b);
        let (third, _d) = traffic.arrive("contoso", now);
        assert_eq!(third.in_flight, 1);
        assert_eq!(third.this_second, 3);
    }

    #[test]
    fn the_count_per_second_starts_over_each_second() {
        let traffic = Traffic::default();
        let start = Instant::now();
        for _ in 0..5 {
            let _ = traffic.arrive("contoso", start);
        }
        let (later, _) = traffic.arrive("contoso", start + Duration::from_millis(400));
        assert_eq!(later.this_second, 6);
        assert_eq!(later.second_left, Duration::from_millis(600));
        let (next, _) = traffic.arrive("contoso", start + Duration::from_millis(1000));
        assert_eq!(next.this_second, 1);
        assert_eq!(next.second_left, SECOND);
    }
}
