//! Accessibility checked, not assumed (X-02, issue 11): axe-core (npm, in frontend/node_modules,
//! loaded from disk — never a CDN) runs on every page a browser test visits, the first time the
//! test waits for something on it. A `serious` or `critical` WCAG 2.x A/AA violation fails the
//! test; every audit's counts go to `target/axe-report.jsonl`, which `cargo xtask test`
//! summarises.

use std::collections::HashSet;
use std::io::Write;
use std::sync::{Mutex, OnceLock};

use crate::helpers::*;

/// The WCAG rule sets checked.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = workspace_root().join("frontend/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (`cargo xtask test` installs it with npm ci)",
                path.display()
            )
        })
    })
}

/// Pages (origin + path, signed in or not) already audited: each test's app has its own port,
/// so its own pages.
fn audited() -> &'static Mutex<HashSet<String>> {
    static AUDITED: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    AUDITED.get_or_init(Default::default)
}

/// Audits the page the browser shows, unless this page was audited already: axe at the test's
/// width, then the page's width at 390 px (`console::check_phone_width`).
pub(crate) async fn audit_once(client: &Client) -> Result<()> {
    let url = client.current_url().await?;
    let signed_in = client
        .execute(
            "return document.getElementById('signed-in-as') !== null",
            vec![],
        )
        .await?
        == true;
    // Each language is audited apart: an English page must hold no Danish (issue 32 item 9).
    let lang = html_lang(client).await?;
    let page = format!(
        "{}{}{}{}",
        url.origin().ascii_serialization(),
        url.path(),
        if signed_in { " (signed in)" } else { "" },
        if lang == "en" { " (English)" } else { "" }
    );
    if !audited().lock().expect("audit set").insert(page.clone()) {
        return Ok(());
    }
    let violations = violations(client).await?;
    record(&page, &violations);
    check(&page, &violations)?;
    crate::console::check_no_danish(client, &page).await?;
    crate::console::check_phone_width(client, &page).await
}

/// axe-core's WCAG violations on the current page.
pub(crate) async fn violations(client: &Client) -> Result<Vec<serde_json::Value>> {
    let loaded = client
        .execute("return typeof window.axe === 'object'", vec![])
        .await?;
    if loaded != true {
        // WebDriver scripts are not subject to the page's CSP: no inline script is allowed.
        client
            .execute(&format!("{}\nreturn true;", axe_source()), vec![])
            .await
            .context("loading axe-core")?;
    }
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }}, resultTypes: ['violations'] }})
            .then(r => done(r.violations.map(v => ({{
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))
            }}))))
            .catch(e => done([{{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }}]));"
    );
    let violations = client.execute_async(&script, vec![]).await?;
    Ok(violations.as_array().cloned().unwrap_or_default())
}

/// Adds the page's counts to `target/axe-report.jsonl` (the test run's summary).
fn record(page: &str, violations: &[serde_json::Value]) {
    let count = |impact: &str| violations.iter().filter(|v| v["impact"] == impact).count();
    let record = serde_json::json!({
        "page": page.split_once("//").map_or(page, |(_, rest)| rest)
            .split_once('/').map_or("/", |(_, path)| path),
        "critical": count("critical"), "serious": count("serious"),
        "moderate": count("moderate"), "minor": count("minor"),
    });
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(workspace_root().join("target/axe-report.jsonl"))
    {
        let _ = writeln!(file, "{record}");
    }
}

/// Fails on `serious` or `critical` violations, naming them.
pub(crate) fn check(page: &str, violations: &[serde_json::Value]) -> Result<()> {
    let blocking: Vec<_> = violations
        .iter()
        .filter(|v| v["impact"] == "serious" || v["impact"] == "critical")
        .collect();
    ensure!(
        blocking.is_empty(),
        "axe-core: {} serious/critical WCAG violation(s) on {page}: {}",
        blocking.len(),
        serde_json::to_string_pretty(&blocking)?
    );
    Ok(())
}
