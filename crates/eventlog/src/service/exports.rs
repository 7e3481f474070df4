//! Export jobs: a search too large for one streamed response is written to CSV in the
//! background, in chunks stored in the database, with its progress readable at any time, and
//! deleted when its download link expires.
//!
//! A job is claimed by moving `claimed_until` a lease ahead in one guarded UPDATE (`FOR UPDATE
//! SKIP LOCKED` on PostgreSQL), so several instances never write the same export at once. Each
//! chunk commits with the export's progress and the renewed lease, guarded by the lease the
//! worker holds: a worker that lost its lease (paused past it) stops at its next chunk. A job
//! whose worker died is claimed again when the lease runs out and starts over from its first
//! chunk, so a file is never a mix of two runs.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use adgang_api_types::{EventLogKind, ExportStatus, LogExport};
use adgang_core::time::Clock;
use adgang_core::Lease;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::{csv_batch, Position, Search, BATCH};
use crate::entity::{log_export, log_export_chunk};
use crate::EventLogError;
use adgang_core::ports::MailAccessHolders;

/// How long a worker owns a running export before another instance may take it over.
const LEASE_SECONDS: i64 = 120;

/// Queues an export of `search` (already checked and its lookups logged). The period's end is
/// cut at `now`, so rows logged while the export runs do not move it.
pub async fn create(
    db: &impl ConnectionTrait,
    search: &Search,
    rows_total: u64,
    requested_by: &str,
    now: DateTime<Utc>,
) -> Result<LogExport, EventLogError> {
    let mut search = search.clone();
    search.period.end = search.period.end.min(now);
    let model = log_export::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_cvr: Set(search.organisation.clone()),
        log: Set(search.kind().as_str().to_owned()),
        filter: Set(serde_json::to_string(&search).map_err(anyhow::Error::from)?),
        requested_by: Set(requested_by.to_owned()),
        status: Set("queued".to_owned()),
        rows_total: Set(rows_total as i64),
        rows_written: Set(0),
        created_at: Set(now),
        claimed_until: Set(None),
        expires_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(view(model))
}

/// The export's state as the API shows it.
pub fn view(m: log_export::Model) -> LogExport {
    LogExport {
        log: EventLogKind::parse(&m.log).unwrap_or(EventLogKind::Messages),
        status: match m.status.as_str() {
            "done" => ExportStatus::Done,
            "running" => ExportStatus::Running,
            _ => ExportStatus::Queued,
        },
        rows_written: m.rows_written.max(0) as u64,
        rows_total: m.rows_total.max(0) as u64,
        created_at: m.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        expires_at: m
            .expires_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        id: m.id,
    }
}

