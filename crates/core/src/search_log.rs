//! LOG-03 under load: the searches-log rows of lookups, group-committed. A lookup hands its row
//! to [`SearchLog::record`] and waits until the row is committed — so "every lookup writes
//! exactly one row" holds as firmly as with its own INSERT — but the rows of concurrent lookups
//! share one multi-row INSERT and one commit. With one INSERT per request, SQLite's single
//! writer connection and PostgreSQL's per-commit flush capped citizen-service lookups at 470 and
//! 740 requests/s with p99 of 259 and 154 ms (docs/performance.md, issue 16).

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set};

use crate::audit::SearchRecord;
use crate::entity::searches_log;
use crate::jobs::{Job, Liveness, Round, Schedule};
use crate::queue::{group_queue, GroupConsumer, GroupQueue, CONSUMER_SCHEDULE};

/// Rows per commit at most.
const GROUP: usize = 256;

type Row = (DateTime<Utc>, SearchRecord);

/// The handle lookups write through (app data `web::Data<SearchLog>`).
#[derive(Clone)]
pub struct SearchLog {
    queue: GroupQueue<Row, Result<(), String>>,
}

/// The committer: the job that drains the queue (supervised by the server).
pub struct SearchLogCommitter {
    queue: GroupConsumer<Row, Result<(), String>>,
    db: DatabaseConnection,
}

impl SearchLog {
    pub fn new(db: DatabaseConnection) -> (SearchLog, SearchLogCommitter) {
        let (queue, consumer) = group_queue("The searches-log writer", 4 * GROUP);
        (
            SearchLog { queue },
            SearchLogCommitter {
                queue: consumer,
                db,
            },
        )
    }

    /// Appends one searches-log row; returns once it is committed. While the committer is
    /// down the lookup fails at once (503): no lookup goes unlogged (LOG-03).
    pub async fn record(
        &self,
        at: DateTime<Utc>,
        record: SearchRecord,
    ) -> Result<(), crate::DomainError> {
        self.queue
            .submit((at, record))
            .await?
            .map_err(|failed| DbErr::Custom(failed).into())
    }
}

#[async_trait::async_trait]
impl Job for SearchLogCommitter {
    fn name(&self) -> &'static str {
        "search_log_committer"
    }

    fn schedule(&self) -> Schedule {
        CONSUMER_SCHEDULE
    }

    /// Commits one group of at most [`GROUP`] rows.
    async fn round(&self) -> anyhow::Result<Round> {
        Ok(self
            .queue
            .round(GROUP, async |group| {
                let rows = group.iter().map(|p| row(p.item.0, &p.item.1));
                let result = searches_log::Entity::insert_many(rows)
                    .exec_without_returning(&self.db)
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        tracing::error!(error = %e, rows = group.len(), "searches-log group failed");
                        e.to_string()
                    });
                for p in group {
                    let _ = p.reply.send(result.clone());
                }
            })
            .await)
    }

    fn liveness(&self) -> Option<Liveness> {
        Some(self.queue.liveness())
    }
}

fn row(at: DateTime<Utc>, record: &SearchRecord) -> searches_log::ActiveModel {
    searches_log::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_cvr: Set(record.organisation.to_string()),
        actor_rid: Set(record.actor_rid.clone()),
        search_data: Set(record.search_data.clone()),
        register: Set(record.register.as_str().to_owned()),
        result_count: Set(i64::from(record.result_count)),
        occurred_at: Set(at),
    }
}

/// What a lookup endpoint reads and writes with: the read connections for the status it shows
/// and the searches log for its row (an extractor, so handlers take it as one argument).
pub struct Lookups {
    pub read: actix_web::web::Data<crate::ReadDb>,
    pub log: actix_web::web::Data<SearchLog>,
}

impl actix_web::FromRequest for Lookups {
    type Error = crate::DomainError;
    type Future = std::future::Ready<Result<Lookups, crate::DomainError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let missing =
            |what: &str| crate::DomainError::Unexpected(anyhow::anyhow!("{what} not registered"));
        std::future::ready((|| {
            Ok(Lookups {
                read: req
                    .app_data::<actix_web::web::Data<crate::ReadDb>>()
                    .cloned()
                    .ok_or_else(|| missing("read connections"))?,
                log: req
                    .app_data::<actix_web::web::Data<SearchLog>>()
                    .cloned()
                    .ok_or_else(|| missing("searches log"))?,
            })
        })())
    }
}
