//! The message log (LOG-01): its filters, its columns and its CSV.

use adgang_api_types::{Direction, MessageEvent, MessageLogEntry, MessageLogFilter, MessageType};
use adgang_core::entity::message_events::{Column, Entity};
use adgang_core::ports::{AccessSpan, MailAccessHolders};
use adgang_documents::csv::CsvChunk;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use super::period::Reach;
use super::{
    checked_search, csv_time, given, id_filter, known, Keyset, LogFilter, Party, Position, Search,
};
use crate::EventLogError;

/// The message log's checked filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFilter {
    pub sender: Option<Party>,
    pub recipient: Option<Party>,
    pub message_type: Option<MessageType>,
    pub direction: Option<Direction>,
    pub message_id: Option<String>,
    pub system_id: Option<String>,
    pub event: Option<MessageEvent>,
}

const KEYSET: Keyset<Column> = Keyset {
    organisation: Column::OrganisationCvr,
    occurred_at: Column::OccurredAt,
    id: Column::Id,
};

/// LOG-01, LOG-04: checks the message log's search form; every problem is a field error.
pub fn check(
    organisation: &str,
    form: &MessageLogFilter,
    now: DateTime<Utc>,
) -> Result<Search, EventLogError> {
    checked_search(
        organisation,
        form.from.as_deref(),
        form.to.as_deref(),
        now,
        Reach::Any,
        |errors| {
            let filter = MessageFilter {
                sender: given(&form.sender).and_then(|v| Party::parse("sender", &v, errors)),
                recipient: given(&form.recipient)
                    .and_then(|v| Party::parse("recipient", &v, errors)),
                message_type: known(
                    &form.message_type,
                    "messageType",
                    "Use letter, legal_notice, nemsms or mandatory.",
                    MessageType::parse,
                    errors,
                ),
                direction: known(
                    &form.direction,
                    "direction",
                    "Use outgoing or incoming.",
                    Direction::parse,
                    errors,
                ),
                message_id: id_filter("messageId", form.message_id.as_deref(), errors),
                system_id: id_filter("systemId", form.system_id.as_deref(), errors),
                event: known(
                    &form.event,
                    "event",
                    "Not an event of the message log.",
                    MessageEvent::parse,
                    errors,
                ),
            };
            LogFilter::Messages(filter)
        },
    )
}

fn condition(filter: &MessageFilter) -> Condition {
    Condition::all()
        .add_option(
            filter
                .sender
                .as_ref()
                .map(|v| Column::SenderId.eq(v.as_str())),
        )
        .add_option(
            filter
                .recipient
                .as_ref()
                .map(|v| Column::RecipientId.eq(v.as_str())),
        )
        .add_option(
            filter
                .message_type
                .map(|v| Column::MessageType.eq(v.as_str())),
        )
        .add_option(filter.direction.map(|v| Column::Direction.eq(v.as_str())))
        .add_option(
            filter
                .message_id
                .as_ref()
                .map(|v| Column::MessageId.eq(v.as_str())),
        )
        .add_option(
            filter
                .system_id
                .as_ref()
                .map(|v| Column::SystemId.eq(v.as_str())),
        )
        .add_option(filter.event.map(|v| Column::Event.eq(v.as_str())))
}

/// One page, newest first, and where the next starts.
pub async fn page(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &MessageFilter,
    after: Option<&Position>,
    page_size: u64,
) -> Result<(Vec<MessageLogEntry>, Option<Position>), EventLogError> {
    let texts = batch(db, search, filter, after, page_size + 1).await?;
    let rows = texts
        .iter()
        .map(|text| Row::parse(text))
        .collect::<Result<Vec<_>, _>>()?;
    let (rows, next) = super::split_page(rows, page_size, Row::position);
    Ok((rows.into_iter().map(Row::entry).collect(), next))
}

pub(crate) async fn count(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &MessageFilter,
    cap: u64,
) -> Result<u64, EventLogError> {
    KEYSET
        .count::<Entity>(db, search, condition(filter), cap)
        .await
}

/// LOG-01's columns in Danish, plus the two the CSV adds.
const HEADINGS: [&str; 17] = [
    "Titel",
    "Type",
    "Afsender",
    "Modtager",
    "Retning",
    "Tidspunkt",
    "Hændelse",
    "Meddelelses-ID",
    "System-ID",
    "Valørdato",
    "Kontaktpunkt",
    "Endpoint",
    "Fejlbesked",
    "Antal bilag",
    "ContentresponsibleID",
    "RepresentativeID",
    "Leverandør (CVR)",
];

pub(crate) fn type_danish(t: &str) -> &str {
    match MessageType::parse(t) {
        Some(known) => known.danish(),
        None => t,
    }
}

/// The columns a [`Row`] reads, in its order.
const COLUMNS: [Column; 16] = [
    Column::Id,
    Column::OccurredAt,
    Column::Title,
    Column::MessageType,
    Column::SenderId,
    Column::RecipientId,
    Column::Direction,
    Column::Event,
    Column::MessageId,
    Column::SystemId,
    Column::ValueDate,
    Column::ContactPointId,
    Column::Endpoint,
    Column::ErrorMessage,
    Column::AttachmentCount,
    Column::VendorCvr,
];

/// The search's rows after `after`, newest first, each the JSON array of [`COLUMNS`] the
/// database builds ([`Keyset::json_rows`]): pages and CSV read the same rows the same way.
pub(crate) async fn batch(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &MessageFilter,
    after: Option<&Position>,
    limit: u64,
) -> Result<Vec<String>, EventLogError> {
    KEYSET
        .json_rows::<Entity>(db, search, condition(filter), after, limit, &COLUMNS)
        .await
}