/// The organisation's export `id`, unless it has expired.
pub async fn find(
    db: &impl ConnectionTrait,
    organisation: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<log_export::Model, EventLogError> {
    log_export::Entity::find_by_id(id.to_owned())
        .filter(log_export::Column::OrganisationCvr.eq(organisation))
        .one(db)
        .await?
        .filter(|m| m.expires_at.is_none_or(|at| at > now))
        .ok_or(EventLogError::NotFound("export"))
}

/// The `seq`th chunk of a finished export's file, if there is one.
pub async fn chunk(
    db: &impl ConnectionTrait,
    export_id: &str,
    seq: i32,
) -> Result<Option<Vec<u8>>, EventLogError> {
    Ok(
        log_export_chunk::Entity::find_by_id((export_id.to_owned(), seq))
            .one(db)
            .await?
            .map(|c| c.content),
    )
}

/// How exports are leased: `claimed_until` says until when a worker holds one.
fn lease() -> Lease<log_export::Entity> {
    Lease::new(
        log_export::Column::Id,
        log_export::Column::ClaimedUntil,
        None,
        Duration::seconds(LEASE_SECONDS),
    )
}

/// Claims the oldest export that is queued or whose worker's lease ran out.
async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Option<log_export::Model>, EventLogError> {
    let waiting = Condition::all().add(log_export::Column::Status.is_in(["queued", "running"]));
    let running = vec![(log_export::Column::Status, Expr::value("running"))];
    let claimed = lease()
        .claim(db, now, waiting, log_export::Column::CreatedAt, 1, running)
        .await?;
    Ok(claimed.into_iter().next())
}

/// Writes a claimed export from its first chunk; returns false when the lease was lost.
async fn produce(
    db: &DatabaseConnection,
    holders: &dyn MailAccessHolders,
    clock: &dyn Clock,
    export: log_export::Model,
    lifetime: Duration,
) -> Result<bool, EventLogError> {
    let search: Search = serde_json::from_str(&export.filter).map_err(anyhow::Error::from)?;
    let mut held = export
        .claimed_until
        .ok_or_else(|| anyhow::anyhow!("claimed export without lease"))?;
    log_export_chunk::Entity::delete_many()
        .filter(log_export_chunk::Column::ExportId.eq(export.id.as_str()))
        .exec(db)
        .await?;
    let (mut after, mut seq, mut written): (Option<Position>, i32, i64) = (None, 0, 0);
    loop {
        let (bytes, last, rows) =
            csv_batch(db, holders, &search, after.as_ref(), seq == 0, BATCH).await?;
        let done = rows < BATCH;
        let now = clock.now();
        let next_lease = lease().end(now);
        written += rows as i64;
        let txn = db.begin().await?;
        let mut update = log_export::Entity::update_many()
            .col_expr(log_export::Column::RowsWritten, Expr::value(written))
            .filter(lease().held(&export.id, held));
        update = if done {
            update
                .col_expr(log_export::Column::Status, Expr::value("done"))
                .col_expr(
                    log_export::Column::ClaimedUntil,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .col_expr(log_export::Column::ExpiresAt, Expr::value(now + lifetime))
        } else {
            update.col_expr(log_export::Column::ClaimedUntil, Expr::value(next_lease))
        };
        if update.exec(&txn).await?.rows_affected != 1 {
            // Another worker holds the export now.
            return Ok(false);
        }
        if !bytes.is_empty() {
            log_export_chunk::ActiveModel {
                export_id: Set(export.id.clone()),
                seq: Set(seq),
                content: Set(bytes),
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        if done {
            return Ok(true);
        }
        held = next_lease;
        seq += 1;
        after = last;
    }
}

/// Deletes the exports whose download link has expired (their chunks go with them).
async fn sweep(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, EventLogError> {
    let expired: Vec<String> = log_export::Entity::find()
        .select_only()
        .column(log_export::Column::Id)
        .filter(log_export::Column::ExpiresAt.lt(now))
        .order_by_asc(log_export::Column::ExpiresAt)
        .limit(100)
        .into_tuple()
        .all(db)
        .await?;
    for id in &expired {
        let txn = db.begin().await?;
        log_export_chunk::Entity::delete_many()
            .filter(log_export_chunk::Column::ExportId.eq(id.as_str()))
            .exec(&txn)
            .await?;
        log_export::Entity::delete_by_id(id.clone())
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
    Ok(expired.len() as u64)
}

/// The background worker the server runs: produces queued exports one at a time and deletes
/// expired ones.
pub struct ExportWorker {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub lifetime: Duration,
    /// The message log's ContentresponsibleID/RepresentativeID (LOG-01).
    pub holders: Arc<dyn MailAccessHolders>,
}

impl ExportWorker {
    /// One round: sweep, then produce at most one export. Returns whether one was produced.
    pub async fn tick(&self) -> Result<bool, EventLogError> {
        sweep(&self.db, self.clock.now()).await?;
        let Some(export) = claim(&self.db, self.clock.now()).await? else {
            return Ok(false);
        };
        let id = export.id.clone();
        let finished = produce(
            &self.db,
            self.holders.as_ref(),
            self.clock.as_ref(),
            export,
            self.lifetime,
        )
        .await?;
        tracing::info!(export = %id, finished, "log export produced");
        Ok(true)
    }
}

#[async_trait::async_trait]
impl adgang_core::Job for ExportWorker {
    fn name(&self) -> &'static str {
        "log_exports"
    }

    fn schedule(&self) -> adgang_core::Schedule {
        adgang_core::Schedule {
            idle: StdDuration::from_millis(500),
            // One round writes one export whole: millions of rows at the most.
            stale_after: StdDuration::from_secs(30 * 60),
        }
    }

    async fn round(&self) -> anyhow::Result<adgang_core::Round> {
        Ok(match self.tick().await.map_err(anyhow::Error::new)? {
            true => adgang_core::Round::More,
            false => adgang_core::Round::Idle,
        })
    }
}
