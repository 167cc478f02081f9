//! Content moves: each move's timeline on the emulator's clock, and the book of all moves
//! with the indexes that keep every request O(log n).
//!
//! A move's state is a pure function of its stored facts and the time asked about: no
//! background task. With step `s` (`--move-step`), from its creation a move is NotStarted
//! for `s`, Scheduled for `s` (or until its PreferredMoveBeginDate, whichever is later),
//! ReadyToTrigger for `s`, then InProgress through Validation, Backup, Restore and Cleanup
//! (each lasting the move's phase step, PercentComplete rising), then Success. The phase
//! step is `s`, lengthened by up to `--move-spread` times `s` by a fraction that depends on
//! the source key alone, so the moves of a wave finish at different times, the same ones
//! first on every run. A failure injected for a phase strikes half-way through it, with
//! the error code of its cause; a move that has not started by its PreferredMoveEndDate is
//! cancelled then (Stopped, as Microsoft Graph's migration tasks document). The book settles
//! moves once their final time has passed (so a successful move's target appears, see
//! `move_rules`), popping them from a queue ordered by time.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::content::key_of;
use super::move_faults::FailureCause;
use super::serde_forms::{duration_ms, duration_ms_option, guid, unix_ms, unix_ms_option};
use crate::wire::enums::ContentType;
use crate::wire::status_codes::Failure;

/// The service's documented limit of moves in flight per tenant.
pub const MAX_ACTIVE_MOVES: usize = 4_000;

/// The phases of an InProgress move, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Validation,
    Backup,
    Restore,
    Cleanup,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::Validation,
        Phase::Backup,
        Phase::Restore,
        Phase::Cleanup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Validation => "Validation",
            Phase::Backup => "Backup",
            Phase::Restore => "Restore",
            Phase::Cleanup => "Cleanup",
        }
    }

    pub fn from_name(name: &str) -> Option<Phase> {
        Phase::ALL
            .into_iter()
            .find(|phase| phase.name().eq_ignore_ascii_case(name.trim()))
    }

    fn index(self) -> u32 {
        self as u32
    }

    /// PercentComplete when the phase starts; the next phase's is where it ends.
    fn percent_at_start(self) -> u32 {
        [5, 25, 50, 80][self as usize]
    }
}

/// The server strings a move reports as its MoveState.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveStatus {
    NotStarted,
    Scheduled,
    ReadyToTrigger,
    InProgress,
    Success,
    Failed,
    Stopped,
}

impl MoveStatus {
    pub fn name(self) -> &'static str {
        match self {
            MoveStatus::NotStarted => "NotStarted",
            MoveStatus::Scheduled => "Scheduled",
            MoveStatus::ReadyToTrigger => "ReadyToTrigger",
            MoveStatus::InProgress => "InProgress",
            MoveStatus::Success => "Success",
            MoveStatus::Failed => "Failed",
            MoveStatus::Stopped => "Stopped",
        }
    }

    /// Before InProgress: the only time a move may be stopped.
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            MoveStatus::NotStarted | MoveStatus::Scheduled | MoveStatus::ReadyToTrigger
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Move {
    #[serde(with = "guid")]
    pub id: Uuid,
    pub content_type: ContentType,
    pub source_tenant: String,
    pub target_tenant: String,
    /// As the caller gave them.
    pub source_key: String,
    pub target_key: String,
    pub source_site_url: String,
    pub target_site_url: String,
    /// A group move's target group object id (from the identity map).
    #[serde(default)]
    pub target_group_id: Option<String>,
    #[serde(with = "unix_ms")]
    pub created: SystemTime,
    #[serde(with = "unix_ms_option")]
    pub preferred_begin: Option<SystemTime>,
    #[serde(with = "unix_ms_option")]
    pub preferred_end: Option<SystemTime>,
    /// The clock step when it was created.
    #[serde(with = "duration_ms")]
    pub step: Duration,
    /// How long each InProgress phase lasts (`step` when none: saved before the spread).
    #[serde(with = "duration_ms_option", default)]
    pub phase_step: Option<Duration>,
    pub forced: bool,
    /// A failure injected for this move (`--move-fault`), in that phase.
    pub fails_in: Option<Phase>,
    /// Why the injected failure happens: its error code.
    #[serde(default)]
    pub fault_cause: FailureCause,
    #[serde(with = "unix_ms_option")]
    pub stopped: Option<SystemTime>,
    /// Final and its effects applied; no longer active.
    pub settled: bool,
}

