//! X-12 (issue 33 item 8): the real binary configured by `--config adgang.toml`, with the
//! environment overriding the file, and a typo in the file stopping the start with its name.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use adgang_test_support::free_port;

/// The binary with only `--config file` and `env` (nothing inherited that configures it).
fn server(file: &std::path::Path, env: &[(&str, String)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_adgang-server"));
    command
        .arg("--config")
        .arg(file)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

async fn answers(port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            return r.status() == 200;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn x_12_the_server_reads_its_configuration_file_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let (file_port, env_port) = (free_port(), free_port());
    let file = dir.path().join("adgang.toml");
    std::fs::write(
        &file,
        format!(
            "bind = \"127.0.0.1\"\nport = {file_port}\n\
             database_url = \"sqlite://{}/a.db?mode=rwc\"\n\
             spa_dir = \"/nonexistent-spa\"\ndemo_data = false\n\
             environment = \"test\"\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let mut from_file = server(&file, &[]).spawn().unwrap();
    assert!(answers(file_port).await, "listening on the file's port");
    let env: adgang_api_types::EnvironmentInfo =
        reqwest::get(format!("http://127.0.0.1:{file_port}/api/v1/environment"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(env.environment, adgang_api_types::EnvironmentLabel::Test);
    from_file.kill().unwrap();
    from_file.wait().unwrap();

    let mut overridden = server(&file, &[("ADGANG_PORT", env_port.to_string())])
        .spawn()
        .unwrap();
    assert!(answers(env_port).await, "the environment's port wins");
    overridden.kill().unwrap();
    overridden.wait().unwrap();

    std::fs::write(&file, "prot = 8080\n").unwrap();
    let refused = server(&file, &[]).output().unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("unknown key \"prot\""), "{said}");
}
