//! System connection (SPEC §2): organisations' systems and vendors' standard systems.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StandardSystems::Table)
                    .col(
                        ColumnDef::new(StandardSystems::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(StandardSystems::VendorCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StandardSystems::Name)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StandardSystems::Role)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StandardSystems::Protocol)
                            .string_len(30)
                            .not_null(),
                    )
                    // Normalised addresses or one CIDR range, newline-separated.
                    .col(
                        ColumnDef::new(StandardSystems::AllowedIps)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(StandardSystems::Endpoint).text().null())
                    .col(
                        ColumnDef::new(StandardSystems::ReceiptEndpoint)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(StandardSystems::SshPublicKey).text().null())
                    .col(
                        ColumnDef::new(StandardSystems::ContactEmail)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StandardSystems::ContactPhone)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StandardSystems::ContactExtraEmail)
                            .string_len(254)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(StandardSystems::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StandardSystems::Table, StandardSystems::VendorCvr)
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Systems::Table)
                    .col(
                        ColumnDef::new(Systems::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Systems::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Systems::Name).string_len(100).not_null())
                    .col(ColumnDef::new(Systems::Role).string_len(20).not_null())
                    .col(ColumnDef::new(Systems::Protocol).string_len(30).not_null())
                    .col(ColumnDef::new(Systems::AllowedIps).text().not_null())
                    .col(ColumnDef::new(Systems::Endpoint).text().null())
                    .col(ColumnDef::new(Systems::ReceiptEndpoint).text().null())
                    .col(ColumnDef::new(Systems::SshPublicKey).text().null())
                    .col(ColumnDef::new(Systems::VendorCvr).string_len(8).null())
                    // Sealed with the data key (SYS-04); never stored or logged in clear.
                    .col(ColumnDef::new(Systems::ApiKeySealed).text().null())
                    .col(
                        ColumnDef::new(Systems::ActiveFrom)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Systems::ActiveTo)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Systems::ContactEmail)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Systems::ContactPhone)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Systems::ContactExtraEmail)
                            .string_len(254)
                            .null(),
                    )
                    .col(ColumnDef::new(Systems::IsPrimary).boolean().not_null())
                    .col(
                        ColumnDef::new(Systems::StandardSystemId)
                            .string_len(36)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Systems::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Systems::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Systems::Table, Systems::OrganisationCvr)
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Systems::Table, Systems::StandardSystemId)
                            .to(StandardSystems::Table, StandardSystems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Listing one organisation's systems by name (id breaks ties) is the hot path: the index
        // answers the filter and the order without a sort.
        manager
            .create_index(
                Index::create()
                    .name("idx_systems_organisation_name")
                    .table(Systems::Table)
                    .col(Systems::OrganisationCvr)
                    .col(Systems::Name)
                    .col(Systems::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Systems::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StandardSystems::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Systems {
    Table,
    Id,
    OrganisationCvr,
    Name,
    Role,
    Protocol,
    AllowedIps,
    Endpoint,
    ReceiptEndpoint,
    SshPublicKey,
    VendorCvr,
    ApiKeySealed,
    ActiveFrom,
    ActiveTo,
    ContactEmail,
    ContactPhone,
    ContactExtraEmail,
    IsPrimary,
    StandardSystemId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StandardSystems {
    Table,
    Id,
    VendorCvr,
    Name,
    Role,
    Protocol,
    AllowedIps,
    Endpoint,
    ReceiptEndpoint,
    SshPublicKey,
    ContactEmail,
    ContactPhone,
    ContactExtraEmail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cvr,
}
