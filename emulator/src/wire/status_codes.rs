//! Every failure the emulator answers inside a CSOM `ErrorInfo`, in one table.
//!
//! Server-side validation cases are named after the public `MnAStatusCode` they stand for.
//! The real on-screen texts, `ErrorCode` numbers and `ErrorTypeName`s of these cases are not
//! published: the values below are our guesses, shaped like what the service answers for
//! comparable failures. Each message ends with the status name in parentheses so a reader
//! (and a client test) can tell the cases apart.

/// The kinds of failure, each with one wire shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// Scenario or role `None`: the cmdlet was called in a way it does not support.
    WrongCmdletUsage,
    /// The partner URL is not a tenant host (`-my`) URL.
    DomainNameIsIncorrect,
    /// A tenant named itself as its partner. No public code says exactly this; the
    /// "partners on the same farm" code is the closest public name.
    PartnersOnTheSameFarm,
    /// Remove was asked for a relation that does not exist.
    NoSetupForPartner,
    /// An enum number outside its declared range.
    InvalidArgument,
    /// The request XML is malformed, or names a type, method or parameter shape we do not know.
    InvalidClientQuery,
    /// The request's `SchemaVersion` is not the one we speak.
    UnsupportedSchemaVersion,
    /// The request body is over the service's 2,097,152 bytes (answered with HTTP 400).
    RequestTooLarge,
    /// A move was started towards a partner with which this tenant holds no MnA relation
    /// naming it Target.
    MoveTrustNoSetupForPartner,
    /// ... the partner has not set its side (Source) of the relation.
    MoveTrustNotEstablishedByPartner,
    /// ... our relation is still in its dormant period.
    MoveTrustDormant,
    /// ... the partner's relation is still in its dormant period.
    MoveTrustDormantByPartner,
    /// ... the partner URL names no tenant we can reach.
    MoveTrustCouldNotContactPartner,
    /// The source user, site or group does not exist on the source tenant.
    SourceNotFound,
    /// The user or group has no entry in the target tenant's identity map.
    IdentityMappingNotFound,
    /// The target OneDrive or site already exists (and Force was not given).
    TargetSiteConflict,
    /// The user is not licensed for cross-tenant migration.
    UserNotLicensed,
    /// A move for the same source key is still active.
    MoveAlreadyExists,
    /// Stop of a move that is InProgress or already final.
    MoveCannotBeStopped,
    /// Stop of a key that has no move.
    MoveJobNotFound,
    /// Over 4,000 active moves from one tenant.
    MoveBatchLimitExceeded,
    /// A move failed in one of its phases for a reason of the service's own (the code of an
    /// injected move failure without a cause, `--move-fault KEY=PHASE`).
    MoveFailed,
}

/// How one kind of failure looks on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WireShape {
    /// The public `MnAStatusCode` name this case stands for, if any.
    pub mna_status_code: Option<&'static str>,
    pub error_code: i64,
    pub error_type_name: &'static str,
}

const SPO_EXCEPTION: &str = "Microsoft.Online.SharePoint.Common.SpoException";
const ARGUMENT_EXCEPTION: &str = "System.ArgumentException";
const SERVER_EXCEPTION: &str = "Microsoft.SharePoint.Client.ServerException";
const INVALID_CLIENT_QUERY: &str = "Microsoft.SharePoint.Client.InvalidClientQueryException";

/// E_INVALIDARG, what the service reports with `System.ArgumentException`.
const E_INVALIDARG: i64 = -2147024809;
/// The generic server-side failure code.
const GENERIC_SERVER_FAILURE: i64 = -1;
/// The code the service answers for an unsupported `SchemaVersion` (public).
const UNSUPPORTED_SCHEMA: i64 = -2130575151;

