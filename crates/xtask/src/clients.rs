//! `cargo xtask clients` (also a step of `cargo xtask test`, issue 34): the OpenAPI document as
//! an integrator meets it.
//!
//! 1. The document is valid OpenAPI 3.1 (`openapi-spec-validator`) and passes Redocly's
//!    `recommended` rules (`openapi/redocly.yaml`): no error, and no warning that is not
//!    listed with its reason in `openapi/.redocly.lint-ignore.yaml`.
//! 2. A Python client (`openapi-python-client`) and TypeScript types (`openapi-typescript`, for
//!    `openapi-fetch`) are generated from it into `target/clients/` (never committed).
//! 3. The integrator's guide's samples (`docs/integrators.md`) are cut out of it — the `sh`
//!    blocks as one shell script, the `python` blocks as one program, the `ts` blocks as one
//!    program, type-checked with `tsc` (so a change of the document that breaks them fails) —
//!    and run against the debug server with the demo data, as a machine client this step
//!    registers. The guide is the scripts: there is no copy that could drift.
//!
//! Tools are pinned in `e2e/clients/package.json` + `package-lock.json` (npm ci) and
//! `e2e/clients/python/requirements.txt` (a venv in `target/clients-venv`); each install is
//! skipped while its lock file is unchanged. Nothing phones home (Redocly's telemetry and update
//! check are off).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};

use crate::fuzz::DemoServer;
use crate::tools::BuildEnv;
use crate::{status, step};

/// The demo authority the machine client belongs to (Testkommune Nord).
const CVR: &str = "29189846";

/// The rights the guide's machine client gets: systems, and contact points.
const CLIENT_RIGHTS: [&str; 2] = ["system_admin", "contact_admin"];

/// The guide's fenced blocks by info string: run (as which program), or shown only.
const RUN_LANGUAGES: [&str; 3] = ["sh", "python", "ts"];
const SHOWN_LANGUAGES: [&str; 1] = ["json"];

/// Where the pinned tools and the generated clients live.
struct Paths {
    /// `e2e/clients`: package.json, the lock, the Python requirements and configurations.
    config: PathBuf,
    venv: PathBuf,
    out: PathBuf,
}

impl Paths {
    fn new(root: &Path) -> Paths {
        Paths {
            config: root.join("e2e/clients"),
            venv: root.join("target/clients-venv"),
            out: root.join("target/clients"),
        }
    }

    fn node_bin(&self, tool: &str) -> PathBuf {
        self.config.join("node_modules/.bin").join(tool)
    }

    fn venv_bin(&self, tool: &str) -> PathBuf {
        self.venv.join("bin").join(tool)
    }
}

/// `built`: `cargo xtask test` has just built the server (as for `fuzz`).
pub fn clients(root: &Path, env: &BuildEnv, built: bool) -> Result<()> {
    let paths = Paths::new(root);
    let mut timings: Vec<(&str, f64)> = Vec::new();
    let mut timed = |label: &'static str, started: Instant| {
        timings.push((label, started.elapsed().as_secs_f64()));
    };

    let started = Instant::now();
    ensure_tools(&paths)?;
    timed("install (skipped when present)", started);

    let started = Instant::now();
    validate(root, &paths)?;
    timed("openapi-spec-validator", started);
    let started = Instant::now();
    lint(root, &paths)?;
    timed("Redocly lint", started);

    let started = Instant::now();
    generate(root, &paths)?;
    timed("generate the Python and TypeScript clients", started);

    let started = Instant::now();
    let guide = Guide::read(&root.join("docs/integrators.md"))?;
    guide.write(&paths)?;
    type_check(&paths)?;
    timed("extract the guide's samples, tsc", started);

    if !built {
        crate::fuzz::build_server(env)?;
    }
    let started = Instant::now();
    step("The integrator's guide's samples against the debug server (sh, Python, TypeScript)");
    let server = DemoServer::start(root, "clients", &[("ADGANG_ALLOW_HTTP_ENDPOINTS", "true")])?;
    let (client_id, client_secret) = register_machine_client(&server)?;
    let vars = [
        ("ADGANG_BASE_URL", server.base_url.as_str()),
        ("ADGANG_CVR", CVR),
        ("ADGANG_CLIENT_ID", client_id.as_str()),
        ("ADGANG_CLIENT_SECRET", client_secret.as_str()),
    ];
    timed("start the server, register a machine client", started);
    let started = Instant::now();
    run_sample(
        Command::new("bash").arg(paths.out.join("guide.sh")),
        &vars,
        "the guide's sh samples",
    )?;
    timed("run the sh samples (curl)", started);
    let started = Instant::now();
    run_sample(
        Command::new(paths.venv_bin("python"))
            .arg(paths.out.join("python/integrator.py"))
            .env("PYTHONPATH", paths.out.join("python")),
        &vars,
        "the guide's Python samples",
    )?;
    timed("run the Python samples", started);
    let started = Instant::now();
    run_sample(
        Command::new("node").arg(paths.out.join("ts/out/integrator.mjs")),
        &vars,
        "the guide's TypeScript samples",
    )?;
    timed("run the TypeScript samples", started);
    server.remove_data();

    eprintln!("\n| clients step | seconds |\n|---|---|");
    for (label, seconds) in timings {
        eprintln!("| {label} | {seconds:.1} |");
    }
    Ok(())
}

