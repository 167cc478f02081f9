//! What a running request tells its caller while it runs: progress lines (e.g. "throttled,
//! waiting 5 s", the device code prompt) and whether anything reached the wire yet.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// Shared between a running request and whoever waits for it. Never holds secrets.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    lines: Arc<Mutex<VecDeque<String>>>,
    sent: Arc<AtomicBool>,
    http_status: Arc<AtomicU32>,
}

impl Progress {
    /// Most lines kept; older ones are dropped so a forgotten operation cannot grow.
    const CAPACITY: usize = 64;

    pub fn say(&self, line: impl Into<String>) {
        let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        if lines.len() == Self::CAPACITY {
            lines.pop_front();
        }
        lines.push_back(line.into());
    }

    /// The oldest line not read yet.
    pub fn next(&self) -> Option<String> {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front()
    }

    /// Every line not read yet, oldest first.
    pub fn drain(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
            .collect()
    }

    /// Records that a request may have reached the server, so a caller knows a failed
    /// change might still have happened.
    pub fn mark_sent(&self) {
        self.sent.store(true, Ordering::Relaxed);
    }

    pub fn was_sent(&self) -> bool {
        self.sent.load(Ordering::Relaxed)
    }

    /// Records the HTTP status of the latest answer (which means it was sent, too).
    pub fn mark_answered(&self, http_status: u16) {
        self.mark_sent();
        self.http_status
            .store(u32::from(http_status), Ordering::Relaxed);
    }

    /// The HTTP status of the latest answer, or 0 when none came.
    pub fn last_http_status(&self) -> u16 {
        u16::try_from(self.http_status.load(Ordering::Relaxed)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_newest_lines() {
        let progress = Progress::default();
        for i in 0..100 {
            progress.say(i.to_string());
        }
        assert_eq!(progress.next().as_deref(), Some("36"));
        assert_eq!(progress.drain().len(), 63);
        assert!(progress.next().is_none());
    }

    #[test]
    fn remembers_that_something_was_sent() {
        let progress = Progress::default();
        assert!(!progress.was_sent());
        progress.clone().mark_sent();
        assert!(progress.was_sent());
        assert_eq!(progress.last_http_status(), 0);
        progress.mark_answered(429);
        assert_eq!(progress.last_http_status(), 429);
    }
}
