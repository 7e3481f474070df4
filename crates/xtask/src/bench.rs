//! `cargo xtask bench`: the release server under a fixed load from wrk on loopback, and the
//! release WASM size. Prints a Markdown table to paste into docs/performance.md.
//!
//! Fixed load: wrk, 2 threads, 32 connections, 15 s per endpoint after a 3 s warm-up, every
//! request carrying a real access token. The server logs at `warn` so the figures measure
//! serving, not writing access logs to a terminal.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

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
    let messaging_only = matches!(only, Some("messaging" | "messaging-postgres"));
    let eventlog_only = matches!(only, Some("eventlog" | "eventlog-postgres"));
    let citizen_only = matches!(only, Some("citizen" | "citizen-postgres"));
    let move_only = matches!(only, Some("move" | "move-postgres"));
    let statistics_only = matches!(only, Some("statistics" | "statistics-postgres"));
    let writers_only = only == Some("writers");
    let uploads_only = only == Some("uploads");
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
    let _server = Server(
        Command::new(&server_bin)
            .env("ADGANG_TOKEN_SIGNING_KEY_FILE", &key_file)
            .env("ADGANG_PUBLIC_BASE_URL", &base_url)
            .env("ADGANG_PORT", port.to_string())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/bench.db?mode=rwc", data.display()),
            )
            .env("ADGANG_DEMO_DATA", "true")
            .env("RUST_LOG", "warn")
            // Its warnings (e.g. the upload sandbox's) are kept for a look after a failure.
            .stdout(std::fs::File::create(data.join("server.log"))?)
            .spawn()
            .context("starting the release server")?,
    );
    wait_ready(port)?;

    if uploads_only {
        let rows = crate::bench_uploads::bench_uploads(
            _server.0.id(),
            &server_bin,
            &key_file,
            &base_url,
            &data,
        )?;
        println!("\n| Uploads through the sandbox (issue 29) | p50 / figure | max | target |");
        println!("|---|---|---|---|");
        for row in rows {
            println!("{row}");
        }
        return Ok(());
    }

    if eventlog_only {
        drop(_server);
        let postgres_only = only == Some("eventlog-postgres");
        let rows =
            crate::bench_eventlog::bench_eventlog(&server_bin, &key_file, &data, postgres_only)?;
        println!("\n| Event log (issue 15) | figure | p50 | p99 | target |");
        println!("|---|---|---|---|---|");
        for row in rows.iter().filter(|r| r.starts_with('|')) {
            println!("{row}");
        }
        for plan in rows.iter().filter(|r| !r.starts_with('|')) {
            println!("\n{plan}");
        }
        return Ok(());
    }
    if move_only {
        drop(_server);
        let postgres_only = only == Some("move-postgres");
        let rows = crate::bench_move::bench_move(&server_bin, &key_file, &data, postgres_only)?;
        println!("\n| Move mail (issue 17) | rate | time | RSS before / peak / after | target |");
        println!("|---|---|---|---|---|");
        for row in rows {
            println!("{row}");
        }
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
        println!("\n| Statistics (issue 18) | time | RSS | target |");
        println!("|---|---|---|---|");
        for row in rows.iter().filter(|r| r.starts_with('|')) {
            println!("{row}");
        }
        for plan in rows.iter().filter(|r| !r.starts_with('|')) {
            println!("\n{plan}");
        }
        return Ok(());
    }
    if citizen_only {
        drop(_server);
        let postgres_only = only == Some("citizen-postgres");
        let rows =
            crate::bench_citizen::bench_citizen(&server_bin, &key_file, &data, postgres_only)?;
        println!("\n| Citizen service (issue 16) | requests/s | p50 | p99 | target |");
        println!("|---|---|---|---|---|");
        for row in rows.iter().filter(|r| r.starts_with('|')) {
            println!("{row}");
        }
        for plan in rows.iter().filter(|r| !r.starts_with('|')) {
            println!("\n{plan}");
        }
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
        println!("\n| endpoint | requests/s | p50 | p99 |");
        println!("|---|---|---|---|");
        for row in rows {
            println!("{row}");
        }
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
    println!("\n| Digital Post core (issue 14) | requests/s | p50 | p99 | ratio | target |");
    println!("|---|---|---|---|---|---|");
    for row in rows.iter().filter(|r| r.starts_with('|')) {
        println!("{row}");
    }
    for plan in rows.iter().filter(|r| !r.starts_with('|')) {
        println!("{plan}");
    }
}

