//! Bad input: LOG-04 periods, and cursors, page sizes and filters as clear 400s (LOG-05,
//! LOG-06).

use super::*;

#[tokio::test]
async fn log_04_periods_longer_reversed_too_old_or_malformed_are_field_errors() {
    let app = spawn_app().await;
    let token = token(&app, &[Right::LogMessages, Right::LogActions]);
    let today = adgang_core::time::copenhagen(Utc::now()).date_naive();
    let cases = [
        (
            "messages",
            format!("from={}&to={}", today, today - Duration::days(1)),
            "to",
            "period_reversed",
        ),
        (
            "messages",
            format!("from={}&to={today}", today - Duration::days(100)),
            "from",
            "period_too_long",
        ),
        (
            "actions",
            format!(
                "from={}&to={}",
                today - Duration::days(120),
                today - Duration::days(100)
            ),
            "from",
            "period_too_old",
        ),
        (
            "messages",
            "from=1.12.2026".to_owned(),
            "from",
            "invalid_date",
        ),
    ];
    for (log, query, field, code) in cases {
        let response = app
            .get_as(
                &format!("/api/v1/organisations/{ORG}/events/{log}?{query}"),
                &token,
            )
            .await;
        let p = problem(response, 400).await;
        assert_eq!(
            field_codes(&p),
            [(field.to_owned(), code.to_owned())],
            "{log}?{query}"
        );
    }
    // The message log may look further back, 3 months at a time.
    let old: LogPage<MessageLogEntry> = app
        .get_json_as(
            &format!(
                "/api/v1/organisations/{ORG}/events/messages?from={}&to={}",
                today - Duration::days(200),
                today - Duration::days(150)
            ),
            &token,
        )
        .await;
    assert!(old.items.is_empty());
    // No period: the last 3 months.
    let default: LogPage<ActionLogEntry> = app
        .get_json_as(
            &format!("/api/v1/organisations/{ORG}/events/actions"),
            &token,
        )
        .await;
    assert_eq!(default.to, today.to_string());
    assert_eq!(default.from, (today - chrono::Months::new(3)).to_string());
}

#[tokio::test]
async fn log_05_log_06_bad_cursors_page_sizes_and_filters_are_clear_400s() {
    let app = spawn_app().await;
    seed_messages(&app, ORG, 5, Utc::now() - Duration::minutes(1)).await;
    seed_messages(&app, OTHER, 5, Utc::now() - Duration::minutes(1)).await;
    let token = token(&app, &[Right::LogMessages, Right::LogActions]);
    let other_token = app.token_for(OTHER, OrgKind::Authority, &[Right::LogMessages]);
    let foreign: LogPage<MessageLogEntry> = app
        .get_json_as(
            &format!("/api/v1/organisations/{OTHER}/events/messages?pageSize=2"),
            &other_token,
        )
        .await;
    let foreign_cursor = foreign.next_cursor.unwrap();
    let base = format!("/api/v1/organisations/{ORG}/events");
    let cases = [
        (
            format!("{base}/messages?cursor={foreign_cursor}"),
            "cursor",
            "invalid_cursor",
        ),
        (
            format!("{base}/actions?cursor={foreign_cursor}"),
            "cursor",
            "invalid_cursor",
        ),
        (
            format!("{base}/messages?cursor=djF8bWVzc2FnZXN8"),
            "cursor",
            "invalid_cursor",
        ),
        (
            format!("{base}/messages?pageSize=0"),
            "pageSize",
            "page_size_range",
        ),
        (
            format!("{base}/messages?pageSize=1000000"),
            "pageSize",
            "page_size_range",
        ),
        (
            format!("{base}/messages?recipient=123"),
            "recipient",
            "cpr_or_cvr",
        ),
        (
            format!("{base}/messages?recipient=3213801234"),
            "recipient",
            "cpr_date",
        ),
        (
            format!("{base}/messages?sender=29189847"),
            "sender",
            "cvr_checksum",
        ),
        (
            format!("{base}/messages?event=exploded"),
            "event",
            "unknown",
        ),
        (
            format!("{base}/actions?subject=weather"),
            "subject",
            "unknown",
        ),
    ];
    for (path, field, code) in cases {
        let p = problem(app.get_as(&path, &token).await, 400).await;
        assert_eq!(
            field_codes(&p),
            [(field.to_owned(), code.to_owned())],
            "{path}"
        );
    }
    // LOG-05: a right that opens another log opens not this one; another organisation is 404.
    let searches = app.get_as(&format!("{base}/searches"), &token).await;
    assert_eq!(searches.status(), 403);
    let tenant = app
        .get_as(
            &format!("/api/v1/organisations/{OTHER}/events/messages"),
            &token,
        )
        .await;
    assert_eq!(tenant.status(), 404);
    let citizen_service = app.token_for(ORG, OrgKind::Authority, &[Right::CitizenService]);
    for (log, status) in [("messages", 200), ("actions", 200), ("searches", 403)] {
        let response = app.get_as(&format!("{base}/{log}"), &citizen_service).await;
        assert_eq!(response.status(), status, "citizen_service on {log}");
    }
}
