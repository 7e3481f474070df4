//! `cargo xtask bench uploads` (issue 29): what an ordinary upload costs now that a child
//! process reads it, and a fresh release server under hostile uploads — every one answered
//! with a 4xx within its deadline, the server's resident memory, `/healthz` and other writes
//! meanwhile. The hostile files come from `adgang_documents::hostile` (one per class of the
//! issue); each passes the cheap first-line checks.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use adgang_documents::hostile;

use crate::bench::issue_token;
use crate::step;

const ORG: &str = "29189846";
const NOT_YET_JOINED: &str = "40000011";

/// One `curl` request: status and seconds.
fn request(method: &str, url: &str, token: &str, content_type: &str, body: &Path) -> (u16, f64) {
    let out = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}"])
        .args([
            "-X",
            method,
            "-H",
            &format!("Authorization: Bearer {token}"),
        ])
        .args(["-H", &format!("Content-Type: {content_type}")])
        .arg("--data-binary")
        .arg(format!("@{}", body.display()))
        .arg(url)
        .output();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let (code, secs) = text.split_once(' ').unwrap_or(("0", "0"));
    (code.parse().unwrap_or(0), secs.parse().unwrap_or(f64::MAX))
}

/// The resident memory of `pid`, bytes.
fn rss_of(pid: u32) -> u64 {
    crate::bench_db::rss_kib(pid) * 1024
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn ms(seconds: f64) -> String {
    format!("{:.0} ms", seconds * 1000.0)
}

pub fn bench_uploads(
    server_pid: u32,
    server_bin: &Path,
    key_file: &Path,
    base_url: &str,
    data: &Path,
) -> Result<Vec<String>> {
    let admin = issue_token(
        server_bin,
        key_file,
        base_url,
        ORG,
        "contact_admin,system_admin",
    )?;
    let joining = issue_token(
        server_bin,
        key_file,
        base_url,
        NOT_YET_JOINED,
        "system_admin",
    )?;
    let logo_url = format!("{base_url}/api/v1/organisations/{ORG}/logo");
    let agreement_url =
        format!("{base_url}/api/v1/organisations/{NOT_YET_JOINED}/onboarding/signed-agreement");
    let import_url =
        format!("{base_url}/api/v1/organisations/{ORG}/contact-structure/import?dryRun=true");
    let privacy_url =
        format!("{base_url}/api/v1/organisations/{ORG}/authority-information/privacy-policy-link");
    let write = |name: &str, bytes: &[u8]| -> Result<std::path::PathBuf> {
        let path = data.join(name);
        std::fs::write(&path, bytes)?;
        Ok(path)
    };
    let logo = adgang_documents::qr::qr_png("https://kommune.dk/logo", 6)?;
    let agreement = adgang_documents::pdf::render(&adgang_documents::pdf::Report {
        title: "Tilslutningsaftale".into(),
        subtitle: "Underskrevet".into(),
        sections: vec![adgang_documents::pdf::Section {
            heading: "Parter".into(),
            fields: vec![("Myndighed".into(), "Nyby Kommune".into())],
        }],
        figures: Vec::new(),
    })?;
    let logo_file = write("logo.png", &logo)?;
    let agreement_file = write("agreement.pdf", &agreement)?;
    let privacy_file = write(
        "privacy.json",
        br#"{"url":"https://kommune.dk/privatlivspolitik"}"#,
    )?;
    let mut rows = Vec::new();

    step("Timing ordinary uploads through the sandbox child (20 each)");
    let mut child_alone = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let out = Command::new(server_bin)
            .args(["parse-untrusted", "probe", "--memory-bytes", "536870912"])
            .args(["--cpu-seconds", "10"])
            .env_clear()
            .output()?;
        if !out.status.success() {
            bail!("the probe child failed: {out:?}");
        }
        child_alone.push(started.elapsed().as_secs_f64());
    }
    child_alone.sort_by(f64::total_cmp);
    rows.push(format!(
        "| a child started, limited and answered (probe, no file) | {} | {} | – |",
        ms(quantile(&child_alone, 0.5)),
        ms(quantile(&child_alone, 1.0))
    ));
    for (what, url, token, content_type, file) in [
        (
            format!("logo {} bytes (decoded, written anew, stored)", logo.len()),
            &logo_url,
            &admin,
            "image/png",
            &logo_file,
        ),
        (
            format!("signed agreement, 1-page PDF of {} bytes", agreement.len()),
            &agreement_url,
            &joining,
            "application/pdf",
            &agreement_file,
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..20 {
            let (status, secs) = request("PUT", url, token, content_type, file);
            if status != 200 {
                bail!("{what}: {status}");
            }
            times.push(secs);
        }
        times.sort_by(f64::total_cmp);
        rows.push(format!(
            "| {what} | {} | {} | – |",
            ms(quantile(&times, 0.5)),
            ms(quantile(&times, 1.0))
        ));
    }

    step("Hostile uploads: 3 of each class at once, with writes and /healthz meanwhile");
    let classes = [
        (
            "workbook, used range in single quotes",
            write("bomb.xlsx", &hostile::workbook_range_bomb())?,
            import_url.clone(),
            admin.clone(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "POST",
        ),
        (
            "PDF object-stream bomb, /N +3000",
            write("bomb.pdf", &hostile::pdf_object_stream_bomb())?,
            agreement_url.clone(),
            joining.clone(),
            "application/pdf",
            "PUT",
        ),
        (
            "logo with an iCCP chunk inflating to 64 MB",
            write(
                "bomb.png",
                &hostile::png_with_compressed_chunk(&logo, b"iCCP", 64 * 1024 * 1024),
            )?,
            logo_url.clone(),
            admin.clone(),
            "image/png",
            "PUT",
        ),
    ];
    let rss_before = rss_of(server_pid);
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(rss_of(server_pid));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };
    let writer = {
        let (stop, url, token, file) = (
            stop.clone(),
            privacy_url.clone(),
            admin.clone(),
            privacy_file.clone(),
        );
        std::thread::spawn(move || {
            let mut times = Vec::new();
            let mut failed = 0;
            while !stop.load(Ordering::Relaxed) {
                let (status, secs) = request("PUT", &url, &token, "application/json", &file);
                if status == 200 {
                    times.push(secs);
                } else {
                    failed += 1;
                }
            }
            (times, failed)
        })
    };
    let health = {
        let (stop, url) = (stop.clone(), format!("{base_url}/healthz"));
        std::thread::spawn(move || {
            let mut times = Vec::new();
            let mut failed = 0;
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let ok = Command::new("curl")
                    .args(["-s", "-o", "/dev/null", "-f", "--max-time", "5", &url])
                    .status()
                    .map(|s| s.success())
                    .unwrap_or(false);
                if ok {
                    times.push(started.elapsed().as_secs_f64());
                } else {
                    failed += 1;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            (times, failed)
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    let uploads: Vec<_> = classes
        .iter()
        .flat_map(|h| std::iter::repeat_n(h.clone(), 3))
        .map(|(what, file, url, token, content_type, method)| {
            std::thread::spawn(move || {
                let (status, secs) = request(method, &url, &token, content_type, &file);
                (what, status, secs)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for upload in uploads {
        answers.push(
            upload
                .join()
                .map_err(|_| anyhow::anyhow!("an upload thread panicked"))?,
        );
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    let peak = sampler.join().map_err(|_| anyhow::anyhow!("sampler"))?;
    let (mut writes, writes_failed) = writer.join().map_err(|_| anyhow::anyhow!("writer"))?;
    let (mut healthz, health_failed) = health.join().map_err(|_| anyhow::anyhow!("health"))?;
    let rss_after = rss_of(server_pid);
    for (what, status, secs) in &answers {
        rows.push(format!(
            "| hostile: {what} | {status} in {secs:.1} s | | 4xx within the deadline |"
        ));
    }
    writes.sort_by(f64::total_cmp);
    healthz.sort_by(f64::total_cmp);
    rows.push(format!(
        "| other writes meanwhile (PUT privacy link, {} done, {writes_failed} failed): p50 / p99 | {} | {} | p99 ≤ 200 ms |",
        writes.len(),
        ms(quantile(&writes, 0.5)),
        ms(quantile(&writes, 0.99))
    ));
    rows.push(format!(
        "| /healthz meanwhile ({} answered, {health_failed} failed): p50 / max | {} | {} | always answers |",
        healthz.len(),
        ms(quantile(&healthz, 0.5)),
        ms(quantile(&healthz, 1.0))
    ));
    let mb = |b: u64| b as f64 / 1048576.0;
    rows.push(format!(
        "| server RSS before / peak / after | {:.0} / {:.0} / {:.0} MB | growth {:.0} MB | growth ≤ 100 MB |",
        mb(rss_before),
        mb(peak),
        mb(rss_after),
        mb(peak.saturating_sub(rss_before))
    ));
    // The issue's targets are checked, not only printed.
    let failures = [
        (
            answers
                .iter()
                .any(|(_, status, _)| !(400..500).contains(status)),
            "a hostile upload was not refused with a 4xx",
        ),
        (
            peak.saturating_sub(rss_before) > 100 * 1024 * 1024,
            "the server's RSS grew by more than 100 MB",
        ),
        (
            writes_failed > 0 || quantile(&writes, 0.99) > 0.2,
            "other writes failed or their p99 passed 200 ms",
        ),
        (health_failed > 0, "/healthz did not always answer"),
    ];
    if let Some((_, what)) = failures.iter().find(|(failed, _)| *failed) {
        bail!("{what}:\n{}", rows.join("\n"));
    }
    Ok(rows)
}
