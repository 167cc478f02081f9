//! Fault specs: injected failures, for testing how clients cope with an unreliable service.
//!
//! A fault (in `--fault` and in `POST /_emulator/faults`) is written `KIND[:key=value]...`:
//!
//! | kind        | what the client sees                                    | keys                |
//! |-------------|---------------------------------------------------------|---------------------|
//! | `429`       | 429 Too Many Requests with `Retry-After`                | `retry-after` (s, default 1), `in-flight`, `rps` |
//! | `503`       | 503 Service Unavailable with `Retry-After`              | `retry-after` (s, default 1), `in-flight`, `rps` |
//! | `latency`   | the normal answer, `ms` milliseconds late               | `ms` (required), `jitter` (ms) |
//! | `drop`      | the connection closes with no response at all           |                     |
//! | `html`      | 500 with an HTML error page                             |                     |
//! | `truncated` | 200 with the real answer cut in half (request did run)  |                     |
//! | `not-json`  | 200 `text/plain` that is not JSON (request did not run) |                     |
//!
//! Every kind also takes `count=N` (only the next N matching requests; default: all) and
//! `tenant=NAME` (only that tenant's requests; default: every tenant). Faults apply only to
//! the admin-site APIs (ProcessQuery and the compatibility check), before authentication.
//! Latency adds up and lets the request go on; of the other kinds, the first armed one in
//! the list decides.
//!
//! Throttling like a service: `429` and `503` with `in-flight=N` hit only a request that
//! arrives while more than N requests of its tenant are being answered (itself included),
//! and with `rps=R` only one that arrives when its tenant has sent more than R requests in
//! the current second; with both, either is enough. An `rps` fault also sends
//! `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on every answer of its
//! tenant once 80% of the second's budget is used, as SharePoint does for its per-minute
//! budget. `latency` with `jitter=J` is `ms` plus or minus up to J milliseconds, uniformly.

use std::fmt;
use std::str::FromStr;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    TooManyRequests { retry_after_seconds: u64 },
    Unavailable { retry_after_seconds: u64 },
    Latency { milliseconds: u64, jitter: u64 },
    DropConnection,
    HtmlError,
    TruncatedJson,
    NotJson,
}

impl FaultKind {
    pub fn label(self) -> &'static str {
        match self {
            FaultKind::TooManyRequests { .. } => "429",
            FaultKind::Unavailable { .. } => "503",
            FaultKind::Latency { .. } => "latency",
            FaultKind::DropConnection => "drop",
            FaultKind::HtmlError => "html",
            FaultKind::TruncatedJson => "truncated",
            FaultKind::NotJson => "not-json",
        }
    }
}

/// When a throttling fault hits: under load only, or (both `None`) always.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Trigger {
    /// More than this many requests of the tenant being answered.
    pub in_flight_above: Option<u64>,
    /// More than this many requests of the tenant in the current second.
    pub rps_above: Option<u64>,
}

