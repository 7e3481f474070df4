//! ACC-05: accesses end by themselves after their last day (Copenhagen). [`ExpiryWorker`] ends
//! each one due with actor "System" in the actions log of the authority that gave it. The end
//! is a conditional UPDATE, so of several instances — or an instance and an employee revoking
//! it — exactly one ends it, counts it out and logs it.

use adgang_core::audit::{ActionEvent, Actor};
use adgang_core::sweep::{Sweep, SweepWorker};
use adgang_core::Cvr;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::mail_access;
use crate::MailAccessError;

const BATCH: u64 = 100;

/// Ends `model` (`revoked` or `expired`, at `at`) if it is still in force — not ended, and for
/// a revocation not past its last day — and counts it out; true when this call ended it.
pub(crate) async fn end(
    db: &impl ConnectionTrait,
    model: &mail_access::Model,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<bool, MailAccessError> {
    let mut update = Query::update();
    update
        .table(mail_access::Entity)
        .value(mail_access::Column::EndedAt, Expr::value(at))
        .value(mail_access::Column::EndReason, Expr::value(reason))
        .and_where(Expr::col(mail_access::Column::Id).eq(model.id.as_str()))
        .and_where(Expr::col(mail_access::Column::EndedAt).is_null());
    if reason == "revoked" {
        update.cond_where(
            sea_orm::Condition::any()
                .add(Expr::col(mail_access::Column::EndsAt).is_null())
                .add(Expr::col(mail_access::Column::EndsAt).gt(at)),
        );
    }
    let result = db.execute(db.get_database_backend().build(&update)).await?;
    if result.rows_affected() != 1 {
        return Ok(false);
    }
    super::count_out(db, &model.giver_cpr).await?;
    Ok(true)
}

/// Ends `model` as expired at its end, logged as "System"; true when this call ended it.
async fn expire(
    db: &impl ConnectionTrait,
    model: &mail_access::Model,
) -> Result<bool, MailAccessError> {
    let Some(end_at) = model.ends_at else {
        return Ok(false);
    };
    if !end(db, model, end_at, "expired").await? {
        return Ok(false);
    }
    let organisation = Cvr::parse(&model.created_by_cvr)
        .map_err(|_| anyhow::anyhow!("the giving organisation's CVR"))?;
    let reason = Some("Udløbet".to_owned());
    super::log(
        db,
        &organisation,
        &Actor::System,
        end_at,
        ActionEvent::Deleted,
        model,
        reason,
    )
    .await?;
    Ok(true)
}

/// Ends the giver's accesses past their last day that no expiry run has ended yet, so they
/// neither count against the 10 nor block the holder from a new access.
pub(crate) async fn expire_giver(
    db: &impl ConnectionTrait,
    giver: &str,
    now: DateTime<Utc>,
) -> Result<(), MailAccessError> {
    let due = mail_access::Entity::find()
        .filter(mail_access::Column::GiverCpr.eq(giver))
        .filter(mail_access::Column::EndedAt.is_null())
        .filter(mail_access::Column::EndsAt.lte(now))
        .all(db)
        .await?;
    for model in &due {
        expire(db, model).await?;
    }
    Ok(())
}

/// ACC-05's sweep: accesses past their last day.
pub struct ExpiredAccesses;

#[async_trait::async_trait]
impl Sweep for ExpiredAccesses {
    type Item = mail_access::Model;
    const WHAT: &'static str = "mail accesses";
    const JOB: &'static str = "mail_access_expiry";
    const BATCH: u64 = BATCH;

    async fn due(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<mail_access::Model>> {
        Ok(mail_access::Entity::find()
            .filter(mail_access::Column::EndedAt.is_null())
            .filter(mail_access::Column::EndsAt.lte(now))
            .order_by_asc(mail_access::Column::EndsAt)
            .limit(BATCH)
            .all(db)
            .await?)
    }

    async fn end(
        &self,
        txn: &DatabaseTransaction,
        model: &mail_access::Model,
        _now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        Ok(expire(txn, model).await?)
    }
}

/// The background job of ACC-05, one per server instance.
pub type ExpiryWorker = SweepWorker<ExpiredAccesses>;
