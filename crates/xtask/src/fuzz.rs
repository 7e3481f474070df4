//! `cargo xtask fuzz` (also a step of `cargo xtask test`): schemathesis over the whole OpenAPI
//! document against the debug server with the demo data — once with a token holding every
//! right in the demo municipality, once without a token. Passes only with 0 server errors and 0
//! status codes the document does not declare (issue 13).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::bench::{issue_token, Server};
use crate::tools::BuildEnv;
use crate::{cargo, status, step};

/// Pinned: a newer schemathesis generates other cases (and may find other things — on purpose,
/// when the pin is raised, not by surprise in CI).
const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Test cases per operation and phase. 59 operations × the phases take ~1 minute per run on 2
/// cores; the seed keeps CI reproducible (`cargo xtask fuzz <seed>` tries another).
const MAX_EXAMPLES: &str = "10";
/// `ADGANG_FUZZ_EXAMPLES` overrides it for a longer hunt.
const DEFAULT_SEED: &str = "13";

/// The demo authority the authenticated run acts in (its data is what the operations reach).
const FUZZ_CVR: &str = "29189846";

/// `built`: `cargo xtask test` has just built the server binary with its tests (building it
/// again alone would compile half the workspace anew: the tests' feature set differs).
pub fn fuzz(root: &Path, env: &BuildEnv, seed: Option<&str>, built: bool) -> Result<()> {
    ensure_schemathesis()?;
    if !built {
        build_server(env)?;
    }
    run(root, seed)
}

pub(crate) fn build_server(env: &BuildEnv) -> Result<()> {
    step("Building the server for the API fuzzing");
    status(
        cargo(env).args([
            "build",
            "--package",
            "adgang-server",
            "--bin",
            "adgang-server",
        ]),
        "cargo build adgang-server",
    )
}

fn run(root: &Path, seed: Option<&str>) -> Result<()> {
    let server = DemoServer::start(root, "fuzz", &[])?;
    let token = server.token(FUZZ_CVR, "all")?;
    let (data, base_url) = (&server.data, &server.base_url);

    // The authenticated run reaches into the demo authority: `{cvr}` is always its CVR number.
    let bound = data.join("authenticated.toml");
    std::fs::write(
        &bound,
        format!("[parameters]\n\"path.cvr\" = \"{FUZZ_CVR}\"\n"),
    )?;
    let unbound = data.join("unauthenticated.toml");
    std::fs::write(&unbound, "")?;
    let seed = seed.unwrap_or(DEFAULT_SEED);
    let examples = std::env::var("ADGANG_FUZZ_EXAMPLES").unwrap_or_else(|_| MAX_EXAMPLES.into());
    let authorization = format!("Authorization: Bearer {token}");
    for (label, config, header) in [
        (
            "with a token holding every right",
            &bound,
            Some(authorization.as_str()),
        ),
        ("without a token", &unbound, None),
    ] {
        step(&format!("API fuzzing (schemathesis, seed {seed}) {label}"));
        let mut st = Command::new("st");
        st.arg("--config-file")
            .arg(config)
            .arg("run")
            .arg(root.join("openapi/openapi.json"))
            .args(["--url", base_url.as_str()])
            .args(["--checks", "not_a_server_error,status_code_conformance"])
            .args(["--max-examples", &examples, "--seed", seed])
            // One worker: with two, hypothesis' shared caches raced once in a long run and
            // schemathesis reported its own internal error as a failure.
            .args(["--workers", "1", "--no-color", "--warnings", "off"])
            .env("SCHEMATHESIS_HOOKS", "adgang_hooks")
            .env("PYTHONPATH", root.join("e2e/schemathesis"));
        if let Some(header) = header {
            st.args(["--header", header]);
        }
        status(&mut st, &format!("schemathesis {label}"))?;
    }
    server.remove_data();
    Ok(())
}

/// The debug server (`target/debug/adgang-server`) with the demo data on a free loopback port,
/// its database and signing key in a throw-away directory; killed when dropped (the directory
/// stays for a look at `server.log` unless [`DemoServer::remove_data`]). The API fuzzing and
/// the generated clients' tests (`clients.rs`) both run against one.
pub(crate) struct DemoServer {
    pub(crate) bin: PathBuf,
    pub(crate) data: PathBuf,
    pub(crate) base_url: String,
    key_file: PathBuf,
    server: Server,
}

impl DemoServer {
    /// `name` names the data directory (`$TMPDIR/adgang-<name>-<pid>`); `env` is set on the
    /// server on top of the demo settings (e.g. `ADGANG_ALLOW_HTTP_ENDPOINTS`).
    pub(crate) fn start(root: &Path, name: &str, env: &[(&str, &str)]) -> Result<DemoServer> {
        let bin = root.join("target/debug/adgang-server");
        let data = std::env::temp_dir().join(format!("adgang-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&data)?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let base_url = format!("http://127.0.0.1:{port}");
        let key_file = data.join("signing-key.pem");
        let key = crate::output(
            Command::new(&bin).arg("generate-signing-key"),
            "generate-signing-key",
        )?;
        std::fs::write(&key_file, key)?;
        let log = std::fs::File::create(data.join("server.log"))?;
        let mut cmd = Command::new(&bin);
        cmd.env("ADGANG_TOKEN_SIGNING_KEY_FILE", &key_file)
            .env("ADGANG_PUBLIC_BASE_URL", &base_url)
            .env("ADGANG_PORT", port.to_string())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/{name}.db?mode=rwc", data.display()),
            )
            .env("ADGANG_DEMO_DATA", "true")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log);
        let server = Server(cmd.spawn().context("starting the server")?);
        crate::bench::wait_ready(port)?;
        Ok(DemoServer {
            bin,
            data,
            base_url,
            key_file,
            server,
        })
    }

    /// An access token for a user of the demo authority `cvr` with `rights` (or `all`).
    pub(crate) fn token(&self, cvr: &str, rights: &str) -> Result<String> {
        issue_token(&self.bin, &self.key_file, &self.base_url, cvr, rights)
    }

    /// Stops the server and removes its data directory (after a successful run).
    pub(crate) fn remove_data(self) {
        let data = self.data.clone();
        drop(self.server);
        let _ = std::fs::remove_dir_all(data);
    }
}

fn ensure_schemathesis() -> Result<()> {
    let installed = Command::new("st")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .is_some_and(|v| v.trim().ends_with(SCHEMATHESIS_VERSION));
    if installed {
        return Ok(());
    }
    step(&format!(
        "Installing schemathesis {SCHEMATHESIS_VERSION} (pip)"
    ));
    status(
        Command::new("python3").args([
            "-m",
            "pip",
            "install",
            "--quiet",
            &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
        ]),
        "pip install schemathesis",
    )?;
    if Command::new("st").arg("--version").output().is_err() {
        bail!("schemathesis installed, but `st` is not on PATH");
    }
    Ok(())
}