/// A hash of `file`'s content: an install is redone only when its lock file changed.
fn stamp_of(file: &Path) -> Result<String> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    Ok(format!("{:x}", Sha256::digest(bytes)))
}

fn ensure_tools(paths: &Paths) -> Result<()> {
    // npm: Redocly CLI, openapi-typescript, openapi-fetch, TypeScript, exactly as locked.
    let lock = stamp_of(&paths.config.join("package-lock.json"))?;
    let npm_stamp = paths.config.join("node_modules/.adgang-lock-sha256");
    if std::fs::read_to_string(&npm_stamp).ok().as_deref() != Some(lock.as_str()) {
        step("Installing the OpenAPI tools (npm ci in e2e/clients/)");
        status(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&paths.config),
            "npm ci in e2e/clients",
        )?;
        std::fs::write(&npm_stamp, &lock)?;
    }

    // Python: openapi-spec-validator, openapi-python-client and what the generated client
    // imports, in a venv of their own (schemathesis' install stays as it is).
    let requirements = paths.config.join("python/requirements.txt");
    let pinned = stamp_of(&requirements)?;
    let venv_stamp = paths.venv.join("adgang-requirements-sha256");
    if std::fs::read_to_string(&venv_stamp).ok().as_deref() != Some(pinned.as_str()) {
        step("Installing openapi-spec-validator and openapi-python-client (pip, in target/clients-venv)");
        status(
            Command::new("python3")
                .args(["-m", "venv"])
                .arg(&paths.venv),
            "python3 -m venv",
        )?;
        status(
            Command::new(paths.venv_bin("pip"))
                .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
                .arg(&requirements),
            "pip install -r e2e/clients/python/requirements.txt",
        )?;
        std::fs::write(&venv_stamp, &pinned)?;
    }

    // The guide's shell samples read JSON with jq (Debian's).
    if Command::new("jq").arg("--version").output().is_err() {
        step("Installing jq (apt-get)");
        status(
            Command::new("apt-get").args(["install", "-y", "--no-install-recommends", "jq"]),
            "apt-get install jq",
        )?;
    }
    Ok(())
}

/// Redocly without telemetry or an update check.
fn redocly(paths: &Paths) -> Command {
    let mut cmd = Command::new(paths.node_bin("redocly"));
    cmd.env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .env("NO_UPDATE_NOTIFIER", "1");
    cmd
}

fn validate(root: &Path, paths: &Paths) -> Result<()> {
    step("OpenAPI 3.1 schema validation (openapi-spec-validator)");
    status(
        Command::new(paths.venv_bin("openapi-spec-validator"))
            .arg(root.join("openapi/openapi.json")),
        "openapi-spec-validator (the document is not valid OpenAPI 3.1)",
    )
}

