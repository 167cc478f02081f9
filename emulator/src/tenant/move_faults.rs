//! Failures injected into moves (`--move-fault`, `/_emulator/move-faults`): `KEY=PHASE`
//! makes every move started for that source key (a UPN, a site URL or a group alias; `*`
//! for every move) fail half-way through that phase, so each failure path can be rehearsed.
//! `KEY=PHASE:CAUSE` names why, as the service would: the move fails with that cause's
//! error code, and the cause is made real on the tenants when the move starts (the entry
//! gone from the identity map, the licence removed, the target created), so the fix an
//! admin would apply is needed before the move can start again. A rule stays armed until
//! cleared; it is read when a move starts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::content::key_of;
use super::moves::Phase;
use crate::wire::status_codes::FailureKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveFault {
    /// Normalized source key; `None` for every move.
    pub key: Option<String>,
    pub phase: Phase,
    pub cause: FailureCause,
}

/// Why an injected failure happens, named by the error code a failed move then carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureCause {
    /// The service's own trouble: nothing to fix but a restart (MnAMoveFailed).
    #[default]
    Internal,
    /// The target tenant's identity map lost the key's entry (MnAIdentityMappingNotFound):
    /// user and group moves.
    IdentityMapping,
    /// The source user lost the migration licence (MnAUserNotLicensed): user moves.
    Licence,
    /// The target OneDrive, site or group appeared while the move ran (MnATargetSiteConflict).
    TargetConflict,
}

impl FailureCause {
    const ALL: [FailureCause; 4] = [
        FailureCause::Internal,
        FailureCause::IdentityMapping,
        FailureCause::Licence,
        FailureCause::TargetConflict,
    ];

    pub fn kind(self) -> FailureKind {
        match self {
            FailureCause::Internal => FailureKind::MoveFailed,
            FailureCause::IdentityMapping => FailureKind::IdentityMappingNotFound,
            FailureCause::Licence => FailureKind::UserNotLicensed,
            FailureCause::TargetConflict => FailureKind::TargetSiteConflict,
        }
    }

    /// The error code: the MnA status name, e.g. `MnAUserNotLicensed`.
    pub fn code(self) -> &'static str {
        self.kind()
            .wire_shape()
            .mna_status_code
            .expect("every move failure has an MnA status name")
    }

    fn from_code(text: &str) -> Option<FailureCause> {
        let text = text.trim();
        FailureCause::ALL.into_iter().find(|cause| {
            let code = cause.code();
            code.eq_ignore_ascii_case(text) || code["MnA".len()..].eq_ignore_ascii_case(text)
        })
    }
}

impl FromStr for MoveFault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        // Split at the last '=': site URLs have colons but no '='.
        let Some((key, rule)) = text.trim().rsplit_once('=') else {
            return Err(format!(
                "'{text}' is not KEY=PHASE[:CAUSE] (for example alex@contoso.onmicrosoft.com=Restore, *=Backup or alex@contoso.onmicrosoft.com=Validation:MnAUserNotLicensed)"
            ));
        };
        let (phase, cause) = match rule.split_once(':') {
            Some((phase, code)) => (
                phase,
                FailureCause::from_code(code).ok_or_else(|| {
                    let codes: Vec<_> = FailureCause::ALL.iter().map(|c| c.code()).collect();
                    format!(
                        "'{code}' is not a move failure cause: use {}",
                        codes.join(", ")
                    )
                })?,
            ),
            None => (rule, FailureCause::Internal),
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("'{text}' names no source key (or *) before '='"));
        }
        let phase = Phase::from_name(phase).ok_or_else(|| {
            format!("'{phase}' is not a move phase: use Validation, Backup, Restore or Cleanup")
        })?;
        Ok(MoveFault {
            key: (key != "*").then(|| key_of(key)),
            phase,
            cause,
        })
    }
}

impl fmt::Display for MoveFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}",
            self.key.as_deref().unwrap_or("*"),
            self.phase.name()
        )?;
        match self.cause {
            FailureCause::Internal => Ok(()),
            cause => write!(f, ":{}", cause.code()),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct MoveFaults {
    rules: Vec<MoveFault>,
}

impl MoveFaults {
    pub fn add(&mut self, fault: MoveFault) {
        self.rules.retain(|rule| rule.key != fault.key);
        self.rules.push(fault);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The phase a move for this key fails in, and why: a rule for the key wins over `*`.
    pub fn rule_for(&self, source_key: &str) -> Option<(Phase, FailureCause)> {
        let key = key_of(source_key);
        self.rules
            .iter()
            .find(|rule| rule.key.as_deref() == Some(key.as_str()))
            .or_else(|| self.rules.iter().find(|rule| rule.key.is_none()))
            .map(|rule| (rule.phase, rule.cause))
    }

    pub fn specs(&self) -> Vec<String> {
        self.rules.iter().map(ToString::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_the_key_wins_over_the_star() {
        let mut faults = MoveFaults::default();
        faults.add("*=backup".parse().unwrap());
        faults.add("Alex@Contoso.onmicrosoft.com=Restore".parse().unwrap());
        faults.add(
            "http://127.0.0.1:9000/contoso/sites/legal=Cleanup"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            faults.rule_for("alex@contoso.onmicrosoft.com"),
            Some((Phase::Restore, FailureCause::Internal))
        );
        assert_eq!(
            faults.rule_for("bianca@contoso.onmicrosoft.com"),
            Some((Phase::Backup, FailureCause::Internal))
        );
        assert_eq!(
            faults.rule_for("http://127.0.0.1:9000/contoso/sites/legal/"),
            Some((Phase::Cleanup, FailureCause::Internal))
        );
        assert_eq!(faults.specs()[0], "*=Backup");
        faults.clear();
        assert_eq!(faults.rule_for("x"), None);
        for bad in [
            "alex",
            "=Restore",
            "alex=Later",
            "alex=Backup:Gremlins",
            "alex=:MnAUserNotLicensed",
        ] {
            assert!(bad.parse::<MoveFault>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_cause_is_named_by_its_error_code_with_or_without_the_prefix() {
        let mut faults = MoveFaults::default();
        faults.add(
            "chen@contoso.onmicrosoft.com=Validation:MnAUserNotLicensed"
                .parse()
                .unwrap(),
        );
        faults.add(
            "http://127.0.0.1:9000/contoso/sites/legal=Restore:targetsiteconflict"
                .parse()
                .unwrap(),
        );
        faults.add("sales=Backup:MnAIdentityMappingNotFound".parse().unwrap());
        faults.add("hr=Cleanup:MnAMoveFailed".parse().unwrap());
        assert_eq!(
            faults.rule_for("chen@contoso.onmicrosoft.com"),
            Some((Phase::Validation, FailureCause::Licence))
        );
        assert_eq!(
            faults.rule_for("http://127.0.0.1:9000/contoso/sites/legal"),
            Some((Phase::Restore, FailureCause::TargetConflict))
        );
        assert_eq!(
            faults.specs(),
            vec![
                "chen@contoso.onmicrosoft.com=Validation:MnAUserNotLicensed",
                "http://127.0.0.1:9000/contoso/sites/legal=Restore:MnATargetSiteConflict",
                "sales=Backup:MnAIdentityMappingNotFound",
                "hr=Cleanup",
            ]
        );
        assert_eq!(FailureCause::Internal.code(), "MnAMoveFailed");
    }
}
