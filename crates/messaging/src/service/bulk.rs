//! Issue 35: bulk files ("masseforsendelser", the guide's §5.1 and §5.3 step 4) that SFTP
//! sender systems upload (`crate::sftp`). A file is kept in the database when its upload
//! completes; [`BulkTaker`] (a job every instance may run) claims it under a lease, has the
//! upload sandbox read the archive, and submits each memo through exactly the REST intake
//! (`intake::submit`: the same rules, routing, idempotency by messageId and events). Each
//! memo's outcome is kept as it is decided, so a file taken again after a crash goes on after
//! the last kept outcome; a memo accepted just before a crash is a replay of itself, answered
//! with its first receipt. An archive that cannot be read is "Fejlet" in the sender's log.

use std::sync::Arc;
use std::time::Duration;

use adgang_api_types::words::rejection;
use adgang_api_types::{MemoReceipt, MessageEvent, Problem};
use adgang_core::audit::{record_message_events, MessageEventRecord};
use adgang_core::ports::{BulkEntry, ConnectedSystem, FileRefusal, UntrustedFiles};
use adgang_core::{Clock, DomainError, Job, Lease, Round, Schedule, SystemRefusal};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::intake;
use super::writer::IntakeWriter;
use super::Ports;
use crate::entity::{bulk_file, bulk_file_content, bulk_outcome};
use crate::error::MessagingError;

/// The largest bulk file an upload may write (the sandbox reads at most 64 MiB).
pub const MAX_BULK_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Memos submitted at once: the intake writer commits them together.
const IN_FLIGHT: usize = 32;
/// Memos whose outcomes are kept in one transaction (and the lease renewed).
const CHUNK: usize = 500;

/// What became of one memo: a line of the result file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoOutcome {
    /// The memo's entry in the archive.
    pub entry: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// `accepted` (new or a replay of an accepted memo) or `refused`.
    pub outcome: String,
    /// For an accepted memo: the receipt `POST /api/v1/memos` answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<MemoReceipt>,
    /// For a refused memo: the problem `POST /api/v1/memos` answers (its `code`, `errors`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

/// The result file `/results/<name>.result.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    /// The bulk file's name in `/inbox`.
    pub file: String,
    /// `done` (every memo has an outcome) or `failed` (the file could not be read: `failure`).
    pub status: String,
    pub received_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    pub accepted: u32,
    pub refused: u32,
    pub memos: Vec<MemoOutcome>,
}

/// The result file's name for the bulk file `name` (`x.zip` → `x.result.json`).
pub fn result_name(name: &str) -> String {
    format!("{}.result.json", name.strip_suffix(".zip").unwrap_or(name))
}

/// Why a completed upload was not kept.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("a file of that name is already in /inbox or /results")]
    Exists,
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

/// Keeps a completed upload for [`BulkTaker`]: its row and its archive in one transaction.
pub async fn receive(
    db: &DatabaseConnection,
    system: &ConnectedSystem,
    name: &str,
    content: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<(), ReceiveError> {
    let id = uuid::Uuid::now_v7().to_string();
    let row = bulk_file::ActiveModel {
        id: Set(id.clone()),
        system_id: Set(system.id.clone()),
        organisation_cvr: Set(system.organisation_cvr.clone()),
        name: Set(name.to_owned()),
        size_bytes: Set(content.len() as i64),
        state: Set("waiting".to_owned()),
        received_at: Set(now),
        lease_owner: Set(None),
        lease_until: Set(None),
        progress: Set(0),
        memo_count: Set(None),
        accepted: Set(0),
        refused: Set(0),
        failure: Set(None),
        finished_at: Set(None),
        result: Set(None),
        result_bytes: Set(None),
    };
    let txn = db.begin().await?;
    // A name in use (or two uploads of one name at once): the unique index says so.
    let inserted = bulk_file::Entity::insert(row)
        .exec_without_returning(&txn)
        .await;
    if let Err(e) = inserted {
        txn.rollback().await?;
        return Err(match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ReceiveError::Exists,
            _ => ReceiveError::Db(e),
        });
    }
    let archive = bulk_file_content::ActiveModel {
        file_id: Set(id),
        content: Set(content),
    };
    bulk_file_content::Entity::insert(archive)
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// A file as the SFTP folders list it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub size: u64,
    pub at: DateTime<Utc>,
}
/// The system's files matching `which`, oldest first: (name, size, received, result size,
/// finished).
async fn listing(
    db: &DatabaseConnection,
    system_id: &str,
    which: Condition,
    order: bulk_file::Column,
) -> Result<
    Vec<(
        String,
        i64,
        DateTime<Utc>,
        Option<i64>,
        Option<DateTime<Utc>>,
    )>,
    sea_orm::DbErr,
