//! `cargo xtask bench statistics[-postgres]` (issue 18, ST-04): 10,000,000 messages of one
//! authority in 2025 (sent by three sender systems to citizens and 1,000 companies, every 20th
//! received from another authority), seeded by SQL; then the release server's scheduler rolls
//! the year up into daily counts, and a custom report of all eight variables over the year is
//! ordered through the API and polled until it can be downloaded. Reported: the roll-up (the
//! nightly work, here 365 days at once), the report, the server's memory, and the plans of
//! both queries. The CSV's counts must add up to every message.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::bench::issue_token;
use crate::bench_db::{on_sqlite_then_postgres, rss_kib, start_server_with, Dialect, Target};
use crate::step;

const ORG: &str = "29189846";
const OTHER: &str = "34051178";
const MESSAGES: u64 = 10_000_000;
/// 2025-01-01T00:00:00Z; one message every 3 seconds spans 347 days.
const START: u64 = 1_735_689_600;

/// The messages table's indexes (migrations 000012 and 000019): dropped for the bulk load and
/// made again as the migrations make them.
const INDEXES: [(&str, &str); 4] = [
    ("ux_messages_sender_message", "CREATE UNIQUE INDEX ux_messages_sender_message ON messages (sender_cvr, message_id)"),
    ("ix_messages_recipient_system_state", "CREATE INDEX ix_messages_recipient_system_state ON messages (recipient_system_id, state, accepted_at)"),
    ("ix_messages_recipient_platform", "CREATE INDEX ix_messages_recipient_platform ON messages (recipient_id, platform, accepted_at)"),
    ("ix_messages_accepted_at", "CREATE INDEX ix_messages_accepted_at ON messages (accepted_at)"),
];

fn seed_statements(d: &Dialect) -> Vec<String> {
    let c = d.concat;
    let now = (d.time)("0", START);
    let mut statements: Vec<String> = [
        (ORG, "Testkommune Nord"),
        (OTHER, "Styrelsen for Digital Test"),
    ]
    .iter()
    .map(|(cvr, name)| {
        format!(
            "INSERT INTO organisations (cvr, name, kind, agreement_accepted_at, created_at) \
                 VALUES ('{cvr}', '{name}', 'authority', {now}, {now})"
        )
    })
    .collect();
    statements.extend(INDEXES.iter().map(|(name, _)| format!("DROP INDEX {name}")));
    statements.push(format!(
        "INSERT INTO messages (id, message_id, sender_cvr, sender_system_id, recipient_id, title, \
         message_type, value_date, contact_point_id, attachment_count, size_bytes, content_hash, \
         content, route, platform, recipient_system_id, state, vendor_cvr, accepted_at, \
         released_at, delivered_at) \
         SELECT '00000000-0000-7000-8018-' {c} {id}, 'm-' {c} {id}, \
         CASE WHEN i % 20 = 0 THEN '{OTHER}' ELSE '{ORG}' END, \
         'system-' {c} {system}, \
         CASE WHEN i % 20 = 0 THEN '{ORG}' WHEN i % 5 = 0 THEN '4' {c} {company} \
         ELSE '0101' {c} {year} {c} {serial} END, 'Brev', \
         CASE i % 7 WHEN 0 THEN 'legal_notice' WHEN 1 THEN 'nemsms' WHEN 2 THEN 'mandatory' \
         ELSE 'letter' END, NULL, NULL, i % 3, (i % 2526) * 7919, '', '{{}}', 'platform', \
         'virk', NULL, 'available', NULL, {time}, NULL, NULL FROM {series} AS s",
        id = (d.pad)("i", 12),
        system = (d.pad)("i % 3", 1),
        company = (d.pad)("i % 1000", 7),
        year = (d.pad)("50 + (i / 10) % 50", 2),
        serial = (d.pad)("(i / 500) % 10000", 4),
        time = (d.time)("i * 3", START),
        series = (d.series)(MESSAGES),
    ));
    statements.extend(INDEXES.iter().map(|(_, create)| (*create).to_owned()));
    statements
}

/// The body, and as JSON when it is (`Null` otherwise: the CSV download).
fn curl(args: &[&str]) -> Result<(Vec<u8>, serde_json::Value)> {
    let body = crate::bench::curl_body(args)?;
    let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    Ok((body, json))
}

