//! Onboarding (AUTH-04): the signed connection agreement an authority uploads before joining.
//! One row per organisation; a new upload before completion replaces it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignedAgreements::Table)
                    .col(
                        ColumnDef::new(SignedAgreements::OrganisationCvr)
                            .string_len(8)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SignedAgreements::Document)
                            .binary()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignedAgreements::Sha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignedAgreements::SizeBytes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignedAgreements::PageCount)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignedAgreements::UploadedBy)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignedAgreements::UploadedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
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
