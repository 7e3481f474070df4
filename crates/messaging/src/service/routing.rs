//! Where a message goes (CORE-02) and what its first step is, decided when it is sent — at
//! intake, or on its value date with that day's settings.

use adgang_api_types::{MessageEvent, MessageType, Platform, Protocol};
use adgang_core::audit::{record_message_events, MessageEventRecord};
use adgang_core::ports::{ConnectedSystem, DeliveryPoint, Sms};
use adgang_core::{Cvr, Party};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};

use super::{JobKind, Ports, Route, State};
use crate::entity::{delivery_job, message};
use crate::error::MessagingError;

/// Where a message is delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The recipient's platform mailbox: no recipient system.
    Platform(Platform),
    /// A recipient system of the recipient organisation.
    System(Box<ConnectedSystem>),
    /// The SMS gateway, to the confirmed number of the party's NemSMS enrolment; `None`: the
    /// party is not enrolled (or has not confirmed), so the message fails with `NemSMS fejlet`.
    Sms(Option<String>),
}

/// A citizen's platform mailbox. The synthetic register has no platform choice, so the
/// citizen's CPR decides, the same way every time: e-Boks or mit.dk.
pub fn citizen_platform(cpr: &str) -> Platform {
    let sum: u32 = cpr.bytes().map(|b| u32::from(b.wrapping_sub(b'0'))).sum();
    if sum.is_multiple_of(2) {
        Platform::Eboks
    } else {
        Platform::MitDk
    }
}

