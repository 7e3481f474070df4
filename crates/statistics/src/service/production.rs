//! ST-02/ST-04: the scheduler. Every instance runs a [`ProductionWorker`]; each round rolls up
//! the days that ended, then produces the reports that are due. A report is leased by a
//! conditional UPDATE before it is produced, and its version — the CSV, the row's new state
//! and next production, the notification e-mail — commits in one transaction guarded by that
//! lease, so two instances never produce one twice and a crash leaves the previous version.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use adgang_api_types::{
    CustomerType, Direction, MessageType, ReportInterval, ReportPeriod, ReportState,
    ReportVariable, SizeBand,
};
use adgang_core::ports::{Authorities, Mail, Mailer, MessageTallies};
use adgang_core::time::danish_time;
use adgang_core::Clock;
use adgang_core::Lease;
use adgang_documents::csv::CsvChunk;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};

use super::{expiry_of, rollup, schedule, state_str, variables_of, wire};
use crate::entity::{report, report_file};

/// Reports produced per round at most (the rest in the next).
const ROUND: u64 = 20;

/// A column of the daily counts a report groups by, for its variables (the sender and the
/// recipient are both told by the direction).
fn column(variable: ReportVariable) -> &'static str {
    match variable {
        ReportVariable::Sender | ReportVariable::Recipient => "direction",
        ReportVariable::SenderSystem => "sender_system_id",
        ReportVariable::RecipientSystem => "recipient_system_id",
        ReportVariable::MessageType => "message_type",
        ReportVariable::Size => "size_band",
        ReportVariable::SenderCustomerType => "sender_type",
        ReportVariable::RecipientCustomerType => "recipient_type",
        ReportVariable::MemoFunctionality => "memo",
    }
}

/// The CSV's cell for `variable` from its column's value.
fn cell(variable: ReportVariable, value: &str, organisation: &str) -> String {
    let outgoing = value == Direction::Outgoing.as_str();
    match variable {
        ReportVariable::Sender => if outgoing { organisation } else { "" }.to_owned(),
        ReportVariable::Recipient => if outgoing { "" } else { organisation }.to_owned(),
        ReportVariable::SenderSystem | ReportVariable::RecipientSystem => value.to_owned(),
        ReportVariable::MessageType => MessageType::parse(value)
            .map_or_else(|| value.to_owned(), |t| t.statistics_danish().to_owned()),
        ReportVariable::Size => {
            SizeBand::parse(value).map_or_else(|| value.to_owned(), |b| b.danish().to_owned())
        }
        ReportVariable::SenderCustomerType | ReportVariable::RecipientCustomerType => {
            CustomerType::parse(value).map_or_else(|| value.to_owned(), |c| c.danish().to_owned())
        }
        ReportVariable::MemoFunctionality => rollup::memo_danish(value),
    }
}

/// The heading of the count column.
pub const COUNT_HEADING: &str = "Antal meddelelser";

/// ST-01/ST-04/ST-06: the organisation's counts over `period` by `variables`, summed in the
/// database from the daily counts, as CSV (UTF-8 with BOM, `;`, Danish headings). Answers the
/// file and its data rows.
pub async fn render(
    db: &impl ConnectionTrait,
    organisation: &str,
    variables: &[ReportVariable],
    period: ReportPeriod,
) -> anyhow::Result<(Vec<u8>, u64)> {
    // Each column once; each variable reads its column's position in the row.
    let mut columns: Vec<&str> = Vec::new();
    let positions: Vec<usize> = variables
        .iter()
        .map(|v| {
            let name = column(*v);
            columns.iter().position(|c| *c == name).unwrap_or_else(|| {
                columns.push(name);
                columns.len() - 1
            })
        })
        .collect();
    let list = columns.join(", ");
    let backend = db.get_database_backend();
    let [p1, p2, p3] = adgang_core::db::placeholders(backend);
    let sql = format!(
        "SELECT {list}, CAST(sum(messages) AS BIGINT) AS messages FROM statistics_daily_counts \
         WHERE organisation_cvr = {p1} AND day >= {p2} AND day <= {p3} GROUP BY {list} \
         ORDER BY {list}"
    );
    let statement = Statement::from_sql_and_values(
        backend,
        sql,
        [organisation.into(), period.from.into(), period.to.into()],
    );
    let found = db.query_all(statement).await?;
    let mut headings: Vec<&str> = variables.iter().map(|v| v.danish()).collect();
    headings.push(COUNT_HEADING);
    let mut csv = CsvChunk::new(Some(&headings))?;
    for row in &found {
        let mut cells = Vec::with_capacity(variables.len() + 1);
        for (variable, index) in variables.iter().zip(&positions) {
            let value: String = row.try_get_by_index(*index)?;
            cells.push(cell(*variable, &value, organisation));
        }
        let count: i64 = row.try_get_by_index(columns.len())?;
        cells.push(count.to_string());
        csv.row(cells.iter().map(String::as_str))?;
    }
    Ok((csv.take()?, found.len() as u64))
}

