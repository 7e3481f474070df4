//! `cargo xtask fuzz-files [seconds] [seed]` (issue 29 item 5): mutated workbooks, PDFs and
//! PNGs through the upload sandbox, by the server binary's own `fuzz-files` command, so the
//! path is the one the upload endpoints take. `cargo xtask test` runs it for
//! [`TEST_SECONDS`]; longer runs are for a closer look (a failing input is kept in
//! `target/fuzz-files/`, named by its seed).

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::tools::BuildEnv;
use crate::{status, step};

/// The run inside `cargo xtask test`: long enough for a few hundred inputs of each kind.
pub const TEST_SECONDS: u64 = 20;

pub fn fuzz_files(root: &Path, env: &BuildEnv, seconds: u64, seed: u64, built: bool) -> Result<()> {
    if !built {
        crate::fuzz::build_server(env)?;
    }
    step(&format!(
        "Fuzzing the upload sandbox for {seconds} s (seed {seed})"
    ));
    status(
        Command::new(root.join("target/debug/adgang-server"))
            .args(["fuzz-files", "--seconds", &seconds.to_string()])
            .args(["--seed", &seed.to_string()])
            .arg("--out")
            .arg(root.join("target/fuzz-files")),
        "adgang-server fuzz-files",
    )
}
