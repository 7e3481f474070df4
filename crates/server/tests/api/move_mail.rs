//! Move mail (SPEC §12, guide chapter 15): the authority's mail lying in Virk moves to a chosen
//! contact point (MV-01), or to each message's tagged point with a failover (MV-02), after the
//! tick and with a receipt (MV-03), as a job with progress; one running move at a time (MV-04).
//! The crash and two-instance tests are in `durability.rs`.

use adgang_api_types::{MailMove, MailMoveState, MemoReceipt, OrgKind, Platform, Problem, Right};
use adgang_core::entity::message_events;
use adgang_messaging::entity::message;
use adgang_test_support::{expect_json, field_codes, spawn_app_with, Spa, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::messaging::{
    accepted, admin, app, eventually, memo, sender, system, AUTHORITY, COMPANY, SENDER,
};

fn moves_url(rest: &str) -> String {
    format!("/api/v1/organisations/{AUTHORITY}/mail-moves{rest}")
}

/// A contact point of AUTHORITY; bound to `system` when given.
async fn contact_point(app: &TestApp, name: &str, system: Option<&str>, active: bool) -> String {
    let body = json!({"name": name, "description": "Til flytning", "visible": true, "audiences": ["citizens"],
                      "keywords": ["post"], "active": active, "recipientSystemId": system});
    app.create_contact_point(AUTHORITY, &admin(app, AUTHORITY), &body)
        .await
        .id
}

/// `n` messages from SENDER to AUTHORITY (no recipient system yet: they land in Virk), tagged
/// with `point` when given; their ids.
async fn into_virk(app: &TestApp, n: usize, point: Option<&str>) -> Vec<String> {
    let caller = sender(app).await;
    let mut ids = Vec::new();
    for _ in 0..n {
        let mut body = memo(AUTHORITY);
        if let Some(point) = point {
            body["contactPointId"] = json!(point);
        }
        let receipt: MemoReceipt = accepted(app, &caller, &body).await;
        assert_eq!(receipt.platform, Some(Platform::Virk));
        ids.push(body["messageId"].as_str().unwrap().to_owned());
    }
    ids
}

/// The stored messages of `ids`, every one of them (a loop over them asserts something).
async fn stored(app: &TestApp, ids: &[String]) -> Vec<message::Model> {
    let among = message::Column::MessageId.is_in(ids.iter().cloned());
    let rows = app.rows(message::Entity::find().filter(among)).await;
    assert_eq!(rows.len(), ids.len(), "every message is stored");
    rows
}

async fn moved_events(app: &TestApp) -> Vec<message_events::Model> {
    app.rows(message_events::Entity::find().filter(message_events::Column::Event.eq("moved")))
        .await
}

async fn finished(app: &TestApp, token: &str, id: &str) -> MailMove {
    let url = moves_url(&format!("/{id}"));
    eventually("the move finishes", || async {
        let found: MailMove = app.get_json_as(&url, token).await;
        !matches!(found.state, MailMoveState::Running | MailMoveState::Waiting)
    })
    .await;
    app.get_json_as(&url, token).await
}

#[tokio::test]
async fn mv_01_03_all_virk_mail_moves_once_to_the_chosen_point_with_events_log_and_receipt() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let ids = into_virk(&app, 5, None).await;
    // Another organisation's Virk mail is not touched.
    let caller = sender(&app).await;
    let company_mail = memo(COMPANY);
    accepted(&app, &caller, &company_mail).await;
    let (pull, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let point = contact_point(&app, "Postmodtagelse", Some(&pull), true).await;

    let order = json!({"mode": "chosen", "contactPointId": point});
    let dry = app
        .post_as(&format!("{}?dryRun=true", moves_url("")), &token, &order)
        .await;
    assert_eq!(dry.status(), 204);
    let untick = app.post_as(&moves_url(""), &token, &order).await;
    assert_eq!(untick.status(), 400);
    assert_eq!(
        field_codes(&untick.json::<Problem>().await.unwrap()),
        vec![(
            "confirmDeletion".to_owned(),
            "must_confirm_deletion".to_owned()
        )]
    );

    let mut ticked = order.clone();
    ticked["confirmDeletion"] = json!(true);
    let response = app.post_as(&moves_url(""), &token, &ticked).await;
    let started: MailMove = expect_json(response, 202).await;
    assert_eq!(started.total, 5);
    let done = finished(&app, &token, &started.id).await;
    assert_eq!(done.state, MailMoveState::Completed);
    assert_eq!((done.moved, done.moved_to_failover), (5, 0));

    for msg in stored(&app, &ids).await {
        assert_eq!(msg.route, "system");
        assert_eq!(msg.platform, None, "deleted from Virk");
        assert_eq!(msg.recipient_system_id.as_deref(), Some(pull.as_str()));
        assert_eq!(msg.contact_point_id.as_deref(), Some(point.as_str()));
        assert_eq!(msg.state, "queued", "waiting in the pull system's queue");
    }
    let events = moved_events(&app).await;
    assert_eq!(events.len(), 5, "one Flyttet per message");
    assert!(events
        .iter()
        .all(|e| e.organisation_cvr == AUTHORITY && e.direction == "incoming"));
    let company = stored(
        &app,
        &[company_mail["messageId"].as_str().unwrap().to_owned()],
    )
    .await;
    assert_eq!(company[0].platform.as_deref(), Some("virk"));

    // The actions log has the order (the employee) and the end (System).
    let log = app.actions_about(AUTHORITY, "move_mail").await;
    assert!(log
        .iter()
        .any(|r| r.actor.starts_with(&format!("CVR:{AUTHORITY}-RID:")) && r.event == "created"));
    assert!(log
        .iter()
        .any(|r| r.actor == "System" && r.after.as_deref() == Some("completed")));

    let receipt = app
        .get_ok_as(&moves_url(&format!("/{}/receipt", started.id)), &token)
        .await;
    assert_eq!(receipt.headers()["content-type"], "application/pdf");
    let text = adgang_documents::pdf::extract_text(&receipt.bytes().await.unwrap()).unwrap();
    assert!(text.contains("Kvittering for flytning af post"), "{text}");
    assert!(text.contains("Postmodtagelse"), "{text}");
    assert!(text.contains("Gennemført"), "{text}");
    // Issue 32 item 10: ordered by a person, named — not the logged actor.
    assert!(text.contains("af Test Testesen ("), "{text}");
    assert!(!text.contains("-RID:"), "{text}");

    // A second move finds nothing left.
    let again: MailMove = app
        .post_as(&moves_url(""), &token, &ticked)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.total, 0);
    assert_eq!(finished(&app, &token, &again.id).await.moved, 0);
    assert_eq!(moved_events(&app).await.len(), 5);
    let listed: Vec<MailMove> = app
        .get_json_as::<adgang_api_types::Page<MailMove>>(&moves_url(""), &token)
        .await
        .items;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].id, again.id, "newest first");
    // X-03 (issue 33 item 6): every move, paged — not only the latest 20.
    let oldest: adgang_api_types::Page<MailMove> = app
        .get_json_as(&moves_url("?pageSize=1&sort=createdAt:asc"), &token)
        .await;
    assert_eq!((oldest.total_elements, oldest.total_pages), (2, 2));
    assert_eq!(oldest.items[0].id, listed[1].id);
}

