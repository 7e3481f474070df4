//! Recall before the value date (SPEC §10, guide chapter 13): an authority finds one of its own
//! outgoing messages by message id and withdraws it while it is still held for its value date.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ConflictReason;
use crate::message::MemoStatus;

/// RC-01: an own outgoing message as "Tilbagekald" shows it before the user confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecallCandidate {
    /// The sender's message id ("MeddelelsesID").
    pub message_id: String,
    pub title: String,
    /// The recipient's CPR or CVR.
    pub recipient: String,
    pub value_date: Option<NaiveDate>,
    pub status: MemoStatus,
    /// RC-03: why it cannot be recalled (`no_value_date`, `value_date_passed`,
    /// `already_recalled`); absent when "Tilbagekald" may be pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<ConflictReason>,
}

/// RC-02: the answer to a recall — what was recalled, when, by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecallReceipt {
    pub message_id: String,
    pub title: String,
    pub recipient: String,
    pub value_date: NaiveDate,
    pub recalled_at: DateTime<Utc>,
    /// The employee, written as the actions log writes actors.
    pub recalled_by: String,
}
