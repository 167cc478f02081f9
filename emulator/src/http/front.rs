//! The front door: routes a request to the part of the emulator it addresses, counts it,
//! and logs one line for it. In a proxy tunnel, a request for another host than the
//! tunnel's is answered 421 first (`misdirection`).

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};

use super::identity as identity_endpoints;
use super::replies;
use super::routes::{self, Route};
use super::site_guard::Site;
use super::{Outcome, compatibility_check, control, misdirection, process_query, proxy};
use crate::emulator::Emulator;
use crate::monitoring::request_log::LogEntry;
use crate::tenant::real_names::RealHost;

/// Handles one request: on the listener (`host` is `None`), or through the proxy for the
/// real host name `host`.
pub async fn handle(
    emulator: Arc<Emulator>,
    request: Request<Incoming>,
    host: Option<&RealHost>,
) -> Outcome {
    let route = match host {
        None => routes::route(request.uri().path()),
        Some(host) => routes::route_on(host, request.uri().path()),
    };
    let mut entry = LogEntry {
        method: request.method().to_string(),
        tenant: "-".to_string(),
        host: host.map(RealHost::name),
        ..LogEntry::default()
    };
    if let Some(tunnel) = host
        && let Some(misdirection) = misdirection::misdirection(&request, tunnel)
    {
        let response = misdirection.response(tunnel);
        entry.tenant = tunnel.tenant().unwrap_or("-").to_string();
        entry.endpoint = proxy::LOG_ENDPOINT.to_string();
        entry.status = response.status().as_u16();
        entry.refusal = Some(misdirection.reason());
        entry.outcome = Some(format!("asked={}", misdirection.asked()));
        emulator.log.record(&entry);
        return Outcome::Respond(response);
    }
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
                process_query::handle(emulator, &name, id, request, entry).await
            }
            None => not_found(emulator, entry),
        },
        Route::CompatibilityCheck { tenant, arguments } => match tenant_of(&tenant) {
            Some((name, tenant_id)) => {
                entry.tenant = name.clone();
                entry.endpoint = compatibility_check::FUNCTION_NAME.to_string();
                emulator.stats().record_compatibility_check(&name);
                let site = Site {
                    tenant: &name,
                    tenant_id,
                };
                compatibility_check::handle(emulator, site, &arguments, request, entry).await
            }
            None => not_found(emulator, entry),
        },
        Route::AdminPage { tenant } | Route::HostPage { tenant } if is_page_method => {
            match tenant_of(&tenant) {
                Some((name, _)) => {
                    entry.tenant = name.clone();
                    entry.endpoint = "page".to_string();
                    emulator.stats().record_request(None);
                    Outcome::Respond(replies::html_page(
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
            Outcome::Respond(replies::method_not_allowed("GET"))
        }
        Route::Index => {
            emulator.stats().record_request(None);
            entry.endpoint = "page".to_string();
            let names: Vec<String> = emulator
                .directory()
                .tenants()
                .map(|t| t.name.clone())
                .collect();
            Outcome::Respond(replies::html_page(
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
    Outcome::Respond(replies::not_found())
}
