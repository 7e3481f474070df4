//! System connection (SPEC §2): validation per rule, primary and company rules, edit and
//! delete rules, API keys, standard systems, documents, audit rows, tenant isolation.

use adgang_api_types::{
    ApiKey, OrgKind, Page, Problem, Right, StandardSystem, SystemReceipt, SystemStatus,
    SystemSummary,
};
use adgang_core::entity::actions_log;
use adgang_systems::entity::system as system_entity;
use adgang_test_support::{field_codes, spawn_app, user, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

const NORTH: &str = "29189846";
const COMPANY: &str = "25052943";
const VENDOR: &str = "30808460";

const RSA_1024: &str = include_str!("../../../test-support/fixtures/ssh/rsa1024.pub");
const ED25519: &str = include_str!("../../../test-support/fixtures/ssh/ed.pub");

async fn app_with_organisations() -> TestApp {
    let app = spawn_app().await;
    app.seed_organisations(&[
        (NORTH, "Testkommune Nord", OrgKind::Authority),
        ("34051178", "Styrelsen for Digital Test", OrgKind::Authority),
        (COMPANY, "Æblegården ApS", OrgKind::Company),
        (VENDOR, "Systemleverandøren A/S", OrgKind::Company),
    ])
    .await;
    app
}

fn admin(app: &TestApp, cvr: &str, kind: OrgKind) -> String {
    app.token(&user(cvr, kind, &[Right::SystemAdmin]))
}

fn recipient_push(name: &str) -> Value {
    json!({
        "name": name,
        "role": "recipient",
        "protocol": "rest_push",
        "allowedIps": ["10.0.0.1", "2001:db8::1"],
        "endpoint": "https://sag.kommune.dk/digitalpost",
        "activation": {"mode": "now"},
        "technicalContact": {"email": "drift@kommune.dk", "phone": "+45 12 34 56 78"}
    })
}

async fn create(app: &TestApp, cvr: &str, token: &str, body: &Value) -> reqwest::Response {
    app.post_as(&format!("/api/v1/organisations/{cvr}/systems"), token, body)
        .await
}

async fn created(app: &TestApp, cvr: &str, token: &str, body: &Value) -> SystemReceipt {
    let response = create(app, cvr, token, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// The field errors as (field, code), sorted.
fn codes(problem: &Problem) -> Vec<(String, String)> {
    let mut codes = field_codes(problem);
    codes.sort();
    codes
}

async fn system_count(app: &TestApp) -> u64 {
    system_entity::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap()
}

async fn log_rows(app: &TestApp, object_id: &str) -> Vec<actions_log::Model> {
    actions_log::Entity::find()
        .filter(actions_log::Column::ObjectId.eq(object_id))
        .all(&app.db().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn sys_01_to_06_every_rule_gives_its_field_error_and_writes_nothing() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let thirty_three: Vec<String> = (1..=33).map(|i| format!("10.0.0.{i}")).collect();
    let cases: Vec<(&str, Value, (&str, &str))> = vec![
        (
            "33 IPs",
            json!({"allowedIps": thirty_three}),
            ("allowedIps", "too_many"),
        ),
        (
            "two ranges",
            json!({"allowedIps": ["10.0.0.0/24", "10.1.0.0/24"]}),
            ("allowedIps", "one_range_only"),
        ),
        (
            "range and address",
            json!({"allowedIps": ["10.0.0.0/24", "10.1.0.1"]}),
            ("allowedIps", "range_with_addresses"),
        ),
        (
            "bad CIDR",
            json!({"allowedIps": ["10.0.0.0/33"]}),
            ("allowedIps[0]", "invalid_range"),
        ),
        (
            "no IPs",
            json!({"allowedIps": []}),
            ("allowedIps", "required"),
        ),
        (
            "http endpoint",
            json!({"endpoint": "http://sag.kommune.dk"}),
            ("endpoint", "https_required"),
        ),
        (
            "relative endpoint",
            json!({"endpoint": "/dp"}),
            ("endpoint", "invalid_url"),
        ),
        (
            "sender REST PUSH without receipt endpoint",
            json!({"role": "sender", "endpoint": null}),
            ("receiptEndpoint", "required"),
        ),
        (
            "endpoint on REST PULL",
            json!({"protocol": "rest_pull"}),
            ("endpoint", "not_applicable"),
        ),
        (
            "SFTP for a recipient",
            json!({"protocol": "sftp", "endpoint": null}),
            ("protocol", "not_allowed_for_role"),
        ),
        (
            "RSA-1024 key",
            json!({"role": "sender", "protocol": "sftp", "endpoint": null, "sshPublicKey": RSA_1024}),
            ("sshPublicKey", "rsa_too_short"),
        ),
        (
            "garbage key",
            json!({"role": "sender", "protocol": "sftp", "endpoint": null, "sshPublicKey": "ssh-rsa AAAAnonsense"}),
            ("sshPublicKey", "invalid_ssh_key"),
        ),
        (
            "invalid vendor CVR",
            json!({"vendorCvr": "25052944"}),
            ("vendorCvr", "cvr_checksum"),
        ),
        (
            "unknown vendor CVR",
            json!({"vendorCvr": "40000038"}),
            ("vendorCvr", "unknown_vendor"),
        ),
        (
            "deactivation before activation",
            json!({"activation": {"mode": "at", "at": "2030-01-02T10:00:00Z"}, "deactivateAt": "2030-01-01T10:00:00Z"}),
            ("deactivateAt", "before_activation"),
        ),
        (
            "scheduled without a time",
            json!({"activation": {"mode": "at"}}),
            ("activation.at", "required"),
        ),
        (
            "deactivation without activation",
            json!({"activation": {"mode": "none"}, "deactivateAt": "2030-01-01T10:00:00Z"}),
            ("deactivateAt", "requires_activation"),
        ),
        (
            "bad e-mail",
            json!({"technicalContact": {"email": "drift@", "phone": "12345678"}}),
            ("technicalContact.email", "invalid_email"),
        ),
        (
            "bad phone",
            json!({"technicalContact": {"email": "drift@kommune.dk", "phone": "1234"}}),
            ("technicalContact.phone", "invalid_phone"),
        ),
        ("empty name", json!({"name": "  "}), ("name", "required")),
        (
            "101-character name",
            json!({"name": "å".repeat(101)}),
            ("name", "too_long"),
        ),
    ];
    for (case, patch, (field, code)) in cases {
        let mut body = recipient_push("Sagssystem");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let response = create(&app, NORTH, &token, &body).await;
        assert_eq!(response.status(), 400, "{case}");
        let problem: Problem = response.json().await.unwrap();
        assert!(
            codes(&problem).contains(&(field.to_owned(), code.to_owned())),
            "{case}: expected {field}/{code}, got {:?}",
            codes(&problem)
        );
    }
    assert_eq!(system_count(&app).await, 0);
    assert!(actions_log::Entity::find()
        .all(&app.db().await)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn sys_01_03_valid_details_are_normalised() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let range = created(
        &app,
        NORTH,
        &token,
        &json!({
            "name": "SFTP-afsender", "role": "sender", "protocol": "sftp",
            "allowedIps": ["10.1.2.3/24"], "sshPublicKey": ED25519,
            "activation": {"mode": "none"},
            "technicalContact": {"email": "Drift@Kommune.DK", "phone": "12 34 56 78"}
        }),
    )
    .await
    .system;
    assert_eq!(range.allowed_ips, vec!["10.1.2.0/24"]);
    assert!(range.ssh_public_key.unwrap().starts_with("ssh-ed25519 "));
    assert_eq!(range.technical_contact.email, "Drift@kommune.dk");
    assert_eq!(range.technical_contact.phone, "12345678");
    assert_eq!(range.status, SystemStatus::NotActivated);
    assert!(!range.is_primary, "a sender system is never primary");
}

#[tokio::test]
async fn sys_07_first_recipient_is_primary_and_the_primary_can_be_switched_but_not_deleted() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let first = created(&app, NORTH, &token, &recipient_push("Første"))
        .await
        .system;
    let second = created(&app, NORTH, &token, &recipient_push("Anden"))
        .await
        .system;
    assert!(first.is_primary && !second.is_primary);

    let deleting_primary = app
        .delete_as(
            &format!("/api/v1/organisations/{NORTH}/systems/{}", first.id),
            &token,
        )
        .await;
    assert_eq!(deleting_primary.status(), 409);
    let problem: adgang_api_types::Problem = deleting_primary.json().await.unwrap();
    assert_eq!(
        problem.reason,
        Some(adgang_api_types::ConflictReason::PrimaryWithOtherRecipientSystems)
    );
    assert!(problem.items.is_empty());
    assert_eq!(system_count(&app).await, 2);

    let switched = app
        .send(
            "POST",
            &format!(
                "/api/v1/organisations/{NORTH}/systems/{}/primary",
                second.id
            ),
            &token,
            None,
        )
        .await;
    assert_eq!(switched.status(), 200);
    let page: Page<SystemSummary> = app
        .get_json_as(&format!("/api/v1/organisations/{NORTH}/systems"), &token)
        .await;
    let primaries: Vec<&str> = page
        .items
        .iter()
        .filter(|s| s.is_primary)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(primaries, vec!["Anden"], "exactly one primary");
    // Both flags changed are logged.
    let first_rows = log_rows(&app, &first.id).await;
    assert!(first_rows
        .iter()
        .any(|r| r.field.as_deref() == Some("isPrimary") && r.after.as_deref() == Some("false")));
    let second_rows = log_rows(&app, &second.id).await;
    assert!(second_rows
        .iter()
        .any(|r| r.field.as_deref() == Some("isPrimary") && r.after.as_deref() == Some("true")));

    // The old primary can go now; then the last one can too.
    for id in [&first.id, &second.id] {
        let deleted = app
            .delete_as(
                &format!("/api/v1/organisations/{NORTH}/systems/{id}"),
                &token,
            )
            .await;
        assert_eq!(deleted.status(), 204);
    }
    assert_eq!(system_count(&app).await, 0);
    // A sender system cannot be primary.
    let sender = created(&app, NORTH, &token, &json!({
        "name": "Afsender", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    })).await.system;
    let refused = app
        .send(
            "POST",
            &format!(
                "/api/v1/organisations/{NORTH}/systems/{}/primary",
                sender.id
            ),
            &token,
            None,
        )
        .await;
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn sys_08_a_company_gets_one_recipient_system() {
    let app = app_with_organisations().await;
    let token = admin(&app, COMPANY, OrgKind::Company);
    created(&app, COMPANY, &token, &recipient_push("Modtager")).await;
    let second = create(&app, COMPANY, &token, &recipient_push("Modtager 2")).await;
    assert_eq!(second.status(), 400);
    assert_eq!(
        codes(&second.json().await.unwrap()),
        vec![("role".to_owned(), "company_one_recipient_system".to_owned())]
    );
    // Sender systems are not limited.
    for name in ["Afsender 1", "Afsender 2"] {
        created(&app, COMPANY, &token, &json!({
            "name": name, "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
            "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
        })).await;
    }
    assert_eq!(system_count(&app).await, 3);
}

#[tokio::test]
async fn x_04_a_dry_run_checks_a_new_system_by_every_rule_and_writes_nothing() {
    let app = app_with_organisations().await;
    let token = admin(&app, COMPANY, OrgKind::Company);
    let check = |body: Value, query: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            app.post_as(
                &format!("/api/v1/organisations/{COMPANY}/systems?{query}"),
                token,
                &body,
            )
            .await
        }
    };
    // A valid system: 204, and neither a system nor an actions-log row.
    let ok = check(recipient_push("Modtager"), "dryRun=true").await;
    assert_eq!(ok.status(), 204, "{}", ok.text().await.unwrap());
    assert_eq!(system_count(&app).await, 0);
    let rows = actions_log::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap();
    assert_eq!(rows, 0, "a dry run logs nothing");

    // Every error at once, each IP entry by its position (the wizard names "IP-adresse 3").
    let mut bad = recipient_push("");
    bad["allowedIps"] = json!(["10.0.0.1", "10.0.0.x", "fe80::zz"]);
    let refused = check(bad, "dryRun=true").await;
    assert_eq!(refused.status(), 400);
    assert_eq!(
        codes(&refused.json().await.unwrap()),
        vec![
            ("allowedIps[1]".to_owned(), "invalid_ip".to_owned()),
            ("allowedIps[2]".to_owned(), "invalid_ip".to_owned()),
            ("name".to_owned(), "required".to_owned()),
        ]
    );

    // Rules that read the database hold too (SYS-08: a company's second recipient system).
    created(&app, COMPANY, &token, &recipient_push("Modtager")).await;
    let second = check(recipient_push("Modtager 2"), "dryRun=true").await;
    assert_eq!(
        codes(&second.json().await.unwrap()),
        vec![("role".to_owned(), "company_one_recipient_system".to_owned())]
    );
    // dryRun=false is the real request; a value that is not a boolean is a field error.
    let sender = json!({
        "name": "Afsender", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    });
    assert_eq!(check(sender.clone(), "dryRun=false").await.status(), 201);
    let odd = check(sender, "dryRun=maybe").await;
    assert_eq!(odd.status(), 400);
    assert_eq!(
        codes(&odd.json().await.unwrap()),
        vec![("dryRun".to_owned(), "invalid".to_owned())]
    );
    assert_eq!(system_count(&app).await, 2);
}

#[tokio::test]
async fn sys_12_13_edits_follow_the_rules_and_are_logged_field_by_field() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let system = created(&app, NORTH, &token, &recipient_push("Sagssystem"))
        .await
        .system;
    assert_eq!(system.status, SystemStatus::Active);
    let path = format!("/api/v1/organisations/{NORTH}/systems/{}", system.id);

    // Created: one row per field set, nothing before.
    let rows = log_rows(&app, &system.id).await;
    assert!(rows
        .iter()
        .all(|r| r.event == "created" && r.before.is_none() && r.subject == "system_connection"));
    assert!(rows.iter().any(|r| r.field.as_deref() == Some("endpoint")
        && r.after.as_deref() == Some("https://sag.kommune.dk/digitalpost")));

    // Protocol and activation are locked while active.
    let mut update = recipient_push("Sagssystem");
    update["protocol"] = json!("rest_publish_subscribe");
    let locked = app.put_as(&path, &token, &update).await;
    assert_eq!(locked.status(), 400);
    assert_eq!(
        codes(&locked.json().await.unwrap()),
        vec![
            ("activation".to_owned(), "locked_while_active".to_owned()),
            ("protocol".to_owned(), "locked_while_active".to_owned()),
        ]
    );

    // A name and endpoint change: exactly two edited rows with before and after.
    let mut update = recipient_push("Sagssystem Ærø");
    update.as_object_mut().unwrap().remove("activation");
    update["endpoint"] = json!("https://ny.kommune.dk/dp");
    let saved = app.put_as(&path, &token, &update).await;
    assert_eq!(saved.status(), 200);
    let edited: Vec<(String, Option<String>, Option<String>)> = log_rows(&app, &system.id)
        .await
        .into_iter()
        .filter(|r| r.event == "edited")
        .map(|r| (r.field.unwrap_or_default(), r.before, r.after))
        .collect();
    assert_eq!(edited.len(), 2, "{edited:?}");
    assert!(edited.contains(&(
        "name".into(),
        Some("Sagssystem".into()),
        Some("Sagssystem Ærø".into())
    )));
    assert!(edited.contains(&(
        "endpoint".into(),
        Some("https://sag.kommune.dk/digitalpost".into()),
        Some("https://ny.kommune.dk/dp".into())
    )));
    // Saving the same again changes and logs nothing.
    app.put_as(&path, &token, &update).await;
    assert_eq!(
        log_rows(&app, &system.id)
            .await
            .iter()
            .filter(|r| r.event == "edited")
            .count(),
        2
    );

    // While active, the deactivation time can still be set (activation itself stays).
    update["deactivateAt"] = json!("2031-01-01T00:00:00Z");
    let scheduled_end: SystemReceipt = app
        .put_as(&path, &token, &update)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(scheduled_end.system.active_from, system.active_from);
    assert_eq!(
        scheduled_end.system.active_to.unwrap().to_rfc3339(),
        "2031-01-01T00:00:00+00:00"
    );
    assert_eq!(scheduled_end.system.status, SystemStatus::Active);

    // Deleting logs the removed values.
    assert_eq!(app.delete_as(&path, &token).await.status(), 204);
    let deleted: Vec<_> = log_rows(&app, &system.id)
        .await
        .into_iter()
        .filter(|r| r.event == "deleted")
        .collect();
    assert!(deleted.iter().any(|r| r.field.as_deref() == Some("name")
        && r.before.as_deref() == Some("Sagssystem Ærø")
        && r.after.is_none()));
}

#[tokio::test]
async fn sys_04_api_keys_are_sealed_revealed_with_a_log_row_and_rotated() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let mut body = recipient_push("Leverandørstyret");
    body["vendorCvr"] = json!(VENDOR);
    let receipt = created(&app, NORTH, &token, &body).await;
    let key = receipt.api_key.expect("an API key for the vendor");
    assert!(receipt.system.has_api_key);
    assert_eq!(receipt.system.vendor_cvr.as_deref(), Some(VENDOR));

    // Stored sealed, never in clear, never in the log.
    let stored = system_entity::Entity::find_by_id(&receipt.system.id)
        .one(&app.db().await)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.api_key_sealed.unwrap().contains(&key));
    let key_path = format!(
        "/api/v1/organisations/{NORTH}/systems/{}/api-key",
        receipt.system.id
    );
    let revealed: ApiKey = app.get_json_as(&key_path, &token).await;
    assert_eq!(revealed.api_key, key);
    let rows = log_rows(&app, &receipt.system.id).await;
    assert_eq!(
        rows.iter()
            .filter(|r| r.field.as_deref() == Some("apiKeyShown"))
            .count(),
        1
    );
    assert!(rows
        .iter()
        .all(|r| r.after.as_deref() != Some(key.as_str())));

    let rotated: ApiKey = app
        .send("POST", &format!("{key_path}/rotation"), &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(rotated.api_key, key);
    let again: ApiKey = app.get_json_as(&key_path, &token).await;
    assert_eq!(again.api_key, rotated.api_key);

    // A system without a vendor has no key.
    let plain = created(&app, NORTH, &token, &recipient_push("Uden fuldmagt")).await;
    assert!(plain.api_key.is_none());
    let none = app
        .get_as(
            &format!(
                "/api/v1/organisations/{NORTH}/systems/{}/api-key",
                plain.system.id
            ),
            &token,
        )
        .await;
    assert_eq!(none.status(), 404);
}

#[tokio::test]
async fn sys_09_a_system_from_a_standard_system_keeps_the_vendors_settings_locked() {
    let app = app_with_organisations().await;
    let vendor = admin(&app, VENDOR, OrgKind::Company);
    let published = app
        .post_as(
            &format!("/api/v1/organisations/{VENDOR}/standard-systems"),
            &vendor,
            &json!({
                "name": "Leverandørens Sag", "role": "recipient", "protocol": "rest_push",
                "allowedIps": ["192.0.2.10"], "endpoint": "https://leverandor.dk/dp",
                "technicalContact": {"email": "support@leverandor.dk", "phone": "87654321"}
            }),
        )
        .await;
    assert_eq!(published.status(), 201);
    let standard: StandardSystem = published.json().await.unwrap();

    let token = admin(&app, NORTH, OrgKind::Authority);
    let catalogue: Vec<StandardSystem> = app
        .get_json_as(
            &format!("/api/v1/standard-systems?vendorCvr={VENDOR}"),
            &token,
        )
        .await;
    assert_eq!(catalogue.len(), 1);
    assert_eq!(catalogue[0].vendor_name, "Systemleverandøren A/S");

    let mut body = recipient_push("Vores sagssystem");
    body["standardSystemId"] = json!(standard.id);
    let refused = create(&app, NORTH, &token, &body).await;
    assert_eq!(
        codes(&refused.json().await.unwrap()),
        vec![("acceptVendorAgreement".to_owned(), "must_accept".to_owned())]
    );

    body["acceptVendorAgreement"] = json!(true);
    let receipt = created(&app, NORTH, &token, &body).await;
    let system = receipt.system;
    assert_eq!(
        system.endpoint.as_deref(),
        Some("https://leverandor.dk/dp"),
        "the standard system's settings win"
    );
    assert_eq!(
        system.vendor_cvr.as_deref(),
        Some(VENDOR),
        "power of attorney implied"
    );
    assert!(receipt.api_key.is_some());
    assert!(system.locked_fields.contains(&"endpoint".to_owned()));

    let path = format!("/api/v1/organisations/{NORTH}/systems/{}", system.id);
    let mut update = json!({
        "name": "Omdøbt", "role": "recipient", "protocol": "rest_push", "allowedIps": ["192.0.2.10"],
        "endpoint": "https://andet.dk/dp",
        "technicalContact": {"email": "support@leverandor.dk", "phone": "87654321"}
    });
    let locked = app.put_as(&path, &token, &update).await;
    assert_eq!(
        codes(&locked.json().await.unwrap()),
        vec![(
            "endpoint".to_owned(),
            "locked_by_standard_system".to_owned()
        )]
    );
    update["endpoint"] = json!("https://leverandor.dk/dp");
    assert_eq!(app.put_as(&path, &token, &update).await.status(), 200);
}

#[tokio::test]
async fn sys_09_a_vendor_edits_and_withdraws_its_standard_system_and_the_systems_follow() {
    let app = app_with_organisations().await;
    let vendor = admin(&app, VENDOR, OrgKind::Company);
    let own = format!("/api/v1/organisations/{VENDOR}/standard-systems");
    let mut standard_body = json!({
        "name": "Leverandørens Sag", "role": "recipient", "protocol": "rest_push",
        "allowedIps": ["192.0.2.10"], "endpoint": "https://leverandor.dk/dp",
        "technicalContact": {"email": "support@leverandor.dk", "phone": "87654321"}
    });
    let standard: StandardSystem = app
        .post_as(&own, &vendor, &standard_body)
        .await
        .json()
        .await
        .unwrap();

    // The organisation adds its own extra contact e-mail (§5.6 step 5).
    let token = admin(&app, NORTH, OrgKind::Authority);
    let mut body = recipient_push("Vores sagssystem");
    body["standardSystemId"] = json!(standard.id);
    body["acceptVendorAgreement"] = json!(true);
    body["technicalContact"]["extraEmail"] = json!("it@nord.dk");
    let system = created(&app, NORTH, &token, &body).await.system;
    assert_eq!(
        system.technical_contact.extra_email.as_deref(),
        Some("it@nord.dk")
    );
    assert_eq!(system.technical_contact.email, "support@leverandor.dk");
    let listed: Vec<adgang_api_types::PublishedStandardSystem> =
        app.get_json_as(&own, &vendor).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].systems_using, 1);

    // The vendor's edit of the locked settings follows into the system, logged there as made
    // under the vendor's power of attorney; role and protocol are fixed while in use.
    let one = format!("{own}/{}", standard.id);
    standard_body["allowedIps"] = json!(["192.0.2.20", "192.0.2.21"]);
    standard_body["technicalContact"]["phone"] = json!("11223344");
    let saved = app.put_as(&one, &vendor, &standard_body).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let path = format!("/api/v1/organisations/{NORTH}/systems/{}", system.id);
    let followed: adgang_api_types::System = app.get_json_as(&path, &token).await;
    assert_eq!(followed.allowed_ips, ["192.0.2.20", "192.0.2.21"]);
    assert_eq!(followed.technical_contact.phone, "11223344");
    assert_eq!(
        followed.technical_contact.extra_email.as_deref(),
        Some("it@nord.dk")
    );
    let rows: Vec<_> = log_rows(&app, &system.id)
        .await
        .into_iter()
        .filter(|r| r.event == "edited")
        .collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(
            row.organisation_cvr, NORTH,
            "logged in the system's organisation"
        );
        assert_eq!(
            row.actor,
            format!("CVR:{VENDOR}-RID:rid-{VENDOR}-system_admin")
        );
        assert_eq!(row.power_of_attorney, Some(true));
    }
    let mut other_protocol = standard_body.clone();
    other_protocol["protocol"] = json!("rest_pull");
    other_protocol["endpoint"] = Value::Null;
    let fixed = app.put_as(&one, &vendor, &other_protocol).await;
    assert_eq!(
        codes(&fixed.json().await.unwrap()),
        vec![("protocol".to_owned(), "in_use".to_owned())]
    );
    // Only the vendor's own standard systems: another organisation's is not there.
    let foreign = app
        .put_as(
            &format!(
                "/api/v1/organisations/{NORTH}/standard-systems/{}",
                standard.id
            ),
            &token,
            &standard_body,
        )
        .await;
    assert_eq!(foreign.status(), 404);
    let foreign = app
        .delete_as(
            &format!(
                "/api/v1/organisations/{NORTH}/standard-systems/{}",
                standard.id
            ),
            &token,
        )
        .await;
    assert_eq!(foreign.status(), 404);

    // The organisation may change its extra e-mail, never the vendor's contact.
    let mut update = json!({
        "name": "Vores sagssystem", "role": "recipient", "protocol": "rest_push",
        "allowedIps": ["192.0.2.20", "192.0.2.21"], "endpoint": "https://leverandor.dk/dp",
        "technicalContact": {"email": "support@leverandor.dk", "phone": "11223344", "extraEmail": "drift@nord.dk"}
    });
    assert_eq!(app.put_as(&path, &token, &update).await.status(), 200);
    update["technicalContact"]["phone"] = json!("99999999");
    assert_eq!(
        codes(
            &app.put_as(&path, &token, &update)
                .await
                .json()
                .await
                .unwrap()
        ),
        vec![(
            "technicalContact.phone".to_owned(),
            "locked_by_standard_system".to_owned()
        )]
    );

    // Withdrawn: gone from the catalogue and the vendor's list; the system keeps its settings,
    // now its organisation's own; no new system can be made from it.
    assert_eq!(app.delete_as(&one, &vendor).await.status(), 204);
    let catalogue: Vec<StandardSystem> = app.get_json_as("/api/v1/standard-systems", &token).await;
    assert!(catalogue.iter().all(|s| s.id != standard.id));
    let listed: Vec<adgang_api_types::PublishedStandardSystem> =
        app.get_json_as(&own, &vendor).await;
    assert!(listed.is_empty());
    let freed: adgang_api_types::System = app.get_json_as(&path, &token).await;
    assert_eq!(freed.standard_system_id, None);
    assert!(freed.locked_fields.is_empty());
    assert_eq!(freed.allowed_ips, ["192.0.2.20", "192.0.2.21"]);
    let late = create(&app, NORTH, &token, &body).await;
    assert_eq!(
        codes(&late.json().await.unwrap()),
        vec![("standardSystemId".to_owned(), "unknown".to_owned())]
    );
    assert_eq!(
        app.delete_as(&one, &vendor).await.status(),
        404,
        "already withdrawn"
    );
}

