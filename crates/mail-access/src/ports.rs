//! The mail-access port of `core` (LOG-01 ContentresponsibleID/RepresentativeID): who had
//! read-and-write access to whose mail, and when, from this module's register — its rows keep
//! their start and end, so the history answers for any moment.

use adgang_api_types::AccessLevel;
use adgang_core::ports::{AccessSpan, MailAccessHolders};
use adgang_core::Cpr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entity::mail_access;

pub struct MailAccessHoldersPort;

#[async_trait::async_trait]
impl MailAccessHolders for MailAccessHoldersPort {
    async fn read_write_spans(
        &self,
        db: &dyn ConnectionTrait,
        givers: &[Cpr],
    ) -> Result<Vec<AccessSpan>, DbErr> {
        if givers.is_empty() {
            return Ok(Vec::new());
        }
        let db = adgang_core::ports::DynConnection(db);
        let rows = mail_access::Entity::find()
            .filter(mail_access::Column::GiverCpr.is_in(givers.iter().map(Cpr::as_str)))
            .filter(mail_access::Column::Level.eq(AccessLevel::ReadWrite.as_str()))
            .all(&db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| AccessSpan {
                // Ended by a revocation, or by its last day passing (also before the expiry
                // job has stamped it).
                until: match (row.ended_at, row.ends_at) {
                    (Some(ended), Some(ends)) => Some(ended.min(ends)),
                    (ended, ends) => ended.or(ends),
                },
                giver: row.giver_cpr,
                holder: row.holder_id,
                from: row.created_at,
            })
            .collect())
    }
}
