//! `cargo xtask bench`: the release server under a fixed load from wrk on loopback, and the
//! release WASM size. Prints a Markdown table to paste into docs/performance.md.
//!
//! Fixed load: wrk, 2 threads, 32 connections, 15 s per endpoint after a 3 s warm-up, every
//! request carrying a real access token. The server logs at `warn` so the figures measure
//! serving, not writing access logs to a terminal.
//!
//! This file starts the server, dispatches to each bench and holds what they share (the server
//! process, tokens, wrk, curl, seeding organisations); each bench's own code is in its
//! `bench_*.rs`.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::bench_contacts::bench_contacts;
use crate::bench_load::{concurrent_writers, health_during_hostile_import, load_and_systems};
use crate::bench_spa::{first_render, spa_table};
use crate::{status, step, tools};

/// A server process the bench or the fuzzing started; killed when dropped.
pub(crate) struct Server(pub(crate) Child);

/// An access token for a user of the authority `cvr` with `rights` (comma-separated, or `all`),
/// minted by the server binary with the run's signing key; its issuer is `base_url`.
pub(crate) fn issue_token(
    server_bin: &Path,
    key_file: &Path,
    base_url: &str,
    cvr: &str,
    rights: &str,
) -> Result<String> {
    let token = crate::output(
        Command::new(server_bin)
            .args(["issue-token", cvr, "authority", rights, "Bench"])
            .env("ADGANG_TOKEN_SIGNING_KEY_FILE", key_file)
            .env("ADGANG_PUBLIC_BASE_URL", base_url),
        "issue-token",
    )?;
    Ok(String::from_utf8(token)?.trim().to_owned())
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `only`: `Some("contacts")` runs the contact-structure part alone, `Some("writers")` the
/// concurrent writers alone.
pub fn bench(root: &Path, only: Option<&str>) -> Result<()> {
    let contacts_only = only == Some("contacts");
    let messaging_only = matches!(only, Some("messaging" | "messaging-postgres" | "delivery"));
    let eventlog_only = matches!(only, Some("eventlog" | "eventlog-postgres"));
    let citizen_only = matches!(only, Some("citizen" | "citizen-postgres"));
    let move_only = matches!(only, Some("move" | "move-postgres"));
    let statistics_only = matches!(only, Some("statistics" | "statistics-postgres"));
    let writers_only = only == Some("writers");
    let uploads_only = only == Some("uploads");
    let sftp_only = only == Some("sftp");
    let load_only = only == Some("load");
    let env = tools::ensure_frontend_tools(root)?;
    if only == Some("spa") {
        crate::build_spa(root, &env)?;
        tools::ensure_browser()?;
        let render = first_render(&env)?;
        println!("\n| SPA download (brotli, as served) | size | budget |");
        println!("|---|---|---|");
        for row in spa_table(root)? {
            println!("{row}");
        }
        println!("\n{render}");
        return Ok(());
    }
    ensure_wrk()?;
    if !writers_only
        && !load_only
        && !messaging_only
        && !eventlog_only
        && !citizen_only
        && !move_only
        && !statistics_only
        && !uploads_only
        && !sftp_only
    {
        crate::build_spa(root, &env)?;
    }
    step("Building the server (release)");
    let mut build = crate::cargo(&env);
    build.args([
        "build",
        "--release",
        "--package",
        "adgang-server",
        "--bin",
        "adgang-server",
    ]);
    status(&mut build, "cargo build --release")?;

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let data = std::env::temp_dir().join(format!("adgang-bench-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    let server_bin = root.join("target/release/adgang-server");
    let base_url = format!("http://127.0.0.1:{port}");
    // A fixed signing key for this run, so we can mint the token the load uses.
    let key_file = data.join("signing-key.pem");
    let key = Command::new(&server_bin)
        .arg("generate-signing-key")
        .output()?;
    std::fs::write(&key_file, &key.stdout)?;
    let authorization = format!(
        "Authorization: Bearer {}",
        issue_token(
            &server_bin,
            &key_file,
            &base_url,
            "29189846",
            "system_admin,operator"
        )?
    );
    if sftp_only {
        let rows = crate::bench_sftp::bench_sftp(&server_bin, &key_file, &data)?;
        print_table(
            "| Bulk files over SFTP (issue 35) | figure | target |",
            &rows,
        );
        return Ok(());
    }
    let database_url = format!("sqlite://{}/bench.db?mode=rwc", data.display());
    let _server = launch(
        server_command(&server_bin, &key_file, port, &database_url, true)
            // Its warnings (e.g. the upload sandbox's) are kept for a look after a failure.
            .stdout(std::fs::File::create(data.join("server.log"))?),
        port,
    )?;

    if uploads_only {
        let rows = crate::bench_uploads::bench_uploads(
            _server.0.id(),
            &server_bin,
            &key_file,
            &base_url,
            &data,
        )?;
        print_table(
            "| Uploads through the sandbox (issue 29) | p50 / figure | max | target |",
            &rows,
        );
        return Ok(());
    }

    if eventlog_only {
        drop(_server);
        let postgres_only = only == Some("eventlog-postgres");
        let rows =
            crate::bench_eventlog::bench_eventlog(&server_bin, &key_file, &data, postgres_only)?;
        print_table(
            "| Event log (issue 15) | figure | p50 | p99 | target |",
            &rows,
        );
        return Ok(());
    }
    if move_only {
        drop(_server);
        let postgres_only = only == Some("move-postgres");
        let rows = crate::bench_move::bench_move(&server_bin, &key_file, &data, postgres_only)?;
        print_table(
            "| Move mail (issue 17) | rate | time | RSS before / peak / after | target |",
            &rows,
        );
        return Ok(());
    }
    if statistics_only {
        drop(_server);
        let postgres_only = only == Some("statistics-postgres");
        let rows = crate::bench_statistics::bench_statistics(
            &server_bin,
            &key_file,
            &data,
            postgres_only,
        )?;
        print_table("| Statistics (issue 18) | time | RSS | target |", &rows);
        return Ok(());
    }
    if citizen_only {
        drop(_server);
        let postgres_only = only == Some("citizen-postgres");
        let rows =
            crate::bench_citizen::bench_citizen(&server_bin, &key_file, &data, postgres_only)?;
        print_table(
            "| Citizen service (issue 16) | requests/s | p50 | p99 | target |",
            &rows,
        );
        return Ok(());
    }
    if only == Some("delivery") {
        drop(_server);
        let rows = crate::bench_delivery::bench_delivery(&server_bin, &key_file, &data)?;
        print_table("| Delivery (issue 31) | intake | healthy deliveries during intake | share of the healthy-only rate | drain after intake | delivered | server RSS after set-up → after drain |", &rows);
        return Ok(());
    }
    if messaging_only {
        drop(_server);
        let postgres_only = only == Some("messaging-postgres");
        let rows =
            crate::bench_messaging::bench_messaging(&server_bin, &key_file, &data, postgres_only)?;
        print_messaging(&rows);
        return Ok(());
    }
    if writers_only {
        let row = concurrent_writers(port, &authorization)?;
        println!("\n| writers | requests/s | p50 | p99 |");
        println!("|---|---|---|---|");
        println!("{row}");
        return Ok(());
    }
    if load_only {
        let (rows, xlsx_row) =
            load_and_systems(port, &authorization, &server_bin, &key_file, &base_url)?;
        let health = health_during_hostile_import(port, &server_bin, &key_file, &base_url)?;
        print_table("| endpoint | requests/s | p50 | p99 |", &rows);
        println!("\n{xlsx_row}\n\n{health}");
        return Ok(());
    }
    let mut rows = Vec::new();
    let mut xlsx_row = String::new();
    if !contacts_only {
        (rows, xlsx_row) =
            load_and_systems(port, &authorization, &server_bin, &key_file, &base_url)?;
        rows.push(concurrent_writers(port, &authorization)?);
    }
    let messaging = if contacts_only {
        Vec::new()
    } else {
        crate::bench_messaging::bench_messaging(&server_bin, &key_file, &data, false)?
    };
    step("Contact structure: 1,000 groups and 10,000 points");
    let contacts = bench_contacts(&server_bin, &key_file, &base_url, &data)?;

    let spa = spa_table(root)?;
    let render = first_render(&env)?;
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or_default().trim().to_owned())
        })
        .unwrap_or_default();
    println!(
        "\nMachine: {} cores, {cpu}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!("Load: wrk -t2 -c32 -d15s (after 3 s warm-up), server and wrk on the same machine\n");
    println!("| endpoint | requests/s | p50 | p99 |");
    println!("|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!("\n| document | time | |");
    println!("|---|---|---|");
    println!("{xlsx_row}");
    println!("\n| contact structure (1,000 groups, 10,000 points in 1–3 groups each) | figure | target |");
    println!("|---|---|---|");
    for row in contacts {
        println!("{row}");
    }
    print_messaging(&messaging);
    println!("\n| SPA download (brotli, as served) | size | budget |");
    println!("|---|---|---|");
    for row in spa {
        println!("{row}");
    }
    println!("\n{render}");
    if std::env::var_os("ADGANG_BENCH_KEEP").is_some() {
        println!("\nKept the database: {}/bench.db", data.display());
    } else {
        let _ = std::fs::remove_dir_all(&data);
    }
    Ok(())
}

/// The Digital Post core's rows (table rows, then the claim plans).
fn print_messaging(rows: &[String]) {
    if rows.is_empty() {
        return;
    }
    print_table(
        "| Digital Post core (issue 14) | requests/s | p50 | p99 | ratio | target |",
        rows,
    );
}

fn ensure_wrk() -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    step("Installing wrk (Debian)");
    status(
        Command::new("apt-get").args(["install", "-y", "wrk"]),
        "apt-get install wrk",
    )
}

/// The requests/s of a table row `| label | requests/s | … |`.
pub(crate) fn first_figure(row: &str) -> f64 {
    row.split('|')
        .nth(2)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

/// A command for the release server on `port` with the settings every bench gives it: the
/// signing key, its own address as public base URL, the database, demo data on or off and a
/// quiet log. The caller adds its own settings and starts it with [`launch`].
pub(crate) fn server_command(
    server_bin: &Path,
    key_file: &Path,
    port: u16,
    database_url: &str,
    demo_data: bool,
) -> Command {
    let mut command = Command::new(server_bin);
    command
        .env("ADGANG_TOKEN_SIGNING_KEY_FILE", key_file)
        .env("ADGANG_PUBLIC_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("ADGANG_PORT", port.to_string())
        .env("DATABASE_URL", database_url)
        .env("ADGANG_DEMO_DATA", demo_data.to_string())
        .env("RUST_LOG", "warn");
    command
}

/// Starts `command` (from [`server_command`]) and returns once it listens on `port`.
pub(crate) fn launch(command: &mut Command, port: u16) -> Result<Server> {
    let server = Server(command.spawn().context("starting the release server")?);
    wait_ready(port)?;
    Ok(server)
}

/// Starts `command` with `input` written to its standard input, which is then closed;
/// `spawning` and `stdin` say which step failed.
pub(crate) fn spawn_with_input(
    command: &mut Command,
    input: &str,
    spawning: &'static str,
    stdin: &'static str,
) -> Result<Child> {
    use std::io::Write;
    let mut child = command.stdin(Stdio::piped()).spawn().context(spawning)?;
    child
        .stdin
        .take()
        .context(stdin)?
        .write_all(input.as_bytes())?;
    Ok(child)
}

pub(crate) fn wait_ready(port: u16) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("the server did not start listening on {port} within 60 s")
}

pub(crate) struct WrkReport {
    pub(crate) requests_per_sec: String,
    pub(crate) p50: String,
    pub(crate) p99: String,
}

pub(crate) fn wrk(url: &str, authorization: &str, seconds: u32) -> Result<WrkReport> {
    wrk_with(url, authorization, seconds, 32)
}

/// wrk with `connections` open connections (2 threads).
pub(crate) fn wrk_with(
    url: &str,
    authorization: &str,
    seconds: u32,
    connections: u32,
) -> Result<WrkReport> {
    wrk_run(url, authorization, seconds, connections, None)
}

/// wrk with a Lua `script` (method, body) for each request.
pub(crate) fn wrk_script(
    url: &str,
    authorization: &str,
    seconds: u32,
    connections: u32,
    script: &Path,
) -> Result<WrkReport> {
    wrk_run(url, authorization, seconds, connections, Some(script))
}

fn wrk_run(
    url: &str,
    authorization: &str,
    seconds: u32,
    connections: u32,
    script: Option<&Path>,
) -> Result<WrkReport> {
    let mut command = Command::new("wrk");
    command.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
        "-H",
        authorization,
    ]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output = command.arg(url).output().context("running wrk")?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() || text.contains("Non-2xx") {
        bail!("wrk against {url} failed or saw errors:\n{text}");
    }
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .map(str::to_owned)
            .with_context(|| format!("no {prefix:?} in wrk output:\n{text}"))
    };
    Ok(WrkReport {
        requests_per_sec: field("Requests/sec:")?,
        p50: field("50%")?,
        p99: field("99%")?,
    })
}

