//! Rights administration service: grants and revocations are logged field by field.

use adgang_api_types::{OrgKind, Right};
use adgang_core::audit::Actor;
use adgang_core::entity::actions_log;
use adgang_core::Cvr;
use adgang_identity::service::rights::{ensure_user, grant, organisations_of, revoke, rights_in};
use adgang_test_support::{create_joined_organisation, problem, spawn_app, TestApp, TestDatabase};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, TransactionTrait};

#[tokio::test]
async fn rights_are_granted_revoked_and_logged_per_organisation() {
    let database = TestDatabase::create().await;
    let db = adgang_server::database::connect_and_migrate(&database.url)
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let (north, company) = (
        Cvr::parse("29189846").unwrap(),
        Cvr::parse("25052943").unwrap(),
    );
    for (cvr, name, kind) in [
        (&north, "Testkommune Nord", OrgKind::Authority),
        (&company, "Æblegården ApS", OrgKind::Company),
    ] {
        let joined = chrono::Utc::now();
        create_joined_organisation(&db, cvr.as_str(), name, kind, joined, now).await;
    }
    let admin = Actor::EmployeeOf {
        cvr: north.clone(),
        rid: "admin-rid".into(),
    };
    let user = ensure_user(&db, "rid-42", "Kim Kontakt", now)
        .await
        .unwrap();
    assert_eq!(
        ensure_user(&db, "rid-42", "Kim Kontakt", now)
            .await
            .unwrap()
            .id,
        user.id
    );

    let txn = db.begin().await.unwrap();
    assert!(grant(&txn, &admin, &north, &user, Right::ContactAdmin, now)
        .await
        .unwrap());
    assert!(grant(&txn, &admin, &north, &user, Right::SystemAdmin, now)
        .await
        .unwrap());
    assert!(!grant(&txn, &admin, &north, &user, Right::SystemAdmin, now)
        .await
        .unwrap());
    assert!(
        grant(&txn, &admin, &company, &user, Right::SystemAdmin, now)
            .await
            .unwrap()
    );
    assert!(revoke(&txn, &admin, &north, &user, Right::SystemAdmin, now)
        .await
        .unwrap());
    assert!(
        !revoke(&txn, &admin, &north, &user, Right::SystemAdmin, now)
            .await
            .unwrap()
    );
    txn.commit().await.unwrap();

    assert_eq!(
        rights_in(&db, &user.id, &north).await.unwrap(),
        vec![Right::ContactAdmin]
    );
    assert_eq!(
        rights_in(&db, &user.id, &company).await.unwrap(),
        vec![Right::SystemAdmin]
    );
    let orgs: Vec<_> = organisations_of(&db, &user.id)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(orgs, ["Testkommune Nord", "Æblegården ApS"]);

    // Exactly one row per effective change: 3 grants and 1 revocation, none for the no-ops.
    let rows = actions_log::Entity::find().all(&db).await.unwrap();
    let mut seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.organisation_cvr.as_str(),
                r.event.as_str(),
                r.before.as_deref(),
                r.after.as_deref(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("25052943", "created", None, Some("system_admin")),
            ("29189846", "created", None, Some("contact_admin")),
            ("29189846", "created", None, Some("system_admin")),
            ("29189846", "deleted", Some("system_admin"), None),
        ]
    );
    assert!(rows
        .iter()
        .all(|r| r.subject == "rights" && r.object_id.as_deref() == Some("rid-42")));
}

/// A fresh app with Testkommune Nord joined and the user `rid` (`name`) holding `right` there,
/// granted by the system: the app, a connection to its database, the time of the grant, Nord's
/// CVR and the user.
async fn app_with_north_user(
    rid: &str,
    name: &str,
    right: Right,
) -> (
    TestApp,
    DatabaseConnection,
    DateTime<Utc>,
    Cvr,
    adgang_identity::entity::user::Model,
) {
    let app = spawn_app().await;
    let db = app.db().await;
    let now = Utc::now();
    let north = Cvr::parse("29189846").unwrap();
    let (organisation, kind) = ("Testkommune Nord", OrgKind::Authority);
    create_joined_organisation(&db, north.as_str(), organisation, kind, now, now).await;
    let user = ensure_user(&db, rid, name, now).await.unwrap();
    grant(&db, &Actor::System, &north, &user, right, now)
        .await
        .unwrap();
    (app, db, now, north, user)
}

/// The users with rights in Testkommune Nord (the first page), as its rights administrator
/// `token` lists them.
async fn north_users(app: &TestApp, token: &str) -> Vec<adgang_api_types::OrganisationUser> {
    let path = "/api/v1/organisations/29189846/users";
    app.get_json_as::<adgang_api_types::Page<adgang_api_types::OrganisationUser>>(path, token)
        .await
        .items
}

/// Asserts that `response` is a `400` problem whose first field error has `code`.
async fn assert_first_error(response: reqwest::Response, code: &str) {
    let refusal = problem(response, 400).await;
    assert_eq!(refusal.errors[0].code.as_str(), code);
}

