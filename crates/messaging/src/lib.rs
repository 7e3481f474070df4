//! The Digital Post core (SPEC §13, issue 14): sender systems submit messages (`memos`), which
//! are routed to platform mailboxes, recipient systems or the SMS gateway, delivered with the
//! guide's retry schedule, held until their value date — every step in the message log.
//! Recall (SPEC §10, `service::recall`) and move mail (SPEC §12, `service::move_mail`) live
//! here too: both act on the core's messages and delivery jobs (ARCHITECTURE.md).

pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
pub mod outbox;
pub mod relay;
pub mod service;
pub mod sftp;

use std::net::IpAddr;

pub use error::MessagingError;
pub use service::dispatch::Dispatcher;
pub use service::move_mail::{MoveWorker, VirkMailMovesPort};
pub use service::tallies::MessageTalliesPort;
pub use service::writer::{IntakeWriter, IntakeWriterJob};
pub use service::Ports;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Digital Post";

/// Deployment settings this module reads (app data).
#[derive(Debug, Clone)]
pub struct MessagingSettings {
    /// Proxies whose `X-Forwarded-For` is believed (SYS-01 behind a load balancer); empty:
    /// the connection's peer is the caller.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The largest memo body (base64 attachments included).
    pub max_memo_bytes: usize,
}

impl Default for MessagingSettings {
    fn default() -> Self {
        MessagingSettings {
            trusted_proxies: Vec::new(),
            max_memo_bytes: 16 * 1024 * 1024,
        }
    }
}

impl MessagingSettings {
    pub fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }
}

/// Issue 31: the limiter of wrong API keys (per system and per source address), app data of
/// the system API; the server reads its count for `/metrics`.
#[derive(Debug, Clone)]
pub struct SystemKeys(pub std::sync::Arc<adgang_core::throttle::Throttle>);

impl Default for SystemKeys {
    fn default() -> Self {
        SystemKeys(std::sync::Arc::new(
            adgang_core::throttle::Throttle::for_credentials("system_api_key"),
        ))
    }
}

/// What this instance runs in the background besides intake's writer (each instance on one
/// database may run all of them: every job claims its work).
#[derive(Clone, Default)]
pub struct Background {
    /// CORE-03..05: the dispatcher and its lease; `None`: this instance delivers nothing.
    pub dispatch_lease: Option<chrono::Duration>,
    /// MV-04: the moves of mail and their lease; `None`: this instance moves nothing.
    pub move_lease: Option<std::time::Duration>,
    /// Issue 18: the SMTP server (`url`, `from`) the e-mail outbox is relayed to.
    pub smtp: Option<(String, String)>,
    /// Issue 31: the dispatcher's bounds per destination and in total, and its breaker.
    pub delivery_limits: service::dispatch::DeliveryLimits,
    /// Issue 35: the SFTP service for sender systems' bulk files; `None`: not in this instance.
    pub sftp: Option<sftp::SftpSettings>,
    /// Issue 35: bulk files are taken in this instance (whichever instance they were
    /// uploaded to), read by the upload sandbox; `None`: this instance takes none.
    pub bulk_files: Option<BulkFiles>,
}

/// What taking bulk files needs besides the module's ports.
#[derive(Clone)]
pub struct BulkFiles {
    pub files: std::sync::Arc<dyn adgang_core::ports::UntrustedFiles>,
    /// The read connections the intake's checks run on (the writer's pool on PostgreSQL).
    pub reads: sea_orm::DatabaseConnection,
    /// How long a claimed file belongs to its instance.
    pub lease: chrono::Duration,
}

/// The module as the server mounts it.
pub struct MessagingModule {
    settings: MessagingSettings,
    ports: Ports,
    background: Background,
    writer: IntakeWriter,
    writer_job: IntakeWriterJob,
    relay: Option<relay::MailRelay>,
    /// The server's guarded outbound client: pushes and test messages.
    outbound: adgang_core::Outbound,
    /// Issue 31: wrong API keys, limited.
    pub keys: SystemKeys,
    /// Issue 35: the bound SFTP listener (taken by `jobs`) and what systems' pages show of it.
    sftp: Option<(
        std::sync::Mutex<Option<sftp::SftpListener>>,
        std::sync::Arc<sftp::Dropbox>,
    )>,
}

