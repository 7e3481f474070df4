//! The three log searches: the message log's keyset pages and filters (LOG-01), the actions
//! log's actors (LOG-02), and the searches log with CPR lookups logged (LOG-03).

use super::*;

#[tokio::test]
async fn log_01_message_log_pages_newest_first_by_cursor_without_gaps_or_other_organisations() {
    let app = spawn_app().await;
    let now = Utc::now();
    seed_messages(&app, ORG, 130, now - Duration::minutes(5)).await;
    seed_messages(&app, OTHER, 20, now - Duration::minutes(5)).await;
    let token = token(&app, &[Right::LogMessages]);

    let mut seen = Vec::new();
    let mut path = format!("/api/v1/organisations/{ORG}/events/messages?pageSize=50");
    let mut pages = 0;
    loop {
        let page: LogPage<MessageLogEntry> = page_of(&app, &path, &token).await;
        pages += 1;
        seen.extend(page.items);
        match page.next_cursor {
            Some(cursor) => {
                path = format!(
                    "/api/v1/organisations/{ORG}/events/messages?pageSize=50&cursor={cursor}"
                )
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 130, "every event once");
    let ids: HashSet<_> = seen.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), 130, "no event twice across pages");
    assert!(seen.iter().all(|e| e.sender.as_deref() == Some(ORG)));
    let keys: Vec<_> = seen
        .iter()
        .map(|e| (e.occurred_at.clone(), e.id.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted, "newest first, ties by id");
    // Events 0 and 1 share the newest time; the later-written (higher id) comes first.
    let first = &seen[0];
    assert_eq!(first.title.as_deref(), Some("Brev nr. 1 om æøå"));
    assert_eq!(first.attachment_count, Some(1));
}

#[tokio::test]
async fn log_01_log_03_filters_narrow_the_message_log_and_a_search_by_cpr_is_itself_logged() {
    let app = spawn_app().await;
    seed_messages(&app, ORG, 60, Utc::now() - Duration::minutes(1)).await;
    let token = token(&app, &[Right::LogMessages, Right::LogSearches]);
    let base = format!("/api/v1/organisations/{ORG}/events/messages");

    let by_cpr: LogPage<MessageLogEntry> = page_of(
        &app,
        &format!("{base}?recipient={CPR}&pageSize=500"),
        &token,
    )
    .await;
    assert_eq!(by_cpr.items.len(), 20);
    assert!(by_cpr
        .items
        .iter()
        .all(|e| e.recipient.as_deref() == Some(CPR)));

    let failed: LogPage<MessageLogEntry> = page_of(
        &app,
        &format!("{base}?event=failed&direction=outgoing&messageType=letter&pageSize=500"),
        &token,
    )
    .await;
    assert_eq!(failed.items.len(), 12);
    assert!(failed.items.iter().all(|e| e.event == MessageEvent::Failed));

    let one: LogPage<MessageLogEntry> = page_of(
        &app,
        &format!("{base}?messageId=0190f3a0-0000-7000-8000-000000000007"),
        &token,
    )
    .await;
    assert_eq!(one.items.len(), 1);
    let none: LogPage<MessageLogEntry> =
        page_of(&app, &format!("{base}?direction=incoming"), &token).await;
    assert!(none.items.is_empty());

    // LOG-03: the CPR search is in the searches log, with its number of results.
    let searches: LogPage<SearchLogEntry> = page_of(
        &app,
        &format!("/api/v1/organisations/{ORG}/events/searches?searchData={CPR}"),
        &token,
    )
    .await;
    assert_eq!(searches.items.len(), 1, "{:?}", searches.items);
    let logged = &searches.items[0];
    // Issue 33 item 5: the register is the one searched — the event log.
    assert_eq!(
        (logged.register.as_str(), logged.result_count),
        ("event_log", 20)
    );
    assert_eq!(logged.actor_rid, "rid-29189846-log_messages+log_searches");
}

#[tokio::test]
async fn log_02_the_actions_log_finds_actors_in_each_form_but_never_system() {
    let app = spawn_app().await;
    let db = app.db().await;
    let org = Cvr::parse(ORG).unwrap();
    let record = |party: &str| ActionRecord {
        organisation: org.clone(),
        subject: Subject::Exemption,
        event: ActionEvent::Created,
        party: Some(party.to_owned()),
        object_id: Some("obj-1".into()),
        object_name: Some("Fritagelse".into()),
        changes: vec![],
        reason: Some("Bor på plejehjem".into()),
        power_of_attorney: Some(true),
    };
    let now = Utc::now() - Duration::minutes(1);
    let actors = [
        Actor::EmployeeOf {
            cvr: org.clone(),
            rid: "12345678910".into(),
        },
        Actor::OperatorOnBehalf {
            home: Cvr::parse(OTHER).unwrap(),
            rid: "12345678910".into(),
        },
        Actor::EmployeeOf {
            cvr: org.clone(),
            rid: "555".into(),
        },
        Actor::System,
    ];
    for (i, actor) in actors.iter().enumerate() {
        record_action(&db, actor, now + Duration::seconds(i as i64), record(CPR))
            .await
            .unwrap();
    }
    let token = token(&app, &[Right::LogActions]);
    let search = |query: String| {
        let (app, token) = (&app, token.clone());
        async move {
            let page: LogPage<ActionLogEntry> = app
                .get_json_as(
                    &format!("/api/v1/organisations/{ORG}/events/actions?{query}"),
                    &token,
                )
                .await;
            page.items.into_iter().map(|e| e.actor).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        search("actor=12345678910".into()).await,
        [
            format!("CVR:{OTHER}-RID:12345678910"),
            format!("CVR:{ORG}-RID:12345678910")
        ]
    );
    assert_eq!(
        search(format!("actor=CVR:{ORG}-RID:12345678910")).await,
        [format!("CVR:{ORG}-RID:12345678910")]
    );
    assert_eq!(search(format!("actor={ORG}")).await.len(), 2);
    // Issue 33 item 5 (LOG-03): a CVR or CPR typed as the actor is a lookup, logged with what
    // it found; a RID or an employee is not a party and is not.
    assert_eq!(search(format!("actor={CPR}")).await.len(), 0);
    use adgang_core::entity::searches_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let searches = searches_log::Entity::find()
        .filter(searches_log::Column::OrganisationCvr.eq(ORG))
        .all(&db)
        .await
        .unwrap();
    let logged: Vec<(&str, &str, i64)> = searches
        .iter()
        .map(|r| (r.search_data.as_str(), r.register.as_str(), r.result_count))
        .collect();
    assert!(logged.contains(&(ORG, "event_log", 2)), "{logged:?}");
    assert!(logged.contains(&(CPR, "event_log", 0)), "{logged:?}");
    assert!(
        !logged.iter().any(|(data, ..)| data.contains("12345678910")),
        "{logged:?}"
    );
    assert_eq!(
        search(format!("party={CPR}&subject=exemption")).await.len(),
        4
    );
    let all: LogPage<ActionLogEntry> = app
        .get_json_as(
            &format!("/api/v1/organisations/{ORG}/events/actions"),
            &token,
        )
        .await;
    let system = all.items.iter().find(|e| e.actor == "System").unwrap();
    assert_eq!(system.reason.as_deref(), Some("Bor på plejehjem"));
    assert_eq!(system.power_of_attorney, Some(true));
    assert!(all.items.iter().any(|e| e.on_behalf));

    let refused = app
        .get_as(
            &format!("/api/v1/organisations/{ORG}/events/actions?actor=System"),
            &token,
        )
        .await;
    assert_field_errors(refused, &[("actor", "invalid_actor")]).await;
}

#[tokio::test]
async fn log_03_the_searches_log_filters_by_rid_and_number() {
    let app = spawn_app().await;
    let db = app.db().await;
    let org = Cvr::parse(ORG).unwrap();
    for (rid, data, register) in [
        ("111", CPR, Register::Cpr),
        ("222", CPR, Register::Cpr),
        ("111", "25052943", Register::Cvr),
    ] {
        let record = SearchRecord {
            organisation: org.clone(),
            actor_rid: rid.into(),
            search_data: data.into(),
            register,
            result_count: 1,
        };
        record_search(&db, Utc::now() - Duration::minutes(1), record)
            .await
            .unwrap();
    }
    let token = token(&app, &[Right::LogSearches]);
    let base = format!("/api/v1/organisations/{ORG}/events/searches");
    let by_rid: LogPage<SearchLogEntry> = app.get_json_as(&format!("{base}?rid=111"), &token).await;
    assert_eq!(by_rid.items.len(), 2);
    let by_cvr: LogPage<SearchLogEntry> = app
        .get_json_as(&format!("{base}?searchData=25052943"), &token)
        .await;
    assert_eq!(by_cvr.items.len(), 1);
    // That search by CVR was itself logged (LOG-03).
    let again: LogPage<SearchLogEntry> = app
        .get_json_as(&format!("{base}?searchData=25052943"), &token)
        .await;
    assert_eq!(again.items.len(), 2);
    assert_eq!(again.items[0].actor_rid, "rid-29189846-log_searches");
}
