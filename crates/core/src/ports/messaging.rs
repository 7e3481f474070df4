//! What the Digital Post core (the messaging module) asks the modules that own systems, contact
//! points and exemptions, and the outbound gateways it hands SMS and e-mail to.

use std::net::IpAddr;

use adgang_api_types::{Protocol, SystemRole, SystemStatus};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use crate::{Cpr, Cvr, Party};

/// A system as Digital Post uses it: who it belongs to, how to reach it, its credential.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectedSystem {
    pub id: String,
    pub organisation_cvr: String,
    pub name: String,
    pub role: SystemRole,
    pub protocol: Protocol,
    /// Addresses or one range (SYS-01), as stored.
    pub allowed_ips: Vec<String>,
    pub endpoint: Option<String>,
    pub receipt_endpoint: Option<String>,
    /// The vendor holding power of attorney (SYS-04): the messages' RepresentativeID.
    pub vendor_cvr: Option<String>,
    /// The API key in clear (SYS-04), when the system has one.
    pub api_key: Option<String>,
    /// SYS-03: the OpenSSH public key an SFTP sender system authenticates with (issue 35).
    pub ssh_public_key: Option<String>,
    /// SYS-05 at the time asked.
    pub status: SystemStatus,
    pub is_primary: bool,
    /// SYS-06: told when Digital Post cannot reach the system.
    pub contact_email: String,
    /// SYS-06 (the guide's §5.6 step 5): the optional extra address told with it.
    pub extra_email: Option<String>,
}

impl std::fmt::Debug for ConnectedSystem {
    // The API key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectedSystem")
            .field("id", &self.id)
            .field("organisation_cvr", &self.organisation_cvr)
            .field("role", &self.role)
            .field("protocol", &self.protocol)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl ConnectedSystem {
    pub fn is_active(&self) -> bool {
        self.status == SystemStatus::Active
    }
}

/// The systems Digital Post sends from and delivers to (CORE-01..03). Implemented by the
/// systems module.
#[async_trait::async_trait]
pub trait ConnectedSystems: Send + Sync {
    /// The system with this id, in any organisation (the caller authenticates it).
    async fn system(
        &self,
        db: &dyn ConnectionTrait,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ConnectedSystem>, DbErr>;

    /// The organisation's primary system (SYS-07); `None` when it has no recipient system.
    async fn primary(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &Cvr,
        now: DateTime<Utc>,
    ) -> Result<Option<ConnectedSystem>, DbErr>;

    /// SYS-01: whether `caller` may call as `system` — the systems module's allowlist rule.
    fn admits(&self, system: &ConnectedSystem, caller: IpAddr) -> bool;
}

/// Issue 35: where this deployment's SFTP service for sender systems' bulk files answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SftpService {
    pub host: String,
    pub port: u16,
    /// The host key's fingerprint as OpenSSH prints it (`SHA256:…`), for integrators to pin.
    pub host_key_fingerprint: String,
}

/// Issue 35: the SFTP service as the systems module shows it on an SFTP system's page and
/// receipt. Implemented by the messaging module (which runs the service).
#[async_trait::async_trait]
pub trait SftpDropbox: Send + Sync {
    /// `None` when this deployment runs no SFTP service.
    async fn service(&self) -> anyhow::Result<Option<SftpService>>;
}

/// A contact point as delivery needs it (CS-01 capacity, CS-05 binding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryPoint {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub max_message_size_bytes: u64,
    pub max_attachments: u32,
    pub recipient_system_id: Option<String>,
}

/// The recipient organisation's contact points. Implemented by the contacts module.
#[async_trait::async_trait]
pub trait DeliveryPoints: Send + Sync {
    /// The contact point `id` of `organisation_cvr`; `None` for another organisation's point.
    async fn point(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &Cvr,
        id: &str,
    ) -> Result<Option<DeliveryPoint>, DbErr>;

    /// All of `organisation_cvr`'s contact points, by name (MV-02: where mail can be moved).
    async fn points(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &Cvr,
    ) -> Result<Vec<DeliveryPoint>, DbErr>;
}

