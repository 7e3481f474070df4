//! The event log (Hændelseslog, SPEC §4, guide chapter 7): the three logs' search filters, their
//! rows exactly as LOG-01/02/03 list the columns, keyset pages and export jobs.

use serde::{Deserialize, Serialize};

use crate::message::{Direction, MessageEvent, MessageType};

/// One of the three logs; each is opened by its own right (LOG-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventLogKind {
    Messages,
    Actions,
    Searches,
}

impl EventLogKind {
    pub const ALL: [EventLogKind; 3] = [
        EventLogKind::Messages,
        EventLogKind::Actions,
        EventLogKind::Searches,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventLogKind::Messages => "messages",
            EventLogKind::Actions => "actions",
            EventLogKind::Searches => "searches",
        }
    }

    pub fn parse(s: &str) -> Option<EventLogKind> {
        EventLogKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// LOG-05: the rights that open this log (any one of them).
    pub fn rights(self) -> &'static [crate::Right] {
        use crate::Right::*;
        match self {
            EventLogKind::Messages => &[LogMessages, CitizenService, BusinessService],
            EventLogKind::Actions => &[LogActions, CitizenService, BusinessService],
            EventLogKind::Searches => &[LogSearches],
        }
    }
}

/// What an action concerned — the actions log's "Emne" (LOG-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    SystemConnection,
    ContactStructure,
    Statistics,
    Exemption,
    #[serde(rename = "nemsms")]
    NemSms,
    MailAccess,
    AuthorityInformation,
    Recall,
    MoveMail,
    ContextSwitch,
    Onboarding,
    Rights,
}

impl Subject {
    pub const ALL: [Subject; 12] = [
        Subject::SystemConnection,
        Subject::ContactStructure,
        Subject::Statistics,
        Subject::Exemption,
        Subject::NemSms,
        Subject::MailAccess,
        Subject::AuthorityInformation,
        Subject::Recall,
        Subject::MoveMail,
        Subject::ContextSwitch,
        Subject::Onboarding,
        Subject::Rights,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::SystemConnection => "system_connection",
            Subject::ContactStructure => "contact_structure",
            Subject::Statistics => "statistics",
            Subject::Exemption => "exemption",
            Subject::NemSms => "nemsms",
            Subject::MailAccess => "mail_access",
            Subject::AuthorityInformation => "authority_information",
            Subject::Recall => "recall",
            Subject::MoveMail => "move_mail",
            Subject::ContextSwitch => "context_switch",
            Subject::Onboarding => "onboarding",
            Subject::Rights => "rights",
        }
    }

    pub fn parse(s: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The subject as the guide's actions log names it.
    pub fn danish(self) -> &'static str {
        match self {
            Subject::SystemConnection => "Systemtilslutning",
            Subject::ContactStructure => "Kontaktstruktur",
            Subject::Statistics => "Statistik",
            Subject::Exemption => "Fritagelse",
            Subject::NemSms => "NemSMS",
            Subject::MailAccess => "Adgang",
            Subject::AuthorityInformation => "Myndighedsinformation",
            Subject::Recall => "Tilbagekald",
            Subject::MoveMail => "Flyt post",
            Subject::ContextSwitch => "Kontekstskift",
            Subject::Onboarding => "Onboarding",
            Subject::Rights => "Rettigheder",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            Subject::SystemConnection => "System connection",
            Subject::ContactStructure => "Contact structure",
            Subject::Statistics => "Statistics",
            Subject::Exemption => "Exemption",
            Subject::NemSms => "NemSMS",
            Subject::MailAccess => "Mail access",
            Subject::AuthorityInformation => "Authority information",
            Subject::Recall => "Recall",
            Subject::MoveMail => "Move mail",
            Subject::ContextSwitch => "Context switch",
            Subject::Onboarding => "Onboarding",
            Subject::Rights => "Rights",
        }
    }
}

/// Created / edited / deleted (LOG-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionEvent {
    Created,
    Edited,
    Deleted,
}

