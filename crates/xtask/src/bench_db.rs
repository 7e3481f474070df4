//! What the database benches share (eventlog, citizen, move, statistics): the two databases a
//! bench runs on — a SQLite file, then a throw-away PostgreSQL cluster — with SQL to seed them
//! in each one's dialect, and the release server started against one (and its RSS read).

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::Result;

use crate::bench::{launch, server_command, spawn_with_input, Server};

/// SQL expressions of the generated rows, per database. `i` is the row number.
pub(crate) struct Dialect {
    /// The row numbers `0..n` as a source `i`.
    pub(crate) series: fn(u64) -> String,
    /// Zero-padded decimal of an integer expression.
    pub(crate) pad: fn(&str, u32) -> String,
    /// The time `seconds` (an integer expression) after the start, as the column stores it.
    pub(crate) time: fn(&str, u64) -> String,
    /// String concatenation.
    pub(crate) concat: &'static str,
}

pub(crate) fn sqlite_dialect() -> Dialect {
    Dialect {
        series: |n| {
            format!(
                "(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {}) SELECT i FROM s)",
                n - 1
            )
        },
        pad: |e, w| format!("printf('%0{w}d', {e})"),
        // sqlx writes DateTime<Utc> as RFC 3339 with `+00:00`; whole seconds here.
        time: |e, start| {
            format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', {start} + ({e}), 'unixepoch')")
        },
        concat: "||",
    }
}

pub(crate) fn postgres_dialect() -> Dialect {
    Dialect {
        series: |n| format!("(SELECT generate_series(0, {}) AS i)", n - 1),
        pad: |e, w| format!("lpad(({e})::text, {w}, '0')"),
        time: |e, start| format!("to_timestamp({start} + ({e}))"),
        concat: "||",
    }
}

/// Runs SQL on the SQLite file with Python's sqlite3 (no sqlite3 CLI on the machine); returns
/// the rows, one per line, columns joined by `|`.
pub(crate) fn sqlite(file: &Path, sql: &str) -> Result<String> {
    let script = "import sqlite3,sys\n\
        c=sqlite3.connect(sys.argv[1])\n\
        c.execute('PRAGMA journal_mode=WAL')\n\
        c.execute('PRAGMA synchronous=OFF')\n\
        out=[]\n\
        for stmt in sys.stdin.read().split(';\\n'):\n\
        \x20   if stmt.strip():\n\
        \x20       out += ['|'.join(str(v) for v in r) for r in c.execute(stmt)]\n\
        c.commit()\n\
        print('\\n'.join(out))\n";
    let child = spawn_with_input(
        Command::new("python3")
            .args(["-c", script])
            .arg(file)
            .stdout(Stdio::piped()),
        sql,
        "running python3 sqlite3",
        "python stdin",
    )?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(out.status.success(), "sqlite3 failed on: {sql}");
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs SQL on a bench's database and answers its rows, `|`-separated.
pub(crate) type RunSql<'a> = Box<dyn Fn(&str) -> Result<String> + 'a>;

/// One database of a bench run: a SQLite file or a PostgreSQL cluster.
pub(crate) struct Target<'a> {
    pub(crate) label: &'static str,
    pub(crate) url: String,
    /// Runs SQL, returns rows as text.
    pub(crate) sql: RunSql<'a>,
    pub(crate) dialect: Dialect,
    /// The plan of a SELECT, as the database explains it.
    pub(crate) explain: RunSql<'a>,
}

/// Runs `bench` on a SQLite file `data/<file_name>` (unless `postgres_only`; removed after,
/// unless ADGANG_BENCH_KEEP is set), then on a fresh PostgreSQL cluster: the database benches'
/// two passes.
pub(crate) fn on_sqlite_then_postgres<T>(
    data: &Path,
    file_name: &str,
    postgres_only: bool,
    mut bench: impl FnMut(&Target) -> Result<T>,
) -> Result<Vec<T>> {
    let mut results = Vec::new();
    if !postgres_only {
        let file = data.join(file_name);
        let target = Target {
            label: "SQLite",
            url: format!("sqlite://{}?mode=rwc", file.display()),
            sql: Box::new(|sql| sqlite(&file, sql)),
            dialect: sqlite_dialect(),
            explain: Box::new(|select| {
                let plan = sqlite(&file, &format!("EXPLAIN QUERY PLAN {select}"))?;
                Ok(plan
                    .lines()
                    .map(|l| l.rsplit('|').next().unwrap_or(l).to_owned())
                    .collect::<Vec<_>>()
                    .join("\n"))
            }),
        };
        results.push(bench(&target)?);
        if std::env::var_os("ADGANG_BENCH_KEEP").is_some() {
            println!("\nKept the database: {}", file.display());
        } else {
            let _ = std::fs::remove_file(&file);
        }
    }
    let cluster = crate::postgres::Cluster::start(data)?;
    let target = Target {
        label: "PostgreSQL",
        url: cluster.url(),
        sql: Box::new(|sql| cluster.psql(sql)),
        dialect: postgres_dialect(),
        explain: Box::new(|select| {
            cluster.psql(&format!(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {select}"
            ))
        }),
    };
    results.push(bench(&target)?);
    Ok(results)
}

pub(crate) fn start_server(
    server_bin: &Path,
    key_file: &Path,
    url: &str,
    port: u16,
) -> Result<Server> {
    start_server_with(server_bin, key_file, url, port, &[])
}

/// [`start_server`] with further settings in its environment.
pub(crate) fn start_server_with(
    server_bin: &Path,
    key_file: &Path,
    url: &str,
    port: u16,
    env: &[(&str, &str)],
) -> Result<Server> {
    launch(
        server_command(server_bin, key_file, port, url, false)
            .envs(env.iter().copied())
            .env("ADGANG_DISPATCHER", "false")
            .stdout(Stdio::null()),
        port,
    )
}

pub(crate) fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
