use sea_orm::entity::prelude::*;

/// Issue 35: a bulk file a sender system uploaded over SFTP, from the moment its upload
/// completed; taken under a lease (`lease_owner`, `lease_until`) by one instance at a time.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub system_id: String,
    pub organisation_cvr: String,
    /// Its name in `/inbox` (`….zip`).
    pub name: String,
    pub size_bytes: i64,
    /// `waiting` (to be taken, or being taken under the lease), `done` or `failed`.
    pub state: String,
    pub received_at: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    /// How many memos' outcomes are kept (`bulk_outcomes` 0..progress).
    pub progress: i32,
    pub memo_count: Option<i32>,
    pub accepted: i32,
    pub refused: i32,
    /// Why the whole file was "Fejlet".
    pub failure: Option<String>,
    pub finished_at: Option<DateTimeUtc>,
    /// The result file (`BulkResult` as JSON), once the file is done or failed.
    pub result: Option<String>,
    pub result_bytes: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
