//! The identity endpoints: a local stand-in for the Microsoft identity platform v2
//! (`/{tenant}/oauth2/v2.0/devicecode` and `/token`) and for an App Service managed
//! identity endpoint, issuing the emulator's own tokens for the tenants' admin sites.
//!
//! One concept per file: tenants, scopes and resources in `tenancy`, user accounts in
//! `users`, `--app` registrations in `apps`, client assertion checks in `assertion`, the
//! device code state machine in `device_codes`, refresh tokens in `refresh_tokens`, the
//! grants of the token endpoint in `grants`, managed identity in `managed_identity`,
//! error answers in `platform_error`, and the bearer tokens every sign-in issues (and every
//! admin-site request is checked against) in `tokens`. The HTTP side is in `http/identity.rs`.

pub mod apps;
pub mod assertion;
pub mod device_codes;
pub mod grants;
pub mod managed_identity;
pub mod platform_error;
pub mod refresh_tokens;
pub mod tenancy;
pub mod tokens;
pub mod users;

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use apps::RegisteredApp;
use device_codes::{CodeRequest, DecisionError, DeviceCodeSettings, DeviceCodes};
use managed_identity::ManagedIdentity;
use refresh_tokens::RefreshTokens;
use tenancy::{Realm, Resource};
use users::{Account, Accounts};

/// What changes while the emulator runs.
#[derive(Debug, Default)]
pub struct IdentityState {
    pub device_codes: DeviceCodes,
    pub refresh_tokens: RefreshTokens,
    /// Users (lowercased UPNs) whose password sign-in answers "MFA required".
    pub mfa_users: BTreeSet<String>,
}

/// Everything the identity endpoints know.
pub struct Identity {
    pub realm: Realm,
    pub accounts: Accounts,
    pub apps: Vec<RegisteredApp>,
    pub managed_identity: ManagedIdentity,
    pub token_lifetime: Duration,
    pub device_codes: DeviceCodeSettings,
    pub auto_approve_device_codes: bool,
    state: Mutex<IdentityState>,
}

/// A refusal of a control request: HTTP status and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlRefusal {
    pub status: u16,
    pub message: String,
}

impl ControlRefusal {
    fn new(status: u16, message: impl Into<String>) -> Self {
        ControlRefusal {
            status,
            message: message.into(),
        }
    }
}

