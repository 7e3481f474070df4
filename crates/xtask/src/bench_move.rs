//! `cargo xtask bench move[-postgres]` (issue 17, MV-04): a move of 100,000 messages lying in an
//! authority's Virk mailbox (and 100,000 of other organisations beside them) to a contact point
//! of its REST PULL recipient system, ordered through the API and run by the release server's
//! move worker — messages per second from the order to the end, and the server's memory before,
//! during (the highest sample) and after. Seeded by SQL in the database, as the other benches.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::bench::issue_token;
use crate::bench_db::{on_sqlite_then_postgres, rss_kib, start_server, Dialect, Target};
use crate::step;

const ORG: &str = "29189846";
const SYSTEM: &str = "00000000-0000-7000-8007-000000000001";
const POINT: &str = "00000000-0000-7000-8007-000000000002";
/// The messages moved (and as many of other organisations).
const MESSAGES: u64 = 100_000;

fn seed_statements(d: &Dialect, start: u64) -> Vec<String> {
    let c = d.concat;
    let now = (d.time)("0", start + MESSAGES);
    let organisation = format!(
        "INSERT INTO organisations (cvr, name, kind, agreement_accepted_at, created_at) \
         VALUES ('{ORG}', 'Testkommune Nord', 'authority', {now}, {now})"
    );
    let system = format!(
        "INSERT INTO systems (id, organisation_cvr, name, role, protocol, allowed_ips, endpoint, \
         receipt_endpoint, ssh_public_key, vendor_cvr, api_key_sealed, active_from, active_to, \
         contact_email, contact_phone, contact_extra_email, is_primary, standard_system_id, \
         created_at, updated_at) VALUES ('{SYSTEM}', '{ORG}', 'Postsystem', 'recipient', \
         'rest_pull', '127.0.0.1', NULL, NULL, NULL, NULL, NULL, {now}, NULL, \
         'drift@example.dk', '12345678', NULL, true, NULL, {now}, {now})"
    );
    let point = format!(
        "INSERT INTO contact_points (id, organisation_cvr, name, description, internal_note, \
         visible, audiences, max_message_size_bytes, max_attachments, external_link, \
         input_fields, codes, recipient_system_id, active, created_at, updated_at) VALUES \
         ('{POINT}', '{ORG}', 'Postmodtagelse', '', '', true, 'citizens', 104857600, 100, NULL, \
         '[]', '[]', '{SYSTEM}', true, {now}, {now})"
    );
    // Every second message is the measured organisation's; the rest are spread over others.
    let messages = format!(
        "INSERT INTO messages (id, message_id, sender_cvr, sender_system_id, recipient_id, title, \
         message_type, value_date, contact_point_id, attachment_count, size_bytes, content_hash, \
         content, route, platform, recipient_system_id, state, vendor_cvr, accepted_at, \
         released_at, delivered_at) \
         SELECT '00000000-0000-7000-8008-' {c} {id}, 'm-' {c} {id}, '34051178', 'bench', \
         CASE WHEN i % 2 = 0 THEN '{ORG}' ELSE '4' {c} {other} END, 'Brev ' {c} {id}, 'letter', \
         NULL, NULL, 0, 3, '', '{{}}', 'platform', 'virk', NULL, 'available', NULL, {time}, NULL, \
         {time} FROM {series} AS s",
        id = (d.pad)("i", 12),
        other = (d.pad)("i % 97", 7),
        time = (d.time)("i / 2", start),
        series = (d.series)(MESSAGES * 2),
    );
    vec![organisation, system, point, messages]
}

fn curl(args: &[&str]) -> Result<serde_json::Value> {
    Ok(serde_json::from_slice(&crate::bench::curl_body(args)?)?)
}

fn bench_target(target: &Target, server_bin: &Path, key_file: &Path) -> Result<String> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    drop(start_server(server_bin, key_file, &target.url, port)?);
    step(&format!(
        "{}: seeding {} messages in Virk mailboxes",
        target.label,
        MESSAGES * 2
    ));
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs()
        - 2 * MESSAGES;
    for statement in seed_statements(&target.dialect, start) {
        (target.sql)(&statement)?;
    }
    (target.sql)("ANALYZE")?;

    let server = start_server(server_bin, key_file, &target.url, port)?;
    let pid = server.0.id();
    let base_url = format!("http://127.0.0.1:{port}");
    let token = issue_token(server_bin, key_file, &base_url, ORG, "system_admin")?;
    let authorization = format!("Authorization: Bearer {token}");
    let before = rss_kib(pid);
    step(&format!("{}: moving {MESSAGES} messages", target.label));
    let started = Instant::now();
    let order = curl(&[
        "-H",
        &authorization,
        "-H",
        "Content-Type: application/json",
        "-d",
        &format!(r#"{{"mode":"chosen","contactPointId":"{POINT}","confirmDeletion":true}}"#),
        &format!("{base_url}/api/v1/organisations/{ORG}/mail-moves"),
    ])?;
    let id = order["id"].as_str().context("the move's id")?.to_owned();
    anyhow::ensure!(order["total"] == MESSAGES, "total {}", order["total"]);
    let mut peak = before;
    let finished = loop {
        std::thread::sleep(Duration::from_millis(100));
        peak = peak.max(rss_kib(pid));
        let progress = curl(&[
            "-H",
            &authorization,
            &format!("{base_url}/api/v1/organisations/{ORG}/mail-moves/{id}"),
        ])?;
        if progress["state"] != "running" {
            break progress;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the move did not finish in 10 minutes"
        );
    };
    let seconds = started.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_secs(1));
    let after = rss_kib(pid);
    drop(server);
    anyhow::ensure!(
        finished["state"] == "completed" && finished["moved"] == MESSAGES,
        "the move ended {finished}"
    );
    let left = (target.sql)(&format!(
        "SELECT count(*) FROM messages WHERE recipient_id = '{ORG}' AND platform IS NOT NULL"
    ))?;
    let events = (target.sql)("SELECT count(*) FROM message_events WHERE event = 'moved'")?;
    anyhow::ensure!(left.trim() == "0", "{left} messages left in Virk");
    anyhow::ensure!(
        events.trim() == MESSAGES.to_string(),
        "{events} Flyttet events"
    );
    Ok(format!(
        "| {}: move {MESSAGES} messages (batches of 500; {} others' beside them) | {:.0} messages/s | {seconds:.1} s | {} / {} / {} MiB | ≥ 2,000/s, flat |",
        target.label,
        MESSAGES,
        MESSAGES as f64 / seconds,
        before / 1024,
        peak / 1024,
        after / 1024,
    ))
}

/// `postgres_only`: skip the SQLite run (`cargo xtask bench move-postgres`).
pub fn bench_move(
    server_bin: &Path,
    key_file: &Path,
    data: &Path,
    postgres_only: bool,
) -> Result<Vec<String>> {
    on_sqlite_then_postgres(data, "move.db", postgres_only, |target| {
        bench_target(target, server_bin, key_file)
    })
}
