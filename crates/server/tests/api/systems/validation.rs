//! A new system's rules (SYS-01 … SYS-06): every field error, normalised details, the
//! wizard's dry run, plain http in a test deployment, activation and status on the clock.

use super::*;
use adgang_test_support::assert_has_field_error;

#[tokio::test]
async fn sys_01_to_06_every_rule_gives_its_field_error_and_writes_nothing() {
    let (app, token) = app_and_north_admin().await;
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
        assert_has_field_error(response, case, field, code).await;
    }
    assert_eq!(system_count(&app).await, 0);
    assert!(app.rows(actions_log::Entity::find()).await.is_empty());
}

#[tokio::test]
async fn sys_01_03_valid_details_are_normalised() {
    let (app, token) = app_and_north_admin().await;
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
    assert_codes(
        refused,
        &[
            ("allowedIps[1]", "invalid_ip"),
            ("allowedIps[2]", "invalid_ip"),
            ("name", "required"),
        ],
    )
    .await;

    // Rules that read the database hold too (SYS-08: a company's second recipient system).
    created(&app, COMPANY, &token, &recipient_push("Modtager")).await;
    let second = check(recipient_push("Modtager 2"), "dryRun=true").await;
    assert_codes(second, &[("role", "company_one_recipient_system")]).await;
    // dryRun=false is the real request; a value that is not a boolean is a field error.
    let sender = json!({
        "name": "Afsender", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    });
    assert_eq!(check(sender.clone(), "dryRun=false").await.status(), 201);
    let odd = check(sender, "dryRun=maybe").await;
    assert_eq!(odd.status(), 400);
    assert_codes(odd, &[("dryRun", "invalid")]).await;
    assert_eq!(system_count(&app).await, 2);
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
    let (app, token) = app_and_north_admin().await;
    let now = chrono::Utc::now();
    let mut body = recipient_push("Planlagt modtager");
    body["activation"] = json!({"mode": "at", "at": now + chrono::Duration::days(1)});
    body["deactivateAt"] = json!(now + chrono::Duration::days(3));
    let id = created(&app, NORTH, &token, &body).await.system.id;
    let path = system_path(NORTH, &id);
    let status = |system: adgang_api_types::System| system.status;

    assert_eq!(
        status(app.get_json_as(&path, &token).await),
        SystemStatus::Scheduled
    );
    app.clock.advance(chrono::Duration::days(2));
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = admin(&app, NORTH, OrgKind::Authority);
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
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = admin(&app, NORTH, OrgKind::Authority);
    assert_eq!(
        status(app.get_json_as(&path, &token).await),
        SystemStatus::Deactivated
    );
}

#[tokio::test]
async fn sys_05_an_activation_time_that_has_passed_is_refused() {
    let (app, token) = app_and_north_admin().await;
    let mut body = recipient_push("Bagud");
    body["activation"] =
        json!({"mode": "at", "at": chrono::Utc::now() - chrono::Duration::minutes(5)});
    let refused = create(&app, NORTH, &token, &body).await;
    assert_eq!(refused.status(), 400);
    assert_codes(refused, &[("activation.at", "in_the_past")]).await;
    assert_eq!(system_count(&app).await, 0, "nothing created");
}
