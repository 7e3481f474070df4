//! Access to a citizen's Digital Post (SPEC §7, issue 16): giver and holder lookups, access
//! given to a citizen or a company, an exempt giver's exemption lifted or kept (through the
//! exemption port), the limits of ACC-03 also under concurrency, revocation, expiry by the job,
//! receipts, rights and tenants.

use adgang_api_types::{
    AccessGiver, AccessHolder, AccessLevel, MailAccessAction, MailAccessReceipt, OrgKind,
    PartyExemption, PartyKind, Right,
};
use adgang_core::entity::actions_log;
use adgang_core::time::copenhagen;
use adgang_core::Clock;
use adgang_mail_access::ExpiryWorker;
use adgang_test_support::{expect_json, field_codes, problem, spawn_app, TestApp};
use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::exemptions::{citizen, company};

const ORG: &str = "29189846";
const OTHER: &str = "34051178";

fn staff(app: &TestApp, cvr: &str) -> String {
    app.token_for(cvr, OrgKind::Authority, &[Right::CitizenService])
}

fn url(cvr: &str, rest: &str) -> String {
    format!("/api/v1/organisations/{cvr}/{rest}")
}

/// `POST` of a lookup of the giver `cpr` in `cvr`'s name, as `token`.
async fn giver_lookup(app: &TestApp, cvr: &str, token: &str, cpr: &str) -> reqwest::Response {
    let path = url(cvr, "mail-access/giver-lookups");
    app.post_as(&path, token, &json!({ "cpr": cpr })).await
}

/// ORG's lookup of `holder` (a CPR or CVR number) as a possible access holder.
async fn holder_lookup(app: &TestApp, token: &str, holder: &str) -> reqwest::Response {
    let body = json!({ "holder": holder });
    app.post_as(&url(ORG, "mail-access/holder-lookups"), token, &body)
        .await
}

async fn giver(app: &TestApp, token: &str, cpr: &str) -> AccessGiver {
    expect_json(giver_lookup(app, ORG, token, cpr).await, 200).await
}

fn access(giver: &str, holder: &str) -> Value {
    json!({ "giver": giver, "holder": holder, "level": "read" })
}

async fn give(app: &TestApp, token: &str, body: &Value) -> MailAccessReceipt {
    expect_json(
        app.post_as(&url(ORG, "mail-accesses"), token, body).await,
        201,
    )
    .await
}

async fn refused(app: &TestApp, token: &str, body: &Value) -> Vec<(String, String)> {
    let response = app.post_as(&url(ORG, "mail-accesses"), token, body).await;
    field_codes(&problem(response, 400).await)
}

async fn pdf_text(app: &TestApp, token: &str, receipt: &MailAccessReceipt) -> String {
    let response = app
        .get_ok_as(
            &url(ORG, &format!("mail-access/receipts/{}/pdf", receipt.id)),
            token,
        )
        .await;
    adgang_documents::pdf::extract_text(&response.bytes().await.unwrap())
        .unwrap()
        .replace('\n', " ")
}

/// The actions log about `subject`, every organisation's, oldest first.
async fn logged(app: &TestApp, subject: &str) -> Vec<actions_log::Model> {
    let about = actions_log::Column::Subject.eq(subject);
    app.rows(
        actions_log::Entity::find()
            .filter(about)
            .order_by_asc(actions_log::Column::Id),
    )
    .await
}

