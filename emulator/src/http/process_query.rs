//! `POST <adminUrl>/_vti_bin/client.svc/ProcessQuery`: faults and the token first (see
//! `site_guard`), then the CSOM request runs against the tenants.

use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};
use uuid::Uuid;

use super::Outcome;
use super::replies;
use super::site_guard::{self, Site};
use crate::csom::tenant_methods::CallContext;
use crate::csom::{dispatch, request as csom_request, response as csom_response};
use crate::emulator::Emulator;
use crate::monitoring::request_log::LogEntry;
use crate::wire::status_codes::{Failure, FailureKind};

/// The largest request SharePoint Online takes; a larger one is answered with HTTP 400 and
/// [`REQUEST_TOO_LARGE`] (public, protocol.md §12).
const MAX_REQUEST_BYTES: usize = 2_097_152;
/// The service's text for a request over [`MAX_REQUEST_BYTES`].
const REQUEST_TOO_LARGE: &str = "The request message is too big. The server does not allow messages larger than 2,097,152 bytes.";
/// Bodies up to this are read whole, so an over-limit request gets the service's answer
/// instead of a cut connection; anything larger is refused unread.
const MAX_READ_BYTES: usize = 64 * 1024 * 1024;

pub async fn handle(
    emulator: &Emulator,
    tenant: &str,
    tenant_id: Uuid,
    request: Request<Incoming>,
    entry: &mut LogEntry,
) -> Outcome {
    if request.method() != Method::POST {
        return Outcome::Respond(replies::method_not_allowed("POST"));
    }
    let correlation = Uuid::new_v4();
    entry.correlation_id = Some(correlation.to_string());
    let site = Site { tenant, tenant_id };
    let admitted = match site_guard::admit(emulator, site, &request, correlation, entry).await {
        Ok(admitted) => admitted,
        Err(outcome) => return outcome,
    };

    let body = match Limited::new(request.into_body(), MAX_READ_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let response = replies::reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                replies::TEXT,
                "The request body is too large or was cut off.\n",
            );
            return Outcome::Respond(replies::with_correlation(response, correlation));
        }
    };
    if body.len() > MAX_REQUEST_BYTES {
        let failure = Failure::new(FailureKind::RequestTooLarge, REQUEST_TOO_LARGE);
        let answer = csom_response::failure(correlation, &failure);
        let response = replies::reply(StatusCode::BAD_REQUEST, replies::JSON, answer);
        return Outcome::Respond(replies::with_correlation(response, correlation));
    }
    let mut answer = run_csom(emulator, tenant, &body, correlation, entry);
    if admitted.truncate_answer {
        answer = site_guard::truncated(answer);
    }
    admitted.respond(replies::reply(StatusCode::OK, replies::JSON, answer))
}

/// Parses and runs the CSOM request; the JSON answer, success or `ErrorInfo`.
fn run_csom(
    emulator: &Emulator,
    tenant: &str,
    body: &Bytes,
    correlation: Uuid,
    entry: &mut LogEntry,
) -> Vec<u8> {
    let request = match csom_request::parse(body) {
        Ok(request) => request,
        Err(failure) => return csom_response::failure(correlation, &failure).into_bytes(),
    };
    let methods = request.method_names();
    entry.actions = methods.iter().map(|name| name.to_string()).collect();
    emulator.stats().record_methods(methods);

    let context = CallContext {
        tenant,
        now: SystemTime::now(),
        dormant_period: emulator.settings.dormant_period,
        move_step: emulator.settings.move_step,
        identity_map_uploads: emulator.settings.identity_map_uploads,
    };
    let mut directory = emulator.directory();
    let outcome = dispatch::process(&mut directory, context, &request);
    if outcome.changed
        && let Err(message) = emulator.persist(&directory)
    {
        eprintln!("spo-emulator: warning: {message}");
    }
    if outcome.deferred && !outcome.changed {
        emulator.persist_soon();
    }
    drop(directory);
    match outcome.answer {
        Ok(results) => csom_response::success(correlation, &results).into_bytes(),
        Err(failure) => csom_response::failure(correlation, &failure).into_bytes(),
    }
}
