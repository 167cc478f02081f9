//! The rules behind the cross-tenant compatibility check (`XTenantMoveCompatibilityCheck`,
//! what Get-SPOCrossTenantCompatibilityStatus asks on the source tenant), as pure functions,
//! and the answers forced with `--compatibility` or the control endpoint.
//!
//! First match wins (our choice; the service's rules are unpublished):
//! 1. The partner URL is not a host URL, is this tenant's own, or names no tenant this
//!    emulator serves: an argument error (the REST layer answers 400).
//! 2. An answer is forced for this (source) tenant: that answer.
//! 3. **Compatible** when both tenants are set up for the MnA scenario with each other: this
//!    tenant names the partner as Target and the partner names this tenant as Source.
//! 4. **Incompatible** otherwise (either side has not set its relation, or not in these
//!    roles). Warning is never computed; force it to rehearse it.
//!
//! The dormant period does not matter here: it is what verification reports.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use super::directory::Directory;
use super::host_url::HostUrl;
use crate::wire::enums::{Compatibility, Role, Scenario};
use crate::wire::status_codes::{Failure, FailureKind};

/// What the check answers: both host URLs as `GetMySiteHostUrl` shows them, and the result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompatibilityReport {
    pub source_host_url: String,
    pub target_host_url: String,
    pub result: Compatibility,
    /// Whether the result was forced rather than computed.
    pub forced: bool,
}

/// Forced answers, by (source) tenant name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForcedCompatibility {
    answers: BTreeMap<String, Compatibility>,
}

impl ForcedCompatibility {
    pub fn force(&mut self, answer: ForcedAnswer) {
        self.answers.insert(answer.tenant, answer.result);
    }

    /// Back to the computed answer for this tenant; whether one was forced.
    pub fn release(&mut self, tenant: &str) -> bool {
        self.answers.remove(tenant).is_some()
    }

    pub fn clear(&mut self) {
        self.answers.clear();
    }

    pub fn get(&self, tenant: &str) -> Option<Compatibility> {
        self.answers.get(tenant).copied()
    }

    /// Tenant name and result name, by tenant name.
    pub fn by_name(&self) -> BTreeMap<String, &'static str> {
        self.answers
            .iter()
            .map(|(tenant, result)| (tenant.clone(), result.name()))
            .collect()
    }
}

/// One forced answer, written `TENANT=RESULT` (`contoso=Warning`) in `--compatibility` and
/// in `POST /_emulator/compatibility`. The result is a name, in any case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForcedAnswer {
    pub tenant: String,
    pub result: Compatibility,
}

impl FromStr for ForcedAnswer {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let Some((tenant, result)) = text.trim().split_once('=') else {
            return Err(format!(
                "'{text}' is not TENANT=RESULT (for example contoso=Warning)"
            ));
        };
        let tenant = tenant.trim().to_ascii_lowercase();
        if tenant.is_empty() {
            return Err(format!("'{text}' names no tenant before '='"));
        }
        let result = Compatibility::from_name(result).ok_or_else(|| {
            format!(
                "'{result}' is not a compatibility result: use Compatible, Warning or Incompatible"
            )
        })?;
        Ok(ForcedAnswer { tenant, result })
    }
}

impl fmt::Display for ForcedAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.tenant, self.result.name())
    }
}

/// Applies the rules above for `tenant` asking about the partner at `partner_url` (as sent).
pub fn check(
    directory: &Directory,
    forced: &ForcedCompatibility,
    tenant: &str,
    partner_url: &str,
) -> Result<CompatibilityReport, Failure> {
    let url = HostUrl::parse(partner_url)
        .map_err(|failure| Failure::new(FailureKind::InvalidArgument, failure.message))?;
    let partner = match directory.tenant_at(&url) {
        Some(partner) if partner == tenant => {
            return Err(Failure::new(
                FailureKind::InvalidArgument,
                format!(
                    "The target tenant host URL '{partner_url}' is this tenant's own host URL; \
                     check the compatibility with the partner tenant's host URL."
                ),
            ));
        }
        Some(partner) => partner,
        None => {
            return Err(Failure::new(
                FailureKind::InvalidArgument,
                format!(
                    "Cannot find a tenant with the host URL '{partner_url}'. Use the partner's \
                     value of Get-SPOCrossTenantHostUrl."
                ),
            ));
        }
    };
    let layout = directory.layout();
    let (result, forced) = match forced.get(tenant) {
        Some(result) => (result, true),
        None if names_as(directory, tenant, partner, Role::Target)
            && names_as(directory, partner, tenant, Role::Source) =>
        {
            (Compatibility::Compatible, false)
        }
        None => (Compatibility::Incompatible, false),
    };
    Ok(CompatibilityReport {
        source_host_url: layout.host_url(tenant),
        target_host_url: layout.host_url(partner),
        result,
        forced,
    })
}

