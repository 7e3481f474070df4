//! Core's own tables: the audit logs and the message log. Insert through [`crate::audit`] only.

pub mod actions_log;
pub mod message_events;
pub mod searches_log;
