//! System connection (SPEC §2): organisations' systems and vendors' standard systems.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, string_len, string_len_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StandardSystems::Table)
                    .col(string_len(StandardSystems::Id, 36).primary_key())
                    .col(string_len(StandardSystems::VendorCvr, 8))
                    .col(string_len(StandardSystems::Name, 100))
                    .col(string_len(StandardSystems::Role, 20))
                    .col(string_len(StandardSystems::Protocol, 30))
                    // Normalised addresses or one CIDR range, newline-separated.
                    .col(text(StandardSystems::AllowedIps))
                    .col(text_null(StandardSystems::Endpoint))
                    .col(text_null(StandardSystems::ReceiptEndpoint))
                    .col(text_null(StandardSystems::SshPublicKey))
                    .col(string_len(StandardSystems::ContactEmail, 254))
                    .col(string_len(StandardSystems::ContactPhone, 20))
                    .col(string_len_null(StandardSystems::ContactExtraEmail, 254))
                    .col(timestamp_with_time_zone(StandardSystems::CreatedAt))
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
                    .col(string_len(Systems::Id, 36).primary_key())
                    .col(string_len(Systems::OrganisationCvr, 8))
                    .col(string_len(Systems::Name, 100))
                    .col(string_len(Systems::Role, 20))
                    .col(string_len(Systems::Protocol, 30))
                    .col(text(Systems::AllowedIps))
                    .col(text_null(Systems::Endpoint))
                    .col(text_null(Systems::ReceiptEndpoint))
                    .col(text_null(Systems::SshPublicKey))
                    .col(string_len_null(Systems::VendorCvr, 8))
                    // Sealed with the data key (SYS-04); never stored or logged in clear.
                    .col(text_null(Systems::ApiKeySealed))
                    .col(timestamp_with_time_zone_null(Systems::ActiveFrom))
                    .col(timestamp_with_time_zone_null(Systems::ActiveTo))
                    .col(string_len(Systems::ContactEmail, 254))
                    .col(string_len(Systems::ContactPhone, 20))
                    .col(string_len_null(Systems::ContactExtraEmail, 254))
                    .col(boolean(Systems::IsPrimary))
                    .col(string_len_null(Systems::StandardSystemId, 36))
                    .col(timestamp_with_time_zone(Systems::CreatedAt))
                    .col(timestamp_with_time_zone(Systems::UpdatedAt))
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
