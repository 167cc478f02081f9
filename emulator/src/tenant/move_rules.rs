//! What `StartSPOCrossTenantContentMove` and `StopSPOCrossTenantContentMove` check, from the
//! emulator's own state, and what a finished move changes.
//!
//! Start checks, first failure wins: the partner URL (shape, not ourselves); trust with
//! that partner (our relation names it Target, verification GoodToProceed); the preferred
//! dates; the source (user with a OneDrive / regular site / group) exists here; the user
//! is licensed; the user or group is in the TARGET tenant's identity map for this source
//! tenant (and, for a user, maps to the target UPN given); no move for the same key is
//! still active; fewer than 4,000 moves are active from this tenant; the target OneDrive
//! or site does not exist yet (unless Force).
//!
//! A kept move that an injected failure with a cause will strike makes that cause real at
//! once (see `move_faults`): the source user loses the licence, the target tenant's identity
//! map loses the entry (as after an upload of a map without it), or the target appears;
//! starting the move again needs the fix an admin would apply.

use std::time::{Duration, SystemTime};

use uuid::Uuid;

use super::content::{Group, Site, SiteKind, User, key_of};
use super::directory::Directory;
use super::move_faults::FailureCause;
use super::moves::{MAX_ACTIVE_MOVES, Move, MoveStatus, phase_step};
use crate::wire::enums::{
    ContentType, MappedGroupField, MappedUserField, Role, Scenario, VerificationStatus,
};
use crate::wire::status_codes::{Failure, FailureKind};

/// The arguments of a Start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveRequest {
    pub content_type: ContentType,
    pub source_key: String,
    pub target_key: String,
    pub target_host_url: String,
    pub preferred_begin: Option<SystemTime>,
    pub preferred_end: Option<SystemTime>,
    pub validation_only: bool,
    pub force: bool,
}

/// What a Start did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Started {
    /// The move was kept, at this index of the book.
    Kept(usize),
    /// ValidationOnly: every check passed; the move was not kept.
    Validated(Box<Move>),
}

/// Where the move would go, once the checks found it.
struct Resolved {
    source_site_url: String,
    target_site_url: String,
    target_group_id: Option<String>,
    conflict: bool,
}

impl Directory {
    pub fn start_move(
        &mut self,
        source_tenant: &str,
        request: MoveRequest,
        now: SystemTime,
        dormant_period: Duration,
        step: Duration,
    ) -> Result<Started, Failure> {
        let partner_url = self.validate_relation_arguments(
            source_tenant,
            Scenario::MnA,
            Role::Target,
            &request.target_host_url,
        )?;
        let status = self.verify(
            source_tenant,
            Scenario::MnA,
            Role::Target,
            &partner_url,
            now,
            dormant_period,
        );
        trust_allows(status, &request.target_host_url)?;
        let target_tenant = self
            .tenant_at(&partner_url)
            .expect("a GoodToProceed partner is served here")
            .to_string();
        check_dates(&request, now)?;
        let resolved = self.resolve(source_tenant, &target_tenant, &request)?;
        if let Some(latest) =
            self.moves
                .latest(source_tenant, request.content_type, &request.source_key)
            && !self.moves.get(latest).settled
        {
            let state = self.moves.get(latest).view(now).status.name();
            return Err(Failure::new(
                FailureKind::MoveAlreadyExists,
                format!(
                    "A move of '{}' is already {state}; wait for it to finish or stop it first.",
                    request.source_key
                ),
            ));
        }
        if self.moves.active_from(source_tenant) >= MAX_ACTIVE_MOVES {
            return Err(Failure::new(
                FailureKind::MoveBatchLimitExceeded,
                format!(
                    "This tenant already has {MAX_ACTIVE_MOVES} active moves, the most the service runs at once; wait for some to finish."
                ),
            ));
        }
        if resolved.conflict && !request.force {
            return Err(Failure::new(
                FailureKind::TargetSiteConflict,
                format!(
                    "The target tenant has a conflict: '{}' already exists. Remove it, or start again with -Force to overwrite it.",
                    resolved.target_site_url
                ),
            ));
        }
        let rule = self.move_faults.rule_for(&request.source_key);
        let stored = Move {
            id: Uuid::new_v4(),
            content_type: request.content_type,
            source_tenant: source_tenant.to_string(),
            target_tenant,
            source_key: request.source_key.trim().to_string(),
            target_key: request.target_key.trim().to_string(),
            source_site_url: resolved.source_site_url,
            target_site_url: resolved.target_site_url,
            target_group_id: resolved.target_group_id,
            created: now,
            preferred_begin: request.preferred_begin,
            preferred_end: request.preferred_end,
            step,
            phase_step: Some(phase_step(step, self.move_spread, &request.source_key)),
            forced: request.force,
            fails_in: rule.map(|(phase, _)| phase),
            fault_cause: rule.map(|(_, cause)| cause).unwrap_or_default(),
            stopped: None,
            settled: false,
        };
        if request.validation_only {
            return Ok(Started::Validated(Box::new(stored)));
        }
        if stored.fails_in.is_some() {
            self.bring_about(&stored);
        }
        Ok(Started::Kept(self.moves.add(stored)))
    }