#[tokio::test]
async fn sys_10_11_receipt_and_overview_documents_read_back() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let mut body = recipient_push("Modtagersystem Ærø");
    body["vendorCvr"] = json!(VENDOR);
    let receipt = created(&app, NORTH, &token, &body).await;
    let id = receipt.system.id.clone();

    let pdf = app
        .get_as(
            &format!("/api/v1/organisations/{NORTH}/systems/{id}/receipt"),
            &token,
        )
        .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = adgang_documents::pdf::extract_text(&pdf.bytes().await.unwrap()).unwrap();
    for expected in [
        "Kvittering",
        "Modtagersystem Ærø",
        id.as_str(),
        receipt.api_key.as_deref().unwrap(),
        "drift@kommune.dk",
        "REST PUSH",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the receipt: {text}"
        );
    }
    // Downloading the receipt showed the key: logged like a reveal.
    assert_eq!(
        log_rows(&app, &id)
            .await
            .iter()
            .filter(|r| r.field.as_deref() == Some("apiKeyShown"))
            .count(),
        1
    );

    let overview = app
        .get_as(
            &format!("/api/v1/organisations/{NORTH}/systems/{id}/overview"),
            &token,
        )
        .await;
    let text = adgang_documents::pdf::extract_text(&overview.bytes().await.unwrap()).unwrap();
    assert!(text.contains("Systemoversigt") && text.contains("Modtagersystem Ærø"));
    assert!(
        !text.contains(receipt.api_key.as_deref().unwrap()),
        "no API key in the overview"
    );

    created(&app, NORTH, &token, &json!({
        "name": "Afsender Øst", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
        "activation": {"mode": "none"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    })).await;
    let workbook = app
        .get_as(
            &format!("/api/v1/organisations/{NORTH}/system-overview"),
            &token,
        )
        .await;
    assert_eq!(workbook.status(), 200);
    assert!(workbook.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".xlsx"));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(
        workbook.bytes().await.unwrap().to_vec(),
    ))
    .unwrap();
    let range = book.worksheet_range("Systemer").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0][..6],
        [
            "Navn",
            "System-ID",
            "Rolle",
            "Protokol",
            "Status",
            "Primærsystem"
        ]
    );
    assert_eq!(
        rows[1][..6],
        [
            "Afsender Øst".to_owned(),
            rows[1][1].clone(),
            "Afsendersystem".into(),
            "REST PULL".into(),
            "Ikke aktiveret".into(),
            "Nej".into()
        ]
    );
    assert_eq!(rows[2][0], "Modtagersystem Ærø");
    assert_eq!(rows[2][5], "Ja");
}

