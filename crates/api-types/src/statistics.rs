//! Statistics (SPEC §11, guide chapter 14): counts over the organisation's own messages — five
//! standard reports subscribed to with an interval, and custom reports of 1–8 variables over a
//! period of at most a year — produced in the background and downloaded as CSV.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// ST-01/ST-04: what a report counts by. The first eight are the custom reports' variables
/// (guide table 14.2); MeMo functionality is in a standard report only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportVariable {
    /// "Afsender": the organisation, for the messages it sent.
    Sender,
    /// "Modtager": the organisation, for the messages it received.
    Recipient,
    /// "Afsendersystem": the organisation's sender system (id).
    SenderSystem,
    /// "Modtagersystem": the organisation's recipient system (id).
    RecipientSystem,
    /// "Beskedtype".
    MessageType,
    /// "Størrelse (KB/MB)": the size band ([`SizeBand`]).
    Size,
    /// "Kundetype (Afsender)": citizen, company or authority.
    SenderCustomerType,
    /// "Kundetype (Modtager)".
    RecipientCustomerType,
    /// "MeMo-funktionalitet": which MeMo features the message used.
    MemoFunctionality,
}

impl ReportVariable {
    /// The eight a custom report chooses from (ST-04), in the guide's order.
    pub const CUSTOM: [ReportVariable; 8] = [
        ReportVariable::Sender,
        ReportVariable::Recipient,
        ReportVariable::SenderSystem,
        ReportVariable::RecipientSystem,
        ReportVariable::MessageType,
        ReportVariable::Size,
        ReportVariable::SenderCustomerType,
        ReportVariable::RecipientCustomerType,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportVariable::Sender => "sender",
            ReportVariable::Recipient => "recipient",
            ReportVariable::SenderSystem => "sender_system",
            ReportVariable::RecipientSystem => "recipient_system",
            ReportVariable::MessageType => "message_type",
            ReportVariable::Size => "size",
            ReportVariable::SenderCustomerType => "sender_customer_type",
            ReportVariable::RecipientCustomerType => "recipient_customer_type",
            ReportVariable::MemoFunctionality => "memo_functionality",
        }
    }

    pub fn parse(s: &str) -> Option<ReportVariable> {
        ReportVariable::CUSTOM
            .into_iter()
            .chain([ReportVariable::MemoFunctionality])
            .find(|v| v.as_str() == s)
    }

    /// The CSV heading and the SPA's label (guide table 14.1).
    pub fn danish(self) -> &'static str {
        match self {
            ReportVariable::Sender => "Afsender",
            ReportVariable::Recipient => "Modtager",
            ReportVariable::SenderSystem => "Afsendersystem",
            ReportVariable::RecipientSystem => "Modtagersystem",
            ReportVariable::MessageType => "Beskedtype",
            ReportVariable::Size => "Størrelse (KB/MB)",
            ReportVariable::SenderCustomerType => "Kundetype (Afsender)",
            ReportVariable::RecipientCustomerType => "Kundetype (Modtager)",
            ReportVariable::MemoFunctionality => "MeMo-funktionalitet",
        }
    }

    /// The SPA's label in English (issue 32 item 9).
    pub fn english(self) -> &'static str {
        match self {
            ReportVariable::Sender => "Sender",
            ReportVariable::Recipient => "Recipient",
            ReportVariable::SenderSystem => "Sender system",
            ReportVariable::RecipientSystem => "Recipient system",
            ReportVariable::MessageType => "Message type",
            ReportVariable::Size => "Size (KB/MB)",
            ReportVariable::SenderCustomerType => "Customer type (sender)",
            ReportVariable::RecipientCustomerType => "Customer type (recipient)",
            ReportVariable::MemoFunctionality => "MeMo functionality",
        }
    }
}

/// ST-01: the five standard reports of the guide's table 14.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StandardReport {
    /// "Overbliksrapport".
    Overview,
    /// "Anvendelse af beskedtyper".
    MessageTypes,
    /// "Anvendelse af systemer".
    Systems,
    /// "Antal meddelelser sendt og modtaget".
    SentAndReceived,
    /// "Anvendelse af MeMo-funktionalitet".
    MemoFunctionality,
}

