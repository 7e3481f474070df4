//! The event log's rules. A request's filter is checked once into a [`Search`] — the log, the
//! organisation, the period as instants and the log's typed filter — and every way of reading
//! it (a page, a CSV stream, an export job) runs the same [`Search`] through the same keyset
//! query, so they can never disagree about which rows a search matches.

pub mod actions;
pub mod cursor;
pub mod exports;
pub mod messages;
pub mod period;
pub mod searches;

use adgang_api_types::{EventLogKind, FieldCode};
use adgang_core::audit::{Register, SearchRecord};
use adgang_core::ports::MailAccessHolders;
use adgang_core::SearchLog;
use adgang_core::{Cpr, Cvr, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};
use serde::{Deserialize, Serialize};

pub use cursor::Position;
pub use period::Period;

use crate::EventLogError;

pub const DEFAULT_PAGE_SIZE: u64 = 50;
pub const MAX_PAGE_SIZE: u64 = 500;
/// Rows fetched per query when streaming or exporting: large enough to amortise a query, small
/// enough that memory stays flat.
pub const BATCH: u64 = 5_000;

/// A checked search of one log in one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Search {
    pub organisation: String,
    pub period: Period,
    pub filter: LogFilter,
}

/// The log searched, with its checked filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "log", rename_all = "snake_case")]
pub enum LogFilter {
    Messages(messages::MessageFilter),
    Actions(actions::ActionFilter),
    Searches(searches::SearchFilter),
}

impl Search {
    pub fn kind(&self) -> EventLogKind {
        match self.filter {
            LogFilter::Messages(_) => EventLogKind::Messages,
            LogFilter::Actions(_) => EventLogKind::Actions,
            LogFilter::Searches(_) => EventLogKind::Searches,
        }
    }

    /// The CPR and CVR numbers the search names — each lookup the searches log must record
    /// (LOG-03).
    pub fn looked_up(&self) -> Vec<(String, Register)> {
        match &self.filter {
            LogFilter::Messages(f) => [&f.sender, &f.recipient]
                .into_iter()
                .flatten()
                .map(|p| p.looked_up())
                .collect(),
            // A CPR or CVR typed as the actor is a lookup too (issue 33 item 5).
            LogFilter::Actions(f) => f
                .party
                .iter()
                .map(|p| p.looked_up())
                .chain(f.actor.as_ref().and_then(actions::ActorFilter::looked_up))
                .collect(),
            LogFilter::Searches(f) => f.search_data.iter().map(|p| p.looked_up()).collect(),
        }
    }
}

/// A CPR or a CVR number, checked (the filters "CPR/CVR").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Party {
    Cpr(String),
    Cvr(String),
}

impl Party {
    /// 10 digits (a dash after the sixth allowed) are a CPR number, 8 a CVR number; the field
    /// error names which check failed.
    pub fn parse(field: &str, raw: &str, errors: &mut FieldErrors) -> Option<Party> {
        let digits = raw.trim().replace('-', "");
        if digits.len() == 8 {
            match Cvr::parse(raw.trim()) {
                Ok(cvr) => return Some(Party::Cvr(cvr.to_string())),
                Err(e) => errors.add(field, e.code(), e.message()),
            }
        } else if digits.len() == 10 {
            match Cpr::parse(raw) {
                Ok(cpr) => return Some(Party::Cpr(cpr.as_str().to_owned())),
                Err(e) => errors.add(field, e.code(), e.message()),
            }
        } else {
            errors.add(
                field,
                FieldCode::CprOrCvr,
                "Give a CPR number (10 digits) or a CVR number (8 digits).",
            );
        }
        None
    }

    pub fn as_str(&self) -> &str {
        match self {
            Party::Cpr(n) | Party::Cvr(n) => n,
        }
    }

    /// LOG-03: a log search by a CPR or CVR fetches from the event log.
    fn looked_up(&self) -> (String, Register) {
        (self.as_str().to_owned(), Register::EventLog)
    }
}

