//! `cargo xtask bench eventlog` (issue 15, LOG-06, X-05): the event log over 10,000,000 message
//! events, 1,000,000 actions and 1,000,000 searches across 200 organisations — generated in the
//! database by SQL (the indexes dropped while it fills and made again after, as a bulk load
//! would), on SQLite and on PostgreSQL. Then the release server answers under wrk: the first
//! page for four searches, a page deep in a 3-month result by cursor, and a CSV download of
//! ~80,000 rows with the server's RSS sampled before, during and after. The query plans are
//! printed beside the figures.
//!
//! The measured organisation (29189846) is a large municipality: every tenth event is its,
//! 1,000,000 over the year, ~250,000 in the default 3-month period.

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::bench::{issue_token, wrk};
use crate::bench_db::{on_sqlite_then_postgres, rss_kib, start_server, Dialect, Target};
use crate::step;

const ORG: &str = "29189846";
/// The message events generated: 10,000,000 (`ADGANG_BENCH_LOG_EVENTS` for a quicker look);
/// a tenth as many actions and as many searches.
fn message_events() -> u64 {
    std::env::var("ADGANG_BENCH_LOG_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000)
}
/// The generated events span a year: this many seconds apart.
fn spacing_seconds() -> u64 {
    (30_000_000 / message_events()).max(1)
}
const WRK_SECONDS: u32 = 10;

/// The 17 LOG-01 events by their stored ids (`MessageEvent::as_str`), outgoing first.
const EVENTS: [&str; 17] = [
    "failed",
    "validated",
    "rejected",
    "rejected_technical",
    "technical_receipt_sent",
    "business_receipt_sent",
    "business_receipt_failed",
    "recalled",
    "held_for_value_date",
    "sent_after_value_date",
    "nemsms_failed",
    "legally_served",
    "available_to_recipient",
    "sent",
    "sending_failed",
    "collected",
    "business_receipt_received",
];

/// The log indexes (named in migration 000013), dropped for the bulk load and made again.
const INDEXES: [&str; 15] = [
    "ix_actions_log_org_time",
    "ix_actions_log_org_actor_rid",
    "ix_actions_log_org_actor_cvr",
    "ix_actions_log_org_party",
    "ix_actions_log_org_actor",
    "ix_actions_log_org_object",
    "ix_searches_log_org_time",
    "ix_searches_log_org_actor",
    "ix_searches_log_org_data",
    "ix_message_events_org_time",
    "ix_message_events_org_sender",
    "ix_message_events_org_recipient",
    "ix_message_events_org_message",
    "ix_message_events_org_system",
    "ix_message_events_org_event",
];

/// The organisation of row `i`: every tenth the measured one, the rest spread over 199 others.
fn org_expr(d: &Dialect) -> String {
    format!(
        "CASE WHEN i % 10 = 0 THEN '{ORG}' ELSE '3' {} {} END",
        d.concat,
        (d.pad)("i % 199", 7)
    )
}

/// A CPR number with a real date (01-01-1950..1999), 2 per citizen per organisation.
fn cpr_expr(d: &Dialect) -> String {
    format!(
        "'0101' {c} {} {c} {}",
        (d.pad)("50 + (i / 10) % 50", 2),
        (d.pad)("(i / 500) % 10000", 4),
        c = d.concat
    )
}

fn seed_statements(d: &Dialect, start: u64) -> Vec<String> {
    let c = d.concat;
    let event = format!(
        "CASE i % 17 {} END",
        EVENTS
            .iter()
            .enumerate()
            .map(|(n, e)| format!("WHEN {n} THEN '{e}'"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let events = format!(
        "INSERT INTO message_events (id, organisation_cvr, direction, event, occurred_at, \
         message_id, system_id, title, message_type, sender_id, recipient_id, value_date, \
         contact_point_id, endpoint, error_message, attachment_count, vendor_cvr) \
         SELECT '00000000-0000-7000-8000-' {c} {id}, {org}, \
         CASE WHEN i % 17 >= 13 THEN 'incoming' ELSE 'outgoing' END, {event}, {time}, \
         '0190f3a0-0000-7000-8000-' {c} {message}, 'sys-' {c} {system}, 'Brev nr. ' {c} {id}, \
         'letter', {org}, {cpr}, NULL, NULL, NULL, NULL, 1, NULL FROM {series} AS s",
        id = (d.pad)("i", 12),
        org = org_expr(d),
        time = (d.time)(&format!("i * {}", spacing_seconds()), start),
        message = (d.pad)("i / 3", 12),
        system = (d.pad)("i % 400", 4),
        cpr = cpr_expr(d),
        series = (d.series)(message_events()),
    );
    // Actions and searches span the last 3 months (they reach no further back, LOG-04).
    let recent = message_events() * spacing_seconds() - 90 * 86_400;
    let actions = format!(
        "INSERT INTO actions_log (id, organisation_cvr, subject, party_id, object_id, actor, \
         actor_is_system, actor_rid, actor_cvr, occurred_at, event, object_name, field, before, \
         after, reason, power_of_attorney, on_behalf) \
         SELECT '00000000-0000-7000-8001-' {c} {id}, {org}, 'exemption', {cpr}, 'obj-' {c} {obj}, \
         CASE WHEN i % 20 = 0 THEN 'System' ELSE 'CVR:' {c} {org} {c} '-RID:' {c} {rid} END, \
         i % 20 = 0, CASE WHEN i % 20 = 0 THEN NULL ELSE {rid} END, \
         CASE WHEN i % 20 = 0 THEN NULL ELSE {org} END, {time}, 'created', 'Fritagelse', 'reason', NULL, 'Ja', 'Bor på plejehjem', \
         i % 2 = 0, false FROM {series} AS s",
        id = (d.pad)("i", 12),
        org = org_expr(d),
        cpr = cpr_expr(d),
        obj = (d.pad)("i", 8),
        rid = (d.pad)("i % 5000", 8),
        time = (d.time)(&format!("{recent} + i * 7"), start),
        series = (d.series)(message_events() / 10),
    );
    let searches = format!(
        "INSERT INTO searches_log (id, organisation_cvr, actor_rid, search_data, register, \
         result_count, occurred_at) \
         SELECT '00000000-0000-7000-8002-' {c} {id}, {org}, {rid}, {cpr}, 'cpr', 1, {time} \
         FROM {series} AS s",
        id = (d.pad)("i", 12),
        org = org_expr(d),
        rid = (d.pad)("i % 5000", 8),
        cpr = cpr_expr(d),
        time = (d.time)(&format!("{recent} + i * 7"), start),
        series = (d.series)(message_events() / 10),
    );
    vec![events, actions, searches]
}

/// `v1|messages|<org>|<nanoseconds>|<id>` base64url without padding: the API's cursor format
/// (`adgang_eventlog::service::cursor`), made here for a position deep in the result.
fn cursor(nanos: i64, id: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let raw = format!("v1|messages|{ORG}|{nanos}|{id}");
    let bytes = raw.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
        }
    }
    out
}

fn bench_target(
    target: &Target,
    server_bin: &Path,
    key_file: &Path,
    start: u64,
) -> Result<Vec<String>> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    // The schema: the server migrates on start.
    drop(start_server(server_bin, key_file, &target.url, port)?);
    step(&format!(
        "{}: seeding {} message events, {} actions and as many searches",
        target.label,
        message_events(),
        message_events() / 10
    ));
    let seeding = Instant::now();
    let mut definitions = Vec::new();
    for index in INDEXES {
        let definition = match target.label {
            "SQLite" => (target.sql)(&format!(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{index}'"
            ))?,
            _ => (target.sql)(&format!(
                "SELECT indexdef FROM pg_indexes WHERE indexname = '{index}'"
            ))?,
        };
        definitions.push(definition.trim().to_owned());
        (target.sql)(&format!("DROP INDEX {index}"))?;
    }
    for statement in seed_statements(&target.dialect, start) {
        (target.sql)(&statement)?;
    }
    let filled = seeding.elapsed();
    for definition in &definitions {
        (target.sql)(definition)?;
    }
    (target.sql)("ANALYZE")?;
    let seeded = seeding.elapsed();
    // The kernel is still writing back the gigabytes just generated; measured commits would
    // wait behind that (the first 10 M run's searches-log p99 of 1 s), which no running
    // deployment sees. Settle it first.
    if target.label == "PostgreSQL" {
        (target.sql)("CHECKPOINT")?;
    }
    anyhow::ensure!(Command::new("sync").status()?.success(), "sync failed");
    let mut rows = vec![format!(
        "| {}: seed {} log rows by SQL | {:.0} s (rows {:.0} s, indexes {:.0} s) | | | minutes |",
        target.label,
        message_events() * 12 / 10,
        seeded.as_secs_f64(),
        filled.as_secs_f64(),
        (seeded - filled).as_secs_f64()
    )];

    let server = start_server(server_bin, key_file, &target.url, port)?;
    let base_url = format!("http://127.0.0.1:{port}");
    let token = issue_token(
        server_bin,
        key_file,
        &base_url,
        ORG,
        "log_messages,log_actions,log_searches",
    )?;
    let authorization = format!("Authorization: Bearer {token}");
    let base = format!("{base_url}/api/v1/organisations/{ORG}/events");
    // A citizen and a message of the measured organisation in the default period.
    let last = message_events() - 10;
    let cpr = format!(
        "0101{:02}{:04}",
        50 + (last / 10) % 50,
        (last / 500) % 10_000
    );
    let message = format!("0190f3a0-0000-7000-8000-{:012}", last / 3);
    let today = (target.sql)(match target.label {
        "SQLite" => "SELECT date('now')",
        _ => "SELECT current_date",
    })?;
    let today = today.trim();
    let from = (target.sql)(match target.label {
        "SQLite" => "SELECT date('now', '-30 days')",
        _ => "SELECT (current_date - 30)::text",
    })?;
    let from = from.trim();
    // The row 100,000 deep in the default period (~260,000 rows), for the cursor.
    let deep_offset = (message_events() / 100).min(100_000);
    let deep = (target.sql)(&format!(
        "SELECT occurred_at, id FROM message_events WHERE organisation_cvr = '{ORG}' \
         ORDER BY occurred_at DESC, id DESC LIMIT 1 OFFSET {deep_offset}"
    ))?;
    let (deep_time, deep_id) = deep.trim().split_once('|').context("deep row")?;
    let deep_nanos = (target.sql)(&match target.label {
        "SQLite" => format!("SELECT CAST(strftime('%s', '{deep_time}') AS INTEGER) * 1000000000"),
        _ => {
            format!("SELECT (extract(epoch FROM '{deep_time}'::timestamptz) * 1000000000)::bigint")
        }
    })?;
    let deep_cursor = cursor(deep_nanos.trim().parse()?, deep_id);
    let searches = [
        (
            "organisation + default period (last 3 months)",
            String::new(),
        ),
        ("organisation + recipient CPR", format!("recipient={cpr}")),
        ("organisation + message id", format!("messageId={message}")),
        (
            "organisation + event + period (30 days)",
            format!("event=failed&from={from}&to={today}"),
        ),
        (
            "organisation + default period, 100,000 rows deep (cursor; fewer at a smaller scale)",
            format!("cursor={deep_cursor}"),
        ),
    ];
    for (label, query) in &searches {
        step(&format!("{}: {label}", target.label));
        let report = wrk(
            &format!("{base}/messages?{query}"),
            &authorization,
            WRK_SECONDS,
        )?;
        rows.push(format!(
            "| {}: GET …/events/messages, {label} (50 rows) | {}/s | {} | {} | < 50 ms |",
            target.label, report.requests_per_sec, report.p50, report.p99
        ));
    }
    let actions = wrk(
        &format!("{base}/actions?actor=00000007"),
        &authorization,
        WRK_SECONDS,
    )?;
    rows.push(format!(
        "| {}: GET …/events/actions, actor RID (default period) | {}/s | {} | {} | < 50 ms |",
        target.label, actions.requests_per_sec, actions.p50, actions.p99
    ));

    // CSV: 30 days of the organisation, ~86,000 rows, under the streaming limit — twice, so a
    // first download's warm-up (caches, allocator) is told apart from growth per download.
    let pid = server.0.id();
    for download in ["first", "second"] {
        step(&format!(
            "{}: CSV download ({download}) with RSS sampled",
            target.label
        ));
        let before = rss_kib(pid);
        let peak = Arc::new(AtomicU64::new(before));
        let running = Arc::new(AtomicBool::new(true));
        let sampler = {
            let (peak, running) = (peak.clone(), running.clone());
            std::thread::spawn(move || {
                while running.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        let file =
            std::env::temp_dir().join(format!("adgang-bench-log-{}.csv", std::process::id()));
        let started = Instant::now();
        let status = Command::new("curl")
            .args(["-s", "-f", "-o"])
            .arg(&file)
            .args(["-H", &authorization])
            .arg(format!("{base}/messages/csv?from={from}&to={today}"))
            .status()?;
        let took = started.elapsed();
        running.store(false, Ordering::Relaxed);
        let _ = sampler.join();
        anyhow::ensure!(status.success(), "the CSV download failed");
        let after = rss_kib(pid);
        let bytes = std::fs::read(&file)?;
        let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 - 1;
        let _ = std::fs::remove_file(&file);
        rows.push(format!(
            "| {}: GET …/events/messages/csv, 30 days ({download} download): {lines} rows, {:.1} MB in {:.2} s | {:.0} rows/s | RSS {} → {} → {} MiB (before → peak → after) | | ≥ 100,000 rows/s, flat |",
            target.label,
            bytes.len() as f64 / 1e6,
            took.as_secs_f64(),
            lines as f64 / took.as_secs_f64(),
            before / 1024,
            peak.load(Ordering::Relaxed) / 1024,
            after / 1024
        ));
    }
    drop(server);

    // The plans of the four searches, as the server's queries shape them.
    let window = match target.label {
        "SQLite" => format!(
            "organisation_cvr = '{ORG}' AND occurred_at >= '{from}T00:00:00+00:00' AND occurred_at < '{today}T23:00:00+00:00'"
        ),
        _ => format!(
            "organisation_cvr = '{ORG}' AND occurred_at >= '{from}' AND occurred_at < '{today}'"
        ),
    };
    for (label, filter) in [
        ("default period", String::new()),
        ("recipient CPR", format!(" AND recipient_id = '{cpr}'")),
        ("message id", format!(" AND message_id = '{message}'")),
        ("event + period", " AND event = 'failed'".to_owned()),
    ] {
        let select = format!(
            "SELECT * FROM message_events WHERE {window}{filter} ORDER BY occurred_at DESC, id DESC LIMIT 51"
        );
        let plan = (target.explain)(&select)?;
        rows.push(format!(
            "{} plan, {label}:\n```\n{}\n```",
            target.label,
            plan.trim()
        ));
    }
    Ok(rows)
}

/// `postgres_only`: skip the SQLite run (`cargo xtask bench eventlog-postgres`).
pub fn bench_eventlog(
    server_bin: &Path,
    key_file: &Path,
    data: &Path,
    postgres_only: bool,
) -> Result<Vec<String>> {
    // The generated year ends now.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let start = now - message_events() * spacing_seconds();
    let rows = on_sqlite_then_postgres(data, "eventlog.db", postgres_only, |target| {
        bench_target(target, server_bin, key_file, start)
    })?;
    Ok(rows.concat())
}