/// What a move looks like at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveView {
    pub status: MoveStatus,
    pub phase: Option<Phase>,
    pub percent: u32,
    pub started: Option<SystemTime>,
    pub completed: Option<SystemTime>,
    /// The error code of a failure (an MnA status name).
    pub error_code: Option<&'static str>,
    pub error: Option<String>,
}

/// The phase step of a move whose source key is `source_key`: `step`, lengthened by a
/// fraction of `spread` times `step` that is the same for the same key on every run.
pub fn phase_step(step: Duration, spread: f64, source_key: &str) -> Duration {
    if spread <= 0.0 || !spread.is_finite() {
        return step;
    }
    // FNV-1a: stable across runs and platforms, unlike std's randomly seeded hasher.
    let hash = key_of(source_key)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    let fraction = (hash >> 11) as f64 / (1_u64 << 53) as f64;
    step.mul_f64(1.0 + spread * fraction)
}

impl Move {
    fn phase_length(&self) -> Duration {
        self.phase_step.unwrap_or(self.step)
    }

    fn scheduled_at(&self) -> SystemTime {
        match self.preferred_begin {
            Some(begin) if begin > self.created => self.created,
            _ => self.created + self.step,
        }
    }

    fn ready_at(&self) -> SystemTime {
        let earliest = self.created + self.step * 2;
        match self.preferred_begin {
            Some(begin) if begin > earliest => begin,
            _ => earliest,
        }
    }

    fn phase_start(&self, phase_index: u32) -> SystemTime {
        self.ready_at() + self.step + self.phase_length() * phase_index
    }

    fn success_at(&self) -> SystemTime {
        self.phase_start(4)
    }

    /// When it is cancelled, if it is: its PreferredMoveEndDate passing before it started.
    fn cancelled_at(&self) -> Option<SystemTime> {
        self.preferred_end.filter(|end| *end < self.phase_start(0))
    }

    /// When, in which phase and why it fails, if it does: the injected failure, half-way
    /// through its phase.
    fn failure(&self) -> Option<(SystemTime, Phase, Failure)> {
        self.fails_in.map(|phase| {
            let why = match self.fault_cause {
                FailureCause::Internal => {
                    "an error was injected by the emulator (--move-fault)".to_string()
                }
                FailureCause::IdentityMapping => format!(
                    "the identity map of the target tenant has no entry for '{}' from this tenant",
                    self.source_key
                ),
                FailureCause::Licence => format!(
                    "the user '{}' is not licensed for cross-tenant migration",
                    self.source_key
                ),
                FailureCause::TargetConflict => format!(
                    "the target tenant has a conflict: '{}' already exists",
                    self.target_site_url
                ),
            };
            (
                self.phase_start(phase.index()) + self.phase_length() / 2,
                phase,
                Failure::new(
                    self.fault_cause.kind(),
                    format!("The move failed during {}: {why}.", phase.name()),
                ),
            )
        })
    }

    /// When the move reaches its final state.
    pub fn final_at(&self) -> SystemTime {
        if let Some(stopped) = self.stopped {
            return stopped;
        }
        if let Some(cancelled) = self.cancelled_at() {
            return cancelled;
        }
        match self.failure() {
            Some((time, _, _)) => time,
            None => self.success_at(),
        }
    }

    /// The state answered by Start: nothing has happened yet.
    pub fn initial_view(&self) -> MoveView {
        let status = if self
            .preferred_begin
            .is_some_and(|begin| begin > self.created)
        {
            MoveStatus::Scheduled
        } else {
            MoveStatus::NotStarted
        };
        MoveView {
            status,
            phase: None,
            percent: 0,
            started: None,
            completed: None,
            error_code: None,
            error: None,
        }
    }

