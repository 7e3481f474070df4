//! The messaging module's own tables.

pub mod business_receipt;
pub mod delivery_attempt;
pub mod delivery_job;
pub mod mail_move;
pub mod mail_outbox;
pub mod message;
pub mod sms_outbox;
pub mod system_notice;
