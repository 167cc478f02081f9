//! One line per request, to stderr or `--log FILE`:
//!
//! `2025-01-31T09:30:00.123Z POST contoso ProcessQuery[NewSPOTenantOrgRelation] 200 <correlation id>`
//!
//! Requests through the rehearsal proxy end with the host name they were for
//! (`host=contoso-admin.sharepoint.com`); the proxy's own lines have the endpoint `proxy`.
//!
//! Lines are built only from the fields below, so tokens and `Authorization` headers can
//! never reach the log.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::Mutex;
use std::time::SystemTime;

/// What we remember about one request.
#[derive(Clone, Debug, Default)]
pub struct LogEntry {
    pub method: String,
    /// The tenant addressed, or `-` for emulator-level paths.
    pub tenant: String,
    /// `ProcessQuery`, `XTenantMoveCompatibilityCheck`, `page`, `control`, `unknown`, or an
    /// identity endpoint.
    pub endpoint: String,
    pub actions: Vec<String>,
    pub status: u16,
    pub correlation_id: Option<String>,
    pub fault: Option<&'static str>,
    /// Why authentication failed, if it did.
    pub refusal: Option<&'static str>,
    /// What an identity endpoint did (`issued`, `code-issued`, `error/AADSTS code`), or what
    /// the compatibility check answered (`Compatible`, `forced/Warning`, `error/<code>`).
    pub outcome: Option<String>,
    /// The host name a request through the proxy was for (`--proxy`).
    pub host: Option<String>,
}

impl LogEntry {
    pub fn format_line(&self, time: SystemTime) -> String {
        let mut line = format!(
            "{} {} {} {}",
            humantime::format_rfc3339_millis(time),
            self.method,
            self.tenant,
            self.endpoint
        );
        if !self.actions.is_empty() {
            let _ = write!(line, "[{}]", self.actions.join(","));
        }
        let _ = write!(
            line,
            " {} {}",
            self.status,
            self.correlation_id.as_deref().unwrap_or("-")
        );
        if let Some(fault) = self.fault {
            let _ = write!(line, " fault={fault}");
        }
        if let Some(refusal) = self.refusal {
            let _ = write!(line, " refused=\"{refusal}\"");
        }
        if let Some(outcome) = &self.outcome {
            let _ = write!(line, " outcome={outcome}");
        }
        if let Some(host) = &self.host {
            let _ = write!(line, " host={host}");
        }
        line
    }
}

pub struct RequestLog {
    sink: Mutex<Box<dyn Write + Send>>,
}

impl RequestLog {
    pub fn new(sink: Box<dyn Write + Send>) -> Self {
        RequestLog {
            sink: Mutex::new(sink),
        }
    }

    pub fn record(&self, entry: &LogEntry) {
        let line = entry.format_line(SystemTime::now());
        let mut sink = self
            .sink
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A full disk must not take the emulator down; the log is best effort.
        let _ = writeln!(sink, "{line}");
        let _ = sink.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn formats_every_field() {
        let entry = LogEntry {
            method: "POST".into(),
            tenant: "contoso".into(),
            endpoint: "ProcessQuery".into(),
            actions: vec!["NewSPOTenantOrgRelation".into(), "GetMySiteHostUrl".into()],
            status: 200,
            correlation_id: Some("abc".into()),
            fault: Some("latency"),
            refusal: None,
            outcome: None,
            host: None,
        };
        let time = UNIX_EPOCH + Duration::from_millis(1_738_315_800_123);
        assert_eq!(
            entry.format_line(time),
            "2025-01-31T09:30:00.123Z POST contoso ProcessQuery[NewSPOTenantOrgRelation,GetMySiteHostUrl] 200 abc fault=latency"
        );
    }

    #[test]
    fn identity_outcomes_are_shown() {
        let entry = LogEntry {
            method: "POST".into(),
            tenant: "contoso".into(),
            endpoint: "token".into(),
            actions: vec!["password".into()],
            status: 400,
            correlation_id: Some("abc".into()),
            outcome: Some("invalid_grant/50126".into()),
            ..LogEntry::default()
        };
        assert!(
            entry
                .format_line(UNIX_EPOCH)
                .ends_with("POST contoso token[password] 400 abc outcome=invalid_grant/50126")
        );
    }

    #[test]
    fn refusals_and_missing_ids_are_shown() {
        let entry = LogEntry {
            method: "POST".into(),
            tenant: "fabrikam".into(),
            endpoint: "ProcessQuery".into(),
            status: 401,
            refusal: Some("The bearer token has expired."),
            ..LogEntry::default()
        };
        let line = entry.format_line(UNIX_EPOCH);
        assert!(
            line.ends_with("ProcessQuery 401 - refused=\"The bearer token has expired.\""),
            "{line}"
        );
    }

    #[test]
    fn the_proxys_host_comes_last() {
        let entry = LogEntry {
            method: "CONNECT".into(),
            tenant: "-".into(),
            endpoint: "proxy".into(),
            status: 403,
            refusal: Some("not an emulated host"),
            host: Some("example.com:443".into()),
            ..LogEntry::default()
        };
        let line = entry.format_line(UNIX_EPOCH);
        assert!(
            line.ends_with(
                "CONNECT - proxy 403 - refused=\"not an emulated host\" host=example.com:443"
            ),
            "{line}"
        );
    }
}
