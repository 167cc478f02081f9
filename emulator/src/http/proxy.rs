//! `--proxy`: an HTTP proxy on loopback that answers for the tenants' real names itself.
//!
//! A client with `HTTPS_PROXY` pointing here asks `CONNECT contoso-admin.sharepoint.com:443`.
//! When the name is one of the emulator's (a served tenant's `<tenant>.sharepoint.com`,
//! `-admin` or `-my` host, or a sign-in host) the proxy answers 200 and then plays that
//! server: it terminates TLS with a certificate for the name from the rehearsal CA and
//! serves the requests inside the tunnel as the emulator's own, routed by the name
//! (`routes::route_on`). Any other name or port, a target with user information, and every
//! request that is not a tunnel (`GET http://...`, `GET https://...`) is refused with 403, an
//! explanation, and a line in the request log, which names the host and port only. Inside a
//! tunnel, a request for another host than the tunnel's is answered 421 (`misdirection.rs`).
//!
//! Nothing is ever forwarded: this module never opens a connection of its own.

use std::convert::Infallible;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::http::uri::{Authority, Scheme};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use super::certificate_authority::CertificateAuthority;
use super::replies::{self, Body};
use super::server::{HANDSHAKE_TIMEOUT, accept_each, serve_connection};
use crate::emulator::Emulator;
use crate::monitoring::request_log::LogEntry;
use crate::tenant::real_names::{RealHost, SIGN_IN_HOSTS, SiteHost, site_host_name};

/// The only port the real services are reached on.
pub(super) const HTTPS_PORT: u16 = 443;
/// The endpoint name of the proxy's own lines in the request log.
pub const LOG_ENDPOINT: &str = "proxy";
/// Longest requested host name the log keeps.
const LONGEST_LOGGED_HOST: usize = 300;

/// Why a request to the proxy is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A name that is neither a SharePoint host nor a sign-in host.
    NotEmulated,
    /// A SharePoint host of a tenant this emulator does not serve.
    UnknownTenant,
    /// One of our names, on another port than 443.
    NotHttpsPort,
    /// `CONNECT user:password@host:443`: credentials have no place in a tunnel's target.
    UserInfo,
    /// `GET http://...`: the real services speak HTTPS only.
    PlainHttp,
    /// `GET https://...`: HTTPS goes through a CONNECT tunnel, never fetched by the proxy.
    HttpsWithoutTunnel,
    /// A request for the proxy itself (`GET /`), not a proxy request.
    NotProxyRequest,
}

impl Refusal {
    /// The short reason in the request log.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::NotEmulated => "not an emulated host; nothing is forwarded",
            Refusal::UnknownTenant => "no such tenant here; nothing is forwarded",
            Refusal::NotHttpsPort => "only port 443 is answered; nothing is forwarded",
            Refusal::UserInfo => "user information in the target is refused; nothing is forwarded",
            Refusal::PlainHttp => "plain HTTP is refused; nothing is forwarded",
            Refusal::HttpsWithoutTunnel => {
                "https:// without a tunnel is refused, use CONNECT; nothing is forwarded"
            }
            Refusal::NotProxyRequest => "not a proxy request",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Refusal::NotProxyRequest => StatusCode::BAD_REQUEST,
            _ => StatusCode::FORBIDDEN,
        }
    }

    /// The answer's text; `answered` lists the names the proxy does answer for.
    fn explanation(self, requested: &str, answered: &[String]) -> String {
        let why = match self {
            Refusal::NotEmulated | Refusal::UnknownTenant => format!(
                "it answers only for the emulated tenants' SharePoint hosts and the sign-in hosts, itself: {}.",
                answered.join(", ")
            ),
            Refusal::NotHttpsPort => "the emulated hosts answer on port 443 only.".to_string(),
            Refusal::UserInfo => {
                "a target with user information (user:password@) is refused; name the host and port only.".to_string()
            }
            Refusal::PlainHttp => {
                "SharePoint Online and the sign-in service speak HTTPS only; use https://."
                    .to_string()
            }
            Refusal::HttpsWithoutTunnel => {
                "an HTTPS client opens a tunnel with CONNECT host:443; the proxy never fetches https:// URLs itself.".to_string()
            }
            Refusal::NotProxyRequest => {
                return "This is spo-emulator's rehearsal proxy: set HTTPS_PROXY to its address and trust its CA; do not send requests to it directly.".to_string();
            }
        };
        let what = match self {
            Refusal::PlainHttp => "a plain-HTTP request for",
            Refusal::HttpsWithoutTunnel => "a request without a tunnel for",
            _ => "a tunnel to",
        };
        format!(
            "spo-emulator's rehearsal proxy refused {what} '{requested}': {why} Nothing is forwarded."
        )
    }
}

/// The emulated host a `CONNECT host:port` asks for, or why it is refused.
pub fn admit(emulator: &Emulator, target: &Authority) -> Result<RealHost, Refusal> {
    if has_user_info(target) {
        return Err(Refusal::UserInfo);
    }
    let host = RealHost::parse(target.host()).ok_or(Refusal::NotEmulated)?;
    if let Some(tenant) = host.tenant()
        && emulator.directory().tenant(tenant).is_none()
    {
        return Err(Refusal::UnknownTenant);
    }
    if target.port_u16() != Some(HTTPS_PORT) {
        return Err(Refusal::NotHttpsPort);
    }
    Ok(host)
}

/// Serves proxy requests until the future is dropped (the emulator shuts down).
pub async fn serve(
    listener: TcpListener,
    authority: Arc<CertificateAuthority>,
    emulator: Arc<Emulator>,
) {
    accept_each(listener, |stream| {
        serve_client(stream, authority.clone(), emulator.clone())
    })
    .await;
}

