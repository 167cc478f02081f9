//! Command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::faults::FaultSpec;
use crate::identity::apps::AppSpec;
use crate::tenant::compatibility::ForcedAnswer;
use crate::tenant::content_specs::{GroupSpec, SiteSpec, UserSpec};
use crate::tenant::identity_map::Uploads;
use crate::tenant::move_faults::MoveFault;

/// A local fake of the SharePoint Online tenant admin endpoint (CSOM ProcessQuery) for
/// rehearsing cross-tenant trust. Prints one JSON line with URLs and tokens, then serves
/// until interrupted. Never talks to a real tenant.
#[derive(Debug, Parser)]
#[command(name = "spo-emulator", version)]
#[command(group(clap::ArgGroup::new("serves_tls").args(["https", "proxy"]).multiple(true)))]
pub struct Cli {
    /// Loopback address to listen on; port 0 picks a free port. Default: the address saved
    /// in --state (so URLs and tokens stay the same), else 127.0.0.1:0.
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,

    /// A tenant to serve (letters and digits, like the real tenant names); repeat for more.
    #[arg(long = "tenant", value_name = "NAME", value_parser = parse_tenant_name)]
    pub tenants: Vec<String>,

    /// How long a new relation stays dormant, e.g. 7d, 90s, 0s.
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = humantime::parse_duration)]
    pub dormant_period: Duration,

    /// Keep tenants, relations and the token key in this file across restarts.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Write the request log to this file (appending) instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 and localhost.
    #[arg(long, requires = "cert_out")]
    pub https: bool,

    /// Where to write the certificate (PEM) that clients should trust: the self-signed one
    /// of --https, or the rehearsal CA of --proxy. Needs one of them.
    #[arg(long, value_name = "FILE.pem", requires = "serves_tls")]
    pub cert_out: Option<PathBuf>,

    /// Refuse non-admin tokens with 403; a non-admin token per tenant is then printed too.
    #[arg(long)]
    pub require_admin: bool,

    /// How long tokens stay valid, printed and issued alike, e.g. 1h, 30s.
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = humantime::parse_duration)]
    pub token_lifetime: Duration,

    /// Inject a fault, KIND[:key=value]... (429, 503, latency:ms=N, drop, html, truncated,
    /// not-json; keys retry-after=S, count=N, tenant=NAME; 429/503 under load only with
    /// in-flight=N (more than N of a tenant's requests being answered) and/or rps=R (more
    /// than R a second, with RateLimit-* headers from 80%); latency jitter=MS). Repeatable.
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<FaultSpec>,

    /// How long device codes stay valid, e.g. 15m, 30s.
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    pub device_code_lifetime: Duration,

    /// The polling interval that device code answers ask for (whole seconds), e.g. 5s, 1s,
    /// 0s.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = humantime::parse_duration)]
    pub device_code_interval: Duration,

    /// Approve every device code as soon as it is issued (as the tenant's admin), for demos.
    #[arg(long)]
    pub auto_approve_device_codes: bool,

    /// Password sign-in of this user answers "MFA required" (AADSTS50076), e.g.
    /// admin@contoso.onmicrosoft.com. Repeatable.
    #[arg(long = "mfa-user", value_name = "USER")]
    pub mfa_users: Vec<String>,

    /// Register an app for certificate sign-in: CLIENTID=CERT.pem (an RSA certificate; the
    /// app exists in every tenant) or CLIENTID=CERT.pem@TENANT (that tenant only).
    /// Repeatable.
    #[arg(long = "app", value_name = "CLIENTID=CERT.pem[@TENANT]")]
    pub apps: Vec<AppSpec>,

    /// Force the compatibility check's answer for this (source) tenant: TENANT=Warning or
    /// TENANT=Incompatible (or Compatible). Repeatable; changeable at run time through
    /// /_emulator/compatibility.
    #[arg(long = "compatibility", value_name = "TENANT=RESULT")]
    pub compatibility: Vec<ForcedAnswer>,

    /// The clock step of content moves: each state and phase lasts this long (e.g. 2s,
    /// 100ms); 0s makes a move finish by the next read.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = humantime::parse_duration)]
    pub move_step: Duration,

    /// How much longer than --move-step each InProgress phase of a move may last, as a
    /// multiple of the step (e.g. 3: between 1 and 4 steps), by a fraction fixed per source
    /// key, so the moves of a wave finish at different times; 0 (the default): one step each.
    #[arg(long, value_name = "FACTOR", default_value = "0", value_parser = parse_spread)]
    pub move_spread: f64,

    /// Make moves fail half-way through a phase: KEY=PHASE[:CAUSE], KEY a source UPN, site
    /// URL or group alias (or * for every move), PHASE Validation, Backup, Restore or
    /// Cleanup, CAUSE the error code the failed move carries: MnAMoveFailed (the default),
    /// MnAIdentityMappingNotFound, MnAUserNotLicensed or MnATargetSiteConflict (the cause is
    /// made real when the move starts). Repeatable; changeable at run time through
    /// /_emulator/move-faults.
    #[arg(long = "move-fault", value_name = "KEY=PHASE[:CAUSE]")]
    pub move_faults: Vec<MoveFault>,

    /// Add a user: UPN[,unlicensed][,no-onedrive][=PATH;PATH...] (the tenant is the UPN's
    /// <tenant>.onmicrosoft.com domain; the paths are the OneDrive's files). Repeatable.
    #[arg(long = "user", value_name = "UPN[,FLAGS][=FILES]")]
    pub users: Vec<UserSpec>,

    /// Add a site with files: TENANT:NAME[=PATH;PATH...] (at /<tenant>/sites/<name>). Repeatable.
    #[arg(long = "site", value_name = "TENANT:NAME[=FILES]")]
    pub sites: Vec<SiteSpec>,

    /// Add a Microsoft 365 group and its site: TENANT:ALIAS[=PATH;PATH...]. Repeatable.
    #[arg(long = "group", value_name = "TENANT:ALIAS[=FILES]")]
    pub groups: Vec<GroupSpec>,

    /// Start tenants without their default users, sites and groups.
    #[arg(long)]
    pub no_default_content: bool,

    /// What an identity map upload (each AddOrUpdateTenantIdentityMap request) does to the
    /// target tenant's map: replace it, as Microsoft's guide says, or merge into it by source
    /// key, as this emulator did before.
    #[arg(long, value_name = "MODE", value_enum, default_value_t = Uploads::Replace)]
    pub identity_map_uploads: Uploads,

    /// The tenant the managed identity belongs to; default: the first tenant by name.
    #[arg(long, value_name = "NAME", value_parser = parse_tenant_name)]
    pub managed_identity_tenant: Option<String>,

    // Rehearsing a production script unchanged (issue 21).
    /// Also run a proxy on loopback (for HTTPS_PROXY) that answers for the tenants' real
    /// names (contoso.sharepoint.com, contoso-admin.sharepoint.com,
    /// contoso-my.sharepoint.com) and the sign-in hosts, itself, with certificates from a CA
    /// made at start and written to --cert-out. Every URL handed out is then the real one.
    /// Every other host, and plain HTTP, is refused: nothing is ever forwarded.
    #[arg(long, requires = "cert_out")]
    pub proxy: bool,

    /// The proxy's loopback address; port 0 picks a free port. Default: 127.0.0.1:0.
    #[arg(long, value_name = "ADDR:PORT", requires = "proxy")]
    pub proxy_listen: Option<SocketAddr>,

    /// Stop (as on SIGTERM) when the process that started the emulator ends, even if it was
    /// killed without a chance to stop it (Linux only).
    #[arg(long)]
    pub exit_with_parent: bool,
}

