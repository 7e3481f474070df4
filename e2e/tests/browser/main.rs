//! Browser tests (X-01, X-02, AUTH-05): Debian's headless Chromium, driven over WebDriver by
//! fantoccini, against the real server (serving the release SPA from frontend/dist) on a random
//! loopback port with a fresh database. A failing test saves a screenshot to e2e/screenshots/.
//! axe-core audits every page a test visits (`axe.rs`).

mod authority_info;
mod axe;
mod console;
mod contacts;
mod eventlog;
mod exemptions;
mod helpers;
mod identity;
mod keyboard;
mod mail_access;
mod move_mail;
mod nemsms;
mod recall;
mod sftp;
mod shell;
mod statistics;
mod systems;
mod systems_standard;
mod systems_test_message;
