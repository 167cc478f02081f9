//! Getting a request to the server and an answer back: the HTTP client (TLS, proxy,
//! timeouts, bounded bodies), the throttle gate that lets the service set the pace, what an
//! HTTP failure means, when to retry, the one async runtime, and operations that run in the
//! background so callers can wait and cancel.

pub mod failure;
pub mod gate;
pub mod http;
pub mod operation;
pub mod progress;
pub mod retry;
pub mod runtime;
pub mod throttle_state;

pub use gate::ThrottleGate;
pub use http::{HttpAnswer, Transport, TransportOptions};
pub use operation::Operation;
pub use progress::Progress;
