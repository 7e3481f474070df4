//! Intake (CORE-01): a sender system submits a memo; it is authenticated, checked, stored with
//! its events and first job in one transaction — or refused with a problem and an `Afvist`
//! event in the sender's message log, nothing else stored.

use std::net::IpAddr;

use adgang_api_types::words::rejection;
use adgang_api_types::{
    Capacity, FieldCode, MemoReceipt, MessageEvent, MessageType, NewMemo, Platform, SystemRole,
};
use adgang_core::audit::{record_message_events, MessageEventRecord};
use adgang_core::ports::ConnectedSystem;
use adgang_core::secrets::{constant_time_eq, sha256_hex};
use adgang_core::throttle::{Throttle, Verdict};
use adgang_core::time::copenhagen;
use adgang_core::{Cpr, Cvr, FieldErrors, Party, SystemRefusal};
use base64::Engine;
use chrono::{DateTime, NaiveDate, SubsecRound, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::routing::{destination, destination_with_primary, event_of, job, plan, Step};
use super::writer::{IntakeWriter, WriteError};
use super::{JobKind, Ports, Route, State};
use crate::entity::message;
use crate::error::MessagingError;

/// What a system calls to do: submit messages, or collect its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Send,
    Receive,
}

/// What a system calls with: `X-System-Id`, `X-Api-Key` (or, over SFTP, the key it signed
/// with) and the address it calls from.
pub struct Credentials<'a> {
    pub system_id: Option<&'a str>,
    pub proof: Proof<'a>,
    pub address: IpAddr,
}

/// How a caller shows it is the system.
#[derive(Clone, Copy)]
pub enum Proof<'a> {
    /// `X-Api-Key`, compared in constant time with the system's.
    ApiKey(Option<&'a str>),
    /// Issue 35: the public key an SFTP client proved it holds (SYS-03).
    SshKey(&'a russh::keys::PublicKey),
}

impl Proof<'_> {
    /// Whether this proves `system`.
    pub fn proves(&self, system: &ConnectedSystem) -> bool {
        match *self {
            Proof::ApiKey(given) => match (system.api_key.as_deref(), given) {
                (Some(expected), Some(given)) => {
                    constant_time_eq(expected.as_bytes(), given.as_bytes())
                }
                _ => false,
            },
            Proof::SshKey(given) => system
                .ssh_public_key
                .as_deref()
                .and_then(|kept| russh::keys::PublicKey::from_openssh(kept.trim()).ok())
                .is_some_and(|kept| kept.key_data() == given.key_data()),
        }
    }

    fn wrong(&self) -> &'static str {
        match self {
            Proof::ApiKey(_) => rejection::WRONG_API_KEY.da,
            Proof::SshKey(_) => rejection::WRONG_SSH_KEY.da,
        }
    }
}

