//! Property tests for the migration readers: the CSV reader, the identity-map pipeline and
//! the move state parser never panic on any input, and CSV written the way Excel writes it
//! reads back field for field.

use proptest::prelude::*;
use spo_crosstenant::operations::identity_map::rows::{MapItem, Mapped};
use spo_crosstenant::operations::identity_map::{self, csv, entries, text, upload};
use spo_crosstenant::operations::migration_call::{JsonAnswer, read_answer};
use spo_crosstenant::operations::move_state;

/// The properties of identity map entries (users and groups).
const ENTRY_KEYS: &[&str] = &[
    "SourceTenantCompanyId",
    "SourceUserKey",
    "SourceUserPuid",
    "TargetUserPuid",
    "TargetUserUpn",
    "TargetUserEmail",
    "UserType",
    "SourceGroupObjectId",
    "TargetGroupObjectId",
    "TargetGroupName",
    "GroupType",
];

const STATE_KEYS: &[&str] = &[
    "MoveJobId",
    "ContentType",
    "SourceContentKey",
    "TargetContentKey",
    "MoveDirection",
    "MoveState",
    "MovePhase",
    "PercentComplete",
    "ValidationOnly",
    "ErrorCode",
    "CreatedTime",
    "TimeStamp",
];

const SAMPLE: &str = r#"{"MoveJobId":"3f2c9a1e-0b7d-4c55-9a57-2f1e6f0c8b11","ContentType":"Odb","SourceContentKey":"a@b.com","TargetContentKey":"a@c.com","MoveDirection":"MoveOut","MoveState":"InProgress","MovePhase":"Backup","PercentComplete":40,"ValidationOnly":false,"ErrorCode":null,"CreatedTime":"2026-12-02T00:00:00Z","TimeStamp":"2026-12-02T00:00:05Z"}"#;

/// Writes one field as Excel does: quoted when it holds a comma, quote or line break.
fn excel_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_csv_reader_never_panics_and_lines_only_grow(text in "[a,\"\r\n é😀]{0,200}") {
        let records = csv::records(&text);
        let mut last = 0;
        for record in &records {
            prop_assert!(record.line >= 1 && record.line >= last);
            last = record.line;
        }
    }

    #[test]
    fn excel_written_csv_reads_back_field_for_field(
        rows in proptest::collection::vec(proptest::collection::vec("[a-z,\"\r\n ]{0,6}", 1..7), 1..12),
        crlf in any::<bool>(),
    ) {
        let break_ = if crlf { "\r\n" } else { "\n" };
        let text: String = rows
            .iter()
            .map(|row| row.iter().map(|f| excel_field(f)).collect::<Vec<_>>().join(",") + break_)
            .collect();
        // A row of one empty field is an empty line, which the reader skips.
        let expected: Vec<&Vec<String>> = rows.iter().filter(|r| !(r.len() == 1 && r[0].is_empty())).collect();
        let records = csv::records(&text);
        prop_assert_eq!(records.len(), expected.len());
        for (record, row) in records.iter().zip(expected) {
            prop_assert_eq!(&record.fields, row);
            prop_assert!(record.problem.is_none());
        }
    }

    #[test]
    fn the_identity_map_pipeline_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = text::decode(&bytes);
        let _ = identity_map::from_bytes(&bytes, "map.csv");
    }

    #[test]
    fn row_checks_never_panic_on_row_like_text(
        rows in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just("User".to_owned()), Just("Group".to_owned()),
                Just("0f8fad5b-d9cb-469f-a165-70867728950e".to_owned()),
                Just("a@b.com".to_owned()), Just("RegularUser".to_owned()), Just("O365Group".to_owned()),
                "\\PC{0,10}",
            ], 0..8),
            0..10),
    ) {
        let text: String = rows.iter().map(|r| r.iter().map(|f| excel_field(f)).collect::<Vec<_>>().join(",") + "\n").collect();
        let _ = identity_map::from_bytes(text.as_bytes(), "map.csv");
    }

    #[test]
    fn rejections_never_panic(texts in proptest::collection::vec("[0-9: a-z-]{0,12}", 0..6)) {
        let chunk: Vec<MapItem> = (0..3)
            .map(|i| MapItem {
                line: i + 1,
                item: format!("i{i}"),
                mapped: Mapped::User { source: format!("u{i}@a.com"), target: format!("u{i}@b.com") },
            })
            .collect();
        let _ = upload::rejections(&texts, &chunk);
    }

    #[test]
    fn the_identity_map_entry_readers_never_panic_on_any_items(
        items in proptest::collection::vec(
            proptest::collection::btree_map(proptest::sample::select(ENTRY_KEYS), json_value(), 0..7),
            0..4),
    ) {
        let items: Vec<serde_json::Value> = items
            .into_iter()
            .map(|item| item.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<serde_json::Map<_, _>>().into())
            .collect();
        let _ = entries::read_users(&items);
        let _ = entries::read_groups(&items);
    }

    #[test]
    fn the_state_parser_never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = move_state::parse_one(&text);
        let _ = move_state::parse_list(&text);
    }

    #[test]
    fn the_state_parser_never_panics_when_any_field_holds_anything(
        key in proptest::sample::select(STATE_KEYS),
        value in json_value(),
        wrap in any::<bool>(),
    ) {
        let mut state: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        state[key] = value;
        let text = if wrap { format!("[{state}]") } else { state.to_string() };
        if let Ok(record) = move_state::parse_one(&text) {
            // What was accepted normalizes, and the normal form reads back the same.
            let normal = move_state::to_json(&record);
            prop_assert_eq!(move_state::parse_one(&normal).unwrap(), record);
        }
        let _ = move_state::parse_list(&text);
        for answer in [JsonAnswer::MoveState, JsonAnswer::MoveStates, JsonAnswer::Texts] {
            let _ = read_answer(answer, Some(&serde_json::Value::String(text.clone())));
            let _ = read_answer(answer, Some(&state));
        }
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        (0u32..300).prop_map(|n| serde_json::json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|n| serde_json::json!(n)),
        prop_oneof![
            Just("Odb".to_owned()),
            Just("Success".to_owned()),
            Just("Cleanup".to_owned()),
            Just("MoveIn".to_owned()),
            Just("2026-02-30T00:00:00Z".to_owned()),
            Just("9999-12-31T23:59:59.999999999-23:59".to_owned()),
            Just("3F2C9A1E0B7D4C559A572F1E6F0C8B11".to_owned()),
            "\\PC{0,12}",
        ]
        .prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::Array),
            proptest::collection::hash_map("[A-Za-z]{1,6}", inner, 0..3)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
