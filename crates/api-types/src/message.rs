//! The Digital Post core (SPEC §13): what a sender system submits (`memos`, named like the real
//! Digital Post API), what it is answered, the message log's events (LOG-01) and the delivery
//! attempts a system's detail page shows.

use serde::{Deserialize, Serialize};

/// Brev, forkyndelse, NemSMS, obligatorisk post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageType {
    Letter,
    LegalNotice,
    Nemsms,
    Mandatory,
}

impl MessageType {
    pub const ALL: [MessageType; 4] = [
        MessageType::Letter,
        MessageType::LegalNotice,
        MessageType::Nemsms,
        MessageType::Mandatory,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageType::Letter => "letter",
            MessageType::LegalNotice => "legal_notice",
            MessageType::Nemsms => "nemsms",
            MessageType::Mandatory => "mandatory",
        }
    }

    pub fn parse(s: &str) -> Option<MessageType> {
        MessageType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The name the message log and the statistics show.
    pub fn danish(self) -> &'static str {
        match self {
            MessageType::Letter => "Brev",
            MessageType::LegalNotice => "Forkyndelse",
            MessageType::Nemsms => "NemSMS",
            MessageType::Mandatory => "Obligatorisk post",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            MessageType::Letter => "Letter",
            MessageType::LegalNotice => "Legal notice",
            MessageType::Nemsms => "NemSMS",
            MessageType::Mandatory => "Mandatory mail",
        }
    }

    /// The "Beskedtype" value of a statistics report, as the guide's table 14.2 names the four
    /// kinds (issue 33 item 7): a letter is a "Meddelelse" there, NemSMS a "Servicebesked".
    pub fn statistics_danish(self) -> &'static str {
        match self {
            MessageType::Letter => "Meddelelse",
            MessageType::LegalNotice => "Forkyndelse",
            MessageType::Nemsms => "Servicebesked (NemSMS)",
            MessageType::Mandatory => "Obligatorisk post",
        }
    }
}

/// One attachment, inline as base64 (standard alphabet, padded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MemoAttachment {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 255))]
    pub filename: String,
    /// e.g. `application/pdf`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 255))]
    pub content_type: String,
    /// The file, base64-encoded.
    pub content: String,
}

/// A message a sender system submits (CORE-01). `POST /api/v1/memos` with the system's id and
/// API key in the headers `X-System-Id` and `X-Api-Key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewMemo {
    /// The sender's id for the message (a UUID). Submitting the same id with the same content
    /// again answers the first result; with other content it is a 409.
    pub message_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub title: String,
    /// The sending organisation: the CVR of the system's organisation.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{8}$"))]
    pub sender_cvr: String,
    /// A citizen's CPR (10 digits, `DDMMYYXXXX`) or an organisation's CVR (8 digits).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(\d{8}|\d{10})$"))]
    pub recipient: String,
    #[serde(rename = "type")]
    pub message_type: MessageType,
    /// Held until this Copenhagen date (CORE-04); today or absent sends at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<chrono::NaiveDate>,
    /// For an organisation recipient: the contact point the message is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_point_id: Option<String>,
    /// The letter's text (optional when attachments carry the content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub attachments: Vec<MemoAttachment>,
}

/// Where an accepted message is on its way (derived from its state, CORE-02..04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemoStatus {
    /// Held until its value date.
    HeldForValueDate,
    /// Waiting for delivery to a recipient system (push, pull queue or notification).
    Delivering,
    /// Delivered to the recipient system, or collected by it.
    Delivered,
    /// In the recipient's platform mailbox (Virk, e-Boks, mit.dk).
    AvailableToRecipient,
    /// Handed to the SMS gateway.
    SentAsSms,
    /// Every delivery attempt failed.
    Failed,
    /// Withdrawn by the sender before its value date.
    Recalled,
}

