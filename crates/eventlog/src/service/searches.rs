//! The searches log (LOG-03): its filters, its columns and its CSV.

use adgang_api_types::{FieldCode, SearchLogEntry, SearchLogFilter};
use adgang_core::entity::searches_log::{Column, Entity, Model};
use adgang_documents::csv::CsvChunk;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use serde::{Deserialize, Serialize};

use super::period::Reach;
use super::{checked_search, csv_time, given, Keyset, LogFilter, Party, Position, Search};
use crate::EventLogError;

/// The searches log's checked filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilter {
    pub rid: Option<String>,
    pub search_data: Option<Party>,
}

const KEYSET: Keyset<Column> = Keyset {
    organisation: Column::OrganisationCvr,
    occurred_at: Column::OccurredAt,
    id: Column::Id,
};

/// LOG-03, LOG-04: checks the searches log's search form.
pub fn check(
    organisation: &str,
    form: &SearchLogFilter,
    now: DateTime<Utc>,
) -> Result<Search, EventLogError> {
    checked_search(
        organisation,
        form.from.as_deref(),
        form.to.as_deref(),
        now,
        Reach::LastThreeMonths,
        |errors| {
            let rid = given(&form.rid).and_then(|rid| {
                let ok =
                    rid.len() <= 64 && rid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !ok {
                    errors.add("rid", FieldCode::Invalid, "A RID is digits (or a UUID).");
                }
                ok.then(|| rid.to_owned())
            });
            let search_data =
                given(&form.search_data).and_then(|v| Party::parse("searchData", &v, errors));
            LogFilter::Searches(SearchFilter { rid, search_data })
        },
    )
}

fn condition(filter: &SearchFilter) -> Condition {
    Condition::all()
        .add_option(filter.rid.as_ref().map(|v| Column::ActorRid.eq(v.as_str())))
        .add_option(
            filter
                .search_data
                .as_ref()
                .map(|v| Column::SearchData.eq(v.as_str())),
        )
}

fn position(m: &Model) -> Position {
    Position {
        at: m.occurred_at,
        id: m.id.clone(),
    }
}

pub async fn page(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &SearchFilter,
    after: Option<&Position>,
    page_size: u64,
) -> Result<(Vec<SearchLogEntry>, Option<Position>), EventLogError> {
    let rows = batch(db, search, filter, after, page_size + 1).await?;
    let (rows, next) = super::split_page(rows, page_size, position);
    Ok((rows.into_iter().map(entry).collect(), next))
}

pub(crate) async fn count(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &SearchFilter,
    cap: u64,
) -> Result<u64, EventLogError> {
    KEYSET
        .count::<Entity>(db, search, condition(filter), cap)
        .await
}

fn entry(m: Model) -> SearchLogEntry {
    SearchLogEntry {
        search_data: m.search_data,
        actor_rid: m.actor_rid,
        register: m.register,
        result_count: m.result_count.max(0) as u64,
        occurred_at: m.occurred_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        id: m.id,
    }
}

/// LOG-03's columns in Danish.
/// The page's columns, then the extra detail the guide's §7.5 promises the download: the row's
/// id, the organisation, the register's stable id, what kind of number was searched, and the
/// time in UTC.
const HEADINGS: [&str; 10] = [
    "Søgedata",
    "Medarbejder (RID)",
    "Register",
    "Antal resultater",
    "Tidspunkt",
    "Hændelses-ID",
    "Organisation (CVR)",
    "Register-ID",
    "Søgt på",
    "Tidspunkt (UTC)",
];

pub(crate) async fn batch(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &SearchFilter,
    after: Option<&Position>,
    limit: u64,
) -> Result<Vec<Model>, EventLogError> {
    Ok(KEYSET
        .select::<Entity>(search, condition(filter), after, limit)
        .all(db)
        .await?)
}

pub(crate) fn last(rows: &[Model]) -> Option<Position> {
    rows.last().map(position)
}

pub(crate) fn render(rows: &[Model], first: bool) -> Result<Vec<u8>, EventLogError> {
    let mut chunk = CsvChunk::new(first.then_some(&HEADINGS[..]))?;
    for m in rows {
        let register =
            adgang_api_types::words::register(&m.register).map_or(m.register.as_str(), |w| w.da);
        let kind = match m.search_data.len() {
            10 => "CPR-nummer",
            8 => "CVR-nummer",
            _ => "",
        };
        chunk.row([
            m.search_data.as_str(),
            m.actor_rid.as_str(),
            register,
            m.result_count.to_string().as_str(),
            csv_time(m.occurred_at).as_str(),
            m.id.as_str(),
            m.organisation_cvr.as_str(),
            m.register.as_str(),
            kind,
            m.occurred_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                .as_str(),
        ])?;
    }
    Ok(chunk.take()?)
}
