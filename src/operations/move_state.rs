//! The move state object: what the server says about one cross-tenant content move.
//!
//! INFERRED, not published by Microsoft: the methods return it as JSON text inside a
//! `ClientResult<string>`, in the shape of docs/migration-wire.md ("Move state object").
//! This struct is that shape's one named place in the engine. The module receives the
//! normalized JSON of this struct (fixed key order, UTC dates, unknown keys dropped), and an
//! answer that does not fit is a MalformedResponse error.

use crate::csom::{MnAWorkManagerContentType, MoveDirection};
use crate::error::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// One move, as the server reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MoveStateRecord {
    pub move_job_id: Uuid,
    pub content_type: MnAWorkManagerContentType,
    pub source_content_key: String,
    #[serde(default)]
    pub target_content_key: Option<String>,
    #[serde(default)]
    pub source_site_url: Option<String>,
    #[serde(default)]
    pub target_site_url: Option<String>,
    #[serde(default)]
    pub target_cross_tenant_host_url: Option<String>,
    #[serde(default)]
    pub move_direction: Option<MoveDirection>,
    pub move_state: ServerMoveState,
    #[serde(default)]
    pub move_phase: Option<MovePhase>,
    #[serde(default)]
    pub percent_complete: Option<u8>,
    #[serde(default)]
    pub validation_only: bool,
    #[serde(default)]
    pub error_code: Option<ErrorCode>,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub source_data_location: Option<String>,
    #[serde(default)]
    pub destination_data_location: Option<String>,
    #[serde(default, with = "utc")]
    pub preferred_move_begin_date: Option<OffsetDateTime>,
    #[serde(default, with = "utc")]
    pub preferred_move_end_date: Option<OffsetDateTime>,
    #[serde(default, with = "utc")]
    pub created_time: Option<OffsetDateTime>,
    #[serde(default, with = "utc")]
    pub started_time: Option<OffsetDateTime>,
    #[serde(default, with = "utc")]
    pub completed_time: Option<OffsetDateTime>,
    #[serde(default, with = "utc")]
    pub time_stamp: Option<OffsetDateTime>,
}

/// The states the server reports. Wider than the `MoveState` filter enum: Scheduled and
/// ReadyToTrigger appear in answers but cannot be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerMoveState {
    NotStarted,
    Scheduled,
    ReadyToTrigger,
    InProgress,
    Success,
    Failed,
    Stopped,
    Queued,
    Rescheduled,
    NotSupported,
}

/// What an InProgress move is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MovePhase {
    Validation,
    Backup,
    Restore,
    Cleanup,
}

/// The failure code of a move: a name like "MnAIdentityMappingNotFound" or a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ErrorCode {
    Number(i64),
    Name(String),
}

/// Dates: read as RFC 3339 with any offset, written in UTC (`...Z`), null when absent.
mod utc {
    use serde::{Deserializer, Serializer};
    use time::{OffsetDateTime, UtcOffset};

    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::option::serialize(value, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        match time::serde::rfc3339::option::deserialize(deserializer)? {
            None => Ok(None),
            // Near the end of year 9999 a positive offset has no UTC form.
            Some(value) => value
                .checked_to_offset(UtcOffset::UTC)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("a date outside the years 1 to 9999")),
        }
    }
}

/// One move state object, from the JSON text the server returned.
pub fn parse_one(text: &str) -> Result<MoveStateRecord, Error> {
    let record: MoveStateRecord = serde_json::from_str(text)
        .map_err(|e| malformed(&format!("it is not a move state object ({e})")))?;
    check(&record)?;
    Ok(record)
}

/// A JSON array of move state objects (possibly empty).
pub fn parse_list(text: &str) -> Result<Vec<MoveStateRecord>, Error> {
    let records: Vec<MoveStateRecord> = serde_json::from_str(text)
        .map_err(|e| malformed(&format!("it is not an array of move state objects ({e})")))?;
    records.iter().try_for_each(check)?;
    Ok(records)
}

/// The normalized JSON of a state: the keys of [`MoveStateRecord`] in order, UTC dates.
pub fn to_json(record: &MoveStateRecord) -> String {
    // Serializing this plain struct cannot fail.
    serde_json::to_string(record).unwrap_or_default()
}

fn check(record: &MoveStateRecord) -> Result<(), Error> {
    match record.percent_complete {
        Some(percent) if percent > 100 => Err(malformed(&format!("PercentComplete is {percent}"))),
        _ => Ok(()),
    }
}

