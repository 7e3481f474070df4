//! Organisations (SPEC §0): authorities and companies, keyed by CVR.

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
                    .table(Organisations::Table)
                    .col(string_len(Organisations::Cvr, 8).primary_key())
                    .col(string_len(Organisations::Name, 200))
                    .col(string_len(Organisations::Kind, 16))
                    .col(timestamp_with_time_zone_null(
                        Organisations::AgreementAcceptedAt,
                    ))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .check(Expr::col(Organisations::Kind).is_in(["authority", "company"]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_organisations_name")
                    .table(Organisations::Table)
                    .col(Organisations::Name)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Organisations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cvr,
    Name,
    Kind,
    AgreementAcceptedAt,
    CreatedAt,
}
