//! SYS-06 (issue 33 item 3): the technical contact and the extra address of a system Digital
//! Post cannot reach — or that leaves its mail uncollected — are told through the mail outbox,
//! once per episode, on an injected clock.

use super::*;
use adgang_messaging::entity::system_notice;

async fn told(app: &TestApp) -> Vec<(String, String)> {
    let sent = mail_outbox::Entity::find()
        .order_by_asc(mail_outbox::Column::SentAt)
        // Written in turn within one transaction: the ids (UUIDv7) keep their order.
        .order_by_asc(mail_outbox::Column::Id);
    app.rows(sent)
        .await
        .into_iter()
        .map(|m| (m.recipient, m.subject))
        .collect()
}

/// Runs a message's whole schedule from `t` (its own 12 attempts, then 3 more to the primary,
/// which is the same system here).
async fn drive_schedule(app: &TestApp, t: DateTime<Utc>, attempts_before: usize) {
    for (n, at) in adgang_messaging::service::schedule::full_schedule(t)
        .iter()
        .enumerate()
    {
        app.clock.set(*at);
        let db = app.db().await;
        eventually(&format!("attempt {}", n + 1), || {
            let db = db.clone();
            async move {
                delivery_attempt::Entity::find().count(&db).await.unwrap() as usize
                    > attempts_before + n
            }
        })
        .await;
    }
}

#[tokio::test]
async fn sys_06_an_unreachable_system_is_told_once_per_episode_with_its_extra_address() {
    let (app, t0, caller) = app_and_sender_at_t0().await;
    let peer = FakePeer::start(500).await;
    let (_system, _) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_push", "endpoint": format!("{}/p", peer.url),
               "technicalContact": {"email": "vagt@styrelsen.dk", "phone": "12345678",
                                    "extraEmail": "it-drift@styrelsen.dk"}}),
    )
    .await;
    accepted(&app, &caller, &memo(AUTHORITY)).await;
    drive_schedule(&app, t0, 0).await;
    let first = told(&app).await;
    assert_eq!(
        first.iter().map(|(to, _)| to.as_str()).collect::<Vec<_>>(),
        ["vagt@styrelsen.dk", "it-drift@styrelsen.dk"],
        "the contact and the extra address, once although the schedule ran out twice"
    );
    assert!(first[0].1.contains("kan ikke nå systemet"), "{first:?}");

    // Still down: a second message's schedule runs out too — no second notice.
    let t1 = t0 + Duration::days(9);
    app.clock.set(t1);
    accepted(&app, &caller, &memo(AUTHORITY)).await;
    drive_schedule(&app, t1, 15).await;
    assert_eq!(told(&app).await.len(), 2);

    // Reached again: the episode is over.
    peer.set_status(200);
    let t2 = t1 + Duration::days(9);
    app.clock.set(t2);
    delivered_memo(&app, &caller, "the delivery").await;
    assert_eq!(
        system_notice::Entity::find()
            .count(&app.db().await)
            .await
            .unwrap(),
        0
    );

    // Down again: a new episode, told again.
    peer.set_status(500);
    let t3 = t2 + Duration::days(1);
    app.clock.set(t3);
    accepted(&app, &caller, &memo(AUTHORITY)).await;
    drive_schedule(&app, t3, 31).await;
    assert_eq!(told(&app).await.len(), 4);
}