/// The scheduler's background job (one per instance).
pub struct ProductionWorker {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub tallies: Arc<dyn MessageTallies>,
    pub authorities: Arc<dyn Authorities>,
    pub mailer: Arc<dyn Mailer>,
    /// How long a claimed report is this instance's.
    pub lease: Duration,
    /// Pause between rounds.
    pub idle: StdDuration,
    /// This instance's lease name.
    pub owner: String,
}

impl ProductionWorker {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        tallies: Arc<dyn MessageTallies>,
        authorities: Arc<dyn Authorities>,
        mailer: Arc<dyn Mailer>,
    ) -> Self {
        ProductionWorker {
            db,
            clock,
            tallies,
            authorities,
            mailer,
            lease: Duration::minutes(10),
            idle: StdDuration::from_secs(30),
            owner: uuid::Uuid::now_v7().to_string(),
        }
    }

    /// One round: roll up the days that ended, then produce what is due. Answers how many
    /// reports this instance produced.
    pub async fn tick(&self) -> anyhow::Result<u64> {
        let now = self.clock.now();
        rollup::roll_due_days(
            &self.db,
            self.tallies.as_ref(),
            self.authorities.as_ref(),
            now,
        )
        .await?;
        let due: Vec<String> = report::Entity::find()
            .select_only()
            .column(report::Column::Id)
            .filter(report::Column::DueAt.lte(now))
            .filter(report::Column::State.is_in(["ordered", "ready"]))
            .order_by_asc(report::Column::DueAt)
            .limit(ROUND)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut produced = 0;
        for id in due {
            if let Some(row) = self.claim(&id, now).await? {
                if self.produce(row, now).await? {
                    produced += 1;
                }
            }
        }
        Ok(produced)
    }

    /// How this instance leases reports (core's one claim primitive).
    fn lease(&self) -> Lease<report::Entity> {
        Lease {
            holder: self.owner.clone(),
            ..Lease::new(
                report::Column::Id,
                report::Column::LeaseUntil,
                Some(report::Column::LeaseOwner),
                self.lease,
            )
        }
    }

    /// Leases the report when it is due and nobody holds it.
    async fn claim(&self, id: &str, now: DateTime<Utc>) -> anyhow::Result<Option<report::Model>> {
        use sea_orm::Condition;
        let due = Condition::all()
            .add(report::Column::Id.eq(id))
            .add(report::Column::DueAt.lte(now))
            .add(report::Column::State.is_in(["ordered", "ready"]));
        let claimed = self
            .lease()
            .claim(&self.db, now, due, report::Column::DueAt, 1, vec![])
            .await?;
        Ok(claimed.into_iter().next())
    }

    /// Produces the claimed report's version; false when the lease was lost or the report was
    /// cancelled meanwhile (nothing is written then).
    async fn produce(&self, row: report::Model, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let Some(held) = row.lease_until else {
            return Ok(false);
        };
        let variables = variables_of(&row)?;
        let interval = row
            .interval
            .as_deref()
            .map(|i| wire(i, ReportInterval::parse))
            .transpose()?;
        let due = row.due_at.unwrap_or(now);
        let period = match (interval, row.period_from, row.period_to) {
            (Some(interval), _, _) => schedule::covered_by(interval, due),
            (None, Some(from), Some(to)) => ReportPeriod { from, to },
            _ => anyhow::bail!("report {} has neither interval nor period", row.id),
        };
        if period.to > rollup::last_complete_day(now) {
            // Not over yet (a clock set back): produced in a later round.
            return Ok(false);
        }
        let (content, rows) = render(&self.db, &row.organisation_cvr, &variables, period).await?;
        let txn = self.db.begin().await?;
        let (due_at, expires_at) = match interval {
            Some(interval) => (Some(schedule::next_production(interval, period)), None),
            None => (None, Some(expiry_of(now))),
        };
        let updated = report::Entity::update_many()
            .col_expr(
                report::Column::State,
                Expr::value(state_str(ReportState::Ready)),
            )
            .col_expr(report::Column::PeriodFrom, Expr::value(Some(period.from)))
            .col_expr(report::Column::PeriodTo, Expr::value(Some(period.to)))
            .col_expr(report::Column::ProducedAt, Expr::value(Some(now)))
            .col_expr(
                report::Column::SizeBytes,
                Expr::value(Some(content.len() as i64)),
            )
            .col_expr(report::Column::Rows, Expr::value(Some(rows as i64)))
            .col_expr(report::Column::DueAt, Expr::value(due_at))
            .col_expr(report::Column::ExpiresAt, Expr::value(expires_at))
            .col_expr(report::Column::LeaseOwner, Expr::value(None::<String>))
            .col_expr(
                report::Column::LeaseUntil,
                Expr::value(None::<DateTime<Utc>>),
            )
            .filter(self.lease().held(&row.id, held))
            .filter(report::Column::State.is_in(["ordered", "ready"]))
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Ok(false);
        }
        // ST-02: the new version replaces the previous one.
        report_file::Entity::delete_by_id(&row.id)
            .exec(&txn)
            .await?;
        report_file::Model {
            report_id: row.id.clone(),
            content,
        }
        .into_active_model()
        .insert(&txn)
        .await?;
        if let Some(to) = &row.notify_email {
            self.mailer
                .send(&txn, notification(&row, period, now), now)
                .await?;
            tracing::debug!(report = %row.id, to = %to, "report notification sent");
        }
        txn.commit().await?;
        Ok(true)
    }
}

