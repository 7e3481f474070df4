//! NemSMS (SPEC §6, guide chapter 9): a citizen's or company's enrolment for the public
//! authorities' service messages by SMS — looked up, enrolled with a phone number the holder
//! confirms through a link sent by SMS, the number changed (confirmed again), unenrolled.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::exemption::PartyKind;

/// SMS-01: where the party stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NemSmsState {
    NotEnrolled,
    /// Enrolled, but the holder has not confirmed the number yet.
    AwaitingConfirmation,
    Enrolled,
}

/// SMS-01: a looked-up party and their NemSMS enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NemSmsStatus {
    pub kind: PartyKind,
    /// CPR or CVR.
    pub party: String,
    pub name: String,
    pub state: NemSmsState,
    /// The enrolment, when there is one (to change its number or unenrol).
    pub enrolment_id: Option<String>,
    /// The confirmed number messages go to (E.164).
    pub phone: Option<String>,
    pub enrolled_at: Option<DateTime<Utc>>,
    /// A number waiting for the holder's confirmation (a new enrolment or a change).
    pub pending_phone: Option<String>,
    pub pending_since: Option<DateTime<Utc>>,
}

/// SMS-02: enrol a party with a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewNemSmsEnrolment {
    /// CPR (citizens) or CVR (companies).
    pub party: String,
    /// A Danish 8-digit number or E.164 (`+4512345678`).
    #[cfg_attr(feature = "openapi", schema(examples("12345678")))]
    pub phone: String,
}

/// SMS-03: a new number for an enrolment (confirmed again by the holder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NemSmsNumberChange {
    pub phone: String,
}

/// What a NemSMS receipt confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NemSmsAction {
    Enrolled,
    NumberChanged,
    Unenrolled,
}

/// SMS-03: the receipt page after each action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NemSmsReceipt {
    pub action: NemSmsAction,
    pub kind: PartyKind,
    pub party: String,
    pub party_name: String,
    /// The number concerned (E.164).
    pub phone: String,
    pub at: DateTime<Utc>,
    /// When the confirmation link sent by SMS stops working (enrol and change).
    pub confirm_by: Option<DateTime<Utc>>,
}

/// SMS-02: the holder confirms their number with the token of the link sent by SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NemSmsConfirmation {
    pub token: String,
}

/// The answer to a confirmation: the number now enrolled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NemSmsConfirmed {
    pub phone: String,
    pub enrolled_at: DateTime<Utc>,
}
