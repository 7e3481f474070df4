//! The audit trail's writing side (LOG-02, LOG-03, X-08): one small API every module calls.
//!
//! * [`record_action`] appends actions-log rows — one per changed field — for a create, edit or
//!   delete. Call it with the same transaction as the change it records, so both commit or
//!   neither does.
//! * [`record_search`] appends a searches-log row wherever an employee looks up a CPR or CVR.
//!
//! Both tables are append-only: this module only inserts, and database triggers (see the
//! migration) refuse UPDATE and DELETE on both SQLite and PostgreSQL.

use std::fmt;

use adgang_api_types::{MessageEvent, MessageType};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

use crate::entity::{actions_log, message_events, searches_log};
use crate::Cvr;

pub use adgang_api_types::{ActionEvent, Subject};

/// Who acted, written the way the actions log shows it (LOG-02).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An employee known by RID/UUID only.
    Employee { rid: String },
    /// An employee acting for an organisation: `CVR:12345678-RID:12345678910`.
    EmployeeOf { cvr: Cvr, rid: String },
    /// CTX-02: an operator acting on behalf of another organisation, named by their home
    /// organisation (`CVR:<home>-RID:<rid>`); the entry is marked as made on behalf.
    OperatorOnBehalf { home: Cvr, rid: String },
    /// A citizen (e.g. confirming NemSMS).
    Citizen { cpr: String },
    /// An organisation's system.
    Organisation { cvr: Cvr },
    /// Automatic actions (expiry runs and the like); not searchable by actor.
    System,
}

impl Actor {
    /// The RID of an actor written `CVR:…-RID:…`.
    pub fn rid(&self) -> Option<&str> {
        match self {
            Actor::EmployeeOf { rid, .. } | Actor::OperatorOnBehalf { rid, .. } => Some(rid),
            _ => None,
        }
    }

    /// The CVR of an actor written `CVR:…-RID:…`.
    pub fn employer(&self) -> Option<&Cvr> {
        match self {
            Actor::EmployeeOf { cvr, .. } | Actor::OperatorOnBehalf { home: cvr, .. } => Some(cvr),
            _ => None,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Employee { rid } => f.write_str(rid),
            Actor::EmployeeOf { cvr, rid } | Actor::OperatorOnBehalf { home: cvr, rid } => {
                write!(f, "CVR:{cvr}-RID:{rid}")
            }
            Actor::Citizen { cpr } => f.write_str(cpr),
            Actor::Organisation { cvr } => write!(f, "{cvr}"),
            Actor::System => f.write_str("System"),
        }
    }
}

/// One field's value before and after (absent before a create, after a delete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FieldChange {
    pub fn new(
        field: &str,
        before: Option<impl ToString>,
        after: Option<impl ToString>,
    ) -> FieldChange {
        FieldChange {
            field: field.to_owned(),
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
        }
    }
}

/// An action to record. `changes` may be empty (then one row without field is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    /// Whose log the entry belongs to (the organisation acted in).
    pub organisation: Cvr,
    pub subject: Subject,
    pub event: ActionEvent,
    /// CPR or CVR of the party concerned, when there is one.
    pub party: Option<String>,
    pub object_id: Option<String>,
    pub object_name: Option<String>,
    pub changes: Vec<FieldChange>,
    /// Exemptions: the stated reason.
    pub reason: Option<String>,
    /// Exemptions and access: whether the action was under a power of attorney.
    pub power_of_attorney: Option<bool>,
}

impl ActionRecord {
    /// An action on the object `object_id` named `object_name` (a report, a system, …), with
    /// its `changes`: no party, reason or power of attorney.
    pub fn on_object(
        organisation: Cvr,
        subject: Subject,
        event: ActionEvent,
        object_id: &str,
        object_name: &str,
        changes: Vec<FieldChange>,
    ) -> ActionRecord {
        ActionRecord {
            organisation,
            subject,
            event,
            party: None,
            object_id: Some(object_id.to_owned()),
            object_name: Some(object_name.to_owned()),
            changes,
            reason: None,
            power_of_attorney: None,
        }
    }
}