/// CORE-01: the calling system by its id and API key (compared in constant time), from an
/// allowed address (SYS-01), active (SYS-05), and sending or receiving as `purpose` needs. A
/// refusal of a known system is an event in its organisation's message log.
pub async fn authenticate(
    db: &DatabaseConnection,
    reads: &DatabaseConnection,
    ports: &Ports,
    purpose: Purpose,
    credentials: Credentials<'_>,
    keys: &Throttle,
    now: DateTime<Utc>,
) -> Result<ConnectedSystem, MessagingError> {
    let Credentials {
        system_id,
        proof,
        address: caller,
    } = credentials;
    let Some(system_id) = system_id.filter(|id| id.len() <= 64) else {
        return Err(MessagingError::Unauthenticated);
    };
    let Some(system) = ports.systems.system(reads, system_id, now).await? else {
        return Err(MessagingError::Unauthenticated);
    };
    let key_matches = proof.proves(&system);
    let admitted = ports.systems.admits(&system, caller);
    // Issue 31: the address is checked first. Without the right key, a caller from outside
    // the allowlist is refused without a trace (it could otherwise write to the append-only
    // log at will); from an allowed address its failures are logged, but limited.
    if !admitted && !key_matches {
        return Err(MessagingError::Refused(SystemRefusal::AddressNotAllowed));
    }
    let (refusal, event, error) = if !key_matches {
        let address = caller.to_string();
        match keys.failure(&[&system.id, &address], std::time::Instant::now()) {
            Verdict::Allowed => (
                None,
                MessageEvent::RejectedTechnical,
                proof.wrong().to_owned(),
            ),
            Verdict::Limited {
                retry_after_seconds,
                summary,
            } => {
                if let Some(held_back) = summary {
                    let record = MessageEventRecord {
                        system_id: Some(system.id.clone()),
                        error_message: Some(
                            rejection::API_KEY_FAILURES_HELD_BACK
                                .da_with(&[&held_back.to_string(), &caller.to_string()]),
                        ),
                        ..MessageEventRecord::new(
                            &system.organisation_cvr,
                            MessageEvent::RejectedTechnical,
                            now,
                        )
                    };
                    record_message_events(db, vec![record]).await?;
                }
                return Err(MessagingError::TooManyFailures {
                    retry_after_seconds,
                });
            }
        }
    } else if !admitted {
        (
            Some(SystemRefusal::AddressNotAllowed),
            MessageEvent::Rejected,
            rejection::ADDRESS_NOT_ALLOWED.da_with(&[&caller.to_string()]),
        )
    } else if !system.is_active() {
        (
            Some(SystemRefusal::NotActive),
            MessageEvent::Rejected,
            rejection::SYSTEM_NOT_ACTIVE.da.to_owned(),
        )
    } else if purpose == Purpose::Send && system.role == SystemRole::Recipient {
        (
            Some(SystemRefusal::NotASender),
            MessageEvent::Rejected,
            rejection::NOT_A_SENDER.da.to_owned(),
        )
    } else {
        return Ok(system);
    };
    let record = MessageEventRecord {
        system_id: Some(system.id.clone()),
        error_message: Some(error),
        ..MessageEventRecord::new(&system.organisation_cvr, event, now)
    };
    record_message_events(db, vec![record]).await?;
    Err(refusal.map_or(MessagingError::Unauthenticated, MessagingError::Refused))
}

/// A memo that passed every check, with what was derived on the way.
struct Checked {
    message_id: String,
    recipient: Party,
    /// An organisation recipient's primary system, looked up to know the CVR (routing uses it).
    primary: Option<ConnectedSystem>,
    attachment_count: usize,
    size_bytes: u64,
}

/// The first moment of `date` in Copenhagen: when a held message is released (CORE-04).
pub fn release_time(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Copenhagen
        .from_local_datetime(&midnight)
        .earliest()
        .expect("Copenhagen has no gap at midnight")
        .with_timezone(&Utc)
}

fn check_recipient(recipient: &str, errors: &mut FieldErrors) -> Option<Party> {
    let digits = recipient.trim();
    match digits.len() {
        10 => match Cpr::parse(digits) {
            Ok(cpr) => return Some(Party::Citizen(cpr)),
            Err(e) => errors.add("recipient", e.code(), e.message()),
        },
        8 => match Cvr::parse(digits) {
            Ok(cvr) => return Some(Party::Company(cvr)),
            Err(e) => errors.add("recipient", e.code(), e.message()),
        },
        _ => errors.add(
            "recipient",
            FieldCode::Invalid,
            rejection::RECIPIENT_FORMAT.en,
        ),
    }
    None
}

