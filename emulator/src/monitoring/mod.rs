//! What the emulator tells about the requests it served: the request log (`request_log`) and
//! the counters behind `GET /_emulator/stats` (`stats`).

pub mod request_log;
pub mod stats;