#[async_trait::async_trait]
impl adgang_core::Job for ProductionWorker {
    fn name(&self) -> &'static str {
        "statistics_production"
    }

    fn schedule(&self) -> adgang_core::Schedule {
        adgang_core::Schedule {
            idle: self.idle,
            // A round rolls up the days and produces up to a round's reports.
            stale_after: self.idle + StdDuration::from_secs(30 * 60),
        }
    }

    async fn round(&self) -> anyhow::Result<adgang_core::Round> {
        let produced = self.tick().await?;
        Ok(adgang_core::Round::idle_after(
            "statistics_production",
            produced,
            "statistics reports produced",
        ))
    }
}

/// The e-mail telling that a report is ready (ST-02/ST-04).
fn notification(row: &report::Model, period: ReportPeriod, now: DateTime<Utc>) -> Mail {
    let fmt = |day: NaiveDate| day.format("%d.%m.%Y").to_string();
    let kept = if row.kind == "custom" {
        format!(
            " Rapporten kan hentes i 7 dage, til {}.",
            danish_time(expiry_of(now))
        )
    } else {
        String::new()
    };
    Mail {
        to: row.notify_email.clone().unwrap_or_default(),
        subject: format!("Statistikrapport klar: {}", row.name),
        body: format!(
            "Rapporten \"{}\" for perioden {} – {} er klar til download under Statistik i \
             Administrativ Adgang (dannet {}).{kept}",
            row.name,
            fmt(period.from),
            fmt(period.to),
            danish_time(now),
        ),
    }
}
