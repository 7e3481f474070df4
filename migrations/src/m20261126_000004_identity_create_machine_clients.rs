//! Machine clients (integrators): OAuth2 client-credentials registrations per organisation.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MachineClients::Table)
                    .col(
                        ColumnDef::new(MachineClients::ClientId)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(MachineClients::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MachineClients::Name)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MachineClients::SecretHash)
                            .string_len(64)
                            .not_null(),
                    )
                    // Comma-separated Right ids, as granted at registration.
                    .col(
                        ColumnDef::new(MachineClients::Rights)
                            .string_len(400)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MachineClients::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MachineClients::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
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
