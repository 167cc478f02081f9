//! The tenants this emulator serves (the directory) and the cross-tenant relations each one
//! holds.
//!
//! Everything here is plain data plus pure operations; time comes in as an argument so
//! tests can pick it (the dormant period depends on it).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use uuid::Uuid;

use super::content::Content;
use super::host_url::HostUrl;
use super::identity_map::IdentityMap;
use super::move_faults::MoveFaults;
use super::moves::MoveBook;
use super::site_layout::SiteLayout;
use super::verification::{self, PartnerSide};
use crate::wire::enums::{Role, Scenario, VerificationStatus};
use crate::wire::status_codes::{Failure, FailureKind};

/// One side of a trust: "we are in `scenario` with the tenant at `partner_host_url`,
/// which plays `partner_role`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    pub scenario: Scenario,
    pub partner_role: Role,
    pub partner_host_url: HostUrl,
    pub created: SystemTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    pub name: String,
    /// Used as the realm of `WWW-Authenticate` and inside tokens.
    pub id: Uuid,
    /// In creation order, which is also the order the list methods answer in.
    pub relations: Vec<Relation>,
    /// Users, sites and groups that moves act on.
    pub content: Content,
    /// The identity map uploaded to this tenant (as a move target).
    pub identity_map: IdentityMap,
}

impl Tenant {
    /// A tenant with no relations, no content and an empty identity map.
    pub fn new(name: impl Into<String>, id: Uuid) -> Self {
        Tenant {
            name: name.into(),
            id,
            relations: Vec::new(),
            content: Content::default(),
            identity_map: IdentityMap::default(),
        }
    }
}

/// What setting a relation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOutcome {
    Created,
    /// The same relation already existed; its creation time is kept.
    Unchanged,
    /// A relation with the same scenario and partner but another role was replaced;
    /// the new one starts a new dormant period.
    Replaced,
}

#[derive(Clone, Debug)]
pub struct Directory {
    layout: SiteLayout,
    pub(super) tenants: BTreeMap<String, Tenant>,
    /// Every content move, both tenants' view of it.
    pub(super) moves: MoveBook,
    /// Failures to inject into new moves; not saved.
    pub move_faults: MoveFaults,
    /// How much longer than the clock step a new move's phases may last, as a multiple of
    /// the step (`--move-spread`); not saved.
    pub move_spread: f64,
}

impl Directory {
    pub fn new(layout: SiteLayout) -> Self {
        Directory {
            layout,
            tenants: BTreeMap::new(),
            moves: MoveBook::default(),
            move_faults: MoveFaults::default(),
            move_spread: 0.0,
        }
    }

    pub fn moves(&self) -> &MoveBook {
        &self.moves
    }

    /// Replaces every move (loading the state file).
    pub fn restore_moves(&mut self, moves: MoveBook) {
        self.moves = moves;
    }

    pub fn tenant_mut_checked(&mut self, name: &str) -> Option<&mut Tenant> {
        self.tenants.get_mut(name)
    }

    pub fn layout(&self) -> &SiteLayout {
        &self.layout
    }