/// LOG-04: a log's search form checked as a whole, every problem a field error: the period
/// (`from`, `to`; how far back it may `reach`) first, then the log's own `filter`.
fn checked_search(
    organisation: &str,
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
    reach: period::Reach,
    filter: impl FnOnce(&mut FieldErrors) -> LogFilter,
) -> Result<Search, EventLogError> {
    let mut errors = FieldErrors::new();
    let period = period::check(from, to, now, reach, &mut errors);
    let filter = filter(&mut errors);
    errors.into_result()?;
    Ok(Search {
        organisation: organisation.to_owned(),
        period: period.ok_or_else(|| anyhow::anyhow!("period checked without errors"))?,
        filter,
    })
}

/// A filter value that must be one of a closed set (`parse`), or an `unknown` field error
/// naming the set (`choices`).
fn known<T>(
    value: &Option<String>,
    field: &str,
    choices: &str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut FieldErrors,
) -> Option<T> {
    let value = given(value)?;
    let parsed = parse(&value);
    if parsed.is_none() {
        errors.add(field, FieldCode::Unknown, choices);
    }
    parsed
}

/// A filter's value as given: trimmed, and none when empty.
fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A free-text id filter (message id, system id, object id): trimmed, at most 64 characters.
fn id_filter(field: &str, raw: Option<&str>, errors: &mut FieldErrors) -> Option<String> {
    let value = raw.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > 64 {
        errors.add(field, FieldCode::TooLong, "At most 64 characters.");
        return None;
    }
    Some(value.to_owned())
}

/// Checks `?pageSize=` (LOG-06: a cap, so no page is a table scan).
pub fn page_size(raw: Option<&str>) -> Result<u64, EventLogError> {
    let Some(raw) = raw.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    match raw.parse::<u64>() {
        Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
        _ => {
            let mut errors = FieldErrors::new();
            errors.add(
                "pageSize",
                FieldCode::PageSizeRange,
                format!("pageSize must be between 1 and {MAX_PAGE_SIZE}."),
            );
            Err(EventLogError::Validation(errors))
        }
    }
}

/// The columns a keyset page walks: organisation, time and id (the indexes end in them).
pub(crate) struct Keyset<C> {
    pub organisation: C,
    pub occurred_at: C,
    pub id: C,
}

impl<C: ColumnTrait> Keyset<C> {
    /// The search's window: its organisation and period, and older than `after` (newest
    /// first; ties on time broken by id). After a cursor the upper bound on `occurred_at` is the
    /// cursor's time *instead of* the period's end: SQLite ranges an index by one upper bound
    /// only, and with both it took the period's end and walked every newer row up to the
    /// cursor (1 s at 100,000 rows deep; `cargo xtask bench eventlog`).
    pub fn window(&self, search: &Search, after: Option<&Position>) -> Condition {
        let mut window = Condition::all()
            .add(self.organisation.eq(search.organisation.as_str()))
            .add(self.occurred_at.gte(search.period.start));
        match after {
            Some(after) if after.at < search.period.end => {
                window = window.add(self.occurred_at.lte(after.at)).add(
                    Condition::any()
                        .add(self.occurred_at.lt(after.at))
                        .add(self.id.lt(after.id.as_str())),
                );
            }
            // A cursor past the period's end (hand-made) starts at the end.
            _ => window = window.add(self.occurred_at.lt(search.period.end)),
        }
        window
    }

    /// The search's rows after `after`, newest first, at most `limit`.
    pub fn select<E: EntityTrait<Column = C>>(
        &self,
        search: &Search,
        filter: Condition,
        after: Option<&Position>,
        limit: u64,
    ) -> Select<E> {
        E::find()
            .filter(self.window(search, after))
            .filter(filter)
            .order_by_desc(self.occurred_at)
            .order_by_desc(self.id)
            .limit(limit)
    }