    /// Makes the cause of a move's injected failure true on the tenants.
    fn bring_about(&mut self, doomed: &Move) {
        match doomed.fault_cause {
            FailureCause::Internal => {}
            FailureCause::Licence => {
                let content = &mut self
                    .tenants
                    .get_mut(&doomed.source_tenant)
                    .expect("the source of a started move")
                    .content;
                if let Some(user) = content.user(&doomed.source_key) {
                    let unlicensed = User {
                        licensed: false,
                        ..user.clone()
                    };
                    content.put_user(unlicensed);
                }
            }
            FailureCause::IdentityMapping => {
                // The entry is gone, as after an upload of a map without it.
                let group = self.tenants[&doomed.source_tenant]
                    .content
                    .group(&doomed.source_key)
                    .map(|group| group.object_id.to_string());
                if let Some(target) = self.tenants.get_mut(&doomed.target_tenant) {
                    let map = &mut target.identity_map;
                    match doomed.content_type {
                        ContentType::Odb => {
                            map.remove_users(MappedUserField::SourceUserKey, &doomed.source_key);
                        }
                        ContentType::Group => {
                            if let Some(id) = group {
                                map.remove_groups(MappedGroupField::SourceGroupObjectId, &id);
                            }
                        }
                        ContentType::RegSite => {}
                    }
                }
            }
            FailureCause::TargetConflict => self.create_target(doomed),
        }
    }

    /// Finds the source and the target of the move, with the identity map checks.
    fn resolve(
        &self,
        source_tenant: &str,
        target_tenant: &str,
        request: &MoveRequest,
    ) -> Result<Resolved, Failure> {
        let source = &self.tenants[source_tenant];
        let target = &self.tenants[target_tenant];
        let key = request.source_key.trim();
        let target_key = request.target_key.trim();
        match request.content_type {
            ContentType::Odb => {
                let user = source.content.user(key).ok_or_else(|| {
                    not_found(format!("There is no user '{key}' in this tenant."))
                })?;
                let one_drive = user.one_drive_url.clone().ok_or_else(|| {
                    not_found(format!("The user '{key}' has no OneDrive to move."))
                })?;
                if !user.licensed {
                    return Err(Failure::new(
                        FailureKind::UserNotLicensed,
                        format!(
                            "The user '{key}' is not licensed for cross-tenant migration; assign the license and try again."
                        ),
                    ));
                }
                let mapping = target.identity_map.user(key).ok_or_else(|| {
                    unmapped(format!(
                        "The user '{key}' is not in the identity map of the target tenant; add it with Add-SPOTenantIdentityMap on the target."
                    ))
                })?;
                if mapping.source_tenant_company_id != source.id {
                    return Err(unmapped(format!(
                        "The identity map of the target tenant maps '{key}' for the company {}, not for this tenant ({}).",
                        mapping.source_tenant_company_id, source.id
                    )));
                }
                if key_of(&mapping.target_user_upn) != key_of(target_key) {
                    return Err(unmapped(format!(
                        "The identity map of the target tenant maps '{key}' to '{}', not to '{target_key}'.",
                        mapping.target_user_upn
                    )));
                }
                let target_site_url = self.layout().one_drive_url(target_tenant, target_key);
                let conflict = target
                    .content
                    .user(target_key)
                    .is_some_and(|user| user.one_drive_url.is_some())
                    || target.content.site(&target_site_url).is_some();
                Ok(Resolved {
                    source_site_url: one_drive,
                    target_site_url,
                    target_group_id: None,
                    conflict,
                })
            }
            ContentType::RegSite => {
                let site = source
                    .content
                    .site(key)
                    .filter(|site| site.kind == SiteKind::Regular)
                    .ok_or_else(|| {
                        not_found(format!("There is no site '{key}' in this tenant."))
                    })?;
                let parsed = url::Url::parse(target_key).ok().filter(|url| {
                    (url.scheme() == "http" || url.scheme() == "https") && url.host().is_some()
                });
                if parsed.is_none() {
                    return Err(Failure::new(
                        FailureKind::InvalidArgument,
                        format!(
                            "The target site URL '{target_key}' is not an absolute URL.\r\nParameter name: targetContentKey"
                        ),
                    ));
                }
                Ok(Resolved {
                    source_site_url: site.url.clone(),
                    target_site_url: target_key.trim_end_matches('/').to_string(),
                    target_group_id: None,
                    conflict: target.content.site(target_key).is_some(),
                })
            }
            ContentType::Group => {
                let group = source.content.group(key).ok_or_else(|| {
                    not_found(format!(
                        "There is no group with the alias '{key}' in this tenant."
                    ))
                })?;
                let mapping = target.identity_map.group(group.object_id).ok_or_else(|| {
                    unmapped(format!(
                        "The group '{key}' ({}) is not in the identity map of the target tenant; add it with Add-SPOTenantIdentityMap on the target.",
                        group.object_id
                    ))
                })?;
                if mapping.source_tenant_company_id != source.id {
                    return Err(unmapped(format!(
                        "The identity map of the target tenant maps the group '{key}' for the company {}, not for this tenant ({}).",
                        mapping.source_tenant_company_id, source.id
                    )));
                }
                let target_site_url = self
                    .layout()
                    .site_url(target_tenant, &target_key.to_lowercase());
                let conflict = target.content.group(target_key).is_some()
                    || target.content.site(&target_site_url).is_some();
                Ok(Resolved {
                    source_site_url: group.site_url.clone(),
                    target_site_url,
                    target_group_id: Some(mapping.target_group_object_id.to_string()),
                    conflict,
                })
            }
        }
    }

