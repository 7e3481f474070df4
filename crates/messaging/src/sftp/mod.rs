//! Issue 35: the SFTP service for sender systems' bulk files (the guide's §5.1, §5.3 step 4;
//! `docs/sftp.md`). A pure-Rust SSH server (russh) with only the `sftp` subsystem: a client
//! logs in as its system's id with the public key set on the system (SYS-03), from an address
//! on the system's allowlist (SYS-01), while the system is active — the same rules, refusals
//! and message-log events as the REST intake's `X-Api-Key` (`intake::authenticate`). It sees
//! a folder of its own: `/inbox`, where a completed `.zip` upload becomes a bulk file in the
//! database (`service::bulk`), and `/results`, where each taken file's result file appears.
//! Nothing of the machine's file system is reachable: the folders are views of the database,
//! and an upload in progress is a temporary file only this connection can name.

mod files;
mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use adgang_core::ports::{SftpDropbox, SftpService};
use adgang_core::{Clock, Job, Round, Schedule};
use chrono::{DateTime, Utc};
use russh::keys::{HashAlg, PrivateKey};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use tokio::sync::OnceCell;

use crate::entity::sftp_host_key;
use crate::service::Ports;
use crate::SystemKeys;

/// Where and how the service listens (README "SFTP"; `ADGANG_SFTP_*`).
#[derive(Debug, Clone)]
pub struct SftpSettings {
    /// The address to listen on (port 0: any free port, which the tests use).
    pub bind: SocketAddr,
    /// The host name clients are told to connect to.
    pub public_host: String,
    /// A host key in OpenSSH's private key format; `None`: one made on first start and kept in
    /// the database (shared by the instances on it).
    pub host_key_file: Option<PathBuf>,
    /// Where uploads in progress are written (each deleted when its connection ends).
    pub spool: PathBuf,
}

/// The service's host key, read or made once, shared by the listener and the systems' pages.
#[derive(Clone)]
pub struct HostKey {
    db: DatabaseConnection,
    file: Option<PathBuf>,
    clock: Arc<dyn Clock>,
    key: Arc<OnceCell<PrivateKey>>,
}

impl HostKey {
    pub fn new(db: DatabaseConnection, file: Option<PathBuf>, clock: Arc<dyn Clock>) -> HostKey {
        HostKey {
            db,
            file,
            clock,
            key: Arc::default(),
        }
    }

    pub async fn get(&self) -> anyhow::Result<&PrivateKey> {
        self.key.get_or_try_init(|| self.load()).await
    }

    async fn load(&self) -> anyhow::Result<PrivateKey> {
        if let Some(file) = &self.file {
            let text = tokio::fs::read_to_string(file).await.map_err(|e| {
                anyhow::anyhow!("reading the SFTP host key {}: {e}", file.display())
            })?;
            return Ok(PrivateKey::from_openssh(text.trim())?);
        }
        const NAME: &str = "host";
        if let Some(kept) = sftp_host_key::Entity::find_by_id(NAME)
            .one(&self.db)
            .await?
        {
            return Ok(PrivateKey::from_openssh(kept.private_key.trim())?);
        }
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed)?;
        let key = PrivateKey::from(russh::keys::ssh_key::private::Ed25519Keypair::from_seed(
            &seed,
        ));
        let text = key.to_openssh(russh::keys::ssh_key::LineEnding::LF)?;
        let row = sftp_host_key::ActiveModel {
            name: Set(NAME.to_owned()),
            private_key: Set(text.to_string()),
            created_at: Set(self.clock.now()),
        };
        // Two instances starting at once: the first key kept is everyone's.
        let _ = sftp_host_key::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(sftp_host_key::Column::Name)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        let kept = sftp_host_key::Entity::find_by_id(NAME)
            .one(&self.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the SFTP host key was not kept"))?;
        Ok(PrivateKey::from_openssh(kept.private_key.trim())?)
    }

    /// As OpenSSH prints it: `SHA256:` and the unpadded base64 digest.
    pub async fn fingerprint(&self) -> anyhow::Result<String> {
        Ok(self
            .get()
            .await?
            .public_key()
            .fingerprint(HashAlg::Sha256)
            .to_string())
    }
}

/// Answers core's `SftpDropbox` for the systems module.
pub struct Dropbox {
    pub host_key: HostKey,
    pub host: String,
    pub port: u16,
}

