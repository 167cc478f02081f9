//! Fault specs: injected failures, for testing how clients cope with an unreliable service.
//!
//! A fault (in `--fault` and in `POST /_emulator/faults`) is written `KIND[:key=value]...`:
//!
//! | kind        | what the client sees                                    | keys                |
//! |-------------|---------------------------------------------------------|---------------------|
//! | `429`       | 429 Too Many Requests with `Retry-After`                | `retry-after` (s, default 1) |
//! | `503`       | 503 Service Unavailable with `Retry-After`              | `retry-after` (s, default 1) |
//! | `latency`   | the normal answer, `ms` milliseconds late               | `ms` (required)     |
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

use std::fmt;
use std::str::FromStr;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    TooManyRequests { retry_after_seconds: u64 },
    Unavailable { retry_after_seconds: u64 },
    Latency { milliseconds: u64 },
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultSpec {
    pub kind: FaultKind,
    /// How many matching requests it applies to; `None` is unlimited.
    pub count: Option<u64>,
    pub tenant: Option<String>,
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let mut pieces = spec.trim().split(':');
        let kind_name = pieces.next().unwrap_or_default().to_ascii_lowercase();
        let mut retry_after_seconds = 1;
        let mut milliseconds = None;
        let mut count = None;
        let mut tenant = None;
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
        Ok(FaultSpec {
            kind,
            count,
            tenant,
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
            FaultKind::Latency { milliseconds } => write!(f, ":ms={milliseconds}")?,
            _ => {}
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
            FaultKind::Latency { milliseconds: 250 }
        );
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
                (0u64..10_000).prop_map(|ms| FaultKind::Latency { milliseconds: ms }),
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
            ) {
                let spec = FaultSpec { kind, count, tenant };
                prop_assert_eq!(spec.to_string().parse::<FaultSpec>(), Ok(spec));
            }

            #[test]
            fn parsing_never_panics(text in "\\PC{0,40}") {
                let _ = text.parse::<FaultSpec>();
            }
        }
    }
}