    /// Adds a tenant unless one with that name exists already.
    pub fn add_tenant(&mut self, tenant: Tenant) {
        self.tenants.entry(tenant.name.clone()).or_insert(tenant);
    }

    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.tenants.get(name)
    }

    pub fn tenants(&self) -> impl Iterator<Item = &Tenant> {
        self.tenants.values()
    }

    /// The name of the tenant served at `url`, if any. `localhost` counts as `127.0.0.1`.
    pub fn tenant_at(&self, url: &HostUrl) -> Option<&str> {
        let canonical =
            HostUrl::from_trusted(&url.as_str().replacen("://localhost:", "://127.0.0.1:", 1));
        self.tenants
            .keys()
            .find(|name| self.layout.host_url_key(name) == canonical)
            .map(String::as_str)
    }

    /// Checks the three arguments every relation method takes, in this order:
    /// scenario, role, URL shape, then "not ourselves".
    pub fn validate_relation_arguments(
        &self,
        tenant: &str,
        scenario: Scenario,
        partner_role: Role,
        partner_url: &str,
    ) -> Result<HostUrl, Failure> {
        validate_scenario(scenario)?;
        if partner_role == Role::None {
            return Err(Failure::new(
                FailureKind::WrongCmdletUsage,
                "The partner role must be Source or Target.",
            ));
        }
        let url = HostUrl::parse(partner_url)?;
        if self.tenant_at(&url) == Some(tenant) {
            return Err(Failure::new(
                FailureKind::PartnersOnTheSameFarm,
                format!(
                    "The partner host URL '{partner_url}' is this tenant's own host URL; a tenant cannot be its own partner."
                ),
            ));
        }
        Ok(url)
    }

    pub fn set_relation(
        &mut self,
        tenant: &str,
        scenario: Scenario,
        partner_role: Role,
        partner_host_url: HostUrl,
        now: SystemTime,
    ) -> SetOutcome {
        let relations = &mut self.tenant_mut(tenant).relations;
        let existing = relations
            .iter()
            .position(|r| r.scenario == scenario && r.partner_host_url == partner_host_url);
        let fresh = Relation {
            scenario,
            partner_role,
            partner_host_url,
            created: now,
        };
        match existing {
            Some(index) if relations[index].partner_role == partner_role => SetOutcome::Unchanged,
            Some(index) => {
                relations[index] = fresh;
                SetOutcome::Replaced
            }
            None => {
                relations.push(fresh);
                SetOutcome::Created
            }
        }
    }

    pub fn remove_relation(
        &mut self,
        tenant: &str,
        scenario: Scenario,
        partner_role: Role,
        partner_host_url: &HostUrl,
    ) -> Result<(), Failure> {
        let relations = &mut self.tenant_mut(tenant).relations;
        let before = relations.len();
        relations.retain(|r| !r.matches(scenario, partner_role, partner_host_url));
        if relations.len() == before {
            return Err(Failure::new(
                FailureKind::NoSetupForPartner,
                format!(
                    "There is no {} relation with partner '{}' in the role {}.",
                    scenario.name(),
                    partner_host_url.with_trailing_slash(),
                    partner_role.name()
                ),
            ));
        }
        Ok(())
    }

    pub fn verify(
        &self,
        tenant: &str,
        scenario: Scenario,
        partner_role: Role,
        partner_host_url: &HostUrl,
        now: SystemTime,
        dormant_period: Duration,
    ) -> VerificationStatus {
        let ours = self
            .relations(tenant)
            .iter()
            .find(|r| r.matches(scenario, partner_role, partner_host_url))
            .map(|r| r.created);
        let partner = match self.tenant_at(partner_host_url) {
            None => PartnerSide::Unreachable,
            Some(partner) => PartnerSide::Reachable {
                mirror_created: self.mirror_of(tenant, partner, scenario, partner_role),
            },
        };
        verification::verify(ours, partner, now, dormant_period)
    }

    /// When `partner` created the relation that mirrors ours, if it has one.
    fn mirror_of(
        &self,
        tenant: &str,
        partner: &str,
        scenario: Scenario,
        partner_role: Role,
    ) -> Option<SystemTime> {
        self.relations(partner)
            .iter()
            .find(|r| {
                r.scenario == scenario
                    && r.partner_role == partner_role.mirror()
                    && self.tenant_at(&r.partner_host_url) == Some(tenant)
            })
            .map(|r| r.created)
    }

    pub fn relations(&self, tenant: &str) -> &[Relation] {
        self.tenants
            .get(tenant)
            .map(|t| t.relations.as_slice())
            .unwrap_or_default()
    }

    /// Forgets every relation of every tenant (the `/_emulator/reset` endpoint).
    pub fn clear_relations(&mut self) {
        for tenant in self.tenants.values_mut() {
            tenant.relations.clear();
        }
    }

    pub(super) fn tenant_mut(&mut self, tenant: &str) -> &mut Tenant {
        // Callers resolved the tenant from the request path, so it exists.
        self.tenants
            .get_mut(tenant)
            .expect("tenant resolved from the request path")
    }
}

