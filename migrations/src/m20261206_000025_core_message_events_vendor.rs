//! Issue 33 item 4 (LOG-01, the guide's §7.3): ContentresponsibleID and RepresentativeID are the
//! CPR/CVR of the citizen or company with read-and-write access to the recipient's mail (before
//! and after 3 March 2025) — read from the mail-access register's history when the log is
//! downloaded, not stored with each event. The two columns held the sender's CVR and the vendor's:
//! the sender's is the sender column already (dropped), the vendor's keeps its own name.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string_len_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MessageEvents::Table)
                    .rename_column(MessageEvents::RepresentativeId, MessageEvents::VendorCvr)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MessageEvents::Table)
                    .drop_column(MessageEvents::ContentResponsibleId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Messages::Table)
                    .rename_column(Messages::RepresentativeId, Messages::VendorCvr)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Messages::Table)
                    .rename_column(Messages::VendorCvr, Messages::RepresentativeId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MessageEvents::Table)
                    .add_column(string_len_null(MessageEvents::ContentResponsibleId, 8))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MessageEvents::Table)
                    .rename_column(MessageEvents::VendorCvr, MessageEvents::RepresentativeId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MessageEvents {
    Table,
    ContentResponsibleId,
    RepresentativeId,
    VendorCvr,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    RepresentativeId,
    VendorCvr,
}