/// The fixed-load endpoints and the system-connection figures: table rows and the workbook row.
fn load_and_systems(
    port: u16,
    authorization: &str,
    server_bin: &Path,
    key_file: &Path,
    base_url: &str,
) -> Result<(Vec<String>, String)> {
    let endpoints = [
        ("GET /healthz", "/healthz".to_owned()),
        (
            "GET /api/v1/session (token check only)",
            "/api/v1/session".to_owned(),
        ),
        (
            "GET /api/v1/organisations/{cvr} (token + SQLite row)",
            "/api/v1/organisations/29189846".to_owned(),
        ),
        (
            "GET /api/v1/organisations?pageSize=50 (token + SQLite count + page)",
            "/api/v1/organisations?pageSize=50".to_owned(),
        ),
    ];
    let mut rows = Vec::new();
    for (label, path) in &endpoints {
        let url = format!("http://127.0.0.1:{port}{path}");
        step(&format!("Loading {label}"));
        wrk(&url, authorization, 3)?; // warm-up
        let report = wrk(&url, authorization, 15)?;
        rows.push(format!(
            "| {label} | {} | {} | {} |",
            report.requests_per_sec, report.p50, report.p99
        ));
    }

    // System connection (issue 4): 2,000 systems over 200 organisations — 199 with 7 or 8,
    // one with 500 for the workbook.
    step("Seeding 2,000 systems in 200 organisations");
    let seeded = seed_systems(server_bin, key_file, base_url)?;
    let url = format!(
        "{base_url}/api/v1/organisations/{}/systems",
        seeded.small_cvr
    );
    let small_auth = format!("Authorization: Bearer {}", seeded.small_token);
    step("Loading GET /api/v1/organisations/{cvr}/systems");
    wrk(&url, &small_auth, 3)?;
    let report = wrk(&url, &small_auth, 15)?;
    rows.push(format!(
        "| GET /api/v1/organisations/{{cvr}}/systems ({} systems; 2,000 in the database) | {} | {} | {} |",
        seeded.small_count, report.requests_per_sec, report.p50, report.p99
    ));
    // Issue 13: the authenticated systems list against /healthz in the same run (goal ≥ 30 %).
    let healthz: f64 = first_figure(&rows[0]);
    let list: f64 = report.requests_per_sec.parse().unwrap_or(0.0);
    rows.push(format!(
        "| **systems list ÷ /healthz** (goal ≥ 30 %, list p99 < 20 ms) | **{:.1} %** | | {} |",
        100.0 * list / healthz.max(1.0),
        report.p99
    ));
    step("Timing the system overview workbook of 500 systems");
    let xlsx_url = format!(
        "{base_url}/api/v1/organisations/{}/system-overview",
        seeded.large_cvr
    );
    let mut times = Vec::new();
    for _ in 0..10 {
        let out = Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{time_total}",
                "-H",
            ])
            .arg(format!("Authorization: Bearer {}", seeded.large_token))
            .arg(&xlsx_url)
            .output()
            .context("running curl")?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (code, secs) = text.split_once(' ').unwrap_or_default();
        if code != "200" {
            bail!("the workbook answered {code}");
        }
        times.push(secs.parse::<f64>().unwrap_or(f64::MAX));
    }
    times.sort_by(f64::total_cmp);
    let xlsx_row = format!(
        "| system overview .xlsx, 500 systems (10 downloads) | median {:.0} ms | max {:.0} ms |",
        times[times.len() / 2] * 1000.0,
        times[times.len() - 1] * 1000.0
    );

    Ok((rows, xlsx_row))
}

