//! The actions log (LOG-02): its filters, its columns and its CSV.

use adgang_api_types::{words, ActionEvent, ActionLogEntry, ActionLogFilter, FieldCode, Subject};
use adgang_core::entity::actions_log::{Column, Entity, Model};
use adgang_core::{Cpr, Cvr, FieldErrors};
use adgang_documents::csv::CsvChunk;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use serde::{Deserialize, Serialize};

use super::period::Reach;
use super::{
    checked_search, csv_time, given, id_filter, known, Keyset, LogFilter, Party, Position, Search,
};
use crate::EventLogError;

/// The actions log's checked filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionFilter {
    pub subject: Option<Subject>,
    pub party: Option<Party>,
    pub actor: Option<ActorFilter>,
    pub object_id: Option<String>,
    pub event: Option<ActionEvent>,
}

/// LOG-02: an actor in one of its forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorFilter {
    /// `CVR:12345678-RID:12345678910`: exactly that employee of that organisation.
    EmployeeOf(String),
    /// A RID, CPR or CVR: every actor the number names — itself, an employee with that RID of
    /// any organisation, and (for 8 digits) any employee of that CVR.
    Number(String),
}

impl ActorFilter {
    /// LOG-02: "System" is not searchable by actor; anything but the four forms is refused.
    fn parse(raw: &str, errors: &mut FieldErrors) -> Option<ActorFilter> {
        let raw = raw.trim();
        let number_ok = |s: &str| {
            (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if let Some(rest) = raw.strip_prefix("CVR:") {
            if let Some((cvr, rid)) = rest.split_once("-RID:") {
                if Cvr::parse(cvr).is_ok() && number_ok(rid) {
                    return Some(ActorFilter::EmployeeOf(raw.to_owned()));
                }
            }
        } else if !raw.eq_ignore_ascii_case("system") && number_ok(raw) {
            return Some(ActorFilter::Number(raw.to_owned()));
        }
        errors.add(
            "actor",
            FieldCode::InvalidActor,
            "Give a RID, CPR, CVR or CVR:12345678-RID:12345678910 (automatic actions by \
             \"System\" cannot be searched by actor).",
        );
        None
    }

    /// A CPR or CVR number searched as the actor (LOG-03: a lookup like any other); a RID, or
    /// an employee written `CVR:…-RID:…`, names an employee, not a party.
    pub fn looked_up(&self) -> Option<(String, adgang_core::audit::Register)> {
        match self {
            ActorFilter::Number(n)
                if (n.len() == 10 && Cpr::parse(n).is_ok())
                    || (n.len() == 8 && Cvr::parse(n).is_ok()) =>
            {
                Some((n.clone(), adgang_core::audit::Register::EventLog))
            }
            _ => None,
        }
    }

    /// The actor's forms, each a condition one index answers. A number is looked for as the
    /// actor itself (a RID, CPR or CVR written alone) and as the RID or CVR part of
    /// `CVR:…-RID:…` — three lookups, merged by [`rows`]: SQLite answers an `OR` of the three
    /// by walking the organisation's whole period (1.7 s per page at 1,000,000 actions).
    fn forms(&self) -> Vec<Condition> {
        let not_system = || Condition::all().add(Column::ActorIsSystem.eq(false));
        match self {
            ActorFilter::EmployeeOf(exact) => {
                vec![not_system().add(Column::Actor.eq(exact.as_str()))]
            }
            ActorFilter::Number(n) => [Column::Actor, Column::ActorRid, Column::ActorCvr]
                .into_iter()
                .map(|column| not_system().add(column.eq(n.as_str())))
                .collect(),
        }
    }
}

const KEYSET: Keyset<Column> = Keyset {
    organisation: Column::OrganisationCvr,
    occurred_at: Column::OccurredAt,
    id: Column::Id,
};

/// LOG-02, LOG-04: checks the actions log's search form.
pub fn check(
    organisation: &str,
    form: &ActionLogFilter,
    now: DateTime<Utc>,
) -> Result<Search, EventLogError> {
    checked_search(
        organisation,
        form.from.as_deref(),
        form.to.as_deref(),
        now,
        Reach::LastThreeMonths,
        |errors| {
            let filter = ActionFilter {
                subject: known(
                    &form.subject,
                    "subject",
                    "Not a subject of the actions log.",
                    Subject::parse,
                    errors,
                ),
                party: given(&form.party).and_then(|v| Party::parse("party", &v, errors)),
                actor: given(&form.actor).and_then(|v| ActorFilter::parse(&v, errors)),
                object_id: id_filter("objectId", form.object_id.as_deref(), errors),
                event: known(
                    &form.event,
                    "event",
                    "Use created, edited or deleted.",
                    ActionEvent::parse,
                    errors,
                ),
            };
            LogFilter::Actions(filter)
        },
    )
}

/// The filter as conditions whose matches together are the result: one, or one per form of
/// the actor searched for.
fn conditions(filter: &ActionFilter) -> Vec<Condition> {
    let c = Condition::all()
        .add_option(filter.subject.map(|v| Column::Subject.eq(v.as_str())))
        .add_option(
            filter
                .party
                .as_ref()
                .map(|v| Column::PartyId.eq(v.as_str())),
        )
        .add_option(
            filter
                .object_id
                .as_ref()
                .map(|v| Column::ObjectId.eq(v.as_str())),
        )
        .add_option(filter.event.map(|v| Column::Event.eq(v.as_str())));
    match &filter.actor {
        Some(actor) => actor
            .forms()
            .into_iter()
            .map(|form| c.clone().add(form))
            .collect(),
        None => vec![c],
    }
}

/// The newest `limit` rows after `after` matching any of the conditions: each read by its own
/// keyset query, then merged (a row matched twice counts once).
pub(crate) async fn batch(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &ActionFilter,
    after: Option<&Position>,
    limit: u64,
) -> Result<Vec<Model>, EventLogError> {
    let mut all = Vec::new();
    for condition in conditions(filter) {
        all.extend(
            KEYSET
                .select::<Entity>(search, condition, after, limit)
                .all(db)
                .await?,
        );
    }
    all.sort_by(|a, b| (b.occurred_at, &b.id).cmp(&(a.occurred_at, &a.id)));
    all.dedup_by(|a, b| a.id == b.id);
    all.truncate(limit as usize);
    Ok(all)
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
    filter: &ActionFilter,
    after: Option<&Position>,
    page_size: u64,
) -> Result<(Vec<ActionLogEntry>, Option<Position>), EventLogError> {
    let rows = batch(db, search, filter, after, page_size + 1).await?;
    let (rows, next) = super::split_page(rows, page_size, position);
    Ok((rows.into_iter().map(entry).collect(), next))
}

pub(crate) async fn count(
    db: &impl ConnectionTrait,
    search: &Search,
    filter: &ActionFilter,
    cap: u64,
) -> Result<u64, EventLogError> {
    // Summed over the actor's forms: a row would count twice only if its RID were also its
    // organisation's CVR.
    let mut total = 0;
    for condition in conditions(filter) {
        total += KEYSET.count::<Entity>(db, search, condition, cap).await?;
    }
    Ok(total.min(cap))
}

fn entry(m: Model) -> ActionLogEntry {
    ActionLogEntry {
        subject: Subject::parse(&m.subject).unwrap_or(Subject::SystemConnection),
        party: m.party_id,
        object_id: m.object_id,
        actor: m.actor,
        on_behalf: m.on_behalf,
        occurred_at: m.occurred_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        event: ActionEvent::parse(&m.event).unwrap_or(ActionEvent::Edited),
        name: m.object_name,
        field: m.field,
        before: m.before,
        after: m.after,
        reason: m.reason,
        power_of_attorney: m.power_of_attorney,
        id: m.id,
    }
}

/// LOG-02's columns in Danish.
/// The page's columns, then the extra detail the guide's §7.4 promises the download ("yderligere
/// detaljer … som ikke vises direkte"): the row's id, the organisation, the actor's CVR and RID
/// apart, whether it was done on behalf, and the time in UTC.
const HEADINGS: [&str; 18] = [
    "Emne",
    "CPR/CVR",
    "ID",
    "Aktør",
    "Tidspunkt",
    "Hændelse",
    "Navn",
    "Felt",
    "Før",
    "Efter",
    "Begrundelse",
    "Fuldmagt",
    "Hændelses-ID",
    "Organisation (CVR)",
    "Aktørens CVR",
    "Aktørens RID",
    "På vegne af",
    "Tidspunkt (UTC)",
];

pub(crate) fn last(rows: &[Model]) -> Option<Position> {
    rows.last().map(position)
}

/// A stored before/after value as the CSV's reader says it (issue 32 item 6): a time in
/// Copenhagen time, an identifier in Danish words, anything else as stored.
fn said(field: &str, stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored) {
        Ok(at) => csv_time(at.with_timezone(&chrono::Utc)),
        Err(_) => words::value_text(field, stored, false),
    }
}

pub(crate) fn render(rows: &[Model], first: bool) -> Result<Vec<u8>, EventLogError> {
    let mut chunk = CsvChunk::new(first.then_some(&HEADINGS[..]))?;
    for m in rows {
        let s = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
        let field = m.field.as_deref().unwrap_or_default();
        let actor = if m.on_behalf {
            format!("{} (på vegne af)", m.actor)
        } else {
            m.actor.clone()
        };
        chunk.row([
            Subject::parse(&m.subject).map_or(m.subject.as_str(), |x| x.danish()),
            s(&m.party_id).as_str(),
            s(&m.object_id).as_str(),
            actor.as_str(),
            csv_time(m.occurred_at).as_str(),
            ActionEvent::parse(&m.event).map_or(m.event.as_str(), |e| e.danish()),
            s(&m.object_name).as_str(),
            words::field_text(field, false).as_str(),
            m.before
                .as_deref()
                .map(|v| said(field, v))
                .unwrap_or_default()
                .as_str(),
            m.after
                .as_deref()
                .map(|v| said(field, v))
                .unwrap_or_default()
                .as_str(),
            s(&m.reason).as_str(),
            m.power_of_attorney
                .map(adgang_documents::yes_no)
                .unwrap_or_default()
                .as_str(),
            m.id.as_str(),
            m.organisation_cvr.as_str(),
            s(&m.actor_cvr).as_str(),
            s(&m.actor_rid).as_str(),
            adgang_documents::yes_no(m.on_behalf).as_str(),
            m.occurred_at
                .to_rfc3339_opts(SecondsFormat::Millis, true)
                .as_str(),
        ])?;
    }
    Ok(chunk.take()?)
}
