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

/// What a finished command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The return value as text; empty for void methods.
    pub value: String,
    /// The TraceCorrelationId (or SPRequestGuid) of the answer.
    pub correlation_id: Option<String>,
}
