//! Statistics' rules (SPEC §11): ordering subscriptions (ST-02) and custom reports (ST-04),
//! the overview and details (ST-05), cancelling (ST-03) and the download. The scheduler's side
//! is in [`rollup`] (daily counts), [`production`] (versions) and [`expiry`] (the 7 days).

pub mod expiry;
pub mod production;
pub mod rollup;
pub mod schedule;

use adgang_api_types::{
    ActionEvent, ConflictReason, FieldCode, NewCustomReport, NewSubscription, ReportInterval,
    ReportKind, ReportPeriod, ReportState, ReportVariable, StandardReport, StatisticsReport,
    Subject, SubscriptionChange,
};
use adgang_core::audit::{record_action, ActionRecord, FieldChange};
use adgang_core::time::copenhagen;
use adgang_core::{Acting, Email, FieldErrors};
use chrono::{Duration, Months};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, SqlErr,
};

use crate::entity::{report, report_file};
use crate::StatisticsError;

/// ST-04: a custom report can be downloaded for 7 days, then it is deleted.
pub const CUSTOM_REPORT_LIFETIME_DAYS: i64 = 7;
/// The overview lists at most this many reports (subscriptions are at most 20 per
/// organisation; custom reports live 7 days).
const OVERVIEW_LIMIT: u64 = 500;

pub(crate) fn wire<T: Copy>(value: &str, parse: fn(&str) -> Option<T>) -> anyhow::Result<T> {
    parse(value).ok_or_else(|| anyhow::anyhow!("unknown stored value {value:?}"))
}

pub(crate) fn state_of(row: &report::Model) -> anyhow::Result<ReportState> {
    Ok(match row.state.as_str() {
        "ordered" => ReportState::Ordered,
        "ready" => ReportState::Ready,
        "cancelled" => ReportState::Cancelled,
        "deleted" => ReportState::Deleted,
        other => anyhow::bail!("unknown report state {other:?}"),
    })
}

pub(crate) fn state_str(state: ReportState) -> &'static str {
    match state {
        ReportState::Ordered => "ordered",
        ReportState::Ready => "ready",
        ReportState::Cancelled => "cancelled",
        ReportState::Deleted => "deleted",
    }
}

pub(crate) fn variables_of(row: &report::Model) -> anyhow::Result<Vec<ReportVariable>> {
    row.variables
        .split(',')
        .map(|v| wire(v, ReportVariable::parse))
        .collect()
}

fn variables_str(variables: &[ReportVariable]) -> String {
    variables
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The API's view of a stored report.
pub fn view(row: &report::Model) -> anyhow::Result<StatisticsReport> {
    let kind = if row.kind == "standard" {
        ReportKind::Standard
    } else {
        ReportKind::Custom
    };
    let state = state_of(row)?;
    Ok(StatisticsReport {
        id: row.id.clone(),
        kind,
        standard_report: row
            .standard_report
            .as_deref()
            .map(|r| wire(r, StandardReport::parse))
            .transpose()?,
        name: row.name.clone(),
        variables: variables_of(row)?,
        interval: row
            .interval
            .as_deref()
            .map(|i| wire(i, ReportInterval::parse))
            .transpose()?,
        period: row
            .period_from
            .zip(row.period_to)
            .map(|(from, to)| ReportPeriod { from, to }),
        state,
        notify_email: row.notify_email.clone(),
        ordered_at: row.ordered_at,
        produced_at: row.produced_at,
        size_bytes: row.size_bytes.map(|s| s.max(0) as u64),
        rows: row.rows.map(|r| r.max(0) as u64),
        next_production_at: row.due_at.filter(|_| kind == ReportKind::Standard),
        expires_at: row.expires_at,
    })
}

fn email(errors: &mut FieldErrors, value: Option<&str>) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match Email::parse(value) {
        Ok(email) => Some(email.into_inner()),
        Err(code) => {
            errors.add("notifyEmail", code, "Not an e-mail address.");
            None
        }
    }
}

/// Writes `event` on the report `row`, with its `changes`, to the actions log as `acting`.
async fn record(
    db: &impl ConnectionTrait,
    acting: &Acting,
    row: &report::Model,
    event: ActionEvent,
    changes: Vec<FieldChange>,
) -> Result<(), sea_orm::DbErr> {
    let action = ActionRecord::on_object(
        acting.organisation.clone(),
        Subject::Statistics,
        event,
        &row.id,
        &row.name,
        changes,
    );
    record_action(db, &acting.actor, acting.now, action).await
}

/// Logs the newly ordered report `row` as created (ST-02, ST-04) and answers with it.
async fn ordered(
    db: &impl ConnectionTrait,
    acting: &Acting,
    row: &report::Model,
) -> Result<StatisticsReport, StatisticsError> {
    record(db, acting, row, ActionEvent::Created, ordered_changes(row)).await?;
    Ok(view(row)?)
}