    pub fn view(&self, now: SystemTime) -> MoveView {
        let waiting = |status| MoveView {
            status,
            phase: None,
            percent: 0,
            started: None,
            completed: None,
            error_code: None,
            error: None,
        };
        let in_progress_at = self.phase_start(0);
        if let Some(stopped) = self.stopped {
            return MoveView {
                completed: Some(stopped),
                ..waiting(MoveStatus::Stopped)
            };
        }
        if let Some(cancelled) = self.cancelled_at()
            && now >= cancelled
        {
            return MoveView {
                completed: Some(cancelled),
                error: Some(
                    "The move was cancelled: it had not started by its PreferredMoveEndDate. Start it again with a later end date, or none.".to_string(),
                ),
                ..waiting(MoveStatus::Stopped)
            };
        }
        if let Some((time, phase, failure)) = self.failure()
            && now >= time
        {
            return MoveView {
                status: MoveStatus::Failed,
                phase: None,
                percent: phase.percent_at_start(),
                started: Some(in_progress_at),
                completed: Some(time),
                error_code: failure.kind.wire_shape().mna_status_code,
                error: Some(failure.message),
            };
        }
        if now >= self.success_at() {
            return MoveView {
                status: MoveStatus::Success,
                phase: None,
                percent: 100,
                started: Some(in_progress_at),
                completed: Some(self.success_at()),
                error_code: None,
                error: None,
            };
        }
        if now >= in_progress_at {
            // The phase step is > 0 here: with a zero one success_at == in_progress_at.
            let length = self.phase_length();
            let elapsed = now.duration_since(in_progress_at).unwrap_or_default();
            let index = (elapsed.as_nanos() / length.as_nanos().max(1)).min(3) as usize;
            let phase = Phase::ALL[index];
            let into_phase = elapsed.saturating_sub(length * index as u32);
            let next = if index == 3 {
                100
            } else {
                Phase::ALL[index + 1].percent_at_start()
            };
            let span = next - phase.percent_at_start();
            let fraction = into_phase.as_secs_f64() / length.as_secs_f64().max(f64::MIN_POSITIVE);
            let percent = phase.percent_at_start() + ((span as f64) * fraction.min(0.99)) as u32;
            return MoveView {
                status: MoveStatus::InProgress,
                phase: Some(phase),
                percent,
                started: Some(in_progress_at),
                completed: None,
                error_code: None,
                error: None,
            };
        }
        if now >= self.ready_at() {
            waiting(MoveStatus::ReadyToTrigger)
        } else if now >= self.scheduled_at() {
            waiting(MoveStatus::Scheduled)
        } else {
            waiting(MoveStatus::NotStarted)
        }
    }
}

/// The key a move is found by: source tenant, content type, normalized source key.
type MoveKey = (String, ContentType, String);

/// Every move of every tenant (a move belongs to both its tenants).
#[derive(Clone, Debug, Default)]
pub struct MoveBook {
    moves: Vec<Move>,
    by_id: HashMap<Uuid, usize>,
    by_key: HashMap<MoveKey, Vec<usize>>,
    /// Unsettled moves by the time they become final.
    pending: BTreeSet<(SystemTime, usize)>,
    active_by_source: HashMap<String, usize>,
}

impl MoveBook {
    pub fn from_moves(moves: Vec<Move>) -> Self {
        let mut book = MoveBook::default();
        for stored in moves {
            book.add(stored);
        }
        book
    }

    pub fn add(&mut self, stored: Move) -> usize {
        let index = self.moves.len();
        self.by_id.insert(stored.id, index);
        self.by_key
            .entry(key(
                &stored.source_tenant,
                stored.content_type,
                &stored.source_key,
            ))
            .or_default()
            .push(index);
        if !stored.settled {
            self.pending.insert((stored.final_at(), index));
            *self
                .active_by_source
                .entry(stored.source_tenant.clone())
                .or_default() += 1;
        }
        self.moves.push(stored);
        index
    }

    pub fn get(&self, index: usize) -> &Move {
        &self.moves[index]
    }

    pub fn all(&self) -> &[Move] {
        &self.moves
    }

