//! The NemSMS port of `core` (CORE-02): the number a NemSMS service message goes to, answered
//! from this module's enrolments.

use adgang_core::ports::NemSmsNumbers;
use adgang_core::Party;
use sea_orm::{ConnectionTrait, DbErr};

/// The confirmed number of the party's current enrolment (a number waiting for confirmation
/// is not used; a changed number is used once confirmed).
pub struct NemSmsPort;

#[async_trait::async_trait]
impl NemSmsNumbers for NemSmsPort {
    async fn confirmed_number(
        &self,
        db: &dyn ConnectionTrait,
        party: &Party,
    ) -> Result<Option<String>, DbErr> {
        let db = adgang_core::ports::DynConnection(db);
        Ok(crate::service::current(&db, party.as_str())
            .await?
            .and_then(|enrolment| enrolment.phone))
    }
}
