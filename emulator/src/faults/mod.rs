//! Fault injection: what a fault spec says (`spec`), which requests it hits (`plan`), and
//! the load the throttling faults react to (`traffic`).

mod plan;
mod spec;
mod traffic;

pub use plan::{FaultPlan, RateLimitHeaders};
pub use spec::{FaultKind, FaultSpec};
pub use traffic::{Answering, Traffic};
