//! The first stdout line: one JSON object with everything a client needs to talk to each
//! tenant (URLs, tokens, the sign-in accounts, the managed identity, the `--app` apps).

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;

use crate::cli::Cli;
use crate::identity::Identity;
use crate::identity::managed_identity;
use crate::identity::tokens::TokenAuthority;
use crate::tenant::Directory;
use crate::tenant::content::SiteKind;

/// The first stdout line: everything a client needs to talk to each tenant.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartupLine {
    listen: String,
    tenants: BTreeMap<String, TenantLine>,
    /// The certificate to trust: `--https`'s self-signed one, or the CA of `--proxy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate: Option<String>,
    /// `--proxy`: the proxy's URL, for `HTTPS_PROXY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy: Option<String>,
    managed_identity: ManagedIdentityLine,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    apps: BTreeMap<String, AppLine>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TenantLine {
    admin_url: String,
    host_url: String,
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    non_admin_token: Option<String>,
    tenant_id: String,
    /// The identity endpoints' base URL: `{authority}/{tenant}/oauth2/v2.0/token`.
    authority: String,
    domain: String,
    user: String,
    password: String,
    /// The SourceTenantCompanyID of identity maps: the tenant id.
    company_id: String,
    users: Vec<UserLine>,
    /// Regular site URLs (OneDrives and group sites are listed with users and groups).
    sites: Vec<String>,
    groups: Vec<GroupLine>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserLine {
    upn: String,
    licensed: bool,
    /// The OneDrive URL, null when the user has none.
    one_drive_url: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupLine {
    alias: String,
    object_id: String,
    site_url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManagedIdentityLine {
    /// `IDENTITY_ENDPOINT`.
    endpoint: String,
    /// `IDENTITY_HEADER`.
    header: String,
    client_id: String,
    tenant: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppLine {
    thumbprint: String,
    /// The one tenant the app exists in; absent when it exists in every tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<String>,
}

pub fn startup_line(
    directory: &Directory,
    tokens: &TokenAuthority,
    identity: &Identity,
    cli: &Cli,
    listen: String,
    certificate: Option<String>,
    proxy: Option<String>,
) -> String {
    let now = SystemTime::now();
    let layout = directory.layout();
    let tenants = directory
        .tenants()
        .map(|tenant| {
            let audience = layout.admin_url(&tenant.name);
            let tenant_id = tenant.id.to_string();
            let issue = |admin| tokens.issue(&audience, &tenant_id, admin, now, cli.token_lifetime);
            let account = identity
                .accounts
                .admin_of(&tenant.name)
                .expect("every tenant has an admin account");
            let line = TenantLine {
                access_token: issue(true),
                non_admin_token: cli.require_admin.then(|| issue(false)),
                admin_url: audience.clone(),
                host_url: layout.host_url(&tenant.name),
                tenant_id: tenant_id.clone(),
                authority: layout.authority(),
                domain: format!("{}{}", tenant.name, crate::identity::tenancy::DOMAIN_SUFFIX),
                user: account.upn.clone(),
                password: account.password.clone(),
                company_id: tenant_id.clone(),
                users: tenant
                    .content
                    .users()
                    .map(|user| UserLine {
                        upn: user.upn.clone(),
                        licensed: user.licensed,
                        one_drive_url: user.one_drive_url.clone(),
                    })
                    .collect(),
                sites: tenant
                    .content
                    .sites()
                    .filter(|site| site.kind == SiteKind::Regular)
                    .map(|site| site.url.clone())
                    .collect(),
                groups: tenant
                    .content
                    .groups()
                    .map(|group| GroupLine {
                        alias: group.alias.clone(),
                        object_id: group.object_id.to_string(),
                        site_url: group.site_url.clone(),
                    })
                    .collect(),
            };
            (tenant.name.clone(), line)
        })
        .collect();
    let managed = &identity.managed_identity;
    let line = StartupLine {
        listen,
        tenants,
        certificate,
        proxy,
        managed_identity: ManagedIdentityLine {
            endpoint: format!("{}{}", layout.listener_base(), managed_identity::PATH),
            header: managed.secret.clone(),
            client_id: managed.client_id.clone(),
            tenant: managed.tenant.clone(),
        },
        apps: identity
            .apps
            .iter()
            .map(|app| {
                let line = AppLine {
                    thumbprint: app.certificate.thumbprint(),
                    tenant: app.tenant.clone(),
                };
                (app.client_id.clone(), line)
            })
            .collect(),
    };
    serde_json::to_string(&line).expect("the start-up line always serializes")
}
