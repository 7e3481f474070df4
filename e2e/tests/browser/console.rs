//! A clean console and a page that fits a phone, checked on every page (issue 32 items 4, 11,
//! 15): Chromium's console (chromedriver's `browser` log) must hold no error — a WASM panic, an
//! uncaught exception, a `console.error` — and no network failure other than an answer a test
//! provokes on purpose (a refused form: 400, 403, 404, 409, 413, 422, 429). And at 390 px
//! (the window is narrowed for the check, then restored) no page is wider than the phone.

use crate::helpers::*;

/// The network answers a test provokes on purpose: a form the server refuses. A 401 (a
/// session asked for without one) and every 5xx are failures.
const EXPECTED_STATUSES: [u16; 7] = [400, 403, 404, 409, 413, 422, 429];

/// The width of the phone every page must fit (issue 32 item 11).
pub(crate) const PHONE_WIDTH: u32 = 390;

/// Fails on any console entry since the last check that is an error and not an expected
/// network answer.
pub(crate) async fn check_console(client: &Client) -> Result<()> {
    let entries = client
        .issue_cmd(ChromeCommand {
            path: "se/log",
            body: serde_json::json!({ "type": "browser" }),
        })
        .await
        .context("reading the browser's console")?;
    let entries = entries
        .as_array()
        .with_context(|| format!("the browser's log is no list: {entries}"))?;
    let unexpected: Vec<String> = entries
        .iter()
        .filter(|entry| entry["level"] == "SEVERE")
        .filter_map(|entry| entry["message"].as_str())
        .filter(|message| !is_expected_answer(message))
        .map(str::to_owned)
        .collect();
    ensure!(
        unexpected.is_empty(),
        "the browser's console holds {} error(s):\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    Ok(())
}

/// A network entry: "<url> - Failed to load resource: the server responded with a status of
/// 422 (Unprocessable Entity)" — expected only from the API (a missing font, image or
/// stylesheet is never expected).
fn is_expected_answer(message: &str) -> bool {
    const MARK: &str = "the server responded with a status of ";
    let from_the_api = message
        .split_whitespace()
        .next()
        .and_then(|url| url::Url::parse(url).ok())
        .is_some_and(|url| url.path().starts_with("/api/"));
    from_the_api
        && message
            .split_once(MARK)
            .and_then(|(_, rest)| rest.get(..3)?.parse::<u16>().ok())
            .is_some_and(|status| EXPECTED_STATUSES.contains(&status))
}

/// Narrows the window to the phone's width, measures the page, and restores the window.
pub(crate) async fn check_phone_width(client: &Client, page: &str) -> Result<()> {
    let (width, height) = client.get_window_size().await?;
    let narrowed = width != u64::from(PHONE_WIDTH);
    if narrowed {
        client.set_window_size(PHONE_WIDTH, 844).await?;
    }
    // Two animation frames: the layout at the new width has been computed. The window is
    // restored whatever the measurement came to.
    let measured = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => {
               const root = document.documentElement;
               const wide = [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                   && getComputedStyle(e).position !== 'fixed')
                 .filter(e => !e.closest('.table-responsive, .scroll-x, [data-scrolls]'))
                 .slice(0, 3)
                 .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                   + (e.className && typeof e.className === 'string'
                      ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
               done({ scroll: root.scrollWidth, inner: window.innerWidth, wide });
             }));",
            vec![],
        )
        .await;
    if narrowed {
        client
            .set_window_size(
                u32::try_from(width).unwrap_or(1280),
                u32::try_from(height).unwrap_or(1000),
            )
            .await?;
    }
    let measured = measured?;
    let scroll = measured["scroll"].as_u64().unwrap_or(u64::MAX);
    ensure!(
        scroll <= u64::from(PHONE_WIDTH),
        "{page} is {scroll} px wide at {PHONE_WIDTH} px (inner width {}); wider elements: {}",
        measured["inner"],
        measured["wide"]
    );
    Ok(())
}

