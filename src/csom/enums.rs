//! The Microsoft.SharePoint.Client.Administration enums behind the trust cmdlets.
//!
//! The names are public; the numbers are inferred from declaration order (protocol.md §2).
//! They live here and only here, so a correction is a one-line change.

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum $name { $($variant = $value),+ }

        impl $name {
            /// Every value, in wire order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value for a wire number, if there is one.
            pub fn from_wire(value: u32) -> Option<Self> {
                match value {
                    $($value => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The number sent as `<Parameter Type="Enum">`.
            pub fn wire(self) -> u32 {
                self as u32
            }

            /// The name PowerShell shows.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)+
                }
            }
        }
    };
}

wire_enum!(
    /// What the relation is for; only MnA (mergers and acquisitions) exists today.
    OrgRelationScenario { None = 0, MnA = 1 }
);

wire_enum!(
    /// The role of the partner tenant: Source sends content, Target receives it.
    OrgRelationRole { None = 0, Source = 1, Target = 2 }
);

wire_enum!(
    /// What `VerifySPOTenantOrgRelation` says about a relation.
    OrgRelationVerificationStatus {
        NotEstablished = 0,
        NotEstablishedByPartner = 1,
        Dormant = 2,
        DormantByPartner = 3,
        GoodToProceed = 4,
        CouldNotContactPartner = 5,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_numbers_follow_declaration_order() {
        assert_eq!(OrgRelationScenario::MnA.wire(), 1);
        assert_eq!(OrgRelationRole::Source.wire(), 1);
        assert_eq!(OrgRelationRole::Target.wire(), 2);
        assert_eq!(OrgRelationVerificationStatus::GoodToProceed.wire(), 4);
        assert_eq!(
            OrgRelationVerificationStatus::CouldNotContactPartner.wire(),
            5
        );
    }

    #[test]
    fn from_wire_round_trips_and_rejects_unknown_numbers() {
        for role in OrgRelationRole::ALL {
            assert_eq!(OrgRelationRole::from_wire(role.wire()), Some(*role));
        }
        assert_eq!(OrgRelationRole::from_wire(3), None);
        assert_eq!(OrgRelationScenario::from_wire(2), None);
        assert_eq!(OrgRelationVerificationStatus::from_wire(6), None);
        assert_eq!(OrgRelationScenario::MnA.name(), "MnA");
    }
}
