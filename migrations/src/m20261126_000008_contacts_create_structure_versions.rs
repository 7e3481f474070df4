//! A version number per organisation's contact structure, raised in the transaction of every
//! change: the tree and the platforms' search are served from memory while it is unchanged.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string_len};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContactStructureVersions::Table)
                    .col(string_len(ContactStructureVersions::OrganisationCvr, 8).primary_key())
                    .col(big_integer(ContactStructureVersions::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ContactStructureVersions::Table,
                                ContactStructureVersions::OrganisationCvr,
                            )
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(ContactStructureVersions::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ContactStructureVersions {
    Table,
    OrganisationCvr,
    Version,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cvr,
}
