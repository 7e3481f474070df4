//! Contact structure (SPEC §3): groups with their parents, points with their placements and
//! keywords. Keywords get their own table so the platforms' keyword search (CS-08) is an
//! index lookup.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, integer, string_len, string_len_null, text, text_null,
    timestamp_with_time_zone,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContactGroups::Table)
                    .col(string_len(ContactGroups::Id, 36).primary_key())
                    .col(string_len(ContactGroups::OrganisationCvr, 8))
                    .col(string_len(ContactGroups::Name, 200))
                    .col(text(ContactGroups::Description))
                    .col(boolean(ContactGroups::IsOrganisationalUnit))
                    .col(timestamp_with_time_zone(ContactGroups::CreatedAt))
                    .col(timestamp_with_time_zone(ContactGroups::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactGroups::Table, ContactGroups::OrganisationCvr)
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactGroupParents::Table)
                    // The organisation, so the tree loads every edge with one indexed query.
                    .col(string_len(ContactGroupParents::OrganisationCvr, 8))
                    .col(string_len(ContactGroupParents::GroupId, 36))
                    .col(string_len(ContactGroupParents::ParentId, 36))
                    .primary_key(
                        Index::create()
                            .col(ContactGroupParents::GroupId)
                            .col(ContactGroupParents::ParentId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactGroupParents::Table, ContactGroupParents::GroupId)
                            .to(ContactGroups::Table, ContactGroups::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactGroupParents::Table, ContactGroupParents::ParentId)
                            .to(ContactGroups::Table, ContactGroups::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactPoints::Table)
                    .col(string_len(ContactPoints::Id, 36).primary_key())
                    .col(string_len(ContactPoints::OrganisationCvr, 8))
                    .col(string_len(ContactPoints::Name, 200))
                    .col(text(ContactPoints::Description))
                    .col(text(ContactPoints::InternalNote))
                    .col(boolean(ContactPoints::Visible))
                    // Comma-separated `Audience` ids.
                    .col(string_len(ContactPoints::Audiences, 40))
                    .col(big_integer(ContactPoints::MaxMessageSizeBytes))
                    .col(integer(ContactPoints::MaxAttachments))
                    // The external link, input fields and codes as JSON (read and written whole).
                    .col(text_null(ContactPoints::ExternalLink))
                    .col(text(ContactPoints::InputFields))
                    .col(text(ContactPoints::Codes))
                    .col(string_len_null(ContactPoints::RecipientSystemId, 36))
                    .col(boolean(ContactPoints::Active))
                    .col(timestamp_with_time_zone(ContactPoints::CreatedAt))
                    .col(timestamp_with_time_zone(ContactPoints::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactPoints::Table, ContactPoints::OrganisationCvr)
                            .to(Organisations::Table, Organisations::Cvr),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactPoints::Table, ContactPoints::RecipientSystemId)
                            .to(Systems::Table, Systems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactPointGroups::Table)
                    .col(string_len(ContactPointGroups::OrganisationCvr, 8))
                    .col(string_len(ContactPointGroups::PointId, 36))
                    .col(string_len(ContactPointGroups::GroupId, 36))
                    .primary_key(
                        Index::create()
                            .col(ContactPointGroups::PointId)
                            .col(ContactPointGroups::GroupId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactPointGroups::Table, ContactPointGroups::PointId)
                            .to(ContactPoints::Table, ContactPoints::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactPointGroups::Table, ContactPointGroups::GroupId)
                            .to(ContactGroups::Table, ContactGroups::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactPointKeywords::Table)
                    .col(string_len(ContactPointKeywords::PointId, 36))
                    // Lower-cased for search and uniqueness; `keyword` keeps the spelling.
                    .col(string_len(ContactPointKeywords::Normalised, 120))
                    .col(string_len(ContactPointKeywords::Keyword, 120))
                    .col(integer(ContactPointKeywords::Position))
                    .primary_key(
                        Index::create()
                            .col(ContactPointKeywords::PointId)
                            .col(ContactPointKeywords::Normalised),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactPointKeywords::Table, ContactPointKeywords::PointId)
                            .to(ContactPoints::Table, ContactPoints::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, col) in [
            (
                "idx_contact_groups_organisation",
                ContactGroups::Table.into_iden(),
                ContactGroups::OrganisationCvr.into_iden(),
            ),
            (
                "idx_contact_points_organisation",
                ContactPoints::Table.into_iden(),
                ContactPoints::OrganisationCvr.into_iden(),
            ),
            (
                "idx_contact_point_groups_group",
                ContactPointGroups::Table.into_iden(),
                ContactPointGroups::GroupId.into_iden(),
            ),
            (
                "idx_contact_point_groups_organisation",
                ContactPointGroups::Table.into_iden(),
                ContactPointGroups::OrganisationCvr.into_iden(),
            ),
            (
                "idx_contact_group_parents_parent",
                ContactGroupParents::Table.into_iden(),
                ContactGroupParents::ParentId.into_iden(),
            ),
            (
                "idx_contact_group_parents_organisation",
                ContactGroupParents::Table.into_iden(),
                ContactGroupParents::OrganisationCvr.into_iden(),
            ),
            (
                "idx_contact_point_keywords_normalised",
                ContactPointKeywords::Table.into_iden(),
                ContactPointKeywords::Normalised.into_iden(),
            ),
        ] {
            manager
                .create_index(Index::create().name(name).table(table).col(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContactPointKeywords::Table.into_iden(),
            ContactPointGroups::Table.into_iden(),
            ContactPoints::Table.into_iden(),
            ContactGroupParents::Table.into_iden(),
            ContactGroups::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ContactGroups {
    Table,
    Id,
    OrganisationCvr,
    Name,
    Description,
    IsOrganisationalUnit,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContactGroupParents {
    Table,
    OrganisationCvr,
    GroupId,
    ParentId,
}

#[derive(DeriveIden)]
enum ContactPoints {
    Table,
    Id,
    OrganisationCvr,
    Name,
    Description,
    InternalNote,
    Visible,
    Audiences,
    MaxMessageSizeBytes,
    MaxAttachments,
    ExternalLink,
    InputFields,
    Codes,
    RecipientSystemId,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContactPointGroups {
    Table,
    OrganisationCvr,
    PointId,
    GroupId,
}

#[derive(DeriveIden)]
enum ContactPointKeywords {
    Table,
    PointId,
    Normalised,
    Keyword,
    Position,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cvr,
}

#[derive(DeriveIden)]
enum Systems {
    Table,
    Id,
}
