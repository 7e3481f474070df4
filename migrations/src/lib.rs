//! Every schema change, in order. Files are append-only and named
//! `mYYYYMMDD_HHMMSS_<module>_<verb>_<noun>.rs`; each declares its own `DeriveIden` enums so a
//! later change to an entity never rewrites history. The same migrations run on SQLite and
//! PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_identity_create_organisations;
mod m20261126_000002_core_create_audit_logs;
mod m20261126_000003_identity_create_users_rights_sessions;
mod m20261126_000004_identity_create_machine_clients;
mod m20261126_000005_identity_create_signed_agreements;
mod m20261126_000006_systems_create_systems;
mod m20261126_000007_contacts_create_contact_structure;
mod m20261126_000008_contacts_create_structure_versions;
mod m20261202_000009_core_add_on_behalf_to_actions_log;
mod m20261202_000010_systems_add_withdrawn_to_standard_systems;
mod m20261202_000011_identity_add_token_version_to_sessions;
mod m20261202_000012_messaging_create_messages;
mod m20261203_000013_eventlog_create_log_exports;
mod m20261203_000014_exemptions_create_exemptions;
mod m20261203_000015_nemsms_create_enrolments;
mod m20261203_000016_mail_access_create_accesses;
mod m20261203_000017_authority_info_create_authority_information;
mod m20261203_000018_messaging_create_mail_moves;
mod m20261203_000019_statistics_create_reports;
mod m20261203_000020_messaging_add_relay_to_mail_outbox;
mod m20261206_000021_messaging_add_names_to_mail_moves;
mod m20261206_000022_identity_add_legal_notification;
mod m20261206_000023_messaging_add_opened_at;
mod m20261206_000024_core_widen_searches_log_register;
mod m20261206_000025_core_message_events_vendor;
mod m20261206_000026_messaging_create_system_notices;
mod m20261206_000027_messaging_add_queued_at;
mod m20261206_000028_messaging_create_bulk_files;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_identity_create_organisations::Migration),
            Box::new(m20261126_000002_core_create_audit_logs::Migration),
            Box::new(m20261126_000003_identity_create_users_rights_sessions::Migration),
            Box::new(m20261126_000004_identity_create_machine_clients::Migration),
            Box::new(m20261126_000005_identity_create_signed_agreements::Migration),
            Box::new(m20261126_000006_systems_create_systems::Migration),
            Box::new(m20261126_000007_contacts_create_contact_structure::Migration),
            Box::new(m20261126_000008_contacts_create_structure_versions::Migration),
            Box::new(m20261202_000009_core_add_on_behalf_to_actions_log::Migration),
            Box::new(m20261202_000010_systems_add_withdrawn_to_standard_systems::Migration),
            Box::new(m20261202_000011_identity_add_token_version_to_sessions::Migration),
            Box::new(m20261202_000012_messaging_create_messages::Migration),
            Box::new(m20261203_000013_eventlog_create_log_exports::Migration),
            Box::new(m20261203_000014_exemptions_create_exemptions::Migration),
            Box::new(m20261203_000015_nemsms_create_enrolments::Migration),
            Box::new(m20261203_000016_mail_access_create_accesses::Migration),
            Box::new(m20261203_000017_authority_info_create_authority_information::Migration),
            Box::new(m20261203_000018_messaging_create_mail_moves::Migration),
            Box::new(m20261203_000019_statistics_create_reports::Migration),
            Box::new(m20261203_000020_messaging_add_relay_to_mail_outbox::Migration),
            Box::new(m20261206_000021_messaging_add_names_to_mail_moves::Migration),
            Box::new(m20261206_000022_identity_add_legal_notification::Migration),
            Box::new(m20261206_000023_messaging_add_opened_at::Migration),
            Box::new(m20261206_000024_core_widen_searches_log_register::Migration),
            Box::new(m20261206_000025_core_message_events_vendor::Migration),
            Box::new(m20261206_000026_messaging_create_system_notices::Migration),
            Box::new(m20261206_000027_messaging_add_queued_at::Migration),
            Box::new(m20261206_000028_messaging_create_bulk_files::Migration),
        ]
    }
}
