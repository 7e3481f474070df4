//! Issue 30: background jobs are supervised by the server — a job that panics runs again and is
//! counted in `/metrics`; a request that waits on a queue's consumer fails fast (503) while the
//! consumer is down, and works again once it is back.

use std::time::{Duration, Instant, SystemTime};

use adgang_api_types::{OrgKind, Problem, Right};
use adgang_test_support::{spawn_app, TestApp};
use serde_json::json;

use crate::messaging::{accepted, app as messaging_app, memo, sender, submit, CITIZEN};

/// The value of `adgang_job_last_success_timestamp_seconds{job=…}` (0: never).
async fn last_success(app: &TestApp, job: &str) -> f64 {
    job_metric(app, "adgang_job_last_success_timestamp_seconds", job)
        .await
        .parse()
        .unwrap()
}

async fn restarts_metric(app: &TestApp, job: &str) -> String {
    job_metric(app, "adgang_job_restarts_total", job).await
}

/// The value of the `/metrics` line `{metric}{job="…"}` for `job`.
async fn job_metric(app: &TestApp, metric: &str, job: &str) -> String {
    let text = app.get("/metrics").await.text().await.unwrap();
    let prefix = format!("{metric}{{job=\"{job}\"}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("the job's {metric} line"))
        .to_owned()
}

async fn until<F, Fut>(what: &str, within: Duration, mut done: F) -> Instant
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < within {
        if done().await {
            return Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{what} did not happen within {within:?}");
}

#[tokio::test]
async fn issue_30_every_module_job_is_supervised_and_listed_in_metrics() {
    let app = spawn_app().await;
    let names = app.jobs.names();
    for job in [
        "search_log_committer",
        "session_revocations",
        "intake_writer",
        "dispatcher",
        "mail_moves",
        "exemption_expiry",
        "mail_access_expiry",
        "statistics_report_expiry",
        "log_exports",
    ] {
        assert!(names.contains(&job), "{job} is not supervised: {names:?}");
        assert_eq!(restarts_metric(&app, job).await, "0", "{job}");
    }
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "job names are unique: {names:?}");
}

#[tokio::test]
async fn issue_30_a_job_that_panics_runs_again_within_2_s_and_is_counted() {
    let app = spawn_app().await;
    for job in ["dispatcher", "session_revocations"] {
        until(
            &format!("{job}'s first round"),
            Duration::from_secs(5),
            || async { last_success(&app, job).await > 0.0 },
        )
        .await;
        app.jobs.panic_next_round(job);
        let panicked = until(
            &format!("{job}'s panic"),
            Duration::from_secs(5),
            || async { app.jobs.restarts(job) == 1 },
        )
        .await;
        let at_panic = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        let again = until(
            &format!("{job} running again"),
            Duration::from_secs(2),
            || async { last_success(&app, job).await >= at_panic },
        )
        .await;
        assert!(again.duration_since(panicked) < Duration::from_secs(2));
        assert_eq!(restarts_metric(&app, job).await, "1", "{job}");
    }
    // The server answers throughout, and readiness holds: the jobs completed their rounds.
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test]
async fn issue_30_a_dead_intake_writer_gives_503_at_once_not_a_hang() {
    let app = messaging_app().await;
    let caller = sender(&app).await;
    accepted(&app, &caller, &memo(CITIZEN)).await;

    app.jobs.halt("intake_writer");
    // The writer stops after its current round (at most a second of waiting for work).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let asked = Instant::now();
    let refused = submit(&app, &caller, &memo(CITIZEN)).await;
    assert_eq!(refused.status(), 503);
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(problem.code.as_str(), "unavailable");

    app.jobs.resume("intake_writer");
    tokio::time::sleep(Duration::from_millis(300)).await;
    accepted(&app, &caller, &memo(CITIZEN)).await;
}

#[tokio::test]
async fn issue_30_lookups_fail_fast_while_the_searches_log_writer_is_down() {
    let app = spawn_app().await;
    let token = app.token_for("29189846", OrgKind::Authority, &[Right::CitizenService]);
    let body = json!({ "cpr": adgang_registry::SyntheticRegistry::citizen_cpr(1) });
    let lookup = || {
        app.post_as(
            "/api/v1/organisations/29189846/exemptions/lookups",
            &token,
            &body,
        )
    };
    assert_eq!(lookup().await.status(), 200);

    app.jobs.halt("search_log_committer");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let asked = Instant::now();
    // LOG-03: no lookup without its searches-log row — refused, quickly.
    assert_eq!(lookup().await.status(), 503);
    assert!(asked.elapsed() < Duration::from_secs(2));

    app.jobs.resume("search_log_committer");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(lookup().await.status(), 200);
}

/// Core's claim primitive: `LIMIT n` takes at most n rows, also when several instances claim at
/// once — on PostgreSQL a locking sub-SELECT inside `IN (…)` may run again per row and, with
/// SKIP LOCKED, hand each run the next row (it once claimed every waiting export for one
/// worker).
#[tokio::test]
async fn issue_30_a_claim_takes_at_most_its_limit_and_no_row_twice() {
    use adgang_core::Lease;
    use adgang_eventlog::entity::log_export;
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set};

    let app = spawn_app().await;
    let db = app.db().await;
    let now = chrono::Utc::now();
    let rows = (0..6).map(|i| log_export::ActiveModel {
        id: Set(format!("export-{i}")),
        organisation_cvr: Set("29189846".to_owned()),
        log: Set("messages".to_owned()),
        filter: Set("{}".to_owned()),
        requested_by: Set("done".to_owned()),
        // Not a status the app's own export job claims: only this test's leases take them.
        status: Set("done".to_owned()),
        rows_total: Set(0),
        rows_written: Set(0),
        created_at: Set(now + chrono::Duration::milliseconds(i)),
        claimed_until: Set(None),
        expires_at: Set(None),
    });
    log_export::Entity::insert_many(rows)
        .exec(&db)
        .await
        .unwrap();
    let lease = || {
        Lease::<log_export::Entity>::new(
            log_export::Column::Id,
            log_export::Column::ClaimedUntil,
            None,
            chrono::Duration::minutes(5),
        )
    };
    let queued = || Condition::all().add(log_export::Column::Status.eq("done"));
    let claim = |limit| {
        let (db, lease) = (db.clone(), lease());
        async move {
            lease
                .claim(
                    &db,
                    now,
                    queued(),
                    log_export::Column::CreatedAt,
                    limit,
                    vec![],
                )
                .await
                .unwrap()
        }
    };
    let (a, b, c) = tokio::join!(claim(1), claim(1), claim(2));
    assert!(
        a.len() <= 1 && b.len() <= 1 && c.len() <= 2,
        "{a:?} {b:?} {c:?}"
    );
    let mut taken: Vec<String> = a.iter().chain(&b).chain(&c).map(|r| r.id.clone()).collect();
    let claimed_in_db = log_export::Entity::find()
        .filter(log_export::Column::Status.eq("done"))
        .filter(log_export::Column::ClaimedUntil.is_not_null())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        claimed_in_db.len(),
        taken.len(),
        "every claimed row was handed out"
    );
    taken.sort();
    taken.dedup();
    assert_eq!(taken.len(), claimed_in_db.len(), "no row handed out twice");
    // The oldest first, and the rest stay free for the next claim.
    let next = claim(10).await;
    assert_eq!(next.len(), 6 - taken.len());
    assert!(claim(10).await.is_empty(), "all are held now");
}
