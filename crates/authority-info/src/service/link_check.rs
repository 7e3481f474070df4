//! INFO-01: "Afprøv link" — the server fetches the authority's privacy-policy link and reports
//! what came back, without ever reaching an internal address (server-side request forgery).
//!
//! Every hop (the link and at most three redirects) is parsed again, its host resolved by us,
//! **every** resolved address checked, and the connection pinned to exactly those addresses
//! (`resolve_to_addrs`, with a DNS resolver that refuses anything else), so a name that answers
//! differently the second time (DNS rebinding) cannot redirect the connection. Redirects are
//! never followed by the HTTP client itself.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use adgang_api_types::{LinkCheck, LinkProblem};
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

/// Which addresses and schemes a check may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressPolicy {
    /// Production: https, public addresses only.
    PublicOnly,
    /// A test deployment (`allow_http_endpoints`): http too, and loopback — for a local test
    /// server. Private, link-local, unique-local and metadata addresses stay refused.
    AllowLoopback,
}

/// How link checks run (app data of the module).
#[derive(Clone)]
pub struct LinkChecker {
    pub policy: AddressPolicy,
    pub resolver: Arc<dyn NameResolver>,
    /// For the whole check, all hops together.
    pub timeout: Duration,
}

/// INFO-01: at most three redirects.
pub const MAX_REDIRECTS: u8 = 3;

/// Whether `ip` is an address on the public internet. Refused: unspecified, loopback, private
/// (RFC 1918), shared (100.64/10), link-local (169.254/16 — the cloud metadata service lives at
/// 169.254.169.254), benchmarking, documentation, multicast, broadcast, reserved; for IPv6 also
/// unique-local (fc00::/7, e.g. fd00:ec2::254), link-local (fe80::/10), and IPv4 addresses
/// embedded as mapped, compatible or NAT64 addresses, judged as the IPv4 address they carry.
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
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

/// The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) or
/// NAT64 (64:ff9b::a.b.c.d) IPv6 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[..5] == [0; 5] && (s[5] == 0xffff || (s[5] == 0 && (s[6] != 0 || s[7] > 1))) {
        return Some(tail());
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
        return Some(tail());
    }
    None
}

impl AddressPolicy {
    pub fn allows(self, ip: IpAddr) -> bool {
        match self {
            AddressPolicy::PublicOnly => is_public(ip),
            AddressPolicy::AllowLoopback => is_public(ip) || ip.is_loopback(),
        }
    }

    pub fn allows_scheme(self, scheme: &str) -> bool {
        scheme == "https" || (scheme == "http" && self == AddressPolicy::AllowLoopback)
    }
}

/// A resolver for reqwest that resolves nothing: every host a hop may reach has been resolved,
/// checked and pinned already, so anything else asked is refused rather than looked up.
struct Pinned;

impl reqwest::dns::Resolve for Pinned {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(
            async move { Err::<reqwest::dns::Addrs, _>(format!("{host} was not checked").into()) },
        )
    }
}

/// One hop's outcome.
enum Hop {
    Answered(reqwest::Response),
    Refused(LinkProblem),
}

impl LinkChecker {
    /// The addresses `url` may be reached at, or why not — without connecting.
    async fn addresses(&self, url: &url::Url) -> Result<Vec<SocketAddr>, LinkProblem> {
        if !self.policy.allows_scheme(url.scheme()) {
            return Err(LinkProblem::HttpsRequired);
        }
        let port = url
            .port_or_known_default()
            .ok_or(LinkProblem::HttpsRequired)?;
        let ips = match url.host() {
            Some(url::Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(url::Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(url::Host::Domain(name)) => self
                .resolver
                .resolve(name)
                .await
                .map_err(|_| LinkProblem::UnknownHost)?,
            None => return Err(LinkProblem::UnknownHost),
        };
        if ips.is_empty() {
            return Err(LinkProblem::UnknownHost);
        }
        // One forbidden address refuses the name: the connection may not pick a "good" one
        // while a resolver under an attacker's control offers an internal one.
        if ips.iter().any(|ip| !self.policy.allows(*ip)) {
            return Err(LinkProblem::ForbiddenAddress);
        }
        Ok(ips
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
    }

    async fn hop(&self, url: &url::Url, budget: Duration) -> Hop {
        let addrs = match self.addresses(url).await {
            Ok(addrs) => addrs,
            Err(problem) => return Hop::Refused(problem),
        };
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(Pinned))
            .timeout(budget)
            .user_agent("Administrativ-Adgang-linktest/1");
        if let Some(url::Host::Domain(name)) = url.host() {
            client = client.resolve_to_addrs(name, &addrs);
        }
        let client = match client.build() {
            Ok(client) => client,
            Err(err) => {
                tracing::error!(error = %err, "link-check client");
                return Hop::Refused(LinkProblem::ConnectionFailed);
            }
        };
        match client.get(url.clone()).send().await {
            Ok(response) => Hop::Answered(response),
            Err(err) if err.is_timeout() => Hop::Refused(LinkProblem::Timeout),
            Err(_) => Hop::Refused(LinkProblem::ConnectionFailed),
        }
    }

    /// INFO-01: fetches `url` (already validated as a URL) and follows at most three redirects,
    /// each checked like the first; reports the last status, or the problem that stopped it.
    pub async fn check(&self, url: url::Url) -> LinkCheck {
        let started = Instant::now();
        let original = url.to_string();
        let mut current = url;
        let mut redirects = 0u8;
        let mut status = None;
        let problem = loop {
            let Some(budget) = self.timeout.checked_sub(started.elapsed()) else {
                break Some(LinkProblem::Timeout);
            };
            let response = match self.hop(&current, budget).await {
                Hop::Answered(response) => response,
                Hop::Refused(problem) => break Some(problem),
            };
            status = Some(response.status().as_u16());
            if !response.status().is_redirection() {
                break (!response.status().is_success()).then_some(LinkProblem::HttpStatus);
            }
            if redirects == MAX_REDIRECTS {
                break Some(LinkProblem::TooManyRedirects);
            }
            let next = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|location| current.join(location).ok());
            match next {
                Some(next) => {
                    current = next;
                    redirects += 1;
                }
                None => break Some(LinkProblem::InvalidRedirect),
            }
        };
        LinkCheck {
            url: original,
            ok: problem.is_none(),
            status,
            final_url: current.to_string(),
            redirects,
            problem,
            elapsed_ms: started.elapsed().as_millis().try_into().unwrap_or(u64::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn info_01_internal_addresses_are_not_public() {
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
            "64:ff9b::a00:5",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(internal)), "{internal}");
            assert!(
                !AddressPolicy::AllowLoopback.allows(ip(internal)) || ip(internal).is_loopback(),
                "{internal}"
            );
        }
        for public in ["93.184.216.34", "8.8.8.8", "2a00:1450:4001:80b::200e"] {
            assert!(is_public(ip(public)), "{public}");
        }
    }
}