/// A move spread: a finite factor from 0 to 100.
fn parse_spread(raw: &str) -> Result<f64, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|factor| factor.is_finite() && (0.0..=100.0).contains(factor))
        .ok_or_else(|| format!("'{raw}' is not a spread factor from 0 to 100, e.g. 3"))
}

/// Tenant names are what appears before `-admin.sharepoint.com`: letters and digits.
pub fn parse_tenant_name(raw: &str) -> Result<String, String> {
    let name = raw.trim().to_ascii_lowercase();
    if name.is_empty() || name.len() > 63 {
        return Err("a tenant name has 1 to 63 characters".to_string());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "'{raw}' is not a tenant name: use only letters and digits"
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_and_repeats() {
        let cli = Cli::try_parse_from([
            "spo-emulator",
            "--tenant",
            "Contoso",
            "--tenant",
            "fabrikam",
            "--fault",
            "429:count=1",
            "--fault",
            "drop",
        ])
        .unwrap();
        assert_eq!(cli.tenants, vec!["contoso", "fabrikam"]);
        assert_eq!(cli.dormant_period, Duration::from_secs(7 * 24 * 3600));
        assert_eq!(cli.token_lifetime, Duration::from_secs(3600));
        assert_eq!(cli.listen, None);
        assert_eq!(cli.faults.len(), 2);
        assert_eq!(cli.device_code_lifetime, Duration::from_secs(900));
        assert_eq!(cli.device_code_interval, Duration::from_secs(5));
        assert!(!cli.auto_approve_device_codes);
        assert!(cli.mfa_users.is_empty() && cli.apps.is_empty());
        assert_eq!(cli.managed_identity_tenant, None);
        assert!(cli.compatibility.is_empty());
        assert_eq!(cli.move_step, Duration::from_secs(2));
        assert_eq!(cli.move_spread, 0.0);
        assert!(cli.move_faults.is_empty() && cli.users.is_empty() && !cli.no_default_content);
        assert_eq!(cli.identity_map_uploads, Uploads::Replace);
        assert!(!cli.exit_with_parent);
    }

    #[test]
    fn migration_flags() {
        let cli = Cli::try_parse_from([
            "spo-emulator",
            "--tenant",
            "contoso",
            "--move-step",
            "0s",
            "--move-fault",
            "alex@contoso.onmicrosoft.com=Restore",
            "--move-fault",
            "*=backup",
            "--move-fault",
            "chen@contoso.onmicrosoft.com=Validation:MnAUserNotLicensed",
            "--move-spread",
            "2.5",
            "--user",
            "gus@contoso.onmicrosoft.com,unlicensed",
            "--site",
            "contoso:legal=a.docx;b/c.docx",
            "--group",
            "contoso:team",
            "--no-default-content",
            "--identity-map-uploads",
            "merge",
        ])
        .unwrap();
        assert_eq!(cli.identity_map_uploads, Uploads::Merge);
        assert_eq!(cli.move_step, Duration::ZERO);
        assert_eq!(cli.move_faults.len(), 3);
        assert_eq!(cli.move_spread, 2.5);
        assert_eq!(
            (cli.users.len(), cli.sites.len(), cli.groups.len()),
            (1, 1, 1)
        );
        assert!(cli.no_default_content);
        for bad in [
            vec!["spo-emulator", "--move-fault", "alex=Soon"],
            vec!["spo-emulator", "--move-fault", "alex=Backup:Gremlins"],
            vec!["spo-emulator", "--move-spread", "-1"],
            vec!["spo-emulator", "--move-spread", "NaN"],
            vec!["spo-emulator", "--user", "gus"],
            vec!["spo-emulator", "--site", "legal"],
            vec!["spo-emulator", "--move-step", "fast"],
            vec!["spo-emulator", "--identity-map-uploads", "append"],
        ] {
            assert!(Cli::try_parse_from(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn compatibility_flags() {
        let cli = Cli::try_parse_from([
            "spo-emulator",
            "--tenant",
            "contoso",
            "--compatibility",
            "Contoso=Warning",
            "--compatibility",
            "fabrikam=incompatible",
        ])
        .unwrap();
        let forced: Vec<String> = cli.compatibility.iter().map(|a| a.to_string()).collect();
        assert_eq!(forced, vec!["contoso=Warning", "fabrikam=Incompatible"]);
    }

    #[test]
    fn identity_flags() {
        let cli = Cli::try_parse_from([
            "spo-emulator",
            "--tenant",
            "contoso",
            "--device-code-lifetime",
            "2s",
            "--device-code-interval",
            "0s",
            "--auto-approve-device-codes",
            "--mfa-user",
            "admin@contoso.onmicrosoft.com",
            "--app",
            "11111111-2222-3333-4444-555555555555=app.pem",
            "--app",
            "21111111-2222-3333-4444-555555555555=app.pem@Contoso",
            "--managed-identity-tenant",
            "Contoso",
        ])
        .unwrap();
        assert_eq!(cli.device_code_lifetime, Duration::from_secs(2));
        assert_eq!(cli.device_code_interval, Duration::ZERO);
        assert!(cli.auto_approve_device_codes);
        assert_eq!(cli.mfa_users, vec!["admin@contoso.onmicrosoft.com"]);
        assert_eq!(cli.apps.len(), 2);
        assert_eq!(cli.apps[1].tenant.as_deref(), Some("contoso"));
        assert_eq!(cli.managed_identity_tenant.as_deref(), Some("contoso"));
        assert!(Cli::try_parse_from(["spo-emulator", "--app", "x"]).is_err());
    }

    #[test]
    fn bad_usage_is_refused() {
        for arguments in [
            vec!["spo-emulator", "--tenant", "con-toso"],
            vec!["spo-emulator", "--https"],
            vec!["spo-emulator", "--cert-out", "x.pem"],
            vec!["spo-emulator", "--dormant-period", "soon"],
            vec!["spo-emulator", "--fault", "teapot"],
            vec!["spo-emulator", "--listen", "localhost"],
            vec!["spo-emulator", "--compatibility", "contoso"],
            vec!["spo-emulator", "--compatibility", "contoso=Maybe"],
        ] {
            assert!(Cli::try_parse_from(&arguments).is_err(), "{arguments:?}");
        }
    }

    #[test]
    fn proxy_flags() {
        let cli = Cli::try_parse_from([
            "spo-emulator",
            "--proxy",
            "--cert-out",
            "ca.pem",
            "--proxy-listen",
            "127.0.0.1:8888",
        ])
        .unwrap();
        assert!(cli.proxy && !cli.https);
        assert_eq!(cli.proxy_listen, Some("127.0.0.1:8888".parse().unwrap()));
        let both =
            Cli::try_parse_from(["spo-emulator", "--proxy", "--https", "--cert-out", "ca.pem"])
                .unwrap();
        assert!(both.proxy && both.https);
        for bad in [
            vec!["spo-emulator", "--proxy"],
            vec!["spo-emulator", "--proxy-listen", "127.0.0.1:8888"],
            vec![
                "spo-emulator",
                "--proxy",
                "--cert-out",
                "ca.pem",
                "--proxy-listen",
                "x",
            ],
        ] {
            assert!(Cli::try_parse_from(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn zero_dormant_period_is_allowed() {
        let cli = Cli::try_parse_from(["spo-emulator", "--dormant-period", "0s"]).unwrap();
        assert_eq!(cli.dormant_period, Duration::ZERO);
    }
}
