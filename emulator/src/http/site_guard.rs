//! What every admin-site API request (ProcessQuery, the compatibility check) passes before
//! it runs: the injected faults, then the bearer token check.
//!
//! Both answer with the request's correlation id in `SPRequestGuid` and `request-id`,
//! refusals and injected faults included (a dropped connection answers nothing at all).

use std::time::{Instant, SystemTime};

use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use uuid::Uuid;

use super::Outcome;
use super::replies::{self, Body};
use crate::emulator::Emulator;
use crate::faults::{Answering, FaultKind, RateLimitHeaders};
use crate::identity::tokens;
use crate::monitoring::request_log::LogEntry;

/// The tenant an admin-site request addresses.
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    pub tenant: &'a str,
    pub tenant_id: Uuid,
}

/// A request that may run; it counts as being answered (for the `in-flight` faults) until
/// dropped, so keep it until the answer is made.
#[derive(Debug)]
pub struct Admitted<'a> {
    /// The `truncated` fault: the request runs and its answer is cut to less than half.
    pub truncate_answer: bool,
    rate_limit: Option<RateLimitHeaders>,
    correlation: Uuid,
    _answering: Answering<'a>,
}

impl Admitted<'_> {
    /// The answer to send: with the correlation headers, and the `RateLimit-*` headers when
    /// the tenant is near an `rps` budget.
    pub fn respond(self, response: Response<Body>) -> Outcome {
        let response = replies::with_correlation(response, self.correlation);
        Outcome::Respond(with_rate_limit(response, self.rate_limit))
    }
}

/// Applies the faults armed for this tenant, then checks the token. `Err` is the answer to
/// give instead of running the request (with the correlation header set).
pub async fn admit<'a>(
    emulator: &'a Emulator,
    site: Site<'_>,
    request: &Request<Incoming>,
    correlation: Uuid,
    entry: &mut LogEntry,
) -> Result<Admitted<'a>, Outcome> {
    let (load, answering) = emulator.traffic.arrive(site.tenant, Instant::now());
    emulator
        .stats()
        .record_in_flight(site.tenant, load.in_flight);
    let decision = emulator.faults().next_request(site.tenant, load);
    if !decision.delay.is_zero() {
        emulator.stats().record_fault("latency");
        entry.fault = Some("latency");
        tokio::time::sleep(decision.delay).await;
    }
    if let Some(kind) = decision.disruption {
        emulator.stats().record_fault(kind.label());
        entry.fault = Some(kind.label());
        if let Some(outcome) = disrupted_answer(kind) {
            return Err(match outcome {
                Outcome::Respond(response) => Outcome::Respond(with_rate_limit(
                    replies::with_correlation(response, correlation),
                    decision.rate_limit,
                )),
                Outcome::Drop => Outcome::Drop,
            });
        }
    }
    if let Some(response) = authentication_refusal(emulator, site, request, entry) {
        return Err(Outcome::Respond(replies::with_correlation(
            response,
            correlation,
        )));
    }
    Ok(Admitted {
        truncate_answer: decision.disruption == Some(FaultKind::TruncatedJson),
        rate_limit: decision.rate_limit,
        correlation,
        _answering: answering,
    })
}

/// Adds `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, when there are any.
fn with_rate_limit(
    mut response: Response<Body>,
    headers: Option<RateLimitHeaders>,
) -> Response<Body> {
    if let Some(headers) = headers {
        for (name, value) in [
            ("ratelimit-limit", headers.limit),
            ("ratelimit-remaining", headers.remaining),
            ("ratelimit-reset", headers.reset_seconds),
        ] {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
    }
    response
}

/// Cuts an answer to less than half, so the JSON can never be complete.
pub fn truncated(mut answer: Vec<u8>) -> Vec<u8> {
    answer.truncate(answer.len() / 2);
    answer
}

/// The answer a fault gives instead of the real one; `None` when the request goes on.
fn disrupted_answer(kind: FaultKind) -> Option<Outcome> {
    let response = match kind {
        FaultKind::TooManyRequests {
            retry_after_seconds,
        } => replies::retry_later(StatusCode::TOO_MANY_REQUESTS, retry_after_seconds),
        FaultKind::Unavailable {
            retry_after_seconds,
        } => replies::retry_later(StatusCode::SERVICE_UNAVAILABLE, retry_after_seconds),
        FaultKind::DropConnection => return Some(Outcome::Drop),
        FaultKind::HtmlError => replies::html_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "An unexpected error has occurred (injected fault).",
        ),
        FaultKind::NotJson => replies::reply(
            StatusCode::OK,
            replies::TEXT,
            "This is not the SharePoint answer you are looking for (injected fault).\n",
        ),
        FaultKind::TruncatedJson | FaultKind::Latency { .. } => return None,
    };
    Some(Outcome::Respond(response))
}

/// Checks the bearer token; `Some` is the 401 or 403 to send instead of an answer.
fn authentication_refusal(
    emulator: &Emulator,
    site: Site<'_>,
    request: &Request<Incoming>,
    entry: &mut LogEntry,
) -> Option<Response<Body>> {
    let audience = emulator.directory().layout().admin_url(site.tenant);
    let header = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| value.to_str().unwrap_or(""));
    let claims = tokens::bearer_token(header)
        .and_then(|token| emulator.tokens.check(token, &audience, SystemTime::now()));
    match claims {
        Err(rejection) => {
            entry.refusal = Some(rejection.description());
            Some(replies::unauthorized(
                site.tenant_id,
                rejection.description(),
                rejection.is_invalid_token(),
            ))
        }
        Ok(claims) if emulator.settings.require_admin && !claims.admin => {
            entry.refusal = Some("not an admin");
            Some(replies::forbidden())
        }
        Ok(_) => None,
    }
}
