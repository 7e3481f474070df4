//! `cargo xtask <command>` — the project's own installer and task runner.
//!
//! * `run`     install what is missing, build the SPA, serve API + SPA with demo data on :8080
//! * `test`    install what is missing (plus Chromium), start a throw-away PostgreSQL, run every
//!             test: unit, integration on SQLite and PostgreSQL, OpenAPI drift, browser, and the
//!             API fuzzing (`fuzz`)
//! * `bench`   release build, load on loopback with wrk, WASM size; prints a Markdown table
//!             (`bench spa`: only the SPA's download sizes and render time in Chromium;
//!             `bench contacts`: only the contact-structure part; `bench writers`: only the
//!             64 concurrent writers; `bench messaging[-postgres]`: the Digital Post core;
//!             `bench eventlog[-postgres]`: the event log over 12,000,000 log rows (issue 15);
//!             `bench citizen[-postgres]`: citizen-service lookups over 100,000 exemptions
//!             (issue 16); `bench move[-postgres]`: a move of 100,000 messages out of Virk
//!             (issue 17); `bench statistics[-postgres]`: a custom report over 10,000,000
//!             messages and the year's daily roll-up (issue 18); `bench uploads`: ordinary
//!             uploads through the sandbox child and hostile ones against it (issue 29);
//!             `bench delivery`: intake and delivery at once, with and without a hung
//!             endpoint (issue 31);
//!             ADGANG_BENCH_KEEP=1 keeps
//!             its database for a closer look)
//! * `fuzz`    schemathesis over the OpenAPI document against the debug server, with a token
//!             holding every right and without one (`fuzz <seed>` for another seed); part of `test`
//! * `fuzz-files [seconds] [seed]` mutated workbooks, PDFs and PNGs through the upload
//!             sandbox (issue 29; 60 s by default; 20 s of it are part of `test`)
//! * `clients [--no-build]` the OpenAPI document as integrators meet it (issue 34): validated
//!             (OpenAPI 3.1) and linted (Redocly), Python and TypeScript clients generated into
//!             target/clients/, and docs/integrators.md's samples run with them against the
//!             debug server; part of `test` (`--no-build`: use the server binary already built)
//! * `api-compat` breaking changes to /api/v1 since openapi/released/v1.json must be named in
//!             openapi/CHANGELOG.md (issue 34); part of `test`
//! * `openapi` regenerate `openapi/openapi.json` from the code
//! * `spa`     build the SPA into `frontend/dist` (what `run` and `test` do first)
//! * `dev`     frontend development: installs Trunk once, then `trunk serve` on :8081 with
//!             `/api` proxied to a server on :8080 (start that with `cargo xtask run`)
//!
//! Every install step checks first and skips what is already there at the pinned version.

// The command table above aligns its continuation lines under the descriptions, and the benches'
// row tuples are read once where they are built: both lints are allowed here only.
#![allow(clippy::doc_overindented_list_items, clippy::type_complexity)]

mod api_compat;
mod bench;
mod bench_citizen;
mod bench_contacts;
mod bench_db;
mod bench_delivery;
mod bench_eventlog;
mod bench_load;
mod bench_messaging;
mod bench_move;
mod bench_sftp;
mod bench_spa;
mod bench_statistics;
mod bench_uploads;
mod clients;
mod fuzz;
mod fuzz_files;
mod layering;
mod postgres;
mod spa;
mod spa_packs;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    std::env::set_current_dir(&root).context("entering the workspace root")?;
    match args.first().map(String::as_str) {
        Some("run") => run(&root),
        Some("test") => test(&root),
        Some("bench") => bench::bench(&root, args.get(1).map(String::as_str)),
        Some("openapi") => openapi(&root),
        Some("fuzz") => fuzz::fuzz(
            &root,
            &tools::BuildEnv::plain(),
            args.get(1).map(String::as_str),
            false,
        ),
        Some("clients") => clients::clients(
            &root,
            &tools::BuildEnv::plain(),
            args.get(1).map(String::as_str) == Some("--no-build"),
        ),
        Some("api-compat") => api_compat::check(&root),
        Some("fuzz-files") => fuzz_files::fuzz_files(
            &root,
            &tools::BuildEnv::plain(),
            args.get(1)
                .map_or(Ok(60), |s| s.parse())
                .context("seconds")?,
            args.get(2).map_or(Ok(29), |s| s.parse()).context("seed")?,
            false,
        ),
        Some("install") => tools::ensure_frontend_tools(&root).map(|_| ()),
        Some("spa") => build_spa(&root, &tools::ensure_frontend_tools(&root)?),
        Some("dev") => dev(&root),
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|bench|fuzz|fuzz-files|clients|api-compat|openapi|spa|dev|install>"
            );
            std::process::exit(2);
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask is two levels below the root")
        .to_owned()
}

