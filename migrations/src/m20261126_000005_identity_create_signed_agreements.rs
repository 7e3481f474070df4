//! Onboarding (AUTH-04): the signed connection agreement an authority uploads before joining.
//! One row per organisation; a new upload before completion replaces it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, integer, string_len, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignedAgreements::Table)
                    .col(string_len(SignedAgreements::OrganisationCvr, 8).primary_key())
                    .col(
                        ColumnDef::new(SignedAgreements::Document)
                            .binary()
                            .not_null(),
                    )
                    .col(string_len(SignedAgreements::Sha256, 64))
                    .col(big_integer(SignedAgreements::SizeBytes))
                    .col(integer(SignedAgreements::PageCount))
                    .col(string_len(SignedAgreements::UploadedBy, 100))
                    .col(timestamp_with_time_zone(SignedAgreements::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SignedAgreements::Table, SignedAgreements::OrganisationCvr)
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignedAgreements::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SignedAgreements {
    Table,
    OrganisationCvr,
    Document,
    Sha256,
    SizeBytes,
    PageCount,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cvr,
}