/// CORE-01's checks, all at once: id, title, sender, recipient (a CPR that is a date, a CVR the
/// register or Digital Post knows), value date not past, the contact point of the recipient
/// organisation, attachments within its capacity (CS-01), exemption (CORE-02).
async fn check(
    db: &DatabaseConnection,
    ports: &Ports,
    system: &ConnectedSystem,
    memo: &NewMemo,
    now: DateTime<Utc>,
) -> Result<Checked, MessagingError> {
    let mut errors = FieldErrors::new();
    let message_id = match uuid::Uuid::parse_str(memo.message_id.trim()) {
        Ok(_) => super::message_id_key(&memo.message_id),
        Err(_) => {
            errors.add(
                "messageId",
                FieldCode::Malformed,
                rejection::MESSAGE_ID_UUID.en,
            );
            String::new()
        }
    };
    let title = memo.title.trim();
    if title.is_empty() {
        errors.add("title", FieldCode::Required, rejection::TITLE_REQUIRED.en);
    } else if title.chars().count() > 255 {
        errors.add("title", FieldCode::TooLong, rejection::TITLE_TOO_LONG.en);
    }
    if memo.sender_cvr != system.organisation_cvr {
        errors.add(
            "senderCvr",
            FieldCode::Invalid,
            rejection::SENDER_NOT_SYSTEM_ORGANISATION.en,
        );
    }
    let recipient = check_recipient(&memo.recipient, &mut errors);
    if let Some(date) = memo.value_date {
        if date < copenhagen(now).date_naive() {
            errors.add(
                "valueDate",
                FieldCode::InThePast,
                rejection::VALUE_DATE_PASSED.en,
            );
        }
    }

    let mut capacity = (Capacity::MAX_MESSAGE_SIZE_BYTES, Capacity::MAX_ATTACHMENTS);
    if let (Some(point_id), Some(recipient)) = (memo.contact_point_id.as_deref(), &recipient) {
        if let Party::Company(organisation) = recipient {
            match ports.points.point(db, organisation, point_id).await? {
                None => errors.add(
                    "contactPointId",
                    FieldCode::Unknown,
                    rejection::NO_SUCH_POINT.en,
                ),
                Some(point) if !point.active => errors.add(
                    "contactPointId",
                    FieldCode::Invalid,
                    rejection::POINT_NOT_ACTIVE.en,
                ),
                Some(point) => capacity = (point.max_message_size_bytes, point.max_attachments),
            }
        } else {
            errors.add(
                "contactPointId",
                FieldCode::NotApplicable,
                rejection::POINT_FOR_ORGANISATIONS.en,
            );
        }
    }
    let (max_bytes, max_attachments) = capacity;
    if memo.attachments.len() > max_attachments as usize {
        errors.add(
            "attachments",
            FieldCode::TooMany,
            rejection::TOO_MANY_ATTACHMENTS.en_with(&[&max_attachments.to_string()]),
        );
    }
    let mut size_bytes = memo.body.as_deref().map_or(0, |b| b.len() as u64);
    for (i, attachment) in memo.attachments.iter().enumerate() {
        if attachment.filename.trim().is_empty() {
            errors.add(
                &format!("attachments[{i}].filename"),
                FieldCode::Required,
                rejection::FILE_NAME_REQUIRED.en,
            );
        }
        match base64::engine::general_purpose::STANDARD.decode(attachment.content.as_bytes()) {
            Ok(bytes) => size_bytes += bytes.len() as u64,
            Err(_) => errors.add(
                &format!("attachments[{i}].content"),
                FieldCode::Malformed,
                rejection::CONTENT_BASE64.en,
            ),
        }
    }
    if size_bytes > max_bytes {
        errors.add(
            "attachments",
            FieldCode::TooLarge,
            rejection::TOO_LARGE.en_with(&[&max_bytes.to_string()]),
        );
    }

    let mut primary = None;
    if let Some(recipient) = &recipient {
        if let Party::Company(organisation) = recipient {
            primary = ports.systems.primary(db, organisation, now).await?;
            if primary.is_none() && !in_cvr_register(ports, organisation).await? {
                errors.add(
                    "recipient",
                    FieldCode::Unknown,
                    rejection::UNKNOWN_ORGANISATION.en,
                );
            }
        }
        let may_serve = async || match Cvr::parse(&system.organisation_cvr) {
            Ok(sender) => {
                ports
                    .legal_notices
                    .may_serve_legal_notices(db, &sender)
                    .await
            }
            Err(_) => Ok(false),
        };
        if memo.message_type == MessageType::LegalNotice && !may_serve().await? {
            errors.add(
                "type",
                FieldCode::LegalNoticeNotAllowed,
                rejection::LEGAL_NOTICE_NOT_ALLOWED.en,
            );
        }
        if memo.message_type != MessageType::Mandatory
            && ports.exemptions.is_exempt(db, recipient).await?
        {
            errors.add(
                "recipient",
                FieldCode::RecipientExempt,
                rejection::RECIPIENT_EXEMPT.en,
            );
        }
    }
    if !errors.is_empty() {
        return Err(MessagingError::Validation(errors));
    }
    Ok(Checked {
        message_id,
        recipient: recipient.expect("checked"),
        primary,
        attachment_count: memo.attachments.len(),
        size_bytes,
    })
}

/// An organisation without recipient systems is known when the CVR register knows it.
async fn in_cvr_register(ports: &Ports, cvr: &Cvr) -> Result<bool, MessagingError> {
    match ports.registry.company(cvr).await {
        Ok(found) => Ok(found.is_some()),
        Err(_) => Err(MessagingError::RegistryUnavailable),
    }
}

fn truncated(text: &str, chars: usize) -> String {
    text.trim().chars().take(chars).collect()
}

