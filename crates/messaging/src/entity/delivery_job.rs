use sea_orm::entity::prelude::*;

/// Work the dispatcher owes a message (the transactional outbox, CORE-05): written in the
/// transaction that accepted or last moved the message, deleted in the one that finishes it.
/// A claim moves `due_at` a lease ahead, so a job whose worker died is claimed again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub message_pk: String,
    /// `crate::service::JobKind` wire id.
    pub kind: String,
    /// The system to deliver to or notify.
    pub system_id: Option<String>,
    /// Attempts made in the current phase.
    pub attempts: i32,
    /// In the primary-system phase after 7 days of failures (CORE-03).
    pub fallback: bool,
    /// For a `receipt` job: the business receipt to deliver.
    pub receipt_id: Option<String>,
    /// When the current phase began (the original sending, or the fallback).
    pub first_sent_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
