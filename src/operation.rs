//! A request running in the background that the caller can wait for in short slices and
//! cancel. PowerShell never sits in one long native call, so Ctrl+C stays responsive.

use crate::connection::Connection;
use crate::error::{Error, ErrorKind};
use crate::runtime;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;
use tokio::task::AbortHandle;

/// What a finished call produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The method's return value as text; empty for void methods.
    pub value: String,
    pub correlation_id: Option<String>,
    /// The new connection, for a sign-in.
    pub connection: Option<Arc<Connection>>,
}

pub type OperationResult = Result<Outcome, Error>;

/// Messages a running request leaves for the caller (e.g. "throttled, waiting 5 s"),
/// which PowerShell shows with -Verbose. Never holds secrets.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    messages: Arc<Mutex<VecDeque<String>>>,
}

impl Progress {
    /// Most messages kept; older ones are dropped so a forgotten operation cannot grow.
    const CAPACITY: usize = 64;

    pub fn say(&self, message: impl Into<String>) {
        let mut messages = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        if messages.len() == Self::CAPACITY {
            messages.pop_front();
        }
        messages.push_back(message.into());
    }

    /// The oldest message not read yet.
    pub fn next(&self) -> Option<String> {
        self.messages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front()
    }
}

#[derive(Default)]
struct Slot {
    result: Mutex<Option<OperationResult>>,
    finished: Condvar,
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, Option<OperationResult>> {
        // A poisoned lock only means another thread panicked while holding it; the data is
        // a plain Option and stays consistent.
        self.result
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the first result; later ones (e.g. after a cancel) are ignored.
    fn finish(&self, result: OperationResult) {
        let mut slot = self.lock();
        if slot.is_none() {
            *slot = Some(result);
            self.finished.notify_all();
        }
    }
}

/// A started request.
pub struct Operation {
    slot: Arc<Slot>,
    task: AbortHandle,
    progress: Progress,
}

impl Operation {
    /// Starts the future `work` makes on the shared runtime and returns at once. `work`
    /// gets the [`Progress`] to report through.
    pub fn start<W, F>(work: W) -> Result<Operation, Error>
    where
        W: FnOnce(Progress) -> F,
        F: Future<Output = OperationResult> + Send + 'static,
    {
        let runtime = runtime::shared()?;
        let slot = Arc::new(Slot::default());
        let progress = Progress::default();
        let task = runtime.spawn(work(progress.clone()));
        let abort = task.abort_handle();
        let watcher_slot = Arc::clone(&slot);
        // A second task turns a panic or an abort of the first into a result, so a waiter
        // is always woken.
        runtime.spawn(async move {
            let result = match task.await {
                Ok(result) => result,
                Err(join) if join.is_panic() => Err(Error::new(
                    ErrorKind::Internal,
                    "Panic",
                    "The request failed because of a bug in the SPOCrossTenant library (a panic was caught). Please report it.",
                )),
                Err(_) => Err(cancelled()),
            };
            watcher_slot.finish(result);
        });
        Ok(Operation {
            slot,
            task: abort,
            progress,
        })
    }

    /// Waits up to `timeout`; true when the operation has finished.
    pub fn wait(&self, timeout: Duration) -> bool {
        let slot = self.slot.lock();
        let (slot, _) = self
            .slot
            .finished
            .wait_timeout_while(slot, timeout, |result| result.is_none())
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        slot.is_some()
    }

    /// Stops the request; the result becomes Cancelled unless it had already finished.
    pub fn cancel(&self) {
        self.task.abort();
        self.slot.finish(Err(cancelled()));
    }

    /// The oldest progress message not read yet.
    pub fn next_message(&self) -> Option<String> {
        self.progress.next()
    }

    /// The result, once finished.
    pub fn result(&self) -> Option<OperationResult> {
        self.slot.lock().clone()
    }
}

impl Drop for Operation {
    fn drop(&mut self) {
        // Nobody can read the result any more; stop using the network for it.
        self.task.abort();
    }
}

fn cancelled() -> Error {
    Error::new(
        ErrorKind::Cancelled,
        "Cancelled",
        "The operation was cancelled.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_operation_reports_its_result() {
        let op = Operation::start(|_| async {
            Ok(Outcome {
                value: "v".into(),
                correlation_id: Some("c".into()),
                connection: None,
            })
        })
        .unwrap();
        assert!(op.wait(Duration::from_secs(5)));
        assert_eq!(op.result().unwrap().unwrap().value, "v");
    }

    #[test]
    fn waiting_in_slices_returns_false_until_done_and_cancel_wins() {
        let op = Operation::start(|_| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(Outcome::default())
        })
        .unwrap();
        assert!(!op.wait(Duration::from_millis(20)));
        assert!(op.result().is_none());
        op.cancel();
        assert!(op.wait(Duration::from_millis(1)));
        assert_eq!(
            op.result().unwrap().unwrap_err().kind(),
            ErrorKind::Cancelled
        );
    }

    #[test]
    fn a_panicking_request_becomes_an_internal_error() {
        let op = Operation::start(|_| async {
            if true {
                panic!("boom");
            }
            Ok(Outcome::default())
        })
        .unwrap();
        assert!(op.wait(Duration::from_secs(5)));
        assert_eq!(op.result().unwrap().unwrap_err().id(), "Panic");
    }

    #[test]
    fn progress_keeps_only_the_newest_messages() {
        let progress = Progress::default();
        for i in 0..100 {
            progress.say(i.to_string());
        }
        assert_eq!(progress.next().as_deref(), Some("36"));
    }

    #[test]
    fn cancel_after_completion_keeps_the_result() {
        let op = Operation::start(|_| async { Ok(Outcome::default()) }).unwrap();
        assert!(op.wait(Duration::from_secs(5)));
        op.cancel();
        assert!(op.result().unwrap().is_ok());
    }
}