> {
    bulk_file::Entity::find()
        .select_only()
        .columns([
            bulk_file::Column::Name,
            bulk_file::Column::SizeBytes,
            bulk_file::Column::ReceivedAt,
            bulk_file::Column::ResultBytes,
            bulk_file::Column::FinishedAt,
        ])
        .filter(bulk_file::Column::SystemId.eq(system_id))
        .filter(which)
        .order_by_asc(order)
        .into_tuple()
        .all(db)
        .await
}

/// The system's files waiting to be taken (`/inbox`).
pub async fn inbox(
    db: &DatabaseConnection,
    system_id: &str,
) -> Result<Vec<Listed>, sea_orm::DbErr> {
    let waiting = Condition::all().add(bulk_file::Column::State.eq("waiting"));
    uploads(db, system_id, waiting).await
}

/// The system's upload `name`, whether still waiting or already taken — so a client that
/// checks its upload's size right after closing it finds the file however fast it was taken.
pub async fn uploaded(
    db: &DatabaseConnection,
    system_id: &str,
    name: &str,
) -> Result<Option<Listed>, sea_orm::DbErr> {
    let named = Condition::all().add(bulk_file::Column::Name.eq(name));
    Ok(uploads(db, system_id, named).await?.into_iter().next())
}

/// The system's uploads matching `which`, oldest first, as listed: name, size and arrival.
async fn uploads(
    db: &DatabaseConnection,
    system_id: &str,
    which: Condition,
) -> Result<Vec<Listed>, sea_orm::DbErr> {
    let rows = listing(db, system_id, which, bulk_file::Column::ReceivedAt).await?;
    Ok(rows
        .into_iter()
        .map(|(name, size, at, _, _)| Listed {
            name,
            size: size.max(0) as u64,
            at,
        })
        .collect())
}

/// The system's result files (`/results`), newest last.
pub async fn results(
    db: &DatabaseConnection,
    system_id: &str,
) -> Result<Vec<Listed>, sea_orm::DbErr> {
    let taken = Condition::all().add(bulk_file::Column::State.ne("waiting"));
    let rows = listing(db, system_id, taken, bulk_file::Column::FinishedAt).await?;
    Ok(rows
        .into_iter()
        .map(|(name, _, received, size, finished)| Listed {
            name: result_name(&name),
            size: size.unwrap_or(0).max(0) as u64,
            at: finished.unwrap_or(received),
        })
        .collect())
}

/// The result file `result` of the system, when there is one.
pub async fn result(
    db: &DatabaseConnection,
    system_id: &str,
    result: &str,
) -> Result<Option<String>, sea_orm::DbErr> {
    let Some(name) = result
        .strip_suffix(".result.json")
        .map(|stem| format!("{stem}.zip"))
    else {
        return Ok(None);
    };
    let row: Option<Option<String>> = bulk_file::Entity::find()
        .select_only()
        .column(bulk_file::Column::Result)
        .filter(bulk_file::Column::SystemId.eq(system_id))
        .filter(bulk_file::Column::Name.eq(name))
        .filter(bulk_file::Column::State.ne("waiting"))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.flatten())
}

