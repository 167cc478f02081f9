//! What an admin asks for: each command's arguments checked, sent through a
//! [`crate::connection::Connection`], and its answer read back as text. Trust, the
//! compatibility check, and migration after trust (identity map, content moves, their
//! state, long paths after a site rename).

pub mod account_names;
pub mod command;
pub mod compatibility;
pub mod identity_map;
pub mod long_paths;
pub mod migration_call;
pub mod move_inputs;
pub mod move_state;
pub mod move_state_query;
pub mod start_move;
pub mod stop_move;
pub mod trust;

pub use command::{COMMANDS, Command, PreparedCall, enum_tables, prepare};

use crate::connection::Connection;
use crate::csom::MethodCall;
use crate::csom::request::METHOD_ACTION_ID;
use crate::error::Error;
use crate::transport::Progress;
use serde_json::Value;

/// What a finished command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The return value as text; empty for void methods.
    pub value: String,
    /// The TraceCorrelationId (or SPRequestGuid) of the answer.
    pub correlation_id: Option<String>,
}

/// Sends one method call and turns its return value into text with `read`; an answer
/// `read` refuses is an error carrying the answer's correlation id.
pub(crate) async fn run_method_call(
    method: &MethodCall,
    read: impl FnOnce(Option<&Value>) -> Result<String, Error>,
    connection: &Connection,
    progress: &Progress,
) -> Result<Outcome, Error> {
    let response = connection.process_query(method, progress).await?;
    let value = read(response.value_of(METHOD_ACTION_ID))
        .map_err(|e| e.with_correlation_id(response.correlation_id.clone()))?;
    Ok(Outcome {
        value,
        correlation_id: response.correlation_id,
    })
}
