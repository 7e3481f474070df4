//! Users, their rights per organisation (SPEC §0), and login sessions (AUTH-03, AUTH-06).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, string_len, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(string_len(Users::Id, 36).primary_key())
                    .col(string_len(Users::Subject, 128).unique_key())
                    .col(string_len(Users::Name, 200))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserRights::Table)
                    .col(string_len(UserRights::UserId, 36))
                    .col(string_len(UserRights::OrganisationCvr, 8))
                    .col(string_len(UserRights::Right, 32))
                    .col(timestamp_with_time_zone(UserRights::GrantedAt))
                    .primary_key(
                        Index::create()
                            .col(UserRights::UserId)
                            .col(UserRights::OrganisationCvr)
                            .col(UserRights::Right),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRights::Table, UserRights::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRights::Table, UserRights::OrganisationCvr)
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_user_rights_org")
                    .table(UserRights::Table)
                    .col(UserRights::OrganisationCvr)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 36).primary_key())
                    .col(string_len(Sessions::UserId, 36))
                    .col(string_len(Sessions::OrganisationCvr, 8))
                    .col(boolean(Sessions::Operator))
                    .col(string_len(Sessions::RefreshTokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::EndedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Sessions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(UserRights::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Subject,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserRights {
    Table,
    UserId,
    OrganisationCvr,
    Right,
    GrantedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    OrganisationCvr,
    Operator,
    RefreshTokenHash,
    CreatedAt,
    ExpiresAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cvr,
}
