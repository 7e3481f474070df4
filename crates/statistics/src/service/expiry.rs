//! ST-04: a custom report is deleted 7 days after it was produced — its CSV removed, its row
//! kept as `deleted` so a late download is told why. A conditional UPDATE per report: several
//! instances never delete (or log) one twice.

use adgang_api_types::{ActionEvent, ReportState, Subject};
use adgang_core::audit::{record_action, ActionRecord, Actor, FieldChange};
use adgang_core::sweep::{Sweep, SweepWorker};
use adgang_core::Cvr;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::state_str;
use crate::entity::{report, report_file};

const BATCH: u64 = 100;

pub struct ExpiredReports;

#[async_trait::async_trait]
impl Sweep for ExpiredReports {
    type Item = report::Model;
    const WHAT: &'static str = "custom statistics reports";
    const JOB: &'static str = "statistics_report_expiry";
    const BATCH: u64 = BATCH;

    async fn due(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<report::Model>> {
        Ok(report::Entity::find()
            .filter(report::Column::Kind.eq("custom"))
            .filter(report::Column::State.eq("ready"))
            .filter(report::Column::ExpiresAt.lte(now))
            .order_by_asc(report::Column::ExpiresAt)
            .limit(BATCH)
            .all(db)
            .await?)
    }

    async fn end(
        &self,
        txn: &DatabaseTransaction,
        row: &report::Model,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let deleted = report::Entity::update_many()
            .col_expr(
                report::Column::State,
                Expr::value(state_str(ReportState::Deleted)),
            )
            .col_expr(report::Column::EndedAt, Expr::value(Some(now)))
            .filter(report::Column::Id.eq(&row.id))
            .filter(report::Column::State.eq("ready"))
            .exec(txn)
            .await?;
        if deleted.rows_affected != 1 {
            return Ok(false);
        }
        report_file::Entity::delete_by_id(&row.id).exec(txn).await?;
        let organisation =
            Cvr::parse(&row.organisation_cvr).map_err(|e| anyhow::anyhow!("stored CVR: {e:?}"))?;
        let change = FieldChange::new("state", Some("ready"), Some("deleted"));
        let action = ActionRecord::on_object(
            organisation,
            Subject::Statistics,
            ActionEvent::Deleted,
            &row.id,
            &row.name,
            vec![change],
        );
        record_action(txn, &Actor::System, now, action).await?;
        Ok(true)
    }
}

/// The background job of ST-04's deletion, one per server instance.
pub type ExpiryWorker = SweepWorker<ExpiredReports>;