/// The texts of the `language` catalogue ("da" or "en") that the other one says otherwise
/// (issue 32 item 9): what a page in the other language must not show. Only texts of three
/// words or more, so that names both languages share ("NemSMS", "CVR-nummer") and single words
/// that are also the other language's do not count.
fn only_texts(language: &'static str) -> &'static Vec<String> {
    static DANISH: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    static ENGLISH: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let (cell, other) = if language == "en" {
        (&ENGLISH, "da")
    } else {
        (&DANISH, "en")
    };
    cell.get_or_init(|| {
        let dir = workspace_root().join("frontend/src/i18n");
        let read = |path: PathBuf| -> serde_json::Map<String, serde_json::Value> {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let mut texts = Vec::new();
        let suffix = format!(".{language}.json");
        for entry in std::fs::read_dir(&dir)
            .expect("the i18n catalogue")
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(module) = name.strip_suffix(suffix.as_str()) else {
                continue;
            };
            let own = read(entry.path());
            let others = read(dir.join(format!("{module}.{other}.json")));
            for (key, value) in own {
                let Some(text) = value.as_str() else { continue };
                // A template's fixed part: the text before its first placeholder.
                let text = text.split('{').next().unwrap_or_default().trim();
                if text.split_whitespace().count() >= 3 && others.get(&key) != Some(&value) {
                    texts.push(text.to_owned());
                }
            }
        }
        texts
    })
}

fn danish_only_texts() -> &'static Vec<String> {
    only_texts("da")
}

/// On a page shown in English: fails on any visible text from the Danish catalogue.
pub(crate) async fn check_no_danish(client: &Client, page: &str) -> Result<()> {
    if html_lang(client).await? != "en" {
        return Ok(());
    }
    check_one_language(client, page).await
}

/// the page shows no text of the catalogue of the language it is not in (`<html lang>`),
/// in either direction.
pub(crate) async fn check_one_language(client: &Client, page: &str) -> Result<()> {
    let lang = html_lang(client).await?;
    let foreign = if lang == "en" {
        only_texts("da")
    } else {
        only_texts("en")
    };
    let shown = client
        .execute("return document.body.innerText", vec![])
        .await?;
    let shown = shown.as_str().unwrap_or_default().replace('\u{ad}', "");
    let mixed: Vec<&String> = foreign
        .iter()
        .filter(|text| shown.contains(text.as_str()))
        .collect();
    ensure!(
        mixed.is_empty(),
        "{page} is in '{lang}' but shows the other language: {mixed:?}"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{danish_only_texts, is_expected_answer};

    /// The English check has something to find: the signed-out front page's Danish sentence,
    /// and not a name both languages share.
    #[test]
    fn the_danish_only_texts_hold_danish_sentences_not_shared_names() {
        let texts = danish_only_texts();
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Log ind for at se de moduler")),
            "{} texts",
            texts.len()
        );
        assert!(!texts.iter().any(|t| t == "NemSMS"));
    }

    #[test]
    fn a_refused_form_is_expected_a_missing_session_and_a_server_error_are_not() {
        let entry = |status: &str| {
            format!(
                "http://127.0.0.1:1/api/v1/x - Failed to load resource: the server responded \
                 with a status of {status}"
            )
        };
        assert!(is_expected_answer(&entry("422 (Unprocessable Entity)")));
        assert!(is_expected_answer(&entry("409 (Conflict)")));
        assert!(!is_expected_answer(
            "http://127.0.0.1:1/app-1/fonts/x.woff2 - Failed to load resource: the server \
             responded with a status of 404 (Not Found)"
        ));
        assert!(!is_expected_answer(&entry("401 (Unauthorized)")));
        assert!(!is_expected_answer(&entry("500 (Internal Server Error)")));
        assert!(!is_expected_answer(
            "panicked at frontend/src/app.rs:1:1: RefCell already borrowed"
        ));
    }
}
