//! `cargo xtask bench messaging` (issue 14, CORE-01..05): the release server's intake of
//! 100,000 memos under wrk, as a ratio to `/healthz` in the same run; the claim query's plan
//! over a backlog of 100,000 due jobs; delivery of that backlog to a local peer — on SQLite and
//! on PostgreSQL.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::bench::{
    create_authority, first_figure, issue_token, launch, server_command, wrk, wrk_script, Server,
};
use crate::step;

/// How long wrk submits memos: at the target of 1,000/s, 100,000 of them.
const INTAKE_SECONDS: u32 = 100;

/// A recipient system on loopback: answers every POST 200 and counts them (HTTP/1.1 keep-alive,
/// a thread per connection — enough for the dispatcher's 32 concurrent pushes).
pub(crate) struct Peer {
    pub(crate) port: u16,
    received: Arc<AtomicUsize>,
}

impl Peer {
    pub(crate) fn start() -> Result<Peer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let received = Arc::new(AtomicUsize::new(0));
        let counter = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counter = counter.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &counter);
                });
            }
        });
        Ok(Peer { port, received })
    }

    pub(crate) fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, counter: &AtomicUsize) -> std::io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        counter.fetch_add(1, Ordering::SeqCst);
        writer.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")?;
    }
}

/// The wrk script: memos from 29189846 to 34051178 with their own message ids (thread number
/// and counter) and a 1 KB PDF-ish attachment; with `hung` = `(n, cvr)`, every `n`th memo goes
/// to `cvr` instead.
pub(crate) fn memo_script(api_key: &str, hung: Option<(u32, &str)>) -> String {
    let attachment = "JVBERi0xLjQK".repeat(114); // 1,368 base64 characters, ~1 KB
    let (hung_every, hung_recipient) = hung.unwrap_or((0, ""));
    format!(
        r#"local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Api-Key"] = "{api_key}"
end
function request()
  counter = counter + 1
  local recipient = "34051178"
  if {hung_every} > 0 and counter % {hung_every} == 0 then recipient = "{hung_recipient}" end
  local id = string.format("0190f3a0-%04x-7000-8000-%012x", tid, counter)
  local body = '{{"messageId":"' .. id .. '","title":"Bench","senderCvr":"29189846","recipient":"' .. recipient .. '","type":"letter","body":"Hej","attachments":[{{"filename":"brev.pdf","contentType":"application/pdf","content":"{attachment}"}}]}}'
  return wrk.format(nil, "/api/v1/memos", nil, body)
end
"#
    )
}

pub(crate) struct Run<'a> {
    pub(crate) server_bin: &'a Path,
    pub(crate) signing_key: &'a Path,
    pub(crate) data_key: &'a Path,
    pub(crate) database_url: String,
    pub(crate) label: &'static str,
}

impl Run<'_> {
    pub(crate) fn start(&self, port: u16, dispatcher: bool) -> Result<Server> {
        launch(
            server_command(
                self.server_bin,
                self.signing_key,
                port,
                &self.database_url,
                false,
            )
            .env("ADGANG_DATA_KEY_FILE", self.data_key)
            .env("ADGANG_ALLOW_HTTP_ENDPOINTS", "true")
            .env("ADGANG_DISPATCHER", dispatcher.to_string())
            .stdout(Stdio::null()),
            port,
        )
    }
}