/// CORE-02: whether a citizen (CPR) or company (CVR) is exempt from Digital Post; ACC-02: since
/// when, and lifting it when access to the giver's mail is given. Implemented by the exemptions
/// module; [`NoExemptions`] where there is none.
#[async_trait::async_trait]
pub trait ExemptionStatus: Send + Sync {
    async fn is_exempt(&self, db: &dyn ConnectionTrait, recipient: &Party) -> Result<bool, DbErr> {
        Ok(self.exempt_since(db, recipient).await?.is_some())
    }

    /// When the party's exemption in force was granted; `None` when they are not exempt.
    async fn exempt_since(
        &self,
        db: &dyn ConnectionTrait,
        party: &Party,
    ) -> Result<Option<DateTime<Utc>>, DbErr>;

    /// ACC-02: lifts the party's exemption in force in the caller's transaction, logged by the
    /// owning module as `actor` in `organisation`'s actions log with `reason`. Returns whether
    /// there was one to lift.
    async fn lift(&self, db: &dyn ConnectionTrait, lift: ExemptionLift<'_>) -> Result<bool, DbErr>;
}

/// Who lifts whose exemption, and why (ACC-02).
pub struct ExemptionLift<'a> {
    pub party: &'a Party,
    pub organisation: &'a crate::Cvr,
    pub actor: &'a crate::audit::Actor,
    pub at: DateTime<Utc>,
    pub reason: &'a str,
}

/// Exempts no one.
pub struct NoExemptions;

#[async_trait::async_trait]
impl ExemptionStatus for NoExemptions {
    async fn exempt_since(
        &self,
        _db: &dyn ConnectionTrait,
        _party: &Party,
    ) -> Result<Option<DateTime<Utc>>, DbErr> {
        Ok(None)
    }

    async fn lift(
        &self,
        _db: &dyn ConnectionTrait,
        _lift: ExemptionLift<'_>,
    ) -> Result<bool, DbErr> {
        Ok(false)
    }
}

/// CORE-02, SMS-01..03: where a NemSMS service message goes — the *confirmed* number of the
/// party's enrolment; `None` when the party is not enrolled or has not confirmed a number yet
/// (the message then fails with `NemSMS fejlet`). Implemented by the nemsms module;
/// [`NoNemSms`] where there is none.
#[async_trait::async_trait]
pub trait NemSmsNumbers: Send + Sync {
    async fn confirmed_number(
        &self,
        db: &dyn ConnectionTrait,
        party: &Party,
    ) -> Result<Option<String>, DbErr>;
}

/// LOG-01 "Forkyndt — kun synlig for DOMST": whether an organisation may serve legal notices
/// (NgDP's `legalNotificationAllowed`; the courts). The intake accepts legal notices only from
/// such an organisation, so "Forkyndt" is only ever in its log. Implemented by the identity
/// module.
#[async_trait::async_trait]
pub trait LegalNotificationSenders: Send + Sync {
    async fn may_serve_legal_notices(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &Cvr,
    ) -> Result<bool, DbErr>;
}

/// EX-01: whether a citizen or company has Digital Post in their platform mailbox that they
/// have not opened. Implemented by the messaging module from the messages it delivered to the
/// platforms; a platform that does not report openings leaves its mail unopened, so the answer
/// errs towards the warning ("har eller kan have").
#[async_trait::async_trait]
pub trait UnopenedMail: Send + Sync {
    async fn has_unopened_mail(
        &self,
        db: &dyn ConnectionTrait,
        party: &Party,
    ) -> Result<bool, DbErr>;
}

/// A span of read-and-write access to a giver's mail, from the mail-access register's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessSpan {
    /// The giver (CPR).
    pub giver: String,
    /// The holder (CPR or CVR).
    pub holder: String,
    pub from: DateTime<Utc>,
    /// When it ended (revoked, or its last day passed); `None` while in force.
    pub until: Option<DateTime<Utc>>,
}

impl AccessSpan {
    /// Whether the holder had the access at `at`.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|until| at < until)
    }
}

