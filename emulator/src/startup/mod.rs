//! Start-up: load state, bind, prepare tenants and tokens, print the one-line JSON that
//! tells clients where everything is, then serve until SIGINT or SIGTERM (which, with
//! `--exit-with-parent`, also comes when the process that started the emulator ends).

mod exit_with_parent;
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
use crate::faults::{FaultPlan, Traffic};
use crate::http::certificate_authority::CertificateAuthority;
use crate::http::{proxy, server, tls};
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
    if cli.exit_with_parent {
        exit_with_parent::arm()?;
    }
    let saved = match &cli.state {
        Some(path) => persistence::load(path)?,
        None => None,
    };
    if let Some(state) = &saved
        && state.real_host_names() != cli.proxy
    {
        return Err(format!(
            "the state file was written {} --proxy: the URLs it keeps (sites, OneDrives, moves) have the other form; start {} --proxy or use another --state file",
            if cli.proxy { "without" } else { "with" },
            if cli.proxy { "without" } else { "with" },
        ));
    }
    let listen = cli
        .listen
        .or_else(|| saved.as_ref().and_then(|state| state.listen()))
        .unwrap_or(DEFAULT_LISTEN);
    let (listener, address) = bind_loopback(listen, "--listen").await?;
    let proxy = match cli.proxy {
        true => {
            Some(bind_loopback(cli.proxy_listen.unwrap_or(DEFAULT_LISTEN), "--proxy-listen").await?)
        }
        false => None,
    };
    let authority = match (&proxy, &cli.cert_out) {
        (Some(_), Some(path)) => {
            let authority = CertificateAuthority::generate()?;
            authority.write(path)?;
            Some(Arc::new(authority))
        }
        _ => None,
    };

    let (scheme, tls_acceptor) = match (cli.https, &cli.cert_out, &authority) {
        (true, _, Some(authority)) => ("https", Some(tls::acceptor_from(authority)?)),
        (true, Some(path), None) => ("https", Some(tls::self_signed_acceptor(path)?)),
        _ => ("http", None),
    };
    let certificate = cli
        .cert_out
        .as_ref()
        .map(|path| std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()))
        .map(|path| path.display().to_string());

    let listener_base = format!("{scheme}://{address}");
    let mut directory = Directory::new(match cli.proxy {
        true => SiteLayout::real_names(listener_base),
        false => SiteLayout::new(listener_base),
    });
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
    directory.move_spread = cli.move_spread;

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
        proxy
            .as_ref()
            .map(|(_, address)| format!("http://{address}")),
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
        traffic: Traffic::default(),
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

    let serve_listener = server::serve(listener, tls_acceptor, emulator.clone());
    let serve_proxy = async {
        match (proxy, authority) {
            (Some((listener, _)), Some(authority)) => {
                proxy::serve(listener, authority, emulator.clone()).await
            }
            _ => std::future::pending().await,
        }
    };
    tokio::select! {
        () = shutdown::shutdown_requested() => {}
        () = serve_listener => {}
        () = serve_proxy => {}
    }
    emulator.persist_if_unsaved()?;
    Ok(())
}

/// Binds a loopback address; any other address is refused: the emulator and its proxy are
/// for this machine only.
async fn bind_loopback(
    address: SocketAddr,
    flag: &str,
) -> Result<(TcpListener, SocketAddr), String> {
    if !address.ip().is_loopback() {
        return Err(format!(
            "refusing to listen on {address}: the emulator is for this machine only; use 127.0.0.1"
        ));
    }
    let listener = TcpListener::bind(address).await.map_err(|error| {
        format!("cannot listen on {address}: {error} (choose another address with {flag})")
    })?;
    let bound = listener
        .local_addr()
        .map_err(|error| format!("cannot read the bound address: {error}"))?;
    Ok((listener, bound))
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
