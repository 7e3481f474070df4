//! The first database-backed resource: organisations, paged and sorted.

use adgang_api_types::{ErrorCode, Problem, Right};
use adgang_api_types::{OrgKind, Organisation, Page};
use adgang_test_support::{spawn_app, spawn_app_with_organisations, TestApp};

fn operator(app: &TestApp) -> String {
    app.token_for("34051178", OrgKind::Authority, &[Right::Operator])
}

const ORGS: &[(&str, &str, OrgKind)] = &[
    ("29189846", "Testkommune Nord", OrgKind::Authority),
    ("34051178", "Ærø Styrelse", OrgKind::Authority),
    ("25052943", "Æblegården ApS", OrgKind::Company),
];

#[tokio::test]
async fn gets_one_organisation_with_danish_letters_intact() {
    let app = spawn_app_with_organisations(ORGS).await;
    let own = app.token_for("25052943", OrgKind::Company, &[Right::SystemAdmin]);
    let org: Organisation = app
        .get_json_as("/api/v1/organisations/25052943", &own)
        .await;
    assert_eq!(org.name, "Æblegården ApS");
    assert_eq!(org.kind, OrgKind::Company);
    assert!(org.agreement_accepted_at.is_some());
}

#[tokio::test]
async fn x_03_lists_pages_with_totals_and_sorting() {
    let app = spawn_app_with_organisations(ORGS).await;

    let op = operator(&app);
    let first: Page<Organisation> = app
        .get_json_as("/api/v1/organisations?pageSize=2&sort=cvrNumber:asc", &op)
        .await;
    let cvrs: Vec<_> = first.items.iter().map(|o| o.cvr_number.as_str()).collect();
    assert_eq!(cvrs, ["25052943", "29189846"]);
    assert_eq!(
        (first.total_elements, first.total_pages, first.current_page),
        (3, 2, 0)
    );

    let second: Page<Organisation> = app
        .get_json_as(
            "/api/v1/organisations?pageSize=2&page=1&sort=cvrNumber:asc",
            &op,
        )
        .await;
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.items[0].cvr_number, "34051178");

    let newest_first: Page<Organisation> = app
        .get_json_as("/api/v1/organisations?sort=createdAt:desc", &op)
        .await;
    assert_eq!(newest_first.items[0].cvr_number, "25052943");
}