/// LOG-01 ContentresponsibleID/RepresentativeID (the guide's §7.3): who had read-and-write
/// access to a recipient's mail, and when. Implemented by the mail-access module; the event log
/// reads it when a log is downloaded.
#[async_trait::async_trait]
pub trait MailAccessHolders: Send + Sync {
    /// Every span of read-and-write access to the mail of any of `givers`.
    async fn read_write_spans(
        &self,
        db: &dyn ConnectionTrait,
        givers: &[Cpr],
    ) -> Result<Vec<AccessSpan>, DbErr>;
}

/// No one has access to anyone's mail.
pub struct NoMailAccess;

#[async_trait::async_trait]
impl MailAccessHolders for NoMailAccess {
    async fn read_write_spans(
        &self,
        _db: &dyn ConnectionTrait,
        _givers: &[Cpr],
    ) -> Result<Vec<AccessSpan>, DbErr> {
        Ok(Vec::new())
    }
}

/// No one is enrolled in NemSMS.
pub struct NoNemSms;

#[async_trait::async_trait]
impl NemSmsNumbers for NoNemSms {
    async fn confirmed_number(
        &self,
        _db: &dyn ConnectionTrait,
        _party: &Party,
    ) -> Result<Option<String>, DbErr> {
        Ok(None)
    }
}

/// One SMS to hand to the gateway (NemSMS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    /// The citizen (or company) the SMS is for.
    pub recipient_cpr: String,
    /// The number to send to: a NemSMS service message's is the enrolment's confirmed number
    /// ([`NemSmsNumbers`]); a confirmation link (SMS-02) goes to the number being confirmed.
    /// `None` only in rows written before issue 33.
    pub phone: Option<String>,
    pub text: String,
    /// Our reference, e.g. the message id.
    pub reference: String,
}

/// Sends SMS (CORE-02 NemSMS, SMS-02 confirmation links). The built-in gateway is an outbox the
/// test portal shows; a production adapter sends through an SMS provider. `db` is the caller's
/// transaction, so an outbox row commits with the step that sent it.
#[async_trait::async_trait]
pub trait SmsGateway: Send + Sync {
    async fn send(
        &self,
        db: &dyn ConnectionTrait,
        sms: Sms,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()>;
}

/// One e-mail (a notice to a technical contact, a report's notification).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Sends e-mail. The built-in mailer is an outbox the test portal shows; SMTP when configured.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(
        &self,
        db: &dyn ConnectionTrait,
        mail: Mail,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()>;
}

/// A message lying in a platform mailbox (Virk, e-Boks, mit.dk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxEntry {
    pub message_id: String,
    pub title: String,
    pub sender_cvr: String,
    /// `Platform::as_str`.
    pub platform: String,
    pub message_type: String,
    pub accepted_at: DateTime<Utc>,
    /// When the recipient opened it (a legal notice is served then, LOG-01 "Forkyndt").
    pub opened_at: Option<DateTime<Utc>>,
}

/// An SMS or e-mail the built-in gateways "sent".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub sent_at: DateTime<Utc>,
}

/// What the test portal shows of Digital Post's built-in platform mailboxes and outboxes
/// (issue 14 item 8). Implemented by the messaging module.
#[async_trait::async_trait]
pub trait TestMailboxes: Send + Sync {
    /// The newest 50 messages in the recipient's (CPR or CVR) platform mailbox.
    async fn platform_mailbox(&self, recipient: &Party) -> Result<Vec<MailboxEntry>, DbErr>;
    /// The recipient opens `sender_cvr`'s message `message_id` in their platform mailbox at
    /// `at`; `false` when it is not there or was opened before.
    async fn open(
        &self,
        recipient: &Party,
        sender: &Cvr,
        message_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, DbErr>;
    /// The newest 50 SMS sent through the built-in gateway.
    async fn sms_outbox(&self) -> Result<Vec<OutboxEntry>, DbErr>;
    /// The newest 50 e-mails sent through the built-in mailer.
    async fn mail_outbox(&self) -> Result<Vec<OutboxEntry>, DbErr>;
}
