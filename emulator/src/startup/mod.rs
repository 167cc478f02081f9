//! Start-up: load state, bind, prepare tenants and tokens, print the one-line JSON that
//! tells clients where everything is, then serve until SIGINT or SIGTERM.

mod shutdown;
mod sign_in_setup;
mod startup_line;

use std::fs::OpenOptions;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use uuid::Uuid;

use crate::cli::Cli;
use crate::emulator::{Emulator, Settings};
use crate::faults::FaultPlan;
use crate::http::{server, tls};
use crate::identity::tokens::TokenAuthority;
use crate::monitoring::request_log::RequestLog;
use crate::monitoring::stats::Stats;
use crate::tenant::compatibility::ForcedCompatibility;
use crate::tenant::content::Content;
use crate::tenant::default_content::default_content;
use crate::tenant::persistence;
use crate::tenant::{Directory, SiteLayout, Tenant};

/// How often the writer task saves maps and moves changed since the last write.
const STATE_WRITE_INTERVAL: std::time::Duration = std::time::Duration::from_millis(200);

const DEFAULT_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0);

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
    let mut needs_content: Vec<String> = Vec::new();
    let tokens = match &saved {
        Some(state) => {
            for tenant in state.tenants()? {
                directory.add_tenant(tenant);
            }
            directory.restore_moves(state.moves());
            needs_content = state.tenants_without_content();
            TokenAuthority::from_key(state.signing_key()?)
        }
        None => TokenAuthority::generate(),
    };
    for name in &cli.tenants {
        if directory.tenant(name).is_none() {
            needs_content.push(name.clone());
        }
        directory.add_tenant(Tenant::new(name.clone(), Uuid::new_v4()));
    }
    if directory.tenants().next().is_none() {
        return Err("no tenant to serve: name at least one with --tenant NAME".to_string());
    }
    let initial_content = initial_content(&directory, &cli)?;
    for name in needs_content {
        if let (Some(tenant), Some(content)) = (
            directory.tenant_mut_checked(&name),
            initial_content.get(&name),
        ) {
            tenant.content = content.clone();
        }
    }
    // Content from the options is added to saved content too (it may have been lost).
    for spec in content_specs(&cli) {
        directory.apply_content(spec)?;
    }
    for fault in &cli.move_faults {
        directory.move_faults.add(fault.clone());
    }

    let identity = sign_in_setup::identity_for(&directory, &cli)?;

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
    let mut forced_compatibility = ForcedCompatibility::default();
    for answer in &cli.compatibility {
        if directory.tenant(&answer.tenant).is_none() {
            return Err(format!(
                "--compatibility {answer}: there is no tenant '{}'",
                answer.tenant
            ));
        }
        forced_compatibility.force(answer.clone());
    }

    let line = startup_line::startup_line(
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
            move_step: cli.move_step,
            identity_map_uploads: cli.identity_map_uploads,
            initial_content,
        },
        directory: Mutex::new(directory),
        forced_compatibility: Mutex::new(forced_compatibility),
        tokens,
        identity,
        faults: Mutex::new(faults),
        stats: Mutex::new(Stats::default()),
        log: RequestLog::new(log_sink),
        unsaved: std::sync::atomic::AtomicBool::new(false),
    });
    // Save at once, so the signing key behind the printed tokens is on disk before use.
    emulator.persist(&emulator.directory())?;

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write the start-up line: {error}"))?;
    drop(stdout);

    if emulator.settings.state_file.is_some() {
        let writer = emulator.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(STATE_WRITE_INTERVAL);
            loop {
                ticks.tick().await;
                if let Err(message) = writer.persist_if_unsaved() {
                    eprintln!("spo-emulator: warning: {message}");
                }
            }
        });
    }

    server::serve(
        listener,
        tls_acceptor,
        emulator.clone(),
        shutdown::shutdown_requested(),
    )
    .await;
    emulator.persist_if_unsaved()?;
    Ok(())
}

/// Each tenant's content as the options define it: the default population (unless
/// `--no-default-content`) plus `--user`, `--site` and `--group`.
fn initial_content(
    directory: &Directory,
    cli: &Cli,
) -> Result<std::collections::BTreeMap<String, Content>, String> {
    let mut scratch = Directory::new(directory.layout().clone());
    for tenant in directory.tenants() {
        let mut fresh = Tenant::new(tenant.name.clone(), tenant.id);
        if !cli.no_default_content {
            fresh.content = default_content(directory.layout(), &tenant.name, tenant.id);
        }
        scratch.add_tenant(fresh);
    }
    for spec in content_specs(cli) {
        scratch.apply_content(spec)?;
    }
    Ok(scratch
        .tenants()
        .map(|tenant| (tenant.name.clone(), tenant.content.clone()))
        .collect())
}

fn content_specs(cli: &Cli) -> impl Iterator<Item = &crate::tenant::content_specs::ContentSpec> {
    cli.users
        .iter()
        .map(|spec| &spec.0)
        .chain(cli.sites.iter().map(|spec| &spec.0))
        .chain(cli.groups.iter().map(|spec| &spec.0))
}
