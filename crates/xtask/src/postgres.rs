//! A throw-away PostgreSQL 15 cluster on a free loopback port, for the PostgreSQL test pass.
//! `initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::step;

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn find_bin() -> Result<PathBuf> {
    for version in ["15", "16", "17"] {
        let bin = PathBuf::from(format!("/usr/lib/postgresql/{version}/bin"));
        if bin.join("initdb").is_file() {
            return Ok(bin);
        }
    }
    bail!("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql-15)")
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Cluster {
    pub fn start(_root: &Path) -> Result<Cluster> {
        let bin = find_bin()?;
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("adgang-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).context("creating the cluster dir")?;
        let as_postgres = is_root();
        let cluster = Cluster {
            dir,
            bin,
            port,
            as_postgres,
        };
        if as_postgres {
            crate::status(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&cluster.dir),
                "chown",
            )?;
        }
        crate::status(Command::new("chmod").arg("700").arg(&cluster.dir), "chmod")?;
        step(&format!("Starting PostgreSQL on 127.0.0.1:{port}"));
        // initdb wants an empty directory of its own: data/ inside, logs and socket beside it.
        let base = cluster.dir.to_string_lossy().into_owned();
        cluster.run(&format!(
            "{}/initdb -D {base}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >{base}/initdb.log 2>&1 || {{ cat {base}/initdb.log; exit 1; }}",
            cluster.bin.display()
        ))?;
        cluster.run(&format!(
            "{}/pg_ctl -D {base}/data -l {base}/server.log -o \"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off\" -w start",
            cluster.bin.display()
        ))?;
        Ok(cluster)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// The output of one SQL statement run with psql (unaligned, tuples only).
    pub fn psql(&self, sql: &str) -> Result<String> {
        let out = crate::output(
            Command::new(self.bin.join("psql"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
                .args(["-U", "postgres", "-d", "postgres", "-At", "-c", sql]),
            "psql",
        )?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn run(&self, script: &str) -> Result<()> {
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("su");
            c.args(["postgres", "-s", "/bin/bash", "-c", script]);
            c
        } else {
            let mut c = Command::new("bash");
            c.args(["-c", script]);
            c
        };
        crate::status(&mut cmd, script)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // The cluster lives in `<dir>/data` (see `start`); stopping `<dir>` itself left the
        // server running after the tests.
        let data = self.dir.join("data").to_string_lossy().into_owned();
        let _ = self.run(&format!(
            "{}/pg_ctl -D {data} -m immediate stop",
            self.bin.display()
        ));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
