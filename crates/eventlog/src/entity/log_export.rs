use sea_orm::entity::prelude::*;

/// An asynchronous CSV export of one log search.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "log_exports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    /// `EventLogKind::as_str`.
    pub log: String,
    /// The search, as the JSON of the log's filter with the period made explicit.
    pub filter: String,
    /// The actor who asked for it, as the actions log writes actors.
    pub requested_by: String,
    /// `queued`, `running` or `done`.
    pub status: String,
    pub rows_total: i64,
    pub rows_written: i64,
    pub created_at: DateTimeUtc,
    /// A running export belongs to its worker until then; after, another instance takes over.
    pub claimed_until: Option<DateTimeUtc>,
    pub expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