    /// The search's rows after `after`, newest first, at most `limit` — each row one JSON
    /// array of `columns` that the database builds (`json_array` / `json_build_array`). For
    /// pages (LOG-01) and CSV: a row crosses from the database as one text value instead
    /// of a value per column, which on SQLite was most of a download's time — every value
    /// copied on sqlx's thread and freed on ours (`perf`, docs/performance.md, issue 15).
    pub async fn json_rows<E: EntityTrait<Column = C>>(
        &self,
        db: &impl ConnectionTrait,
        search: &Search,
        filter: Condition,
        after: Option<&Position>,
        limit: u64,
        columns: &[C],
    ) -> Result<Vec<String>, EventLogError> {
        let values = columns.iter().map(|c| SimpleExpr::from(Expr::col(*c)));
        let row = match db.get_database_backend() {
            DbBackend::Postgres => {
                Expr::expr(Func::cust(Alias::new("json_build_array")).args(values))
                    .cast_as(Alias::new("text"))
            }
            _ => Func::cust(Alias::new("json_array")).args(values).into(),
        };
        Ok(self
            .select::<E>(search, filter, after, limit)
            .select_only()
            .expr_as(row, "row")
            .into_tuple::<String>()
            .all(db)
            .await?)
    }

    /// How many rows the search matches, counting no further than `cap`.
    pub async fn count<E: EntityTrait<Column = C>>(
        &self,
        db: &impl ConnectionTrait,
        search: &Search,
        filter: Condition,
        cap: u64,
    ) -> Result<u64, EventLogError> {
        let inner = E::find()
            .select_only()
            .column(self.id)
            .filter(self.window(search, None))
            .filter(filter)
            .limit(cap)
            .into_query();
        let outer = SelectStatement::new()
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from_subquery(inner, Alias::new("matched"))
            .to_owned();
        let row = db
            .query_one(db.get_database_backend().build(&outer))
            .await?
            .ok_or_else(|| anyhow::anyhow!("COUNT returned no row"))?;
        let n: i64 = row.try_get("", "n")?;
        Ok(n.max(0) as u64)
    }
}

/// How many rows `search` matches, counting no further than `cap`.
pub async fn count(
    db: &impl ConnectionTrait,
    search: &Search,
    cap: u64,
) -> Result<u64, EventLogError> {
    match &search.filter {
        LogFilter::Messages(f) => messages::count(db, search, f, cap).await,
        LogFilter::Actions(f) => actions::count(db, search, f, cap).await,
        LogFilter::Searches(f) => searches::count(db, search, f, cap).await,
    }
}

/// One batch of a search's rows for CSV, as read — rendering is a separate step, so
/// a stream can render one batch while the database reads the next.
pub enum Batch {
    /// JSON rows ([`Keyset::json_rows`]), parsed as they render.
    Messages(Vec<String>, Vec<adgang_core::ports::AccessSpan>),
    Actions(Vec<adgang_core::entity::actions_log::Model>),
    Searches(Vec<adgang_core::entity::searches_log::Model>),
}