/// The platform mailbox a message lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Virk,
    Eboks,
    MitDk,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Virk, Platform::Eboks, Platform::MitDk];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Virk => "virk",
            Platform::Eboks => "eboks",
            Platform::MitDk => "mit_dk",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The answer to an accepted memo (201, or 200 when the same memo was submitted before).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MemoReceipt {
    pub message_id: String,
    pub status: MemoStatus,
    /// When the message was accepted.
    pub accepted_at: chrono::DateTime<chrono::Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<chrono::NaiveDate>,
    /// The recipient system it goes to, for an organisation recipient with systems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_system_id: Option<String>,
    /// The platform mailbox it lies in, for a recipient without a recipient system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

/// Udgående / indgående.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Outgoing,
    Incoming,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outgoing => "outgoing",
            Direction::Incoming => "incoming",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        [Direction::Outgoing, Direction::Incoming]
            .into_iter()
            .find(|d| d.as_str() == s)
    }

    pub fn danish(self) -> &'static str {
        match self {
            Direction::Outgoing => "Udgående",
            Direction::Incoming => "Indgående",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            Direction::Outgoing => "Outgoing",
            Direction::Incoming => "Incoming",
        }
    }
}

/// The message log's events (LOG-01), outgoing and incoming. Stored by their snake_case id;
/// [`MessageEvent::danish`] is the name the guide and the log show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageEvent {
    // Outgoing
    Failed,
    Validated,
    Rejected,
    RejectedTechnical,
    TechnicalReceiptSent,
    BusinessReceiptSent,
    BusinessReceiptFailed,
    Recalled,
    HeldForValueDate,
    SentAfterValueDate,
    NemsmsFailed,
    LegallyServed,
    AvailableToRecipient,
    /// Every delivery attempt on the schedule failed (CORE-03). The guide's "Fejlet" is a bulk
    /// file that cannot be read, and it has no name for this: "Levering fejlet".
    DeliveryFailed,
    // Incoming
    Sent,
    SendingFailed,
    Collected,
    BusinessReceiptReceived,
    /// MV-03: moved out of the platform mailbox to a recipient system.
    Moved,
}