/// `Afvist` (a rule refused it) or `Afvist teknisk` (a malformed call) in the sender's log,
/// with what the memo said, cut to the log's column sizes.
pub async fn record_rejection(
    db: &DatabaseConnection,
    system: &ConnectedSystem,
    memo: Option<&NewMemo>,
    event: MessageEvent,
    error: String,
    now: DateTime<Utc>,
) -> Result<(), MessagingError> {
    let mut record = MessageEventRecord {
        system_id: Some(system.id.clone()),
        error_message: Some(error),
        vendor_cvr: system.vendor_cvr.clone(),
        ..MessageEventRecord::new(&system.organisation_cvr, event, now)
    };
    if let Some(memo) = memo {
        record.message_id = Some(truncated(&memo.message_id, 36)).filter(|s| !s.is_empty());
        record.title = Some(truncated(&memo.title, 255)).filter(|s| !s.is_empty());
        record.message_type = Some(memo.message_type);
        record.sender_id = Some(system.organisation_cvr.clone());
        record.recipient_id = Some(truncated(&memo.recipient, 10)).filter(|s| !s.is_empty());
        record.value_date = memo.value_date;
        record.contact_point_id = memo.contact_point_id.as_deref().map(|p| truncated(p, 36));
        record.attachment_count = u32::try_from(memo.attachments.len()).ok();
    }
    record_message_events(db, vec![record]).await?;
    Ok(())
}

/// The log's Danish for a refused memo (issue 32 item 9): each field error's rule in words.
pub fn describe(errors: &FieldErrors) -> String {
    let errors = errors.clone().into_inner();
    rejection::describe(
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str())),
    )
}

/// What the sender is answered about a stored message.
pub fn receipt(msg: &message::Model) -> MemoReceipt {
    MemoReceipt {
        message_id: msg.message_id.clone(),
        status: State::parse(&msg.state)
            .unwrap_or(State::Delivering)
            .status(),
        accepted_at: msg.accepted_at,
        value_date: msg.value_date,
        recipient_system_id: msg.recipient_system_id.clone(),
        platform: msg.platform.as_deref().and_then(Platform::parse),
    }
}

async fn existing(
    db: &impl ConnectionTrait,
    sender_cvr: &str,
    message_id: &str,
) -> Result<Option<message::Model>, MessagingError> {
    Ok(message::Entity::find()
        .filter(message::Column::SenderCvr.eq(sender_cvr))
        .filter(message::Column::MessageId.eq(message_id))
        .one(db)
        .await?)
}

/// The same memo again answers the first result; other content under the id is a conflict.
fn replay(found: &message::Model, hashes: &[&str]) -> Result<(MemoReceipt, bool), MessagingError> {
    if hashes.contains(&found.content_hash.as_str()) {
        Ok((receipt(found), false))
    } else {
        Err(MessagingError::MessageIdReused)
    }
}

