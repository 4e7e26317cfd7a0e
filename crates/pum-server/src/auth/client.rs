//! Who is at the other end of a request: the client address (trusting `X-Forwarded-For` only
//! from configured proxies, read from the right) and whether they came over https.

use std::net::IpAddr;

use actix_web::HttpMessage as _;
use actix_web::dev::ServiceRequest;
use actix_web::http::header::HeaderMap;

/// The client of a request, stored in its extensions by the auth middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientInfo {
    /// The client's address.
    pub(crate) ip: Option<IpAddr>,
    /// Whether the client used https (directly, or per a trusted proxy).
    pub(crate) https: bool,
}

impl ClientInfo {
    /// The address as text, for the event log and sessions.
    pub(crate) fn ip_text(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

/// Works out the client of `req`.
pub(crate) fn client_info(req: &ServiceRequest, trusted: &[ipnet::IpNet]) -> ClientInfo {
    let peer = req.peer_addr().map(|addr| addr.ip());
    // Not `connection_info().scheme()`: that believes X-Forwarded-Proto from anyone.
    let direct_https = req.app_config().secure();
    resolve(peer, req.headers(), trusted, direct_https)
}

/// The client behind `peer`: walking `X-Forwarded-For` from the right, every hop that is a
/// trusted proxy is skipped; the first one that is not is the client.
pub(crate) fn resolve(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[ipnet::IpNet],
    direct_https: bool,
) -> ClientInfo {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let Some(peer) = peer.map(canonical) else {
        return ClientInfo {
            ip: None,
            https: direct_https,
        };
    };
    if !is_trusted(&peer) {
        return ClientInfo {
            ip: Some(peer),
            https: direct_https,
        };
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok().map(canonical))
        .collect();
    let client = forwarded
        .iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer);
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    ClientInfo {
        ip: Some(client),
        https: https || direct_https,
    }
}

/// `::ffff:1.2.3.4` is `1.2.3.4`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

/// The client info stored on a request, or a blank one.
pub(crate) fn of(req: &actix_web::HttpRequest) -> ClientInfo {
    req.extensions()
        .get::<ClientInfo>()
        .cloned()
        .unwrap_or(ClientInfo {
            ip: None,
            https: false,
        })
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(
            HeaderName::from_static("x-forwarded-for"),
            HeaderValue::from_str(xff).unwrap_or(HeaderValue::from_static("")),
        );
        map
    }

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy_and_is_read_from_the_right() {
        let proxies: Vec<ipnet::IpNet> = vec!["127.0.0.1/32".parse().unwrap_or_default()];
        let from_proxy = resolve(
            ip("127.0.0.1"),
            &headers("6.6.6.6, 203.0.113.9"),
            &proxies,
            false,
        );
        assert_eq!(
            from_proxy.ip,
            ip("203.0.113.9"),
            "the spoofable leftmost entry is ignored"
        );
        let spoofed = resolve(ip("198.51.100.7"), &headers("203.0.113.9"), &proxies, false);
        assert_eq!(
            spoofed.ip,
            ip("198.51.100.7"),
            "an untrusted peer is the client"
        );
        let none = resolve(ip("127.0.0.1"), &HeaderMap::new(), &proxies, false);
        assert_eq!(none.ip, ip("127.0.0.1"));
        let mapped = resolve(ip("::ffff:10.1.2.3"), &HeaderMap::new(), &[], false);
        assert_eq!(mapped.ip, ip("10.1.2.3"));
    }
}