#[tokio::test]
async fn mv_02_tagged_points_keep_their_point_and_unusable_tags_go_to_the_failover() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    // Points exist before the organisation has systems: tagged mail lands in Virk.
    let usable = contact_point(&app, "Byggesager", None, true).await;
    let inactive = contact_point(&app, "Lukket", None, false).await;
    let to_usable = into_virk(&app, 3, Some(&usable)).await;
    let to_inactive = into_virk(&app, 2, None).await;
    let untagged = into_virk(&app, 1, None).await;
    let _ = inactive;

    let (a, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let (b, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    // Bind the tagged point to A; the failover point goes to B.
    let body = json!({"name": "Byggesager", "description": "Om byggesager", "visible": true,
                      "audiences": ["citizens"], "keywords": ["post"], "active": true,
                      "recipientSystemId": a});
    let response = app
        .put_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{usable}"),
            &token,
            &body,
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let failover = contact_point(&app, "Failover", Some(&b), true).await;

    let response = app
        .post_as(
            &moves_url(""),
            &token,
            &json!({"mode": "tagged", "failoverContactPointId": failover, "confirmDeletion": true}),
        )
        .await;
    let started: MailMove = expect_json(response, 202).await;
    let done = finished(&app, &token, &started.id).await;
    assert_eq!((done.moved, done.moved_to_failover), (6, 3));
    for msg in stored(&app, &to_usable).await {
        assert_eq!(msg.recipient_system_id.as_deref(), Some(a.as_str()));
        assert_eq!(msg.contact_point_id.as_deref(), Some(usable.as_str()));
    }
    for msg in stored(&app, &[to_inactive, untagged].concat()).await {
        assert_eq!(msg.recipient_system_id.as_deref(), Some(b.as_str()));
        assert_eq!(msg.contact_point_id.as_deref(), Some(failover.as_str()));
    }
}

#[tokio::test]
async fn mv_01_a_period_moves_only_that_periods_mail() {
    let app = app().await;
    app.clock.set("2026-11-10T10:00:00Z".parse().unwrap());
    let november = into_virk(&app, 2, None).await;
    app.clock.set("2026-12-01T10:00:00Z".parse().unwrap());
    let december = into_virk(&app, 2, None).await;
    let token = admin(&app, AUTHORITY);
    let (pull, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let point = contact_point(&app, "Post", Some(&pull), true).await;
    let order = |from: &str, to: &str| {
        json!({"mode": "chosen", "contactPointId": point, "confirmDeletion": true,
               "period": {"from": from, "to": to}})
    };
    let reversed = app
        .post_as(&moves_url(""), &token, &order("2026-11-30", "2026-11-01"))
        .await;
    assert_eq!(reversed.status(), 400);
    assert_eq!(
        field_codes(&reversed.json::<Problem>().await.unwrap()),
        vec![("period.to".to_owned(), "period_reversed".to_owned())]
    );
    let started: MailMove = app
        .post_as(&moves_url(""), &token, &order("2026-11-01", "2026-11-30"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(started.total, 2);
    assert_eq!(finished(&app, &token, &started.id).await.moved, 2);
    assert!(stored(&app, &november)
        .await
        .iter()
        .all(|m| m.route == "system"));
    assert!(stored(&app, &december)
        .await
        .iter()
        .all(|m| m.platform.as_deref() == Some("virk")));
}

#[tokio::test]
async fn mv_bad_input_inactive_or_foreign_points_and_a_second_move_while_one_runs() {
    // No worker in this instance: the first move stays running.
    let app = spawn_app_with(Spa::None, |s| {
        s.allow_http_endpoints = true;
        s.move_mail_worker = false;
    })
    .await;
    app.seed_organisations(&[
        (SENDER, "Testkommune Nord", OrgKind::Authority),
        (AUTHORITY, "Styrelsen for Digital Test", OrgKind::Authority),
    ])
    .await;
    let token = admin(&app, AUTHORITY);
    let unbound = contact_point(&app, "Ubundet", None, true).await;
    let (pull, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let inactive = contact_point(&app, "Inaktiv", Some(&pull), false).await;
    let good = contact_point(&app, "Aktiv", Some(&pull), true).await;
    let foreign = {
        let (sender_pull, _) = system(&app, SENDER, json!({"role": "recipient"})).await;
        let body = json!({"name": "Fremmed", "description": "En anden organisations", "visible": true, "audiences": ["citizens"],
                          "keywords": ["post"], "active": true, "recipientSystemId": sender_pull});
        app.create_contact_point(SENDER, &admin(&app, SENDER), &body)
            .await
            .id
    };
    for (order, field, code) in [
        (
            json!({"mode": "chosen", "confirmDeletion": true}),
            "contactPointId",
            "required",
        ),
        (
            json!({"mode": "chosen", "contactPointId": unbound, "confirmDeletion": true}),
            "contactPointId",
            "inactive_contact_point",
        ),
        (
            json!({"mode": "chosen", "contactPointId": inactive, "confirmDeletion": true}),
            "contactPointId",
            "inactive_contact_point",
        ),
        (
            json!({"mode": "chosen", "contactPointId": foreign, "confirmDeletion": true}),
            "contactPointId",
            "unknown",
        ),
        (
            json!({"mode": "tagged", "failoverContactPointId": inactive, "confirmDeletion": true}),
            "failoverContactPointId",
            "inactive_contact_point",
        ),
        (
            json!({"mode": "recipient_system", "confirmDeletion": true}),
            "mode",
            "invalid",
        ),
    ] {
        let response = app.post_as(&moves_url(""), &token, &order).await;
        assert_eq!(response.status(), 400, "{order}");
        assert_eq!(
            field_codes(&response.json::<Problem>().await.unwrap()),
            vec![(field.to_owned(), code.to_owned())],
            "{order}"
        );
    }
    // The choices: every point, and whether mail can go there.
    let offered: Vec<adgang_api_types::MoveContactPoint> =
        app.get_json_as(&moves_url("/contact-points"), &token).await;
    let usable = |id: &str| offered.iter().find(|p| p.id == id).map(|p| p.usable);
    assert_eq!(offered.len(), 3);
    assert_eq!(
        (
            usable(&unbound),
            usable(&inactive),
            usable(&good),
            usable(&foreign)
        ),
        (Some(false), Some(false), Some(true), None)
    );

    let order = json!({"mode": "chosen", "contactPointId": good, "confirmDeletion": true});
    let first = app.post_as(&moves_url(""), &token, &order).await;
    assert_eq!(first.status(), 202);
    let first: MailMove = first.json().await.unwrap();
    let second = app.post_as(&moves_url(""), &token, &order).await;
    assert_eq!(second.status(), 409);
    assert_eq!(
        second.json::<Problem>().await.unwrap().reason,
        Some(adgang_api_types::ConflictReason::MoveMailRunning)
    );

    // Another authority sees neither the move nor its receipt; rights are system_admin's.
    let other = admin(&app, SENDER);
    assert_eq!(
        app.get_as(
            &format!("/api/v1/organisations/{SENDER}/mail-moves/{}", first.id),
            &other
        )
        .await
        .status(),
        404
    );
    let contact_admin = app.token_for(AUTHORITY, OrgKind::Authority, &[Right::ContactAdmin]);
    assert_eq!(
        app.get_as(&moves_url(""), &contact_admin).await.status(),
        403
    );
    let company = app.token_for(COMPANY, OrgKind::Company, &[Right::SystemAdmin]);
    assert_eq!(
        app.get_as(
            &format!("/api/v1/organisations/{COMPANY}/mail-moves"),
            &company
        )
        .await
        .status(),
        403
    );
}

#[tokio::test]
async fn sys_15_a_new_rest_push_system_takes_over_the_virk_mail_once_it_is_active() {
    use adgang_core::Clock;
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let ids = into_virk(&app, 4, None).await;
    let peer = adgang_test_support::peer::FakePeer::start(200).await;
    let now = app.clock.now();
    let system = |protocol: &str, endpoint: Option<String>| {
        json!({
            "name": format!("Sagssystem {protocol}"), "role": "recipient", "protocol": protocol,
            "allowedIps": ["127.0.0.1"], "endpoint": endpoint,
            "activation": {"mode": "at", "at": (now + chrono::Duration::hours(1)).to_rfc3339()},
            "technicalContact": {"email": "drift@styrelsen.dk", "phone": "12345678"},
            "moveVirkMail": true
        })
    };
    let url = format!("/api/v1/organisations/{AUTHORITY}/systems");
    // Only a REST PUSH recipient system is offered the Virk mail.
    let pull = app.post_as(&url, &token, &system("rest_pull", None)).await;
    assert_eq!(pull.status(), 400);
    assert_eq!(
        field_codes(&pull.json::<Problem>().await.unwrap()),
        vec![("moveVirkMail".to_owned(), "not_applicable".to_owned())]
    );
    let response = app
        .post_as(
            &url,
            &token,
            &system("rest_push", Some(format!("{}/inbox", peer.url))),
        )
        .await;
    let receipt: adgang_api_types::SystemReceipt = expect_json(response, 201).await;
    let move_id = receipt
        .virk_mail_move_id
        .expect("the move ordered with the system");

    // Not active yet: the move waits and the mail stays in Virk.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let waiting: MailMove = app
        .get_json_as(&moves_url(&format!("/{move_id}")), &token)
        .await;
    assert_eq!(waiting.state, MailMoveState::Waiting);
    assert!(stored(&app, &ids)
        .await
        .iter()
        .all(|m| m.platform.as_deref() == Some("virk")));

    // Once active, the mail moves into the system and is pushed to it.
    app.clock.set(now + chrono::Duration::hours(2));
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = admin(&app, AUTHORITY);
    let done = finished(&app, &token, &move_id).await;
    assert_eq!(done.state, MailMoveState::Completed);
    assert_eq!((done.total, done.moved), (4, 4));
    for msg in stored(&app, &ids).await {
        assert_eq!(
            msg.recipient_system_id.as_deref(),
            Some(receipt.system.id.as_str())
        );
        assert_eq!(msg.platform, None);
    }
    eventually("the system receives the moved mail", || async {
        peer.requests().len() >= 4
    })
    .await;
    // Issue 32 item 10: the receipt names the system and who ordered it.
    let pdf = app
        .get_ok_as(&moves_url(&format!("/{move_id}/receipt")), &token)
        .await;
    let text = adgang_documents::pdf::extract_text(&pdf.bytes().await.unwrap()).unwrap();
    assert!(text.contains(&receipt.system.name), "{text}");
    assert!(text.contains("af Test Testesen ("), "{text}");
}
