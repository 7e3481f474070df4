use sea_orm::entity::prelude::*;

/// The signed connection agreement an authority uploaded during onboarding (AUTH-04).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signed_agreements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_cvr: String,
    /// The PDF as uploaded.
    pub document: Vec<u8>,
    pub sha256: String,
    pub size_bytes: i64,
    pub page_count: i32,
    /// RID/UUID of the uploader.
    pub uploaded_by: String,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
