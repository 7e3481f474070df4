//! Authority information (SPEC §8, issue 17): one row per organisation with its privacy-policy
//! link and its logo — the checked PNG's bytes, size and a version id that changes with every
//! upload (the public URL carries it, so caches never show an old logo).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuthorityInformation::Table)
                    .col(
                        ColumnDef::new(AuthorityInformation::OrganisationCvr)
                            .string_len(8)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuthorityInformation::PrivacyPolicyUrl)
                            .string_len(2000)
                            .null(),
                    )
                    .col(ColumnDef::new(AuthorityInformation::Logo).blob().null())
                    .col(
                        ColumnDef::new(AuthorityInformation::LogoWidth)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AuthorityInformation::LogoHeight)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AuthorityInformation::LogoVersion)
                            .string_len(36)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AuthorityInformation::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuthorityInformation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuthorityInformation {
    Table,
    OrganisationCvr,
    PrivacyPolicyUrl,
    Logo,
    LogoWidth,
    LogoHeight,
    LogoVersion,
    UpdatedAt,
}
