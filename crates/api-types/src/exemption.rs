//! Exemption from Digital Post (Fritagelse, SPEC §5, guide chapter 8): looking up a citizen or a
//! company, exempting them, lifting and (companies only) renewing the exemption, and the receipt
//! of each action.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::organisation::Address;

/// Whose exemption: a citizen (CPR) or a company (CVR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Citizen,
    Company,
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Citizen => "citizen",
            PartyKind::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Option<PartyKind> {
        [PartyKind::Citizen, PartyKind::Company]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// `{party}` in the national registers' paths (exemptions, NemSMS): the collection of citizens
/// or of companies. One endpoint serves both; the kind decides which right it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartyCollection {
    Citizens,
    Companies,
}

impl PartyCollection {
    pub fn of(kind: PartyKind) -> PartyCollection {
        match kind {
            PartyKind::Citizen => PartyCollection::Citizens,
            PartyKind::Company => PartyCollection::Companies,
        }
    }

    pub fn kind(self) -> PartyKind {
        match self {
            PartyCollection::Citizens => PartyKind::Citizen,
            PartyCollection::Companies => PartyKind::Company,
        }
    }

    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyCollection::Citizens => "citizens",
            PartyCollection::Companies => "companies",
        }
    }

    pub fn parse(s: &str) -> Option<PartyCollection> {
        [PartyCollection::Citizens, PartyCollection::Companies]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// EX-01: look a citizen up by CPR (sent in the body, so the number stays out of URLs and
/// access logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CitizenLookup {
    /// 10 digits, `DDMMYYSSSS` or `DDMMYY-SSSS`; the first six a valid date.
    #[cfg_attr(feature = "openapi", schema(examples("0101401001")))]
    pub cpr: String,
}

/// EX-04: look a company up by CVR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompanyLookup {
    #[cfg_attr(feature = "openapi", schema(examples("25052943")))]
    pub cvr: String,
}

/// EX-01/EX-04, SMS-01: whom a national register's lookup is about — a citizen by CPR
/// (`{"cpr": …}`) or a company by CVR (`{"cvr": …}`), never both. The number travels in the
/// body, so it stays out of URLs and access logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum PartyLookup {
    Citizen(CitizenLookup),
    Company(CompanyLookup),
}

impl PartyLookup {
    pub fn of(kind: PartyKind, number: &str) -> PartyLookup {
        let number = number.to_owned();
        match kind {
            PartyKind::Citizen => PartyLookup::Citizen(CitizenLookup { cpr: number }),
            PartyKind::Company => PartyLookup::Company(CompanyLookup { cvr: number }),
        }
    }

    pub fn kind(&self) -> PartyKind {
        match self {
            PartyLookup::Citizen(_) => PartyKind::Citizen,
            PartyLookup::Company(_) => PartyKind::Company,
        }
    }

    /// The CPR or CVR number, as given.
    pub fn number(&self) -> &str {
        match self {
            PartyLookup::Citizen(c) => &c.cpr,
            PartyLookup::Company(c) => &c.cvr,
        }
    }
}

/// What happens to the party's unopened Digital Post (EX-02, EX-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailForwarding {
    /// The party does not want it forwarded and has been told the consequences.
    Declined,
    /// To the CPR address (citizens) or the registered office address (companies).
    RegisteredAddress,
    /// To the alternative address given.
    AlternativeAddress,
}

impl MailForwarding {
    pub const ALL: [MailForwarding; 3] = [
        MailForwarding::Declined,
        MailForwarding::RegisteredAddress,
        MailForwarding::AlternativeAddress,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailForwarding::Declined => "declined",
            MailForwarding::RegisteredAddress => "registered_address",
            MailForwarding::AlternativeAddress => "alternative_address",
        }
    }

    pub fn parse(s: &str) -> Option<MailForwarding> {
        MailForwarding::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A party's exemption in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Exemption {
    pub id: String,
    pub kind: PartyKind,
    /// CPR or CVR.
    pub party: String,
    pub granted_at: DateTime<Utc>,
    /// The authority that registered it.
    pub granted_by_cvr: String,
    pub power_of_attorney: bool,
    pub forwarding: MailForwarding,
    /// Where unopened mail is forwarded to (the registered or the alternative address).
    pub forwarding_address: Option<Address>,
    /// Companies (EX-04): the last instant it is in force — the end of November two years
    /// after it was granted or last renewed, Copenhagen time. Citizens' exemptions never end
    /// by themselves.
    pub expires_at: Option<DateTime<Utc>>,
    pub renewed_at: Option<DateTime<Utc>>,
}

/// EX-01/EX-04: a looked-up party and their status in Digital Post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PartyExemption {
    pub kind: PartyKind,
    /// CPR or CVR.
    pub party: String,
    pub name: String,
    /// The CPR address or the registered office address.
    pub registered_address: Address,
    /// The exemption in force; absent when the party is enrolled in Digital Post.
    pub exemption: Option<Exemption>,
    /// EX-01: the party has or may have unopened Digital Post (shown as a warning).
    pub may_have_unopened_mail: bool,
}

/// EX-02/EX-04: exempt a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewExemption {
    /// CPR (citizens) or CVR (companies).
    pub party: String,
    pub power_of_attorney: bool,
    pub forwarding: MailForwarding,
    /// With `forwarding = declined`: the party has been informed of the consequences (must be
    /// true).
    #[serde(default)]
    pub informed_of_consequences: bool,
    /// With `forwarding = alternative_address`.
    #[serde(default)]
    pub alternative_address: Option<Address>,
    /// A case note or journal number for the actions log (EX-06), at most 200 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// EX-03/EX-04: lift or renew an exemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExemptionChange {
    pub power_of_attorney: bool,
    /// A case note or journal number for the actions log (EX-06), at most 200 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a receipt confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExemptionAction {
    Granted,
    Lifted,
    Renewed,
}

impl ExemptionAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ExemptionAction::Granted => "granted",
            ExemptionAction::Lifted => "lifted",
            ExemptionAction::Renewed => "renewed",
        }
    }

    pub fn parse(s: &str) -> Option<ExemptionAction> {
        [
            ExemptionAction::Granted,
            ExemptionAction::Lifted,
            ExemptionAction::Renewed,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The receipt of an exemption action (EX-02..04). Kept, so it can be downloaded again as PDF
/// (`…/exemptions/receipts/{id}/pdf`) — the guide warns that the real portal cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExemptionReceipt {
    pub id: String,
    pub exemption_id: String,
    pub action: ExemptionAction,
    pub kind: PartyKind,
    pub party: String,
    pub party_name: String,
    pub power_of_attorney: bool,
    pub forwarding: MailForwarding,
    pub forwarding_address: Option<Address>,
    pub issued_at: DateTime<Utc>,
    /// EX-03: when the action takes effect (a lift: the party is enrolled from then on).
    pub effective_at: DateTime<Utc>,
    /// Companies: the end of the exemption granted or renewed.
    pub expires_at: Option<DateTime<Utc>>,
    /// The employee who approved it and their organisation.
    pub approved_by: String,
    pub note: Option<String>,
}
