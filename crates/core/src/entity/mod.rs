//! Core's own tables: the audit logs. Insert through [`crate::audit`] only.

pub mod actions_log;
pub mod searches_log;