#[async_trait::async_trait]
impl SftpDropbox for Dropbox {
    async fn service(&self) -> anyhow::Result<Option<SftpService>> {
        Ok(Some(SftpService {
            host: self.host.clone(),
            port: self.port,
            host_key_fingerprint: self.host_key.fingerprint().await?,
        }))
    }
}

/// SFTP connections one instance serves at once, and from one address.
const MAX_CONNECTIONS: usize = 128;
const MAX_CONNECTIONS_PER_ADDRESS: usize = 16;
/// A connection that has not logged in by then is closed (an idle one would hold its place).
const LOGIN_DEADLINE: Duration = Duration::from_secs(30);
/// What the uploads in progress of all connections may hold on the spool together.
const MAX_SPOOL_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Completed uploads stored at once (each read whole into memory first).
pub const KEEPS_AT_ONCE: usize = 2;
/// A session is closed after this, logged in or not (it logs in again).
const MAX_SESSION: Duration = Duration::from_secs(3600);

/// What every connection shares.
pub struct Shared {
    pub db: DatabaseConnection,
    pub reads: DatabaseConnection,
    pub ports: Ports,
    pub keys: SystemKeys,
    pub clock: Arc<dyn Clock>,
    pub spool: PathBuf,
    /// Bytes on the spool now (uploads in progress), against [`MAX_SPOOL_BYTES`].
    pub spooled: Arc<std::sync::atomic::AtomicU64>,
    /// Completed uploads read into memory and stored at once (each up to 64 MiB).
    pub keeps: Arc<tokio::sync::Semaphore>,
}

impl Shared {
    /// Takes `bytes` more of the spool's budget; false (nothing taken) when it is spent.
    pub(crate) fn reserve(&self, bytes: u64) -> bool {
        use std::sync::atomic::Ordering;
        self.spooled
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes)
                    .filter(|total| *total <= MAX_SPOOL_BYTES)
            })
            .is_ok()
    }

    pub(crate) fn release(&self, bytes: u64) {
        self.spooled
            .fetch_sub(bytes, std::sync::atomic::Ordering::AcqRel);
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// The listener as a supervised job: a round accepts connections for five seconds (each served
/// on its own task), so a listener that fails is restarted like any job and `/readyz` sees it.
pub struct SftpListener {
    listener: std::sync::Mutex<Option<std::net::TcpListener>>,
    socket: OnceCell<tokio::net::TcpListener>,
    /// Connections served at once.
    connections: Arc<tokio::sync::Semaphore>,
    /// Connections served now, by address.
    per_address: Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>,
    host_key: HostKey,
    shared: Arc<Shared>,
}

impl SftpListener {
    /// Binds the port now, so a port in use fails the start of the server.
    pub fn bind(
        settings: &SftpSettings,
        host_key: HostKey,
        shared: Shared,
    ) -> anyhow::Result<(SftpListener, u16)> {
        let listener = std::net::TcpListener::bind(settings.bind)
            .map_err(|e| anyhow::anyhow!("binding the SFTP service to {}: {e}", settings.bind))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        // Uploads hold CPR numbers: a folder of our own, readable by us only, made here (one
        // that exists already is refused, not reused).
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(&shared.spool)
                .map_err(|e| {
                    anyhow::anyhow!("making the SFTP spool {}: {e}", shared.spool.display())
                })?;
        }
        Ok((
            SftpListener {
                listener: std::sync::Mutex::new(Some(listener)),
                socket: OnceCell::new(),
                connections: Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS)),
                per_address: Arc::default(),
                host_key,
                shared: Arc::new(shared),
            },
            port,
        ))
    }

    /// The limiter of wrong keys the REST intake shares (the server's, counted in `/metrics`).
    pub fn with_keys(self, keys: SystemKeys) -> SftpListener {
        let shared = match Arc::try_unwrap(self.shared) {
            Ok(shared) => Arc::new(Shared { keys, ..shared }),
            Err(shared) => shared,
        };
        SftpListener { shared, ..self }
    }

    fn config(&self, key: PrivateKey) -> russh::server::Config {
        russh::server::Config {
            server_id: russh::SshId::Standard("SSH-2.0-Adgang_SFTP".into()),
            methods: russh::MethodSet::from(&[russh::MethodKind::PublicKey][..]),
            auth_rejection_time: Duration::from_millis(500),
            auth_rejection_time_initial: Some(Duration::ZERO),
            keys: vec![key],
            max_auth_attempts: 6,
            inactivity_timeout: Some(Duration::from_secs(300)),
            keepalive_interval: Some(Duration::from_secs(60)),
            nodelay: true,
            ..Default::default()
        }
    }
}