fn bench_target(target: &Target, server_bin: &Path, key_file: &Path) -> Result<Vec<String>> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    // Migrate an empty database, without the scheduler.
    drop(start_server_with(
        server_bin,
        key_file,
        &target.url,
        port,
        &[("ADGANG_STATISTICS_WORKER", "false")],
    )?);
    step(&format!("{}: seeding {MESSAGES} messages", target.label));
    let seeding = Instant::now();
    for statement in seed_statements(&target.dialect) {
        (target.sql)(&statement)?;
    }
    (target.sql)("ANALYZE")?;
    step(&format!(
        "{}: seeded in {:.0} s",
        target.label,
        seeding.elapsed().as_secs_f64()
    ));

    // The plans with their costs and times, as docs/performance.md quotes them.
    let explain = if target.label == "SQLite" {
        "EXPLAIN QUERY PLAN"
    } else {
        "EXPLAIN ANALYZE"
    };
    let day_plan = (target.sql)(&format!(
        "{explain} SELECT sender_cvr, sender_system_id, message_type, count(*) FROM messages \
         WHERE accepted_at >= '2025-06-01' AND accepted_at < '2025-06-02' GROUP BY 1, 2, 3"
    ))?;
    step(&format!(
        "{}: rolling up 2025 (the scheduler)",
        target.label
    ));
    let rolling = Instant::now();
    let server = start_server_with(
        server_bin,
        key_file,
        &target.url,
        port,
        &[("ADGANG_STATISTICS_ROUND_SECONDS", "1")],
    )?;
    let pid = server.0.id();
    let before = rss_kib(pid);
    let mut peak = before;
    let rolled_messages = loop {
        std::thread::sleep(Duration::from_millis(200));
        peak = peak.max(rss_kib(pid));
        let done = (target.sql)(
            "SELECT count(*), coalesce(sum(messages), 0) FROM statistics_rolled_days \
             WHERE day <= '2025-12-31'",
        )?;
        let mut parts = done.trim().split('|');
        let days: u64 = parts.next().unwrap_or("0").parse().unwrap_or(0);
        let messages: u64 = parts.next().unwrap_or("0").parse().unwrap_or(0);
        // Every day of 2025 is rolled up once its 365 days are (and they hold every message).
        if days >= 365 && messages >= MESSAGES {
            break messages;
        }
        anyhow::ensure!(
            rolling.elapsed() < Duration::from_secs(1800),
            "roll-up over 30 min"
        );
    };
    let rollup_seconds = rolling.elapsed().as_secs_f64();
    anyhow::ensure!(
        rolled_messages == MESSAGES,
        "rolled {rolled_messages} messages"
    );
    let counts = (target.sql)("SELECT count(*) FROM statistics_daily_counts")?;

    let base_url = format!("http://127.0.0.1:{port}");
    let token = issue_token(server_bin, key_file, &base_url, ORG, "statistics_admin")?;
    let authorization = format!("Authorization: Bearer {token}");
    step(&format!(
        "{}: a custom report of all eight variables over 2025",
        target.label
    ));
    let started = Instant::now();
    let (_, ordered) = curl(&[
        "-H",
        &authorization,
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"name":"Hele 2025","variables":["sender","recipient","sender_system","recipient_system","message_type","size","sender_customer_type","recipient_customer_type"],"period":{"from":"2025-01-01","to":"2025-12-31"}}"#,
        &format!("{base_url}/api/v1/organisations/{ORG}/statistics/custom-reports"),
    ])?;
    let id = ordered["id"]
        .as_str()
        .context("the report's id")?
        .to_owned();
    let report = loop {
        std::thread::sleep(Duration::from_millis(100));
        peak = peak.max(rss_kib(pid));
        let (_, report) = curl(&[
            "-H",
            &authorization,
            &format!("{base_url}/api/v1/organisations/{ORG}/statistics/reports/{id}"),
        ])?;
        if report["state"] == "ready" {
            break report;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "no report in 10 minutes"
        );
    };
    let report_seconds = started.elapsed().as_secs_f64();
    let (csv, _) = curl(&[
        "-H",
        &authorization,
        &format!("{base_url}/api/v1/organisations/{ORG}/statistics/reports/{id}/file"),
    ])?;
    let after = rss_kib(pid);
    drop(server);
    let text = String::from_utf8(csv)?;
    let total: u64 = text
        .lines()
        .skip(1)
        .filter_map(|l| l.rsplit(';').next()?.trim().parse::<u64>().ok())
        .sum();
    anyhow::ensure!(total == MESSAGES, "the report counts {total} messages");
    let report_plan = (target.sql)(&format!(
        "{explain} SELECT direction, sender_system_id, recipient_system_id, message_type, size_band, \
         sender_type, recipient_type, sum(messages) FROM statistics_daily_counts WHERE \
         organisation_cvr = '{ORG}' AND day >= '2025-01-01' AND day <= '2025-12-31' GROUP BY \
         direction, sender_system_id, recipient_system_id, message_type, size_band, sender_type, \
         recipient_type"
    ))?;
    Ok(vec![
        format!(
            "| {}: roll-up of 2025 ({MESSAGES} messages → {} daily counts, 365 days) | {rollup_seconds:.1} s | {} / {} MiB | nightly work |",
            target.label, counts.trim(), before / 1024, peak / 1024,
        ),
        format!(
            "| {}: custom report, all 8 variables, 2025 ({} rows; counts add up to {total}) | {report_seconds:.1} s | {} MiB after | < 30 s |",
            target.label, report["rows"], after / 1024,
        ),
        format!("{} plan, one day's tallies:\n```\n{}\n```", target.label, day_plan.trim()),
        format!("{} plan, the report's sum:\n```\n{}\n```", target.label, report_plan.trim()),
    ])
}

/// `postgres_only`: skip the SQLite run (`cargo xtask bench statistics-postgres`).
pub fn bench_statistics(
    server_bin: &Path,
    key_file: &Path,
    data: &Path,
    postgres_only: bool,
) -> Result<Vec<String>> {
    let rows = on_sqlite_then_postgres(data, "statistics.db", postgres_only, |target| {
        let measured = bench_target(target, server_bin, key_file)?;
        // The SQLite rows are printed at once: the PostgreSQL run after them takes minutes.
        if target.label == "SQLite" {
            for row in &measured {
                println!("{row}");
            }
        }
        Ok(measured)
    })?;
    Ok(rows.concat())
}
