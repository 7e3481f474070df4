use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    pub name: String,
    pub description: String,
    /// Never leaves through the platforms' API.
    pub internal_note: String,
    pub visible: bool,
    /// Comma-separated `Audience` ids.
    pub audiences: String,
    pub max_message_size_bytes: i64,
    pub max_attachments: i32,
    /// JSON `ExternalLink`.
    pub external_link: Option<String>,
    /// JSON array of titles.
    pub input_fields: String,
    /// JSON array of `ContactPointCode`.
    pub codes: String,
    pub recipient_system_id: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