fn lint(root: &Path, paths: &Paths) -> Result<()> {
    step("OpenAPI lint (Redocly `recommended`, openapi/redocly.yaml)");
    let report = crate::output(
        redocly(paths)
            .arg("lint")
            .arg(root.join("openapi/openapi.json"))
            .arg("--config")
            .arg(root.join("openapi/redocly.yaml"))
            .args(["--format", "json"]),
        "redocly lint",
    );
    // Redocly exits non-zero on errors; its JSON report is on stdout either way.
    let report: serde_json::Value = match report {
        Ok(stdout) => serde_json::from_slice(&stdout)?,
        Err(_) => serde_json::Value::Null,
    };
    let totals = &report["totals"];
    let (errors, warnings, ignored) = (
        totals["errors"].as_u64(),
        totals["warnings"].as_u64(),
        totals["ignored"].as_u64().unwrap_or(0),
    );
    if errors == Some(0) && warnings == Some(0) {
        eprintln!("    0 errors, 0 warnings ({ignored} kept, each with its reason in openapi/.redocly.lint-ignore.yaml)");
        return Ok(());
    }
    // Show them readably, then fail.
    let _ = status(
        redocly(paths)
            .arg("lint")
            .arg(root.join("openapi/openapi.json"))
            .arg("--config")
            .arg(root.join("openapi/redocly.yaml")),
        "redocly lint",
    );
    bail!(
        "Redocly: {} errors, {} warnings not listed in openapi/.redocly.lint-ignore.yaml — fix \
         the document, or keep a warning by listing it there with its reason",
        errors.map_or("?".into(), |n| n.to_string()),
        warnings.map_or("?".into(), |n| n.to_string()),
    )
}

fn generate(root: &Path, paths: &Paths) -> Result<()> {
    step("Generating the Python client and the TypeScript types into target/clients/");
    let document = root.join("openapi/openapi.json");
    let python = paths.out.join("python/adgang_client");
    let _ = std::fs::remove_dir_all(&python);
    std::fs::create_dir_all(paths.out.join("python"))?;
    let mut generator = Command::new(paths.venv_bin("openapi-python-client"));
    generator
        .arg("generate")
        .arg("--path")
        .arg(&document)
        .arg("--config")
        .arg(paths.config.join("python/openapi-python-client.yaml"))
        .args(["--meta", "none", "--output-path"])
        .arg(&python);
    let output = generator
        .output()
        .context("running openapi-python-client")?;
    let log = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    // A warning means an operation or a response was left out of the client: fail on it.
    ensure!(
        output.status.success() && !log.contains("WARNING"),
        "openapi-python-client did not generate every operation:\n{log}"
    );

    let ts = paths.out.join("ts");
    std::fs::create_dir_all(&ts)?;
    status(
        Command::new(paths.node_bin("openapi-typescript"))
            .arg(&document)
            .arg("-o")
            .arg(ts.join("adgang-api.d.ts")),
        "openapi-typescript",
    )?;
    // The compiled script finds openapi-fetch (and tsc its types) through this link.
    let modules = ts.join("node_modules");
    if !modules.exists() {
        std::os::unix::fs::symlink(paths.config.join("node_modules"), &modules)
            .context("linking target/clients/ts/node_modules")?;
    }
    Ok(())
}

/// `tsc` over the guide's TypeScript and the generated types (e2e/clients/tsconfig.json):
/// a type error fails, then it is compiled to target/clients/ts/out/integrator.mjs.
fn type_check(paths: &Paths) -> Result<()> {
    step("Type-checking the guide's TypeScript against the generated types (tsc)");
    status(
        Command::new(paths.node_bin("tsc"))
            .arg("-p")
            .arg(paths.config.join("tsconfig.json")),
        "tsc (the guide's TypeScript does not fit the document's types)",
    )
}

/// A machine client of the demo authority with [`CLIENT_RIGHTS`], registered through the API
/// by a rights administrator whose token the server's `issue-token` mints (the demo data has
/// no machine client with a known secret).
fn register_machine_client(server: &DemoServer) -> Result<(String, String)> {
    let admin = server.token(CVR, "rights_admin")?;
    let body = serde_json::json!({"name": "Integrator's guide", "rights": CLIENT_RIGHTS});
    let answer = crate::output(
        Command::new("curl")
            .args(["-sS", "--fail-with-body", "-X", "POST"])
            .arg(format!(
                "{}/api/v1/organisations/{CVR}/machine-clients",
                server.base_url
            ))
            .args(["-H", &format!("Authorization: Bearer {admin}")])
            .args(["-H", "Content-Type: application/json"])
            .args(["-d", &body.to_string()]),
        "registering the machine client",
    )?;
    let client: serde_json::Value = serde_json::from_slice(&answer)?;
    let field = |name: &str| -> Result<String> {
        client[name]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("no {name} in {client}"))
    };
    Ok((field("clientId")?, field("clientSecret")?))
}

