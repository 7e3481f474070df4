//! `cargo xtask bench spa` (and part of the full run): the SPA's download sizes against their
//! budgets and the front page's first render in Chromium.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::{step, tools};

/// First render of the front page in Chromium (Navigation and User Timing), measured by the
/// browser test `bench_front_page_render` (ignored in `cargo test`; it prints its table as `BENCH` lines).
pub(crate) fn first_render(env: &tools::BuildEnv) -> Result<String> {
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
