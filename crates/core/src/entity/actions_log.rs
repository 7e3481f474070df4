use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "actions_log")]
pub struct Model {
    /// UUIDv7: sorts by time of writing.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    pub subject: String,
    pub party_id: Option<String>,
    pub object_id: Option<String>,
    pub actor: String,
    pub actor_is_system: bool,
    /// LOG-02: the RID of an actor written `CVR:…-RID:…`, for searching by RID.
    pub actor_rid: Option<String>,
    /// LOG-02: the CVR of an actor written `CVR:…-RID:…`, for searching by CVR.
    pub actor_cvr: Option<String>,
    pub occurred_at: DateTimeUtc,
    pub event: String,
    pub object_name: Option<String>,
    pub field: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub power_of_attorney: Option<bool>,
    /// CTX-02: made by an operator acting on behalf of the organisation.
    pub on_behalf: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