impl StandardReport {
    pub const ALL: [StandardReport; 5] = [
        StandardReport::Overview,
        StandardReport::MessageTypes,
        StandardReport::Systems,
        StandardReport::SentAndReceived,
        StandardReport::MemoFunctionality,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StandardReport::Overview => "overview",
            StandardReport::MessageTypes => "message_types",
            StandardReport::Systems => "systems",
            StandardReport::SentAndReceived => "sent_and_received",
            StandardReport::MemoFunctionality => "memo_functionality",
        }
    }

    pub fn parse(s: &str) -> Option<StandardReport> {
        StandardReport::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The title in the guide's table 14.1.
    pub fn danish(self) -> &'static str {
        match self {
            StandardReport::Overview => "Overbliksrapport",
            StandardReport::MessageTypes => "Anvendelse af beskedtyper",
            StandardReport::Systems => "Anvendelse af systemer",
            StandardReport::SentAndReceived => "Antal meddelelser sendt og modtaget",
            StandardReport::MemoFunctionality => "Anvendelse af MeMo-funktionalitet",
        }
    }

    /// The title in English (issue 32 item 9).
    pub fn english(self) -> &'static str {
        match self {
            StandardReport::Overview => "Overview report",
            StandardReport::MessageTypes => "Use of message types",
            StandardReport::Systems => "Use of systems",
            StandardReport::SentAndReceived => "Messages sent and received",
            StandardReport::MemoFunctionality => "Use of MeMo functionality",
        }
    }

    /// ST-01: exactly the variables of table 14.1, in its order.
    pub fn variables(self) -> &'static [ReportVariable] {
        use ReportVariable::*;
        match self {
            StandardReport::Overview => &[
                Sender,
                Recipient,
                SenderSystem,
                RecipientSystem,
                MessageType,
                Size,
                RecipientCustomerType,
                SenderCustomerType,
            ],
            StandardReport::MessageTypes => &[Sender, MessageType, Size, RecipientCustomerType],
            StandardReport::Systems => &[
                Sender,
                Recipient,
                SenderSystem,
                RecipientSystem,
                SenderCustomerType,
                RecipientCustomerType,
            ],
            StandardReport::SentAndReceived => &[Sender, Recipient, MessageType],
            StandardReport::MemoFunctionality => {
                &[Sender, RecipientCustomerType, MemoFunctionality]
            }
        }
    }
}

/// ST-02: how often a standard report is produced; each version covers one such period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportInterval {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl ReportInterval {
    pub const ALL: [ReportInterval; 4] = [
        ReportInterval::Monthly,
        ReportInterval::Quarterly,
        ReportInterval::HalfYearly,
        ReportInterval::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportInterval::Monthly => "monthly",
            ReportInterval::Quarterly => "quarterly",
            ReportInterval::HalfYearly => "half_yearly",
            ReportInterval::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<ReportInterval> {
        ReportInterval::ALL.into_iter().find(|i| i.as_str() == s)
    }

    /// Months in one period.
    pub fn months(self) -> u32 {
        match self {
            ReportInterval::Monthly => 1,
            ReportInterval::Quarterly => 3,
            ReportInterval::HalfYearly => 6,
            ReportInterval::Yearly => 12,
        }
    }

    pub fn danish(self) -> &'static str {
        match self {
            ReportInterval::Monthly => "Månedligt",
            ReportInterval::Quarterly => "Kvartalsvis",
            ReportInterval::HalfYearly => "Halvårligt",
            ReportInterval::Yearly => "Årligt",
        }
    }
}

/// ST-06: who sent or received a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerType {
    Citizen,
    Company,
    Authority,
}

impl CustomerType {
    pub const ALL: [CustomerType; 3] = [
        CustomerType::Citizen,
        CustomerType::Company,
        CustomerType::Authority,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerType::Citizen => "citizen",
            CustomerType::Company => "company",
            CustomerType::Authority => "authority",
        }
    }

    pub fn parse(s: &str) -> Option<CustomerType> {
        CustomerType::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn danish(self) -> &'static str {
        match self {
            CustomerType::Citizen => "Borger",
            CustomerType::Company => "Virksomhed",
            CustomerType::Authority => "Myndighed",
        }
    }
}