impl Batch {
    pub fn len(&self) -> u64 {
        match self {
            Batch::Messages(rows, _) => rows.len() as u64,
            Batch::Actions(rows) => rows.len() as u64,
            Batch::Searches(rows) => rows.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the next batch starts.
    pub fn last(&self) -> Result<Option<Position>, EventLogError> {
        Ok(match self {
            Batch::Messages(rows, _) => messages::last(rows)?,
            Batch::Actions(rows) => actions::last(rows),
            Batch::Searches(rows) => searches::last(rows),
        })
    }

    /// The rows as CSV; with the BOM and the headings when `first`.
    pub fn render(&self, first: bool) -> Result<Vec<u8>, EventLogError> {
        match self {
            Batch::Messages(rows, spans) => messages::render(rows, spans, first),
            Batch::Actions(rows) => actions::render(rows, first),
            Batch::Searches(rows) => searches::render(rows, first),
        }
    }
}

/// The next `limit` rows of `search` after `after` (a message log's with the mail-access
/// spans its CSV columns need, read through `holders`).
pub async fn batch(
    db: &impl ConnectionTrait,
    holders: &dyn MailAccessHolders,
    search: &Search,
    after: Option<&Position>,
    limit: u64,
) -> Result<Batch, EventLogError> {
    Ok(match &search.filter {
        LogFilter::Messages(f) => {
            let rows = messages::batch(db, search, f, after, limit).await?;
            let spans = messages::access_spans(db, holders, &rows).await?;
            Batch::Messages(rows, spans)
        }
        LogFilter::Actions(f) => Batch::Actions(actions::batch(db, search, f, after, limit).await?),
        LogFilter::Searches(f) => {
            Batch::Searches(searches::batch(db, search, f, after, limit).await?)
        }
    })
}

/// One batch of CSV rows after `after`, with the headings and BOM when `first`. Returns
/// the bytes, the position of the last row and how many rows there were.
pub async fn csv_batch(
    db: &impl ConnectionTrait,
    holders: &dyn MailAccessHolders,
    search: &Search,
    after: Option<&Position>,
    first: bool,
    limit: u64,
) -> Result<(Vec<u8>, Option<Position>, u64), EventLogError> {
    let rows = batch(db, holders, search, after, limit).await?;
    Ok((rows.render(first)?, rows.last()?, rows.len()))
}

/// LOG-03: a log search by CPR or CVR is itself a lookup — one searches-log row per number
/// searched for, with the number of rows the search matches: `matched` when the caller has
/// counted them already, else counted on `read`; written through the group-committing searches log.
pub async fn record_lookups(
    read: &impl ConnectionTrait,
    log: &SearchLog,
    search: &Search,
    matched: Option<u64>,
    actor_rid: &str,
    at: DateTime<Utc>,
) -> Result<(), EventLogError> {
    let looked_up = search.looked_up();
    if looked_up.is_empty() {
        return Ok(());
    }
    let matched = match matched {
        Some(n) => n,
        None => count(read, search, u64::from(u32::MAX)).await?,
    };
    let organisation =
        Cvr::parse(&search.organisation).map_err(|_| anyhow::anyhow!("organisation CVR"))?;
    for (number, register) in looked_up {
        let record = SearchRecord {
            organisation: organisation.clone(),
            actor_rid: actor_rid.to_owned(),
            search_data: number,
            register,
            result_count: u32::try_from(matched).unwrap_or(u32::MAX),
        };
        log.record(at, record).await?;
    }
    Ok(())
}

/// A time as the CSV files write it: Copenhagen wall clock, `2026-12-02 14:05:09` (Excel reads
/// it as a date and time).
pub(crate) fn csv_time(at: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Written by hand: chrono's `format` parses its pattern again for every cell, which was a
    // tenth of the CSV rendering's time.
    let local = adgang_core::time::copenhagen(at);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// A JSON row's time as the database stored it: RFC 3339 (SQLite's text as sqlx wrote it,
/// PostgreSQL's `timestamptz` in JSON).
pub(crate) fn stored_instant<'de, D: serde::Deserializer<'de>>(
    field: D,
) -> Result<DateTime<Utc>, D::Error> {
    let raw = <std::borrow::Cow<'de, str>>::deserialize(field)?;
    DateTime::parse_from_rfc3339(&raw)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|e| serde::de::Error::custom(format!("a stored time {raw:?}: {e}")))
}

/// A page's rows and where the next page starts: one more row than asked for is fetched, so
/// the last page says so without a second query.
pub(crate) fn split_page<M>(
    mut rows: Vec<M>,
    page_size: u64,
    position: impl Fn(&M) -> Position,
) -> (Vec<M>, Option<Position>) {
    if rows.len() as u64 > page_size {
        rows.truncate(page_size as usize);
        let next = rows.last().map(position);
        (rows, next)
    } else {
        (rows, None)
    }
}