#[tokio::test]
async fn acc_01_02_a_citizen_gives_a_citizen_and_a_company_access_with_receipts() {
    let app = spawn_app().await;
    let token = staff(&app, ORG);
    let (giver_cpr, holder_cpr, holder_cvr) = (citizen(100), citizen(101), company(30));
    let before = giver(&app, &token, &giver_cpr).await;
    assert!(before.accesses.is_empty() && before.exempt_since.is_none());
    let response = holder_lookup(&app, &token, &holder_cvr).await;
    let holder: AccessHolder = response.json().await.unwrap();
    assert_eq!(holder.kind, PartyKind::Company);

    let first = give(&app, &token, &access(&giver_cpr, &holder_cpr)).await;
    assert_eq!(first.action, MailAccessAction::Created);
    assert!(!first.exemption_lifted);
    assert_eq!(first.access.expires_on, None, "unlimited");
    let tomorrow = copenhagen(app.clock.now()).date_naive() + Duration::days(30);
    let second = give(
        &app,
        &token,
        &json!({ "giver": giver_cpr, "holder": holder_cvr, "level": "read_write",
                 "employeeName": "Bo Bogholder", "expiresOn": tomorrow }),
    )
    .await;
    assert_eq!(second.access.level, AccessLevel::ReadWrite);
    assert_eq!(second.access.employee_name.as_deref(), Some("Bo Bogholder"));

    // ACC-01: the giver's table of holders.
    let after = giver(&app, &token, &giver_cpr).await;
    let holders: Vec<_> = after.accesses.iter().map(|a| a.holder.as_str()).collect();
    assert_eq!(holders, [holder_cpr.as_str(), holder_cvr.as_str()]);
    let text = pdf_text(&app, &token, &second).await;
    for expected in [
        "Kvittering for adgang til Digital Post",
        "Bo Bogholder",
        "Læse- og handleadgang",
        "Fritagelse ophævet Nej",
        &tomorrow.format("%d.%m.%Y").to_string(),
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
    // Lookups in the searches log: the giver twice, the holder once.
    let searches = app.searches_logged(ORG).await;
    assert_eq!(searches.len(), 3);
    assert_eq!(
        logged(&app, "mail_access").await.len(),
        6,
        "three rows per access"
    );
}

#[tokio::test]
async fn acc_02_an_exempt_giver_keeps_or_lifts_the_exemption_through_the_port() {
    let app = spawn_app().await;
    let token = staff(&app, ORG);
    let giver_cpr = citizen(110);
    let exempt = app
        .post_as(
            &url(ORG, "exemptions/citizens"),
            &token,
            &json!({ "party": giver_cpr, "powerOfAttorney": false, "forwarding": "registered_address" }),
        )
        .await;
    assert_eq!(exempt.status(), 201);
    assert!(giver(&app, &token, &giver_cpr).await.exempt_since.is_some());
    // Issue 33 item 7 (§10.3 step 3): a holder's lookup shows their enrolment status too.
    let holder_status = |cpr: String| {
        let (app, token) = (&app, token.clone());
        async move {
            let response = holder_lookup(app, &token, &cpr).await;
            assert_eq!(response.status(), 200);
            response.json::<AccessHolder>().await.unwrap().exempt_since
        }
    };
    assert!(holder_status(giver_cpr.clone()).await.is_some(), "exempt");
    assert!(holder_status(citizen(111)).await.is_none(), "enrolled");

    let missing = refused(&app, &token, &access(&giver_cpr, &citizen(111))).await;
    assert_eq!(missing, [("exemption".to_owned(), "required".to_owned())]);
    let mut keep = access(&giver_cpr, &citizen(111));
    keep["exemption"] = json!("keep");
    let kept = give(&app, &token, &keep).await;
    assert!(kept.access.limited_to_before_exemption && !kept.exemption_lifted);
    assert!(
        giver(&app, &token, &giver_cpr).await.exempt_since.is_some(),
        "still exempt"
    );

    let mut lift = access(&giver_cpr, &citizen(112));
    lift["exemption"] = json!("lift");
    let lifted = give(&app, &token, &lift).await;
    assert!(lifted.exemption_lifted && !lifted.access.limited_to_before_exemption);
    assert!(giver(&app, &token, &giver_cpr).await.exempt_since.is_none());
    let status: PartyExemption = app
        .post_as(
            &url(ORG, "exemptions/lookups"),
            &token,
            &json!({ "cpr": giver_cpr }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        status.exemption.is_none(),
        "lifted in the exemptions module"
    );
    let text = pdf_text(&app, &token, &lifted).await;
    assert!(text.contains("Fritagelse ophævet Ja"), "{text}");
    let exemption_rows = logged(&app, "exemption").await;
    assert!(exemption_rows.iter().any(|r| r.event == "deleted"
        && r.reason.as_deref() == Some("Ophævet ved oprettelse af adgang til posten")));
}

#[tokio::test]
async fn acc_03_no_own_access_no_duplicate_no_eleventh_holder_even_at_once() {
    let app = spawn_app().await;
    let token = staff(&app, ORG);
    let giver_cpr = citizen(120);
    assert_eq!(
        refused(&app, &token, &access(&giver_cpr, &giver_cpr)).await,
        [("holder".to_owned(), "holder_is_giver".to_owned())]
    );
    let mut bad = access(&giver_cpr, &citizen(121));
    bad["employeeName"] = json!("Bo");
    bad["expiresOn"] = json!(copenhagen(app.clock.now()).date_naive());
    assert_eq!(
        refused(&app, &token, &bad).await,
        [
            ("employeeName".to_owned(), "not_applicable".to_owned()),
            ("expiresOn".to_owned(), "in_the_past".to_owned())
        ]
    );
    assert_eq!(
        refused(&app, &token, &access(&giver_cpr, "123")).await,
        [("holder".to_owned(), "cpr_or_cvr".to_owned())]
    );
    assert_eq!(
        refused(&app, &token, &access(&giver_cpr, "3112991234")).await,
        [("holder".to_owned(), "unknown_person".to_owned())]
    );
    give(&app, &token, &access(&giver_cpr, &citizen(121))).await;
    assert_eq!(
        refused(&app, &token, &access(&giver_cpr, &citizen(121))).await,
        [("holder".to_owned(), "duplicate_holder".to_owned())]
    );
    for i in 122..130 {
        give(&app, &token, &access(&giver_cpr, &citizen(i))).await;
    }
    // Nine in force: three employees add the tenth at once — exactly one gets it.
    let path = url(ORG, "mail-accesses");
    let (a, b, c) = (
        access(&giver_cpr, &citizen(130)),
        access(&giver_cpr, &citizen(131)),
        access(&giver_cpr, &citizen(132)),
    );
    let (ra, rb, rc) = tokio::join!(
        app.post_as(&path, &token, &a),
        app.post_as(&path, &token, &b),
        app.post_as(&path, &token, &c)
    );
    let mut statuses = vec![
        ra.status().as_u16(),
        rb.status().as_u16(),
        rc.status().as_u16(),
    ];
    statuses.sort();
    assert_eq!(statuses, [201, 400, 400]);
    assert_eq!(giver(&app, &token, &giver_cpr).await.accesses.len(), 10);
    assert_eq!(
        refused(&app, &token, &access(&giver_cpr, &citizen(133))).await,
        [("holder".to_owned(), "too_many_holders".to_owned())]
    );
}

#[tokio::test]
async fn acc_04_revoking_is_at_once_and_for_good_and_frees_the_place() {
    let app = spawn_app().await;
    let token = staff(&app, ORG);
    let giver_cpr = citizen(140);
    let mut receipts = Vec::new();
    for i in 141..151 {
        receipts.push(give(&app, &token, &access(&giver_cpr, &citizen(i))).await);
    }
    // Another authority's citizen service revokes one: accesses are national.
    let other = staff(&app, OTHER);
    let revoke = url(OTHER, &format!("mail-accesses/{}", receipts[0].access.id));
    let revoked: MailAccessReceipt = expect_json(app.delete_as(&revoke, &other).await, 200).await;
    assert_eq!(revoked.action, MailAccessAction::Revoked);
    assert_eq!(app.delete_as(&revoke, &other).await.status(), 409);
    give(&app, &token, &access(&giver_cpr, &citizen(151))).await;
    // Receipts are the acting organisation's own.
    let foreign = app
        .get_as(
            &url(ORG, &format!("mail-access/receipts/{}", revoked.id)),
            &token,
        )
        .await;
    assert_eq!(foreign.status(), 404);
    app.get_ok_as(
        &url(OTHER, &format!("mail-access/receipts/{}", revoked.id)),
        &other,
    )
    .await;
    let rows = logged(&app, "mail_access").await;
    let deleted: Vec<_> = rows.iter().filter(|r| r.event == "deleted").collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].organisation_cvr, OTHER);
}

