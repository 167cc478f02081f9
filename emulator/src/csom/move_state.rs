//! The move state object, our own JSON shape (INFERRED: the service's is unpublished; the
//! contract is docs/migration-wire.md). This is its only writer. Start and Stop answer one
//! object as a JSON string, GetSPOCrossTenantContentMoveState a JSON array as a string.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::tenant::SiteLayout;
use crate::tenant::moves::{Move, MoveView};
use crate::wire::enums::MoveDirection;

/// Where the emulator's tenants keep their data (one geography).
const DATA_LOCATION: &str = "NAM";

pub fn object(
    layout: &SiteLayout,
    found: &Move,
    view: &MoveView,
    direction: MoveDirection,
    validation_only: bool,
    now: SystemTime,
) -> Value {
    json!({
        "MoveJobId": found.id.to_string(),
        "ContentType": found.content_type.name(),
        "SourceContentKey": found.source_key,
        "TargetContentKey": found.target_key,
        "SourceSiteUrl": found.source_site_url,
        "TargetSiteUrl": found.target_site_url,
        "TargetCrossTenantHostUrl": layout.host_url(&found.target_tenant),
        "MoveDirection": direction.name(),
        "MoveState": view.status.name(),
        "MovePhase": view.phase.map(|phase| phase.name()),
        "PercentComplete": view.percent,
        "ValidationOnly": validation_only,
        "ErrorCode": view.error_code,
        "ErrorMessage": view.error,
        "SourceDataLocation": DATA_LOCATION,
        "DestinationDataLocation": DATA_LOCATION,
        "PreferredMoveBeginDate": found.preferred_begin.map(date),
        "PreferredMoveEndDate": found.preferred_end.map(date),
        "CreatedTime": date(found.created),
        "StartedTime": view.started.map(date),
        "CompletedTime": view.completed.map(date),
        "TimeStamp": date(now),
    })
}

/// UTC ISO-8601 to the second, as the relation list writes its times.
fn date(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// The text carried in a `ClientResult<string>`.
pub fn text(value: &Value) -> Value {
    Value::String(value.to_string())
}
