//! `GET <adminUrl>/_api/Microsoft.Online.SharePoint.MultiGeo.Service.MultiGeoServicesBeta/XTenantMoveCompatibilityCheck(targetTenantHostUrl=@p)?@p='<partner host url>'`:
//! the check behind Get-SPOCrossTenantCompatibilityStatus (URL form, JSON shape and
//! number-to-name mapping INFERRED, see README).
//!
//! Faults and the token first (see `site_guard`), then the answer:
//! `{"SourceTenantHostUrl","TargetTenantHostUrl","XTenantMoveCompatibilityResult":<int>}`,
//! or HTTP 400 with an OData error. Every answer carries the correlation id in
//! `SPRequestGuid` (and `request-id`).

use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};
use serde::Serialize;
use uuid::Uuid;

use super::Outcome;
use super::odata;
use super::replies;
use super::site_guard::{self, Site};
use crate::emulator::Emulator;
use crate::monitoring::request_log::LogEntry;
use crate::tenant::compatibility::{self, CompatibilityReport};
use crate::wire::status_codes::Failure;

/// The REST function's name, as logged and counted.
pub const FUNCTION_NAME: &str = "XTenantMoveCompatibilityCheck";
/// Its one parameter.
const PARAMETER: &str = "targetTenantHostUrl";

/// The success body (INFERRED shape, from the REST metadata's return type).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    source_tenant_host_url: &'a str,
    target_tenant_host_url: &'a str,
    #[serde(rename = "XTenantMoveCompatibilityResult")]
    result: i64,
}

pub async fn handle(
    emulator: &Emulator,
    site: Site<'_>,
    arguments: &str,
    request: Request<Incoming>,
    entry: &mut LogEntry,
) -> Outcome {
    let correlation = Uuid::new_v4();
    entry.correlation_id = Some(correlation.to_string());
    if request.method() != Method::GET {
        let response = replies::method_not_allowed("GET");
        return Outcome::Respond(replies::with_correlation(response, correlation));
    }
    let admitted = match site_guard::admit(emulator, site, &request, correlation, entry).await {
        Ok(admitted) => admitted,
        Err(outcome) => return outcome,
    };
    emulator.stats().record_methods([FUNCTION_NAME]);

    let (status, mut body) = match check(emulator, site.tenant, arguments, request.uri().query()) {
        Ok(report) => {
            let forced = if report.forced { "forced/" } else { "" };
            entry.outcome = Some(format!("{forced}{}", report.result.name()));
            let answer = Answer {
                source_tenant_host_url: &report.source_host_url,
                target_tenant_host_url: &report.target_host_url,
                result: report.result.number(),
            };
            let body = serde_json::to_string(&answer).expect("the answer always serializes");
            (StatusCode::OK, body.into_bytes())
        }
        Err(failure) => {
            entry.outcome = Some(format!("error/{}", failure.kind.wire_shape().error_code));
            let body = replies::odata_error_body(&failure);
            (StatusCode::BAD_REQUEST, body.into_bytes())
        }
    };
    if admitted.truncate_answer {
        body = site_guard::truncated(body);
    }
    admitted.respond(replies::reply(status, replies::ODATA_JSON, body))
}

fn check(
    emulator: &Emulator,
    tenant: &str,
    arguments: &str,
    query: Option<&str>,
) -> Result<CompatibilityReport, Failure> {
    let partner_url = odata::string_argument(arguments, PARAMETER, query)?;
    let directory = emulator.directory();
    let forced = emulator.forced_compatibility();
    compatibility::check(&directory, &forced, tenant, &partner_url)
}
