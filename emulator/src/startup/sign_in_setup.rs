//! The identity endpoints' start: accounts with fresh passwords, the `--app` registrations,
//! the managed identity and the `--mfa-user` switches.

use std::time::Duration;

use uuid::Uuid;

use crate::cli::Cli;
use crate::identity::Identity;
use crate::identity::apps::RegisteredApp;
use crate::identity::device_codes::DeviceCodeSettings;
use crate::identity::managed_identity::ManagedIdentity;
use crate::identity::tenancy::{Realm, TenantInfo};
use crate::identity::users::{Accounts, random_password, random_text};
use crate::tenant::Directory;
use crate::tenant::real_names::SIGN_IN_HOSTS;

/// The identity endpoints' view of the tenants, with fresh passwords, the `--app`
/// registrations and the managed identity.
pub fn identity_for(directory: &Directory, cli: &Cli) -> Result<Identity, String> {
    let layout = directory.layout();
    let mut realm = Realm::new(
        layout.listener_base(),
        directory
            .tenants()
            .map(|t| TenantInfo::new(&t.name, t.id, layout.admin_url(&t.name)))
            .collect(),
    );
    if layout.uses_real_names() {
        // Through the proxy, the endpoints answer at every cloud's sign-in host.
        realm = realm.also_at(SIGN_IN_HOSTS.iter().map(|host| format!("https://{host}")));
    }
    let accounts = Accounts::for_realm(&realm, random_password);
    let mut apps = Vec::new();
    for spec in &cli.apps {
        if let Some(tenant) = &spec.tenant
            && realm.tenant(tenant).is_none()
        {
            return Err(format!(
                "--app {}: there is no tenant '{tenant}' to bind it to",
                spec.client_id
            ));
        }
        apps.push(RegisteredApp::load(spec)?);
    }
    let managed_identity_tenant = match &cli.managed_identity_tenant {
        Some(name) if realm.tenant(name).is_some() => name.clone(),
        Some(name) => {
            return Err(format!(
                "--managed-identity-tenant: there is no tenant '{name}'"
            ));
        }
        None => realm
            .tenants()
            .first()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
    };
    let mut identity = Identity::new(
        realm,
        accounts,
        apps,
        ManagedIdentity {
            secret: random_text(24),
            client_id: Uuid::new_v4().to_string(),
            tenant: managed_identity_tenant,
        },
        cli.token_lifetime,
        DeviceCodeSettings {
            lifetime: cli.device_code_lifetime,
            interval: Duration::from_secs(cli.device_code_interval.as_secs()),
        },
    );
    identity.auto_approve_device_codes = cli.auto_approve_device_codes;
    for user in &cli.mfa_users {
        identity
            .set_mfa(user, true)
            .map_err(|refusal| format!("--mfa-user: {}", refusal.message))?;
    }
    Ok(identity)
}
