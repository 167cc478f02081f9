//! Start-up: load state, bind, prepare tenants and tokens, print the one-line JSON that
//! tells clients where everything is, then serve until SIGINT or SIGTERM.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use tokio::net::TcpListener;
use uuid::Uuid;

use crate::cli::Cli;
use crate::emulator::{Emulator, Settings};
use crate::faults::FaultPlan;
use crate::identity::Identity;
use crate::identity::apps::RegisteredApp;
use crate::identity::device_codes::DeviceCodeSettings;
use crate::identity::managed_identity::{self, ManagedIdentity};
use crate::identity::tenancy::{Realm, TenantInfo};
use crate::identity::users::{Accounts, random_password, random_text};
use crate::persistence;
use crate::request_log::RequestLog;
use crate::server;
use crate::stats::Stats;
use crate::tenant::{Directory, SiteLayout, Tenant};
use crate::tls;
use crate::tokens::TokenAuthority;

const DEFAULT_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0);

/// The first stdout line: everything a client needs to talk to each tenant.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartupLine {
    listen: String,
    tenants: BTreeMap<String, TenantLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate: Option<String>,
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

pub async fn run(cli: Cli) -> Result<(), String> {
    let saved = match &cli.state {
        Some(path) => persistence::load(path)?,
        None => None,
    };
    let listen = cli
        .listen
        .or_else(|| saved.as_ref().and_then(|state| state.listen()))
        .unwrap_or(DEFAULT_LISTEN);
    if !listen.ip().is_loopback() {
        return Err(format!(
            "refusing to listen on {listen}: the emulator is for this machine only; use 127.0.0.1"
        ));
    }

    let listener = TcpListener::bind(listen).await.map_err(|error| {
        format!("cannot listen on {listen}: {error} (choose another address with --listen)")
    })?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("cannot read the bound address: {error}"))?;

    let (scheme, tls_acceptor, certificate) = match (&cli.https, &cli.cert_out) {
        (true, Some(path)) => {
            let acceptor = tls::self_signed_acceptor(path)?;
            let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            ("https", Some(acceptor), Some(shown.display().to_string()))
        }
        _ => ("http", None, None),
    };

    let mut directory = Directory::new(SiteLayout::new(format!("{scheme}://{address}")));
    let tokens = match &saved {
        Some(state) => {
            for tenant in state.tenants()? {
                directory.add_tenant(tenant);
            }
            TokenAuthority::from_key(state.signing_key()?)
        }
        None => TokenAuthority::generate(),
    };
    for name in &cli.tenants {
        directory.add_tenant(Tenant {
            name: name.clone(),
            id: Uuid::new_v4(),
            relations: Vec::new(),
        });
    }
    if directory.tenants().next().is_none() {
        return Err("no tenant to serve: name at least one with --tenant NAME".to_string());
    }

    let identity = identity_for(&directory, &cli)?;

    let log_sink: Box<dyn Write + Send> = match &cli.log {
        Some(path) => Box::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|error| format!("cannot open the log {}: {error}", path.display()))?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let mut faults = FaultPlan::default();
    for spec in &cli.faults {
        faults.add(spec.clone());
    }

    let line = startup_line(
        &directory,
        &tokens,
        &identity,
        &cli,
        address.to_string(),
        certificate,
    );
    let emulator = Arc::new(Emulator {
        settings: Settings {
            dormant_period: cli.dormant_period,
            require_admin: cli.require_admin,
            state_file: cli.state.clone(),
            listen: address,
        },
        directory: Mutex::new(directory),
        tokens,
        identity,
        faults: Mutex::new(faults),
        stats: Mutex::new(Stats::default()),
        log: RequestLog::new(log_sink),
    });
    // Save at once, so the signing key behind the printed tokens is on disk before use.
    emulator.persist(&emulator.directory())?;

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write the start-up line: {error}"))?;
    drop(stdout);

    server::serve(listener, tls_acceptor, emulator, shutdown_requested()).await;
    Ok(())
}

/// The identity endpoints' view of the tenants, with fresh passwords, the `--app`
/// registrations and the managed identity.
fn identity_for(directory: &Directory, cli: &Cli) -> Result<Identity, String> {
    let layout = directory.layout();
    let realm = Realm::new(
        layout.base(),
        directory
            .tenants()
            .map(|t| TenantInfo::new(&t.name, t.id, layout.admin_url(&t.name)))
            .collect(),
    );
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

fn startup_line(
    directory: &Directory,
    tokens: &TokenAuthority,
    identity: &Identity,
    cli: &Cli,
    listen: String,
    certificate: Option<String>,
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
                authority: layout.base().to_string(),
                domain: format!("{}{}", tenant.name, crate::identity::tenancy::DOMAIN_SUFFIX),
                user: account.upn.clone(),
                password: account.password.clone(),
            };
            (tenant.name.clone(), line)
        })
        .collect();
    let managed = &identity.managed_identity;
    let line = StartupLine {
        listen,
        tenants,
        certificate,
        managed_identity: ManagedIdentityLine {
            endpoint: format!("{}{}", layout.base(), managed_identity::PATH),
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

/// Completes on Ctrl-C, or on SIGTERM where there is one.
async fn shutdown_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