#[async_trait::async_trait]
impl Job for SftpListener {
    fn name(&self) -> &'static str {
        "sftp_listener"
    }

    fn schedule(&self) -> Schedule {
        Schedule {
            idle: Duration::from_secs(1),
            stale_after: Duration::from_secs(120),
        }
    }

    async fn round(&self) -> anyhow::Result<Round> {
        let socket = self
            .socket
            .get_or_try_init(|| async {
                let listener = self
                    .listener
                    .lock()
                    .map_err(|_| anyhow::anyhow!("the SFTP listener's lock"))?
                    .take()
                    .ok_or_else(|| anyhow::anyhow!("the SFTP listener was taken"))?;
                anyhow::Ok(tokio::net::TcpListener::from_std(listener)?)
            })
            .await?;
        let config = Arc::new(self.config(self.host_key.get().await?.clone()));
        // The accept loop is ours, not russh's `run_on_socket`: dropping that at the end of a
        // round would disconnect every session it started (their shutdown channel closes).
        // Short rounds: a shutdown waits for the round to end.
        let round_ends = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let (stream, peer) = match tokio::time::timeout_at(round_ends, socket.accept()).await {
                Err(_round_over) => return Ok(Round::More),
                Ok(Ok(accepted)) => accepted,
                Ok(Err(e)) => {
                    return Err(anyhow::Error::new(e).context("accepting SFTP connections"))
                }
            };
            // Bounds on connections at once, in all and per address: more are closed at once,
            // not queued.
            let Ok(permit) = self.connections.clone().try_acquire_owned() else {
                tracing::warn!(%peer, "an SFTP connection refused: too many at once");
                continue;
            };
            let Some(place) = AddressPlace::take(&self.per_address, peer.ip()) else {
                tracing::warn!(%peer, "an SFTP connection refused: too many from its address");
                continue;
            };
            let _ = stream.set_nodelay(true);
            let logged_in = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let connection = session::Connection::new(self.shared.clone(), peer, logged_in.clone());
            let config = config.clone();
            let accepted_at = tokio::time::Instant::now();
            tokio::spawn(async move {
                let (_permit, _place) = (permit, place);
                // The deadline to log in runs from the accept: a client that never sends its
                // version line is closed as one that never logs in.
                let login_by = accepted_at + LOGIN_DEADLINE;
                let started = russh::server::run_stream(config, stream, connection);
                let session = match tokio::time::timeout_at(login_by, started).await {
                    Ok(Ok(session)) => session,
                    Ok(Err(e)) => {
                        tracing::debug!(%peer, error = %e, "an SFTP connection failed");
                        return;
                    }
                    Err(_) => return,
                };
                let handle = session.handle();
                let deadlines = async {
                    tokio::time::sleep_until(login_by).await;
                    if logged_in.load(std::sync::atomic::Ordering::Acquire) {
                        tokio::time::sleep_until(accepted_at + MAX_SESSION).await;
                    }
                    let _ = handle
                        .disconnect(
                            russh::Disconnect::ByApplication,
                            "the session's time is up".to_owned(),
                            String::new(),
                        )
                        .await;
                    std::future::pending::<()>().await;
                };
                tokio::select! {
                    ended = session => if let Err(e) = ended {
                        tracing::debug!(%peer, error = %e, "an SFTP connection ended");
                    },
                    () = deadlines => {}
                }
            });
        }
    }
}

/// A connection's place among its address's (given back when dropped).
struct AddressPlace {
    counts: Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>,
    address: std::net::IpAddr,
}

impl AddressPlace {
    fn take(
        counts: &Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>,
        address: std::net::IpAddr,
    ) -> Option<AddressPlace> {
        let mut held = counts.lock().ok()?;
        let count = held.entry(address).or_insert(0);
        if *count >= MAX_CONNECTIONS_PER_ADDRESS {
            return None;
        }
        *count += 1;
        Some(AddressPlace {
            counts: counts.clone(),
            address,
        })
    }
}

impl Drop for AddressPlace {
    fn drop(&mut self) {
        if let Ok(mut held) = self.counts.lock() {
            if let Some(count) = held.get_mut(&self.address) {
                *count -= 1;
                if *count == 0 {
                    held.remove(&self.address);
                }
            }
        }
    }
}