async fn serve_client(
    stream: TcpStream,
    authority: Arc<CertificateAuthority>,
    emulator: Arc<Emulator>,
) {
    let service = service_fn(move |request| {
        let answer = answer(&emulator, &authority, request);
        async move { Ok::<_, Infallible>(answer) }
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades()
        .await;
}

/// Answers one request to the proxy: opens a tunnel to an emulated host, or refuses.
fn answer(
    emulator: &Arc<Emulator>,
    authority: &Arc<CertificateAuthority>,
    mut request: Request<Incoming>,
) -> Response<Body> {
    let requested = requested_host(&request);
    let admitted = if request.method() != Method::CONNECT {
        Err(match (request.uri().scheme(), request.uri().authority()) {
            (Some(scheme), Some(_)) if *scheme == Scheme::HTTPS => Refusal::HttpsWithoutTunnel,
            (_, Some(_)) => Refusal::PlainHttp,
            (_, None) => Refusal::NotProxyRequest,
        })
    } else {
        match request.uri().authority() {
            Some(target) => admit(emulator, target),
            None => Err(Refusal::NotProxyRequest),
        }
    };
    let mut entry = LogEntry {
        method: request.method().to_string(),
        tenant: "-".to_string(),
        endpoint: LOG_ENDPOINT.to_string(),
        host: Some(requested.clone()),
        ..LogEntry::default()
    };
    let host = match admitted {
        Ok(host) => host,
        Err(refusal) => {
            entry.status = refusal.status().as_u16();
            entry.refusal = Some(refusal.reason());
            emulator.log.record(&entry);
            return refused(emulator, refusal, &requested);
        }
    };
    entry.tenant = host.tenant().unwrap_or("-").to_string();
    entry.status = StatusCode::OK.as_u16();
    emulator.log.record(&entry);
    let upgrade = hyper::upgrade::on(&mut request);
    let emulator = emulator.clone();
    let authority = authority.clone();
    tokio::spawn(async move {
        if let Ok(upgraded) = upgrade.await {
            play_server(TokioIo::new(upgraded), host, &authority, emulator).await;
        }
    });
    Response::new(Body::default())
}

/// Inside an admitted tunnel: TLS as `host`, then the emulator's own HTTP.
async fn play_server<S>(
    stream: S,
    host: RealHost,
    authority: &CertificateAuthority,
    emulator: Arc<Emulator>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let name = host.name();
    let config = match authority.server_config(std::slice::from_ref(&name)) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("spo-emulator: {message}");
            return;
        }
    };
    let handshake =
        tokio::time::timeout(HANDSHAKE_TIMEOUT, TlsAcceptor::from(config).accept(stream));
    match handshake.await {
        Ok(Ok(stream)) => serve_connection(stream, emulator, Some(Arc::new(host))).await,
        Ok(Err(error)) => {
            // Most often the client does not trust the CA: say so where people look.
            emulator.log.record(&LogEntry {
                method: "TLS".to_string(),
                tenant: host.tenant().unwrap_or("-").to_string(),
                endpoint: LOG_ENDPOINT.to_string(),
                outcome: Some(format!(
                    "handshake-failed:{}",
                    error.to_string().replace(' ', "_")
                )),
                host: Some(name),
                ..LogEntry::default()
            });
        }
        Err(_) => {}
    }
}

fn refused(emulator: &Emulator, refusal: Refusal, requested: &str) -> Response<Body> {
    let answered = {
        let directory = emulator.directory();
        answered_names(directory.tenants().map(|tenant| tenant.name.as_str()))
    };
    let mut text = refusal.explanation(requested, &answered);
    text.push('\n');
    let mut response = replies::reply(refusal.status(), replies::TEXT, text);
    // Nothing more will happen on this connection: say so, and close it.
    response.headers_mut().insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    response
}

/// The host (and port) a request asked for, as the log and the answers show it.
fn requested_host(request: &Request<Incoming>) -> String {
    match request.uri().authority() {
        Some(authority) => shown(authority),
        None => shown_host_header(request),
    }
}

/// A request's `Host` header as the log shows it, `-` when there is none.
fn shown_host_header(request: &Request<Incoming>) -> String {
    request
        .headers()
        .get(hyper::header::HOST)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<Authority>().ok())
        .map_or_else(|| "-".to_string(), |authority| shown(&authority))
}

/// `host:port` of an authority, without its user information (which may hold a password),
/// printable and bounded.
pub(super) fn shown(authority: &Authority) -> String {
    let text = match authority.port() {
        Some(port) => format!("{}:{port}", authority.host()),
        None => authority.host().to_string(),
    };
    text.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(LONGEST_LOGGED_HOST)
        .collect()
}

pub(super) fn has_user_info(authority: &Authority) -> bool {
    authority.as_str().contains('@')
}

/// The names the proxy answers for, for people: each tenant's three hosts and the
/// sign-in hosts.
fn answered_names<'a>(tenants: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = tenants
        .flat_map(|tenant| {
            [SiteHost::Root, SiteHost::Admin, SiteHost::My].map(|site| site_host_name(tenant, site))
        })
        .collect();
    names.extend(SIGN_IN_HOSTS.iter().map(|host| host.to_string()));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_targets_never_carry_user_information() {
        let target: Authority = "admin:S3cret@example.com:443".parse().unwrap();
        assert!(has_user_info(&target));
        assert_eq!(shown(&target), "example.com:443");
        let plain: Authority = "example.com".parse().unwrap();
        assert!(!has_user_info(&plain));
        assert_eq!(shown(&plain), "example.com");
    }
}
