//! The exemption port of `core` (CORE-02), answered from this module's table.

use std::sync::Arc;

use adgang_core::ports::{ExemptionLift, ExemptionStatus};
use adgang_core::{Clock, Party};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

/// Whether a citizen or company is exempt now: an exemption in force (not lifted, and — for a
/// company — not past the end of its last November).
pub struct ExemptionsPort {
    pub clock: Arc<dyn Clock>,
}

#[async_trait::async_trait]
impl ExemptionStatus for ExemptionsPort {
    async fn exempt_since(
        &self,
        db: &dyn ConnectionTrait,
        party: &Party,
    ) -> Result<Option<DateTime<Utc>>, DbErr> {
        let db = adgang_core::ports::DynConnection(db);
        let found = crate::service::in_force(&db, party.as_str(), self.clock.now()).await?;
        Ok(found.map(|e| e.granted_at))
    }

    async fn lift(&self, db: &dyn ConnectionTrait, lift: ExemptionLift<'_>) -> Result<bool, DbErr> {
        let db = adgang_core::ports::DynConnection(db);
        crate::service::lift_for_access(&db, lift)
            .await
            .map_err(|e| DbErr::Custom(format!("lifting the exemption: {e:#}")))
    }
}