/// Whether `tenant` holds an MnA relation with `partner` in the role `role`.
fn names_as(directory: &Directory, tenant: &str, partner: &str, role: Role) -> bool {
    directory.relations(tenant).iter().any(|relation| {
        relation.scenario == Scenario::MnA
            && relation.partner_role == role
            && directory.tenant_at(&relation.partner_host_url) == Some(partner)
    })
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::tenant::directory::tests::{BASE, two_tenants};

    fn url(tenant: &str) -> String {
        format!("{BASE}/{tenant}-my/")
    }

    fn set(directory: &mut Directory, tenant: &str, role: Role, partner: &str) {
        let partner_url = HostUrl::parse(&url(partner)).unwrap();
        directory.set_relation(tenant, Scenario::MnA, role, partner_url, SystemTime::now());
    }

    fn result(directory: &Directory, forced: &ForcedCompatibility, tenant: &str) -> Compatibility {
        let partner = if tenant == "contoso" {
            "fabrikam"
        } else {
            "contoso"
        };
        check(directory, forced, tenant, &url(partner))
            .unwrap()
            .result
    }

    #[test]
    fn compatible_only_when_both_sides_are_set_up_with_each_other() {
        let none = ForcedCompatibility::default();
        let mut directory = two_tenants();
        assert_eq!(
            result(&directory, &none, "contoso"),
            Compatibility::Incompatible
        );
        set(&mut directory, "contoso", Role::Target, "fabrikam");
        assert_eq!(
            result(&directory, &none, "contoso"),
            Compatibility::Incompatible
        );
        set(&mut directory, "fabrikam", Role::Source, "contoso");
        assert_eq!(
            result(&directory, &none, "contoso"),
            Compatibility::Compatible
        );
        // The target asking about its source is not the check's direction.
        assert_eq!(
            result(&directory, &none, "fabrikam"),
            Compatibility::Incompatible
        );
    }

    #[test]
    fn the_same_role_on_both_sides_is_incompatible() {
        let none = ForcedCompatibility::default();
        let mut directory = two_tenants();
        set(&mut directory, "contoso", Role::Target, "fabrikam");
        set(&mut directory, "fabrikam", Role::Target, "contoso");
        assert_eq!(
            result(&directory, &none, "contoso"),
            Compatibility::Incompatible
        );
    }

    #[test]
    fn the_report_names_both_host_urls_in_any_spelling() {
        let none = ForcedCompatibility::default();
        let directory = two_tenants();
        for spelling in [
            url("fabrikam"),
            format!("{BASE}/fabrikam-my"),
            format!("{}/FABRIKAM-MY", BASE.replace("127.0.0.1", "LocalHost")),
        ] {
            let report = check(&directory, &none, "contoso", &spelling).unwrap();
            assert_eq!(report.source_host_url, url("contoso"));
            assert_eq!(report.target_host_url, url("fabrikam"));
            assert!(!report.forced);
        }
    }

    #[test]
    fn forced_answers_win_over_computed_ones_and_can_be_released() {
        let mut forced = ForcedCompatibility::default();
        let mut directory = two_tenants();
        set(&mut directory, "contoso", Role::Target, "fabrikam");
        set(&mut directory, "fabrikam", Role::Source, "contoso");
        forced.force("contoso=incompatible".parse().unwrap());
        let report = check(&directory, &forced, "contoso", &url("fabrikam")).unwrap();
        assert_eq!(report.result, Compatibility::Incompatible);
        assert!(report.forced);
        forced.force("Contoso=Warning".parse().unwrap());
        assert_eq!(
            result(&directory, &forced, "contoso"),
            Compatibility::Warning
        );
        assert_eq!(forced.by_name()["contoso"], "Warning");
        assert!(forced.release("contoso"));
        assert!(!forced.release("contoso"));
        assert_eq!(
            result(&directory, &forced, "contoso"),
            Compatibility::Compatible
        );
    }

    #[test]
    fn bad_partners_are_argument_errors_even_when_forced() {
        let mut forced = ForcedCompatibility::default();
        forced.force("contoso=Warning".parse().unwrap());
        let directory = two_tenants();
        for partner in [
            "https://northwind-my.sharepoint.com".to_string(),
            format!("{BASE}/fabrikam-admin"),
            url("contoso"),
            "not a url".to_string(),
        ] {
            let failure = check(&directory, &forced, "contoso", &partner).unwrap_err();
            assert_eq!(failure.kind, FailureKind::InvalidArgument, "{partner}");
            assert!(failure.message.contains(&partner), "{}", failure.message);
        }
    }

    #[test]
    fn forced_answer_specs() {
        let answer: ForcedAnswer = " Contoso = warning ".parse().unwrap();
        assert_eq!(answer.tenant, "contoso");
        assert_eq!(answer.result, Compatibility::Warning);
        assert_eq!(answer.to_string(), "contoso=Warning");
        for bad in ["contoso", "=Warning", "contoso=Maybe", "contoso=1", ""] {
            assert!(bad.parse::<ForcedAnswer>().is_err(), "{bad}");
        }
    }
}
