//! The HTTP front: routes a request, applies faults, checks the token, runs ProcessQuery,
//! hands sign-in requests to the identity endpoints, and logs one line per request.

use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::AUTHORIZATION;
use hyper::{Method, Request, Response, StatusCode};
use uuid::Uuid;

use crate::control;
use crate::csom_dispatch;
use crate::csom_request;
use crate::csom_response;
use crate::emulator::Emulator;
use crate::faults::FaultKind;
use crate::http_reply::{self, Body};
use crate::identity::endpoints as identity_endpoints;
use crate::request_log::LogEntry;
use crate::routes::{self, Route};
use crate::tenant_methods::CallContext;
use crate::tokens;

/// Request bodies above this are refused; real CSOM batches are far smaller.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What to do with the connection after a request.
pub enum Outcome {
    Respond(Response<Body>),
    /// Close the connection without answering (the `drop` fault).
    Drop,
}

pub async fn handle(emulator: Arc<Emulator>, request: Request<Incoming>) -> Outcome {
    let route = routes::route(request.uri().path());
    let mut entry = LogEntry {
        method: request.method().to_string(),
        tenant: "-".to_string(),
        ..LogEntry::default()
    };
    let outcome = match route {
        Route::Control { path } => {
            entry.endpoint = "control".to_string();
            Outcome::Respond(control::handle(&emulator, &path, request).await)
        }
        route => {
            let outcome = site_request(&emulator, route, request, &mut entry).await;
            let status = match &outcome {
                Outcome::Respond(response) => response.status().as_u16().to_string(),
                Outcome::Drop => "drop".to_string(),
            };
            emulator.stats().record_status(&status);
            outcome
        }
    };
    entry.status = match &outcome {
        Outcome::Respond(response) => response.status().as_u16(),
        Outcome::Drop => 0,
    };
    emulator.log.record(&entry);
    outcome
}

async fn site_request(
    emulator: &Emulator,
    route: Route,
    request: Request<Incoming>,
    entry: &mut LogEntry,
) -> Outcome {
    let tenant_of = |tenant: &str| {
        emulator
            .directory()
            .tenant(tenant)
            .map(|t| (t.name.clone(), t.id))
    };
    let is_page_method = matches!(*request.method(), Method::GET | Method::HEAD);
    match route {
        Route::Identity { tenant, endpoint } => {
            emulator.stats().record_request(None);
            Outcome::Respond(
                identity_endpoints::oauth(emulator, &tenant, endpoint, request, entry).await,
            )
        }
        Route::ManagedIdentity => {
            emulator.stats().record_request(None);
            Outcome::Respond(identity_endpoints::managed_identity(
                emulator, &request, entry,
            ))
        }
        Route::DeviceLogin => {
            emulator.stats().record_request(None);
            Outcome::Respond(identity_endpoints::device_login(emulator, request, entry).await)
        }
        Route::ProcessQuery { tenant } => match tenant_of(&tenant) {
            Some((name, id)) => {
                entry.tenant = name.clone();
                entry.endpoint = "ProcessQuery".to_string();
                emulator.stats().record_request(Some(&name));
                process_query(emulator, &name, id, request, entry).await
            }
            None => not_found(emulator, entry),
        },
        Route::AdminPage { tenant } | Route::HostPage { tenant } if is_page_method => {
            match tenant_of(&tenant) {
                Some((name, _)) => {
                    entry.tenant = name.clone();
                    entry.endpoint = "page".to_string();
                    emulator.stats().record_request(None);
                    Outcome::Respond(http_reply::html_page(
                        StatusCode::OK,
                        &format!("{name} (spo-emulator)"),
                        &format!(
                            "A SharePoint Online tenant site of {name}, emulated locally by spo-emulator."
                        ),
                    ))
                }
                None => not_found(emulator, entry),
            }
        }
        Route::AdminPage { .. } | Route::HostPage { .. } | Route::Index if !is_page_method => {
            emulator.stats().record_request(None);
            entry.endpoint = "page".to_string();
            Outcome::Respond(http_reply::method_not_allowed("GET"))
        }
        Route::Index => {
            emulator.stats().record_request(None);
            entry.endpoint = "page".to_string();
            let names: Vec<String> = emulator
                .directory()
                .tenants()
                .map(|t| t.name.clone())
                .collect();
            Outcome::Respond(http_reply::html_page(
                StatusCode::OK,
                "spo-emulator",
                &format!("Emulated tenants: {}.", names.join(", ")),
            ))
        }
        _ => not_found(emulator, entry),
    }
}

