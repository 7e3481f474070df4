//! INFO-01: "Afprøv link" against a real local HTTP server and a test resolver — every
//! internal address refused without a connection, redirects re-checked hop by hop, the time
//! limit and the redirect limit kept.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use adgang_api_types::LinkProblem;
use adgang_authority_info::LinkChecker;
use adgang_core::outbound::{AddressPolicy, Deadlines, NameResolver, Outbound};
use futures_util::future::BoxFuture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Names → addresses, no DNS.
struct TestResolver(HashMap<&'static str, Vec<IpAddr>>);

impl NameResolver for TestResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> BoxFuture<'a, std::io::Result<Vec<IpAddr>>> {
        let found = self.0.get(host).cloned();
        Box::pin(async move {
            found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such host"))
        })
    }
}

/// A local HTTP server counting the connections it accepts; `/go/N` redirects N more times,
/// `/to?u` redirects to `u`, `/slow` never answers, `/missing` is 404, `/bare` is a redirect
/// without `Location`, anything else 200.
struct Server {
    port: u16,
    accepted: Arc<AtomicUsize>,
}

async fn serve() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let response = if let Some(n) = path.strip_prefix("/go/") {
                    let n: u32 = n.parse().unwrap();
                    if n == 0 {
                        "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok"
                            .to_owned()
                    } else {
                        format!(
                            "HTTP/1.1 302 Found\r\nconnection: close\r\nlocation: /go/{}\r\ncontent-length: 0\r\n\r\n",
                            n - 1
                        )
                    }
                } else if let Some(target) = path.strip_prefix("/to?") {
                    format!("HTTP/1.1 301 Moved\r\nconnection: close\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n")
                } else if path == "/slow" {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    String::new()
                } else if path == "/missing" {
                    "HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                        .to_owned()
                } else if path == "/bare" {
                    "HTTP/1.1 302 Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                        .to_owned()
                } else {
                    "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok".to_owned()
                };
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    Server { port, accepted }
}

fn checker(policy: AddressPolicy) -> LinkChecker {
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    let resolver = Arc::new(TestResolver(HashMap::from([
        ("local.test", vec![ip("127.0.0.1")]),
        ("intranet.test", vec![ip("10.0.0.5")]),
        ("metadata.test", vec![ip("169.254.169.254")]),
        ("mixed.test", vec![ip("93.184.216.34"), ip("10.0.0.5")]),
        ("ula.test", vec![ip("fd00:ec2::254")]),
    ])));
    LinkChecker {
        outbound: Outbound::new(policy, resolver, Deadlines::default()),
        timeout: Duration::from_millis(800),
    }
}

async fn check(checker: &LinkChecker, url: &str) -> adgang_api_types::LinkCheck {
    checker.check(url::Url::parse(url).unwrap()).await
}

#[tokio::test]
async fn info_01_production_refuses_internal_addresses_without_connecting() {
    let server = serve().await;
    let production = checker(AddressPolicy::PublicOnly);
    let p = server.port;
    for (url, problem) in [
        (
            format!("http://local.test:{p}/"),
            LinkProblem::HttpsRequired,
        ),
        (
            format!("https://127.0.0.1:{p}/"),
            LinkProblem::ForbiddenAddress,
        ),
        (format!("https://[::1]:{p}/"), LinkProblem::ForbiddenAddress),
        (
            format!("https://[::ffff:127.0.0.1]:{p}/"),
            LinkProblem::ForbiddenAddress,
        ),
        (
            format!("https://local.test:{p}/"),
            LinkProblem::ForbiddenAddress,
        ),
        (
            "https://169.254.169.254/latest/meta-data/".to_owned(),
            LinkProblem::ForbiddenAddress,
        ),
        (
            "https://intranet.test/".to_owned(),
            LinkProblem::ForbiddenAddress,
        ),
        (
            "https://metadata.test/".to_owned(),
            LinkProblem::ForbiddenAddress,
        ),
        (
            "https://mixed.test/".to_owned(),
            LinkProblem::ForbiddenAddress,
        ),
        (
            "https://ula.test/".to_owned(),
            LinkProblem::ForbiddenAddress,
        ),
        ("https://nowhere.test/".to_owned(), LinkProblem::UnknownHost),
    ] {
        let result = check(&production, &url).await;
        assert_eq!(result.problem, Some(problem), "{url}");
        assert!(!result.ok);
        assert_eq!(result.status, None, "{url}");
    }
    assert_eq!(
        server.accepted.load(Ordering::SeqCst),
        0,
        "a refused check connected"
    );
}

#[tokio::test]
async fn info_01_redirects_are_followed_three_times_and_every_hop_is_checked_again() {
    let server = serve().await;
    let test = checker(AddressPolicy::AllowLoopback);
    let base = format!("http://local.test:{}", server.port);

    let fine = check(&test, &format!("{base}/privatliv")).await;
    assert!(fine.ok, "{fine:?}");
    assert_eq!((fine.status, fine.redirects), (Some(200), 0));

    let three = check(&test, &format!("{base}/go/3")).await;
    assert!(three.ok, "{three:?}");
    assert_eq!(three.redirects, 3);
    assert!(three.final_url.ends_with("/go/0"));

    let four = check(&test, &format!("{base}/go/4")).await;
    assert_eq!(four.problem, Some(LinkProblem::TooManyRedirects));
    assert_eq!(four.status, Some(302));

    for target in [
        "https://intranet.test/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/",
        "https://ula.test/",
    ] {
        let before = server.accepted.load(Ordering::SeqCst);
        let hop = check(&test, &format!("{base}/to?{target}")).await;
        assert_eq!(hop.problem, Some(LinkProblem::ForbiddenAddress), "{target}");
        assert_eq!(hop.redirects, 1);
        // Only the first hop (the local server) was connected to.
        assert_eq!(server.accepted.load(Ordering::SeqCst), before + 1);
    }

    let missing = check(&test, &format!("{base}/missing")).await;
    assert_eq!(
        (missing.problem, missing.status),
        (Some(LinkProblem::HttpStatus), Some(404))
    );
    let bare = check(&test, &format!("{base}/bare")).await;
    assert_eq!(bare.problem, Some(LinkProblem::InvalidRedirect));

    let slow = check(&test, &format!("{base}/slow")).await;
    assert_eq!(slow.problem, Some(LinkProblem::Timeout));
    assert!(slow.elapsed_ms < 3_000, "{}", slow.elapsed_ms);
}
