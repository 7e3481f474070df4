//! Exemption from Digital Post (SPEC §5, issue 16): one row per exemption — a party has at
//! most one in force (a partial unique index, so two employees exempting the same person at the
//! same moment cannot both succeed) — and the receipts of every grant, lift and renewal, kept so
//! they can be downloaded again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn text(column: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(column).string_len(len).not_null().to_owned()
}

fn optional_text(column: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(column).string_len(len).null().to_owned()
}

fn time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn optional_time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Exemptions::Table)
                    .col(text(Exemptions::Id, 36).primary_key())
                    .col(text(Exemptions::Kind, 8))
                    .col(text(Exemptions::PartyId, 10))
                    .col(text(Exemptions::PartyName, 255))
                    .col(text(Exemptions::GrantedByCvr, 8))
                    .col(time(Exemptions::GrantedAt))
                    .col(
                        ColumnDef::new(Exemptions::PowerOfAttorney)
                            .boolean()
                            .not_null(),
                    )
                    .col(text(Exemptions::Forwarding, 24))
                    .col(optional_text(Exemptions::ForwardStreet, 255))
                    .col(optional_text(Exemptions::ForwardPostalCode, 4))
                    .col(optional_text(Exemptions::ForwardCity, 255))
                    .col(optional_time(Exemptions::ExpiresAt))
                    .col(optional_time(Exemptions::RenewedAt))
                    .col(optional_time(Exemptions::EndedAt))
                    .col(optional_text(Exemptions::EndReason, 8))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // EX-02/EX-04: at most one exemption in force per party.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_exemptions_party_in_force ON exemptions (party_id) \
             WHERE ended_at IS NULL",
        )
        .await?;
        // EX-04: the expiry job reads only exemptions in force with an end.
        db.execute_unprepared(
            "CREATE INDEX ix_exemptions_expiry ON exemptions (expires_at) \
             WHERE ended_at IS NULL AND expires_at IS NOT NULL",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExemptionReceipts::Table)
                    .col(text(ExemptionReceipts::Id, 36).primary_key())
                    .col(text(ExemptionReceipts::OrganisationCvr, 8))
                    .col(text(ExemptionReceipts::ExemptionId, 36))
                    .col(text(ExemptionReceipts::Kind, 8))
                    .col(time(ExemptionReceipts::IssuedAt))
                    .col(ColumnDef::new(ExemptionReceipts::Content).text().not_null())
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExemptionReceipts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Exemptions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Exemptions {
    Table,
    Id,
    Kind,
    PartyId,
    PartyName,
    GrantedByCvr,
    GrantedAt,
    PowerOfAttorney,
    Forwarding,
    ForwardStreet,
    ForwardPostalCode,
    ForwardCity,
    ExpiresAt,
    RenewedAt,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum ExemptionReceipts {
    Table,
    Id,
    OrganisationCvr,
    ExemptionId,
    Kind,
    IssuedAt,
    Content,
}
