//! Access to a citizen's Digital Post (Adgang, SPEC §7, guide chapter 10): the giver (a citizen)
//! lets a holder (a citizen or a company, optionally naming an employee) read — or read and
//! act on — their mail, until a date or without end.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::exemption::PartyKind;

/// What the holder may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    Read,
    ReadWrite,
}

impl AccessLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::Read => "read",
            AccessLevel::ReadWrite => "read_write",
        }
    }

    pub fn parse(s: &str) -> Option<AccessLevel> {
        [AccessLevel::Read, AccessLevel::ReadWrite]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}

/// ACC-02: what happens to an exempt giver's exemption when access is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExemptionChoice {
    /// The exemption is lifted: the giver is enrolled in Digital Post again.
    Lift,
    /// The exemption stays: the access covers only mail from before the exemption and
    /// mandatory mail.
    Keep,
}

/// One holder's access to the giver's mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MailAccess {
    pub id: String,
    pub holder_kind: PartyKind,
    /// CPR or CVR.
    pub holder: String,
    pub holder_name: String,
    /// For a company holder: the employee it is meant for.
    pub employee_name: Option<String>,
    pub level: AccessLevel,
    pub created_at: DateTime<Utc>,
    /// The last day of the access (Copenhagen); none = unlimited.
    pub expires_on: Option<NaiveDate>,
    /// ACC-02 "keep exemption": only mail from before the exemption, and mandatory mail.
    pub limited_to_before_exemption: bool,
}

/// ACC-01: the giver, their status and their holders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccessGiver {
    pub cpr: String,
    pub name: String,
    /// Exempt from Digital Post since then (ACC-01 "a note if exempt").
    pub exempt_since: Option<DateTime<Utc>>,
    /// The accesses in force, oldest first (at most 10, ACC-03).
    pub accesses: Vec<MailAccess>,
}

/// ACC-02: look up a holder by CPR (10 digits) or CVR (8 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HolderLookup {
    pub holder: String,
}

/// A looked-up holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccessHolder {
    pub kind: PartyKind,
    pub holder: String,
    pub name: String,
    /// The holder's enrolment status (§10.3 step 3): exempt from Digital Post since then;
    /// absent when enrolled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt_since: Option<DateTime<Utc>>,
}

/// ACC-02: give a holder access to the giver's mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewMailAccess {
    /// The giver's CPR.
    pub giver: String,
    /// The holder's CPR or CVR.
    pub holder: String,
    pub level: AccessLevel,
    /// Company holders only, at most 100 characters.
    #[serde(default)]
    pub employee_name: Option<String>,
    /// The last day (after today); none = unlimited.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    /// Required when the giver is exempt.
    #[serde(default)]
    pub exemption: Option<ExemptionChoice>,
}

/// What a mail-access receipt confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailAccessAction {
    Created,
    Revoked,
}

/// The receipt of an access given or revoked (ACC-02, ACC-04); kept, downloadable as PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MailAccessReceipt {
    pub id: String,
    pub action: MailAccessAction,
    pub access: MailAccess,
    pub giver: String,
    pub giver_name: String,
    /// ACC-02: whether the giver's exemption was lifted with this access.
    pub exemption_lifted: bool,
    pub issued_at: DateTime<Utc>,
    /// The employee who approved it and their organisation.
    pub approved_by: String,
}