fn malformed(why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        "MalformedResponse",
        format!("The server's move state is not understood: {why}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const SAMPLE: &str = r#"{"MoveJobId":"3F2C9A1E-0B7D-4C55-9A57-2F1E6F0C8B11","ContentType":"Odb","SourceContentKey":"alex@contoso.onmicrosoft.com",
 "TargetContentKey":"alex@fabrikam.onmicrosoft.com","SourceSiteUrl":"https://contoso-my.sharepoint.com/personal/alex_contoso_onmicrosoft_com",
 "TargetSiteUrl":"https://fabrikam-my.sharepoint.com/personal/alex_fabrikam_onmicrosoft_com",
 "TargetCrossTenantHostUrl":"https://fabrikam-my.sharepoint.com/","MoveDirection":"MoveOut",
 "MoveState":"InProgress","MovePhase":"Backup","PercentComplete":40,"ValidationOnly":false,
 "ErrorCode":null,"ErrorMessage":null,"SourceDataLocation":"NAM","DestinationDataLocation":"NAM",
 "PreferredMoveBeginDate":"2026-12-02T01:00:00+01:00","PreferredMoveEndDate":null,
 "CreatedTime":"2026-12-02T00:00:00Z","StartedTime":null,"CompletedTime":null,"TimeStamp":"2026-12-02T00:00:05.250Z","Extra":1}"#;

    #[test]
    fn the_documented_shape_is_read_and_normalized() {
        let record = parse_one(SAMPLE).unwrap();
        assert_eq!(record.move_state, ServerMoveState::InProgress);
        assert_eq!(record.move_phase, Some(MovePhase::Backup));
        let json: serde_json::Value = serde_json::from_str(&to_json(&record)).unwrap();
        assert_eq!(json["MoveJobId"], "3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11");
        assert_eq!(json["PreferredMoveBeginDate"], "2026-12-02T00:00:00Z");
        assert_eq!(json["TimeStamp"], "2026-12-02T00:00:05.25Z");
        assert_eq!(json["PreferredMoveEndDate"], serde_json::Value::Null);
        assert_eq!(json["ContentType"], "Odb");
        assert_eq!(json["MoveDirection"], "MoveOut");
        assert_eq!(json["PercentComplete"], 40);
        assert!(json.get("Extra").is_none());
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 22);
    }

    #[test]
    fn a_minimal_state_and_error_codes_of_either_kind_are_read() {
        let minimal = r#"{"MoveJobId":"3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11","ContentType":"Group","SourceContentKey":"sales","MoveState":"Failed","ErrorCode":"MnAIdentityMappingNotFound"}"#;
        let record = parse_one(minimal).unwrap();
        assert_eq!(
            record.error_code,
            Some(ErrorCode::Name("MnAIdentityMappingNotFound".into()))
        );
        let numbered = minimal.replace(r#""MnAIdentityMappingNotFound""#, "-2");
        assert_eq!(
            parse_one(&numbered).unwrap().error_code,
            Some(ErrorCode::Number(-2))
        );
        assert_eq!(parse_list("[]").unwrap(), vec![]);
        assert_eq!(
            parse_list(&format!("[{SAMPLE},{minimal}]")).unwrap().len(),
            2
        );
    }

    #[test]
    fn answers_that_do_not_fit_are_malformed_responses() {
        let bad = [
            "",
            "null",
            "[]",
            r#"{"MoveJobId":"x","ContentType":"Odb","SourceContentKey":"a","MoveState":"Success"}"#,
            &SAMPLE.replace(r#""Odb""#, r#""OneDrive""#),
            &SAMPLE.replace(r#""InProgress""#, r#""Running""#),
            &SAMPLE.replace(r#""Backup""#, r#""Copy""#),
            &SAMPLE.replace("40", "140"),
            &SAMPLE.replace("40", "-1"),
            &SAMPLE.replace(
                r#""CreatedTime":"2026-12-02T00:00:00Z""#,
                r#""CreatedTime":"yesterday""#,
            ),
            &SAMPLE.replace(r#""SourceContentKey":"alex@contoso.onmicrosoft.com","#, ""),
            &SAMPLE.replace("2026-12-02T00:00:00Z", "9999-12-31T23:59:59-23:59"),
        ];
        for text in bad {
            let error = parse_one(text).unwrap_err();
            assert_eq!(
                (error.kind(), error.id()),
                (ErrorKind::InvalidResponse, "MalformedResponse"),
                "{text}"
            );
        }
        assert_eq!(parse_list(SAMPLE).unwrap_err().id(), "MalformedResponse");
        assert_eq!(parse_list("[1]").unwrap_err().id(), "MalformedResponse");
    }
}