/// What the actions log shows of a new report.
fn ordered_changes(row: &report::Model) -> Vec<FieldChange> {
    let mut changes = vec![FieldChange::new(
        "variables",
        None::<String>,
        Some(&row.variables),
    )];
    if let Some(interval) = &row.interval {
        changes.push(FieldChange::new("interval", None::<String>, Some(interval)));
    }
    if let (Some(from), Some(to)) = (row.period_from, row.period_to) {
        changes.push(FieldChange::new(
            "period",
            None::<String>,
            Some(format!("{from} – {to}")),
        ));
    }
    if let Some(email) = &row.notify_email {
        changes.push(FieldChange::new("notifyEmail", None::<String>, Some(email)));
    }
    changes
}

fn new_row(
    acting: &Acting,
    kind: ReportKind,
    name: String,
    variables: &[ReportVariable],
) -> report::Model {
    report::Model {
        id: uuid::Uuid::now_v7().to_string(),
        organisation_cvr: acting.organisation.to_string(),
        kind: match kind {
            ReportKind::Standard => "standard",
            ReportKind::Custom => "custom",
        }
        .to_owned(),
        standard_report: None,
        name,
        variables: variables_str(variables),
        interval: None,
        period_from: None,
        period_to: None,
        state: state_str(ReportState::Ordered).to_owned(),
        notify_email: None,
        ordered_at: acting.now,
        due_at: None,
        lease_owner: None,
        lease_until: None,
        produced_at: None,
        size_bytes: None,
        rows: None,
        expires_at: None,
        ended_at: None,
    }
}

/// ST-02 "Bestil standardrapport": a subscription, first produced by [`schedule::first_production`].
pub async fn subscribe(
    db: &impl ConnectionTrait,
    acting: &Acting,
    order: &NewSubscription,
    dry_run: bool,
) -> Result<StatisticsReport, StatisticsError> {
    let mut errors = FieldErrors::new();
    let notify_email = email(&mut errors, order.notify_email.as_deref());
    if !errors.is_empty() {
        return Err(StatisticsError::Validation(errors));
    }
    let mut row = new_row(
        acting,
        ReportKind::Standard,
        order.report.danish().to_owned(),
        order.report.variables(),
    );
    row.standard_report = Some(order.report.as_str().to_owned());
    row.interval = Some(order.interval.as_str().to_owned());
    row.notify_email = notify_email;
    row.due_at = Some(schedule::first_production(order.interval, acting.now));
    if dry_run {
        // Nothing is inserted, so the unique index cannot answer: look.
        let live = report::Entity::find()
            .filter(report::Column::OrganisationCvr.eq(acting.organisation.as_str()))
            .filter(report::Column::StandardReport.eq(order.report.as_str()))
            .filter(report::Column::Interval.eq(order.interval.as_str()))
            .filter(report::Column::State.is_in(["ordered", "ready"]))
            .one(db)
            .await?;
        return match live {
            Some(_) => Err(already_subscribed()),
            None => Ok(view(&row)?),
        };
    }
    // A live subscription of this report and interval (also one ordered at the same moment):
    // the partial unique index refuses the insert.
    match row.clone().into_active_model().reset_all().insert(db).await {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(already_subscribed())
        }
        Err(err) => return Err(err.into()),
    }
    ordered(db, acting, &row).await
}

fn already_subscribed() -> StatisticsError {
    StatisticsError::Conflict(
        ConflictReason::AlreadySubscribed,
        "The organisation subscribes to this standard report with this interval already.",
    )
}

/// ST-04: the checks of a custom report order, all at once.
fn check_custom(
    order: &NewCustomReport,
    today: chrono::NaiveDate,
    errors: &mut FieldErrors,
) -> (String, Vec<ReportVariable>) {
    let name = adgang_core::validate::text(errors, "name", &order.name, 100, true);
    let mut variables = Vec::new();
    if order.variables.is_empty() {
        errors.add(
            "variables",
            FieldCode::Required,
            "Choose at least one variable.",
        );
    } else if order.variables.len() > ReportVariable::CUSTOM.len() {
        errors.add("variables", FieldCode::TooMany, "At most 8 variables.");
    }
    for variable in &order.variables {
        if !ReportVariable::CUSTOM.contains(variable) {
            errors.add(
                "variables",
                FieldCode::NotApplicable,
                "MeMo functionality is a variable of a standard report only.",
            );
        } else if variables.contains(variable) {
            errors.add(
                "variables",
                FieldCode::DuplicateVariable,
                "A variable is chosen twice.",
            );
        } else {
            variables.push(*variable);
        }
    }
    // Keep the guide's order whatever order they were chosen in.
    variables.sort();
    let period = order.period;
    if period.to < period.from {
        errors.add(
            "period.to",
            FieldCode::PeriodReversed,
            "The period ends before it starts.",
        );
    } else if period.to >= period.from + Months::new(12) {
        errors.add(
            "period.to",
            FieldCode::PeriodOverOneYear,
            "A report covers at most one year.",
        );
    }
    if period.to > today {
        errors.add(
            "period.to",
            FieldCode::InTheFuture,
            "The period cannot end after today.",
        );
    }
    (name, variables)
}