impl Identity {
    pub fn new(
        realm: Realm,
        accounts: Accounts,
        apps: Vec<RegisteredApp>,
        managed_identity: ManagedIdentity,
        token_lifetime: Duration,
        device_codes: DeviceCodeSettings,
    ) -> Self {
        Identity {
            realm,
            accounts,
            apps,
            managed_identity,
            token_lifetime,
            device_codes,
            auto_approve_device_codes: false,
            state: Mutex::new(IdentityState::default()),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, IdentityState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Requires (or stops requiring) MFA for a user's password sign-in.
    pub fn set_mfa(&self, upn: &str, required: bool) -> Result<String, ControlRefusal> {
        let account = self.account(upn)?;
        let mut state = self.state();
        if required {
            state.mfa_users.insert(account.upn.clone());
        } else {
            state.mfa_users.remove(&account.upn);
        }
        Ok(account.upn.clone())
    }

    fn account(&self, upn: &str) -> Result<&Account, ControlRefusal> {
        self.accounts.find(upn).ok_or_else(|| {
            ControlRefusal::new(
                400,
                format!(
                    "There is no user '{}'; the users are admin@<tenant>.onmicrosoft.com.",
                    platform_error::shown(upn)
                ),
            )
        })
    }

    /// The user who approves a code when no one is named: the admin of the tenant in the
    /// URL, else of the tenant whose admin site the scope names, else of the first tenant.
    pub fn default_approver(&self, request: &CodeRequest) -> Option<&Account> {
        let tenant = request
            .tenant
            .clone()
            .or_else(|| match &request.scope.resource {
                Resource::Site(name) => Some(name.clone()),
                Resource::OwnSite => None,
            })
            .or_else(|| self.realm.tenants().first().map(|t| t.name.clone()))?;
        self.accounts.admin_of(&tenant)
    }

    /// Approves the pending code `user_code` as `user` (or the default approver);
    /// answers the UPN that approved.
    pub fn approve_device_code(
        &self,
        user_code: &str,
        user: Option<&str>,
        now: SystemTime,
    ) -> Result<String, ControlRefusal> {
        let named = user
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| self.account(u))
            .transpose()?;
        let mut state = self.state();
        let request = state
            .device_codes
            .pending(user_code, now)
            .map_err(decision_refusal)?
            .request
            .clone();
        let upn = match named {
            Some(account) => account.upn.clone(),
            None => self
                .default_approver(&request)
                .ok_or_else(|| ControlRefusal::new(400, "No user can approve this code."))?
                .upn
                .clone(),
        };
        state
            .device_codes
            .approve(user_code, &upn, now)
            .map_err(decision_refusal)?;
        Ok(upn)
    }

    pub fn deny_device_code(&self, user_code: &str, now: SystemTime) -> Result<(), ControlRefusal> {
        self.state()
            .device_codes
            .deny(user_code, now)
            .map_err(decision_refusal)
    }
}

fn decision_refusal(error: DecisionError) -> ControlRefusal {
    let status = match error {
        DecisionError::Unknown => 404,
        DecisionError::Expired | DecisionError::AlreadyDecided(_) => 409,
    };
    ControlRefusal::new(status, error.describe())
}

#[cfg(test)]
pub mod tests {
    use super::apps::tests::CERT_PEM;
    use super::apps::{AppCertificate, RegisteredApp};
    use super::tenancy::tests::realm;
    use super::*;

    pub const APP: &str = "11111111-2222-3333-4444-555555555555";
    pub const BOUND_APP: &str = "22222222-2222-3333-4444-555555555555";
    pub const MI_CLIENT: &str = "33333333-2222-3333-4444-555555555555";

    /// Two tenants (contoso, fabrikam), passwords `pw-<tenant>`, an app everywhere and an
    /// app bound to contoso (both with the test certificate), managed identity in
    /// fabrikam with header secret `mi-secret`.
    pub fn identity() -> Identity {
        let realm = realm();
        let mut names = realm.tenants().iter().map(|t| t.name.clone());
        let accounts = Accounts::for_realm(&realm, || format!("pw-{}", names.next().unwrap()));
        let certificate = AppCertificate::from_pem(CERT_PEM.as_bytes()).unwrap();
        let apps = vec![
            RegisteredApp {
                client_id: APP.into(),
                tenant: None,
                certificate: certificate.clone(),
            },
            RegisteredApp {
                client_id: BOUND_APP.into(),
                tenant: Some("contoso".into()),
                certificate,
            },
        ];
        let managed_identity = ManagedIdentity {
            secret: "mi-secret".into(),
            client_id: MI_CLIENT.into(),
            tenant: "fabrikam".into(),
        };
        Identity::new(
            realm,
            accounts,
            apps,
            managed_identity,
            Duration::from_secs(3600),
            DeviceCodeSettings {
                lifetime: Duration::from_secs(900),
                interval: Duration::ZERO,
            },
        )
    }

    #[test]
    fn mfa_can_be_switched_per_user() {
        let identity = identity();
        assert_eq!(
            identity
                .set_mfa("Admin@Contoso.onmicrosoft.com", true)
                .unwrap(),
            "admin@contoso.onmicrosoft.com"
        );
        assert!(
            identity
                .state()
                .mfa_users
                .contains("admin@contoso.onmicrosoft.com")
        );
        identity
            .set_mfa("admin@contoso.onmicrosoft.com", false)
            .unwrap();
        assert!(identity.state().mfa_users.is_empty());
        assert_eq!(identity.set_mfa("nobody@x", true).unwrap_err().status, 400);
    }
}
