//! A version number per organisation's contact structure, raised in the transaction of every
//! change: the tree and the platforms' search are served from memory while it is unchanged.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContactStructureVersions::Table)
                    .col(
                        ColumnDef::new(ContactStructureVersions::OrganisationCvr)
                            .string_len(8)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ContactStructureVersions::Version)
                            .big_integer()
                            .not_null(),
                    )
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
