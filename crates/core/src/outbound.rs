//! The one HTTP client everything the server sends to an address a user typed goes through
//! (issue 31): pushes, notifications, receipt pushes, test messages and privacy-link checks.
//!
//! **The guard is in the resolver, not in a pattern.** The client's DNS resolver resolves every
//! host itself, checks **every** address it got against the [`AddressPolicy`], and hands the
//! connector exactly those addresses — so the addresses checked are the addresses connected
//! to, and a name that answers differently the second time (DNS rebinding) cannot slip past.
//! A URL whose host is an IP literal never reaches a resolver, so [`Outbound::request`] checks
//! the literal before the request exists. Redirects are never followed by the client (the
//! link check follows them itself, each hop through here again), proxies from the
//! environment are ignored, and every request has a deadline.
//!
//! Operator-configured peers (the OIDC issuer, the CPR/CVR register adapter, the SMTP relay)
//! are not user input and may well live on an internal network: they keep their own clients.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

/// Turns a host name into addresses. The system resolver in production; tests give names the
/// addresses they need (`intranet.test` → 10.0.0.5) without touching DNS.
pub trait NameResolver: Send + Sync {
    fn resolve<'a>(&'a self, host: &'a str) -> BoxFuture<'a, std::io::Result<Vec<IpAddr>>>;
}

/// The operating system's resolver.
pub struct SystemResolver;

impl NameResolver for SystemResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> BoxFuture<'a, std::io::Result<Vec<IpAddr>>> {
        Box::pin(async move {
            Ok(tokio::net::lookup_host((host, 0))
                .await?
                .map(|addr| addr.ip())
                .collect())
        })
    }
}

/// Which addresses and schemes the server may send to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressPolicy {
    /// Production: https, public addresses only.
    PublicOnly,
    /// A test deployment (`allow_http_endpoints`): http too, and loopback — for a local test
    /// peer. Private, shared, link-local, unique-local and metadata addresses stay refused.
    AllowLoopback,
}

impl AddressPolicy {
    /// The deployment's policy: loopback and http only where http endpoints are allowed.
    pub fn for_deployment(allow_http_endpoints: bool) -> AddressPolicy {
        if allow_http_endpoints {
            AddressPolicy::AllowLoopback
        } else {
            AddressPolicy::PublicOnly
        }
    }

    /// Whether the server may connect to `ip`: never to an address of this host other than
    /// loopback (a public address of our own would reach our own services).
    pub fn allows(self, ip: IpAddr) -> bool {
        match self {
            AddressPolicy::PublicOnly => is_public(ip) && !is_own_address(ip),
            AddressPolicy::AllowLoopback => {
                ip.is_loopback()
                    || embedded_v4_of(ip).is_some_and(|v4| v4.is_loopback())
                    || (is_public(ip) && !is_own_address(ip))
            }
        }
    }

    pub fn allows_scheme(self, scheme: &str) -> bool {
        scheme == "https" || (scheme == "http" && self == AddressPolicy::AllowLoopback)
    }
}

/// Whether `ip` is an address on the public internet. Refused: unspecified, loopback, private
/// (RFC 1918), shared (100.64/10), link-local (169.254/16 — the cloud metadata service lives at
/// 169.254.169.254), benchmarking, documentation, multicast, broadcast, reserved; for IPv6 also
/// unique-local (fc00::/7, e.g. fd00:ec2::254), link-local (fe80::/10), site-local, and IPv4
/// addresses embedded as mapped, compatible or NAT64 addresses, judged as the IPv4 address
/// they carry.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    let first = s[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        || (first == 0x2001 && s[1] == 0x0db8)
        // 6to4 (2002::/16) and Teredo (2001::/32) carry an IPv4 address a relay reaches.
        || first == 0x2002
        || (first == 0x2001 && s[1] == 0)
        // Local-use NAT64 (64:ff9b:1::/48), discard-only (100::/64).
        || (first == 0x64 && s[1] == 0xff9b && s[2] == 1)
        || (first == 0x100 && s[1..4] == [0, 0, 0]))
}

fn embedded_v4_of(ip: IpAddr) -> Option<Ipv4Addr> {
    match ip {
        IpAddr::V4(_) => None,
        IpAddr::V6(v6) => embedded_v4(v6),
    }
}

/// The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
/// (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[..5] == [0; 5] && (s[5] == 0xffff || (s[5] == 0 && (s[6] != 0 || s[7] > 1))) {
        return Some(tail());
    }
    if s[..4] == [0; 4] && s[4] == 0xffff && s[5] == 0 {
        return Some(tail());
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
        return Some(tail());
    }
    None
}

/// Whether `ip` is one of this host's own addresses: binding a socket to an address succeeds
/// only on an address some interface of this host holds — no interface list to keep current.
/// Where the kernel lets any address be bound (`ip_nonlocal_bind`), the test says nothing
/// and is skipped: the other rules still hold. (An address the host is reached at through
/// NAT is not on an interface; firewalling it is the deployment's part.)
fn is_own_address(ip: IpAddr) -> bool {
    let ip = embedded_v4_of(ip).map_or(ip, IpAddr::V4);
    let knob = match ip {
        IpAddr::V4(_) => "/proc/sys/net/ipv4/ip_nonlocal_bind",
        IpAddr::V6(_) => "/proc/sys/net/ipv6/ip_nonlocal_bind",
    };
    let any_binds = std::fs::read_to_string(knob).is_ok_and(|v| v.trim() == "1");
    !any_binds && std::net::UdpSocket::bind(SocketAddr::new(ip, 0)).is_ok()
}

/// Why the server would not send a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The scheme is not https (or http in a test deployment).
    #[error("scheme not allowed")]
    Scheme,
    /// The host has no address.
    #[error("unknown host")]
    UnknownHost,
    /// The host is, or resolves to, an address the policy forbids.
    #[error("address not allowed")]
    ForbiddenAddress,
}