fn not_found(emulator: &Emulator, entry: &mut LogEntry) -> Outcome {
    emulator.stats().record_request(None);
    entry.endpoint = "unknown".to_string();
    Outcome::Respond(http_reply::not_found())
}

async fn process_query(
    emulator: &Emulator,
    tenant: &str,
    tenant_id: Uuid,
    request: Request<Incoming>,
    entry: &mut LogEntry,
) -> Outcome {
    if request.method() != Method::POST {
        return Outcome::Respond(http_reply::method_not_allowed("POST"));
    }
    let correlation = Uuid::new_v4();
    entry.correlation_id = Some(correlation.to_string());

    let decision = emulator.faults().next_request(tenant);
    if !decision.delay.is_zero() {
        emulator.stats().record_fault("latency");
        entry.fault = Some("latency");
        tokio::time::sleep(decision.delay).await;
    }
    if let Some(kind) = decision.disruption {
        emulator.stats().record_fault(kind.label());
        entry.fault = Some(kind.label());
        if let Some(outcome) = disrupted_answer(kind) {
            return match outcome {
                Outcome::Respond(response) => {
                    Outcome::Respond(http_reply::with_correlation(response, correlation))
                }
                Outcome::Drop => Outcome::Drop,
            };
        }
    }

    if let Some(response) = authentication_refusal(emulator, tenant, tenant_id, &request, entry) {
        return Outcome::Respond(http_reply::with_correlation(response, correlation));
    }

    let body = match Limited::new(request.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let response = http_reply::reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                http_reply::TEXT,
                "The request body is too large or was cut off.\n",
            );
            return Outcome::Respond(http_reply::with_correlation(response, correlation));
        }
    };
    let mut answer = run_csom(emulator, tenant, &body, correlation, entry);
    if decision.disruption == Some(FaultKind::TruncatedJson) {
        // Keep less than half, so the JSON can never be complete.
        answer.truncate(answer.len() / 2);
    }
    let response = http_reply::reply(StatusCode::OK, http_reply::JSON, answer);
    Outcome::Respond(http_reply::with_correlation(response, correlation))
}

/// The answer a fault gives instead of the real one; `None` when the request goes on.
fn disrupted_answer(kind: FaultKind) -> Option<Outcome> {
    let response = match kind {
        FaultKind::TooManyRequests {
            retry_after_seconds,
        } => http_reply::retry_later(StatusCode::TOO_MANY_REQUESTS, retry_after_seconds),
        FaultKind::Unavailable {
            retry_after_seconds,
        } => http_reply::retry_later(StatusCode::SERVICE_UNAVAILABLE, retry_after_seconds),
        FaultKind::DropConnection => return Some(Outcome::Drop),
        FaultKind::HtmlError => http_reply::html_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "An unexpected error has occurred (injected fault).",
        ),
        FaultKind::NotJson => http_reply::reply(
            StatusCode::OK,
            http_reply::TEXT,
            "This is not the SharePoint answer you are looking for (injected fault).\n",
        ),
        FaultKind::TruncatedJson | FaultKind::Latency { .. } => return None,
    };
    Some(Outcome::Respond(response))
}

/// Checks the bearer token; `Some` is the 401 or 403 to send instead of an answer.
fn authentication_refusal(
    emulator: &Emulator,
    tenant: &str,
    tenant_id: Uuid,
    request: &Request<Incoming>,
    entry: &mut LogEntry,
) -> Option<Response<Body>> {
    let audience = emulator.directory().layout().admin_url(tenant);
    let header = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| value.to_str().unwrap_or(""));
    let claims = tokens::bearer_token(header)
        .and_then(|token| emulator.tokens.check(token, &audience, SystemTime::now()));
    match claims {
        Err(rejection) => {
            entry.refusal = Some(rejection.description());
            Some(http_reply::unauthorized(
                tenant_id,
                rejection.description(),
                rejection.is_invalid_token(),
            ))
        }
        Ok(claims) if emulator.settings.require_admin && !claims.admin => {
            entry.refusal = Some("not an admin");
            Some(http_reply::forbidden())
        }
        Ok(_) => None,
    }
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
    };
    let mut directory = emulator.directory();
    let outcome = csom_dispatch::process(&mut directory, context, &request);
    if outcome.changed
        && let Err(message) = emulator.persist(&directory)
    {
        eprintln!("spo-emulator: warning: {message}");
    }
    drop(directory);
    match outcome.answer {
        Ok(results) => csom_response::success(correlation, &results).into_bytes(),
        Err(failure) => csom_response::failure(correlation, &failure).into_bytes(),
    }
}