impl ActionEvent {
    pub const ALL: [ActionEvent; 3] = [
        ActionEvent::Created,
        ActionEvent::Edited,
        ActionEvent::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionEvent::Created => "created",
            ActionEvent::Edited => "edited",
            ActionEvent::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<ActionEvent> {
        ActionEvent::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn danish(self) -> &'static str {
        match self {
            ActionEvent::Created => "Oprettet",
            ActionEvent::Edited => "Redigeret",
            ActionEvent::Deleted => "Slettet",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            ActionEvent::Created => "Created",
            ActionEvent::Edited => "Edited",
            ActionEvent::Deleted => "Deleted",
        }
    }
}

/// The search form of the message log (LOG-01). Every filter is optional; `from`/`to` are
/// Copenhagen dates (`YYYY-MM-DD`, both included), at most 3 months apart, default the last 3
/// months (LOG-04). Values are checked by the server, which answers field errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct MessageLogFilter {
    /// First day, `YYYY-MM-DD` (Europe/Copenhagen)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (Europe/Copenhagen), included
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The sender's CPR or CVR number
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// The recipient's CPR or CVR number
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// `letter`, `legal_notice`, `nemsms` or `mandatory`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// `outgoing` or `incoming`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// The sender's message id (UUID)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The id of the sending or receiving system
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_id: Option<String>,
    /// An event id, e.g. `failed` (see MessageEvent)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// The search form of the actions log (LOG-02); the period as for the message log, and never
/// further back than 3 months from today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct ActionLogFilter {
    /// First day, `YYYY-MM-DD` (Europe/Copenhagen)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (Europe/Copenhagen), included
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// A subject id, e.g. `system_connection` (see Subject)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// CPR or CVR of the party concerned
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// A RID, CPR, CVR or `CVR:12345678-RID:12345678910`; automatic ("System") actions are never
    /// found by actor
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The id of the changed object
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    /// `created`, `edited` or `deleted`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// The search form of the searches log (LOG-03).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct SearchLogFilter {
    /// First day, `YYYY-MM-DD` (Europe/Copenhagen)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (Europe/Copenhagen), included
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The employee's RID
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rid: Option<String>,
    /// The CPR or CVR number searched for
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_data: Option<String>,
}

/// `?cursor=&pageSize=`: where a page starts (the `nextCursor` of the page before; none: the
/// newest) and how many rows it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct CursorQuery {
    /// The `nextCursor` of the previous page
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Rows per page, 1–500 (default 50)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<String>,
}

/// One page of a log, newest first. Keyset-paged: `nextCursor` fetches the next (older) page
/// and is absent on the last one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LogPage<T> {
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    pub page_size: u64,
    /// The period searched (after the LOG-04 defaults), `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
}

/// A message-log row with LOG-01's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MessageLogEntry {
    pub id: String,
    pub title: Option<String>,
    pub message_type: Option<MessageType>,
    /// CVR or CPR of the sender.
    pub sender: Option<String>,
    /// CPR or CVR of the recipient.
    pub recipient: Option<String>,
    pub direction: Direction,
    /// RFC 3339, UTC.
    pub occurred_at: String,
    pub event: MessageEvent,
    pub message_id: Option<String>,
    pub system_id: Option<String>,
    pub value_date: Option<String>,
    pub contact_point_id: Option<String>,
    pub endpoint: Option<String>,
    pub error_message: Option<String>,
    pub attachment_count: Option<u32>,
}

/// An actions-log row with LOG-02's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActionLogEntry {
    pub id: String,
    pub subject: Subject,
    /// CPR or CVR of the party concerned.
    pub party: Option<String>,
    /// The changed object's id.
    pub object_id: Option<String>,
    /// RID, CPR, CVR, `CVR:…-RID:…` or `System`.
    pub actor: String,
    /// Made by an operator on behalf of the organisation (CTX-02).
    pub on_behalf: bool,
    pub occurred_at: String,
    pub event: ActionEvent,
    /// The object's name.
    pub name: Option<String>,
    pub field: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub power_of_attorney: Option<bool>,
}

/// A searches-log row with LOG-03's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SearchLogEntry {
    pub id: String,
    pub search_data: String,
    pub actor_rid: String,
    /// The register the lookup fetched from (LOG-03, the guide's §7.5): `cpr`, `cvr`,
    /// `event_log`, `access_register`, `exemption_register` or `nemsms_register`
    /// (`words::register` names each in Danish and English).
    pub register: String,
    pub result_count: u64,
    pub occurred_at: String,
}

/// Where an export job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    Queued,
    Running,
    Done,
}

/// A CSV export too large to stream in one response: made in the background, then
/// downloadable from `…/events/exports/{id}/file` until `expiresAt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LogExport {
    pub id: String,
    pub log: EventLogKind,
    pub status: ExportStatus,
    pub rows_written: u64,
    /// The rows the search matched when the export was asked for.
    pub rows_total: u64,
    pub created_at: String,
    /// When the file is deleted (set when done).
    pub expires_at: Option<String>,
}
