//! Issue 35: the SFTP service for sender systems' bulk files, driven by OpenSSH's own `sftp`
//! and `ssh` (Debian's openssh-client) — a client nobody here wrote — in batch mode.

use std::path::{Path, PathBuf};
use std::time::Duration;

use adgang_api_types::{OrgKind, Right, System, SystemReceipt};
use adgang_core::entity::message_events;
use adgang_documents::bulk::testing::{archive, bulk_file};
use adgang_messaging::entity::{bulk_file as bulk_row, message};
use adgang_test_support::{spawn_app_with, Spa, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

pub(crate) const SENDER: &str = "29189846";
const CITIZEN: &str = "0101401000";

pub(crate) async fn app() -> TestApp {
    let app = spawn_app_with(Spa::None, |s| s.sftp_port = Some(0)).await;
    app.seed_organisations(&[(SENDER, "Testkommune Nord", OrgKind::Authority)])
        .await;
    app
}

/// A fresh ed25519 key pair in `dir`: the private key's path and the public key's line.
pub(crate) async fn keypair(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let status = tokio::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .status()
        .await
        .expect("ssh-keygen (openssh-client) is installed");
    assert!(status.success());
    let public = std::fs::read_to_string(path.with_extension("pub"))
        .or_else(|_| std::fs::read_to_string(format!("{}.pub", path.display())))
        .unwrap();
    (path, public.trim().to_owned())
}

/// Creates an active SFTP sender system of SENDER with `public_key` through the API.
pub(crate) async fn sftp_system(app: &TestApp, public_key: &str, ips: &[&str]) -> SystemReceipt {
    let token = app.token_for(SENDER, OrgKind::Authority, &[Right::SystemAdmin]);
    let settings = json!({
        "name": format!("Masseforsendelser {}", uuid::Uuid::now_v7()),
        "role": "sender",
        "protocol": "sftp",
        "sshPublicKey": public_key,
        "allowedIps": ips,
        "activation": {"mode": "now"},
        "technicalContact": {"email": "drift@kommune.dk", "phone": "12345678"}
    });
    app.create_system(SENDER, &token, &settings).await
}

/// An app with the SFTP service, and an active SFTP sender system of SENDER (from 127.0.0.1)
/// with a fresh key: what most tests here start from.
pub(crate) async fn sender() -> (
    TestApp,
    u16,
    tempfile::TempDir,
    PathBuf,
    String,
    SystemReceipt,
) {
    let app = app().await;
    let port = app.sftp_port.expect("the SFTP service runs");
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = keypair(dir.path(), "sender").await;
    let receipt = sftp_system(&app, &public, &["127.0.0.1"]).await;
    (app, port, dir, key, public, receipt)
}

/// OpenSSH's `sftp` in batch mode (`extra` before the destination) reading its commands from
/// stdin.
pub(crate) fn sftp_child(
    port: u16,
    user: &str,
    key: &Path,
    extra: &[&str],
) -> tokio::process::Child {
    tokio::process::Command::new("sftp")
        .args(["-b", "-", "-P", &port.to_string(), "-i"])
        .arg(key)
        .args(ssh_options())
        .args(extra)
        .arg(format!("{user}@127.0.0.1"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("sftp (openssh-client) is installed")
}

/// [`sftp_child`] handed `batch` (one command a line) and its stdin closed: running, not
/// waited for.
async fn sftp_started(
    port: u16,
    user: &str,
    key: &Path,
    extra: &[&str],
    batch: &str,
) -> tokio::process::Child {
    use tokio::io::AsyncWriteExt;
    let mut child = sftp_child(port, user, key, extra);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(batch.as_bytes()).await.unwrap();
    drop(stdin);
    child
}

/// Runs OpenSSH's `sftp` with `batch` (one command a line; a failing command fails the run).
pub(crate) async fn sftp(port: u16, user: &str, key: &Path, batch: &str) -> std::process::Output {
    let child = sftp_started(port, user, key, &[], batch).await;
    tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("sftp finishes")
        .unwrap()
}

/// Runs `batch` with [`sftp`], which must succeed (the batch and the client's words in the
/// message when not); returns what the client said.
async fn sftp_ok(port: u16, user: &str, key: &Path, batch: &str) -> String {
    let output = sftp(port, user, key, batch).await;
    let said = text(&output);
    assert!(output.status.success(), "{batch}: {said}");
    said
}

/// Uploads the file `local` to `remote` with [`sftp_ok`].
async fn put(port: u16, user: &str, key: &Path, local: &Path, remote: &str) -> String {
    sftp_ok(
        port,
        user,
        key,
        &format!("put {} {remote}\n", local.display()),
    )
    .await
}

/// OpenSSH's options for a batch client against the test service: `-o` before each.
pub(crate) fn ssh_options() -> Vec<&'static str> {
    let options = [
        "StrictHostKeyChecking=no",
        "UserKnownHostsFile=/dev/null",
        "IdentitiesOnly=yes",
        "BatchMode=yes",
        "ConnectTimeout=10",
        "LogLevel=ERROR",
    ];
    options
        .into_iter()
        .flat_map(|option| ["-o", option])
        .collect()
}

/// The core's letter [`crate::messaging::memo`] from SENDER for a bulk file: its attachment
/// the archive's `file` when given, else none.
pub(crate) fn bulk_memo(recipient: &str, file: Option<&str>) -> Value {
    let mut memo = crate::messaging::memo(recipient);
    match file {
        Some(file) => {
            memo["attachments"] = json!([{"filename": "afgørelse.pdf", "contentType": "application/pdf", "file": file}]);
        }
        None => {
            memo.as_object_mut().unwrap().remove("attachments");
        }
    }
    memo
}

/// Waits (up to 60 s) until the system's file `name` is no longer waiting.
pub(crate) async fn taken(app: &TestApp, system_id: &str, name: &str) -> bulk_row::Model {
    let db = app.db().await;
    for _ in 0..600 {
        let row = bulk_row::Entity::find()
            .filter(bulk_row::Column::SystemId.eq(system_id))
            .filter(bulk_row::Column::Name.eq(name))
            .one(&db)
            .await
            .unwrap();
        if let Some(row) = row.filter(|r| r.state != "waiting") {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the bulk file {name} was not taken");
}

/// SENDER's message log, oldest first.
async fn events(app: &TestApp) -> Vec<message_events::Model> {
    app.message_events(SENDER).await
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// How many bulk files the database keeps.
async fn bulk_row_count(db: &sea_orm::DatabaseConnection) -> u64 {
    bulk_row::Entity::find().count(db).await.unwrap()
}

/// How many `event` events the message log holds, all organisations'.
async fn count_events(db: &sea_orm::DatabaseConnection, event: &str) -> usize {
    message_events::Entity::find()
        .filter(message_events::Column::Event.eq(event))
        .count(db)
        .await
        .unwrap() as usize
}

/// `len` random bytes: padding no archive compresses, so that a transfer takes long at the
/// client's rate limit.
fn random_bytes(len: u64) -> Vec<u8> {
    let mut noise = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open("/dev/urandom").unwrap(), len),
        &mut noise,
    )
    .unwrap();
    noise
}

/// Ends system `id`'s activity a minute ago, straight in the database.
async fn deactivate(db: &sea_orm::DatabaseConnection, id: &str) {
    use adgang_systems::entity::system;
    let mut row: system::ActiveModel = system::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    row.active_to = sea_orm::Set(Some(chrono::Utc::now() - chrono::Duration::minutes(1)));
    sea_orm::ActiveModelTrait::update(row, db).await.unwrap();
}

#[tokio::test]
async fn issue_35_a_bulk_file_uploaded_with_openssh_is_taken_through_the_rest_intake() {
    let (app, port, dir, key, _, receipt) = sender().await;
    let id = receipt.system.id.clone();

    // The receipt and the system's page say where to connect and which host key to pin —
    // the key OpenSSH's own ssh-keyscan reads from the service.
    let access = receipt
        .system
        .sftp
        .clone()
        .expect("the SFTP address on the receipt");
    assert_eq!((access.port, access.username.as_str()), (port, id.as_str()));
    let token = app.token_for(SENDER, OrgKind::Authority, &[Right::SystemAdmin]);
    let page: System = app
        .get_json_as(
            &format!("/api/v1/organisations/{SENDER}/systems/{id}"),
            &token,
        )
        .await;
    assert_eq!(page.sftp, Some(access.clone()));
    let scanned = tokio::process::Command::new("ssh-keyscan")
        .args(["-p", &port.to_string(), "-t", "ed25519", "127.0.0.1"])
        .output()
        .await
        .unwrap();
    let known = dir.path().join("known");
    std::fs::write(&known, &scanned.stdout).unwrap();
    let printed = tokio::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&known)
        .output()
        .await
        .unwrap();
    let printed = String::from_utf8_lossy(&printed.stdout);
    assert!(
        printed.contains(&access.host_key_fingerprint),
        "{printed} names {}",
        access.host_key_fingerprint
    );

    // Four memos: one with its attachment as a file of the archive, the same memo again, one
    // the intake refuses, and an entry that is no memo.
    let first = bulk_memo(CITIZEN, Some("files/afgørelse.pdf"));
    let refused = bulk_memo("123", None);
    let memos = vec![
        first.to_string(),
        first.to_string(),
        refused.to_string(),
        "{not json".to_owned(),
    ];
    let zip = bulk_file(&memos, &[("files/afgørelse.pdf", b"%PDF-1.4\n")]);
    let local = dir.path().join("bulk.zip");
    std::fs::write(&local, &zip).unwrap();
    let result = dir.path().join("result.json");
    // The drop convention: a temporary name, then the rename that completes it.
    sftp_ok(
        port,
        &id,
        &key,
        &format!(
            "cd inbox\nput {} batch-1.zip.part\nrename batch-1.zip.part batch-1.zip\nls -l\n",
            local.display()
        ),
    )
    .await;

    let row = taken(&app, &id, "batch-1.zip").await;
    assert_eq!(
        (row.state.as_str(), row.accepted, row.refused),
        ("done", 2, 2)
    );
    let listed = sftp_ok(
        port,
        &id,
        &key,
        // The upload is still found by its name once taken (clients check its size).
        &format!(
            "ls -l /results\nget /results/batch-1.result.json {}\nls -l /inbox/batch-1.zip\n",
            result.display()
        ),
    )
    .await;
    assert!(listed.contains("batch-1.result.json"));
    let result: Value = serde_json::from_slice(&std::fs::read(&result).unwrap()).unwrap();
    assert_eq!(result["status"], "done");
    let outcomes = result["memos"].as_array().unwrap();
    assert_eq!(outcomes.len(), 4);
    assert_eq!(outcomes[0]["outcome"], "accepted");
    assert_eq!(outcomes[0]["messageId"], first["messageId"]);
    assert_eq!(outcomes[0]["receipt"]["status"], "available_to_recipient");
    // The same memo again is the same message (idempotency by messageId), as over REST.
    assert_eq!(outcomes[1]["outcome"], "accepted");
    assert_eq!(outcomes[1]["receipt"], outcomes[0]["receipt"]);
    assert_eq!(outcomes[2]["outcome"], "refused");
    assert_eq!(outcomes[2]["problem"]["code"], "validation_failed");
    assert_eq!(outcomes[2]["problem"]["errors"][0]["field"], "recipient");
    assert_eq!(outcomes[3]["outcome"], "refused");
    assert_eq!(outcomes[3]["entry"], "memos/00004.json");

    // One message, its attachment read from the archive, with the REST intake's events.
    let db = app.db().await;
    let stored = message::Entity::find()
        .filter(message::Column::SenderSystemId.eq(&id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    let content: Value = serde_json::from_str(&stored[0].content).unwrap();
    assert_eq!(content["attachments"][0]["content"], "JVBERi0xLjQK");
    // (Memos are submitted several at a time: the events of different memos interleave.)
    let mut names: Vec<String> = events(&app).await.into_iter().map(|e| e.event).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "available_to_recipient",
            "rejected",
            "rejected_technical",
            "technical_receipt_sent",
            "validated",
        ]
    );

    // The name is in use until its result is removed: refused at the open (some clients never
    // read a close's answer), and a rename onto it keeps the upload under its temporary name.
    let output = sftp(
        port,
        &id,
        &key,
        &format!("put {} /inbox/batch-1.zip\n", local.display()),
    )
    .await;
    assert!(!output.status.success(), "{}", text(&output));
    let listed = sftp_ok(
        port,
        &id,
        &key,
        &format!(
            "put {} /inbox/again.part\n-rename /inbox/again.part /inbox/batch-1.zip\nls /inbox/again.part\n",
            local.display()
        ),
    )
    .await;
    assert!(listed.contains("again.part"), "{listed}");

    // A read result can be removed; the name may then be used again.
    sftp_ok(
        port,
        &id,
        &key,
        "rm /results/batch-1.result.json\nls /results\n",
    )
    .await;
    assert_eq!(bulk_row_count(&db).await, 0, "the result is gone");
}

#[tokio::test]
async fn issue_35_wrong_keys_unlisted_addresses_inactive_and_deleted_systems_are_refused_and_logged(
) {
    let (app, port, dir, key, public, receipt) = sender().await;
    let (other, _) = keypair(dir.path(), "other").await;
    let system = receipt.system;
    let ls = "ls /\n";

    // The system's own key works.
    assert!(sftp_ok(port, &system.id, &key, ls).await.contains("inbox"));

    // Another key: refused, and `Afvist teknisk` with the reason in the sender's log when the
    // connection ends without a login.
    let output = sftp(port, &system.id, &other, ls).await;
    assert!(!output.status.success());
    let mut logged = events(&app).await;
    for _ in 0..50 {
        if !logged.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        logged = events(&app).await;
    }
    assert_eq!(logged.last().unwrap().event, "rejected_technical");
    assert_eq!(
        logged.last().unwrap().error_message.as_deref(),
        Some("Forkert SSH-nøgle ved SFTP-login.")
    );
    // A client that offers a wrong key first and then the right one logs in, without an event.
    let both = tokio::process::Command::new("sftp")
        .args(["-b", "-", "-P", &port.to_string(), "-i"])
        .arg(&other)
        .arg("-i")
        .arg(&key)
        .args(ssh_options())
        .arg(format!("{}@127.0.0.1", system.id))
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    assert!(both.status.success(), "{}", text(&both));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        events(&app).await.len(),
        logged.len(),
        "no event for a probe"
    );
    // An unknown user, and no password login at all.
    let output = sftp(port, "no-such-system", &key, ls).await;
    assert!(!output.status.success());

    // The right key from an address off the allowlist: refused, `Afvist`.
    let elsewhere = sftp_system(&app, &public, &["10.1.2.3"]).await.system;
    let output = sftp(port, &elsewhere.id, &key, ls).await;
    assert!(!output.status.success());
    let last = events(&app).await.pop().unwrap();
    assert_eq!(last.event, "rejected");
    assert_eq!(last.system_id.as_deref(), Some(elsewhere.id.as_str()));

    // Deactivated: refused, `Afvist` "Systemet er ikke aktivt".
    let db = app.db().await;
    deactivate(&db, &system.id).await;
    let output = sftp(port, &system.id, &key, ls).await;
    assert!(!output.status.success());
    let last = events(&app).await.pop().unwrap();
    assert_eq!(
        (last.event.as_str(), last.error_message.as_deref()),
        ("rejected", Some("Systemet er ikke aktivt."))
    );

    // Deleted: refused.
    adgang_systems::entity::system::Entity::delete_by_id(system.id.clone())
        .exec(&db)
        .await
        .unwrap();
    let output = sftp(port, &system.id, &key, ls).await;
    assert!(!output.status.success());
}

#[tokio::test]
async fn issue_35_no_shell_no_commands_no_forwarding_no_path_outside_the_folder() {
    let (app, port, dir, key, _, receipt) = sender().await;
    let id = receipt.system.id;
    let ssh = |args: Vec<String>| {
        let key = key.clone();
        async move {
            let mut command = tokio::process::Command::new("ssh");
            command
                .args(["-p", &port.to_string(), "-i"])
                .arg(&key)
                .args(ssh_options())
                .args(args)
                .stdin(std::process::Stdio::null())
                .kill_on_drop(true);
            tokio::time::timeout(Duration::from_secs(30), command.output())
                .await
                .expect("ssh finishes")
                .unwrap()
        }
    };
    let target = format!("{id}@127.0.0.1");
    let command = ssh(vec![target.clone(), "cat /etc/passwd".into()]).await;
    assert!(!command.status.success());
    assert!(!String::from_utf8_lossy(&command.stdout).contains("root:"));
    let shell = ssh(vec!["-tt".into(), target.clone()]).await;
    assert!(!shell.status.success());
    let forward = ssh(vec![
        "-W".into(),
        format!("127.0.0.1:{}", app.port),
        target.clone(),
    ])
    .await;
    assert!(!forward.status.success());

    let local = dir.path().join("x.zip");
    std::fs::write(&local, b"PK").unwrap();
    for (batch, why) in [
        ("get /etc/passwd\n", "an absolute path"),
        ("get ../../../../etc/passwd\n", "`..`"),
        ("get /inbox/../../etc/passwd\n", "`..` inside"),
        (
            &*format!("put {} /tmp/x.zip\n", local.display()),
            "an upload outside /inbox",
        ),
        (
            &*format!("put {} /results/x.zip\n", local.display()),
            "an upload to /results",
        ),
        ("symlink /etc/passwd /inbox/passwd.zip\n", "a link"),
        ("mkdir /inbox/sub\n", "a folder"),
        ("ls /etc\n", "a listing outside"),
    ] {
        let output = sftp(port, &id, &key, batch).await;
        assert!(!output.status.success(), "{why}: {}", text(&output));
    }
    // `..` stops at the folder's top: `cd ../..` is still the folder.
    let listed = sftp_ok(port, &id, &key, "cd ../..\npwd\nls\n").await;
    assert!(listed.contains("Remote working directory: /"));
    assert!(listed.contains("results"));
    assert_eq!(bulk_row_count(&app.db().await).await, 0);
}

#[tokio::test]
async fn issue_35_hostile_or_unreadable_archives_fail_with_the_reason_in_the_log_and_results() {
    let (app, port, dir, key, _, receipt) = sender().await;
    let id = receipt.system.id;

    let many: Vec<(String, Vec<u8>)> = (0..61_000).map(|i| (format!("f{i}"), Vec::new())).collect();
    let many: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("not-a-zip.zip", b"this is no archive".to_vec()),
        (
            "bomb.zip",
            archive(&[
                ("manifest.json", br#"{"memos":["a.json"]}"#),
                ("a.json", &vec![b' '; 40 * 1024 * 1024]),
            ]),
        ),
        (
            "traversal.zip",
            archive(&[
                ("manifest.json", br#"{"memos":["../../etc/passwd"]}"#),
                ("../../etc/passwd", b"{}"),
            ]),
        ),
        ("too-many.zip", archive(&many)),
        ("no-manifest.zip", archive(&[("a.json", b"{}")])),
    ];
    for (name, bytes) in &hostile {
        let local = dir.path().join(name);
        std::fs::write(&local, bytes).unwrap();
        put(port, &id, &key, &local, &format!("/inbox/{name}")).await;
    }
    for (name, _) in &hostile {
        let row = taken(&app, &id, name).await;
        assert_eq!(row.state, "failed", "{name}");
        let result: Value = serde_json::from_str(row.result.as_deref().unwrap()).unwrap();
        assert_eq!(result["status"], "failed");
        assert!(
            result["failure"].as_str().is_some_and(|f| !f.is_empty()),
            "{name}"
        );
    }
    let failed: Vec<message_events::Model> = events(&app)
        .await
        .into_iter()
        .filter(|e| e.event == "failed")
        .collect();
    assert_eq!(failed.len(), hostile.len());
    for event in &failed {
        let said = event.error_message.as_deref().unwrap();
        assert!(said.starts_with("Masseforsendelsen "), "{said}");
        assert!(
            said.contains("fejlede, fordi filen ikke kan læses"),
            "{said}"
        );
        assert_eq!(event.system_id.as_deref(), Some(id.as_str()));
    }
    assert_eq!(count_messages(&app.db().await).await, 0);
}

#[tokio::test]
async fn issue_35_an_upload_cut_off_mid_transfer_is_never_taken() {
    let (app, port, dir, key, _, receipt) = sender().await;
    let id = receipt.system.id;
    let memos: Vec<String> = (0..50)
        .map(|_| bulk_memo(CITIZEN, None).to_string())
        .collect();
    let zip = bulk_file(&memos, &[("padding.bin", &random_bytes(8_000_000))]);
    let local = dir.path().join("big.zip");
    std::fs::write(&local, &zip).unwrap();

    // Straight to a `.zip` name, and to a temporary name: both cut off by killing the client.
    for target in ["/inbox/cut.zip", "/inbox/cut.zip.part"] {
        // At 2,000 kbit/s the 8 MB take half a minute: killed after 1.5 s.
        let batch = format!(
            "put {} {target}\nrename /inbox/cut.zip.part /inbox/cut.zip\n",
            local.display()
        );
        let mut child = sftp_started(port, &id, &key, &["-l", "2000"], &batch).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        child.kill().await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let db = app.db().await;
    assert_eq!(bulk_row_count(&db).await, 0, "nothing kept");
    assert_eq!(count_messages(&db).await, 0);

    // Complete, the same file is taken.
    put(port, &id, &key, &local, "/inbox/whole.zip").await;
    let row = taken(&app, &id, "whole.zip").await;
    assert_eq!((row.state.as_str(), row.accepted), ("done", 50));
}

/// An organisation and its active SFTP sender system with `public_key`, written straight into
/// the database (for the tests that run the real binary).
async fn seed_sftp_sender(db: &sea_orm::DatabaseConnection, public_key: &str) -> String {
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let (name, kind) = ("Testkommune Nord", OrgKind::Authority);
    adgang_test_support::create_joined_organisation(db, SENDER, name, kind, now, now).await;
    let id = uuid::Uuid::now_v7().to_string();
    let mut row = crate::durability::system_row(&id, SENDER, "Masseforsendelser", now);
    row.protocol = Set("sftp".to_owned());
    row.ssh_public_key = Set(Some(public_key.to_owned()));
    row.insert(db).await.unwrap();
    id
}

/// A migrated test database with SENDER's SFTP system, and the system's key.
async fn seeded_database() -> (
    adgang_test_support::TestDatabase,
    sea_orm::DatabaseConnection,
    tempfile::TempDir,
    PathBuf,
    String,
) {
    let database = adgang_test_support::TestDatabase::create().await;
    let db = adgang_server::database::connect_and_migrate(&database.url)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = keypair(dir.path(), "sender").await;
    let id = seed_sftp_sender(&db, &public).await;
    (database, db, dir, key, id)
}

async fn count_messages(db: &sea_orm::DatabaseConnection) -> usize {
    message::Entity::find().count(db).await.unwrap() as usize
}

async fn file_state(db: &sea_orm::DatabaseConnection, name: &str) -> Option<bulk_row::Model> {
    bulk_row::Entity::find()
        .filter(bulk_row::Column::Name.eq(name))
        .one(db)
        .await
        .unwrap()
}

/// The real server binary with the SFTP service on `sftp_port`.
fn start_server(database_url: &str, port: u16, sftp_port: u16) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_adgang-server"))
        .env("DATABASE_URL", database_url)
        .env("ADGANG_BIND", "127.0.0.1")
        .env("ADGANG_PORT", port.to_string())
        .env("ADGANG_SFTP_PORT", sftp_port.to_string())
        .env("ADGANG_SPA_DIR", "/nonexistent-spa")
        .env("ADGANG_DEMO_DATA", "false")
        // A file a killed instance was taking is taken again after this.
        .env("ADGANG_BULK_LEASE_SECONDS", "2")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starting adgang-server")
}

async fn wait_healthy(port: u16) {
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
        {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

#[tokio::test]
async fn issue_35_kill_9_while_a_bulk_file_is_taken_leaves_each_memo_taken_exactly_once() {
    const MEMOS: usize = 3_000;
    let (database, db, dir, key, id) = seeded_database().await;
    let memos: Vec<Value> = (0..MEMOS).map(|_| bulk_memo(CITIZEN, None)).collect();
    let lines: Vec<String> = memos.iter().map(Value::to_string).collect();
    let local = dir.path().join("bulk.zip");
    std::fs::write(&local, bulk_file(&lines, &[])).unwrap();

    let (port, sftp_port) = (
        adgang_test_support::free_port(),
        adgang_test_support::free_port(),
    );
    let mut server = start_server(&database.url, port, sftp_port);
    wait_healthy(port).await;
    put(sftp_port, &id, &key, &local, "/inbox/big.zip").await;
    // Killed while the memos are being taken.
    let at_kill = crate::durability::stopped_mid_work(
        server.id(),
        || count_messages(&db),
        |taken| taken >= 200,
    )
    .await;
    crate::durability::kill_9(&mut server);
    assert!(
        (1..MEMOS).contains(&at_kill),
        "killed mid-file ({at_kill} of {MEMOS} taken)"
    );
    assert_eq!(file_state(&db, "big.zip").await.unwrap().state, "waiting");

    // Started again, the file is taken on from its last kept memo.
    let mut server = start_server(&database.url, port, sftp_port);
    wait_healthy(port).await;
    let mut done = None;
    for _ in 0..1200 {
        done = file_state(&db, "big.zip")
            .await
            .filter(|f| f.state != "waiting");
        if done.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    crate::durability::kill_9(&mut server);
    let done = done.expect("the file was taken after the restart");
    assert_eq!(
        (done.state.as_str(), done.accepted, done.refused),
        ("done", MEMOS as i32, 0)
    );
    let result: Value = serde_json::from_str(done.result.as_deref().unwrap()).unwrap();
    let outcomes = result["memos"].as_array().unwrap();
    assert_eq!(outcomes.len(), MEMOS, "one outcome per memo");
    for (outcome, memo) in outcomes.iter().zip(&memos) {
        assert_eq!(outcome["messageId"], memo["messageId"]);
        assert_eq!(outcome["outcome"], "accepted");
    }
    // Each memo one message, with one `Valideret`.
    assert_eq!(count_messages(&db).await, MEMOS);
    assert_eq!(count_events(&db, "validated").await, MEMOS);
}

/// PostgreSQL only: ignored in a plain run, run by `cargo xtask test`'s PostgreSQL pass.
#[tokio::test]
#[ignore = "PostgreSQL only: runs in cargo xtask test's PostgreSQL pass"]
async fn issue_35_two_instances_on_one_postgresql_never_take_a_file_twice() {
    const FILES: usize = 8;
    const MEMOS: usize = 150;
    let (database, db, dir, key, id) = seeded_database().await;
    assert_eq!(
        database.kind,
        adgang_test_support::DatabaseKind::Postgres,
        "two instances share a database on PostgreSQL only: set TEST_DATABASE_URL"
    );
    let clock: std::sync::Arc<dyn adgang_core::Clock> =
        std::sync::Arc::new(adgang_core::time::SystemClock);
    let mut sftp_ports = Vec::new();
    for _ in 0..2 {
        let settings = adgang_server::Settings {
            port: 0,
            database_url: database.url.clone(),
            spa_dir: "/nonexistent-spa".into(),
            clock: clock.clone(),
            sftp_port: Some(0),
            sandbox: adgang_server::sandbox::SandboxSettings {
                program: Some(adgang_test_support::server_binary()),
                ..Default::default()
            },
            ..adgang_server::Settings::default()
        };
        let app = adgang_server::Application::build(settings).await.unwrap();
        sftp_ports.push(app.sftp_port().unwrap());
        tokio::spawn(app.run_until_stopped());
    }
    // Files uploaded to either instance; each has refused memos, whose `Afvist` events would
    // come twice if a file were taken twice.
    for i in 0..FILES {
        let mut lines: Vec<String> = (0..MEMOS)
            .map(|_| bulk_memo(CITIZEN, None).to_string())
            .collect();
        lines.push(bulk_memo("123", None).to_string());
        let local = dir.path().join(format!("f{i}.zip"));
        std::fs::write(&local, bulk_file(&lines, &[])).unwrap();
        let port = sftp_ports[i % 2];
        put(port, &id, &key, &local, &format!("/inbox/f{i}.zip")).await;
    }
    for _ in 0..1200 {
        let waiting = bulk_row::Entity::find()
            .filter(bulk_row::Column::State.eq("waiting"))
            .count(&db)
            .await
            .unwrap();
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let files = bulk_row::Entity::find().all(&db).await.unwrap();
    assert_eq!(files.len(), FILES);
    for file in &files {
        assert_eq!(
            (file.state.as_str(), file.accepted, file.refused),
            ("done", MEMOS as i32, 1)
        );
    }
    assert_eq!(count_messages(&db).await, FILES * MEMOS);
    assert_eq!(count_events(&db, "validated").await, FILES * MEMOS);
    assert_eq!(
        count_events(&db, "rejected").await,
        FILES,
        "each refused memo refused once"
    );
}

#[tokio::test]
async fn issue_35_one_address_cannot_hold_every_connection() {
    use tokio::io::AsyncReadExt;
    let (_app, port, _dir, key, _, receipt) = sender().await;
    // Sixteen connections that never log in hold their address's places…
    let mut idle = Vec::new();
    for _ in 0..16 {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        let mut banner = [0u8; 8];
        stream.read_exact(&mut banner).await.unwrap();
        assert_eq!(&banner, b"SSH-2.0-");
        idle.push(stream);
    }
    // …so a seventeenth from it is closed at once, without a banner…
    let mut seventeenth = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut read = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), seventeenth.read_to_end(&mut read))
        .await
        .expect("closed, not kept waiting");
    assert!(closed.is_err() || read.is_empty(), "{read:?}");
    // …and once they are gone, the system logs in again.
    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    sftp_ok(port, &receipt.system.id, &key, "ls /\n").await;
}

#[tokio::test]
async fn issue_35_an_upload_is_not_kept_when_the_system_was_deactivated_meanwhile_or_its_name_is_not_zip(
) {
    let (app, port, dir, key, _, receipt) = sender().await;
    let id = receipt.system.id;
    let memos: Vec<String> = (0..3)
        .map(|_| bulk_memo(CITIZEN, None).to_string())
        .collect();
    let noise = random_bytes(1_500_000);
    let local = dir.path().join("slow.zip");
    std::fs::write(&local, bulk_file(&memos, &[("padding.bin", &noise)])).unwrap();

    // An upper-case `.ZIP` is not a bulk file: it stays an upload of this connection.
    put(port, &id, &key, &local, "/inbox/UPPER.ZIP").await;
    let db = app.db().await;
    assert_eq!(bulk_row_count(&db).await, 0);

    // Deactivated while the upload runs (at 2,000 kbit/s, about six seconds): not kept.
    let batch = format!("put {} /inbox/late.zip\n", local.display());
    let child = sftp_started(port, &id, &key, &["-l", "2000"], &batch).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    deactivate(&db, &id).await;
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        !output.status.success(),
        "refused at the end: {}",
        text(&output)
    );
    assert!(
        text(&output).contains("Permission denied"),
        "{}",
        text(&output)
    );
    assert_eq!(bulk_row_count(&db).await, 0);
}
