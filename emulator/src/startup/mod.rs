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
use crate::tenant::persistence;
use crate::tenant::{Directory, SiteLayout, Tenant};

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
        },
        directory: Mutex::new(directory),
        forced_compatibility: Mutex::new(forced_compatibility),
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

    server::serve(
        listener,
        tls_acceptor,
        emulator,
        shutdown::shutdown_requested(),
    )
    .await;
    Ok(())
}
