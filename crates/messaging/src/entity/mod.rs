//! The messaging module's own tables.

pub mod bulk_file;
pub mod bulk_file_content;
pub mod bulk_outcome;
pub mod business_receipt;
pub mod delivery_attempt;
pub mod delivery_job;
pub mod mail_move;
pub mod mail_outbox;
pub mod message;
pub mod sftp_host_key;
pub mod sms_outbox;
pub mod system_notice;