impl FailureKind {
    pub fn wire_shape(self) -> WireShape {
        let (mna_status_code, error_code, error_type_name) = match self {
            FailureKind::WrongCmdletUsage => (
                Some("MnATrustWrongCmdletUsage"),
                GENERIC_SERVER_FAILURE,
                SPO_EXCEPTION,
            ),
            FailureKind::DomainNameIsIncorrect => (
                Some("MnADomainNameIsInCorrect"),
                GENERIC_SERVER_FAILURE,
                SPO_EXCEPTION,
            ),
            FailureKind::PartnersOnTheSameFarm => (
                Some("MnAPartnersOnTheSameFarm"),
                GENERIC_SERVER_FAILURE,
                SPO_EXCEPTION,
            ),
            FailureKind::NoSetupForPartner => (
                Some("MnATrustNoSetupForPartner"),
                GENERIC_SERVER_FAILURE,
                SPO_EXCEPTION,
            ),
            FailureKind::InvalidArgument => (None, E_INVALIDARG, ARGUMENT_EXCEPTION),
            FailureKind::InvalidClientQuery => (None, GENERIC_SERVER_FAILURE, INVALID_CLIENT_QUERY),
            FailureKind::UnsupportedSchemaVersion => {
                (None, UNSUPPORTED_SCHEMA, INVALID_CLIENT_QUERY)
            }
            FailureKind::RequestTooLarge => (None, GENERIC_SERVER_FAILURE, SERVER_EXCEPTION),
            migration => (
                Some(migration_status_code(migration)),
                GENERIC_SERVER_FAILURE,
                SERVER_EXCEPTION,
            ),
        };
        WireShape {
            mna_status_code,
            error_code,
            error_type_name,
        }
    }
}

/// The status names of the migration failures (ours, in the MnAStatusCode style; see
/// docs/migration-wire.md). All travel as `ServerException` with code -1.
fn migration_status_code(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::MoveTrustNoSetupForPartner => "MnATrustNoSetupForPartner",
        FailureKind::MoveTrustNotEstablishedByPartner => "MnATrustNotEstablishedByPartner",
        FailureKind::MoveTrustDormant => "MnATrustDormant",
        FailureKind::MoveTrustDormantByPartner => "MnATrustDormantByPartner",
        FailureKind::MoveTrustCouldNotContactPartner => "MnATrustCouldNotContactPartner",
        FailureKind::SourceNotFound => "MnASourceNotFound",
        FailureKind::IdentityMappingNotFound => "MnAIdentityMappingNotFound",
        FailureKind::TargetSiteConflict => "MnATargetSiteConflict",
        FailureKind::UserNotLicensed => "MnAUserNotLicensed",
        FailureKind::MoveAlreadyExists => "MnAMoveAlreadyExists",
        FailureKind::MoveCannotBeStopped => "MnAMoveCannotBeStopped",
        FailureKind::MoveJobNotFound => "MnAMoveJobNotFound",
        FailureKind::MoveBatchLimitExceeded => "MnAMoveBatchLimitExceeded",
        FailureKind::MoveFailed => "MnAMoveFailed",
        _ => "MnAUnknown",
    }
}

/// A failure ready to be written as `ErrorInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

impl Failure {
    /// Builds a failure; MnA cases get their status name appended to the message.
    pub fn new(kind: FailureKind, text: impl Into<String>) -> Self {
        let text = text.into();
        let message = match kind.wire_shape().mna_status_code {
            Some(name) => format!("{text} ({name})"),
            None => text,
        };
        Failure { kind, message }
    }

    pub fn invalid_query(text: impl Into<String>) -> Self {
        Failure::new(FailureKind::InvalidClientQuery, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mna_cases_carry_their_public_name_in_the_message() {
        let failure = Failure::new(FailureKind::NoSetupForPartner, "No relation.");
        assert_eq!(failure.message, "No relation. (MnATrustNoSetupForPartner)");
        let failure = Failure::new(FailureKind::DomainNameIsIncorrect, "Bad URL.");
        assert!(failure.message.ends_with("(MnADomainNameIsInCorrect)"));
    }

    #[test]
    fn argument_failures_use_the_argument_exception_shape() {
        let shape = FailureKind::InvalidArgument.wire_shape();
        assert_eq!(shape.error_code, -2147024809);
        assert_eq!(shape.error_type_name, "System.ArgumentException");
        assert_eq!(shape.mna_status_code, None);
        let failure = Failure::new(FailureKind::InvalidArgument, "Bad enum.");
        assert_eq!(failure.message, "Bad enum.");
    }

    #[test]
    fn migration_failures_are_server_exceptions_with_their_name() {
        let failure = Failure::new(FailureKind::TargetSiteConflict, "Taken.");
        assert_eq!(failure.message, "Taken. (MnATargetSiteConflict)");
        let shape = FailureKind::MoveJobNotFound.wire_shape();
        assert_eq!(
            shape.error_type_name,
            "Microsoft.SharePoint.Client.ServerException"
        );
        assert_eq!(shape.error_code, -1);
    }

    #[test]
    fn unsupported_schema_uses_the_public_code() {
        assert_eq!(
            FailureKind::UnsupportedSchemaVersion
                .wire_shape()
                .error_code,
            -2130575151
        );
    }
}