impl MessageEvent {
    pub const ALL: [MessageEvent; 19] = [
        MessageEvent::Failed,
        MessageEvent::Validated,
        MessageEvent::Rejected,
        MessageEvent::RejectedTechnical,
        MessageEvent::TechnicalReceiptSent,
        MessageEvent::BusinessReceiptSent,
        MessageEvent::BusinessReceiptFailed,
        MessageEvent::Recalled,
        MessageEvent::HeldForValueDate,
        MessageEvent::SentAfterValueDate,
        MessageEvent::NemsmsFailed,
        MessageEvent::LegallyServed,
        MessageEvent::AvailableToRecipient,
        MessageEvent::DeliveryFailed,
        MessageEvent::Sent,
        MessageEvent::SendingFailed,
        MessageEvent::Collected,
        MessageEvent::BusinessReceiptReceived,
        MessageEvent::Moved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageEvent::Failed => "failed",
            MessageEvent::Validated => "validated",
            MessageEvent::Rejected => "rejected",
            MessageEvent::RejectedTechnical => "rejected_technical",
            MessageEvent::TechnicalReceiptSent => "technical_receipt_sent",
            MessageEvent::BusinessReceiptSent => "business_receipt_sent",
            MessageEvent::BusinessReceiptFailed => "business_receipt_failed",
            MessageEvent::Recalled => "recalled",
            MessageEvent::HeldForValueDate => "held_for_value_date",
            MessageEvent::SentAfterValueDate => "sent_after_value_date",
            MessageEvent::NemsmsFailed => "nemsms_failed",
            MessageEvent::LegallyServed => "legally_served",
            MessageEvent::AvailableToRecipient => "available_to_recipient",
            MessageEvent::DeliveryFailed => "delivery_failed",
            MessageEvent::Sent => "sent",
            MessageEvent::SendingFailed => "sending_failed",
            MessageEvent::Collected => "collected",
            MessageEvent::BusinessReceiptReceived => "business_receipt_received",
            MessageEvent::Moved => "moved",
        }
    }

    pub fn parse(s: &str) -> Option<MessageEvent> {
        MessageEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The event's name exactly as LOG-01 (the guide's §7) writes it.
    pub fn danish(self) -> &'static str {
        match self {
            MessageEvent::Failed => "Fejlet",
            MessageEvent::Validated => "Valideret",
            MessageEvent::Rejected => "Afvist",
            MessageEvent::RejectedTechnical => "Afvist teknisk",
            MessageEvent::TechnicalReceiptSent => "Teknisk kvittering sendt",
            MessageEvent::BusinessReceiptSent => "Forretningskvittering sendt",
            MessageEvent::BusinessReceiptFailed => "Forretningskvittering fejlet",
            MessageEvent::Recalled => "Tilbagekaldt",
            MessageEvent::HeldForValueDate => "Valideret – sendes efter valør",
            MessageEvent::SentAfterValueDate => "Sendt til modtager efter valør",
            MessageEvent::NemsmsFailed => "NemSMS fejlet",
            MessageEvent::LegallyServed => "Forkyndt",
            MessageEvent::AvailableToRecipient => "Tilgængelig for modtageren",
            MessageEvent::DeliveryFailed => "Levering fejlet",
            MessageEvent::Sent => "Sendt",
            MessageEvent::SendingFailed => "Afsendelse fejlet",
            MessageEvent::Collected => "Afhentet",
            MessageEvent::BusinessReceiptReceived => "Forretningskvittering modtaget",
            MessageEvent::Moved => "Flyttet",
        }
    }

    /// The event's name in English (the SPA in English, issue 32 item 9).
    pub fn english(self) -> &'static str {
        match self {
            MessageEvent::Failed => "Failed",
            MessageEvent::Validated => "Validated",
            MessageEvent::Rejected => "Rejected",
            MessageEvent::RejectedTechnical => "Rejected (technical)",
            MessageEvent::TechnicalReceiptSent => "Technical receipt sent",
            MessageEvent::BusinessReceiptSent => "Business receipt sent",
            MessageEvent::BusinessReceiptFailed => "Business receipt failed",
            MessageEvent::Recalled => "Recalled",
            MessageEvent::HeldForValueDate => "Validated – sent on the value date",
            MessageEvent::SentAfterValueDate => "Sent to the recipient after the value date",
            MessageEvent::NemsmsFailed => "NemSMS failed",
            MessageEvent::LegallyServed => "Legally served",
            MessageEvent::AvailableToRecipient => "Available to the recipient",
            MessageEvent::DeliveryFailed => "Delivery failed",
            MessageEvent::Sent => "Sent",
            MessageEvent::SendingFailed => "Sending failed",
            MessageEvent::Collected => "Collected",
            MessageEvent::BusinessReceiptReceived => "Business receipt received",
            MessageEvent::Moved => "Moved",
        }
    }

    /// Which log direction the event belongs to (LOG-01 lists them apart).
    pub fn direction(self) -> Direction {
        match self {
            MessageEvent::Sent
            | MessageEvent::SendingFailed
            | MessageEvent::Collected
            | MessageEvent::BusinessReceiptReceived
            | MessageEvent::Moved => Direction::Incoming,
            _ => Direction::Outgoing,
        }
    }
}

/// One attempt to deliver to a system's endpoint (issue 14 item 7: shown on the system's page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAttempt {
    pub attempted_at: chrono::DateTime<chrono::Utc>,
    pub message_id: String,
    pub endpoint: String,
    /// The HTTP status the endpoint answered; absent on a network error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The network error, or the reason a status counted as failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub latency_ms: u32,
    pub succeeded: bool,
    /// When the next attempt is due; absent after success or the last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    /// A "Send testmeddelelse" push rather than a real message.
    pub test: bool,
}