#[tokio::test]
async fn sys_tenant_isolation_another_organisations_system_does_not_exist() {
    let app = app_with_organisations().await;
    let owner = admin(&app, NORTH, OrgKind::Authority);
    let mut body = recipient_push("Nords system");
    body["vendorCvr"] = json!(VENDOR);
    let id = created(&app, NORTH, &owner, &body).await.system.id;
    let stranger = admin(&app, "34051178", OrgKind::Authority);
    // Through the stranger's own organisation path: not found.
    let own = "/api/v1/organisations/34051178/systems";
    for (method, path) in [
        ("GET", format!("{own}/{id}")),
        ("PUT", format!("{own}/{id}")),
        ("DELETE", format!("{own}/{id}")),
        ("POST", format!("{own}/{id}/primary")),
        ("GET", format!("{own}/{id}/api-key")),
        ("POST", format!("{own}/{id}/api-key/rotation")),
        ("GET", format!("{own}/{id}/receipt")),
        ("GET", format!("{own}/{id}/overview")),
    ] {
        let body = recipient_push("Overtaget");
        let status = app
            .send(method, &path, &stranger, Some(&body))
            .await
            .status();
        assert_eq!(status, 404, "{method} {path}");
    }
    // Through the owner's path: not found either (never 403, nothing revealed).
    let status = app
        .get_as(
            &format!("/api/v1/organisations/{NORTH}/systems/{id}"),
            &stranger,
        )
        .await
        .status();
    assert_eq!(status, 404);
    let page: Page<SystemSummary> = app.get_json_as(own, &stranger).await;
    assert!(page.items.is_empty());
    assert_eq!(system_count(&app).await, 1);
}

