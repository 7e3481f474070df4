//! The Digital Post core's rules: intake (CORE-01), routing (CORE-02), delivery with its retry
//! schedule (CORE-03), value dates (CORE-04) — every step in one transaction with its
//! message-log events and its next job (CORE-05).

pub mod attempts;
pub mod bulk;
pub mod dispatch;
pub mod intake;
pub mod move_mail;
pub mod notices;
pub mod pull;
pub mod recall;
pub mod receipts;
pub mod routing;
pub mod schedule;
pub mod served;
pub mod tallies;
pub mod writer;

use std::sync::Arc;

use adgang_core::ports::{
    ConnectedSystems, DeliveryPoints, ExemptionStatus, LegalNotificationSenders, Mailer,
    NemSmsNumbers, SmsGateway,
};
use adgang_registry::Registry;

/// A message id as it is kept (CORE-01): a UUID lower-case and hyphenated, however the caller
/// spelled it (upper case, without hyphens, in braces); anything else as given, trimmed — it
/// then matches nothing.
pub fn message_id_key(given: &str) -> String {
    let given = given.trim();
    uuid::Uuid::parse_str(given).map_or_else(|_| given.to_owned(), |id| id.hyphenated().to_string())
}

/// The ports the core asks, wired by the server.
#[derive(Clone)]
pub struct Ports {
    pub systems: Arc<dyn ConnectedSystems>,
    pub points: Arc<dyn DeliveryPoints>,
    pub exemptions: Arc<dyn ExemptionStatus>,
    pub nemsms: Arc<dyn NemSmsNumbers>,
    pub legal_notices: Arc<dyn LegalNotificationSenders>,
    pub registry: Arc<dyn Registry>,
    pub sms: Arc<dyn SmsGateway>,
    pub mailer: Arc<dyn Mailer>,
}

#[macro_export]
#[doc(hidden)]
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

wire_enum!(
    /// Where a message is on its way (`messages.state`).
    State {
        Held => "held",
        Delivering => "delivering",
        Queued => "queued",
        Delivered => "delivered",
        Collected => "collected",
        Available => "available",
        SmsSent => "sms_sent",
        Failed => "failed",
        Recalled => "recalled",
    }
);

wire_enum!(
    /// How a message reaches its recipient (`messages.route`); `pending` until a held message
    /// is released and routed with the settings of that day.
    Route {
        Pending => "pending",
        Platform => "platform",
        System => "system",
        Sms => "sms",
    }
);

wire_enum!(
    /// What a delivery job does (`delivery_jobs.kind`): `push` the message to its system
    /// (CORE-03), `notify` a PUBLISH/SUBSCRIBE system that it waits (CORE-03), `release` a
    /// held message on its value date (CORE-04), push a business `receipt` to the sender
    /// system's receipt endpoint (CORE-03).
    JobKind {
        Push => "push",
        Notify => "notify",
        Release => "release",
        Receipt => "receipt",
    }
);

impl State {
    /// The state as a sender sees it.
    pub fn status(self) -> adgang_api_types::MemoStatus {
        use adgang_api_types::MemoStatus as S;
        match self {
            State::Held => S::HeldForValueDate,
            State::Delivering | State::Queued => S::Delivering,
            State::Delivered | State::Collected => S::Delivered,
            State::Available => S::AvailableToRecipient,
            State::SmsSent => S::SentAsSms,
            State::Failed => S::Failed,
            State::Recalled => S::Recalled,
        }
    }
}
