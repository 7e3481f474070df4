//! `cargo xtask bench spa` (and part of the full run): the SPA's download sizes against their
//! budgets and the front page's first render in Chromium.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::{step, tools};

/// First render of the front page in Chromium (Navigation and User Timing), measured by the
/// browser test `bench_front_page_render`, and each module's first open at 40 ms / 10 Mbit/s
/// (`bench_module_first_open`, issue 32 item 14); both are ignored in `cargo test` and print
/// their tables as `BENCH` lines.
pub(crate) fn first_render(env: &tools::BuildEnv) -> Result<String> {
    step("Front page render and module first opens in Chromium");
    let mut tables = Vec::new();
    for test in [
        "shell::bench_front_page_render",
        "shell::bench_module_first_open",
    ] {
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
                test,
                "--nocapture",
            ]),
            "the SPA's measurements in Chromium",
        )?;
        let text = String::from_utf8_lossy(&output).into_owned();
        let rows: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("BENCH "))
            .collect();
        if rows.is_empty() {
            bail!("no BENCH lines from {test} in:\n{text}");
        }
        tables.push(rows.join("\n"));
    }
    Ok(tables.join("\n\n"))
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
    // Issue 32 item 14: what a module's first open fetches — at most two packs.
    let packs = crate::spa_packs::packs(root)?;
    for module in packs.keys().filter(|m| *m != "common") {
        let fetched = crate::spa_packs::first_open(&packs, module);
        let own = served_size(&bundle, &format!("pack_{module}.bin"))?;
        let mut total = 0;
        for file in &fetched {
            total += served_size(&bundle, file)?;
        }
        rows.push(format!(
            "| module `{module}` first open: {} request(s), its pack / with the common pack | {} / {} | 60 KB own |",
            fetched.len(),
            kb(own),
            kb(total)
        ));
    }
    Ok(rows)
}
