//! `spo_describe`: the library's facts as JSON, so the module never restates them.

use super::SPO_ABI_VERSION;
use super::result::{Record, respond, spo_result};
use super::status::spo_status;
use crate::connection::settings::Setting;
use crate::operations::{COMMANDS, enum_tables};
use crate::version::LIBRARY_VERSION;
use serde_json::{Map, Value, json};

/// The description itself.
pub(crate) fn description() -> Value {
    let enums: Map<String, Value> = enum_tables()
        .iter()
        .map(|table| {
            let values: Map<String, Value> = table
                .values
                .iter()
                .map(|(name, number)| ((*name).to_owned(), json!(number)))
                .collect();
            (table.type_name.to_owned(), Value::Object(values))
        })
        .collect();
    json!({
        "libraryVersion": LIBRARY_VERSION,
        "abiVersion": SPO_ABI_VERSION,
        "enums": enums,
        "settings": Setting::ALL.iter().map(|s| s.name()).collect::<Vec<_>>(),
        "commands": COMMANDS.iter().map(|c| c.name).collect::<Vec<_>>(),
    })
}

/// Writes a record whose value is JSON: `libraryVersion`, `abiVersion`, `enums` (each
/// enum's .NET type name mapped to its names and numbers), `settings` (the names
/// `spo_sign_in_set` accepts) and `commands` (the names `spo_call` accepts).
///
/// # Safety
/// `result_out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_describe(result_out: *mut *mut spo_result) -> spo_status {
    respond(result_out, || Ok(Record::ok(description().to_string())))
}