impl Trigger {
    pub fn is_load(&self) -> bool {
        self.in_flight_above.is_some() || self.rps_above.is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultSpec {
    pub kind: FaultKind,
    /// How many matching requests it applies to; `None` is unlimited.
    pub count: Option<u64>,
    pub tenant: Option<String>,
    pub trigger: Trigger,
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let mut pieces = spec.trim().split(':');
        let kind_name = pieces.next().unwrap_or_default().to_ascii_lowercase();
        let mut retry_after_seconds = 1;
        let mut milliseconds = None;
        let mut jitter = None;
        let mut count = None;
        let mut tenant = None;
        let mut trigger = Trigger::default();
        for piece in pieces {
            let (key, value) = piece
                .split_once('=')
                .ok_or_else(|| format!("'{piece}' in fault '{spec}' is not key=value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{key} in fault '{spec}' must be a whole number"))
            };
            match key.to_ascii_lowercase().as_str() {
                "retry-after" => retry_after_seconds = number()?,
                "ms" => milliseconds = Some(number()?),
                "jitter" => jitter = Some(number()?),
                "in-flight" => trigger.in_flight_above = Some(number()?),
                "rps" => trigger.rps_above = Some(number()?),
                "count" => count = Some(number()?),
                "tenant" => tenant = Some(value.to_ascii_lowercase()),
                other => return Err(format!("unknown key '{other}' in fault '{spec}'")),
            }
        }
        let kind = match kind_name.as_str() {
            "429" => FaultKind::TooManyRequests {
                retry_after_seconds,
            },
            "503" => FaultKind::Unavailable {
                retry_after_seconds,
            },
            "latency" => FaultKind::Latency {
                milliseconds: milliseconds
                    .ok_or_else(|| format!("fault '{spec}' needs ms=MILLISECONDS"))?,
                jitter: jitter.unwrap_or(0),
            },
            "drop" => FaultKind::DropConnection,
            "html" => FaultKind::HtmlError,
            "truncated" => FaultKind::TruncatedJson,
            "not-json" => FaultKind::NotJson,
            other => {
                return Err(format!(
                    "unknown fault kind '{other}'; use 429, 503, latency, drop, html, truncated or not-json"
                ));
            }
        };
        let throttles = matches!(
            kind,
            FaultKind::TooManyRequests { .. } | FaultKind::Unavailable { .. }
        );
        if trigger.is_load() && !throttles {
            return Err(format!(
                "in-flight and rps only go with 429 and 503, not in fault '{spec}'"
            ));
        }
        if jitter.is_some() && !matches!(kind, FaultKind::Latency { .. }) {
            return Err(format!(
                "jitter only goes with latency, not in fault '{spec}'"
            ));
        }
        if trigger.rps_above == Some(0) {
            return Err(format!("rps in fault '{spec}' must be at least 1"));
        }
        Ok(FaultSpec {
            kind,
            count,
            tenant,
            trigger,
        })
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.label())?;
        match self.kind {
            FaultKind::TooManyRequests {
                retry_after_seconds,
            }
            | FaultKind::Unavailable {
                retry_after_seconds,
            } => write!(f, ":retry-after={retry_after_seconds}")?,
            FaultKind::Latency {
                milliseconds,
                jitter,
            } => {
                write!(f, ":ms={milliseconds}")?;
                if jitter > 0 {
                    write!(f, ":jitter={jitter}")?;
                }
            }
            _ => {}
        }
        if let Some(limit) = self.trigger.in_flight_above {
            write!(f, ":in-flight={limit}")?;
        }
        if let Some(limit) = self.trigger.rps_above {
            write!(f, ":rps={limit}")?;
        }
        if let Some(count) = self.count {
            write!(f, ":count={count}")?;
        }
        if let Some(tenant) = &self.tenant {
            write!(f, ":tenant={tenant}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> FaultSpec {
        text.parse().unwrap()
    }

    #[test]
    fn parses_every_kind() {
        assert_eq!(
            spec("429:retry-after=3:count=2").kind,
            FaultKind::TooManyRequests {
                retry_after_seconds: 3
            }
        );
        assert_eq!(spec("429:retry-after=3:count=2").count, Some(2));
        assert_eq!(
            spec("503").kind,
            FaultKind::Unavailable {
                retry_after_seconds: 1
            }
        );
        assert_eq!(
            spec("latency:ms=250").kind,
            FaultKind::Latency {
                milliseconds: 250,
                jitter: 0
            }
        );
        assert_eq!(
            spec("latency:ms=250:jitter=40").kind,
            FaultKind::Latency {
                milliseconds: 250,
                jitter: 40
            }
        );
        assert_eq!(
            spec("429:in-flight=4:rps=20").trigger,
            Trigger {
                in_flight_above: Some(4),
                rps_above: Some(20)
            }
        );
        assert!(!spec("429").trigger.is_load());
        assert_eq!(spec("drop").kind, FaultKind::DropConnection);
        assert_eq!(spec("HTML").kind, FaultKind::HtmlError);
        assert_eq!(spec("truncated").kind, FaultKind::TruncatedJson);
        assert_eq!(
            spec("not-json:tenant=Fabrikam").tenant.as_deref(),
            Some("fabrikam")
        );
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "429:retry-after=3:count=2",
            "latency:ms=10:tenant=contoso",
            "latency:ms=100:jitter=30",
            "429:retry-after=2:in-flight=4",
            "503:retry-after=1:rps=20:count=5",
            "drop",
        ] {
            assert_eq!(spec(text).to_string(), text);
        }
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        for (text, complaint) in [
            ("404", "unknown fault kind"),
            ("latency", "needs ms="),
            ("429:retry-after=soon", "whole number"),
            ("429:count", "key=value"),
            ("drop:colour=red", "unknown key"),
            ("latency:ms=5:in-flight=3", "only go with 429 and 503"),
            ("429:jitter=3", "only goes with latency"),
            ("429:rps=0", "at least 1"),
        ] {
            let error = text.parse::<FaultSpec>().unwrap_err();
            assert!(error.contains(complaint), "{text}: {error}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn any_kind() -> impl Strategy<Value = FaultKind> {
            prop_oneof![
                (0u64..100).prop_map(|s| FaultKind::TooManyRequests {
                    retry_after_seconds: s
                }),
                (0u64..100).prop_map(|s| FaultKind::Unavailable {
                    retry_after_seconds: s
                }),
                (0u64..10_000, 0u64..500).prop_map(|(ms, jitter)| FaultKind::Latency {
                    milliseconds: ms,
                    jitter
                }),
                Just(FaultKind::DropConnection),
                Just(FaultKind::HtmlError),
                Just(FaultKind::TruncatedJson),
                Just(FaultKind::NotJson),
            ]
        }

        proptest! {
            #[test]
            fn display_then_parse_is_identity(
                kind in any_kind(),
                count in proptest::option::of(0u64..50),
                tenant in proptest::option::of("[a-z0-9]{1,10}"),
                in_flight in proptest::option::of(0u64..50),
                rps in proptest::option::of(1u64..500),
            ) {
                let throttles = matches!(kind, FaultKind::TooManyRequests { .. } | FaultKind::Unavailable { .. });
                let trigger = if throttles { Trigger { in_flight_above: in_flight, rps_above: rps } } else { Trigger::default() };
                let spec = FaultSpec { kind, count, tenant, trigger };
                prop_assert_eq!(spec.to_string().parse::<FaultSpec>(), Ok(spec));
            }

            #[test]
            fn parsing_never_panics(text in "\\PC{0,40}") {
                let _ = text.parse::<FaultSpec>();
            }
        }
    }
}
