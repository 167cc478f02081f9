//! The state one running emulator shares between all connections.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::faults::{FaultPlan, Traffic};
use crate::identity::Identity;
use crate::identity::tokens::TokenAuthority;
use crate::monitoring::request_log::RequestLog;
use crate::monitoring::stats::Stats;
use crate::tenant::Directory;
use crate::tenant::compatibility::ForcedCompatibility;
use crate::tenant::content::Content;
use crate::tenant::identity_map::Uploads;
use crate::tenant::persistence::{self, SavedState};

#[derive(Clone, Debug)]
pub struct Settings {
    pub dormant_period: Duration,
    pub require_admin: bool,
    pub state_file: Option<PathBuf>,
    /// The bound address, saved in the state file.
    pub listen: SocketAddr,
    /// The clock step of content moves (`--move-step`).
    pub move_step: Duration,
    /// What an identity map upload does to the map there (`--identity-map-uploads`).
    pub identity_map_uploads: Uploads,
    /// Each tenant's content as the start options define it; `/_emulator/reset` goes back
    /// to it.
    pub initial_content: BTreeMap<String, Content>,
}

pub struct Emulator {
    pub settings: Settings,
    pub directory: Mutex<Directory>,
    /// Compatibility check answers forced per tenant (`--compatibility`, the control
    /// endpoint); not saved in the state file.
    pub forced_compatibility: Mutex<ForcedCompatibility>,
    pub tokens: TokenAuthority,
    pub identity: Identity,
    pub faults: Mutex<FaultPlan>,
    /// Each tenant's load, for the throttling faults.
    pub traffic: Traffic,
    pub stats: Mutex<Stats>,
    pub log: RequestLog,
    /// Maps or moves changed since the state file was last written (see `persist_soon`).
    pub unsaved: AtomicBool,
}

impl Emulator {
    pub fn directory(&self) -> MutexGuard<'_, Directory> {
        lock(&self.directory)
    }

    pub fn forced_compatibility(&self) -> MutexGuard<'_, ForcedCompatibility> {
        lock(&self.forced_compatibility)
    }

    pub fn faults(&self) -> MutexGuard<'_, FaultPlan> {
        lock(&self.faults)
    }

    pub fn stats(&self) -> MutexGuard<'_, Stats> {
        lock(&self.stats)
    }

    /// Writes the state file, if there is one. Called with the directory lock held so
    /// writes happen in the same order as the changes.
    pub fn persist(&self, directory: &Directory) -> Result<(), String> {
        let Some(path) = &self.settings.state_file else {
            return Ok(());
        };
        let state = SavedState::capture(
            directory,
            self.tokens.key_bytes(),
            Some(self.settings.listen),
        );
        persistence::save(path, &state)
            .map_err(|error| format!("cannot write the state file {}: {error}", path.display()))
    }
}

impl Emulator {
    /// Marks the state as changed; the writer task saves it within a moment. Batches of
    /// moves would otherwise rewrite the whole file once per move.
    pub fn persist_soon(&self) {
        if self.settings.state_file.is_some() {
            self.unsaved.store(true, Ordering::Release);
        }
    }

    /// Writes the state file if something changed since the last write.
    pub fn persist_if_unsaved(&self) -> Result<(), String> {
        if self.unsaved.swap(false, Ordering::AcqRel) {
            let directory = self.directory();
            return self.persist(&directory);
        }
        Ok(())
    }
}

/// A panic while holding a lock leaves plain data behind, still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