/// Removes a read result file (and the bulk file's row: its name may be used again).
pub async fn remove_result(
    db: &DatabaseConnection,
    system_id: &str,
    result: &str,
) -> Result<bool, sea_orm::DbErr> {
    let Some(name) = result
        .strip_suffix(".result.json")
        .map(|stem| format!("{stem}.zip"))
    else {
        return Ok(false);
    };
    let removed = bulk_file::Entity::delete_many()
        .filter(bulk_file::Column::SystemId.eq(system_id))
        .filter(bulk_file::Column::Name.eq(name))
        .filter(bulk_file::Column::State.ne("waiting"))
        .exec(db)
        .await?;
    Ok(removed.rows_affected > 0)
}

/// The job that takes waiting bulk files (every instance may run it; the lease keeps each file
/// with one).
#[derive(Clone)]
pub struct BulkTaker {
    pub db: DatabaseConnection,
    /// The read connections (SQLite) the intake's checks run on; the same pool on PostgreSQL.
    pub reads: DatabaseConnection,
    pub writer: IntakeWriter,
    pub ports: Ports,
    pub files: Arc<dyn UntrustedFiles>,
    pub clock: Arc<dyn Clock>,
    pub lease: Lease<bulk_file::Entity>,
    /// `POST /api/v1/memos`'s body limit, applied to each memo as assembled.
    pub max_memo_bytes: usize,
}

impl BulkTaker {
    pub fn lease(duration: chrono::Duration) -> Lease<bulk_file::Entity> {
        Lease::new(
            bulk_file::Column::Id,
            bulk_file::Column::LeaseUntil,
            Some(bulk_file::Column::LeaseOwner),
            duration,
        )
    }

    /// Takes one waiting file; false when there was none (or the sandbox was busy: the next
    /// round is after the pause, not at once).
    pub async fn take_one(&self) -> anyhow::Result<bool> {
        let now = self.clock.now();
        let claimable = Condition::all().add(bulk_file::Column::State.eq("waiting"));
        let mut claimed = self
            .lease
            .claim(
                &self.db,
                now,
                claimable,
                bulk_file::Column::ReceivedAt,
                1,
                vec![],
            )
            .await?;
        let Some(file) = claimed.pop() else {
            return Ok(false);
        };
        self.take(file).await
    }

    /// The file's system while it may still send (read again before every chunk: a system
    /// deactivated or deleted mid-file sends no more, as over REST).
    async fn sender(&self, file: &bulk_file::Model) -> anyhow::Result<Option<ConnectedSystem>> {
        let now = self.clock.now();
        let system = self
            .ports
            .systems
            .system(&self.reads, &file.system_id, now)
            .await?;
        Ok(system.filter(ConnectedSystem::is_active))
    }