impl MessagingModule {
    /// Fails on an SMTP URL or sender address lettre cannot read.
    pub fn new(
        settings: MessagingSettings,
        ports: Ports,
        background: Background,
        outbound: adgang_core::Outbound,
        ctx: &adgang_core::JobContext,
    ) -> anyhow::Result<MessagingModule> {
        let (writer, writer_job) = IntakeWriter::new(ctx.db.clone(), ports.clone());
        let sftp = match &background.sftp {
            Some(settings) => {
                let host_key = sftp::HostKey::new(
                    ctx.db.clone(),
                    settings.host_key_file.clone(),
                    ctx.clock.clone(),
                );
                let reads = background
                    .bulk_files
                    .as_ref()
                    .map_or_else(|| ctx.db.clone(), |b| b.reads.clone());
                let (listener, port) = sftp::SftpListener::bind(
                    settings,
                    host_key.clone(),
                    sftp::Shared {
                        db: ctx.db.clone(),
                        reads,
                        ports: ports.clone(),
                        keys: SystemKeys::default(),
                        clock: ctx.clock.clone(),
                        spool: settings.spool.clone(),
                        spooled: std::sync::Arc::default(),
                        keeps: std::sync::Arc::new(tokio::sync::Semaphore::new(
                            sftp::KEEPS_AT_ONCE,
                        )),
                    },
                )?;
                let dropbox = sftp::Dropbox {
                    host_key,
                    host: settings.public_host.clone(),
                    port,
                };
                Some((
                    std::sync::Mutex::new(Some(listener)),
                    std::sync::Arc::new(dropbox),
                ))
            }
            None => None,
        };
        let relay = background
            .smtp
            .as_ref()
            .map(|(url, from)| relay::MailRelay::new(ctx.db.clone(), ctx.clock.clone(), url, from))
            .transpose()?;
        Ok(MessagingModule {
            settings,
            ports,
            background,
            writer,
            writer_job,
            relay,
            outbound,
            keys: SystemKeys::default(),
            sftp,
        })
    }

    /// Issue 35: the port the SFTP service listens on, when this instance runs it.
    pub fn sftp_port(&self) -> Option<u16> {
        self.sftp.as_ref().map(|(_, dropbox)| dropbox.port)
    }

    /// Issue 35: the SFTP service's address and host key, when this instance runs it.
    pub fn sftp_dropbox(&self) -> Option<std::sync::Arc<dyn adgang_core::ports::SftpDropbox>> {
        self.sftp.as_ref().map(|(_, dropbox)| {
            dropbox.clone() as std::sync::Arc<dyn adgang_core::ports::SftpDropbox>
        })
    }
}

impl adgang_core::ApiModule for MessagingModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "For sender and recipient systems: submit messages (memos), collect them from a \
             mailbox (REST PULL). Authenticated with the system's id and API key (CORE-01..05)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::new(self.settings.clone()))
            .app_data(actix_web::web::Data::new(self.ports.clone()))
            .app_data(actix_web::web::Data::new(self.writer.clone()))
            .app_data(actix_web::web::Data::new(self.outbound.clone()))
            .app_data(actix_web::web::Data::new(self.keys.clone()));
        if let Some(dropbox) = self.sftp_dropbox() {
            cfg.app_data(actix_web::web::Data::from(dropbox));
        }
        http::configure(cfg);
    }

    fn jobs(&self, ctx: &adgang_core::JobContext) -> Vec<Box<dyn adgang_core::Job>> {
        let mut jobs: Vec<Box<dyn adgang_core::Job>> = vec![Box::new(self.writer_job.clone())];
        if let Some(lease) = self.background.dispatch_lease {
            jobs.push(Box::new(Dispatcher::new(
                ctx.db.clone(),
                self.ports.clone(),
                ctx.clock.clone(),
                self.outbound.clone(),
                lease,
                self.background.delivery_limits,
            )));
        }
        if let Some(lease) = self.background.move_lease {
            jobs.push(Box::new(MoveWorker {
                lease,
                ..MoveWorker::new(ctx.db.clone(), self.ports.clone(), ctx.clock.clone())
            }));
        }
        if let Some(relay) = &self.relay {
            jobs.push(Box::new(relay.clone()));
        }
        if let Some(listener) = self
            .sftp
            .as_ref()
            .and_then(|(listener, _)| listener.lock().ok()?.take())
        {
            jobs.push(Box::new(listener.with_keys(self.keys.clone())));
        }
        if let Some(bulk) = &self.background.bulk_files {
            jobs.push(Box::new(service::bulk::BulkTaker {
                db: ctx.db.clone(),
                reads: bulk.reads.clone(),
                writer: self.writer.clone(),
                ports: self.ports.clone(),
                files: bulk.files.clone(),
                clock: ctx.clock.clone(),
                lease: service::bulk::BulkTaker::lease(bulk.lease),
                max_memo_bytes: self.settings.max_memo_bytes,
            }));
        }
        // SYS-06: pull and publish-subscribe systems that leave their mail uncollected.
        jobs.push(Box::new(adgang_core::sweep::SweepWorker {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            idle: std::time::Duration::from_secs(600),
            sweep: service::notices::UncollectedMail {
                ports: self.ports.clone(),
            },
        }));
        jobs
    }
}
