//! Exemption from Digital Post (SPEC §5, issue 16): one row per exemption — a party has at
//! most one in force (a partial unique index, so two employees exempting the same person at the
//! same moment cannot both succeed) — and the receipts of every grant, lift and renewal, kept so
//! they can be downloaded again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, string_len, string_len_null, text, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Exemptions::Table)
                    .col(string_len(Exemptions::Id, 36).primary_key())
                    .col(string_len(Exemptions::Kind, 8))
                    .col(string_len(Exemptions::PartyId, 10))
                    .col(string_len(Exemptions::PartyName, 255))
                    .col(string_len(Exemptions::GrantedByCvr, 8))
                    .col(timestamp_with_time_zone(Exemptions::GrantedAt))
                    .col(boolean(Exemptions::PowerOfAttorney))
                    .col(string_len(Exemptions::Forwarding, 24))
                    .col(string_len_null(Exemptions::ForwardStreet, 255))
                    .col(string_len_null(Exemptions::ForwardPostalCode, 4))
                    .col(string_len_null(Exemptions::ForwardCity, 255))
                    .col(timestamp_with_time_zone_null(Exemptions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Exemptions::RenewedAt))
                    .col(timestamp_with_time_zone_null(Exemptions::EndedAt))
                    .col(string_len_null(Exemptions::EndReason, 8))
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
                    .col(string_len(ExemptionReceipts::Id, 36).primary_key())
                    .col(string_len(ExemptionReceipts::OrganisationCvr, 8))
                    .col(string_len(ExemptionReceipts::ExemptionId, 36))
                    .col(string_len(ExemptionReceipts::Kind, 8))
                    .col(timestamp_with_time_zone(ExemptionReceipts::IssuedAt))
                    .col(text(ExemptionReceipts::Content))
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
