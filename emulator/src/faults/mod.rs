//! Fault injection: what a fault spec says (`spec`) and which requests it hits (`plan`).

mod plan;
mod spec;

pub use plan::FaultPlan;
pub use spec::{FaultKind, FaultSpec};
