//! What the contact structure and the system connection ask each other.

use sea_orm::{ConnectionTrait, DbErr};

use crate::Cvr;

/// One of an organisation's systems that receive mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientSystem {
    pub id: String,
    pub name: String,
}

/// The organisation's recipient systems, as the contact structure needs them (CS-05: a contact
/// point is bound to one of them; CS-06: the import names them by id or name). Implemented by
/// the systems module.
#[async_trait::async_trait]
pub trait RecipientSystems: Send + Sync {
    /// Every system of `org` that receives mail, by name.
    async fn list(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
    ) -> Result<Vec<RecipientSystem>, DbErr>;

    /// `id` when it is a system of `org` that receives mail; `None` otherwise (another
    /// organisation's system, a sender-only system, no such system).
    async fn recipient_system(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
        id: &str,
    ) -> Result<Option<RecipientSystem>, DbErr>;

    /// The name of any system of `org` (for documents that mention a bound system).
    async fn name(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
        id: &str,
    ) -> Result<Option<String>, DbErr>;
}

/// The names of the contact points bound to a system, so a system with bound points is
/// refused with their names (SYS-12) without the systems module reading the contact
/// structure's tables. Implemented by the contacts module; asked inside the deletion's
/// transaction.
#[async_trait::async_trait]
pub trait BoundContactPoints: Send + Sync {
    async fn names(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
        system_id: &str,
    ) -> Result<Vec<String>, DbErr>;
}

/// SYS-15: what the systems module asks the Digital Post core when a new REST PUSH recipient
/// system is to take over the organisation's mail lying in Virk. Implemented by messaging.
#[async_trait::async_trait]
pub trait VirkMailMoves: Send + Sync {
    /// Orders, in the caller's transaction, a move of `organisation`'s platform-mailbox mail
    /// into `system` (id, name), to start once the system is active; returns the move's id.
    /// Logged in the actions log as `actor`'s; the receipt names `ordered_by` ("Name
    /// (Organisation)") and the system's name.
    async fn order_into_system(
        &self,
        db: &dyn sea_orm::ConnectionTrait,
        organisation: &crate::Cvr,
        actor: &crate::audit::Actor,
        ordered_by: &str,
        system: (&str, &str),
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, sea_orm::DbErr>;
}