/// An app whose data key the test knows, and the uncollected-mail sweep as a server runs it
/// with that key (the systems have API keys).
async fn app_and_uncollected_sweep() -> (
    TestApp,
    adgang_core::sweep::SweepWorker<adgang_messaging::service::notices::UncollectedMail>,
) {
    let key_dir = tempfile::tempdir().unwrap();
    let key = adgang_core::secrets::DataKey::generate();
    let key_file = key_dir.path().join("data.key");
    std::fs::write(&key_file, key.to_base64()).unwrap();
    let app = spawn_app_with(Spa::None, |s| {
        s.allow_http_endpoints = true;
        s.data_key_file = Some(key_file.clone());
    })
    .await;
    app.seed_organisations(&[
        (SENDER, "Testkommune Nord", OrgKind::Authority),
        (AUTHORITY, "Styrelsen for Digital Test", OrgKind::Authority),
    ])
    .await;
    let ports = adgang_messaging::Ports {
        systems: std::sync::Arc::new(adgang_systems::ports::ConnectedSystemsPort { data_key: key }),
        points: std::sync::Arc::new(adgang_contacts::ports::DeliveryPointsPort),
        exemptions: std::sync::Arc::new(adgang_core::ports::NoExemptions),
        nemsms: std::sync::Arc::new(adgang_core::ports::NoNemSms),
        legal_notices: std::sync::Arc::new(adgang_identity::ports::LegalNotificationPort),
        registry: std::sync::Arc::new(adgang_registry::SyntheticRegistry::new()),
        sms: std::sync::Arc::new(adgang_messaging::outbox::SmsOutbox),
        mailer: std::sync::Arc::new(adgang_messaging::outbox::MailOutbox),
    };
    let sweep = adgang_core::sweep::SweepWorker {
        db: app.writer.clone(),
        clock: app.clock.clone() as std::sync::Arc<dyn adgang_core::Clock>,
        idle: StdDuration::from_secs(600),
        sweep: adgang_messaging::service::notices::UncollectedMail { ports },
    };
    (app, sweep)
}

#[tokio::test]
async fn sys_06_a_pull_system_that_leaves_its_mail_uncollected_is_told_once() {
    let (app, sweep) = app_and_uncollected_sweep().await;
    let t0 = schedule_start(&app);
    let caller = sender(&app).await;
    let pull = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient",
               "technicalContact": {"email": "vagt@styrelsen.dk", "phone": "12345678",
                                    "extraEmail": "it-drift@styrelsen.dk"}}),
    )
    .await;
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &body).await;

    app.clock.set(t0 + Duration::days(6));
    assert_eq!(sweep.tick().await.unwrap(), 0, "not yet");
    app.clock.set(t0 + Duration::days(7) + Duration::minutes(1));
    assert_eq!(sweep.tick().await.unwrap(), 1);
    assert_eq!(sweep.tick().await.unwrap(), 0, "once");
    let first = told(&app).await;
    assert_eq!(
        first.iter().map(|(to, _)| to.as_str()).collect::<Vec<_>>(),
        ["vagt@styrelsen.dk", "it-drift@styrelsen.dk"]
    );
    assert!(
        first[0].1.contains("henter ikke sine meddelelser"),
        "{first:?}"
    );

    // It collects: the episode is over; a message left again is told again.
    let ack = acknowledge(&app, &pull, &message_id).await;
    assert_eq!(ack.status(), 200);
    accepted(&app, &caller, &memo(AUTHORITY)).await;
    app.clock.set(t0 + Duration::days(15));
    assert_eq!(sweep.tick().await.unwrap(), 1);
    assert_eq!(told(&app).await.len(), 4);
}

/// SYS-06 (found in review): "not collected" counts from when a message was put in the queue —
/// one that falls back to a pull primary after its own system's seven days of attempts is new
/// there, not seven days late.
#[tokio::test]
async fn sys_06_a_message_queued_by_a_fallback_waits_from_then() {
    let (app, sweep) = app_and_uncollected_sweep().await;
    let t0 = schedule_start(&app);
    let caller = sender(&app).await;
    let down = FakePeer::start(503).await;
    let _primary = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let (pushed_to, _) = push_system(&app, AUTHORITY, &format!("{}/p", down.url)).await;
    let mut body = memo(AUTHORITY);
    body["contactPointId"] = json!(super::delivery::point_bound_to(&app, &pushed_to).await);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &body).await;
    let schedule = adgang_messaging::service::schedule::full_schedule(t0);
    super::delivery::attempts_at(&app, &schedule[..12]).await;
    let fell_back_at = schedule[11];
    eventually("the fallback", || async {
        stored(&app, &message_id).await.queued_at.is_some()
    })
    .await;
    assert_eq!(
        stored(&app, &message_id).await.queued_at,
        Some(fell_back_at)
    );
    // Accepted more than seven days ago, queued an hour ago: not uncollected.
    app.clock.set(fell_back_at + Duration::hours(1));
    assert_eq!(sweep.tick().await.unwrap(), 0);
    app.clock
        .set(fell_back_at + Duration::days(7) + Duration::minutes(1));
    assert_eq!(sweep.tick().await.unwrap(), 1);
}
