//! The event log's own tables: export jobs and their files. The logs themselves are core's
//! (`adgang_core::entity`), written by every module and only read here.

pub mod log_export;
pub mod log_export_chunk;
