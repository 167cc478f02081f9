//! The enums of the CSOM methods behind the cmdlets: each enum's names and numbers, once.
//! The C ABI exports these tables (`spo_describe`), so the PowerShell module declares its
//! enums from them instead of restating them.
//!
//! The names are public; the numbers are inferred from declaration order (protocol.md §2,
//! docs/migration-wire.md). The namespaces are the type names Microsoft's cmdlets declare
//! (confirmed, their reference pages and the CSOM API dumps): the trust and identity-map
//! enums in Microsoft.SharePoint.Client.Administration, the move-state filters in
//! Microsoft.Online.SharePoint.PowerShell; only the content type's namespace,
//! Microsoft.Online.SharePoint.TenantAdministration, is inferred (no cmdlet takes it).

/// An enum as the C ABI describes it: its .NET type name and its (name, number) pairs.
#[derive(Debug, Clone, Copy)]
pub struct EnumTable {
    pub type_name: &'static str,
    pub values: &'static [(&'static str, u32)],
}

impl EnumTable {
    /// The name of a number.
    pub fn name_of(&self, number: i64) -> Option<&'static str> {
        self.values
            .iter()
            .find(|(_, known)| i64::from(*known) == number)
            .map(|(name, _)| *name)
    }
}

/// Namespace of the trust and identity-map enums (confirmed).
macro_rules! administration {
    () => {
        "Microsoft.SharePoint.Client.Administration."
    };
}
/// Namespace of the content type (inferred: no cmdlet takes it).
macro_rules! tenant_administration {
    () => {
        "Microsoft.Online.SharePoint.TenantAdministration."
    };
}
/// Namespace of the move-state query enums in Microsoft's module (confirmed).
macro_rules! powershell {
    () => {
        "Microsoft.Online.SharePoint.PowerShell."
    };
}

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        wire_enum!(in administration!(), $(#[$doc])* $name { $($variant = $value),+ });
    };
    (in $namespace:expr, $(#[$doc:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        ///
        /// Serde reads and writes the exact names (the move state JSON carries them).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

            /// The value for a name, ignoring case.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.name().eq_ignore_ascii_case(name))
            }

            /// Names and numbers, for `spo_describe`.
            pub const TABLE: EnumTable = EnumTable {
                type_name: concat!($namespace, stringify!($name)),
                values: &[$((stringify!($variant), $value)),+],
            };
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

wire_enum!(
    in tenant_administration!(),
    /// What a cross-tenant move carries: a OneDrive (Odb), a group's site, or a site.
    MnAWorkManagerContentType { Odb = 0, Group = 1, RegSite = 2 }
);

wire_enum!(
    in powershell!(),
    /// The states a move-state query filters on; `All` means any. The server's answers
    /// also use states outside this enum (see `operations::move_state`).
    MoveState {
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
    in powershell!(),
    /// Whether content leaves this tenant or arrives in it; `All` means either.
    MoveDirection { MoveOut = 0, MoveIn = 1, All = 2 }
);

wire_enum!(
    /// The last column of a `User` row of the identity map, and `-UserType` of
    /// `Add-SPOTenantIdentityMappingUser`.
    TenantIdentityMappingUserType { None = 0, RegularUser = 1, AdminUser = 2, GuestUser = 3 }
);

wire_enum!(
    /// The last column of a `Group` row of the identity map, and `-GroupType` of
    /// `Add-SPOTenantIdentityMappingGroup`.
    TenantIdentityMappingGroupType { None = 0, RegularGroup = 1, AdminGroup = 2, O365Group = 3 }
);

wire_enum!(
    /// Which field of a user entry `Get-`/`Remove-SPOTenantIdentityMappingUser` match on.
    TenantIdentityMappingUserField {
        SourceUserKey = 0,
        TargetUserPuid = 1,
        TargetUserUpn = 2,
        TargetUserEmail = 3,
    }
);

wire_enum!(
    /// Which field of a group entry `Get-`/`Remove-SPOTenantIdentityMappingGroup` match on.
    TenantIdentityMappingGroupField {
        SourceGroupObjectId = 0,
        TargetGroupObjectId = 1,
        TargetGroupName = 2,
    }
);

/// Every enum of ProcessQuery calls, for `spo_describe`.
pub const TABLES: &[EnumTable] = &[
    OrgRelationScenario::TABLE,
    OrgRelationRole::TABLE,
    OrgRelationVerificationStatus::TABLE,
    MnAWorkManagerContentType::TABLE,
    MoveState::TABLE,
    MoveDirection::TABLE,
    TenantIdentityMappingUserType::TABLE,
    TenantIdentityMappingGroupType::TABLE,
    TenantIdentityMappingUserField::TABLE,
    TenantIdentityMappingGroupField::TABLE,
];

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

    #[test]
    fn names_are_found_ignoring_case_and_tables_carry_the_namespace() {
        assert_eq!(
            OrgRelationRole::from_name("tArGeT"),
            Some(OrgRelationRole::Target)
        );
        assert_eq!(OrgRelationRole::from_name("2"), None);
        assert_eq!(
            OrgRelationScenario::TABLE.type_name,
            "Microsoft.SharePoint.Client.Administration.OrgRelationScenario"
        );
        assert!(OrgRelationRole::TABLE.values.contains(&("Source", 1)));
        assert_eq!(
            OrgRelationVerificationStatus::TABLE.name_of(4),
            Some("GoodToProceed")
        );
    }

    #[test]
    fn migration_enums_carry_their_numbers_and_namespace() {
        assert_eq!(MnAWorkManagerContentType::RegSite.wire(), 2);
        assert_eq!(MnAWorkManagerContentType::Group.wire(), 1);
        assert_eq!(MoveState::All.wire(), 8);
        assert_eq!(MoveState::Rescheduled.wire(), 7);
        assert_eq!(MoveDirection::All.wire(), 2);
        assert_eq!(TenantIdentityMappingUserType::GuestUser.wire(), 3);
        assert_eq!(TenantIdentityMappingGroupType::O365Group.wire(), 3);
        assert_eq!(TenantIdentityMappingUserField::TargetUserEmail.wire(), 3);
        assert_eq!(TenantIdentityMappingGroupField::TargetGroupName.wire(), 2);
        assert_eq!(
            MoveState::TABLE.type_name,
            "Microsoft.Online.SharePoint.PowerShell.MoveState"
        );
        assert_eq!(
            MoveDirection::TABLE.type_name,
            "Microsoft.Online.SharePoint.PowerShell.MoveDirection"
        );
        assert_eq!(
            MnAWorkManagerContentType::TABLE.type_name,
            "Microsoft.Online.SharePoint.TenantAdministration.MnAWorkManagerContentType"
        );
        for table in [
            TenantIdentityMappingUserType::TABLE,
            TenantIdentityMappingGroupType::TABLE,
            TenantIdentityMappingUserField::TABLE,
            TenantIdentityMappingGroupField::TABLE,
        ] {
            assert!(
                table.type_name.starts_with(
                    "Microsoft.SharePoint.Client.Administration.TenantIdentityMapping"
                ),
                "{}",
                table.type_name
            );
        }
        assert_eq!(TABLES.len(), 10);
    }
}