    pub fn index_of(&self, id: Uuid) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// Every move from `source_tenant` for this key, oldest first.
    pub fn for_key(
        &self,
        source_tenant: &str,
        content_type: ContentType,
        source_key: &str,
    ) -> &[usize] {
        self.by_key
            .get(&key(source_tenant, content_type, source_key))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The newest move for the key, if any.
    pub fn latest(
        &self,
        source_tenant: &str,
        content_type: ContentType,
        source_key: &str,
    ) -> Option<usize> {
        self.for_key(source_tenant, content_type, source_key)
            .last()
            .copied()
    }

    pub fn active_from(&self, source_tenant: &str) -> usize {
        self.active_by_source
            .get(source_tenant)
            .copied()
            .unwrap_or(0)
    }

    /// Settles every move whose final time has passed; answers their indexes.
    pub fn settle_due(&mut self, now: SystemTime) -> Vec<usize> {
        let mut settled = Vec::new();
        while let Some(&(time, index)) = self.pending.first() {
            if time > now {
                break;
            }
            self.pending.pop_first();
            self.mark_settled(index);
            settled.push(index);
        }
        settled
    }

    /// Stops a waiting move now; it is final at once.
    pub fn stop(&mut self, index: usize, now: SystemTime) {
        let final_at = self.moves[index].final_at();
        self.pending.remove(&(final_at, index));
        self.moves[index].stopped = Some(now);
        self.mark_settled(index);
    }

    fn mark_settled(&mut self, index: usize) {
        let stored = &mut self.moves[index];
        stored.settled = true;
        if let Some(count) = self.active_by_source.get_mut(&stored.source_tenant) {
            *count = count.saturating_sub(1);
        }
    }

    pub fn clear(&mut self) {
        *self = MoveBook::default();
    }
}

fn key(source_tenant: &str, content_type: ContentType, source_key: &str) -> MoveKey {
    (
        source_tenant.to_string(),
        content_type,
        super::content::key_of(source_key),
    )
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub fn sample(step_seconds: u64) -> Move {
        Move {
            id: Uuid::new_v4(),
            content_type: ContentType::Odb,
            source_tenant: "contoso".to_string(),
            target_tenant: "fabrikam".to_string(),
            source_key: "alex@contoso.onmicrosoft.com".to_string(),
            target_key: "dana@fabrikam.onmicrosoft.com".to_string(),
            source_site_url: "s".to_string(),
            target_site_url: "t".to_string(),
            target_group_id: None,
            created: at(0),
            preferred_begin: None,
            preferred_end: None,
            step: Duration::from_secs(step_seconds),
            phase_step: None,
            forced: false,
            fails_in: None,
            fault_cause: FailureCause::Internal,
            stopped: None,
            settled: false,
        }
    }

    pub fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 + seconds)
    }

    fn walk(stored: &Move, seconds: &[u64]) -> Vec<(&'static str, Option<&'static str>, u32)> {
        seconds
            .iter()
            .map(|s| {
                let view = stored.view(at(*s));
                (
                    view.status.name(),
                    view.phase.map(Phase::name),
                    view.percent,
                )
            })
            .collect()
    }

    #[test]
    fn walks_every_state_on_the_clock() {
        let stored = sample(10);
        assert_eq!(stored.initial_view().status, MoveStatus::NotStarted);
        let states = walk(&stored, &[0, 10, 20, 30, 35, 40, 50, 60, 69, 70, 1000]);
        let names: Vec<_> = states.iter().map(|(s, p, _)| (*s, *p)).collect();
        assert_eq!(
            names,
            vec![
                ("NotStarted", None),
                ("Scheduled", None),
                ("ReadyToTrigger", None),
                ("InProgress", Some("Validation")),
                ("InProgress", Some("Validation")),
                ("InProgress", Some("Backup")),
                ("InProgress", Some("Restore")),
                ("InProgress", Some("Cleanup")),
                ("InProgress", Some("Cleanup")),
                ("Success", None),
                ("Success", None),
            ]
        );
        let percents: Vec<u32> = states.iter().map(|(_, _, p)| *p).collect();
        assert!(
            percents[3..].windows(2).all(|w| w[0] <= w[1]),
            "{percents:?}"
        );
        assert_eq!(percents[9], 100);
        assert_eq!(stored.final_at(), at(70));
    }

    #[test]
    fn a_zero_step_finishes_at_once_but_start_answers_not_started() {
        let stored = sample(0);
        assert_eq!(stored.initial_view().status, MoveStatus::NotStarted);
        assert_eq!(stored.view(at(0)).status, MoveStatus::Success);
    }

    #[test]
    fn a_begin_date_holds_the_move_scheduled() {
        let mut stored = sample(1);
        stored.preferred_begin = Some(at(100));
        assert_eq!(stored.initial_view().status, MoveStatus::Scheduled);
        assert_eq!(stored.view(at(0)).status, MoveStatus::Scheduled);
        assert_eq!(stored.view(at(99)).status, MoveStatus::Scheduled);
        assert_eq!(stored.view(at(100)).status, MoveStatus::ReadyToTrigger);
        assert_eq!(stored.view(at(105)).status, MoveStatus::Success);
    }

    #[test]
    fn an_end_date_before_the_start_cancels_the_move() {
        let mut stored = sample(1);
        stored.preferred_begin = Some(at(100));
        stored.preferred_end = Some(at(50));
        assert_eq!(stored.view(at(49)).status, MoveStatus::Scheduled);
        let view = stored.view(at(60));
        assert_eq!(view.status, MoveStatus::Stopped);
        assert_eq!(view.error_code, None);
        assert!(view.error.unwrap().contains("PreferredMoveEndDate"));
        assert_eq!(view.completed, Some(at(50)));
        assert_eq!(stored.final_at(), at(50));
    }

    #[test]
    fn an_injected_failure_strikes_in_its_phase_with_the_code_of_its_cause() {
        let mut stored = sample(10);
        stored.fails_in = Some(Phase::Restore);
        assert_eq!(stored.view(at(54)).phase, Some(Phase::Restore));
        let failed = stored.view(at(55));
        assert_eq!(failed.status, MoveStatus::Failed);
        assert_eq!(failed.percent, 50);
        assert_eq!(failed.error_code, Some("MnAMoveFailed"));
        let message = failed.error.unwrap();
        assert!(message.contains("Restore"), "{message}");
        assert!(message.ends_with("(MnAMoveFailed)"), "{message}");
        stored.fault_cause = FailureCause::Licence;
        let failed = stored.view(at(55));
        assert_eq!(failed.error_code, Some("MnAUserNotLicensed"));
        assert!(failed.error.unwrap().contains("not licensed"));
        stored.step = Duration::ZERO;
        assert_eq!(stored.view(at(0)).status, MoveStatus::Failed);
    }

    #[test]
    fn the_spread_lengthens_the_phases_by_key_the_same_way_every_time() {
        let step = Duration::from_secs(10);
        assert_eq!(phase_step(step, 0.0, "alex@contoso.onmicrosoft.com"), step);
        let lengths: Vec<Duration> = (0..200)
            .map(|n| phase_step(step, 3.0, &format!("user{n}@contoso.onmicrosoft.com")))
            .collect();
        assert!(
            lengths.iter().all(|l| *l >= step && *l < step * 4),
            "{lengths:?}"
        );
        let shortest = lengths.iter().min().unwrap();
        let longest = lengths.iter().max().unwrap();
        assert!(*longest - *shortest > step * 2, "{shortest:?}..{longest:?}");
        assert_eq!(
            phase_step(step, 3.0, "ALEX@contoso.onmicrosoft.com"),
            phase_step(step, 3.0, "alex@contoso.onmicrosoft.com")
        );
        let mut stored = sample(10);
        stored.phase_step = Some(Duration::from_secs(25));
        // ReadyToTrigger ends at 30, then four phases of 25 s.
        assert_eq!(stored.view(at(55)).phase, Some(Phase::Backup));
        assert_eq!(stored.final_at(), at(130));
        assert_eq!(stored.view(at(130)).status, MoveStatus::Success);
    }

    #[test]
    fn the_book_settles_in_time_order_and_counts_active_moves() {
        let mut book = MoveBook::default();
        let slow = book.add(sample(10));
        let fast = book.add(sample(1));
        let waiting = book.add(sample(10));
        assert_eq!(book.active_from("contoso"), 3);
        assert_eq!(book.settle_due(at(7)), vec![fast]);
        book.stop(waiting, at(8));
        assert_eq!(book.get(waiting).view(at(9)).status, MoveStatus::Stopped);
        assert_eq!(book.active_from("contoso"), 1);
        assert_eq!(book.settle_due(at(100)), vec![slow]);
        assert_eq!(book.active_from("contoso"), 0);
        assert_eq!(
            book.latest("contoso", ContentType::Odb, "ALEX@contoso.onmicrosoft.com"),
            Some(waiting)
        );
        assert_eq!(
            book.for_key(
                "contoso",
                ContentType::RegSite,
                "alex@contoso.onmicrosoft.com"
            )
            .len(),
            0
        );
        let rebuilt = MoveBook::from_moves(book.all().to_vec());
        assert_eq!(rebuilt.active_from("contoso"), 0);
        assert_eq!(rebuilt.index_of(book.get(slow).id), Some(slow));
    }
}