/// What `cargo xtask test` builds and runs: `run` builds the server with exactly these
/// arguments (`--no-run`), so after a test run it compiles nothing again (issue 30). A plain
/// `cargo run -p adgang-server` resolves other features (no dev-dependencies) and rebuilt
/// 35 crates.
const TEST_ARGS: [&str; 4] = ["test", "--workspace", "--exclude", "adgang-frontend"];

fn run(root: &Path) -> Result<()> {
    let env = tools::ensure_frontend_tools(root)?;
    build_spa(root, &env)?;
    step("Building the server (as `cargo xtask test` builds it)");
    status(
        cargo(&env).args(TEST_ARGS).arg("--no-run"),
        "building the server",
    )?;
    step("Starting Administrativ Adgang on http://127.0.0.1:8080, SFTP on port 2222 (Ctrl-C stops it)");
    let mut cmd = Command::new(root.join("target/debug/adgang-server"));
    cmd.env("ADGANG_DEMO_DATA", "true");
    // Issue 35: the SFTP service for sender systems' bulk files, on unless configured.
    if std::env::var_os("ADGANG_SFTP_PORT").is_none() {
        cmd.env("ADGANG_SFTP_PORT", "2222");
    }
    status(&mut cmd, "running the server")
}

fn test(root: &Path) -> Result<()> {
    let started = std::time::Instant::now();
    report_free_disk(root);
    let env = tools::ensure_frontend_tools(root)?;
    tools::ensure_browser()?;
    build_spa(root, &env)?;

    step("Checking the crate dependency rule");
    layering::check(root)?;
    api_compat::check(root)?;

    step("Checking formatting");
    status(
        cargo(&env).args(["fmt", "--all", "--", "--check"]),
        "cargo fmt --check (run `cargo fmt --all`)",
    )?;

    step("Lints: cargo clippy -D warnings (the workspace's [lints])");
    status(
        cargo(&env).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--exclude",
            "adgang-frontend",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy (fix the lint, or allow it in Cargo.toml with a reason)",
    )?;
    // The SPA is a wasm crate: its lints need the wasm target's check build.
    status(
        cargo(&env).args([
            "clippy",
            "--package",
            "adgang-frontend",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy for the SPA (fix the lint, or allow it in Cargo.toml with a reason)",
    )?;

    step("Unit, integration (SQLite), OpenAPI drift and browser tests");
    let axe_report = root.join("target/axe-report.jsonl");
    let _ = std::fs::remove_file(&axe_report);
    status(cargo(&env).args(TEST_ARGS), "cargo test")?;
    summarise_accessibility(&axe_report)?;

    fuzz::fuzz(root, &env, None, true)?;
    clients::clients(root, &env, true)?;
    fuzz_files::fuzz_files(root, &env, fuzz_files::TEST_SECONDS, 29, true)?;

    step("Integration tests against PostgreSQL 15");
    let cluster = postgres::Cluster::start(root)?;
    let mut pg = cargo(&env);
    // `--include-ignored`: the tests that need PostgreSQL (ignored in the SQLite pass, so they
    // are reported as not run there rather than passing without testing anything).
    pg.args([
        "test",
        "--package",
        "adgang-server",
        "--test",
        "api",
        "--",
        "--include-ignored",
    ])
    .env("TEST_DATABASE_URL", cluster.url());
    let result = status(&mut pg, "cargo test against PostgreSQL");
    drop(cluster);
    result?;

    step(&format!(
        "All tests passed in {:.1} min",
        started.elapsed().as_secs_f64() / 60.0
    ));
    Ok(())
}

/// A fresh clone's run needs ~9 GB for `target/` and a few hundred MB for the PostgreSQL pass;
/// a full disk shows up late and far from its cause (stop 42's PostgreSQL pass failed with
/// `PoolTimedOut` on every test after the disk filled), so the free space is said up front.
const DISK_NEEDED_GB: f64 = 12.0;

fn report_free_disk(root: &Path) {
    let free_gb = Command::new("df")
        .args(["-Pk"])
        .arg(root)
        .output()
        .ok()
        .and_then(|out| {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let kb: f64 = text
                .lines()
                .nth(1)?
                .split_whitespace()
                .nth(3)?
                .parse()
                .ok()?;
            Some(kb / 1024.0 / 1024.0)
        });
    match free_gb {
        Some(gb) if gb < DISK_NEEDED_GB => step(&format!(
            "WARNING: {gb:.1} GB free on the disk of {}; a fresh run needs ~{DISK_NEEDED_GB:.0} GB (old target/ dirs and /tmp may be removed)",
            root.display()
        )),
        Some(gb) => step(&format!("Disk: {gb:.1} GB free")),
        None => {}
    }
}

/// The browser tests' axe-core audits (e2e/tests/browser/axe.rs), in one line for the log.
fn summarise_accessibility(report: &Path) -> Result<()> {
    let text = std::fs::read_to_string(report).unwrap_or_default();
    let audits: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let sum = |impact: &str| -> u64 { audits.iter().filter_map(|a| a[impact].as_u64()).sum() };
    step(&format!(
        "Accessibility (axe-core, WCAG 2.2 A/AA): {} page audits; violations: {} critical, {} serious, {} moderate, {} minor",
        audits.len(),
        sum("critical"),
        sum("serious"),
        sum("moderate"),
        sum("minor")
    ));
    Ok(())
}

fn openapi(root: &Path) -> Result<()> {
    let env = tools::BuildEnv::plain();
    let server = [
        "run",
        "--quiet",
        "--package",
        "adgang-server",
        "--bin",
        "adgang-server",
    ];
    let stdout = output(
        cargo(&env).args(server).args(["--", "openapi"]),
        "adgang-server openapi",
    )?;
    let path = root.join("openapi/openapi.json");
    std::fs::write(&path, &stdout).with_context(|| format!("writing {}", path.display()))?;
    step(&format!("Wrote {}", path.display()));
    Ok(())
}

/// The release SPA into frontend/dist (`spa.rs`).
pub(crate) fn build_spa(root: &Path, env: &tools::BuildEnv) -> Result<()> {
    spa::build(root, env)
}

/// `trunk serve` for frontend work (Trunk.toml): rebuilds on change, proxies `/api`.
fn dev(root: &Path) -> Result<()> {
    let env = tools::ensure_frontend_tools(root)?;
    tools::ensure_trunk()?;
    step("trunk serve on http://127.0.0.1:8081 (API proxied to :8080; Ctrl-C stops it)");
    let mut cmd = Command::new("trunk");
    cmd.current_dir(root).arg("serve");
    env.apply(&mut cmd);
    status(&mut cmd, "trunk serve")
}

/// A `cargo` command with the build environment (PATH with the pinned tools, sccache).
pub(crate) fn cargo(env: &tools::BuildEnv) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    env.apply(&mut cmd);
    cmd
}

/// Runs `cmd` to completion and returns what it printed; its errors if it failed.
pub(crate) fn output(cmd: &mut Command, what: &str) -> Result<Vec<u8>> {
    let output = cmd.output().with_context(|| format!("running {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output.stdout)
}

fn status(cmd: &mut Command, what: &str) -> Result<()> {
    let status = cmd.status().with_context(|| format!("starting {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

fn step(message: &str) {
    eprintln!("\n==> {message}");
}
