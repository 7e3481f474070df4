//! EX-04: company exemptions end by themselves at the end of November two years after they were
//! granted or renewed. [`ExpiryWorker`] ends each one past its end and writes the actions-log
//! row with actor "System" (EX-06) in the same transaction. The end is a conditional UPDATE
//! ("still in force"), so of several server instances — or an instance and an employee lifting
//! it — exactly one ends it and logs it.

use adgang_core::audit::{ActionEvent, Actor};
use adgang_core::sweep::{Sweep, SweepWorker};
use adgang_core::Cvr;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::exemption;
use crate::ExemptionError;

/// Exemptions ended per transaction.
const BATCH: u64 = 100;

/// The actions-log reason of an expiry.
const EXPIRED: &str = "Udløbet: udgangen af november to år efter fritagelsen";

/// Ends `model` as expired if it is still open; true when this call ended it.
async fn end_expired(
    db: &impl ConnectionTrait,
    model: &exemption::Model,
) -> Result<bool, ExemptionError> {
    let Some(end) = model.expires_at else {
        return Ok(false);
    };
    let mut update = Query::update();
    update
        .table(exemption::Entity)
        .value(exemption::Column::EndedAt, Expr::value(end))
        .value(exemption::Column::EndReason, Expr::value("expired"))
        .and_where(Expr::col(exemption::Column::Id).eq(model.id.as_str()))
        .and_where(Expr::col(exemption::Column::EndedAt).is_null());
    let result = db.execute(db.get_database_backend().build(&update)).await?;
    if result.rows_affected() != 1 {
        return Ok(false);
    }
    let after = exemption::Model {
        ended_at: Some(end),
        end_reason: Some("expired".to_owned()),
        ..model.clone()
    };
    let organisation = Cvr::parse(&model.granted_by_cvr)
        .map_err(|_| anyhow::anyhow!("the granting organisation's CVR"))?;
    let entry = super::LogEntry {
        organisation: &organisation,
        actor: &Actor::System,
        at: end,
        event: ActionEvent::Deleted,
        reason: EXPIRED.to_owned(),
        power_of_attorney: None,
    };
    super::log_action(db, entry, Some(model), &after).await?;
    Ok(true)
}

/// Ends the party's exemption if it has expired but no expiry run has ended it yet — so a new
/// exemption can be granted the moment the old one has run out.
pub(crate) async fn expire_party(
    db: &impl ConnectionTrait,
    party_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ExemptionError> {
    let due = exemption::Entity::find()
        .filter(exemption::Column::PartyId.eq(party_id))
        .filter(exemption::Column::EndedAt.is_null())
        .filter(exemption::Column::ExpiresAt.lt(now))
        .all(db)
        .await?;
    for model in &due {
        end_expired(db, model).await?;
    }
    Ok(())
}

/// EX-04's sweep: company exemptions past their end.
pub struct ExpiredExemptions;

#[async_trait::async_trait]
impl Sweep for ExpiredExemptions {
    type Item = exemption::Model;
    const WHAT: &'static str = "company exemptions";
    const JOB: &'static str = "exemption_expiry";
    const BATCH: u64 = BATCH;

    async fn due(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<exemption::Model>> {
        Ok(exemption::Entity::find()
            .filter(exemption::Column::EndedAt.is_null())
            .filter(exemption::Column::ExpiresAt.lt(now))
            .order_by_asc(exemption::Column::ExpiresAt)
            .limit(BATCH)
            .all(db)
            .await?)
    }

    async fn end(
        &self,
        txn: &DatabaseTransaction,
        model: &exemption::Model,
        _now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        Ok(end_expired(txn, model).await?)
    }
}

/// The background job of EX-04, one per server instance.
pub type ExpiryWorker = SweepWorker<ExpiredExemptions>;
