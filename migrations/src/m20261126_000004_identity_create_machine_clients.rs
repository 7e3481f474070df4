//! Machine clients (integrators): OAuth2 client-credentials registrations per organisation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    string_len, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MachineClients::Table)
                    .col(string_len(MachineClients::ClientId, 64).primary_key())
                    .col(string_len(MachineClients::OrganisationCvr, 8))
                    .col(string_len(MachineClients::Name, 100))
                    .col(string_len(MachineClients::SecretHash, 64))
                    // Comma-separated Right ids, as granted at registration.
                    .col(string_len(MachineClients::Rights, 400))
                    .col(timestamp_with_time_zone(MachineClients::CreatedAt))
                    .col(timestamp_with_time_zone_null(MachineClients::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MachineClients::Table, MachineClients::OrganisationCvr)
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MachineClients::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MachineClients {
    Table,
    ClientId,
    OrganisationCvr,
    Name,
    SecretHash,
    Rights,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cvr,
}