/// POSTs a JSON body with a bearer token; the response body.
pub(crate) fn post(url: &str, token: &str, body: &str) -> Result<String> {
    let out = crate::output(
        Command::new("curl")
            .args([
                "-s",
                "-f",
                "-X",
                "POST",
                "-H",
                &format!("Authorization: Bearer {token}"),
            ])
            .args(["-H", "Content-Type: application/json", "--data", body])
            .arg(url),
        "curl",
    )?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

pub(crate) fn json_field(text: &str, path: &[&str]) -> Result<String> {
    let mut value: serde_json::Value = serde_json::from_str(text)?;
    for key in path {
        value = value[*key].take();
    }
    value
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no {path:?} in {text}"))
}

/// One database's rows: intake, the claim plan, delivery.
fn bench_on(run: &Run, explain: impl Fn() -> Result<String>) -> Result<Vec<String>> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let peer = Peer::start()?;
    let server = run.start(port, false)?;
    create_authority(&base, "29189846", "Testkommune Nord")?;
    create_authority(&base, "34051178", "Styrelsen for Digital Test")?;
    let sender_token = issue_token(
        run.server_bin,
        run.signing_key,
        &base,
        "29189846",
        "system_admin",
    )?;
    let sender = post(
        &format!("{base}/api/v1/organisations/29189846/systems"),
        &sender_token,
        r#"{"name":"Bench-afsender","role":"sender","protocol":"rest_pull","allowedIps":["127.0.0.1"],"activation":{"mode":"now"},"technicalContact":{"email":"drift@nord.dk","phone":"12345678"}}"#,
    )?;
    let sender_id = json_field(&sender, &["system", "id"])?;
    let key = post(
        &format!("{base}/api/v1/organisations/29189846/systems/{sender_id}/api-key/rotation"),
        &sender_token,
        "{}",
    )?;
    let api_key = json_field(&key, &["apiKey"])?;
    let recipient_token = issue_token(
        run.server_bin,
        run.signing_key,
        &base,
        "34051178",
        "system_admin",
    )?;
    post(
        &format!("{base}/api/v1/organisations/34051178/systems"),
        &recipient_token,
        &format!(
            r#"{{"name":"Bench-modtager","role":"recipient","protocol":"rest_push","allowedIps":["127.0.0.1"],"endpoint":"http://127.0.0.1:{}/in","activation":{{"mode":"now"}},"technicalContact":{{"email":"drift@styrelsen.dk","phone":"12345678"}}}}"#,
            peer.port
        ),
    )?;

    step(&format!(
        "{}: /healthz, then memos under wrk for {INTAKE_SECONDS} s",
        run.label
    ));
    let health = wrk(&format!("{base}/healthz"), "X-Bench: 1", 10)?;
    let script = std::env::temp_dir().join(format!("adgang-memos-{}.lua", std::process::id()));
    std::fs::write(&script, memo_script(&api_key, None))?;
    let intake = wrk_script(
        &format!("{base}/api/v1/memos"),
        &format!("X-System-Id: {sender_id}"),
        INTAKE_SECONDS,
        32,
        &script,
    )?;
    let _ = std::fs::remove_file(&script);
    let intake_rate = first_figure(&format!("| x | {} |", intake.requests_per_sec));
    let health_rate = first_figure(&format!("| x | {} |", health.requests_per_sec));
    let memos = (intake_rate * f64::from(INTAKE_SECONDS)) as usize;
    let plan = explain()?;
    drop(server);

    step(&format!(
        "{}: delivering the backlog of ~{memos} to a local peer",
        run.label
    ));
    let started = Instant::now();
    let _server = run.start(port, true)?;
    // Settled: nothing more arrived for 3 s once nearly the whole backlog had.
    let mut last = (0, Instant::now());
    loop {
        let received = peer.received();
        if received != last.0 {
            last = (received, Instant::now());
        } else if received >= memos * 99 / 100 && last.1.elapsed() > Duration::from_secs(3) {
            break;
        }
        if started.elapsed() > Duration::from_secs(1200) {
            bail!("{received} of ~{memos} delivered after 20 minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (delivered, settled) = last;
    let delivery_secs = (settled - started).as_secs_f64();
    Ok(vec![
        format!(
            "| {}: POST /api/v1/memos (1 KB attachment), wrk -t2 -c32 for {INTAKE_SECONDS} s: {memos} memos | {} | {} | {} | {:.1} % of /healthz ({}/s) | ≥ 1,000/s |",
            run.label,
            intake.requests_per_sec,
            intake.p50,
            intake.p99,
            100.0 * intake_rate / health_rate.max(1.0),
            health.requests_per_sec
        ),
        format!(
            "| {}: delivery of the backlog, {delivered} pushes to a loopback peer (start-up included) | {:.0}/s | {delivery_secs:.1} s | | | ≥ 500/s |",
            run.label,
            delivered as f64 / delivery_secs
        ),
        format!(
            "\n{} claim plan over the backlog of {memos} due jobs:\n\n```\n{}\n```\n",
            run.label,
            plan.trim()
        ),
    ])
}

const CLAIM_SELECT: &str =
    "SELECT id FROM delivery_jobs WHERE due_at <= '9999-12-31' ORDER BY due_at LIMIT 128";

/// A fresh data key from the server binary, written to `data`/data.key; that file.
pub(crate) fn write_data_key(server_bin: &Path, data: &Path) -> Result<PathBuf> {
    let data_key = data.join("data.key");
    let key = crate::output(
        Command::new(server_bin).arg("generate-data-key"),
        "generate-data-key",
    )?;
    std::fs::write(&data_key, key)?;
    Ok(data_key)
}

/// `postgres_only`: skip the SQLite run (`cargo xtask bench messaging-postgres`).
pub fn bench_messaging(
    server_bin: &Path,
    signing_key: &Path,
    data: &Path,
    postgres_only: bool,
) -> Result<Vec<String>> {
    let data_key = write_data_key(server_bin, data)?;
    let sqlite_file = data.join("messaging.db");
    let sqlite = Run {
        server_bin,
        signing_key,
        data_key: &data_key,
        database_url: format!("sqlite://{}?mode=rwc", sqlite_file.display()),
        label: "SQLite",
    };
    let mut rows = Vec::new();
    if !postgres_only {
        rows = bench_on(&sqlite, || {
            let out = crate::output(
            Command::new("python3").args([
                "-c",
                &format!(
                    "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
                     print('\\n'.join(r[3] for r in c.execute(\"EXPLAIN QUERY PLAN {CLAIM_SELECT}\")))"
                ),
            ])
            .arg(&sqlite_file),
            "EXPLAIN QUERY PLAN",
        )?;
            Ok(String::from_utf8_lossy(&out).into_owned())
        })?;
    }

    let cluster = crate::postgres::Cluster::start(data)?;
    let postgres = Run {
        server_bin,
        signing_key,
        data_key: &data_key,
        database_url: cluster.url(),
        label: "PostgreSQL",
    };
    rows.extend(bench_on(&postgres, || {
        cluster.psql(&format!(
            "EXPLAIN (ANALYZE, COSTS OFF) {CLAIM_SELECT} FOR UPDATE SKIP LOCKED"
        ))
    })?);
    Ok(rows)
}
