//! The filters of `GetSPOCrossTenantContentMoveState`, seen from one tenant: its MoveOut
//! moves (it is the source) and MoveIn moves (it is the target).
//!
//! The MoveState filter maps onto the server strings moves report: NotStarted matches
//! NotStarted, Scheduled and ReadyToTrigger (nothing has run yet); Queued matches Scheduled
//! and ReadyToTrigger; InProgress, Success, Failed and Stopped match themselves;
//! NotSupported and Rescheduled match nothing; All matches every move.

use std::time::SystemTime;

use uuid::Uuid;

use super::directory::Directory;
use super::moves::{Move, MoveStatus};
use crate::wire::enums::{ContentType, MoveDirection, MoveStateFilter, Role};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveQuery {
    pub content_type: ContentType,
    /// `None`: any partner. `Some(Some(name))`: that tenant. `Some(None)`: the partner URL
    /// names no tenant served here, so nothing matches.
    pub partner: Option<Option<String>>,
    /// `None` for any key.
    pub source_key: Option<String>,
    /// `None` (the nil GUID on the wire) for any move.
    pub move_id: Option<Uuid>,
    pub state: MoveStateFilter,
    pub direction: MoveDirection,
    /// 0 for no limit.
    pub limit: u32,
    pub created_from: Option<SystemTime>,
    pub created_until: Option<SystemTime>,
    /// The role the partner plays: Target means our MoveOut moves, Source our MoveIn moves;
    /// None for both.
    pub partner_role: Role,
}

impl Directory {
    /// The matching moves with their direction as seen from `tenant`, oldest first,
    /// at most `limit`.
    pub fn query_moves(
        &self,
        tenant: &str,
        query: &MoveQuery,
        now: SystemTime,
    ) -> Vec<(&Move, MoveDirection)> {
        let candidates: Box<dyn Iterator<Item = &Move>> = match (&query.move_id, &query.source_key)
        {
            (Some(id), _) => Box::new(
                self.moves
                    .index_of(*id)
                    .map(|i| self.moves.get(i))
                    .into_iter(),
            ),
            (None, Some(key)) => {
                // The key index is per source tenant: look it up under each tenant.
                let mut indexes: Vec<usize> = self
                    .tenants
                    .keys()
                    .flat_map(|source| {
                        self.moves
                            .for_key(source, query.content_type, key)
                            .iter()
                            .copied()
                    })
                    .collect();
                indexes.sort_unstable();
                Box::new(indexes.into_iter().map(|i| self.moves.get(i)))
            }
            (None, None) => Box::new(self.moves.all().iter()),
        };
        let limit = if query.limit == 0 {
            usize::MAX
        } else {
            query.limit as usize
        };
        candidates
            .filter(|found| found.content_type == query.content_type)
            .filter_map(|found| direction_of(found, tenant).map(|direction| (found, direction)))
            .filter(|(found, direction)| self.matches(found, *direction, query, now))
            .take(limit)
            .collect()
    }

    fn matches(
        &self,
        found: &Move,
        direction: MoveDirection,
        query: &MoveQuery,
        now: SystemTime,
    ) -> bool {
        let partner = match direction {
            MoveDirection::MoveIn => &found.source_tenant,
            _ => &found.target_tenant,
        };
        let partner_ok = match &query.partner {
            None => true,
            Some(wanted) => wanted.as_deref() == Some(partner.as_str()),
        };
        let direction_ok = query.direction == MoveDirection::All || query.direction == direction;
        let role_ok = match query.partner_role {
            Role::None => true,
            Role::Target => direction == MoveDirection::MoveOut,
            Role::Source => direction == MoveDirection::MoveIn,
        };
        let from_ok = query.created_from.is_none_or(|from| found.created >= from);
        let until_ok = query
            .created_until
            .is_none_or(|until| found.created <= until);
        partner_ok
            && direction_ok
            && role_ok
            && from_ok
            && until_ok
            && state_matches(query.state, found.view(now).status)
    }
}

fn direction_of(found: &Move, tenant: &str) -> Option<MoveDirection> {
    if found.source_tenant == tenant {
        Some(MoveDirection::MoveOut)
    } else if found.target_tenant == tenant {
        Some(MoveDirection::MoveIn)
    } else {
        None
    }
}

pub fn state_matches(filter: MoveStateFilter, status: MoveStatus) -> bool {
    use MoveStatus as S;
    match filter {
        MoveStateFilter::All => true,
        MoveStateFilter::NotStarted => status.is_waiting(),
        MoveStateFilter::Queued => matches!(status, S::Scheduled | S::ReadyToTrigger),
        MoveStateFilter::InProgress => status == S::InProgress,
        MoveStateFilter::Success => status == S::Success,
        MoveStateFilter::Failed => status == S::Failed,
        MoveStateFilter::Stopped => status == S::Stopped,
        MoveStateFilter::NotSupported | MoveStateFilter::Rescheduled => false,
    }
}
