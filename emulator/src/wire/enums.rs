//! The enums the cross-tenant calls speak, with the numbers they travel as.
//!
//! The three relation enums: names are public (CSOM API dump, namespace
//! `Microsoft.SharePoint.Client.Administration`); the numbers are inferred from declaration
//! order. The compatibility result: names from Microsoft's migration guide
//! (Get-SPOCrossTenantCompatibilityStatus), numbers inferred from that order (the REST
//! function answers an Int32). This file is the only place that knows them.

use serde::{Deserialize, Serialize};

/// Declares a wire enum: its variants, their numbers, and the type name used in messages.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident, $wire_name:literal { $($variant:ident = $number:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($variant),+
        }

        // Not every enum uses every helper.
        #[allow(dead_code)]
        impl $name {
            /// The .NET type name, as it appears in error messages.
            pub const WIRE_NAME: &'static str = $wire_name;

            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn from_number(number: i64) -> Option<Self> {
                match number {
                    $($number => Some($name::$variant),)+
                    _ => None,
                }
            }

            pub fn number(self) -> i64 {
                match self {
                    $($name::$variant => $number,)+
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)+
                }
            }

            /// The variant with this name, in any case.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|variant| variant.name().eq_ignore_ascii_case(name.trim()))
            }
        }
    };
}

wire_enum!(
    /// What the relation is for; only `MnA` (mergers and acquisitions) exists today.
    Scenario, "OrgRelationScenario" { None = 0, MnA = 1 }
);

wire_enum!(
    /// The role the *partner* plays: a Source partner sends content to us, a Target receives it.
    Role, "OrgRelationRole" { None = 0, Source = 1, Target = 2 }
);

wire_enum!(
    /// What `VerifySPOTenantOrgRelation` answers.
    VerificationStatus, "OrgRelationVerificationStatus" {
        NotEstablished = 0,
        NotEstablishedByPartner = 1,
        Dormant = 2,
        DormantByPartner = 3,
        GoodToProceed = 4,
        CouldNotContactPartner = 5,
    }
);

wire_enum!(
    /// What `XTenantMoveCompatibilityCheck` answers in `XTenantMoveCompatibilityResult`
    /// (INFERRED: the number-to-name mapping is not published). Compatible and Warning mean
    /// the migration may go on.
    Compatibility, "XTenantMoveCompatibilityResult" {
        Compatible = 0,
        Warning = 1,
        Incompatible = 2,
    }
);

wire_enum!(
    /// What a cross-tenant content move carries (`StartSPOCrossTenantContentMove`): a user's
    /// OneDrive, a Microsoft 365 group's site, or a regular site. Names public, numbers inferred.
    ContentType, "MnAWorkManagerContentType" { Odb = 0, Group = 1, RegSite = 2 }
);

wire_enum!(
    /// The `moveState` filter of `GetSPOCrossTenantContentMoveState` (names public, numbers
    /// inferred). The states a move reports are server strings (see `tenant::moves`).
    MoveStateFilter, "MoveState" {
        NotStarted = 0,
        InProgress = 1,
        Success = 2,
        Failed = 3,
        Stopped = 4,
        Queued = 5,
        NotSupported = 6,
        Rescheduled = 7,
        All = 8,
    }
);

wire_enum!(
    /// Which way a move goes, seen from the tenant asked (names public, numbers inferred).
    MoveDirection, "MoveDirection" { MoveOut = 0, MoveIn = 1, All = 2 }
);

wire_enum!(
    /// Column 6 of a user row of the identity map (names public).
    MappedUserType, "TenantIdentityMappingUserType" {
        None = 0,
        RegularUser = 1,
        AdminUser = 2,
        GuestUser = 3,
    }
);

wire_enum!(
    /// Column 6 of a group row of the identity map (names public).
    MappedGroupType, "TenantIdentityMappingGroupType" {
        None = 0,
        RegularGroup = 1,
        AdminGroup = 2,
        O365Group = 3,
    }
);

wire_enum!(
    /// The field `GetTenantUserIdentityMappingItem` and `RemoveTenantUserIdentityMappingItem`
    /// match user entries on (names public, numbers inferred).
    MappedUserField, "TenantIdentityMappingUserField" {
        SourceUserKey = 0,
        TargetUserPuid = 1,
        TargetUserUpn = 2,
        TargetUserEmail = 3,
    }
);

wire_enum!(
    /// The field the group look-ups and removals match on (names public, numbers inferred).
    MappedGroupField, "TenantIdentityMappingGroupField" {
        SourceGroupObjectId = 0,
        TargetGroupObjectId = 1,
        TargetGroupName = 2,
    }
);

impl Role {
    /// The role the partner must give us for the two sides to agree.
    pub fn mirror(self) -> Role {
        match self {
            Role::Source => Role::Target,
            Role::Target => Role::Source,
            Role::None => Role::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_declaration_order() {
        assert_eq!(Scenario::MnA.number(), 1);
        assert_eq!(Role::Target.number(), 2);
        assert_eq!(VerificationStatus::GoodToProceed.number(), 4);
        assert_eq!(VerificationStatus::CouldNotContactPartner.number(), 5);
        for (index, status) in VerificationStatus::ALL.iter().enumerate() {
            assert_eq!(status.number(), index as i64);
            assert_eq!(VerificationStatus::from_number(index as i64), Some(*status));
        }
    }

    #[test]
    fn out_of_range_numbers_are_rejected() {
        assert_eq!(Scenario::from_number(2), None);
        assert_eq!(Role::from_number(-1), None);
        assert_eq!(Role::from_number(3), None);
    }

    #[test]
    fn compatibility_numbers_and_names() {
        assert_eq!(Compatibility::Compatible.number(), 0);
        assert_eq!(Compatibility::Warning.number(), 1);
        assert_eq!(Compatibility::Incompatible.number(), 2);
        assert_eq!(
            Compatibility::from_name(" warning "),
            Some(Compatibility::Warning)
        );
        assert_eq!(
            Compatibility::from_name("INCOMPATIBLE"),
            Some(Compatibility::Incompatible)
        );
        assert_eq!(Compatibility::from_name("maybe"), None);
        assert_eq!(Role::from_name("target"), Some(Role::Target));
    }

    #[test]
    fn migration_enum_numbers() {
        assert_eq!(ContentType::from_number(2), Some(ContentType::RegSite));
        assert_eq!(ContentType::Group.number(), 1);
        assert_eq!(MoveStateFilter::All.number(), 8);
        assert_eq!(MoveDirection::from_number(1), Some(MoveDirection::MoveIn));
        assert_eq!(
            MappedUserType::from_name("regularuser"),
            Some(MappedUserType::RegularUser)
        );
        assert_eq!(
            MappedGroupType::from_name("O365Group"),
            Some(MappedGroupType::O365Group)
        );
        assert_eq!(MoveDirection::from_number(3), None);
    }

    #[test]
    fn mirror_swaps_source_and_target() {
        assert_eq!(Role::Source.mirror(), Role::Target);
        assert_eq!(Role::Target.mirror(), Role::Source);
        assert_eq!(Role::None.mirror(), Role::None);
    }
}