/// ST-06: the size bands of "Størrelse (KB/MB)", by the message's attachments in bytes
/// (1 KB = 1,024 bytes). Named in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SizeBand {
    /// Under 100 KB.
    Under100Kb,
    /// 100 KB up to 1 MB.
    Kb100To1Mb,
    /// 1 MB up to 5 MB.
    Mb1To5,
    /// 5 MB up to 10 MB.
    Mb5To10,
    /// 10 MB and more.
    Over10Mb,
}

impl SizeBand {
    pub const ALL: [SizeBand; 5] = [
        SizeBand::Under100Kb,
        SizeBand::Kb100To1Mb,
        SizeBand::Mb1To5,
        SizeBand::Mb5To10,
        SizeBand::Over10Mb,
    ];

    /// The lower bound of each band after the first, in bytes.
    pub const BOUNDS: [i64; 4] = [100 * 1024, 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024];

    pub fn as_str(self) -> &'static str {
        match self {
            SizeBand::Under100Kb => "under_100_kb",
            SizeBand::Kb100To1Mb => "100_kb_to_1_mb",
            SizeBand::Mb1To5 => "1_to_5_mb",
            SizeBand::Mb5To10 => "5_to_10_mb",
            SizeBand::Over10Mb => "over_10_mb",
        }
    }

    pub fn parse(s: &str) -> Option<SizeBand> {
        SizeBand::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn of(bytes: i64) -> SizeBand {
        let index = SizeBand::BOUNDS.iter().take_while(|b| bytes >= **b).count();
        SizeBand::ALL[index]
    }

    pub fn danish(self) -> &'static str {
        match self {
            SizeBand::Under100Kb => "Under 100 KB",
            SizeBand::Kb100To1Mb => "100 KB – 1 MB",
            SizeBand::Mb1To5 => "1–5 MB",
            SizeBand::Mb5To10 => "5–10 MB",
            SizeBand::Over10Mb => "Over 10 MB",
        }
    }
}

/// ST-04: a period of Copenhagen days, both included, of at most one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReportPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// ST-02: "Bestil standardrapport".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewSubscription {
    pub report: StandardReport,
    pub interval: ReportInterval,
    /// Told when a new version is ready.
    #[serde(default)]
    pub notify_email: Option<String>,
}

/// ST-04: "Bestil brugerdefineret rapport".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewCustomReport {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// 1–8 of [`ReportVariable::CUSTOM`], each once.
    pub variables: Vec<ReportVariable>,
    pub period: ReportPeriod,
    #[serde(default)]
    pub notify_email: Option<String>,
}

/// ST-03: what a subscription may change — the e-mail; the interval is fixed (sending another
/// interval is a 409 `interval_fixed`: cancel and order again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionChange {
    #[serde(default)]
    pub interval: Option<ReportInterval>,
    /// Absent or empty: no e-mail.
    #[serde(default)]
    pub notify_email: Option<String>,
}

/// Standard (a subscription) or custom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Standard,
    Custom,
}

/// Where a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Ordered; no version produced yet.
    Ordered,
    /// A version can be downloaded.
    Ready,
    /// ST-03: a cancelled subscription (its last version is gone with it).
    Cancelled,
    /// ST-04: a custom report deleted 7 days after it was produced.
    Deleted,
}

/// ST-05: a report in the overview and on its details page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatisticsReport {
    pub id: String,
    pub kind: ReportKind,
    /// Standard reports: which.
    pub standard_report: Option<StandardReport>,
    /// The custom report's name, or the standard report's title.
    pub name: String,
    pub variables: Vec<ReportVariable>,
    /// Standard reports.
    pub interval: Option<ReportInterval>,
    /// Custom reports: the period ordered. Standard reports: the period of the version ready.
    pub period: Option<ReportPeriod>,
    pub state: ReportState,
    pub notify_email: Option<String>,
    pub ordered_at: DateTime<Utc>,
    /// When the version ready was produced ("oprettelsestidspunkt").
    pub produced_at: Option<DateTime<Utc>>,
    /// The CSV's size in bytes.
    pub size_bytes: Option<u64>,
    /// The CSV's data rows.
    pub rows: Option<u64>,
    /// Standard reports: when the next version is produced (the 10th of the next period).
    pub next_production_at: Option<DateTime<Utc>>,
    /// Custom reports: when the report is deleted (7 days after it was produced).
    pub expires_at: Option<DateTime<Utc>>,
}
