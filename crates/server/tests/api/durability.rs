//! CORE-05 and X-12: a crash at any point loses no message and records none as delivered twice;
//! two server instances on one PostgreSQL deliver each message once.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use adgang_api_types::OrgKind;
use adgang_core::entity::message_events;
use adgang_core::secrets::DataKey;
use adgang_core::Cvr;
use adgang_messaging::entity::{delivery_attempt, delivery_job, message};
use adgang_server::{Application, Settings};
use adgang_systems::entity::system;
use adgang_test_support::messages::in_virk;
use adgang_test_support::peer::FakePeer;
use adgang_test_support::{create_joined_organisation, free_port, DatabaseKind, TestDatabase};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::json;

const SENDER: &str = "29189846";
const RECIPIENT: &str = "34051178";

/// A sender system (pull, 127.0.0.1, with an API key) and the recipient authority's primary
/// REST PUSH system posting to `peer`, written straight into the database.
async fn seed_systems(db: &DatabaseConnection, key: &DataKey, peer: &str) -> (String, String) {
    let now = Utc::now();
    for (cvr, name) in [
        (SENDER, "Testkommune Nord"),
        (RECIPIENT, "Styrelsen for Digital Test"),
    ] {
        create_joined_organisation(db, cvr, name, OrgKind::Authority, now, now).await;
    }
    let api_key = adgang_core::secrets::random_token(32);
    let base = |id: &str, org: &str| system_row(id, org, &format!("System {id}"), now);
    let sender_id = uuid::Uuid::now_v7().to_string();
    let mut sender = base(&sender_id, SENDER);
    sender.api_key_sealed = Set(Some(key.seal(&api_key)));
    sender.insert(db).await.unwrap();
    let mut recipient = base(&uuid::Uuid::now_v7().to_string(), RECIPIENT);
    recipient.role = Set("recipient".to_owned());
    recipient.protocol = Set("rest_push".to_owned());
    recipient.endpoint = Set(Some(format!("{peer}/inbox")));
    recipient.is_primary = Set(true);
    recipient.insert(db).await.unwrap();
    (sender_id, api_key)
}

