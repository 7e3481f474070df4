//! CORE-04: value dates — a message held until Copenhagen midnight, and a recall racing the
//! release.

use super::*;

/// The messaging app at noon in Copenhagen on 10 December 2026, and SENDER's sender system.
async fn app_and_sender_at_noon_on_10_december() -> (TestApp, (String, String)) {
    let app = app().await;
    app.clock.set("2026-12-10T11:00:00Z".parse().unwrap());
    let caller = sender(&app).await;
    (app, caller)
}

/// What withdrawing `message_id` in `sender`'s name comes to, done by the system at `now`.
async fn withdrawn_by_system(
    db: &sea_orm::DatabaseConnection,
    sender: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> adgang_messaging::service::recall::Withdrawal {
    use adgang_core::audit::Actor;
    use adgang_messaging::service::recall::withdraw;
    let sender = adgang_core::Cvr::parse(sender).unwrap();
    withdraw(db, &sender, message_id, &Actor::System, now)
        .await
        .unwrap()
}

/// Copenhagen midnight before 12 December: waits until the held message `message_id` is
/// released into `state`, and returns the sender's log then.
async fn released_at_midnight(app: &TestApp, message_id: &str, state: &str) -> Vec<String> {
    app.clock.set("2026-12-11T23:00:00Z".parse().unwrap());
    eventually("the release", || async {
        stored(app, message_id).await.state == state
    })
    .await;
    let log = events(app, SENDER).await;
    names(&log).into_iter().map(str::to_owned).collect()
}

#[tokio::test]
async fn core_04_a_future_value_date_holds_the_message_until_copenhagen_midnight() {
    let (app, caller) = app_and_sender_at_noon_on_10_december().await;
    let mut body = memo(CITIZEN);
    body["valueDate"] = json!("2026-12-12");
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    let receipt = accepted(&app, &caller, &body).await;
    assert_eq!(receipt.status, MemoStatus::HeldForValueDate);
    assert_eq!(
        names(&events(&app, SENDER).await),
        ["validated", "held_for_value_date", "technical_receipt_sent"]
    );

    app.clock.set("2026-12-11T22:59:59Z".parse().unwrap());
    tokio::time::sleep(StdDuration::from_millis(600)).await;
    assert_eq!(stored(&app, &message_id).await.state, "held");

    assert_eq!(
        released_at_midnight(&app, &message_id, "available").await,
        [
            "validated",
            "held_for_value_date",
            "technical_receipt_sent",
            "sent_after_value_date",
            "available_to_recipient"
        ]
    );
}

#[tokio::test]
async fn core_04_a_recall_racing_the_release_leaves_exactly_one_of_them_done() {
    use adgang_messaging::service::recall::Withdrawal;
    let (app, caller) = app_and_sender_at_noon_on_10_december().await;
    let mut ids = Vec::new();
    for _ in 0..20 {
        let mut body = memo(CITIZEN);
        body["valueDate"] = json!("2026-12-12");
        accepted(&app, &caller, &body).await;
        ids.push(body["messageId"].as_str().unwrap().to_owned());
    }
    // Before the value date a recall simply wins; a second one says so.
    let db = app.db().await;
    let now = app.clock.now();
    let first = withdrawn_by_system(&db, SENDER, &ids[0], now).await;
    assert!(matches!(first, Withdrawal::Recalled(_)));
    assert_eq!(
        withdrawn_by_system(&db, SENDER, &ids[0], now).await,
        Withdrawal::AlreadyRecalled
    );
    assert_eq!(
        withdrawn_by_system(&db, AUTHORITY, &ids[1], now).await,
        Withdrawal::NotFound
    );

    // At the value date the dispatcher releases while recalls arrive, staggered.
    app.clock.set("2026-12-11T23:00:00Z".parse().unwrap());
    let now = app.clock.now();
    let recalls = ids[1..].iter().enumerate().map(|(i, id)| {
        let db = db.clone();
        async move {
            tokio::time::sleep(StdDuration::from_millis(20 * i as u64)).await;
            (id.clone(), withdrawn_by_system(&db, SENDER, id, now).await)
        }
    });
    let outcomes = futures_util::future::join_all(recalls).await;
    eventually("every message settled", || async {
        let mut settled = true;
        for id in &ids {
            let state = stored(&app, id).await.state;
            settled &= state == "available" || state == "recalled";
        }
        settled
    })
    .await;
    let log = events(&app, SENDER).await;
    for (id, outcome) in outcomes {
        let state = stored(&app, &id).await.state;
        let of = |event: &str| {
            log.iter()
                .filter(|e| e.message_id.as_deref() == Some(id.as_str()) && e.event == event)
                .count()
        };
        match outcome {
            Withdrawal::Recalled(_) => {
                assert_eq!(state, "recalled");
                assert_eq!((of("recalled"), of("sent_after_value_date")), (1, 0));
            }
            Withdrawal::AlreadyReleased => {
                assert_eq!(state, "available");
                assert_eq!((of("recalled"), of("sent_after_value_date")), (0, 1));
            }
            other => panic!("{id}: {other:?}"),
        }
    }
}

/// Issue 33 item 1: a held NemSMS memo is routed on its value date with that day's enrolment —
/// the guide's "NemSMS fejlet … ikke var tilmeldt NemSMS-løsningen i løbet af den valgte
/// valørperiode".
#[tokio::test]
async fn core_04_sms_01_a_held_nemsms_memo_fails_on_its_value_date_when_not_enrolled() {
    let (app, caller) = app_and_sender_at_noon_on_10_december().await;
    let mut body = memo(CITIZEN);
    body["type"] = json!("nemsms");
    body["valueDate"] = json!("2026-12-12");
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    assert_eq!(
        accepted(&app, &caller, &body).await.status,
        MemoStatus::HeldForValueDate
    );
    assert_eq!(
        released_at_midnight(&app, &message_id, "failed").await,
        [
            "validated",
            "held_for_value_date",
            "technical_receipt_sent",
            "sent_after_value_date",
            "nemsms_failed"
        ]
    );
}
