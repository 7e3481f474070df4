//! Move mail (SPEC §12, guide chapter 15): an authority moves the mail lying in its platform
//! mailboxes (Virk, e-Boks, mit.dk) to its own recipient systems through an active contact
//! point — all of it or a period — as a background job with progress and a receipt.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// MV-01: a period of days (Europe/Copenhagen), both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MovePeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// MV-02: where the mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MoveMode {
    /// Everything to one chosen contact point ("selvvalgt kontaktpunkt").
    Chosen,
    /// Each message to the contact point it is tagged with ("opmærket kontaktpunkt"), and to
    /// the failover point when that one is not usable.
    Tagged,
    /// SYS-15: into a new REST PUSH recipient system (ordered with the system).
    RecipientSystem,
}

/// MV-01..03: "Start flytning af post".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewMailMove {
    /// Absent: all the mail.
    #[serde(default)]
    pub period: Option<MovePeriod>,
    /// `chosen` or `tagged`.
    pub mode: MoveMode,
    /// `chosen`: the contact point.
    #[serde(default)]
    pub contact_point_id: Option<String>,
    /// `tagged`: where messages whose tagged point is not usable go.
    #[serde(default)]
    pub failover_contact_point_id: Option<String>,
    /// MV-03: the tick "posten slettes fra Virk, e-Boks og mit.dk".
    #[serde(default)]
    pub confirm_deletion: bool,
}

/// MV-04: how far a move is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailMoveState {
    /// SYS-15: ordered with a new recipient system; starts when the system is active.
    Waiting,
    Running,
    Completed,
    /// Stopped because the destination stopped being usable; what was moved stays moved, the
    /// rest stays in the mailboxes.
    Failed,
}

/// MV-03/04: a move, its progress and its receipt's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MailMove {
    pub id: String,
    pub state: MailMoveState,
    pub period: Option<MovePeriod>,
    pub mode: MoveMode,
    pub contact_point_id: Option<String>,
    pub failover_contact_point_id: Option<String>,
    pub system_id: Option<String>,
    /// The messages in the mailboxes when the move was ordered.
    pub total: u64,
    pub moved: u64,
    /// Of `moved`, those that went to the failover point.
    pub moved_to_failover: u64,
    pub failure: Option<String>,
    /// The employee, as the actions log writes actors.
    pub created_by: String,
    /// Who ordered it, by name ("Name (Organisation)"), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_name: Option<String>,
    /// The system a move into a new system goes to, by name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// MV-01/02: a contact point of the organisation as "Flyt post" offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MoveContactPoint {
    pub id: String,
    pub name: String,
    /// Active and bound to an active recipient system: mail can be moved to it.
    pub usable: bool,
}
