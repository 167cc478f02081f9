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

use std::time::{Duration, SystemTime};

use uuid::Uuid;

use super::content::{Group, Site, SiteKind, User};
use super::directory::Directory;
use super::moves::{MAX_ACTIVE_MOVES, Move, MoveStatus};
use crate::wire::enums::{ContentType, Role, Scenario, VerificationStatus};
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
        let fails_in = self.move_faults.phase_for(&request.source_key);
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
            forced: request.force,
            fails_in,
            stopped: None,
            settled: false,
        };
        if request.validation_only {
            return Ok(Started::Validated(Box::new(stored)));
        }
        Ok(Started::Kept(self.moves.add(stored)))
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
                if !mapping.target_user_upn.eq_ignore_ascii_case(target_key) {
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