/// CORE-01, CORE-04, CORE-05: checks the memo and accepts it — the message, its events
/// (`Valideret`, then `Valideret – sendes efter valør` or the first step of delivery) and its
/// first job in one transaction (shared with the messages submitted at the same moment, see
/// [`IntakeWriter`]). `reads` serves the checks and routing (the read connections
/// on SQLite; the same pool on PostgreSQL). Returns the receipt and whether it was new.
pub async fn submit(
    db: &DatabaseConnection,
    reads: &DatabaseConnection,
    writer: &IntakeWriter,
    ports: &Ports,
    system: &ConnectedSystem,
    memo: NewMemo,
    now: DateTime<Utc>,
) -> Result<(MemoReceipt, bool), MessagingError> {
    let checked = match check(reads, ports, system, &memo, now).await {
        Ok(checked) => checked,
        Err(MessagingError::Validation(errors)) => {
            let error = describe(&errors);
            record_rejection(db, system, Some(&memo), MessageEvent::Rejected, error, now).await?;
            return Err(MessagingError::Validation(errors));
        }
        Err(other) => return Err(other),
    };
    // The memo as kept and delivered carries the numbers as they were checked — the
    // message id lower-case and hyphenated, the recipient's digits — so what a system pulls,
    // is pushed, acknowledges, recalls or answers with a receipt matches what is stored, and a
    // replay spelled otherwise is the same memo. (A memo kept before that was hashed as sent:
    // its replay as sent still matches.)
    let as_sent = sha256_hex(&serde_json::to_string(&memo).map_err(anyhow::Error::from)?);
    let mut memo = memo;
    memo.message_id.clone_from(&checked.message_id);
    memo.recipient = checked.recipient.as_str().to_owned();
    let content = serde_json::to_string(&memo).map_err(anyhow::Error::from)?;
    let hash = sha256_hex(&content);
    let reject_reuse = |found: &message::Model| replay(found, &[&hash, &as_sent]);

    let held = memo
        .value_date
        .filter(|date| *date > copenhagen(now).date_naive());
    // Routing reads (CORE-02) happen before the transaction, on the read connections, so the
    // writer does only the writes: the message in its final state, its events, its job.
    let destination = match held {
        Some(_) => None,
        None => Some(match (memo.message_type, &checked.recipient) {
            (MessageType::Nemsms, _) | (_, Party::Citizen(_)) => {
                let recipient = &checked.recipient;
                destination(reads, ports, recipient, memo.message_type, None, now).await?
            }
            // An organisation: its primary system was looked up by the checks.
            (_, Party::Company(organisation)) => {
                let point = memo.contact_point_id.as_deref();
                let primary = checked.primary.clone();
                destination_with_primary(reads, ports, organisation, primary, point, now).await?
            }
        }),
    };
    let mut msg = message::Model {
        id: uuid::Uuid::now_v7().to_string(),
        message_id: checked.message_id.clone(),
        sender_cvr: system.organisation_cvr.clone(),
        sender_system_id: system.id.clone(),
        recipient_id: checked.recipient.as_str().to_owned(),
        title: memo.title.trim().to_owned(),
        message_type: memo.message_type.as_str().to_owned(),
        value_date: memo.value_date,
        contact_point_id: memo.contact_point_id.clone(),
        attachment_count: checked.attachment_count as i32,
        size_bytes: checked.size_bytes as i64,
        content_hash: hash.clone(),
        content,
        route: Route::Pending.as_str().to_owned(),
        platform: None,
        recipient_system_id: None,
        state: State::Held.as_str().to_owned(),
        vendor_cvr: system.vendor_cvr.clone(),
        // Stored times are microseconds on PostgreSQL: the first answer and a replay agree.
        accepted_at: now.trunc_subsecs(6),
        released_at: None,
        delivered_at: None,
        opened_at: None,
        queued_at: None,
    };
    let validated = event_of(&msg, &msg.sender_cvr, MessageEvent::Validated, now);
    let mut step = match (held, &destination) {
        (Some(date), _) => Step {
            events: vec![event_of(
                &msg,
                &msg.sender_cvr,
                MessageEvent::HeldForValueDate,
                now,
            )],
            job: Some(job(&msg, JobKind::Release, None, release_time(date))),
            sms: None,
        },
        (None, Some(destination)) => plan(&mut msg, destination, false, now),
        (None, None) => unreachable!("a message not held has a destination"),
    };
    step.events.insert(0, validated);
    // LOG-01 "Teknisk kvittering sendt": the technical receipt is the intake's answer (the
    // receipt in the 201), written with the message so the log never claims an answer for a
    // message that was not stored. A replay answers the first receipt again without a row.
    step.events.push(event_of(
        &msg,
        &msg.sender_cvr,
        MessageEvent::TechnicalReceiptSent,
        now,
    ));

    match writer.write(msg.clone(), step).await {
        Ok(()) => Ok((receipt(&msg), true)),
        Err(WriteError::Rejected(err)) => {
            // The message id is taken (found by the unique index rather than by a query
            // before every insert): the same memo again answers the first receipt; another
            // memo under the id is refused, with its event.
            match existing(db, &system.organisation_cvr, &checked.message_id).await? {
                Some(found) if found.content_hash != hash => {
                    let error = rejection::MESSAGE_ID_REUSED.da.to_owned();
                    record_rejection(db, system, Some(&memo), MessageEvent::Rejected, error, now)
                        .await?;
                    reject_reuse(&found)
                }
                Some(found) => reject_reuse(&found),
                None => Err(err.into()),
            }
        }
        Err(WriteError::Down(why)) => Err(MessagingError::Unavailable(why)),
        Err(WriteError::Failed(err)) => Err(MessagingError::Unexpected(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_04_a_value_date_releases_at_copenhagen_midnight_in_summer_and_winter() {
        let winter = release_time(NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
        assert_eq!(
            winter,
            "2026-12-23T23:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        let summer = release_time(NaiveDate::from_ymd_opt(2027, 7, 1).unwrap());
        assert_eq!(
            summer,
            "2027-06-30T22:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