/// Appends the action's rows. Pass the transaction that makes the change.
pub async fn record_action(
    db: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    record: ActionRecord,
) -> Result<(), DbErr> {
    let changes = if record.changes.is_empty() {
        vec![None]
    } else {
        record.changes.into_iter().map(Some).collect()
    };
    for change in changes {
        let (field, before, after) = match change {
            Some(c) => (Some(c.field), c.before, c.after),
            None => (None, None, None),
        };
        actions_log::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            organisation_cvr: Set(record.organisation.to_string()),
            subject: Set(record.subject.as_str().to_owned()),
            party_id: Set(record.party.clone()),
            object_id: Set(record.object_id.clone()),
            actor: Set(actor.to_string()),
            actor_is_system: Set(matches!(actor, Actor::System)),
            actor_rid: Set(actor.rid().map(str::to_owned)),
            actor_cvr: Set(actor.employer().map(|cvr| cvr.to_string())),
            occurred_at: Set(at),
            event: Set(record.event.as_str().to_owned()),
            object_name: Set(record.object_name.clone()),
            field: Set(field),
            before: Set(before),
            after: Set(after),
            reason: Set(record.reason.clone()),
            power_of_attorney: Set(record.power_of_attorney),
            on_behalf: Set(matches!(actor, Actor::OperatorOnBehalf { .. })),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Which register a lookup fetched its information from (LOG-03, the guide's §7.5: "fx en del
/// af hændelsesloggen eller Digital Posts adgangs- eller kontaktregister"). Stored by its id;
/// `adgang_api_types::words::register` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    /// The CPR register (a citizen's name and address).
    Cpr,
    /// The CVR register (an organisation, e.g. an operator's lookup before switching).
    Cvr,
    /// A part of the event log searched by CPR/CVR (message, actions or searches log).
    EventLog,
    /// Digital Post's access register (mail access, ACC-01..03).
    AccessRegister,
    /// The exemption register (EX-01).
    ExemptionRegister,
    /// The NemSMS enrolments (SMS-01).
    NemSmsRegister,
}

impl Register {
    pub fn as_str(self) -> &'static str {
        match self {
            Register::Cpr => "cpr",
            Register::Cvr => "cvr",
            Register::EventLog => "event_log",
            Register::AccessRegister => "access_register",
            Register::ExemptionRegister => "exemption_register",
            Register::NemSmsRegister => "nemsms_register",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRecord {
    pub organisation: Cvr,
    pub actor_rid: String,
    /// The CPR or CVR searched for.
    pub search_data: String,
    pub register: Register,
    pub result_count: u32,
}

/// Appends one searches-log row (LOG-03).
pub async fn record_search(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    record: SearchRecord,
) -> Result<(), DbErr> {
    searches_log::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_cvr: Set(record.organisation.to_string()),
        actor_rid: Set(record.actor_rid),
        search_data: Set(record.search_data),
        register: Set(record.register.as_str().to_owned()),
        result_count: Set(i64::from(record.result_count)),
        occurred_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One message-log event to append (LOG-01): the event, whose log it goes in, and the
/// message's columns as the log shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageEventRecord {
    pub organisation: String,
    pub event: MessageEvent,
    pub at: DateTime<Utc>,
    pub message_id: Option<String>,
    pub system_id: Option<String>,
    pub title: Option<String>,
    pub message_type: Option<MessageType>,
    pub sender_id: Option<String>,
    pub recipient_id: Option<String>,
    pub value_date: Option<NaiveDate>,
    pub contact_point_id: Option<String>,
    pub endpoint: Option<String>,
    pub error_message: Option<String>,
    pub attachment_count: Option<u32>,
    /// The vendor with power of attorney whose system sent it (kept apart from LOG-01's
    /// ContentresponsibleID/RepresentativeID, which are the recipient's mail-access holder).
    pub vendor_cvr: Option<String>,
}

impl MessageEventRecord {
    /// An event with only its organisation, name and time; fill the rest with struct update.
    pub fn new(organisation: &str, event: MessageEvent, at: DateTime<Utc>) -> Self {
        MessageEventRecord {
            organisation: organisation.to_owned(),
            event,
            at,
            message_id: None,
            system_id: None,
            title: None,
            message_type: None,
            sender_id: None,
            recipient_id: None,
            value_date: None,
            contact_point_id: None,
            endpoint: None,
            error_message: None,
            attachment_count: None,
            vendor_cvr: None,
        }
    }
}

/// Appends message-log events (LOG-01) in the caller's transaction, so a message's state and
/// its events commit together (CORE-05). The table is append-only like the other logs.
pub async fn record_message_events(
    db: &impl ConnectionTrait,
    records: Vec<MessageEventRecord>,
) -> Result<(), DbErr> {
    if records.is_empty() {
        return Ok(());
    }
    let rows = records.into_iter().map(|r| message_events::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_cvr: Set(r.organisation),
        direction: Set(r.event.direction().as_str().to_owned()),
        event: Set(r.event.as_str().to_owned()),
        occurred_at: Set(r.at),
        message_id: Set(r.message_id),
        system_id: Set(r.system_id),
        title: Set(r.title),
        message_type: Set(r.message_type.map(|t| t.as_str().to_owned())),
        sender_id: Set(r.sender_id),
        recipient_id: Set(r.recipient_id),
        value_date: Set(r.value_date),
        contact_point_id: Set(r.contact_point_id),
        endpoint: Set(r.endpoint),
        error_message: Set(r.error_message),
        attachment_count: Set(r.attachment_count.map(|n| n as i32)),
        vendor_cvr: Set(r.vendor_cvr),
    });
    message_events::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_02_actors_are_written_as_the_log_shows_them() {
        let cvr = Cvr::parse("29189846").unwrap();
        assert_eq!(
            Actor::Employee {
                rid: "12345678910".into()
            }
            .to_string(),
            "12345678910"
        );
        assert_eq!(
            Actor::EmployeeOf {
                cvr: cvr.clone(),
                rid: "12345678910".into()
            }
            .to_string(),
            "CVR:29189846-RID:12345678910"
        );
        assert_eq!(Actor::Organisation { cvr }.to_string(), "29189846");
        assert_eq!(Actor::System.to_string(), "System");
    }
}