    /// Stops the newest move of this key from this tenant, if it has not started yet.
    pub fn stop_move(
        &mut self,
        source_tenant: &str,
        content_type: ContentType,
        source_key: &str,
        now: SystemTime,
    ) -> Result<usize, Failure> {
        let index = self
            .moves
            .latest(source_tenant, content_type, source_key)
            .ok_or_else(|| {
                Failure::new(
                    FailureKind::MoveJobNotFound,
                    format!(
                        "There is no move of '{}' from this tenant.",
                        source_key.trim()
                    ),
                )
            })?;
        let status = self.moves.get(index).view(now).status;
        if !status.is_waiting() || self.moves.get(index).settled {
            return Err(Failure::new(
                FailureKind::MoveCannotBeStopped,
                format!(
                    "The move of '{}' is {}; a move can be stopped only before it is InProgress.",
                    source_key.trim(),
                    status.name()
                ),
            ));
        }
        self.moves.stop(index, now);
        Ok(index)
    }

    /// Settles the moves that became final by `now`; a successful one creates its target.
    /// Answers whether anything changed.
    pub fn settle_moves(&mut self, now: SystemTime) -> bool {
        let settled = self.moves.settle_due(now);
        for &index in &settled {
            let finished = self.moves.get(index).clone();
            if finished.view(now).status == MoveStatus::Success {
                self.create_target(&finished);
            }
        }
        !settled.is_empty()
    }

    /// The target OneDrive, site or group of a successful move, with the source's files.
    fn create_target(&mut self, finished: &Move) {
        let files = self
            .tenants
            .get(&finished.source_tenant)
            .and_then(|source| source.content.site(&finished.source_site_url))
            .map(|site| site.files.clone())
            .unwrap_or_default();
        let Some(target) = self.tenants.get_mut(&finished.target_tenant) else {
            return;
        };
        let content = &mut target.content;
        let url = finished.target_site_url.clone();
        match finished.content_type {
            ContentType::Odb => {
                let licensed = content
                    .user(&finished.target_key)
                    .is_none_or(|user| user.licensed);
                content.put_user(User {
                    upn: finished.target_key.clone(),
                    licensed,
                    one_drive_url: Some(url.clone()),
                });
                content.put_site(Site {
                    url,
                    kind: SiteKind::OneDrive,
                    files,
                });
            }
            ContentType::RegSite => {
                content.put_site(Site {
                    url,
                    kind: SiteKind::Regular,
                    files,
                });
            }
            ContentType::Group => {
                let object_id = finished
                    .target_group_id
                    .as_deref()
                    .and_then(|id| Uuid::parse_str(id).ok())
                    .unwrap_or_else(Uuid::new_v4);
                content.put_group(Group {
                    alias: finished.target_key.clone(),
                    object_id,
                    site_url: url.clone(),
                });
                content.put_site(Site {
                    url,
                    kind: SiteKind::GroupSite,
                    files,
                });
            }
        }
    }

    /// Forgets every move and identity map (the `/_emulator/reset` endpoint).
    pub fn clear_moves_and_maps(&mut self) {
        self.moves.clear();
        for tenant in self.tenants.values_mut() {
            tenant.identity_map.clear();
        }
    }
}

/// Moves need trust in GoodToProceed with that partner; each other status is its own error.
fn trust_allows(status: VerificationStatus, partner: &str) -> Result<(), Failure> {
    let (kind, why) = match status {
        VerificationStatus::GoodToProceed => return Ok(()),
        VerificationStatus::NotEstablished => (
            FailureKind::MoveTrustNoSetupForPartner,
            "this tenant has no MnA relation naming it as Target (New-SPOTenantOrgRelation)",
        ),
        VerificationStatus::NotEstablishedByPartner => (
            FailureKind::MoveTrustNotEstablishedByPartner,
            "the partner has not set its relation naming this tenant as Source",
        ),
        VerificationStatus::Dormant => (
            FailureKind::MoveTrustDormant,
            "this tenant's relation is still in its dormant period",
        ),
        VerificationStatus::DormantByPartner => (
            FailureKind::MoveTrustDormantByPartner,
            "the partner's relation is still in its dormant period",
        ),
        VerificationStatus::CouldNotContactPartner => (
            FailureKind::MoveTrustCouldNotContactPartner,
            "the partner could not be contacted",
        ),
    };
    Err(Failure::new(
        kind,
        format!("The trust with '{partner}' is not ready for moves: {why}."),
    ))
}

