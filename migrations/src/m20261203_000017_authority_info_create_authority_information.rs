//! Authority information (SPEC §8, issue 17): one row per organisation with its privacy-policy
//! link and its logo — the checked PNG's bytes, size and a version id that changes with every
//! upload (the public URL carries it, so caches never show an old logo).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    blob_null, integer_null, string_len, string_len_null, timestamp_with_time_zone,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuthorityInformation::Table)
                    .col(string_len(AuthorityInformation::OrganisationCvr, 8).primary_key())
                    .col(string_len_null(
                        AuthorityInformation::PrivacyPolicyUrl,
                        2000,
                    ))
                    .col(blob_null(AuthorityInformation::Logo))
                    .col(integer_null(AuthorityInformation::LogoWidth))
                    .col(integer_null(AuthorityInformation::LogoHeight))
                    .col(string_len_null(AuthorityInformation::LogoVersion, 36))
                    .col(timestamp_with_time_zone(AuthorityInformation::UpdatedAt))
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
