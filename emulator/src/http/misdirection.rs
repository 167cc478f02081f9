//! Inside a rehearsal proxy tunnel: a request must be for the tunnel's own host. The proxy
//! admits `CONNECT contoso-admin.sharepoint.com:443` and then serves the tunnel as that name;
//! a request in it whose `Host` (or absolute URL) names another host is answered
//! 421 Misdirected Request, as a server that is not authoritative for a name answers, and
//! never served as the tunnel's host.

use hyper::http::uri::Authority;
use hyper::{Request, Response, StatusCode};

use super::proxy::{HTTPS_PORT, has_user_info, shown};
use super::replies::{self, Body};
use crate::tenant::real_names::RealHost;

/// Why a request inside a tunnel is not for the tunnel's host.
#[derive(Debug, PartialEq, Eq)]
pub enum Misdirection {
    /// No `Host` header (nor an absolute URL): HTTP/1.1 requires one.
    NoHost,
    /// The request names another host (shown as `host:port`).
    OtherHost(String),
}

impl Misdirection {
    /// The short reason in the request log.
    pub fn reason(&self) -> &'static str {
        match self {
            Misdirection::NoHost => "a request without a Host header",
            Misdirection::OtherHost(_) => "the request names another host than its tunnel",
        }
    }

    /// What the log shows of the host asked for.
    pub fn asked(&self) -> &str {
        match self {
            Misdirection::NoHost => "-",
            Misdirection::OtherHost(asked) => asked,
        }
    }

    /// 400 without a host, 421 Misdirected Request for another host, with an explanation.
    pub fn response(&self, tunnel: &RealHost) -> Response<Body> {
        let (status, text) = match self {
            Misdirection::NoHost => (
                StatusCode::BAD_REQUEST,
                format!(
                    "spo-emulator's rehearsal proxy: a request in the tunnel to {} has no Host header.\n",
                    tunnel.name()
                ),
            ),
            Misdirection::OtherHost(asked) => (
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "spo-emulator's rehearsal proxy: this tunnel is for {}, the request is for '{asked}'; open a tunnel to that name instead.\n",
                    tunnel.name()
                ),
            ),
        };
        replies::reply(status, replies::TEXT, text)
    }
}

/// Whether a request inside the tunnel to `tunnel` is for another host: the authority of an
/// absolute URL, else the `Host` header, must name the tunnel's host (port 443 or none).
pub fn misdirection<B>(request: &Request<B>, tunnel: &RealHost) -> Option<Misdirection> {
    let from_header;
    let authority = match request.uri().authority() {
        Some(authority) => authority,
        None => {
            let Some(value) = request.headers().get(hyper::header::HOST) else {
                return Some(Misdirection::NoHost);
            };
            from_header = value
                .to_str()
                .ok()
                .and_then(|text| text.parse::<Authority>().ok());
            match &from_header {
                Some(authority) => authority,
                None => return Some(Misdirection::OtherHost("-".to_string())),
            }
        }
    };
    let same_host = RealHost::parse(authority.host()).as_ref() == Some(tunnel);
    let same_port = matches!(authority.port_u16(), None | Some(HTTPS_PORT));
    match same_host && same_port && !has_user_info(authority) {
        true => None,
        false => Some(Misdirection::OtherHost(shown(authority))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tunnel() -> RealHost {
        RealHost::parse("contoso-admin.sharepoint.com").unwrap()
    }

    fn with_host(host: Option<&str>) -> Request<()> {
        let mut builder = Request::get("/_vti_bin/client.svc/ProcessQuery");
        if let Some(host) = host {
            builder = builder.header(hyper::header::HOST, host);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn a_request_for_the_tunnels_host_passes() {
        for host in [
            "contoso-admin.sharepoint.com",
            "contoso-admin.sharepoint.com:443",
            "Contoso-Admin.SharePoint.com.",
        ] {
            assert_eq!(
                misdirection(&with_host(Some(host)), &tunnel()),
                None,
                "{host}"
            );
        }
        let absolute = Request::get("https://contoso-admin.sharepoint.com/x")
            .header(hyper::header::HOST, "ignored.example")
            .body(())
            .unwrap();
        assert_eq!(misdirection(&absolute, &tunnel()), None);
    }

    #[test]
    fn a_request_for_another_host_is_misdirected() {
        for (host, asked) in [
            (
                "fabrikam-admin.sharepoint.com",
                "fabrikam-admin.sharepoint.com",
            ),
            ("contoso-my.sharepoint.com", "contoso-my.sharepoint.com"),
            (
                "contoso-admin.sharepoint.com:8443",
                "contoso-admin.sharepoint.com:8443",
            ),
            (
                "admin:S3cret@contoso-admin.sharepoint.com",
                "contoso-admin.sharepoint.com",
            ),
            ("bad host", "-"),
        ] {
            let found = misdirection(&with_host(Some(host)), &tunnel());
            assert_eq!(
                found,
                Some(Misdirection::OtherHost(asked.to_string())),
                "{host}"
            );
        }
        let absolute = Request::get("https://fabrikam-admin.sharepoint.com/x")
            .header(hyper::header::HOST, "contoso-admin.sharepoint.com")
            .body(())
            .unwrap();
        assert!(matches!(
            misdirection(&absolute, &tunnel()),
            Some(Misdirection::OtherHost(_))
        ));
        let missing = misdirection(&with_host(None), &tunnel()).unwrap();
        assert_eq!(missing, Misdirection::NoHost);
        assert_eq!(
            missing.response(&tunnel()).status(),
            StatusCode::BAD_REQUEST
        );
        let other = Misdirection::OtherHost("x.sharepoint.com".to_string());
        assert_eq!(
            other.response(&tunnel()).status(),
            StatusCode::MISDIRECTED_REQUEST
        );
    }
}