/// ST-04 "Bestil brugerdefineret rapport": produced once, after the period's last day.
pub async fn order_custom(
    db: &impl ConnectionTrait,
    acting: &Acting,
    order: &NewCustomReport,
    dry_run: bool,
) -> Result<StatisticsReport, StatisticsError> {
    let mut errors = FieldErrors::new();
    let today = copenhagen(acting.now).date_naive();
    let (name, variables) = check_custom(order, today, &mut errors);
    let notify_email = email(&mut errors, order.notify_email.as_deref());
    if !errors.is_empty() {
        return Err(StatisticsError::Validation(errors));
    }
    let mut row = new_row(acting, ReportKind::Custom, name, &variables);
    row.period_from = Some(order.period.from);
    row.period_to = Some(order.period.to);
    row.notify_email = notify_email;
    row.due_at = Some(schedule::custom_production(order.period, acting.now));
    if dry_run {
        return Ok(view(&row)?);
    }
    row.clone()
        .into_active_model()
        .reset_all()
        .insert(db)
        .await?;
    ordered(db, acting, &row).await
}

/// ST-05: the reports that are ordered or ready, newest first.
pub async fn overview(
    db: &impl ConnectionTrait,
    cvr: &str,
) -> Result<Vec<StatisticsReport>, StatisticsError> {
    let rows = report::Entity::find()
        .filter(report::Column::OrganisationCvr.eq(cvr))
        .filter(report::Column::State.is_in(["ordered", "ready"]))
        .order_by_desc(report::Column::OrderedAt)
        .order_by_desc(report::Column::Id)
        .limit(OVERVIEW_LIMIT)
        .all(db)
        .await?;
    Ok(rows.iter().map(view).collect::<anyhow::Result<_>>()?)
}

/// How the overview can be ordered: when ordered (the default, newest first), name,
/// when produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSort {
    OrderedAt,
    Name,
    ProducedAt,
}

pub const REPORT_SORT: &[(&str, ReportSort)] = &[
    ("orderedAt", ReportSort::OrderedAt),
    ("name", ReportSort::Name),
    ("producedAt", ReportSort::ProducedAt),
];

/// ST-05, X-03: one page of the overview, paged in the database (no cut-off).
pub async fn overview_page(
    db: &impl ConnectionTrait,
    cvr: &str,
    request: &adgang_core::pagination::PageRequest<ReportSort>,
) -> Result<adgang_api_types::Page<StatisticsReport>, StatisticsError> {
    let query = report::Entity::find()
        .filter(report::Column::OrganisationCvr.eq(cvr))
        .filter(report::Column::State.is_in(["ordered", "ready"]));
    let column = match request.sort {
        ReportSort::OrderedAt => report::Column::OrderedAt,
        ReportSort::Name => report::Column::Name,
        ReportSort::ProducedAt => report::Column::ProducedAt,
    };
    let (rows, total) =
        adgang_core::pagination::page_of(db, query, request, column, report::Column::Id).await?;
    let items = rows.iter().map(view).collect::<anyhow::Result<_>>()?;
    Ok(request.into_page(items, total))
}

/// The organisation's report `id` (another organisation's is not found).
pub async fn find(
    db: &impl ConnectionTrait,
    cvr: &str,
    id: &str,
) -> Result<report::Model, StatisticsError> {
    report::Entity::find_by_id(id)
        .filter(report::Column::OrganisationCvr.eq(cvr))
        .one(db)
        .await?
        .ok_or(StatisticsError::NotFound("report"))
}

/// ST-05 "Se detaljer".
pub async fn details(
    db: &impl ConnectionTrait,
    cvr: &str,
    id: &str,
) -> Result<StatisticsReport, StatisticsError> {
    Ok(view(&find(db, cvr, id).await?)?)
}

fn ended_conflict(row: &report::Model) -> Option<StatisticsError> {
    match row.state.as_str() {
        "cancelled" => Some(StatisticsError::Conflict(
            ConflictReason::SubscriptionCancelled,
            "The subscription has been cancelled.",
        )),
        "deleted" => Some(StatisticsError::Conflict(
            ConflictReason::ReportDeleted,
            "The custom report was deleted 7 days after it was made; order a new one.",
        )),
        _ => None,
    }
}