/// CORE-02: citizens and companies without a recipient system receive in their platform
/// mailbox; an organisation with recipient systems through the contact point's system when
/// the point is active and bound to an active system, else through its primary system; NemSMS
/// through the SMS gateway to the party's confirmed number (SMS-01..03), read when the message
/// is sent — at intake, or on its value date. Systems count only while active (SYS-05).
pub async fn destination(
    db: &impl ConnectionTrait,
    ports: &Ports,
    recipient: &Party,
    message_type: MessageType,
    contact_point_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Destination, MessagingError> {
    if message_type == MessageType::Nemsms {
        let number = ports.nemsms.confirmed_number(db, recipient).await?;
        return Ok(Destination::Sms(number));
    }
    let organisation = match recipient {
        Party::Citizen(cpr) => return Ok(Destination::Platform(citizen_platform(cpr.as_str()))),
        Party::Company(cvr) => cvr,
    };
    let primary = ports.systems.primary(db, organisation, now).await?;
    destination_with_primary(db, ports, organisation, primary, contact_point_id, now).await
}

/// [`destination`] for an organisation whose primary system the caller has looked up already
/// (intake did, to know the CVR).
pub async fn destination_with_primary(
    db: &impl ConnectionTrait,
    ports: &Ports,
    recipient: &Cvr,
    primary: Option<ConnectedSystem>,
    contact_point_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Destination, MessagingError> {
    let Some(primary) = primary else {
        return Ok(Destination::Platform(Platform::Virk));
    };
    if let Some(point_id) = contact_point_id {
        if let Some(system) = point_system(db, ports, recipient, point_id, now).await? {
            return Ok(Destination::System(Box::new(system)));
        }
    }
    if primary.is_active() {
        Ok(Destination::System(Box::new(primary)))
    } else {
        Ok(Destination::Platform(Platform::Virk))
    }
}

/// The recipient system `organisation`'s contact point `point_id` delivers to — `None` when the
/// point is not the organisation's, not active, or not bound to an active receiving system
/// (CORE-02; MV-02 "usable").
pub async fn point_system(
    db: &impl ConnectionTrait,
    ports: &Ports,
    organisation: &Cvr,
    point_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<ConnectedSystem>, MessagingError> {
    match ports.points.point(db, organisation, point_id).await? {
        Some(point) => system_of(db, ports, &point, now).await,
        None => Ok(None),
    }
}

/// [`point_system`] for a point already read.
pub async fn system_of(
    db: &impl ConnectionTrait,
    ports: &Ports,
    point: &DeliveryPoint,
    now: DateTime<Utc>,
) -> Result<Option<ConnectedSystem>, MessagingError> {
    let (true, Some(system_id)) = (point.active, point.recipient_system_id.as_deref()) else {
        return Ok(None);
    };
    Ok(ports
        .systems
        .system(db, system_id, now)
        .await?
        .filter(|system| system.is_active() && system.role.receives()))
}

/// A message-log event about `msg` in `organisation`'s log, with the message's columns.
pub fn event_of(
    msg: &message::Model,
    organisation: &str,
    event: MessageEvent,
    at: DateTime<Utc>,
) -> MessageEventRecord {
    MessageEventRecord {
        message_id: Some(msg.message_id.clone()),
        system_id: Some(msg.sender_system_id.clone()),
        title: Some(msg.title.clone()),
        message_type: MessageType::parse(&msg.message_type),
        sender_id: Some(msg.sender_cvr.clone()),
        recipient_id: Some(msg.recipient_id.clone()),
        value_date: msg.value_date,
        contact_point_id: msg.contact_point_id.clone(),
        attachment_count: u32::try_from(msg.attachment_count).ok(),
        vendor_cvr: msg.vendor_cvr.clone(),
        ..MessageEventRecord::new(organisation, event, at)
    }
}

/// A new delivery job for `msg`, due at `due`.
pub fn job(
    msg: &message::Model,
    kind: JobKind,
    system_id: Option<&str>,
    due: DateTime<Utc>,
) -> delivery_job::ActiveModel {
    delivery_job::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        message_pk: Set(msg.id.clone()),
        kind: Set(kind.as_str().to_owned()),
        system_id: Set(system_id.map(str::to_owned)),
        attempts: Set(0),
        fallback: Set(false),
        receipt_id: Set(None),
        first_sent_at: Set(due),
        due_at: Set(due),
    }
}

/// How a system gets its messages (CORE-03): a REST PUSH system by a push (the message is
/// being delivered); a PUBLISH/SUBSCRIBE system by a notification, then collects from its queue;
/// a REST PULL (or SFTP) system collects from its queue, no job.
pub fn delivery_by(protocol: Protocol) -> (Option<JobKind>, State) {
    match protocol {
        Protocol::RestPush => (Some(JobKind::Push), State::Delivering),
        Protocol::RestPublishSubscribe => (Some(JobKind::Notify), State::Queued),
        Protocol::RestPull | Protocol::Sftp => (None, State::Queued),
    }
}

/// What sending a message does, decided before the transaction that does it: the message's
/// new fields, its events, its first job, the SMS to hand over.
#[derive(Clone)]
pub struct Step {
    pub events: Vec<MessageEventRecord>,
    pub job: Option<delivery_job::ActiveModel>,
    pub sms: Option<Sms>,
}

impl Step {
    /// Adds `event` on `msg` to its sender organisation's log.
    fn sender_event(&mut self, msg: &message::Model, event: MessageEvent, at: DateTime<Utc>) {
        self.events.push(event_of(msg, &msg.sender_cvr, event, at));
    }
}

/// Sends `msg` to `destination` (CORE-02/03): sets its route and state on `msg` and returns the
/// step's events, job and SMS. `released`: on its value date (CORE-04).
pub fn plan(
    msg: &mut message::Model,
    destination: &Destination,
    released: bool,
    now: DateTime<Utc>,
) -> Step {
    let mut step = Step {
        events: Vec::new(),
        job: None,
        sms: None,
    };
    if released {
        msg.released_at = Some(now);
        step.sender_event(msg, MessageEvent::SentAfterValueDate, now);
    }
    match destination {
        Destination::Platform(platform) => {
            msg.route = Route::Platform.as_str().to_owned();
            msg.platform = Some(platform.as_str().to_owned());
            msg.state = State::Available.as_str().to_owned();
            msg.delivered_at = Some(now);
            step.sender_event(msg, MessageEvent::AvailableToRecipient, now);
        }
        Destination::Sms(None) => {
            msg.route = Route::Sms.as_str().to_owned();
            msg.state = State::Failed.as_str().to_owned();
            step.sender_event(msg, MessageEvent::NemsmsFailed, now);
        }
        Destination::Sms(Some(number)) => {
            step.sms = Some(Sms {
                recipient_cpr: msg.recipient_id.clone(),
                phone: Some(number.clone()),
                text: msg.title.clone(),
                reference: msg.message_id.clone(),
            });
            msg.route = Route::Sms.as_str().to_owned();
            msg.state = State::SmsSent.as_str().to_owned();
            msg.delivered_at = Some(now);
            step.sender_event(msg, MessageEvent::AvailableToRecipient, now);
        }
        Destination::System(system) => {
            msg.route = Route::System.as_str().to_owned();
            msg.recipient_system_id = Some(system.id.clone());
            let (kind, state) = delivery_by(system.protocol);
            msg.state = state.as_str().to_owned();
            if state == State::Queued {
                msg.queued_at = Some(now);
            }
            step.job = kind.map(|kind| job(msg, kind, Some(&system.id), now));
        }
    }
    step
}

/// Carries out a planned step in the caller's transaction (the message row is the caller's).
pub async fn apply(
    db: &impl ConnectionTrait,
    ports: &Ports,
    step: Step,
    now: DateTime<Utc>,
) -> Result<(), MessagingError> {
    if let Some(sms) = step.sms {
        ports.sms.send(db, sms, now).await?;
    }
    if let Some(job) = step.job {
        delivery_job::Entity::insert(job)
            .exec_without_returning(db)
            .await?;
    }
    record_message_events(db, step.events).await?;
    Ok(())
}

/// Sends a stored message now (released on its value date): destination with that day's
/// settings, then its step — in the caller's transaction.
pub async fn send(
    db: &impl ConnectionTrait,
    ports: &Ports,
    msg: message::Model,
    released: bool,
    now: DateTime<Utc>,
) -> Result<(message::Model, Destination), MessagingError> {
    let message_type = MessageType::parse(&msg.message_type).unwrap_or(MessageType::Letter);
    // Checked at intake: a stored recipient is a CPR or a CVR.
    let recipient = Party::parse(&msg.recipient_id)
        .ok_or_else(|| anyhow::anyhow!("message {} has no valid recipient", msg.id))?;
    let destination = destination(
        db,
        ports,
        &recipient,
        message_type,
        msg.contact_point_id.as_deref(),
        now,
    )
    .await?;
    let mut sent = msg;
    let step = plan(&mut sent, &destination, released, now);
    let saved = sent.into_active_model().reset_all().update(db).await?;
    apply(db, ports, step, now).await?;
    Ok((saved, destination))
}
