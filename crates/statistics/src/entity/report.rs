use sea_orm::entity::prelude::*;

/// A report ordered (ST-02/ST-04): a standard report's subscription or a custom report, where
/// it is, and when the scheduler produces it next. `kind`, `standard_report`, `interval`,
/// `state` and each of `variables` (comma-separated) hold the wire ids of their API enums.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statistics_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    pub kind: String,
    pub standard_report: Option<String>,
    pub name: String,
    pub variables: String,
    pub interval: Option<String>,
    /// Custom: the period ordered. Standard: the period of the version ready.
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub state: String,
    pub notify_email: Option<String>,
    pub ordered_at: DateTimeUtc,
    /// When the scheduler produces it next; `None` when nothing is left to produce.
    pub due_at: Option<DateTimeUtc>,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub produced_at: Option<DateTimeUtc>,
    pub size_bytes: Option<i64>,
    pub rows: Option<i64>,
    /// Custom: deleted at this time (7 days after it was produced).
    pub expires_at: Option<DateTimeUtc>,
    /// Cancelled or deleted.
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