/// The `n`th…: valid (modulus-11) CVR numbers from 50,000,000 up, unused by the demo data.
pub(crate) fn bench_cvrs(count: usize) -> Vec<String> {
    const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
    (50_000_000u32..)
        .map(|n| n.to_string())
        .filter(|s| {
            s.bytes()
                .zip(WEIGHTS)
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum::<u32>()
                % 11
                == 0
        })
        .take(count)
        .collect()
}

/// A joined authority, created through the test portal — which takes a form only with its
/// double-submit token in both cookie and field (its protection against cross-site posts).
pub(crate) fn create_authority(base_url: &str, cvr: &str, name: &str) -> Result<()> {
    let form_token = "bench-form-token-0123456789abcdef";
    let created = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}"])
        .args(["--cookie", &format!("adgang_testportal={form_token}")])
        .args(["--data-urlencode", &format!("name={name}")])
        .args([
            "--data",
            &format!("cvr={cvr}&kind=authority&joined=on&form_token={form_token}"),
        ])
        .arg(format!("{base_url}/testportal/organisations"))
        .output()
        .context("running curl")?;
    if String::from_utf8_lossy(&created.stdout) != "303" {
        bail!("creating organisation {cvr} failed");
    }
    Ok(())
}

/// The body of a curl request that must succeed (`-f`: a 4xx/5xx fails with its body).
pub(crate) fn curl_body(args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("curl")
        .args(["-s", "-f"])
        .args(args)
        .output()
        .context("running curl")?;
    anyhow::ensure!(
        out.status.success(),
        "curl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    Ok(out.stdout)
}

/// Seconds for one curl request (`args` before the URL) and its body; fails unless it
/// answers 200.
pub(crate) fn timed_curl(args: &[&str], authorization: &str, url: &str) -> Result<(f64, String)> {
    curl_expecting("200", args, authorization, url)
}

pub(crate) fn curl_expecting(
    expected: &str,
    args: &[&str],
    authorization: &str,
    url: &str,
) -> Result<(f64, String)> {
    let out = Command::new("curl")
        .args([
            "-s",
            "-w",
            "\n%{http_code} %{time_total}",
            "-H",
            authorization,
        ])
        .args(args)
        .arg(url)
        .output()
        .context("running curl")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, tail) = text.rsplit_once('\n').unwrap_or_default();
    let (code, secs) = tail.split_once(' ').unwrap_or_default();
    if code != expected {
        bail!("{url} answered {code}: {body}");
    }
    Ok((secs.parse().unwrap_or(f64::MAX), body.to_owned()))
}

/// Prints a bench's Markdown table (`header` is its first row), then the query plans: the rows
/// that are not table rows.
fn print_table(header: &str, rows: &[String]) {
    let columns = header.matches('|').count().saturating_sub(1);
    println!("\n{header}");
    println!("|{}", "---|".repeat(columns));
    for row in rows.iter().filter(|r| r.starts_with('|')) {
        println!("{row}");
    }
    for plan in rows.iter().filter(|r| !r.starts_with('|')) {
        println!("\n{}", plan.trim_start_matches('\n'));
    }
}
