//! `cargo xtask bench delivery` (issue 31): intake and delivery at the same time, on the
//! release server, at 64 connections — once with every memo to a healthy loopback peer, once
//! with every 100th memo to an endpoint that accepts the connection and never answers. The
//! healthy peer's delivery rate while intake runs is compared between the two, and how long
//! the backlog takes to drain once intake stops (the hung endpoint's own jobs excepted).

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::bench::{create_authority, first_figure, issue_token, wrk_script};
use crate::bench_messaging::{json_field, memo_script, post, write_data_key, Peer, Run};
use crate::step;

const SECONDS: u32 = 30;
const CONNECTIONS: u32 = 64;
const SENDER: &str = "29189846";
const HEALTHY: &str = "34051178";
const HUNG: &str = "25052943";

/// An endpoint that accepts every connection and never answers.
fn hung_endpoint() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    Ok(port)
}

fn system(base: &str, token: &str, cvr: &str, body: &str) -> Result<String> {
    let created = post(
        &format!("{base}/api/v1/organisations/{cvr}/systems"),
        token,
        body,
    )?;
    json_field(&created, &["system", "id"])
}

/// A process's resident memory in MB (Linux).
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// What one scenario measured.
struct Figures {
    intake: f64,
    rate: f64,
    drain: f64,
    delivered: usize,
    /// Resident memory of the first instance after set-up and after the drain, MB.
    rss: (f64, f64),
}

/// One scenario on `instances` servers sharing the database (intake through the first, every
/// one delivering).
fn scenario(run: &Run, hung_every: u32, instances: usize) -> Result<Figures> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let peer = Peer::start()?;
    let hung = hung_endpoint()?;
    let server = run.start(port, true)?;
    let mut others = Vec::new();
    for _ in 1..instances {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        others.push(run.start(port, true)?);
    }
    for (cvr, name) in [
        (SENDER, "Testkommune Nord"),
        (HEALTHY, "Styrelsen for Digital Test"),
        (HUNG, "Langsom Leverandør"),
    ] {
        create_authority(&base, cvr, name)?;
    }
    let token =
        |cvr: &str| issue_token(run.server_bin, run.signing_key, &base, cvr, "system_admin");
    let contact = r#""activation":{"mode":"now"},"technicalContact":{"email":"drift@example.dk","phone":"12345678"}"#;
    let sender = system(
        &base,
        &token(SENDER)?,
        SENDER,
        &format!(
            r#"{{"name":"Bench-afsender","role":"sender","protocol":"rest_pull","allowedIps":["127.0.0.1"],{contact}}}"#
        ),
    )?;
    let key = post(
        &format!("{base}/api/v1/organisations/{SENDER}/systems/{sender}/api-key/rotation"),
        &token(SENDER)?,
        "{}",
    )?;
    let api_key = json_field(&key, &["apiKey"])?;
    for (cvr, endpoint) in [
        (HEALTHY, format!("http://127.0.0.1:{}/in", peer.port)),
        (HUNG, format!("http://127.0.0.1:{hung}/in")),
    ] {
        system(
            &base,
            &token(cvr)?,
            cvr,
            &format!(
                r#"{{"name":"Bench-modtager","role":"recipient","protocol":"rest_push","allowedIps":["127.0.0.1"],"endpoint":"{endpoint}",{contact}}}"#
            ),
        )?;
    }
    let rss_before = rss_mb(server.0.id());
    let file = std::env::temp_dir().join(format!("adgang-delivery-{}.lua", std::process::id()));
    std::fs::write(
        &file,
        memo_script(&api_key, (hung_every > 0).then_some((hung_every, HUNG))),
    )?;
    let before = peer.received();
    let intake = wrk_script(
        &format!("{base}/api/v1/memos"),
        &format!("X-System-Id: {sender}"),
        SECONDS,
        CONNECTIONS,
        &file,
    )?;
    let _ = std::fs::remove_file(&file);
    let during = peer.received() - before;
    let stopped = Instant::now();
    let intake_rate = first_figure(&format!("| x | {} |", intake.requests_per_sec));
    let submitted = (intake_rate * f64::from(SECONDS)) as usize;
    let expected = if hung_every > 0 {
        submitted - submitted / hung_every as usize
    } else {
        submitted
    };
    // Drained: nothing more arrived for 2 s once nearly all the healthy memos had.
    let mut last = (peer.received(), Instant::now());
    loop {
        let received = peer.received();
        if received != last.0 {
            last = (received, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(2)
            && (received >= expected * 99 / 100 || stopped.elapsed() > Duration::from_secs(300))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let drain = last.1.saturating_duration_since(stopped).as_secs_f64();
    Ok(Figures {
        intake: intake_rate,
        rate: during as f64 / f64::from(SECONDS),
        drain,
        delivered: last.0,
        rss: (rss_before, rss_mb(server.0.id())),
    })
}

pub fn bench_delivery(server_bin: &Path, signing_key: &Path, data: &Path) -> Result<Vec<String>> {
    let data_key = write_data_key(server_bin, data)?;
    let mut rows = Vec::new();
    let cluster = crate::postgres::Cluster::start(data)?;
    let runs: [(&str, String, usize); 2] = [
        ("SQLite", String::new(), 1),
        ("PostgreSQL, two instances", cluster.url(), 2),
    ];
    for (label, url, instances) in runs {
        let mut baseline = None;
        for (hung_every, what) in [
            (0, "all to a healthy peer"),
            (100, "every 100th to a hung endpoint"),
        ] {
            let database_url = if url.is_empty() {
                let file = data.join(format!("delivery-{hung_every}.db"));
                format!("sqlite://{}?mode=rwc", file.display())
            } else {
                url.clone()
            };
            if !url.is_empty() {
                cluster.psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")?;
            }
            let run = Run {
                server_bin,
                signing_key,
                data_key: &data_key,
                database_url,
                label: "delivery",
            };
            step(&format!("delivery bench, {label}: {what}"));
            let f = scenario(&run, hung_every, instances)
                .with_context(|| format!("{label}: the scenario {what}"))?;
            let share = match baseline {
                None => {
                    baseline = Some(f.rate);
                    "100 %".to_owned()
                }
                Some(base) => format!("{:.0} %", 100.0 * f.rate / f64::max(base, 1.0)),
            };
            rows.push(format!(
                "| {label}, {what}: wrk -c{CONNECTIONS} for {SECONDS} s | {:.0}/s | {:.0}/s | {share} | {:.1} s | {} | {:.0} → {:.0} MB |",
                f.intake, f.rate, f.drain, f.delivered, f.rss.0, f.rss.1
            ));
        }
    }
    Ok(rows)
}