#[tokio::test]
async fn sys_02_a_test_deployment_may_allow_plain_http_endpoints() {
    let app = adgang_test_support::spawn_app_with(adgang_test_support::Spa::None, |s| {
        s.allow_http_endpoints = true;
    })
    .await;
    app.seed_organisations(&[(NORTH, "Testkommune Nord", OrgKind::Authority)])
        .await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let mut body = recipient_push("Lokalt testsystem");
    body["endpoint"] = json!("http://localhost:9000/dp");
    let system = created(&app, NORTH, &token, &body).await.system;
    assert_eq!(system.endpoint.as_deref(), Some("http://localhost:9000/dp"));
}

#[tokio::test]
async fn sys_05_status_follows_the_app_clock_from_scheduled_to_active_to_deactivated() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let now = chrono::Utc::now();
    let mut body = recipient_push("Planlagt modtager");
    body["activation"] = json!({"mode": "at", "at": now + chrono::Duration::days(1)});
    body["deactivateAt"] = json!(now + chrono::Duration::days(3));
    let id = created(&app, NORTH, &token, &body).await.system.id;
    let path = format!("/api/v1/organisations/{NORTH}/systems/{id}");
    let status = |system: adgang_api_types::System| system.status;

    assert_eq!(
        status(app.get_json_as(&path, &token).await),
        SystemStatus::Scheduled
    );
    app.clock.advance(chrono::Duration::days(2));
    assert_eq!(
        status(app.get_json_as(&path, &token).await),
        SystemStatus::Active
    );
    // Active now: the activation is locked (SYS-12), judged by the same clock.
    let mut edit = recipient_push("Planlagt modtager");
    edit["activation"] = json!({"mode": "none"});
    let refused = app.put_as(&path, &token, &edit).await;
    assert_eq!(refused.status(), 400);
    app.clock.advance(chrono::Duration::days(2));
    assert_eq!(
        status(app.get_json_as(&path, &token).await),
        SystemStatus::Deactivated
    );
}

