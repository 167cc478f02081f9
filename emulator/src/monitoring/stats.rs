//! Request counters behind `GET /_emulator/stats`, so tests can see what reached us.
//! Requests to the `/_emulator/` control paths are not counted.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Every request to a tenant site or an unknown path.
    pub requests: u64,
    /// ProcessQuery requests, whatever became of them.
    pub process_query: u64,
    /// Compatibility check requests, whatever became of them.
    pub compatibility_check: u64,
    /// Admin-site API requests (ProcessQuery and the compatibility check) per tenant.
    pub by_tenant: BTreeMap<String, u64>,
    /// Answers per HTTP status (`drop` counts dropped connections).
    pub by_status: BTreeMap<String, u64>,
    /// CSOM methods called, by name (counted when the request reached dispatch), and
    /// `XTenantMoveCompatibilityCheck` (counted when the request passed faults and the token).
    pub by_method: BTreeMap<String, u64>,
    /// Injected faults, by kind.
    pub faults_injected: BTreeMap<String, u64>,
    /// Token requests to the identity endpoints, by grant type (`managed_identity` for
    /// the managed identity endpoint).
    pub sign_ins: BTreeMap<String, u64>,
    /// The most admin-site API requests of each tenant answered at the same time, so a test
    /// can see how far a client overlapped its requests.
    pub peak_in_flight: BTreeMap<String, u64>,
}

impl Stats {
    pub fn record_request(&mut self, process_query_tenant: Option<&str>) {
        self.requests += 1;
        if let Some(tenant) = process_query_tenant {
            self.process_query += 1;
            *self.by_tenant.entry(tenant.to_string()).or_default() += 1;
        }
    }

    pub fn record_compatibility_check(&mut self, tenant: &str) {
        self.requests += 1;
        self.compatibility_check += 1;
        *self.by_tenant.entry(tenant.to_string()).or_default() += 1;
    }

    pub fn record_status(&mut self, status: &str) {
        *self.by_status.entry(status.to_string()).or_default() += 1;
    }

    pub fn record_methods<'a>(&mut self, methods: impl IntoIterator<Item = &'a str>) {
        for method in methods {
            *self.by_method.entry(method.to_string()).or_default() += 1;
        }
    }

    pub fn record_sign_in(&mut self, grant: &str) {
        *self.sign_ins.entry(grant.to_string()).or_default() += 1;
    }

    pub fn record_fault(&mut self, label: &str) {
        *self.faults_injected.entry(label.to_string()).or_default() += 1;
    }

    pub fn record_in_flight(&mut self, tenant: &str, in_flight: u64) {
        let peak = self.peak_in_flight.entry(tenant.to_string()).or_default();
        *peak = (*peak).max(in_flight);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_tenant_status_method_and_fault() {
        let mut stats = Stats::default();
        stats.record_request(Some("contoso"));
        stats.record_request(Some("contoso"));
        stats.record_request(None);
        stats.record_status("200");
        stats.record_methods(["GetMySiteHostUrl", "GetMySiteHostUrl"]);
        stats.record_fault("429");
        stats.record_sign_in("password");
        stats.record_compatibility_check("fabrikam");
        stats.record_in_flight("contoso", 3);
        stats.record_in_flight("contoso", 2);
        assert_eq!(stats.peak_in_flight["contoso"], 3);
        assert_eq!(stats.requests, 4);
        assert_eq!(stats.process_query, 2);
        assert_eq!(stats.compatibility_check, 1);
        assert_eq!(stats.by_tenant["contoso"], 2);
        assert_eq!(stats.by_tenant["fabrikam"], 1);
        assert_eq!(stats.by_status["200"], 1);
        assert_eq!(stats.by_method["GetMySiteHostUrl"], 2);
        assert_eq!(stats.faults_injected["429"], 1);
        let json = serde_json::to_value(&stats).unwrap();
        assert_eq!(json["processQuery"], 2);
        assert_eq!(json["compatibilityCheck"], 1);
        assert_eq!(json["signIns"]["password"], 1);
    }
}