impl Relation {
    fn matches(&self, scenario: Scenario, partner_role: Role, partner_host_url: &HostUrl) -> bool {
        self.scenario == scenario
            && self.partner_role == partner_role
            && &self.partner_host_url == partner_host_url
    }
}

/// Scenario `None` is never a valid request.
pub fn validate_scenario(scenario: Scenario) -> Result<(), Failure> {
    if scenario == Scenario::None {
        return Err(Failure::new(
            FailureKind::WrongCmdletUsage,
            "The scenario must be MnA.",
        ));
    }
    Ok(())
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub const BASE: &str = "http://127.0.0.1:9000";
    const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

    pub fn two_tenants() -> Directory {
        let mut directory = Directory::new(SiteLayout::new(BASE));
        for name in ["contoso", "fabrikam"] {
            directory.add_tenant(Tenant::new(name, Uuid::new_v4()));
        }
        directory
    }

    fn url(tenant: &str) -> HostUrl {
        HostUrl::parse(&format!("{BASE}/{tenant}-my/")).unwrap()
    }

    /// The trust of a migration from contoso to fabrikam, set on both sides at `when`.
    pub fn trust_both_ways(directory: &mut Directory, when: SystemTime) {
        directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            url("fabrikam"),
            when,
        );
        directory.set_relation(
            "fabrikam",
            Scenario::MnA,
            Role::Source,
            url("contoso"),
            when,
        );
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn verify_contoso(
        directory: &Directory,
        now: SystemTime,
        period: Duration,
    ) -> VerificationStatus {
        directory.verify(
            "contoso",
            Scenario::MnA,
            Role::Target,
            &url("fabrikam"),
            now,
            period,
        )
    }

    #[test]
    fn host_urls_resolve_to_tenants() {
        let directory = two_tenants();
        assert_eq!(directory.tenant_at(&url("fabrikam")), Some("fabrikam"));
        let alias = HostUrl::parse("http://localhost:9000/Contoso-My").unwrap();
        assert_eq!(directory.tenant_at(&alias), Some("contoso"));
        let elsewhere = HostUrl::parse("https://fabrikam-my.sharepoint.com").unwrap();
        assert_eq!(directory.tenant_at(&elsewhere), None);
        let other_port = HostUrl::parse("http://127.0.0.1:9001/fabrikam-my").unwrap();
        assert_eq!(directory.tenant_at(&other_port), None);
    }

    #[test]
    fn walks_every_verification_state_to_good_to_proceed() {
        let mut directory = two_tenants();
        assert_eq!(
            verify_contoso(&directory, at(0), WEEK),
            VerificationStatus::NotEstablished
        );

        directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            url("fabrikam"),
            at(0),
        );
        assert_eq!(
            verify_contoso(&directory, at(0), WEEK),
            VerificationStatus::NotEstablishedByPartner
        );

        directory.set_relation(
            "fabrikam",
            Scenario::MnA,
            Role::Source,
            url("contoso"),
            at(100),
        );
        assert_eq!(
            verify_contoso(&directory, at(100), WEEK),
            VerificationStatus::Dormant
        );
        assert_eq!(
            verify_contoso(&directory, at(WEEK.as_secs() + 50), WEEK),
            VerificationStatus::DormantByPartner
        );
        assert_eq!(
            verify_contoso(&directory, at(WEEK.as_secs() + 100), WEEK),
            VerificationStatus::GoodToProceed
        );
        let fabrikam_side = directory.verify(
            "fabrikam",
            Scenario::MnA,
            Role::Source,
            &url("contoso"),
            at(WEEK.as_secs() + 100),
            WEEK,
        );
        assert_eq!(fabrikam_side, VerificationStatus::GoodToProceed);
    }

    #[test]
    fn partner_outside_the_emulator_cannot_be_contacted() {
        let mut directory = two_tenants();
        let outside = HostUrl::parse("https://northwind-my.sharepoint.com").unwrap();
        directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            outside.clone(),
            at(0),
        );
        let status = directory.verify(
            "contoso",
            Scenario::MnA,
            Role::Target,
            &outside,
            at(0),
            Duration::ZERO,
        );
        assert_eq!(status, VerificationStatus::CouldNotContactPartner);
    }

    #[test]
    fn partner_with_the_same_role_is_not_a_mirror() {
        let mut directory = two_tenants();
        directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            url("fabrikam"),
            at(0),
        );
        directory.set_relation(
            "fabrikam",
            Scenario::MnA,
            Role::Target,
            url("contoso"),
            at(0),
        );
        assert_eq!(
            verify_contoso(&directory, at(0), Duration::ZERO),
            VerificationStatus::NotEstablishedByPartner
        );
    }

    #[test]
    fn verify_with_another_role_than_stored_is_not_established() {
        let mut directory = two_tenants();
        directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Source,
            url("fabrikam"),
            at(0),
        );
        assert_eq!(
            verify_contoso(&directory, at(0), Duration::ZERO),
            VerificationStatus::NotEstablished
        );
    }

    #[test]
    fn setting_again_keeps_the_creation_time_and_another_role_replaces() {
        let mut directory = two_tenants();
        let first = directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            url("fabrikam"),
            at(0),
        );
        assert_eq!(first, SetOutcome::Created);
        let again = directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            url("fabrikam"),
            at(50),
        );
        assert_eq!(again, SetOutcome::Unchanged);
        assert_eq!(directory.relations("contoso")[0].created, at(0));

        let replaced = directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Source,
            url("fabrikam"),
            at(60),
        );
        assert_eq!(replaced, SetOutcome::Replaced);
        let relations = directory.relations("contoso");
        assert_eq!(relations.len(), 1);
        assert_eq!(relations[0].partner_role, Role::Source);
        assert_eq!(relations[0].created, at(60));
    }

    #[test]
    fn removing_a_missing_relation_fails_with_no_setup_for_partner() {
        let mut directory = two_tenants();
        let failure = directory
            .remove_relation("contoso", Scenario::MnA, Role::Target, &url("fabrikam"))
            .unwrap_err();
        assert_eq!(failure.kind, FailureKind::NoSetupForPartner);

        directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            url("fabrikam"),
            at(0),
        );
        let wrong_role =
            directory.remove_relation("contoso", Scenario::MnA, Role::Source, &url("fabrikam"));
        assert_eq!(wrong_role.unwrap_err().kind, FailureKind::NoSetupForPartner);
        directory
            .remove_relation("contoso", Scenario::MnA, Role::Target, &url("fabrikam"))
            .unwrap();
        assert!(directory.relations("contoso").is_empty());
    }

    #[test]
    fn validation_cases_map_to_their_status_codes() {
        let directory = two_tenants();
        let fabrikam = format!("{BASE}/fabrikam-my/");
        let check = |scenario, role, partner: &str| {
            directory
                .validate_relation_arguments("contoso", scenario, role, partner)
                .map_err(|f| f.kind)
        };
        assert_eq!(
            check(Scenario::None, Role::Target, &fabrikam),
            Err(FailureKind::WrongCmdletUsage)
        );
        assert_eq!(
            check(Scenario::MnA, Role::None, &fabrikam),
            Err(FailureKind::WrongCmdletUsage)
        );
        assert_eq!(
            check(
                Scenario::MnA,
                Role::Target,
                &format!("{BASE}/fabrikam-admin")
            ),
            Err(FailureKind::DomainNameIsIncorrect)
        );
        assert_eq!(
            check(Scenario::MnA, Role::Target, &format!("{BASE}/contoso-my/")),
            Err(FailureKind::PartnersOnTheSameFarm)
        );
        assert_eq!(
            check(Scenario::MnA, Role::Target, &fabrikam),
            Ok(url("fabrikam"))
        );
    }

    #[test]
    fn clear_relations_empties_every_tenant() {
        let mut directory = two_tenants();
        trust_both_ways(&mut directory, at(0));
        directory.clear_relations();
        assert!(directory.relations("contoso").is_empty());
        assert!(directory.relations("fabrikam").is_empty());
    }
}