fn run_sample(cmd: &mut Command, vars: &[(&str, &str)], what: &str) -> Result<()> {
    cmd.envs(vars.iter().copied());
    status(cmd, what)
}

/// The guide's code blocks, by language, in the order they appear.
#[derive(Debug, Default, PartialEq)]
struct Guide {
    sh: Vec<String>,
    python: Vec<String>,
    ts: Vec<String>,
}

impl Guide {
    fn read(path: &Path) -> Result<Guide> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Guide::parse(&text)
    }

    /// Every fenced block must be in a language that is run (`sh`, `python`, `ts`) or one that
    /// is only shown (`json`, an example answer): a sample nobody runs could be wrong.
    fn parse(text: &str) -> Result<Guide> {
        let mut guide = Guide::default();
        let mut open: Option<(String, usize, Vec<&str>)> = None;
        for (n, line) in text.lines().enumerate() {
            let fence = line.trim_start().strip_prefix("```");
            match (&mut open, fence) {
                (None, Some(info)) => {
                    let language = info.trim().to_owned();
                    ensure!(
                        RUN_LANGUAGES.contains(&language.as_str())
                            || SHOWN_LANGUAGES.contains(&language.as_str()),
                        "docs/integrators.md:{}: a code block in {language:?}: use sh, python or ts \
                         (run by `cargo xtask clients`) or json (an example answer)",
                        n + 1
                    );
                    open = Some((language, n + 1, Vec::new()));
                }
                (Some(_), Some("")) => {
                    let (language, first, lines) = open.take().expect("open");
                    let block = format!(
                        "{} docs/integrators.md:{first}\n{}\n",
                        if language == "ts" { "//" } else { "#" },
                        lines.join("\n")
                    );
                    match language.as_str() {
                        "sh" => guide.sh.push(block),
                        "python" => guide.python.push(block),
                        "ts" => guide.ts.push(block),
                        _ => {}
                    }
                }
                (Some((_, _, lines)), _) => lines.push(line),
                (None, None) => {}
            }
        }
        ensure!(
            open.is_none(),
            "docs/integrators.md: a code block is not closed"
        );
        Ok(guide)
    }

    fn write(&self, paths: &Paths) -> Result<()> {
        std::fs::create_dir_all(paths.out.join("ts"))?;
        let header = "generated from docs/integrators.md by `cargo xtask clients`; edit the guide";
        std::fs::write(
            paths.out.join("guide.sh"),
            format!("# {header}\nset -euo pipefail\n{}", self.sh.join("\n")),
        )?;
        std::fs::write(
            paths.out.join("python/integrator.py"),
            format!("# {header}\n{}", self.python.join("\n")),
        )?;
        // An ES module (.mts): the samples use top-level await.
        std::fs::write(
            paths.out.join("ts/integrator.mts"),
            format!("// {header}\n{}", self.ts.join("\n")),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_is_cut_into_one_program_per_language() {
        let guide = Guide::parse(
            "text\n```sh\necho 1\n```\n```python\nx = 1\n```\n```json\n{}\n```\n```sh\necho 2\n```\n",
        )
        .unwrap();
        assert_eq!(guide.sh.len(), 2);
        assert!(guide.sh[1].ends_with("echo 2\n"));
        assert_eq!(guide.python, ["# docs/integrators.md:5\nx = 1\n"]);
        assert!(guide.ts.is_empty());
    }

    #[test]
    fn a_block_in_a_language_nobody_runs_is_refused() {
        assert!(Guide::parse("```bash\necho\n```\n").is_err());
        assert!(Guide::parse("```sh\necho\n").is_err());
    }
}