fn check_dates(request: &MoveRequest, now: SystemTime) -> Result<(), Failure> {
    if let Some(end) = request.preferred_end {
        let begin = request.preferred_begin.unwrap_or(now).max(now);
        if end <= begin {
            return Err(Failure::new(
                FailureKind::InvalidArgument,
                "PreferredMoveEndDate must be later than now and than PreferredMoveBeginDate.\r\nParameter name: preferredMoveEndDate",
            ));
        }
    }
    Ok(())
}

fn not_found(text: String) -> Failure {
    Failure::new(FailureKind::SourceNotFound, text)
}

fn unmapped(text: String) -> Failure {
    Failure::new(FailureKind::IdentityMappingNotFound, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::default_content::default_content;
    use crate::tenant::directory::tests::{BASE, trust_both_ways, two_tenants};
    use crate::tenant::host_url::HostUrl;
    use crate::tenant::move_query::MoveQuery;
    use crate::wire::enums::{MoveDirection, MoveStateFilter};

    const STEP: Duration = Duration::from_secs(1);
    const ALEX: &str = "alex@contoso.onmicrosoft.com";
    const DANA: &str = "dana@fabrikam.onmicrosoft.com";

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000 + seconds)
    }

    fn host(tenant: &str) -> String {
        format!("{BASE}/{tenant}-my/")
    }

    /// Two tenants with their default content, trust both ways, no identity map.
    fn trusted() -> Directory {
        let mut directory = two_tenants();
        for name in ["contoso", "fabrikam"] {
            let id = directory.tenant(name).unwrap().id;
            let content = default_content(directory.layout(), name, id);
            directory.tenant_mut_checked(name).unwrap().content = content;
        }
        trust_both_ways(&mut directory, at(0));
        directory
    }

    fn map_user(directory: &mut Directory, source: &str, target: &str) {
        let company = directory.tenant("contoso").unwrap().id;
        let item = format!("User,{company},{source},{target},{target},RegularUser");
        let (rejections, _) = directory
            .tenant_mut_checked("fabrikam")
            .unwrap()
            .identity_map
            .merge(&[item]);
        assert!(rejections.is_empty(), "{rejections:?}");
    }

    fn request(content_type: ContentType, source: &str, target: &str) -> MoveRequest {
        MoveRequest {
            content_type,
            source_key: source.to_string(),
            target_key: target.to_string(),
            target_host_url: host("fabrikam"),
            preferred_begin: None,
            preferred_end: None,
            validation_only: false,
            force: false,
        }
    }

    fn start(
        directory: &mut Directory,
        request: MoveRequest,
        now: SystemTime,
    ) -> Result<Started, Failure> {
        directory.start_move("contoso", request, now, Duration::ZERO, STEP)
    }

    fn kind(result: Result<Started, Failure>) -> FailureKind {
        result.unwrap_err().kind
    }

    #[test]
    fn a_user_move_runs_to_success_and_creates_the_target_one_drive() {
        let mut directory = trusted();
        map_user(&mut directory, ALEX, DANA);
        let Started::Kept(index) = start(
            &mut directory,
            request(ContentType::Odb, ALEX, DANA),
            at(10),
        )
        .unwrap() else {
            panic!("kept");
        };
        assert_eq!(directory.moves().active_from("contoso"), 1);
        assert!(!directory.settle_moves(at(15)));
        assert!(directory.settle_moves(at(17)));
        assert_eq!(
            directory.moves().get(index).view(at(17)).status,
            MoveStatus::Success
        );
        let dana = directory
            .tenant("fabrikam")
            .unwrap()
            .content
            .user(DANA)
            .unwrap()
            .clone();
        let one_drive = directory
            .tenant("fabrikam")
            .unwrap()
            .content
            .site(dana.one_drive_url.as_ref().unwrap())
            .unwrap();
        assert_eq!(one_drive.files.len(), 2, "the source files were copied");
        assert_eq!(directory.moves().active_from("contoso"), 0);
        // Moving again now conflicts with the OneDrive the first move created.
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::Odb, ALEX, DANA),
                at(20)
            )),
            FailureKind::TargetSiteConflict
        );
    }

    #[test]
    fn each_documented_failure_comes_from_the_state() {
        let mut directory = two_tenants();
        let content = default_content(
            directory.layout(),
            "contoso",
            directory.tenant("contoso").unwrap().id,
        );
        directory.tenant_mut_checked("contoso").unwrap().content = content;
        let no_trust = start(&mut directory, request(ContentType::Odb, ALEX, DANA), at(1));
        assert_eq!(kind(no_trust), FailureKind::MoveTrustNoSetupForPartner);
        let url = |t: &str| HostUrl::parse(&host(t)).unwrap();
        directory.set_relation(
            "contoso",
            Scenario::MnA,
            Role::Target,
            url("fabrikam"),
            at(0),
        );
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::Odb, ALEX, DANA),
                at(1)
            )),
            FailureKind::MoveTrustNotEstablishedByPartner
        );
        let dormant = directory.start_move(
            "contoso",
            request(ContentType::Odb, ALEX, DANA),
            at(1),
            Duration::from_secs(3600),
            STEP,
        );
        assert_eq!(kind(dormant), FailureKind::MoveTrustNotEstablishedByPartner);

        let mut directory = trusted();
        let dormant = directory.start_move(
            "contoso",
            request(ContentType::Odb, ALEX, DANA),
            at(1),
            Duration::from_secs(3600),
            STEP,
        );
        assert_eq!(kind(dormant), FailureKind::MoveTrustDormant);
        let mut outside = request(ContentType::Odb, ALEX, DANA);
        outside.target_host_url = "https://northwind-my.sharepoint.com".to_string();
        assert_eq!(
            kind(start(&mut directory, outside, at(1))),
            FailureKind::MoveTrustNoSetupForPartner
        );
        let mut admin = request(ContentType::Odb, ALEX, DANA);
        admin.target_host_url = format!("{BASE}/fabrikam-admin");
        assert_eq!(
            kind(start(&mut directory, admin, at(1))),
            FailureKind::DomainNameIsIncorrect
        );

        let unknown = request(ContentType::Odb, "zed@contoso.onmicrosoft.com", DANA);
        assert_eq!(
            kind(start(&mut directory, unknown, at(1))),
            FailureKind::SourceNotFound
        );
        let no_one_drive = request(ContentType::Odb, "dana@contoso.onmicrosoft.com", DANA);
        assert_eq!(
            kind(start(&mut directory, no_one_drive, at(1))),
            FailureKind::SourceNotFound
        );
        let unlicensed = request(ContentType::Odb, "farah@contoso.onmicrosoft.com", DANA);
        assert_eq!(
            kind(start(&mut directory, unlicensed, at(1))),
            FailureKind::UserNotLicensed
        );
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::Odb, ALEX, DANA),
                at(1)
            )),
            FailureKind::IdentityMappingNotFound
        );
        map_user(&mut directory, ALEX, DANA);
        let other_target = request(ContentType::Odb, ALEX, "emil@fabrikam.onmicrosoft.com");
        assert_eq!(
            kind(start(&mut directory, other_target, at(1))),
            FailureKind::IdentityMappingNotFound
        );
        map_user(
            &mut directory,
            "bianca@contoso.onmicrosoft.com",
            "alex@fabrikam.onmicrosoft.com",
        );
        let conflict = request(
            ContentType::Odb,
            "bianca@contoso.onmicrosoft.com",
            "alex@fabrikam.onmicrosoft.com",
        );
        assert_eq!(
            kind(start(&mut directory, conflict.clone(), at(1))),
            FailureKind::TargetSiteConflict
        );
        let forced = MoveRequest {
            force: true,
            ..conflict
        };
        assert!(matches!(
            start(&mut directory, forced, at(1)),
            Ok(Started::Kept(_))
        ));

        start(&mut directory, request(ContentType::Odb, ALEX, DANA), at(1)).unwrap();
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::Odb, ALEX, DANA),
                at(2)
            )),
            FailureKind::MoveAlreadyExists
        );
        let mut late = request(ContentType::Odb, "chen@contoso.onmicrosoft.com", DANA);
        late.preferred_end = Some(at(0));
        assert_eq!(
            kind(start(&mut directory, late, at(1))),
            FailureKind::InvalidArgument
        );
    }

    #[test]
    fn validation_only_checks_without_keeping_and_fails_like_a_start() {
        let mut directory = trusted();
        let mut validation = request(ContentType::Odb, ALEX, DANA);
        validation.validation_only = true;
        assert_eq!(
            kind(start(&mut directory, validation.clone(), at(1))),
            FailureKind::IdentityMappingNotFound
        );
        map_user(&mut directory, ALEX, DANA);
        assert!(matches!(
            start(&mut directory, validation, at(1)),
            Ok(Started::Validated(_))
        ));
        assert!(directory.moves().all().is_empty());
    }

    #[test]
    fn site_and_group_moves() {
        let mut directory = trusted();
        let source_site = directory.layout().site_url("contoso", "finance");
        let target_site = directory.layout().site_url("fabrikam", "finance-contoso");
        let taken = directory.layout().site_url("fabrikam", "finance");
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::RegSite, &source_site, &taken),
                at(1)
            )),
            FailureKind::TargetSiteConflict
        );
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::RegSite, &source_site, "not a url"),
                at(1)
            )),
            FailureKind::InvalidArgument
        );
        let one_drive = directory.layout().one_drive_url("contoso", ALEX);
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::RegSite, &one_drive, &target_site),
                at(1)
            )),
            FailureKind::SourceNotFound
        );
        start(
            &mut directory,
            request(ContentType::RegSite, &source_site, &target_site),
            at(1),
        )
        .unwrap();

        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::Group, "nope", "sales-contoso"),
                at(1)
            )),
            FailureKind::SourceNotFound
        );
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::Group, "sales", "sales-contoso"),
                at(1)
            )),
            FailureKind::IdentityMappingNotFound
        );
        let company = directory.tenant("contoso").unwrap().id;
        let sales = directory
            .tenant("contoso")
            .unwrap()
            .content
            .group("sales")
            .unwrap()
            .object_id;
        let target_id = Uuid::new_v4();
        let item = format!("Group,{company},{sales},{target_id},{target_id},O365Group");
        directory
            .tenant_mut_checked("fabrikam")
            .unwrap()
            .identity_map
            .merge(&[item]);
        assert_eq!(
            kind(start(
                &mut directory,
                request(ContentType::Group, "sales", "sales"),
                at(1)
            )),
            FailureKind::TargetSiteConflict
        );
        start(
            &mut directory,
            request(ContentType::Group, "sales", "sales-contoso"),
            at(1),
        )
        .unwrap();
        directory.settle_moves(at(100));
        let fabrikam = &directory.tenant("fabrikam").unwrap().content;
        assert_eq!(fabrikam.site(&target_site).unwrap().files.len(), 4);
        assert_eq!(
            fabrikam.group("sales-contoso").unwrap().object_id,
            target_id
        );
    }

    #[test]
    fn stop_only_before_in_progress() {
        let mut directory = trusted();
        map_user(&mut directory, ALEX, DANA);
        assert_eq!(
            directory
                .stop_move("contoso", ContentType::Odb, ALEX, at(1))
                .unwrap_err()
                .kind,
            FailureKind::MoveJobNotFound
        );
        start(
            &mut directory,
            request(ContentType::Odb, ALEX, DANA),
            at(10),
        )
        .unwrap();
        let index = directory
            .stop_move("contoso", ContentType::Odb, ALEX, at(11))
            .unwrap();
        assert_eq!(
            directory.moves().get(index).view(at(50)).status,
            MoveStatus::Stopped
        );
        assert_eq!(
            directory
                .stop_move("contoso", ContentType::Odb, ALEX, at(12))
                .unwrap_err()
                .kind,
            FailureKind::MoveCannotBeStopped
        );
        // A stopped move is no longer active: a new one may start.
        start(
            &mut directory,
            request(ContentType::Odb, ALEX, DANA),
            at(20),
        )
        .unwrap();
        directory.settle_moves(at(23));
        assert_eq!(
            directory
                .stop_move("contoso", ContentType::Odb, ALEX, at(23))
                .unwrap_err()
                .kind,
            FailureKind::MoveCannotBeStopped,
            "InProgress"
        );
        assert_eq!(
            directory
                .stop_move("contoso", ContentType::Odb, ALEX, at(40))
                .unwrap_err()
                .kind,
            FailureKind::MoveCannotBeStopped,
            "Success"
        );
    }

    #[test]
    fn injected_failures_fail_the_move_and_create_nothing() {
        let mut directory = trusted();
        map_user(&mut directory, ALEX, DANA);
        directory
            .move_faults
            .add("ALEX@contoso.onmicrosoft.com=Restore".parse().unwrap());
        let Started::Kept(index) =
            start(&mut directory, request(ContentType::Odb, ALEX, DANA), at(0)).unwrap()
        else {
            panic!("kept");
        };
        directory.settle_moves(at(100));
        let view = directory.moves().get(index).view(at(100));
        assert_eq!(view.status, MoveStatus::Failed);
        assert!(view.error.unwrap().contains("Restore"));
        assert!(
            directory
                .tenant("fabrikam")
                .unwrap()
                .content
                .user(DANA)
                .unwrap()
                .one_drive_url
                .is_none()
        );
    }

    #[test]
    fn a_failure_with_a_cause_makes_it_real_and_only_its_fix_lets_the_move_start_again() {
        let mut directory = trusted();
        let cases = [
            (
                ALEX,
                DANA,
                "Validation",
                FailureKind::IdentityMappingNotFound,
            ),
            (
                "bianca@contoso.onmicrosoft.com",
                "emil@fabrikam.onmicrosoft.com",
                "Backup",
                FailureKind::UserNotLicensed,
            ),
            (
                "chen@contoso.onmicrosoft.com",
                "chen.new@fabrikam.onmicrosoft.com",
                "Restore",
                FailureKind::TargetSiteConflict,
            ),
        ];
        let code = |kind: FailureKind| kind.wire_shape().mna_status_code.unwrap();
        for (source, target, phase, kind) in cases {
            map_user(&mut directory, source, target);
            let spec = format!("{source}={phase}:{}", code(kind));
            directory.move_faults.add(spec.parse().unwrap());
        }
        for (source, target, _, kind) in cases {
            let Started::Kept(index) = start(
                &mut directory,
                request(ContentType::Odb, source, target),
                at(0),
            )
            .unwrap() else {
                panic!("kept");
            };
            let view = directory.moves().get(index).view(at(100));
            assert_eq!(view.status, MoveStatus::Failed, "{source}");
            assert_eq!(view.error_code, Some(code(kind)), "{source}");
            assert!(view.error.unwrap().ends_with(&format!("({})", code(kind))));
        }
        directory.settle_moves(at(100));
        directory.move_faults.clear();
        // Restarting without the fix is refused for the same reason.
        for (source, target, _, kind_expected) in cases {
            assert_eq!(
                kind(start(
                    &mut directory,
                    request(ContentType::Odb, source, target),
                    at(101)
                )),
                kind_expected,
                "{source}"
            );
        }
        // The fixes: the map line again, the licence, the target cleared; then each starts.
        map_user(&mut directory, ALEX, DANA);
        let chen_target = directory
            .layout()
            .one_drive_url("fabrikam", "chen.new@fabrikam.onmicrosoft.com");
        let fabrikam = &mut directory.tenant_mut_checked("fabrikam").unwrap().content;
        assert!(fabrikam.remove_site(&chen_target));
        let contoso = &mut directory.tenant_mut_checked("contoso").unwrap().content;
        let bianca = contoso
            .user("bianca@contoso.onmicrosoft.com")
            .unwrap()
            .clone();
        contoso.put_user(User {
            licensed: true,
            ..bianca
        });
        for (source, target, _, _) in cases {
            let Started::Kept(index) = start(
                &mut directory,
                request(ContentType::Odb, source, target),
                at(102),
            )
            .unwrap() else {
                panic!("kept");
            };
            assert_eq!(
                directory.moves().get(index).view(at(200)).status,
                MoveStatus::Success
            );
        }
    }

    #[test]
    fn a_validation_only_start_makes_no_cause_real() {
        let mut directory = trusted();
        map_user(&mut directory, ALEX, DANA);
        directory
            .move_faults
            .add("*=Validation:MnAIdentityMappingNotFound".parse().unwrap());
        let mut validate = request(ContentType::Odb, ALEX, DANA);
        validate.validation_only = true;
        assert!(matches!(
            start(&mut directory, validate.clone(), at(0)),
            Ok(Started::Validated(_))
        ));
        assert!(matches!(
            start(&mut directory, validate, at(0)),
            Ok(Started::Validated(_))
        ));
    }

    #[test]
    fn four_thousand_active_moves_is_the_limit() {
        let mut directory = trusted();
        let company = directory.tenant("contoso").unwrap().id;
        let mut items = Vec::new();
        for n in 0..=MAX_ACTIVE_MOVES {
            let upn = format!("u{n}@contoso.onmicrosoft.com");
            let spec = crate::tenant::content_specs::SpecKind::User
                .parse(&upn)
                .unwrap();
            directory.apply_content(&spec).unwrap();
            items.push(format!("User,{company},{upn},t{n}@fabrikam.onmicrosoft.com,t{n}@fabrikam.onmicrosoft.com,RegularUser"));
        }
        directory
            .tenant_mut_checked("fabrikam")
            .unwrap()
            .identity_map
            .merge(&items);
        let began = std::time::Instant::now();
        for n in 0..MAX_ACTIVE_MOVES {
            let source = format!("u{n}@contoso.onmicrosoft.com");
            let target = format!("t{n}@fabrikam.onmicrosoft.com");
            start(
                &mut directory,
                request(ContentType::Odb, &source, &target),
                at(0),
            )
            .unwrap();
        }
        assert!(
            began.elapsed() < Duration::from_secs(5),
            "{:?}",
            began.elapsed()
        );
        let last = MAX_ACTIVE_MOVES;
        let over = request(
            ContentType::Odb,
            &format!("u{last}@contoso.onmicrosoft.com"),
            &format!("t{last}@fabrikam.onmicrosoft.com"),
        );
        assert_eq!(
            kind(start(&mut directory, over.clone(), at(0))),
            FailureKind::MoveBatchLimitExceeded
        );
        directory.settle_moves(at(100));
        assert!(
            start(&mut directory, over, at(100)).is_ok(),
            "finished moves free the slots"
        );
        let query = MoveQuery {
            content_type: ContentType::Odb,
            partner: None,
            source_key: None,
            move_id: None,
            state: MoveStateFilter::Success,
            direction: MoveDirection::All,
            limit: 0,
            created_from: None,
            created_until: None,
            partner_role: Role::None,
        };
        assert_eq!(
            directory.query_moves("fabrikam", &query, at(100)).len(),
            MAX_ACTIVE_MOVES
        );
    }

    #[test]
    fn every_filter_of_the_state_query() {
        let mut directory = trusted();
        map_user(&mut directory, ALEX, DANA);
        map_user(
            &mut directory,
            "bianca@contoso.onmicrosoft.com",
            "emil@fabrikam.onmicrosoft.com",
        );
        start(&mut directory, request(ContentType::Odb, ALEX, DANA), at(0)).unwrap();
        let mut later = request(
            ContentType::Odb,
            "bianca@contoso.onmicrosoft.com",
            "emil@fabrikam.onmicrosoft.com",
        );
        later.preferred_begin = Some(at(1000));
        start(&mut directory, later, at(50)).unwrap();
        let site = directory.layout().site_url("contoso", "marketing");
        let target = directory.layout().site_url("fabrikam", "m2");
        start(
            &mut directory,
            request(ContentType::RegSite, &site, &target),
            at(0),
        )
        .unwrap();
        directory.settle_moves(at(60));

        let all = MoveQuery {
            content_type: ContentType::Odb,
            partner: None,
            source_key: None,
            move_id: None,
            state: MoveStateFilter::All,
            direction: MoveDirection::All,
            limit: 0,
            created_from: None,
            created_until: None,
            partner_role: Role::None,
        };
        let count =
            |tenant: &str, query: &MoveQuery| directory.query_moves(tenant, query, at(60)).len();
        assert_eq!(count("contoso", &all), 2);
        assert_eq!(count("fabrikam", &all), 2);
        let directions: Vec<_> = directory
            .query_moves("fabrikam", &all, at(60))
            .iter()
            .map(|(_, d)| *d)
            .collect();
        assert_eq!(
            directions,
            vec![MoveDirection::MoveIn, MoveDirection::MoveIn]
        );
        let q = |change: &dyn Fn(&mut MoveQuery)| {
            let mut query = all.clone();
            change(&mut query);
            query
        };
        assert_eq!(
            count(
                "contoso",
                &q(&|q| q.source_key = Some("ALEX@contoso.onmicrosoft.com".into()))
            ),
            1
        );
        let id = directory.query_moves("contoso", &all, at(60))[1].0.id;
        assert_eq!(count("contoso", &q(&|q| q.move_id = Some(id))), 1);
        assert_eq!(
            count("contoso", &q(&|q| q.move_id = Some(Uuid::new_v4()))),
            0
        );
        assert_eq!(
            count("contoso", &q(&|q| q.state = MoveStateFilter::Success)),
            1
        );
        assert_eq!(
            count("contoso", &q(&|q| q.state = MoveStateFilter::NotStarted)),
            1
        );
        assert_eq!(
            count("contoso", &q(&|q| q.state = MoveStateFilter::Queued)),
            1
        );
        assert_eq!(
            count("contoso", &q(&|q| q.state = MoveStateFilter::InProgress)),
            0
        );
        assert_eq!(
            count("contoso", &q(&|q| q.state = MoveStateFilter::Rescheduled)),
            0
        );
        assert_eq!(
            count("contoso", &q(&|q| q.direction = MoveDirection::MoveIn)),
            0
        );
        assert_eq!(
            count("fabrikam", &q(&|q| q.direction = MoveDirection::MoveIn)),
            2
        );
        assert_eq!(count("contoso", &q(&|q| q.partner_role = Role::Source)), 0);
        assert_eq!(count("contoso", &q(&|q| q.partner_role = Role::Target)), 2);
        assert_eq!(count("contoso", &q(&|q| q.limit = 1)), 1);
        assert_eq!(count("contoso", &q(&|q| q.created_from = Some(at(10)))), 1);
        assert_eq!(count("contoso", &q(&|q| q.created_until = Some(at(10)))), 1);
        assert_eq!(
            count(
                "contoso",
                &q(&|q| q.partner = Some(Some("fabrikam".into())))
            ),
            2
        );
        assert_eq!(count("contoso", &q(&|q| q.partner = Some(None))), 0);
        assert_eq!(
            count("contoso", &q(&|q| q.content_type = ContentType::RegSite)),
            1
        );
        assert_eq!(
            count("contoso", &q(&|q| q.content_type = ContentType::Group)),
            0
        );
    }

    #[test]
    fn long_paths_after_a_rename() {
        let directory = trusted();
        let old = directory.layout().site_url("contoso", "projects");
        // Same length: only nothing exceeds (the deepest file is exactly 400).
        assert!(
            directory
                .long_paths_after_rename("contoso", &old, &old)
                .unwrap()
                .is_empty()
        );
        let one_longer = format!("{old}x");
        let found = directory
            .long_paths_after_rename("contoso", &old, &one_longer)
            .unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with(&one_longer) && found[0].chars().count() == 401);
        let much_longer = format!("{old}-after-the-merger");
        assert_eq!(
            directory
                .long_paths_after_rename("contoso", &old, &much_longer)
                .unwrap()
                .len(),
            3
        );
        let missing =
            directory.long_paths_after_rename("contoso", &format!("{old}-nope"), &much_longer);
        assert_eq!(missing.unwrap_err().kind, FailureKind::SourceNotFound);
        let bad = directory.long_paths_after_rename("contoso", &old, "projects");
        assert_eq!(bad.unwrap_err().kind, FailureKind::InvalidArgument);
    }
}
