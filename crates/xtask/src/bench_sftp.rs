//! `cargo xtask bench sftp` (issue 35 item 5): one bulk file of 10,000 memos uploaded with
//! OpenSSH's `sftp` to a fresh release server on SQLite, taken through the REST intake's rules
//! — memos per second from the upload's end to the result file, and the server's resident
//! memory before, during and after (it must stay flat: the archive is read by the sandbox's
//! child, the memos go to the intake writer a chunk at a time).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::bench::{create_authority, issue_token, launch, server_command, spawn_with_input};
use crate::bench_messaging::{json_field, post};
use crate::step;

const ORG: &str = "29189846";
const MEMOS: usize = 10_000;
/// What the issue asks for, memos a second on SQLite.
const TARGET: f64 = 1_000.0;

fn rss_mb(pid: u32) -> f64 {
    crate::bench_db::rss_kib(pid) as f64 / 1024.0
}

/// The bulk file: 10,000 memos to citizens, each with a 1 KB PDF-ish attachment in base64 —
/// the shape of `POST /api/v1/memos` (`docs/sftp.md`).
fn bulk_file(round: usize) -> Vec<u8> {
    let attachment = "JVBERi0xLjQK".repeat(114);
    let memos: Vec<String> = (0..MEMOS)
        .map(|i| {
            format!(
                r#"{{"messageId":"0190f3a0-{round:04x}-7000-8000-{i:012x}","title":"Årsopgørelse","senderCvr":"{ORG}","recipient":"0101401000","type":"letter","body":"Kære borger","attachments":[{{"filename":"brev.pdf","contentType":"application/pdf","content":"{attachment}"}}]}}"#
            )
        })
        .collect();
    adgang_documents::bulk::testing::bulk_file(&memos, &[])
}

fn sftp(port: u16, user: &str, key: &Path, batch: &str) -> Result<()> {
    let mut child = spawn_with_input(
        Command::new("sftp")
            .args(["-b", "-", "-P", &port.to_string(), "-i"])
            .arg(key)
            .args([
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "LogLevel=ERROR",
            ])
            .arg(format!("{user}@127.0.0.1"))
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        batch,
        "sftp (Debian's openssh-client)",
        "sftp's stdin",
    )?;
    let status = child.wait()?;
    if !status.success() {
        bail!("sftp failed: {batch}");
    }
    Ok(())
}

pub fn bench_sftp(server_bin: &Path, key_file: &Path, data: &Path) -> Result<Vec<String>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let sftp_port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let database_url = format!("sqlite://{}/bench-sftp.db?mode=rwc", data.display());
    let server = launch(
        server_command(server_bin, key_file, port, &database_url, false)
            .env("ADGANG_SFTP_PORT", sftp_port.to_string())
            .stdout(std::fs::File::create(data.join("server-sftp.log"))?),
        port,
    )?;
    create_authority(&base, ORG, "Testkommune Nord")?;
    let key = data.join("sftp-key");
    let _ = std::fs::remove_file(&key);
    let _ = std::fs::remove_file(data.join("sftp-key.pub"));
    crate::output(
        Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(&key),
        "ssh-keygen",
    )?;
    let public = std::fs::read_to_string(data.join("sftp-key.pub"))?;
    let token = issue_token(server_bin, key_file, &base, ORG, "system_admin")?;
    let system = post(
        &format!("{base}/api/v1/organisations/{ORG}/systems"),
        &token,
        &serde_json::json!({
            "name": "Masseforsendelser", "role": "sender", "protocol": "sftp",
            "sshPublicKey": public.trim(), "allowedIps": ["127.0.0.1"],
            "activation": {"mode": "now"},
            "technicalContact": {"email": "drift@nord.dk", "phone": "12345678"}
        })
        .to_string(),
    )?;
    let system_id = json_field(&system, &["system", "id"])?;

    let pid = server.0.id();
    let rss_start = rss_mb(pid);
    let mut rows = Vec::new();
    let mut rss_after = Vec::new();
    // Two files one after the other: what the first leaves resident, the second must not add to.
    for round in 1..=2 {
        let file = data.join(format!("bulk-{round}.zip"));
        std::fs::write(&file, bulk_file(round))?;
        let size_mb = std::fs::metadata(&file)?.len() as f64 / 1_048_576.0;
        step(&format!(
            "SFTP: uploading file {round}, {MEMOS} memos ({size_mb:.1} MB), and waiting for its result"
        ));
        let uploaded = Instant::now();
        sftp(
            sftp_port,
            &system_id,
            &key,
            &format!(
                "put {} /inbox/bulk-{round}.zip.part\nrename /inbox/bulk-{round}.zip.part /inbox/bulk-{round}.zip\n",
                file.display()
            ),
        )?;
        let upload_secs = uploaded.elapsed().as_secs_f64();
        let started = Instant::now();
        let mut rss_peak = rss_mb(pid);
        let result = data.join(format!("bulk-{round}.result.json"));
        let _ = std::fs::remove_file(&result);
        // The result file appears when the last memo has its outcome.
        let get = format!(
            "get /results/bulk-{round}.result.json {}\n",
            result.display()
        );
        while sftp(sftp_port, &system_id, &key, &get).is_err() {
            rss_peak = rss_peak.max(rss_mb(pid));
            if started.elapsed() > Duration::from_secs(600) {
                bail!("the bulk file was not taken within 10 minutes");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let take_secs = started.elapsed().as_secs_f64();
        rss_after.push(rss_mb(pid));
        let outcome: serde_json::Value = serde_json::from_slice(&std::fs::read(&result)?)?;
        let accepted = outcome["accepted"].as_u64().unwrap_or(0) as usize;
        if accepted != MEMOS {
            bail!(
                "{accepted} of {MEMOS} memos accepted: {}",
                outcome["memos"][0]
            );
        }
        let rate = MEMOS as f64 / take_secs;
        rows.push(format!(
            "| file {round}: {MEMOS} memos (1 KB attachment each, {size_mb:.1} MB zip), SQLite — upload with OpenSSH sftp {upload_secs:.1} s; taken (sandbox read, REST intake, result file) from the upload's end to the result in /results | {take_secs:.1} s = {rate:.0} memos/s | ≥ {TARGET:.0} memos/s {} |",
            if rate >= TARGET { "✓" } else { "✗" }
        ));
        rows.push(format!(
            "| … server RSS peak while taking file {round} | {rss_peak:.0} MB | – |"
        ));
    }
    rows.push(format!(
        "| server RSS at start / after file 1 / after file 2 | {rss_start:.0} / {:.0} / {:.0} MB | flat: file 2 adds nothing |",
        rss_after[0], rss_after[1]
    ));
    Ok(rows)
}
