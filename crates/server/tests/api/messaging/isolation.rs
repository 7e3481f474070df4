//! Issue 31: one endpoint that never answers cannot stall delivery to the others, and no push
//! or test message reaches an internal address in a production deployment.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use adgang_core::outbound::NameResolver;
use adgang_messaging::entity::delivery_job;
use futures_util::future::BoxFuture;

use super::*;

/// A listener that accepts connections, counts them and never answers.
struct Hung {
    url: String,
    accepted: Arc<AtomicUsize>,
}

async fn hung() -> Hung {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    Hung {
        url: format!("http://127.0.0.1:{port}"),
        accepted,
    }
}

#[tokio::test]
async fn issue_31_a_hung_endpoint_holds_its_own_places_and_nobody_elses() {
    let (app, caller) = app_and_sender().await;
    let hung = hung().await;
    let healthy = FakePeer::start(202).await;
    push_system(&app, AUTHORITY, &format!("{}/inbox", hung.url)).await;
    push_system(&app, COMPANY, &format!("{}/inbox", healthy.url)).await;
    // Twelve memos to the hung endpoint: four pushes go out and hang (the default bound per
    // destination); the others wait, their attempt not spent.
    for _ in 0..12 {
        accepted(&app, &caller, &memo(AUTHORITY)).await;
    }
    eventually("four pushes hang", || async {
        hung.accepted.load(Ordering::SeqCst) >= 4
    })
    .await;
    // Memos to the healthy endpoint sent now are delivered at once, not after the hung
    // pushes' 30 s timeout.
    let mut ids = Vec::new();
    for _ in 0..20 {
        let body = memo(COMPANY);
        ids.push(body["messageId"].as_str().unwrap().to_owned());
        accepted(&app, &caller, &body).await;
    }
    eventually("the healthy endpoint's deliveries", || async {
        healthy.requests().len() >= 20
    })
    .await;
    for id in &ids {
        let app = &app;
        eventually("recorded as delivered", || async move {
            stored(app, id).await.state == "delivered"
        })
        .await;
    }
    assert_eq!(
        hung.accepted.load(Ordering::SeqCst),
        4,
        "no more than four pushes at once to one destination"
    );
    let db = app.db().await;
    let waiting = delivery_job::Entity::find().all(&db).await.unwrap();
    assert_eq!(
        waiting.len(),
        12,
        "the hung endpoint's jobs are all still there"
    );
    assert!(
        waiting.iter().all(|job| job.attempts == 0),
        "waiting spends no attempt"
    );
    assert_eq!(
        delivery_attempt::Entity::find()
            .filter(delivery_attempt::Column::Succeeded.eq(false))
            .count(&db)
            .await
            .unwrap(),
        0
    );
}

/// Names → addresses, no DNS: every class an attacker would aim at.
struct Names(HashMap<&'static str, Vec<IpAddr>>);

impl NameResolver for Names {
    fn resolve<'a>(&'a self, host: &'a str) -> BoxFuture<'a, std::io::Result<Vec<IpAddr>>> {
        let found = self.0.get(host).cloned();
        Box::pin(async move {
            found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such host"))
        })
    }
}

fn names() -> Names {
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    Names(HashMap::from([
        ("loopback.test", vec![ip("127.0.0.1")]),
        ("mapped.test", vec![ip("::ffff:127.0.0.1")]),
        ("private.test", vec![ip("10.0.0.5")]),
        ("cgnat.test", vec![ip("100.64.0.1")]),
        ("metadata.test", vec![ip("169.254.169.254")]),
        ("ula.test", vec![ip("fd00:ec2::254")]),
        ("mixed.test", vec![ip("93.184.216.34"), ip("127.0.0.1")]),
    ]))
}

#[tokio::test]
async fn issue_31_production_never_connects_a_push_or_test_message_to_an_internal_address() {
    let app = spawn_app_with(Spa::None, |s| {
        s.allow_http_endpoints = false;
        s.outbound_resolver = Arc::new(names());
    })
    .await;
    app.seed_organisations(&[
        (SENDER, "Testkommune Nord", OrgKind::Authority),
        (AUTHORITY, "Styrelsen for Digital Test", OrgKind::Authority),
    ])
    .await;
    // Loopback is where a listener can count what would have reached it.
    let listener = hung().await;
    let port = listener.url.rsplit(':').next().unwrap().to_owned();
    let token = admin(&app, AUTHORITY);
    let endpoints = [
        format!("https://127.0.0.1:{port}/inbox"),
        format!("https://[::1]:{port}/inbox"),
        format!("https://[::ffff:127.0.0.1]:{port}/inbox"),
        format!("https://loopback.test:{port}/inbox"),
        format!("https://mapped.test:{port}/inbox"),
        format!("https://mixed.test:{port}/inbox"),
        "https://private.test/inbox".to_owned(),
        "https://10.0.0.5/inbox".to_owned(),
        "https://cgnat.test/inbox".to_owned(),
        "https://metadata.test/latest/meta-data/".to_owned(),
        "https://169.254.169.254/latest/meta-data/".to_owned(),
        "https://ula.test/inbox".to_owned(),
        "https://[fd00:ec2::254]/inbox".to_owned(),
    ];
    let mut first = None;
    for endpoint in &endpoints {
        let (id, _) = push_system(&app, AUTHORITY, endpoint).await;
        first.get_or_insert(id.clone());
        let response = app
            .post_as(
                &format!("/api/v1/organisations/{AUTHORITY}/systems/{id}/test-message"),
                &token,
                &json!({}),
            )
            .await;
        assert_eq!(response.status(), 200, "{endpoint}");
        let attempt: DeliveryAttempt = response.json().await.unwrap();
        assert!(!attempt.succeeded, "{endpoint}");
        assert_eq!(attempt.http_status, None, "{endpoint}");
        assert!(
            attempt
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("Adressen er ikke tilladt")),
            "{endpoint}: {:?}",
            attempt.error
        );
    }
    // A real delivery to the primary system (the first, on loopback) is refused the same way,
    // as a failed attempt with the reason in the message log.
    let caller = sender(&app).await;
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &body).await;
    let primary = first.unwrap();
    eventually("the refused push", || async {
        events(&app, AUTHORITY)
            .await
            .iter()
            .any(|e| e.event == "sending_failed" && e.message_id.as_deref() == Some(&message_id))
    })
    .await;
    let failed = events(&app, AUTHORITY)
        .await
        .into_iter()
        .find(|e| e.event == "sending_failed")
        .unwrap();
    assert!(failed
        .error_message
        .as_deref()
        .is_some_and(|e| e.starts_with("Adressen er ikke tilladt")));
    let attempts = app
        .rows(
            delivery_attempt::Entity::find()
                .filter(delivery_attempt::Column::SystemId.eq(&primary))
                .filter(delivery_attempt::Column::Test.eq(false)),
        )
        .await;
    assert_eq!(attempts.len(), 1);
    assert!(
        attempts[0].next_attempt_at.is_some(),
        "retried on the schedule"
    );
    assert_eq!(
        listener.accepted.load(Ordering::SeqCst),
        0,
        "production connected to an internal address"
    );
}
