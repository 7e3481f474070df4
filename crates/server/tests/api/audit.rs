//! X-08, LOG-02, LOG-03, LOG-06: audit rows commit with their change, and never change after.

use adgang_api_types::MessageEvent;
use adgang_api_types::OrgKind;
use adgang_core::audit::{
    record_action, record_message_events, record_search, ActionEvent, ActionRecord, Actor,
    FieldChange, MessageEventRecord, Register, SearchRecord, Subject,
};
use adgang_core::entity::{actions_log, message_events, searches_log};
use adgang_core::Cvr;
use adgang_identity::service::{create_organisation, NewOrganisation};
use adgang_test_support::TestDatabase;
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait,
};

async fn migrated() -> (TestDatabase, DatabaseConnection) {
    let database = TestDatabase::create().await;
    let db = adgang_server::database::connect_and_migrate(&database.url)
        .await
        .unwrap();
    (database, db)
}

fn cvr() -> Cvr {
    Cvr::parse("29189846").unwrap()
}

fn created(name: &str) -> ActionRecord {
    ActionRecord {
        organisation: cvr(),
        subject: Subject::Onboarding,
        event: ActionEvent::Created,
        party: Some("29189846".into()),
        object_id: Some("29189846".into()),
        object_name: Some(name.into()),
        changes: vec![
            FieldChange::new("name", None::<String>, Some(name)),
            FieldChange::new("kind", None::<String>, Some("authority")),
        ],
        reason: None,
        power_of_attorney: None,
    }
}

async fn create_with_audit(db: &impl ConnectionTrait, name: &str) {
    let now = chrono::Utc::now();
    let new = NewOrganisation {
        cvr: cvr(),
        name: name.into(),
        kind: OrgKind::Authority,
        agreement_accepted_at: Some(chrono::Utc::now()),
    };
    create_organisation(db, new, now).await.unwrap();
    let actor = Actor::EmployeeOf {
        cvr: cvr(),
        rid: "12345678910".into(),
    };
    record_action(db, &actor, now, created(name)).await.unwrap();
}

/// Records one search with one result, made now by `actor_rid` for `search_data`.
async fn search_once(
    db: &impl ConnectionTrait,
    actor_rid: &str,
    search_data: &str,
    register: Register,
) {
    let record = SearchRecord {
        organisation: cvr(),
        actor_rid: actor_rid.into(),
        search_data: search_data.into(),
        register,
        result_count: 1,
    };
    record_search(db, chrono::Utc::now(), record).await.unwrap();
}

#[tokio::test]
async fn x_08_audit_rows_roll_back_with_their_change() {
    let (_database, db) = migrated().await;
    let txn = db.begin().await.unwrap();
    create_with_audit(&txn, "Testkommune Nord").await;
    txn.rollback().await.unwrap();
    assert_eq!(actions_log::Entity::find().count(&db).await.unwrap(), 0);

    let txn = db.begin().await.unwrap();
    create_with_audit(&txn, "Testkommune Nord").await;
    txn.commit().await.unwrap();
    let mut rows = actions_log::Entity::find().all(&db).await.unwrap();
    rows.sort_by(|a, b| a.field.cmp(&b.field));
    let fields: Vec<_> = rows
        .iter()
        .map(|r| (r.field.as_deref(), r.before.as_deref(), r.after.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            (Some("kind"), None, Some("authority")),
            (Some("name"), None, Some("Testkommune Nord"))
        ]
    );
    assert!(rows
        .iter()
        .all(|r| r.actor == "CVR:29189846-RID:12345678910"
            && r.event == "created"
            && r.subject == "onboarding"
            && !r.actor_is_system));
}

#[tokio::test]
async fn log_02_an_action_without_field_changes_is_one_row() {
    let (_database, db) = migrated().await;
    let mut record = created("x");
    record.changes.clear();
    record.event = ActionEvent::Deleted;
    record_action(&db, &Actor::System, chrono::Utc::now(), record)
        .await
        .unwrap();
    let rows = actions_log::Entity::find().all(&db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].field.as_deref(), rows[0].actor.as_str()),
        (None, "System")
    );
    assert!(rows[0].actor_is_system);
}

#[tokio::test]
async fn log_03_a_lookup_writes_one_searches_log_row() {
    let (_database, db) = migrated().await;
    search_once(&db, "12345678910", "0101901234", Register::Cpr).await;
    let rows = searches_log::Entity::find().all(&db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].register.as_str(), rows[0].result_count),
        ("cpr", 1)
    );
}

#[tokio::test]
async fn log_06_log_rows_cannot_be_updated_or_deleted() {
    let (database, db) = migrated().await;
    create_with_audit(&db, "Testkommune Nord").await;
    search_once(&db, "r", "29189846", Register::Cvr).await;
    let event = MessageEventRecord::new("29189846", MessageEvent::Validated, chrono::Utc::now());
    record_message_events(&db, vec![event]).await.unwrap();

    // Even a direct connection, bypassing the application, cannot rewrite history.
    let direct = Database::connect(&database.url).await.unwrap();
    for sql in [
        "UPDATE actions_log SET actor = 'someone else'",
        "DELETE FROM actions_log",
        "UPDATE searches_log SET result_count = 0",
        "DELETE FROM searches_log",
        "UPDATE message_events SET event = 'failed'",
        "DELETE FROM message_events",
    ] {
        assert!(
            direct.execute_unprepared(sql).await.is_err(),
            "{sql} must be refused"
        );
    }
    assert_eq!(actions_log::Entity::find().count(&db).await.unwrap(), 2);
    assert_eq!(searches_log::Entity::find().count(&db).await.unwrap(), 1);
    assert_eq!(message_events::Entity::find().count(&db).await.unwrap(), 1);
}
