//! A request running in the background that the caller can wait for in short slices and
//! cancel. PowerShell never sits in one long native call, so Ctrl+C stays responsive.
//!
//! Generic over what the request produces, so this layer knows nothing of connections or
//! commands above it.

use super::progress::Progress;
use super::runtime;
use crate::error::{Error, ErrorKind};
use std::future::Future;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;
use tokio::task::AbortHandle;

struct Slot<T> {
    result: Mutex<Option<Result<T, Error>>>,
    finished: Condvar,
}

impl<T> Slot<T> {
    fn lock(&self) -> MutexGuard<'_, Option<Result<T, Error>>> {
        // A poisoned lock only means another thread panicked while holding it; the data is
        // a plain Option and stays consistent.
        self.result
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the first result; later ones (e.g. after a cancel) are ignored.
    fn finish(&self, result: Result<T, Error>) {
        let mut slot = self.lock();
        if slot.is_none() {
            *slot = Some(result);
            self.finished.notify_all();
        }
    }
}

/// A started request.
pub struct Operation<T> {
    slot: Arc<Slot<T>>,
    task: AbortHandle,
    progress: Progress,
}

impl<T: Clone + Send + 'static> Operation<T> {
    /// Starts the future `work` makes on the shared runtime and returns at once. `work`
    /// gets the [`Progress`] to report through.
    pub fn start<W, F>(work: W) -> Result<Self, Error>
    where
        W: FnOnce(Progress) -> F,
        F: Future<Output = Result<T, Error>> + Send + 'static,
    {
        let runtime = runtime::shared()?;
        let slot = Arc::new(Slot {
            result: Mutex::new(None),
            finished: Condvar::new(),
        });
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

    /// What the request reports while it runs.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The result, once finished.
    pub fn result(&self) -> Option<Result<T, Error>> {
        self.slot.lock().clone()
    }
}

impl<T> Drop for Operation<T> {
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
        let op = Operation::start(|_| async { Ok("v".to_owned()) }).unwrap();
        assert!(op.wait(Duration::from_secs(5)));
        assert_eq!(op.result().unwrap().unwrap(), "v");
    }

    #[test]
    fn waiting_in_slices_returns_false_until_done_and_cancel_wins() {
        let op = Operation::start(|_| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(())
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
            Ok(())
        })
        .unwrap();
        assert!(op.wait(Duration::from_secs(5)));
        assert_eq!(op.result().unwrap().unwrap_err().id(), "Panic");
    }

    #[test]
    fn progress_said_by_the_request_reaches_the_waiter() {
        let op = Operation::start(|progress| async move {
            progress.say("hello");
            Ok(())
        })
        .unwrap();
        assert!(op.wait(Duration::from_secs(5)));
        assert_eq!(op.progress().drain(), vec!["hello".to_owned()]);
    }

    #[test]
    fn cancel_after_completion_keeps_the_result() {
        let op = Operation::start(|_| async { Ok(()) }).unwrap();
        assert!(op.wait(Duration::from_secs(5)));
        op.cancel();
        assert!(op.result().unwrap().is_ok());
    }
}