/// One event as read: text borrowed from its JSON row wherever JSON did not escape it.
#[derive(Deserialize)]
struct Row<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(deserialize_with = "super::stored_instant")]
    occurred_at: DateTime<Utc>,
    #[serde(borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow)]
    message_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    sender_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    recipient_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    direction: Cow<'a, str>,
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(borrow)]
    message_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    system_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    value_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    contact_point_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    endpoint: Option<Cow<'a, str>>,
    #[serde(borrow)]
    error_message: Option<Cow<'a, str>>,
    attachment_count: Option<i64>,
    #[serde(borrow)]
    vendor_cvr: Option<Cow<'a, str>>,
}

impl<'a> Row<'a> {
    fn parse(text: &'a str) -> Result<Row<'a>, EventLogError> {
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("a message-event row: {e}").into())
    }

    fn position(&self) -> Position {
        Position {
            at: self.occurred_at,
            id: self.id.clone().into_owned(),
        }
    }

    fn entry(self) -> MessageLogEntry {
        let owned = |v: Option<Cow<'_, str>>| v.map(Cow::into_owned);
        MessageLogEntry {
            title: owned(self.title),
            message_type: self.message_type.as_deref().and_then(MessageType::parse),
            sender: owned(self.sender_id),
            recipient: owned(self.recipient_id),
            direction: Direction::parse(&self.direction).unwrap_or(Direction::Outgoing),
            occurred_at: self
                .occurred_at
                .to_rfc3339_opts(SecondsFormat::Millis, true),
            event: MessageEvent::parse(&self.event).unwrap_or(MessageEvent::Failed),
            message_id: owned(self.message_id),
            system_id: owned(self.system_id),
            value_date: owned(self.value_date),
            contact_point_id: owned(self.contact_point_id),
            endpoint: owned(self.endpoint),
            error_message: owned(self.error_message),
            attachment_count: self
                .attachment_count
                .map(|n| n.clamp(0, i64::from(u32::MAX)) as u32),
            id: self.id.into_owned(),
        }
    }
}

pub(crate) fn last(rows: &[String]) -> Result<Option<Position>, EventLogError> {
    rows.last()
        .map(|text| Row::parse(text).map(|row| row.position()))
        .transpose()
}

/// An optional cell's text, empty when absent.
fn text<'r>(cell: &'r Option<Cow<'_, str>>) -> &'r str {
    cell.as_deref().unwrap_or("")
}

/// The spans of read-and-write access to the mail of the batch's recipients (LOG-01
/// ContentresponsibleID/RepresentativeID), one query per batch.
pub(crate) async fn access_spans(
    db: &impl ConnectionTrait,
    holders: &dyn MailAccessHolders,
    rows: &[String],
) -> Result<Vec<AccessSpan>, EventLogError> {
    let mut givers = std::collections::BTreeSet::new();
    for row in rows {
        // Givers are citizens: the recipients that are CPR numbers.
        if let Some(recipient) = Row::parse(row)?.recipient_id {
            if let Some(adgang_core::Party::Citizen(cpr)) = adgang_core::Party::parse(&recipient) {
                givers.insert(cpr);
            }
        }
    }
    let givers: Vec<adgang_core::Cpr> = givers.into_iter().collect();
    Ok(holders.read_write_spans(db, &givers).await?)
}

/// The guide's §7.3: ContentresponsibleID holds the read-and-write holder(s) of the recipient's
/// mail for events before 3 March 2025, RepresentativeID for events from then on.
fn holder_columns(spans: &[AccessSpan], recipient: Option<&str>, at: DateTime<Utc>) -> [String; 2] {
    let Some(recipient) = recipient else {
        return Default::default();
    };
    let holders = spans
        .iter()
        .filter(|s| s.giver == recipient && s.covers(at))
        .map(|s| s.holder.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if at < representative_from() {
        [holders, String::new()]
    } else {
        [String::new(), holders]
    }
}

/// 3 March 2025, 00:00 in Copenhagen.
fn representative_from() -> DateTime<Utc> {
    use chrono::TimeZone;
    chrono_tz::Europe::Copenhagen
        .with_ymd_and_hms(2025, 3, 3, 0, 0, 0)
        .single()
        .expect("a plain midnight")
        .with_timezone(&Utc)
}

pub(crate) fn render(
    rows: &[String],
    spans: &[AccessSpan],
    first: bool,
) -> Result<Vec<u8>, EventLogError> {
    let mut chunk = CsvChunk::new(first.then_some(&HEADINGS[..]))?;
    for row in rows {
        let m = Row::parse(row)?;
        let [content_responsible, representative] =
            holder_columns(spans, m.recipient_id.as_deref(), m.occurred_at);
        let direction = match m.direction.as_ref() {
            "incoming" => "Indgående",
            _ => "Udgående",
        };
        let event = MessageEvent::parse(&m.event).map_or(m.event.as_ref(), |e| e.danish());
        let attachments = m
            .attachment_count
            .map(|n| n.to_string())
            .unwrap_or_default();
        chunk.row([
            text(&m.title),
            m.message_type.as_deref().map(type_danish).unwrap_or(""),
            text(&m.sender_id),
            text(&m.recipient_id),
            direction,
            csv_time(m.occurred_at).as_str(),
            event,
            text(&m.message_id),
            text(&m.system_id),
            text(&m.value_date),
            text(&m.contact_point_id),
            text(&m.endpoint),
            text(&m.error_message),
            attachments.as_str(),
            content_responsible.as_str(),
            representative.as_str(),
            text(&m.vendor_cvr),
        ])?;
    }
    Ok(chunk.take()?)
}