/// How a request through [`Outbound`] failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboundError {
    /// Refused before any connection was made.
    Refused(Refusal),
    /// No answer within the deadline (connecting or the whole request).
    Timeout,
    /// The connection could not be made.
    Connect,
    /// Anything else on the way (TLS, a broken connection, a malformed answer).
    Other(String),
}

impl OutboundError {
    /// What a delivery attempt and the message log say (Danish, as the portal shows it).
    pub fn danish(&self) -> String {
        use adgang_api_types::words::delivery;
        match self {
            OutboundError::Refused(Refusal::ForbiddenAddress) => delivery::INTERNAL_ADDRESS.da,
            OutboundError::Refused(Refusal::Scheme) => delivery::NOT_HTTPS.da,
            OutboundError::Refused(Refusal::UnknownHost) => delivery::UNKNOWN_HOST.da,
            OutboundError::Timeout => delivery::TIMEOUT.da,
            OutboundError::Connect => delivery::NO_CONNECTION.da,
            OutboundError::Other(why) => return delivery::NETWORK_ERROR.da_with(&[why]),
        }
        .to_owned()
    }

    fn of(err: &reqwest::Error) -> OutboundError {
        // The resolver's refusal travels as the source of a connect error.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = source {
            if let Some(refusal) = e.downcast_ref::<Refusal>() {
                return OutboundError::Refused(*refusal);
            }
            source = e.source();
        }
        if err.is_timeout() {
            OutboundError::Timeout
        } else if err.is_connect() {
            OutboundError::Connect
        } else {
            OutboundError::Other(err.to_string())
        }
    }
}

/// The client's resolver: resolves, checks every address, hands on exactly those.
struct GuardedResolver {
    policy: AddressPolicy,
    resolver: Arc<dyn NameResolver>,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.policy;
        let resolver = self.resolver.clone();
        let host = name.as_str().to_owned();
        type BoxError = Box<dyn std::error::Error + Send + Sync>;
        Box::pin(async move {
            let refused = |why: Refusal| -> BoxError { Box::new(why) };
            let ips = resolver
                .resolve(&host)
                .await
                .map_err(|_| refused(Refusal::UnknownHost))?;
            if ips.is_empty() {
                return Err(refused(Refusal::UnknownHost));
            }
            // One forbidden address refuses the name: the connector may not pick a "good"
            // one while a resolver under an attacker's control offers an internal one.
            if ips.iter().any(|ip| !policy.allows(*ip)) {
                return Err(refused(Refusal::ForbiddenAddress));
            }
            let addrs: reqwest::dns::Addrs =
                Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// How long the server waits for the other side.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// Establishing the connection (TCP and TLS).
    pub connect: Duration,
    /// The whole request, answer included, unless the request sets its own.
    pub request: Duration,
}

impl Default for Deadlines {
    /// Issue 31: connect ≤ 5 s, a whole push ≤ 30 s.
    fn default() -> Self {
        Deadlines {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(30),
        }
    }
}

/// The guarded outbound client (cheap to clone: one connection pool).
#[derive(Clone)]
pub struct Outbound {
    client: reqwest::Client,
    policy: AddressPolicy,
}

impl Outbound {
    pub fn new(
        policy: AddressPolicy,
        resolver: Arc<dyn NameResolver>,
        deadlines: Deadlines,
    ) -> Outbound {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { policy, resolver }))
            .connect_timeout(deadlines.connect)
            .timeout(deadlines.request)
            .user_agent("Administrativ-Adgang/1")
            .build()
            .expect("building the outbound HTTP client");
        Outbound { client, policy }
    }

    /// A request to `url`, or why not: the scheme and an IP-literal host are checked here (a
    /// literal is never resolved), a name when the connection is made.
    pub fn request(
        &self,
        method: reqwest::Method,
        url: &url::Url,
    ) -> Result<reqwest::RequestBuilder, OutboundError> {
        if !self.policy.allows_scheme(url.scheme()) {
            return Err(OutboundError::Refused(Refusal::Scheme));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
            None => return Err(OutboundError::Refused(Refusal::UnknownHost)),
        };
        if literal.is_some_and(|ip| !self.policy.allows(ip)) {
            return Err(OutboundError::Refused(Refusal::ForbiddenAddress));
        }
        Ok(self.client.request(method, url.clone()))
    }

    /// Sends a request made by [`Outbound::request`], its failure classified.
    pub async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, OutboundError> {
        request.send().await.map_err(|err| OutboundError::of(&err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn issue_31_internal_addresses_are_refused_in_both_policies() {
        for internal in [
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "10.0.0.5",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "198.18.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.5",
            "64:ff9b::a00:5",
            "64:ff9b:1::a00:5",
            "::ffff:0:7f00:1",
            "2002:7f00:1::",
            "2001:0:4136:e378::1",
            "100::1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(internal)), "{internal}");
            assert!(
                !AddressPolicy::PublicOnly.allows(ip(internal)),
                "{internal}"
            );
            let loopback = ip(internal).is_loopback()
                || embedded_v4_of(ip(internal)).is_some_and(|v4| v4.is_loopback());
            assert_eq!(
                AddressPolicy::AllowLoopback.allows(ip(internal)),
                loopback,
                "{internal}"
            );
        }
        for public in ["93.184.216.34", "8.8.8.8", "2a00:1450:4001:80b::200e"] {
            assert!(is_public(ip(public)), "{public}");
        }
    }

    #[test]
    fn issue_31_the_hosts_own_addresses_are_its_own() {
        assert!(is_own_address(ip("127.0.0.1")));
        assert!(!is_own_address(ip("93.184.216.34")));
    }
}