#[tokio::test]
async fn acc_05_an_access_ends_after_its_last_day_by_the_job_once() {
    let app = spawn_app().await;
    let giver_cpr = citizen(160);
    // 2026-10-24 in Copenhagen; the last day is the 25th, when summer time ends.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 10, 24, 10, 0, 0).unwrap());
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = staff(&app, ORG);
    let mut body = access(&giver_cpr, &citizen(161));
    body["expiresOn"] = json!("2026-10-25");
    give(&app, &token, &body).await;
    let worker = |db| ExpiryWorker {
        db,
        clock: app.clock.clone(),
        idle: std::time::Duration::from_secs(60),
        sweep: adgang_mail_access::service::expiry::ExpiredAccesses,
    };
    let expiry = worker(app.db().await);
    // 23:59 on the 25th in Copenhagen (UTC+1 after the change): still in force.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 10, 25, 22, 59, 0).unwrap());
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = staff(&app, ORG);
    assert_eq!(expiry.tick().await.unwrap(), 0);
    assert_eq!(giver(&app, &token, &giver_cpr).await.accesses.len(), 1);
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 10, 25, 23, 0, 0).unwrap());
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = staff(&app, ORG);
    assert!(
        giver(&app, &token, &giver_cpr).await.accesses.is_empty(),
        "not after its day"
    );
    let other = worker(app.db().await);
    let (a, b) = tokio::join!(expiry.tick(), other.tick());
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let system: Vec<_> = logged(&app, "mail_access")
        .await
        .into_iter()
        .filter(|r| r.actor == "System")
        .collect();
    assert_eq!(system.len(), 1);
    assert_eq!(system[0].organisation_cvr, ORG);
}

#[tokio::test]
async fn acc_rights_only_citizen_service_of_an_authority() {
    let app = spawn_app().await;
    let business = app.token_for(ORG, OrgKind::Authority, &[Right::BusinessService]);
    let response = giver_lookup(&app, ORG, &business, &citizen(1)).await;
    assert_eq!(response.status(), 403);
    let company_cvr = "25052943";
    let company_user = app.token_for(company_cvr, OrgKind::Company, &[Right::CitizenService]);
    let response = giver_lookup(&app, company_cvr, &company_user, &citizen(1)).await;
    assert_eq!(response.status(), 403);
}
