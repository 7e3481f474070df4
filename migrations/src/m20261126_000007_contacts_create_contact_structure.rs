//! Contact structure (SPEC §3): groups with their parents, points with their placements and
//! keywords. Keywords get their own table so the platforms' keyword search (CS-08) is an
//! index lookup.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContactGroups::Table)
                    .col(
                        ColumnDef::new(ContactGroups::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ContactGroups::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactGroups::Name)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ContactGroups::Description).text().not_null())
                    .col(
                        ColumnDef::new(ContactGroups::IsOrganisationalUnit)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactGroups::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactGroups::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
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
                    .col(
                        ColumnDef::new(ContactGroupParents::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactGroupParents::GroupId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactGroupParents::ParentId)
                            .string_len(36)
                            .not_null(),
                    )
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
                    .col(
                        ColumnDef::new(ContactPoints::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ContactPoints::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPoints::Name)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ContactPoints::Description).text().not_null())
                    .col(
                        ColumnDef::new(ContactPoints::InternalNote)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ContactPoints::Visible).boolean().not_null())
                    // Comma-separated `Audience` ids.
                    .col(
                        ColumnDef::new(ContactPoints::Audiences)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPoints::MaxMessageSizeBytes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPoints::MaxAttachments)
                            .integer()
                            .not_null(),
                    )
                    // The external link, input fields and codes as JSON (read and written whole).
                    .col(ColumnDef::new(ContactPoints::ExternalLink).text().null())
                    .col(ColumnDef::new(ContactPoints::InputFields).text().not_null())
                    .col(ColumnDef::new(ContactPoints::Codes).text().not_null())
                    .col(
                        ColumnDef::new(ContactPoints::RecipientSystemId)
                            .string_len(36)
                            .null(),
                    )
                    .col(ColumnDef::new(ContactPoints::Active).boolean().not_null())
                    .col(
                        ColumnDef::new(ContactPoints::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPoints::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
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
                    .col(
                        ColumnDef::new(ContactPointGroups::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPointGroups::PointId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPointGroups::GroupId)
                            .string_len(36)
                            .not_null(),
                    )
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
                    .col(
                        ColumnDef::new(ContactPointKeywords::PointId)
                            .string_len(36)
                            .not_null(),
                    )
                    // Lower-cased for search and uniqueness; `keyword` keeps the spelling.
                    .col(
                        ColumnDef::new(ContactPointKeywords::Normalised)
                            .string_len(120)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPointKeywords::Keyword)
                            .string_len(120)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactPointKeywords::Position)
                            .integer()
                            .not_null(),
                    )
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
