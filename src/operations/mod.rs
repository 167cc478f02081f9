//! What an admin asks for: each command's arguments checked, sent through a
//! [`crate::connection::Connection`], and its answer read back as text. Trust today,
//! the compatibility check, migration next.

pub mod command;
pub mod compatibility;
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