/// How many message-log rows record `event`, in any organisation.
async fn logged_events(db: &sea_orm::DatabaseConnection, event: &str) -> u64 {
    use adgang_core::entity::message_events as log;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    log::Entity::find()
        .filter(log::Column::Event.eq(event))
        .count(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_data_loads_idempotently() {
    let app =
        adgang_test_support::spawn_app_with(adgang_test_support::Spa::None, |s| s.demo_data = true)
            .await;
    // Loading again over the same database adds nothing and does not fail.
    let db = app.db().await;
    adgang_server::demo::load(&db, true).await.unwrap();
    let page: Page<Organisation> = app
        .get_json_as("/api/v1/organisations", &operator(&app))
        .await;
    assert_eq!(
        page.total_elements as usize,
        adgang_server::demo::ORGANISATIONS.len()
    );
    assert!(page.items.iter().any(|o| o.kind == OrgKind::Company));
    assert!(page.items.iter().any(|o| o.kind == OrgKind::Authority));

    // Issue 14 item 8: the demo sender has sent its messages through the real intake, once.
    use adgang_messaging::entity::message;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let all = message::Entity::find().all(&db).await.unwrap();
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let (messages, history): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|m| m.accepted_at > since);
    assert_eq!(messages.len(), adgang_server::demo::DEMO_MESSAGES);
    // Issue 32 item 16: a year of traffic before today, from two authorities, every month.
    let months: std::collections::BTreeSet<String> = history
        .iter()
        .map(|m| m.accepted_at.format("%Y-%m").to_string())
        .collect();
    assert!(months.len() >= 12, "history in {months:?}");
    assert!(history.len() > 2_000, "{} older messages", history.len());
    assert!(history.iter().any(|m| m.sender_cvr == "10213231"));
    let refused = logged_events(&db, "rejected").await;
    assert!(refused > 0, "no refused memo in the demo's log");
    // Issue 32 item 16: the region's log administrator finds its journal's collections and
    // business receipts, and its recalled memos — each through the real services.
    for event in ["collected", "business_receipt_received", "recalled"] {
        use adgang_core::entity::message_events as log;
        let found = log::Entity::find()
            .filter(log::Column::OrganisationCvr.eq("10213231"))
            .filter(log::Column::Event.eq(event))
            .count(&db)
            .await
            .unwrap();
        assert!(found > 0, "no {event} in Region Prøvested's log");
    }
    // Issue 33 item 1: half the NemSMS recipients are enrolled (confirmed by their link).
    let failed = logged_events(&db, "nemsms_failed").await;
    assert!(failed > 0, "no NemSMS fejlet in the demo");
    assert!(history.iter().any(|m| m.state == "sms_sent"));
    assert!(history.iter().any(|m| m.state == "recalled"));
    // Issue 33 item 2: the courts' legal notices, served when opened; only the courts send them.
    {
        use adgang_core::entity::message_events as log;
        let served = log::Entity::find()
            .filter(log::Column::Event.eq("legally_served"))
            .all(&db)
            .await
            .unwrap();
        assert!(!served.is_empty());
        assert!(served
            .iter()
            .all(|e| e.organisation_cvr == adgang_server::demo::COURTS));
        assert!(history
            .iter()
            .filter(|m| m.message_type == "legal_notice")
            .all(|m| m.sender_cvr == adgang_server::demo::COURTS));
    }
    assert!(history.iter().any(|m| m.state == "collected"));
    // Stine Statistik finds reports on her first login.
    let reports = adgang_statistics::service::overview(&db, "10213231")
        .await
        .unwrap();
    assert_eq!(reports.len(), 2, "{reports:?}");
    // Karl Kontaktstruktur finds a structure; its authority has Virk mail to move into it.
    let agency = adgang_core::Cvr::parse("34051178").unwrap();
    let tree = adgang_contacts::service::tree(&db, &agency).await.unwrap();
    assert!(tree.len() >= 2, "{tree:?}");
    assert!(history
        .iter()
        .any(|m| m.recipient_id == "34051178" && m.platform.as_deref() == Some("virk")));
    for state in ["available", "held", "delivering", "sms_sent"] {
        assert!(
            messages.iter().any(|m| m.state == state),
            "no demo message is {state}: {:?}",
            messages
                .iter()
                .map(|m| (m.state.as_str(), m.recipient_id.as_str()))
                .collect::<std::collections::BTreeSet<_>>()
        );
    }
    for platform in ["eboks", "mit_dk", "virk"] {
        assert!(messages
            .iter()
            .any(|m| m.platform.as_deref() == Some(platform)));
    }
    let events = adgang_core::entity::message_events::Entity::find()
        .filter(adgang_core::entity::message_events::Column::OrganisationCvr.eq("29189846"))
        .count(&db)
        .await
        .unwrap();
    assert!(events as usize > adgang_server::demo::DEMO_MESSAGES);
}

#[tokio::test]
async fn environment_reports_test_label_and_modules() {
    let app = spawn_app().await;
    let env: adgang_api_types::EnvironmentInfo = app.get_json("/api/v1/environment").await;
    assert_eq!(env.environment, adgang_api_types::EnvironmentLabel::Test);
    assert_eq!(env.modules.len(), adgang_api_types::Module::ALL.len());
}

#[tokio::test]
async fn x_09_another_organisation_is_404_and_listing_needs_operator() {
    let app = spawn_app_with_organisations(ORGS).await;
    let company = app.token_for("25052943", OrgKind::Company, &[Right::SystemAdmin]);

    let other = app.get_as("/api/v1/organisations/29189846", &company).await;
    assert_eq!(other.status(), 404);
    let list = app.get_as("/api/v1/organisations", &company).await;
    assert_eq!(list.status(), 403);
    let problem: Problem = list.json().await.unwrap();
    assert_eq!(problem.code, ErrorCode::Forbidden);

    // CTX-02: an operator may look up any organisation.
    let found: Organisation = app
        .get_json_as("/api/v1/organisations/29189846", &operator(&app))
        .await;
    assert_eq!(found.name, "Testkommune Nord");
}

#[tokio::test]
async fn ctx_02_operator_looks_up_any_cvr_and_each_lookup_is_logged() {
    use adgang_core::entity::searches_log;
    use sea_orm::EntityTrait;

    let app = spawn_app_with_organisations(ORGS).await;
    let op = operator(&app);

    let found: adgang_api_types::OrganisationLookup = app
        .get_json_as("/api/v1/organisation-lookup/25052943", &op)
        .await;
    assert_eq!(found.name, "Æblegården ApS");
    assert_eq!(found.kind, OrgKind::Company);
    assert!(found.known_here);
    assert!(!found.registered_office_address.city.is_empty());

    // an invalid number is a field error, an unknown one 404.
    let invalid = app
        .get_as("/api/v1/organisation-lookup/25052944", &op)
        .await;
    assert_eq!(invalid.status(), 400);
    let problem: Problem = invalid.json().await.unwrap();
    assert_eq!(problem.errors[0].code.as_str(), "cvr_checksum");
    let unknown = app
        .get_as("/api/v1/organisation-lookup/10000009", &op)
        .await;
    assert_eq!(unknown.status(), 404);

    // LOG-03: both valid lookups are in the searches log, with their result counts.
    let mut rows = app.rows(searches_log::Entity::find()).await;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let logged: Vec<_> = rows
        .iter()
        .map(|r| (r.search_data.as_str(), r.result_count))
        .collect();
    assert_eq!(logged, [("25052943", 1), ("10000009", 0)]);
    assert!(rows
        .iter()
        .all(|r| r.organisation_cvr == "34051178" && r.register == "cvr"));

    let not_operator = app.token_for("34051178", OrgKind::Authority, &[Right::SystemAdmin]);
    let refused = app
        .get_as("/api/v1/organisation-lookup/25052943", &not_operator)
        .await;
    assert_eq!(refused.status(), 403);
}
