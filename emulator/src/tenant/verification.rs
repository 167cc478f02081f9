//! The rules behind `VerifySPOTenantOrgRelation`, as a pure function.
//!
//! Precedence, first match wins (our choice; the service's order is unpublished):
//! 1. NotEstablished: we hold no relation with these exact arguments.
//! 2. CouldNotContactPartner: the partner URL names no tenant this emulator serves.
//! 3. NotEstablishedByPartner: the partner holds no mirror relation (same scenario, our
//!    host URL, and the opposite role: if we call them Target they must call us Source).
//! 4. Dormant: our relation is younger than the dormant period.
//! 5. DormantByPartner: the partner's mirror relation is younger than the dormant period.
//! 6. GoodToProceed.

use std::time::{Duration, SystemTime};

use crate::wire::enums::VerificationStatus;

/// What we know about the partner side.
#[derive(Clone, Copy, Debug)]
pub enum PartnerSide {
    /// The partner URL is not one of ours; we cannot ask it anything.
    Unreachable,
    /// The partner is served here; `mirror_created` is when its mirror relation was created.
    Reachable { mirror_created: Option<SystemTime> },
}

/// Applies the rules above. `ours_created` is when our matching relation was created.
pub fn verify(
    ours_created: Option<SystemTime>,
    partner: PartnerSide,
    now: SystemTime,
    dormant_period: Duration,
) -> VerificationStatus {
    let Some(ours_created) = ours_created else {
        return VerificationStatus::NotEstablished;
    };
    let mirror_created = match partner {
        PartnerSide::Unreachable => return VerificationStatus::CouldNotContactPartner,
        PartnerSide::Reachable { mirror_created } => mirror_created,
    };
    let Some(mirror_created) = mirror_created else {
        return VerificationStatus::NotEstablishedByPartner;
    };
    if is_dormant(ours_created, now, dormant_period) {
        return VerificationStatus::Dormant;
    }
    if is_dormant(mirror_created, now, dormant_period) {
        return VerificationStatus::DormantByPartner;
    }
    VerificationStatus::GoodToProceed
}

/// A relation is dormant until it has existed for the whole dormant period.
/// A creation time in the future (clock moved back) counts as age zero.
pub fn is_dormant(created: SystemTime, now: SystemTime, dormant_period: Duration) -> bool {
    let age = now.duration_since(created).unwrap_or(Duration::ZERO);
    age < dormant_period
}

#[cfg(test)]
mod tests {
    use super::*;
    use VerificationStatus::*;

    const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn reachable(created: Option<u64>) -> PartnerSide {
        PartnerSide::Reachable {
            mirror_created: created.map(at),
        }
    }

    #[test]
    fn no_relation_of_ours_is_not_established_whatever_the_partner() {
        assert_eq!(
            verify(None, PartnerSide::Unreachable, at(0), WEEK),
            NotEstablished
        );
        assert_eq!(
            verify(None, reachable(Some(0)), at(0), WEEK),
            NotEstablished
        );
    }

    #[test]
    fn unknown_partner_cannot_be_contacted() {
        assert_eq!(
            verify(Some(at(0)), PartnerSide::Unreachable, at(0), Duration::ZERO),
            CouldNotContactPartner
        );
    }

    #[test]
    fn partner_without_mirror_has_not_established() {
        assert_eq!(
            verify(Some(at(0)), reachable(None), at(0), Duration::ZERO),
            NotEstablishedByPartner
        );
    }

    #[test]
    fn our_young_relation_is_dormant_before_the_partners() {
        let now = at(100);
        assert_eq!(
            verify(Some(at(90)), reachable(Some(50)), now, WEEK),
            Dormant
        );
    }

    #[test]
    fn partner_young_relation_is_dormant_by_partner() {
        let now = at(WEEK.as_secs() + 5);
        assert_eq!(
            verify(Some(at(0)), reachable(Some(10)), now, WEEK),
            DormantByPartner
        );
    }

    #[test]
    fn both_older_than_the_period_are_good_to_proceed() {
        let now = at(WEEK.as_secs() + 10);
        assert_eq!(
            verify(Some(at(0)), reachable(Some(10)), now, WEEK),
            GoodToProceed
        );
    }

    #[test]
    fn zero_period_means_never_dormant() {
        assert_eq!(
            verify(Some(at(5)), reachable(Some(5)), at(5), Duration::ZERO),
            GoodToProceed
        );
    }

    #[test]
    fn dormancy_ends_exactly_at_the_period() {
        assert!(is_dormant(at(0), at(WEEK.as_secs() - 1), WEEK));
        assert!(!is_dormant(at(0), at(WEEK.as_secs()), WEEK));
        assert!(
            is_dormant(at(10), at(0), WEEK),
            "future creation counts as age zero"
        );
    }
}