/// The organisation's subscription `id` while it runs: a custom report cannot be cancelled or
/// changed (ST-04), an ended one is a 409.
async fn live_subscription(
    db: &impl ConnectionTrait,
    acting: &Acting,
    id: &str,
) -> Result<report::Model, StatisticsError> {
    let row = find(db, acting.organisation.as_str(), id).await?;
    if row.kind == "custom" {
        return Err(StatisticsError::Conflict(
            ConflictReason::NotCancellable,
            "A custom report cannot be cancelled or changed; it is deleted 7 days after it is made.",
        ));
    }
    match ended_conflict(&row) {
        Some(conflict) => Err(conflict),
        None => Ok(row),
    }
}

/// ST-03 "Opsig rapport": a subscription ends, its last version with it. A custom report
/// cannot be cancelled.
pub async fn cancel(
    db: &impl ConnectionTrait,
    acting: &Acting,
    id: &str,
) -> Result<(), StatisticsError> {
    let row = live_subscription(db, acting, id).await?;
    // Guarded: a production or another cancel at the same moment leaves one winner.
    let ended = report::Entity::update_many()
        .col_expr(
            report::Column::State,
            state_str(ReportState::Cancelled).into(),
        )
        .col_expr(report::Column::EndedAt, Some(acting.now).into())
        .col_expr(
            report::Column::DueAt,
            None::<chrono::DateTime<chrono::Utc>>.into(),
        )
        .filter(report::Column::Id.eq(&row.id))
        .filter(report::Column::State.eq(&row.state))
        .exec(db)
        .await?;
    if ended.rows_affected == 0 {
        return Err(StatisticsError::Conflict(
            ConflictReason::SubscriptionCancelled,
            "The subscription has been cancelled.",
        ));
    }
    report_file::Entity::delete_by_id(&row.id).exec(db).await?;
    record(
        db,
        acting,
        &row,
        ActionEvent::Deleted,
        vec![FieldChange::new(
            "state",
            Some(&row.state),
            Some("cancelled"),
        )],
    )
    .await?;
    Ok(())
}

/// ST-03: a subscription's e-mail may change; its interval may not.
pub async fn change(
    db: &impl ConnectionTrait,
    acting: &Acting,
    id: &str,
    change: &SubscriptionChange,
) -> Result<StatisticsReport, StatisticsError> {
    let row = live_subscription(db, acting, id).await?;
    if let Some(interval) = change.interval {
        if Some(interval.as_str()) != row.interval.as_deref() {
            return Err(StatisticsError::Conflict(
                ConflictReason::IntervalFixed,
                "A subscription's interval cannot change: cancel it and order the report again.",
            ));
        }
    }
    let mut errors = FieldErrors::new();
    let notify_email = email(&mut errors, change.notify_email.as_deref());
    if !errors.is_empty() {
        return Err(StatisticsError::Validation(errors));
    }
    if notify_email == row.notify_email {
        return Ok(view(&row)?);
    }
    let mut active = row.clone().into_active_model();
    active.notify_email = Set(notify_email.clone());
    let saved = active.update(db).await?;
    record(
        db,
        acting,
        &row,
        ActionEvent::Edited,
        vec![FieldChange::new(
            "notifyEmail",
            row.notify_email.as_ref(),
            notify_email.as_ref(),
        )],
    )
    .await?;
    Ok(view(&saved)?)
}

/// ST-05 "Download rapport": the CSV of the version ready, and its file name.
pub async fn file(
    db: &impl ConnectionTrait,
    cvr: &str,
    id: &str,
) -> Result<(String, Vec<u8>), StatisticsError> {
    let row = find(db, cvr, id).await?;
    if let Some(conflict) = ended_conflict(&row) {
        return Err(conflict);
    }
    let content = report_file::Entity::find_by_id(&row.id)
        .one(db)
        .await?
        .filter(|_| row.state == "ready")
        .ok_or(StatisticsError::Conflict(
            ConflictReason::ReportNotReady,
            "No version of the report has been produced yet.",
        ))?;
    let period = row
        .period_from
        .zip(row.period_to)
        .map(|(from, to)| format!(" {from} til {to}"))
        .unwrap_or_default();
    let name = format!(
        "{}{period}.csv",
        adgang_core::download::safe_file_name(&row.name)
    );
    Ok((name, content.content))
}

/// When a custom report produced at `at` is deleted.
pub fn expiry_of(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    at + Duration::days(CUSTOM_REPORT_LIFETIME_DAYS)
}