#[tokio::test]
async fn a_rights_administrator_lists_grants_and_revokes_over_the_api() {
    use adgang_api_types::OrganisationUser;

    let (app, db, now, north, kim) =
        app_with_north_user("rid-kim", "Kim Kontakt", Right::ContactAdmin).await;
    let admin = app.token_for("29189846", OrgKind::Authority, &[Right::RightsAdmin]);

    let put = |path: &str| app.client.put(app.url(path)).bearer_auth(&admin).send();
    let response = put("/api/v1/organisations/29189846/users/rid-kim/rights/system_admin")
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let users = north_users(&app, &admin).await;
    assert_eq!(users.len(), 1);
    assert_eq!(
        users[0].rights,
        vec![Right::SystemAdmin, Right::ContactAdmin]
    );

    let revoked = app
        .delete_as(
            "/api/v1/organisations/29189846/users/rid-kim/rights/contact_admin",
            &admin,
        )
        .await;
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        rights_in(&db, &kim.id, &north).await.unwrap(),
        vec![Right::SystemAdmin]
    );

    // Systemforvalter is the platform's to give, not the organisation's.
    let operator = put("/api/v1/organisations/29189846/users/rid-kim/rights/operator")
        .await
        .unwrap();
    assert_first_error(operator, "not_grantable").await;

    // The API's changes are logged with the administrator as actor.
    let rows = actions_log::Entity::find().all(&db).await.unwrap();
    let by_admin: Vec<_> = rows
        .iter()
        .filter(|r| r.actor.starts_with("CVR:29189846-RID:"))
        .map(|r| (r.event.as_str(), r.before.as_deref(), r.after.as_deref()))
        .collect();
    assert_eq!(by_admin.len(), 2);
    assert!(by_admin.contains(&("created", None, Some("system_admin"))));
    assert!(by_admin.contains(&("deleted", Some("contact_admin"), None)));

    let unknown_right = put("/api/v1/organisations/29189846/users/rid-kim/rights/superuser")
        .await
        .unwrap();
    assert_first_error(unknown_right, "unknown_right").await;
    // Issue 13 item 9: whether a RID exists elsewhere is not revealed — a RID known only in
    // another organisation and one known nowhere get the same answers.
    ensure_user(&db, "rid-elsewhere", "Else Andetsteds", now)
        .await
        .unwrap();
    for rid in ["rid-elsewhere", "rid-nobody"] {
        let path = format!("/api/v1/organisations/29189846/users/{rid}/rights/system_admin");
        let removed = app.delete_as(&path, &admin).await;
        assert_eq!(removed.status(), 204, "{rid}");
        assert_eq!(removed.text().await.unwrap(), "", "{rid}");
        let granted = put(&path).await.unwrap();
        assert_eq!(granted.status(), 204, "{rid}");
        assert_eq!(granted.text().await.unwrap(), "", "{rid}");
    }
    // Granted to a RID that has not logged in yet: it is listed here, by its RID.
    let users = north_users(&app, &admin).await;
    assert!(
        users
            .iter()
            .any(|u| u.user_id == "rid-nobody" && u.rights == [Right::SystemAdmin]),
        "{users:?}"
    );
    // X-03 (issue 33 item 6): paged and sortable by the documented parameters.
    let by_id: adgang_api_types::Page<OrganisationUser> = app
        .get_json_as(
            "/api/v1/organisations/29189846/users?pageSize=1&sort=userId:desc",
            &admin,
        )
        .await;
    assert_eq!(by_id.total_elements as usize, users.len());
    let last_id = users.iter().map(|u| u.user_id.clone()).max().unwrap();
    assert_eq!(by_id.items[0].user_id, last_id);
    assert_eq!(
        put("/api/v1/organisations/34051178/users/rid-kim/rights/system_admin")
            .await
            .unwrap()
            .status(),
        404
    );
}

/// Issue 32: the last rights administrator cannot remove that right — not their own, not by
/// anyone — and loses it once someone else holds it.
#[tokio::test]
async fn issue_32_the_last_rights_admin_of_an_organisation_keeps_the_right() {
    use adgang_api_types::Problem;

    let (app, db, _, north, rita) =
        app_with_north_user("rid-rita", "Rita Rettighed", Right::RightsAdmin).await;
    let admin = app.token_for("29189846", OrgKind::Authority, &[Right::RightsAdmin]);
    let revoke = |rid: &'static str| {
        app.client
            .delete(app.url(&format!(
                "/api/v1/organisations/29189846/users/{rid}/rights/rights_admin"
            )))
            .bearer_auth(&admin)
            .send()
    };
    let refused = revoke("rid-rita").await.unwrap();
    assert_eq!(refused.status(), 409);
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(
        serde_json::to_value(problem.reason).unwrap(),
        serde_json::json!("last_rights_admin")
    );
    assert_eq!(
        rights_in(&db, &rita.id, &north).await.unwrap(),
        vec![Right::RightsAdmin],
        "nothing half-applied"
    );
    // Once another holds it, Rita may give it up.
    let put = app
        .send(
            "PUT",
            "/api/v1/organisations/29189846/users/rid-kim/rights/rights_admin",
            &admin,
            None,
        )
        .await;
    assert_eq!(put.status(), 204);
    assert_eq!(revoke("rid-rita").await.unwrap().status(), 204);
    assert!(rights_in(&db, &rita.id, &north).await.unwrap().is_empty());
    assert_eq!(revoke("rid-kim").await.unwrap().status(), 409);
}