#[tokio::test]
async fn sys_05_an_activation_time_that_has_passed_is_refused() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let mut body = recipient_push("Bagud");
    body["activation"] =
        json!({"mode": "at", "at": chrono::Utc::now() - chrono::Duration::minutes(5)});
    let refused = create(&app, NORTH, &token, &body).await;
    assert_eq!(refused.status(), 400);
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(
        codes(&problem),
        [("activation.at".into(), "in_the_past".into())]
    );
    assert_eq!(system_count(&app).await, 0, "nothing created");
}

#[tokio::test]
async fn issue_13_the_cached_overview_shows_every_write_at_once_and_only_to_its_organisation() {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    let other = admin(&app, "34051178", OrgKind::Authority);
    let list = |token: String, cvr: &'static str| {
        let app = &app;
        async move {
            let page: Page<SystemSummary> = app
                .get_json_as(&format!("/api/v1/organisations/{cvr}/systems"), &token)
                .await;
            page.items.into_iter().map(|s| s.name).collect::<Vec<_>>()
        }
    };
    assert!(list(token.clone(), NORTH).await.is_empty());
    let system = created(&app, NORTH, &token, &recipient_push("Sagssystem"))
        .await
        .system;
    assert_eq!(list(token.clone(), NORTH).await, vec!["Sagssystem"]);
    assert!(
        list(other.clone(), "34051178").await.is_empty(),
        "another organisation's overview is its own"
    );
    let path = format!("/api/v1/organisations/{NORTH}/systems/{}", system.id);
    let mut rename = recipient_push("Sagssystem Ærø");
    rename.as_object_mut().unwrap().remove("activation");
    assert_eq!(app.put_as(&path, &token, &rename).await.status(), 200);
    assert_eq!(list(token.clone(), NORTH).await, vec!["Sagssystem Ærø"]);
    assert_eq!(app.delete_as(&path, &token).await.status(), 204);
    assert!(list(token.clone(), NORTH).await.is_empty());
}