    async fn take(&self, file: bulk_file::Model) -> anyhow::Result<bool> {
        let Some(system) = self.sender(&file).await? else {
            let said = rejection::BULK_FILE_SYSTEM_NOT_ACTIVE.da_with(&[&file.name]);
            let why = rejection::SYSTEM_NOT_ACTIVE.en.to_owned();
            self.fail(&file, None, why, said).await?;
            return Ok(true);
        };
        let content: Option<Vec<u8>> = bulk_file_content::Entity::find_by_id(file.id.clone())
            .select_only()
            .column(bulk_file_content::Column::Content)
            .into_tuple()
            .one(&self.reads)
            .await?;
        let archive = match self.files.bulk_file(content.unwrap_or_default()).await {
            Ok(archive) => archive,
            Err(FileRefusal::Busy) => {
                // Not the file's fault: it waits for a later round.
                let until = file.lease_until.unwrap_or_else(|| self.clock.now());
                self.lease.release(&self.db, &file.id, until).await?;
                return Ok(false);
            }
            Err(refusal) => {
                let why = unreadable(&refusal);
                let said = rejection::BULK_FILE_UNREADABLE.da_with(&[&file.name, &why]);
                self.fail(&file, Some(&system), why, said).await?;
                return Ok(true);
            }
        };
        let count = archive.memos.len();
        let start = usize::try_from(file.progress).unwrap_or(0).min(count);
        let mut memos = archive.memos.into_iter().enumerate().skip(start).peekable();
        let mut counts = (file.accepted, file.refused);
        while memos.peek().is_some() {
            let chunk: Vec<(usize, BulkEntry)> = memos.by_ref().take(CHUNK).collect();
            let now = self.clock.now();
            let outcomes: Vec<(usize, anyhow::Result<MemoOutcome>)> =
                match self.sender(&file).await? {
                    Some(system) => {
                        futures_util::stream::iter(chunk)
                            .map(|(seq, entry)| {
                                let system = &system;
                                async move { (seq, self.submit(system, entry, now).await) }
                            })
                            .buffered(IN_FLIGHT)
                            .collect()
                            .await
                    }
                    // Deactivated or deleted since: what REST answers each memo now.
                    None => chunk
                        .into_iter()
                        .map(|(seq, entry)| {
                            let refusal = DomainError::SystemRefused(SystemRefusal::NotActive);
                            (seq, Ok(refused(entry.entry, None, &refusal)))
                        })
                        .collect(),
                };
            // What was decided before a failure is kept; the failure ends this take (the file
            // is taken again after its lease, from the first memo without an outcome).
            let mut rows = Vec::with_capacity(outcomes.len());
            let mut failed = None;
            let mut last = None;
            for (seq, outcome) in outcomes {
                let outcome = match outcome {
                    Ok(outcome) => outcome,
                    Err(err) => {
                        failed = Some(err);
                        break;
                    }
                };
                let is_accepted = outcome.outcome == "accepted";
                if is_accepted {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
                rows.push(bulk_outcome::ActiveModel {
                    file_id: Set(file.id.clone()),
                    seq: Set(seq as i32),
                    accepted: Set(is_accepted),
                    outcome: Set(serde_json::to_string(&outcome)?),
                });
                last = Some(seq + 1);
            }
            if let Some(last) = last {
                if !self.keep(&file, rows, last, count, counts).await? {
                    tracing::warn!(file = %file.id, "lost the lease on a bulk file");
                    return Ok(true);
                }
            }
            if let Some(err) = failed {
                return Err(err);
            }
        }
        self.finish(&file, counts).await?;
        Ok(true)
    }

    /// Keeps a chunk's outcomes and moves the lease ahead, while this lease holds the file.
    async fn keep(
        &self,
        file: &bulk_file::Model,
        rows: Vec<bulk_outcome::ActiveModel>,
        progress: usize,
        count: usize,
        (accepted, refused): (i32, i32),
    ) -> anyhow::Result<bool> {
        let txn = self.db.begin().await?;
        let kept = bulk_file::Entity::update_many()
            .col_expr(bulk_file::Column::Progress, Expr::value(progress as i32))
            .col_expr(bulk_file::Column::MemoCount, Expr::value(count as i32))
            .col_expr(bulk_file::Column::Accepted, Expr::value(accepted))
            .col_expr(bulk_file::Column::Refused, Expr::value(refused))
            .col_expr(
                bulk_file::Column::LeaseUntil,
                Expr::value(self.lease.end(self.clock.now())),
            )
            .filter(self.lease.owned(&file.id))
            .exec(&txn)
            .await?;
        if kept.rows_affected != 1 {
            // Another instance has the file now (this one was paused past its lease).
            txn.rollback().await?;
            return Ok(false);
        }
        bulk_outcome::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// One memo through the REST intake, as its outcome.
    async fn submit(
        &self,
        system: &ConnectedSystem,
        entry: BulkEntry,
        now: DateTime<Utc>,
    ) -> anyhow::Result<MemoOutcome> {
        let memo = match entry.memo {
            Ok(memo) => memo,
            Err(why) => {
                // As a malformed body is at `POST /api/v1/memos`: `Afvist teknisk`.
                let detail = format!("{}: {why}", entry.entry);
                let event = MessageEvent::RejectedTechnical;
                intake::record_rejection(&self.db, system, None, event, detail, now).await?;
                let error = DomainError::field("memo", adgang_api_types::FieldCode::Malformed, why);
                return Ok(refused(entry.entry, None, &error));
            }
        };
        // The body limit of `POST /api/v1/memos`, on the memo as assembled from the archive.
        let size = serde_json::to_vec(&memo).map_or(usize::MAX, |body| body.len());
        if size > self.max_memo_bytes {
            let message_id = Some(super::message_id_key(&memo.message_id));
            let detail = rejection::BODY_TOO_LARGE.da_with(&[&self.max_memo_bytes.to_string()]);
            let event = MessageEvent::RejectedTechnical;
            intake::record_rejection(&self.db, system, Some(&memo), event, detail, now).await?;
            let error = DomainError::PayloadTooLarge(self.max_memo_bytes);
            return Ok(refused(entry.entry, message_id, &error));
        }
        let message_id = Some(super::message_id_key(&memo.message_id)).filter(|m| !m.is_empty());
        let submitted = intake::submit(
            &self.db,
            &self.reads,
            &self.writer,
            &self.ports,
            system,
            memo,
            now,
        )
        .await;
        Ok(match submitted {
            Ok((receipt, _new)) => MemoOutcome {
                entry: entry.entry,
                message_id: Some(receipt.message_id.clone()),
                outcome: "accepted".to_owned(),
                receipt: Some(receipt),
                problem: None,
            },
            // Not the memo's fault: the file is taken again later, from this memo on.
            Err(
                err @ (MessagingError::Unavailable(_)
                | MessagingError::Unexpected(_)
                | MessagingError::RegistryUnavailable),
            ) => {
                return Err(anyhow::Error::new(err).context("submitting a bulk file's memo"));
            }
            Err(err) => refused(entry.entry, message_id, &DomainError::from(err)),
        })
    }

    /// The outcomes kept so far, in the manifest's order.
    async fn kept(&self, file: &bulk_file::Model) -> anyhow::Result<Vec<MemoOutcome>> {
        let outcomes: Vec<String> = bulk_outcome::Entity::find()
            .select_only()
            .column(bulk_outcome::Column::Outcome)
            .filter(bulk_outcome::Column::FileId.eq(&file.id))
            .order_by_asc(bulk_outcome::Column::Seq)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(outcomes
            .iter()
            .map(|o| serde_json::from_str(o))
            .collect::<Result<Vec<MemoOutcome>, _>>()?)
    }

    /// Every memo has its outcome: the result file, in one transaction with the state.
    async fn finish(
        &self,
        file: &bulk_file::Model,
        (accepted, refused): (i32, i32),
    ) -> anyhow::Result<()> {
        let memos = self.kept(file).await?;
        let count = memos.len();
        let now = self.clock.now();
        let result = BulkResult {
            file: file.name.clone(),
            status: "done".to_owned(),
            received_at: file.received_at,
            finished_at: now,
            failure: None,
            accepted: accepted.max(0) as u32,
            refused: refused.max(0) as u32,
            memos,
        };
        let txn = self.db.begin().await?;
        if !self.close(&txn, file, result, now).await? {
            txn.rollback().await?;
            return Ok(());
        }
        txn.commit().await?;
        tracing::info!(file = %file.id, system = %file.system_id, count, accepted, refused, "a bulk file was taken");
        Ok(())
    }

    /// The file could not be taken (on): "Fejlet" in the sender's log (`said`, Danish), the
    /// reason (`why`) in the result file — with the outcomes of the memos taken before, if a
    /// crash or a deactivation came between.
    async fn fail(
        &self,
        file: &bulk_file::Model,
        system: Option<&ConnectedSystem>,
        why: String,
        said: String,
    ) -> anyhow::Result<()> {
        let now = self.clock.now();
        let memos = self.kept(file).await?;
        let result = BulkResult {
            file: file.name.clone(),
            status: "failed".to_owned(),
            received_at: file.received_at,
            finished_at: now,
            failure: Some(why.clone()),
            accepted: file.accepted.max(0) as u32,
            refused: file.refused.max(0) as u32,
            memos,
        };
        let txn = self.db.begin().await?;
        if !self.close(&txn, file, result, now).await? {
            txn.rollback().await?;
            return Ok(());
        }
        let record = MessageEventRecord {
            system_id: Some(file.system_id.clone()),
            vendor_cvr: system.and_then(|s| s.vendor_cvr.clone()),
            error_message: Some(said),
            ..MessageEventRecord::new(&file.organisation_cvr, MessageEvent::Failed, now)
        };
        record_message_events(&txn, vec![record]).await?;
        txn.commit().await?;
        tracing::warn!(file = %file.id, system = %file.system_id, %why, "a bulk file failed");
        Ok(())
    }

    /// Ends the file with its result, while this lease holds it.
    async fn close(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        file: &bulk_file::Model,
        result: BulkResult,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let text = serde_json::to_string_pretty(&result)?;
        let closed = bulk_file::Entity::update_many()
            .col_expr(
                bulk_file::Column::State,
                Expr::value(result.status.as_str()),
            )
            .col_expr(
                bulk_file::Column::ResultBytes,
                Expr::value(text.len() as i64),
            )
            .col_expr(bulk_file::Column::Result, Expr::value(text))
            .col_expr(
                bulk_file::Column::Failure,
                Expr::value(result.failure.clone()),
            )
            .col_expr(bulk_file::Column::FinishedAt, Expr::value(now))
            .col_expr(
                bulk_file::Column::LeaseUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                bulk_file::Column::LeaseOwner,
                Expr::value(Option::<String>::None),
            )
            .filter(self.lease.owned(&file.id))
            .exec(txn)
            .await?;
        if closed.rows_affected != 1 {
            return Ok(false);
        }
        bulk_file_content::Entity::delete_by_id(file.id.clone())
            .exec(txn)
            .await?;
        bulk_outcome::Entity::delete_many()
            .filter(bulk_outcome::Column::FileId.eq(&file.id))
            .exec(txn)
            .await?;
        Ok(true)
    }
}

/// A refused memo's line: the problem `POST /api/v1/memos` answers for it.
fn refused(entry: String, message_id: Option<String>, error: &DomainError) -> MemoOutcome {
    MemoOutcome {
        entry,
        message_id,
        outcome: "refused".to_owned(),
        receipt: None,
        problem: Some(error.to_problem()),
    }
}

/// Why the sandbox would not read an archive (the reader's words).
fn unreadable(refusal: &FileRefusal) -> String {
    match refusal {
        FileRefusal::TooComplex(limit) => {
            format!("reading it went over the upload sandbox's {limit} limit")
        }
        FileRefusal::Unreadable(why) => why.clone(),
        FileRefusal::TooLarge(why) => format!("too large: {why}"),
        other => other.to_string(),
    }
}

#[async_trait::async_trait]
impl Job for BulkTaker {
    fn name(&self) -> &'static str {
        "bulk_files"
    }

    fn schedule(&self) -> Schedule {
        Schedule {
            idle: Duration::from_secs(1),
            // A 10,000-memo file takes about ten seconds; the sandbox's own deadline is 15 s.
            stale_after: Duration::from_secs(600),
        }
    }

    async fn round(&self) -> anyhow::Result<Round> {
        Ok(if self.take_one().await? {
            Round::More
        } else {
            Round::Idle
        })
    }
}
