use sea_orm::entity::prelude::*;

/// A login session: the refresh cookie's server side. The cookie holds a random token; only its
/// SHA-256 is stored, and it is replaced on every use.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    /// The organisation the session currently acts in (context switching changes it).
    pub organisation_cvr: String,
    /// True when an operator acts on behalf of `organisation_cvr`.
    pub operator: bool,
    #[sea_orm(unique)]
    pub refresh_token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    /// Raised when the user loses a right: tokens of a lower version stop counting (issue 13).
    pub token_version: i64,
    /// When the session's tokens were last revoked (version raised or session ended).
    pub tokens_revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