/// An active REST PULL sender system `id` of `org` from 127.0.0.1 (active since an hour before
/// `now`), as a row: change what a test needs otherwise before inserting it.
pub(crate) fn system_row(
    id: &str,
    org: &str,
    name: &str,
    now: DateTime<Utc>,
) -> system::ActiveModel {
    system::ActiveModel {
        id: Set(id.to_owned()),
        organisation_cvr: Set(org.to_owned()),
        name: Set(name.to_owned()),
        role: Set("sender".to_owned()),
        protocol: Set("rest_pull".to_owned()),
        allowed_ips: Set("127.0.0.1".to_owned()),
        endpoint: Set(None),
        receipt_endpoint: Set(None),
        ssh_public_key: Set(None),
        vendor_cvr: Set(None),
        api_key_sealed: Set(None),
        active_from: Set(Some(now - Duration::hours(1))),
        active_to: Set(None),
        contact_email: Set("drift@example.dk".to_owned()),
        contact_phone: Set("12345678".to_owned()),
        contact_extra_email: Set(None),
        is_primary: Set(false),
        standard_system_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// A fresh migrated database and a data key written to a file for the server binary: the
/// database, a connection to it, the key, the key's file and the temp dir holding that file.
async fn keyed_database() -> (
    TestDatabase,
    DatabaseConnection,
    DataKey,
    PathBuf,
    tempfile::TempDir,
) {
    let database = TestDatabase::create().await;
    let db = adgang_server::database::connect_and_migrate(&database.url)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = DataKey::generate();
    let key_file = dir.path().join("data.key");
    std::fs::write(&key_file, key.to_base64()).unwrap();
    (database, db, key, key_file, dir)
}

/// `n` new message ids (UUIDv7).
fn new_ids(n: usize) -> Vec<String> {
    (0..n).map(|_| uuid::Uuid::now_v7().to_string()).collect()
}

/// An employee (RID 12345678910) of `cvr` acting at `now`, approved by `approved_by`.
fn employee_of(cvr: &str, approved_by: &str, now: DateTime<Utc>) -> adgang_core::Acting {
    adgang_core::Acting {
        organisation: Cvr::parse(cvr).unwrap(),
        actor: adgang_core::audit::Actor::EmployeeOf {
            cvr: Cvr::parse(cvr).unwrap(),
            rid: "12345678910".to_owned(),
        },
        actor_rid: "12345678910".to_owned(),
        approved_by: approved_by.to_owned(),
        now,
    }
}

/// The `event` events of every organisation's message log.
async fn events_named(db: &DatabaseConnection, event: &str) -> Vec<message_events::Model> {
    message_events::Entity::find()
        .filter(message_events::Column::Event.eq(event))
        .all(db)
        .await
        .unwrap()
}

/// Sends the server binary `pid` a signal (`STOP`, `CONT`): a system call, not a `kill`
/// process, whose start could itself wait on a loaded machine.
fn signal(pid: u32, signal: rustix::process::Signal) {
    let target = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .expect("a process id");
    rustix::process::kill_process(target, signal).expect("signalling the server");
}

/// Lets the server binary `pid` work in 20 ms slices, stopped (SIGSTOP) while its `progress` is
/// read, until `enough`; returns the progress read while it is stopped, which is what a
/// `kill -9` sent next meets. Polling a running server could see all the work finish between two
/// looks on a loaded machine (a run of mv_04 read 10,000 of 10,000 at its kill).
/// Each new reading is printed (shown when the test fails).
pub(crate) async fn stopped_mid_work<T, F>(
    pid: u32,
    mut progress: impl FnMut() -> F,
    enough: impl Fn(T) -> bool,
) -> T
where
    T: Copy + PartialEq + std::fmt::Debug,
    F: std::future::Future<Output = T>,
{
    let started = std::time::Instant::now();
    signal(pid, rustix::process::Signal::STOP);
    let mut read = progress().await;
    eprintln!("progress {read:?} at {} ms", started.elapsed().as_millis());
    for _ in 0..3000 {
        if enough(read) {
            break;
        }
        signal(pid, rustix::process::Signal::CONT);
        tokio::time::sleep(StdDuration::from_millis(20)).await;
        signal(pid, rustix::process::Signal::STOP);
        let last = read;
        read = progress().await;
        if read != last {
            eprintln!("progress {read:?} at {} ms", started.elapsed().as_millis());
        }
    }
    read
}

/// Kills the server binary as `kill -9` does and reaps it.
pub(crate) fn kill_9(server: &mut Child) {
    server.kill().expect("kill -9");
    server.wait().unwrap();
}

/// [`start_server`] on a free port, once it answers `/healthz`.
async fn start_healthy_server(database_url: &str, data_key_file: &std::path::Path) -> Child {
    let port = free_port();
    let server = start_server(database_url, port, data_key_file);
    wait_healthy(&reqwest::Client::new(), &format!("http://127.0.0.1:{port}")).await;
    server
}

/// The real server binary, as production runs it.
fn start_server(database_url: &str, port: u16, data_key_file: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_adgang-server"))
        .env("DATABASE_URL", database_url)
        .env("ADGANG_BIND", "127.0.0.1")
        .env("ADGANG_PORT", port.to_string())
        .env("ADGANG_DATA_KEY_FILE", data_key_file)
        .env("ADGANG_ALLOW_HTTP_ENDPOINTS", "true")
        .env("ADGANG_SPA_DIR", "/nonexistent-spa")
        .env("ADGANG_DEMO_DATA", "false")
        // Jobs a killed instance had claimed are claimed again after this.
        .env("ADGANG_DISPATCH_LEASE_SECONDS", "2")
        // …and a move of mail it was running is taken over after this.
        .env("ADGANG_MOVE_MAIL_LEASE_SECONDS", "2")
        // …and the statistics scheduler runs a round a second.
        .env("ADGANG_STATISTICS_ROUND_SECONDS", "1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting adgang-server")
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    for _ in 0..600 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

async fn delivered(db: &DatabaseConnection) -> u64 {
    message::Entity::find()
        .filter(message::Column::State.eq("delivered"))
        .count(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn core_05_kill_9_mid_batch_loses_no_message_and_records_none_delivered_twice() {
    const MESSAGES: usize = 2_000;
    let (database, db, key, key_file, _dir) = keyed_database().await;
    let peer = FakePeer::start(200).await;
    let (system_id, api_key) = seed_systems(&db, &key, &peer.url).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start_server(&database.url, port, &key_file);
    wait_healthy(&client, &base).await;

    // The integrator submits 2,000 messages, 16 at a time, retrying a call that fails (as a
    // crashed server makes it) with the same message id until it is answered.
    let ids = new_ids(MESSAGES);
    let submitting = {
        let (client, base, ids) = (client.clone(), base.clone(), ids.clone());
        let (system_id, api_key) = (system_id.clone(), api_key.clone());
        tokio::spawn(async move {
            use futures_util::StreamExt;
            futures_util::stream::iter(ids)
                .for_each_concurrent(16, |id| {
                    let (client, base) = (client.clone(), base.clone());
                    let (system_id, api_key) = (system_id.clone(), api_key.clone());
                    async move {
                        let body = json!({"messageId": id, "title": "Brev", "senderCvr": SENDER,
                                          "recipient": RECIPIENT, "type": "letter", "body": "Hej"});
                        let deadline = std::time::Instant::now() + StdDuration::from_secs(120);
                        loop {
                            assert!(
                                std::time::Instant::now() < deadline,
                                "memo {id} not accepted within 120 s"
                            );
                            let sent = client
                                .post(format!("{base}/api/v1/memos"))
                                .header("X-System-Id", &system_id)
                                .header("X-Api-Key", &api_key)
                                .json(&body)
                                .send()
                                .await;
                            match sent.map(|r| r.status().as_u16()) {
                                Ok(200 | 201) => break,
                                Ok(status) if status < 500 => panic!("memo refused: {status}"),
                                _ => tokio::time::sleep(StdDuration::from_millis(100)).await,
                            }
                        }
                    }
                })
                .await;
        })
    };

    // Kill -9 while messages are both arriving and being pushed.
    for _ in 0..1200 {
        if peer.requests().len() >= MESSAGES / 4 {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
    kill_9(&mut server);
    let at_kill = peer.requests().len();
    assert!(at_kill < MESSAGES, "the kill came after the batch");
    let mut server = start_server(&database.url, port, &key_file);
    submitting.await.unwrap();
    for _ in 0..1200 {
        if delivered(&db).await as usize == MESSAGES {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    assert_eq!(
        delivered(&db).await as usize,
        MESSAGES,
        "every message delivered"
    );
    let received: HashSet<String> = peer
        .requests()
        .iter()
        .map(|r| r.headers["idempotency-key"].clone())
        .collect();
    let expected: HashSet<String> = ids.into_iter().collect();
    assert_eq!(received, expected, "the peer saw every message id");
    // Recorded as delivered once each: one `Sendt` event and one successful attempt.
    let sent = events_named(&db, "sent").await;
    let distinct: HashSet<_> = sent.iter().map(|e| e.message_id.clone()).collect();
    assert_eq!((sent.len(), distinct.len()), (MESSAGES, MESSAGES));
    let succeeded = delivery_attempt::Entity::find()
        .filter(delivery_attempt::Column::Succeeded.eq(true))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(succeeded as usize, MESSAGES);
    assert_eq!(delivery_job::Entity::find().count(&db).await.unwrap(), 0);
    eprintln!(
        "kill -9 after {at_kill} pushes; the peer got {} requests for {MESSAGES} messages",
        peer.requests().len()
    );
}

/// PostgreSQL only (issue 33 item 9: it used to pass green on SQLite testing nothing): ignored
/// in a plain run, and run by `cargo xtask test`'s PostgreSQL pass (`--include-ignored` with
/// `TEST_DATABASE_URL`); without PostgreSQL it fails rather than pass.
#[tokio::test]
#[ignore = "PostgreSQL only: runs in cargo xtask test's PostgreSQL pass"]
async fn core_05_two_instances_on_one_postgresql_deliver_each_message_once() {
    const MESSAGES: usize = 10_000;
    let (database, db, key, key_file, _dir) = keyed_database().await;
    assert_eq!(
        database.kind,
        DatabaseKind::Postgres,
        "two instances share a database on PostgreSQL only: set TEST_DATABASE_URL"
    );
    let peer = FakePeer::start(200).await;
    let (sender_id, _) = seed_systems(&db, &key, &peer.url).await;
    let recipient_id = system::Entity::find()
        .filter(system::Column::IsPrimary.eq(true))
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .id;

    // 10,000 accepted messages waiting for their push, as intake leaves them.
    let now = Utc::now();
    let ids = new_ids(MESSAGES);
    for chunk in ids.chunks(500) {
        let messages = chunk.iter().map(|id| {
            let mut row = in_virk(id, SENDER, &sender_id, RECIPIENT, now);
            row.route = Set("system".to_owned());
            row.platform = Set(None);
            row.recipient_system_id = Set(Some(recipient_id.clone()));
            row.state = Set("delivering".to_owned());
            row.delivered_at = Set(None);
            row
        });
        message::Entity::insert_many(messages)
            .exec_without_returning(&db)
            .await
            .unwrap();
        let jobs = chunk.iter().map(|id| delivery_job::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            message_pk: Set(id.clone()),
            kind: Set("push".to_owned()),
            system_id: Set(Some(recipient_id.clone())),
            attempts: Set(0),
            fallback: Set(false),
            receipt_id: Set(None),
            first_sent_at: Set(now),
            due_at: Set(now),
        });
        delivery_job::Entity::insert_many(jobs)
            .exec_without_returning(&db)
            .await
            .unwrap();
    }

    let clock: Arc<dyn adgang_core::Clock> = Arc::new(adgang_core::time::SystemClock);
    for _ in 0..2 {
        let settings = Settings {
            port: 0,
            database_url: database.url.clone(),
            spa_dir: "/nonexistent-spa".into(),
            data_key_file: Some(key_file.clone()),
            allow_http_endpoints: true,
            clock: clock.clone(),
            ..Settings::default()
        };
        let app = Application::build(settings).await.unwrap();
        tokio::spawn(app.run_until_stopped());
    }
    for _ in 0..3000 {
        if delivered(&db).await as usize == MESSAGES {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    assert_eq!(delivered(&db).await as usize, MESSAGES);
    let requests = peer.requests();
    let distinct: HashSet<_> = requests
        .iter()
        .map(|r| r.headers["idempotency-key"].clone())
        .collect();
    assert_eq!(distinct.len(), MESSAGES, "every id reached the peer");
    assert_eq!(requests.len(), MESSAGES, "and each once");
}

/// `count` messages to RECIPIENT lying in its Virk mailbox, as routing leaves them.
async fn seed_virk_mail(db: &DatabaseConnection, sender_id: &str, count: usize) -> Vec<String> {
    let now = Utc::now() - Duration::minutes(5);
    let ids = new_ids(count);
    for chunk in ids.chunks(500) {
        let messages = chunk
            .iter()
            .map(|id| in_virk(id, SENDER, sender_id, RECIPIENT, now));
        message::Entity::insert_many(messages)
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    ids
}

/// A REST PULL recipient system of RECIPIENT and an active contact point bound to it.
async fn seed_pull_point(db: &DatabaseConnection) -> String {
    use adgang_contacts::entity::contact_point;
    let now = Utc::now();
    let system_id = uuid::Uuid::now_v7().to_string();
    let primary = system::Entity::find()
        .filter(system::Column::OrganisationCvr.eq(RECIPIENT))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut pull: system::ActiveModel = primary.into();
    pull.id = Set(system_id.clone());
    pull.name = Set("Postsystem".to_owned());
    pull.protocol = Set("rest_pull".to_owned());
    pull.endpoint = Set(None);
    pull.is_primary = Set(false);
    system::Entity::insert(pull).exec(db).await.unwrap();
    let point_id = uuid::Uuid::now_v7().to_string();
    contact_point::ActiveModel {
        id: Set(point_id.clone()),
        organisation_cvr: Set(RECIPIENT.to_owned()),
        name: Set("Postmodtagelse".to_owned()),
        description: Set(String::new()),
        internal_note: Set(String::new()),
        visible: Set(true),
        audiences: Set("citizens".to_owned()),
        max_message_size_bytes: Set(100 * 1024 * 1024),
        max_attachments: Set(100),
        external_link: Set(None),
        input_fields: Set("[]".to_owned()),
        codes: Set("[]".to_owned()),
        recipient_system_id: Set(Some(system_id)),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    point_id
}

async fn mail_move(
    db: &DatabaseConnection,
    id: &str,
) -> adgang_messaging::entity::mail_move::Model {
    adgang_messaging::entity::mail_move::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn mv_04_kill_9_mid_move_then_restart_moves_each_of_10000_messages_exactly_once() {
    use adgang_messaging::service::move_mail::{create, NewJob};
    const MESSAGES: usize = 10_000;
    let (database, db, key, key_file, _dir) = keyed_database().await;
    let peer = FakePeer::start(200).await;
    let (sender_id, _) = seed_systems(&db, &key, &peer.url).await;
    let point = seed_pull_point(&db).await;
    let ids = seed_virk_mail(&db, &sender_id, MESSAGES).await;

    let mut server = start_healthy_server(&database.url, &key_file).await;

    // "Start flytning af post", as the handler does it.
    let now = Utc::now();
    let acting = employee_of(RECIPIENT, "Test Testesen (Styrelsen for Digital Test)", now);
    let started = create(
        &db,
        &acting,
        adgang_api_types::MailMoveState::Running,
        NewJob {
            period: None,
            range_start: None,
            range_end: now,
            mode: adgang_api_types::MoveMode::Chosen,
            contact_point_id: Some(point.clone()),
            failover_point_id: None,
            system_id: None,
            system_name: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(started.total as usize, MESSAGES);

    // Kill -9 in the middle of the move.
    let at_kill = stopped_mid_work(
        server.id(),
        || async { mail_move(&db, &started.id).await.moved },
        |moved| moved >= 2_000,
    )
    .await;
    kill_9(&mut server);
    assert!(
        (1..MESSAGES as i64).contains(&at_kill),
        "the kill came mid-move ({at_kill})"
    );

    // Restart: one instance on SQLite, two on PostgreSQL (they share the move, never a batch).
    let instances = if database.kind == DatabaseKind::Postgres {
        2
    } else {
        1
    };
    let mut servers: Vec<Child> = (0..instances)
        .map(|_| {
            let port = free_port();
            start_server(&database.url, port, &key_file)
        })
        .collect();
    for _ in 0..1200 {
        if mail_move(&db, &started.id).await.state != "running" {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    for server in &mut servers {
        server.kill().unwrap();
        server.wait().unwrap();
    }

    let done = mail_move(&db, &started.id).await;
    assert_eq!(done.state, "completed");
    assert_eq!(done.moved as usize, MESSAGES, "counted once each");
    let messages = message::Entity::find()
        .filter(message::Column::RecipientId.eq(RECIPIENT))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(messages.len(), MESSAGES, "none lost");
    assert!(messages.iter().all(|m| m.route == "system"
        && m.platform.is_none()
        && m.contact_point_id.as_deref() == Some(point.as_str())));
    let moved = events_named(&db, "moved").await;
    let distinct: HashSet<_> = moved.iter().map(|e| e.message_id.clone()).collect();
    assert_eq!(
        (moved.len(), distinct.len()),
        (MESSAGES, MESSAGES),
        "one Flyttet each"
    );
    let expected: HashSet<_> = ids.into_iter().map(Some).collect();
    assert_eq!(distinct, expected);
    eprintln!("kill -9 after {at_kill} of {MESSAGES} moved; {instances} instance(s) finished");
}

#[tokio::test]
async fn st_02_a_produced_report_survives_kill_9_and_a_restart_unchanged_and_is_not_made_again() {
    let (database, db, _, key_file, _dir) = keyed_database().await;
    let two_days_ago = Utc::now() - Duration::days(2);
    for i in 0..5 {
        in_virk(
            &format!("0190f3a1-0000-7000-8019-{i:012}"),
            SENDER,
            "s",
            "0101501234",
            two_days_ago,
        )
        .insert(&db)
        .await
        .unwrap();
    }
    let now = Utc::now();
    let acting = employee_of(SENDER, "Test Testesen (Testkommune Nord)", now);
    let yesterday = adgang_core::time::copenhagen(now).date_naive() - Duration::days(1);
    let report = adgang_statistics::service::order_custom(
        &db,
        &acting,
        &adgang_api_types::NewCustomReport {
            name: "Overlever genstart".to_owned(),
            variables: vec![adgang_api_types::ReportVariable::MessageType],
            period: adgang_api_types::ReportPeriod {
                from: yesterday - Duration::days(6),
                to: yesterday,
            },
            notify_email: None,
        },
        false,
    )
    .await
    .unwrap();

    let mut server = start_healthy_server(&database.url, &key_file).await;
    // With a deadline (issue 33 item 9): a report that is never produced fails, not hangs.
    let deadline = std::time::Instant::now() + StdDuration::from_secs(60);
    let produced = loop {
        let row = adgang_statistics::service::find(&db, SENDER, &report.id)
            .await
            .unwrap();
        if row.state == "ready" {
            break row;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the report was not produced within 60 s (state {})",
            row.state
        );
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    };
    let (_, csv) = adgang_statistics::service::file(&db, SENDER, &report.id)
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&csv).contains("Meddelelse;5"));
    kill_9(&mut server);

    let mut server = start_healthy_server(&database.url, &key_file).await;
    tokio::time::sleep(StdDuration::from_millis(2500)).await;
    let after = adgang_statistics::service::find(&db, SENDER, &report.id)
        .await
        .unwrap();
    assert_eq!(after, produced, "the same version, not made again");
    let (_, again) = adgang_statistics::service::file(&db, SENDER, &report.id)
        .await
        .unwrap();
    assert_eq!(again, csv);
    // Each message counted once, though two instances' lifetimes saw its day.
    let counted: i64 = adgang_statistics::entity::daily_count::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|c| c.messages)
        .sum();
    assert_eq!(counted, 5);
    server.kill().unwrap();
    server.wait().unwrap();
}