/// Issue 13 item 3: 64 connections creating systems for 60 s on SQLite — wrk fails the bench
/// on any answer that is not 2xx ("database is locked" was a 500).
fn concurrent_writers(port: u16, authorization: &str) -> Result<String> {
    step("64 concurrent writers for 60 s (POST …/systems)");
    let script = std::env::temp_dir().join(format!("adgang-writers-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        r#"wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Skrivetest","role":"sender","protocol":"rest_pull","allowedIps":["10.0.0.1"],"activation":{"mode":"now"},"technicalContact":{"email":"drift@nord.dk","phone":"12345678"}}'
"#,
    )?;
    let url = format!("http://127.0.0.1:{port}/api/v1/organisations/29189846/systems");
    let report = wrk_script(&url, authorization, 60, 64, &script)?;
    let _ = std::fs::remove_file(&script);
    Ok(format!(
        "| POST /api/v1/organisations/{{cvr}}/systems, 64 concurrent writers for 60 s (SQLite), 0 non-2xx | {} | {} | {} |",
        report.requests_per_sec, report.p50, report.p99
    ))
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

/// Issue 13 item 6: `/healthz` under wrk -c4 while two clients keep uploading a large contact
/// workbook (99,000 rows of unique 100-character texts, ~40 MB of XML, inside the upload
/// limits) that the import reads in full before refusing its columns.
fn health_during_hostile_import(
    port: u16,
    server_bin: &Path,
    key_file: &Path,
    base_url: &str,
) -> Result<String> {
    use adgang_documents::xlsx::{workbook, Sheet};
    step("Loading /healthz while two clients upload a 99,000-row workbook");
    let rows: Vec<Vec<String>> = (0..99_000)
        .map(|n| {
            (0..4)
                .map(|c| format!("{n:06}-{c} {}", "x".repeat(90)))
                .collect()
        })
        .collect();
    let bytes = workbook(&[Sheet {
        name: "Kontaktpunkter".into(),
        headers: ["A", "B", "C", "D"].map(String::from).to_vec(),
        rows,
    }])?;
    let file = std::env::temp_dir().join(format!("adgang-bench-big-{}.xlsx", std::process::id()));
    std::fs::write(&file, &bytes)?;
    let authorization = format!(
        "Authorization: Bearer {}",
        issue_token(server_bin, key_file, base_url, "29189846", "contact_admin")?
    );
    let url = format!("{base_url}/api/v1/organisations/29189846/contact-structure/import");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let uploaders: Vec<_> = (0..2)
        .map(|_| {
            let (stop, file, url, authorization) =
                (stop.clone(), file.clone(), url.clone(), authorization.clone());
            std::thread::spawn(move || -> Result<(usize, f64)> {
                let (mut count, mut slowest) = (0, 0.0f64);
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let data = format!("@{}", file.display());
                    let (seconds, _) = curl_expecting(
                        "400",
                        &["-H", "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "--data-binary", &data],
                        &authorization,
                        &url,
                    )?;
                    count += 1;
                    slowest = slowest.max(seconds);
                }
                Ok((count, slowest))
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    let report = wrk_with(
        &format!("http://127.0.0.1:{port}/healthz"),
        "X-Bench: 1",
        15,
        4,
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut uploads = (0, 0.0f64);
    for uploader in uploaders {
        let (count, slowest) = uploader
            .join()
            .map_err(|_| anyhow::anyhow!("an upload thread panicked"))??;
        uploads = (uploads.0 + count, uploads.1.max(slowest));
    }
    let _ = std::fs::remove_file(&file);
    let report = report?;
    Ok(format!(
        "| /healthz (wrk -c4, 15 s) while 2 clients upload a {:.0} KB workbook of 99,000 rows | figure | goal |\n|---|---|---|\n| /healthz p50 / p99 | {} / **{}** | p99 < 100 ms |\n| /healthz requests/s | {} | |\n| uploads answered (400, columns refused after the full read), slowest | {} uploads, {:.1} s | |",
        bytes.len() as f64 / 1024.0,
        report.p50,
        report.p99,
        report.requests_per_sec,
        uploads.0,
        uploads.1
    ))
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
fn wrk_with(url: &str, authorization: &str, seconds: u32, connections: u32) -> Result<WrkReport> {
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

/// First render of the front page in Chromium (Navigation and User Timing), measured by the
/// browser test `bench_front_page_render` (ignored in `cargo test`; it prints its table as `BENCH` lines).
fn first_render(env: &tools::BuildEnv) -> Result<String> {
    step("Front page render in Chromium");
    let output = crate::output(
        crate::cargo(env).args([
            "test",
            "--package",
            "adgang-e2e",
            "--test",
            "browser",
            "--",
            "--ignored",
            "--exact",
            "shell::bench_front_page_render",
            "--nocapture",
        ]),
        "the front-page render measurement",
    )?;
    let text = String::from_utf8_lossy(&output).into_owned();
    let rows: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("BENCH "))
        .collect();
    if rows.is_empty() {
        bail!("no BENCH lines in:\n{text}");
    }
    Ok(rows.join("\n"))
}

/// Brotli size of a file of the bundle (its `.br`, as served).
fn served_size(bundle: &Path, file: &str) -> Result<u64> {
    let path = bundle.join(format!("{file}.br"));
    Ok(std::fs::metadata(&path)
        .with_context(|| format!("reading {}", path.display()))?
        .len())
}

/// The SPA's download budgets (issue 11): what the front page needs, and per lazily loaded
/// chunk its own file and everything its first use fetches (own + shared chunks).
pub fn spa_table(root: &Path) -> Result<Vec<String>> {
    let dist = root.join("frontend/dist");
    let bundle = std::fs::read_dir(&dist)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("app-"))
        })
        .context("no app-<hash> bundle in frontend/dist")?;
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1024.0);
    let mut rows = Vec::new();
    let front_files = ["adgang_bg.wasm", "adgang.js", "__wasm_split.js", "app.css"];
    let mut front = 0;
    for file in front_files {
        front += served_size(&bundle, file)?;
    }
    rows.push(format!(
        "| front page after login: {} | {} | 250 KB |",
        front_files.join(" + "),
        kb(front)
    ));
    for (split, files) in crate::spa::chunks(root)? {
        let own = served_size(&bundle, &format!("split_{split}.wasm")).unwrap_or(0);
        let mut total = 0;
        for file in &files {
            total += served_size(&bundle, &format!("{file}.wasm"))?;
        }
        rows.push(format!(
            "| chunk `{split}`: own / with the {} shared chunk(s) it fetches | {} / {} | 60 KB |",
            files.len().saturating_sub(1),
            kb(own),
            kb(total)
        ));
    }
    Ok(rows)
}

struct SeededSystems {
    small_cvr: String,
    small_token: String,
    small_count: usize,
    large_cvr: String,
    large_token: String,
}

/// The `n`th…: valid (modulus-11) CVR numbers from 50,000,000 up, unused by the demo data.
fn bench_cvrs(count: usize) -> Vec<String> {
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

/// Creates the organisations through the test portal and their systems through the API:
/// 199 organisations with 7–8 systems and one with 500 (2,000 in all).
fn seed_systems(server_bin: &Path, key_file: &Path, base_url: &str) -> Result<SeededSystems> {
    let cvrs = bench_cvrs(200);
    let mut tokens = Vec::with_capacity(cvrs.len());
    for (i, cvr) in cvrs.iter().enumerate() {
        let count = match i {
            0 => 500,
            1..=100 => 8,
            _ => 7,
        };
        tokens.push(seed_organisation(
            server_bin, key_file, base_url, i, cvr, count,
        )?);
    }
    Ok(SeededSystems {
        small_cvr: cvrs[1].clone(),
        small_token: tokens[1].clone(),
        small_count: 8,
        large_cvr: cvrs[0].clone(),
        large_token: tokens[0].clone(),
    })
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

/// One organisation with `count` systems (one curl process, requests chained with `--next`);
/// returns a system administrator's token for it.
fn seed_organisation(
    server_bin: &Path,
    key_file: &Path,
    base_url: &str,
    i: usize,
    cvr: &str,
    count: usize,
) -> Result<String> {
    create_authority(base_url, cvr, &format!("Benchkommune {i}"))?;
    let token = issue_token(server_bin, key_file, base_url, cvr, "system_admin")?;
    let mut curl = Command::new("curl");
    curl.args(["-s", "-f", "-o", "/dev/null"]);
    for n in 0..count {
        if n > 0 {
            curl.arg("--next").args(["-s", "-f", "-o", "/dev/null"]);
        }
        let body = format!(
            r#"{{"name":"System {n:03}","role":"{role}","protocol":"rest_pull","allowedIps":["10.{a}.{b}.{c}"],"activation":{{"mode":"now"}},"technicalContact":{{"email":"drift@bench.dk","phone":"12345678"}}}}"#,
            role = if n == 0 { "recipient" } else { "sender" },
            a = i % 250,
            b = n / 250,
            c = n % 250 + 1,
        );
        curl.args(["-H", &format!("Authorization: Bearer {token}")])
            .args(["-H", "Content-Type: application/json", "--data", &body])
            .arg(format!("{base_url}/api/v1/organisations/{cvr}/systems"));
    }
    status(&mut curl, "seeding systems with curl")?;
    Ok(token)
}

/// Seconds for one curl request (`args` before the URL) and its body; fails unless it
/// answers 200.
fn timed_curl(args: &[&str], authorization: &str, url: &str) -> Result<(f64, String)> {
    curl_expecting("200", args, authorization, url)
}

fn curl_expecting(
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

/// The seed workbook: 100 areas with 9 departments each (1,000 groups, placed by name), and
/// 10,000 points in 1–3 departments, each with three keywords, bound to the recipient system
/// "Modtager" by name.
fn contact_workbook() -> Result<Vec<u8>> {
    use adgang_documents::xlsx::{workbook, Sheet};
    let text = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut groups = Vec::new();
    for area in 0..100 {
        groups.push(text(&["", &format!("Område {area:03}"), "", "Nej", ""]));
        for dept in 0..9 {
            groups.push(text(&[
                "",
                &format!("Afdeling {area:03}-{dept}"),
                "Benchmark",
                "Nej",
                &format!("Område {area:03}"),
            ]));
        }
    }
    let mut points = Vec::new();
    for n in 0..10_000u32 {
        let placements: Vec<String> = (0..=(n % 3))
            .map(|k| {
                let g = (n + k * 337) % 900;
                format!("Afdeling {:03}-{}", g / 9, g % 9)
            })
            .collect();
        let audiences = if n % 2 == 0 {
            "citizens"
        } else {
            "citizens; businesses"
        };
        let mut row = text(&["", &format!("Kontaktpunkt {n:05}"), "Skriv til os", ""]);
        row.extend(text(&[
            &placements.join("; "),
            "Ja",
            audiences,
            "104333312",
            "10",
            "",
            "",
            "",
            "",
            "",
            "",
            &format!("emne{} ; sag{n} ; fælles", n % 500),
            "classification:01.02",
            "Modtager",
            "Ja",
        ]));
        points.push(row);
    }
    let headers = |names: &[&str]| text(names);
    workbook(&[
        Sheet {
            name: "Kontaktgrupper".into(),
            headers: headers(&[
                "ID",
                "Navn",
                "Beskrivelse",
                "Organisatorisk enhed",
                "Overordnede grupper",
            ]),
            rows: groups,
        },
        Sheet {
            name: "Kontaktpunkter".into(),
            headers: headers(&[
                "ID",
                "Navn",
                "Beskrivelse",
                "Intern note",
                "Grupper",
                "Synlig",
                "Målgrupper",
                "Maks. beskedstørrelse (bytes)",
                "Maks. vedhæftninger",
                "Link – overskrift",
                "Link – beskrivelse",
                "Link – tekst",
                "Link – URL",
                "Inputfelt 1",
                "Inputfelt 2",
                "Søgeord",
                "Koder",
                "Modtagersystem",
                "Aktiv",
            ]),
            rows: points,
        },
    ])
}

/// One authority with 1,000 groups and 10,000 points, seeded by importing a workbook: the
/// tree and the platforms' keyword search under wrk, export and unchanged re-import timed.
fn bench_contacts(
    server_bin: &Path,
    key_file: &Path,
    base_url: &str,
    data: &Path,
) -> Result<Vec<String>> {
    let cvr = bench_cvrs(201).pop().context("a CVR number")?;
    create_authority(base_url, &cvr, "Kontaktkommune")?;
    let authorization = format!(
        "Authorization: Bearer {}",
        issue_token(
            server_bin,
            key_file,
            base_url,
            &cvr,
            "contact_admin,system_admin"
        )?
    );
    let api = format!("{base_url}/api/v1/organisations/{cvr}");
    let system = concat!(
        r#"{"name":"Modtager","role":"recipient","protocol":"rest_pull","#,
        r#""allowedIps":["10.9.9.9"],"activation":{"mode":"now"},"#,
        r#""technicalContact":{"email":"drift@bench.dk","phone":"12345678"}}"#
    );
    curl_expecting(
        "201",
        &["-H", "Content-Type: application/json", "--data", system],
        &authorization,
        &format!("{api}/systems"),
    )?;
    let seed = data.join("contacts-seed.xlsx");
    std::fs::write(&seed, contact_workbook()?)?;
    let xlsx = "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (seconds, receipt) = timed_curl(
        &["-H", xlsx, "--data-binary", &format!("@{}", seed.display())],
        &authorization,
        &format!("{api}/contact-structure/import"),
    )?;
    if !receipt.contains("\"pointsCreated\":10000") || !receipt.contains("\"groupsCreated\":1000") {
        bail!("the seed import did not create everything: {receipt}");
    }
    let mut rows = vec![format!(
        "| import creating everything (one transaction) | {seconds:.1} s | – |"
    )];

    step("Loading GET …/contact-structure (the whole tree)");
    let tree = format!("{api}/contact-structure");
    let tree_auth = authorization.clone();
    // The first request after a change builds the tree from the database; later ones are
    // served from memory until the next change.
    let (cold, body) = timed_curl(&[], &tree_auth, &tree)?;
    rows.push(format!(
        "| tree, first request after a change (built from the database) | {:.0} ms | – |",
        cold * 1000.0
    ));
    wrk_with(&tree, &tree_auth, 3, 4)?;
    let report = wrk_with(&tree, &tree_auth, 15, 4)?;
    rows.push(format!(
        "| tree endpoint ({} KB JSON), wrk -c4: {} req/s, p50 {} | p99 **{}** | < 150 ms |",
        body.len() / 1024,
        report.requests_per_sec,
        report.p50,
        report.p99
    ));

    step("Timing the export and the unchanged re-import");
    let exported = data.join("contacts-export.xlsx");
    let mut export_times = Vec::new();
    for _ in 0..5 {
        let (secs, _) = timed_curl(
            &["-o", &exported.display().to_string()],
            &authorization,
            &format!("{api}/contact-structure/export"),
        )?;
        export_times.push(secs);
    }
    export_times.sort_by(f64::total_cmp);
    rows.push(format!(
        "| export workbook (5 downloads) | median **{:.2} s**, max {:.2} s | < 3 s |",
        export_times[2], export_times[4]
    ));
    let mut import_times = Vec::new();
    for _ in 0..3 {
        let (secs, receipt) = timed_curl(
            &[
                "-H",
                xlsx,
                "--data-binary",
                &format!("@{}", exported.display()),
            ],
            &authorization,
            &format!("{api}/contact-structure/import"),
        )?;
        if !receipt.contains("\"pointsUnchanged\":10000") {
            bail!("the unchanged import changed something: {receipt}");
        }
        import_times.push(secs);
    }
    import_times.sort_by(f64::total_cmp);
    rows.push(format!(
        "| import of the unchanged export (3 runs) | median **{:.2} s**, max {:.2} s | < 10 s |",
        import_times[1], import_times[2]
    ));

    step("Loading the platforms' keyword search");
    let search = format!(
        "{base_url}/api/v1/platform/organisations/{cvr}/contact-points?q=sag1234&audience=citizens"
    );
    let (_, found) = timed_curl(&[], &authorization, &search)?;
    if !found.contains("Kontaktpunkt 01234") {
        bail!("the keyword search did not find its point: {found}");
    }
    wrk(&search, &authorization, 3)?;
    let report = wrk(&search, &authorization, 15)?;
    rows.push(format!(
        "| keyword search (prefix \"sag1234\", 30,000 keywords), wrk -c32: {} req/s, p50 {} | p99 **{}** | < 20 ms |",
        report.requests_per_sec, report.p50, report.p99
    ));
    Ok(rows)
}
