//! The exemption port of `core` (CORE-02), answered from this module's table.

use std::sync::Arc;

use adgang_core::ports::ExemptionStatus;
use adgang_core::Clock;
use sea_orm::{ConnectionTrait, DbErr};

/// Whether a citizen or company is exempt now: an exemption in force (not lifted, and — for a
/// company — not past the end of its last November).
pub struct ExemptionsPort {
    pub clock: Arc<dyn Clock>,
}

#[async_trait::async_trait]
impl ExemptionStatus for ExemptionsPort {
    async fn is_exempt(&self, db: &dyn ConnectionTrait, recipient: &str) -> Result<bool, DbErr> {
        let db = adgang_core::ports::DynConnection(db);
        let found = crate::service::in_force(&db, recipient, self.clock.now()).await?;
        Ok(found.is_some())
    }
}
