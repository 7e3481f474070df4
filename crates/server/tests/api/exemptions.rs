//! Exemption from Digital Post (SPEC §5, issue 16): lookups and their searches-log rows, grants
//! with their forwarding choices and receipts, lifts, company expiry at the end of November two
//! years on (DST and several workers), renewals, rights (EX-05), tenants and bad input.

use adgang_api_types::{
    ExemptionAction, ExemptionReceipt, MailForwarding, OrgKind, PartyExemption, PartyKind, Right,
};
use adgang_core::entity::actions_log;
use adgang_core::time::TestClock;
use adgang_core::Clock;
use adgang_exemptions::ExpiryWorker;
use adgang_registry::SyntheticRegistry;
use adgang_test_support::{assert_field_errors, expect_json, problem, spawn_app, TestApp};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};

const ORG: &str = "29189846";
const OTHER: &str = "34051178";
/// An authority in the register: cannot be exempted.
const AUTHORITY: &str = "10213231";

/// The synthetic register's citizen `i` (a CPR number), as the national-register tests use.
pub(crate) fn citizen(i: usize) -> String {
    SyntheticRegistry::citizen_cpr(i)
}

/// The synthetic register's company `i` (a CVR number).
pub(crate) fn company(i: usize) -> String {
    SyntheticRegistry::new()
        .company_cvrs()
        .nth(i)
        .expect("a synthetic company")
        .to_owned()
}

/// Whether a CPR passes the modulus-11 check (which SPEC §0 says not to apply).
fn passes_modulus_11(cpr: &str) -> bool {
    let weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    let sum: u32 = cpr
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    sum.is_multiple_of(11)
}

fn staff(app: &TestApp, cvr: &str, rights: &[Right]) -> String {
    app.token_for(cvr, OrgKind::Authority, rights)
}

fn url(cvr: &str, rest: &str) -> String {
    format!("/api/v1/organisations/{cvr}/exemptions/{rest}")
}

async fn look_up(app: &TestApp, token: &str, kind: PartyKind, number: &str) -> reqwest::Response {
    let body = match kind {
        PartyKind::Citizen => json!({ "cpr": number }),
        PartyKind::Company => json!({ "cvr": number }),
    };
    app.post_as(&url(ORG, "lookups"), token, &body).await
}

async fn status_of(app: &TestApp, token: &str, kind: PartyKind, number: &str) -> PartyExemption {
    expect_json(look_up(app, token, kind, number).await, 200).await
}

fn registered(party: &str) -> Value {
    json!({ "party": party, "powerOfAttorney": false, "forwarding": "registered_address" })
}

async fn grant(app: &TestApp, token: &str, kind: PartyKind, body: &Value) -> ExemptionReceipt {
    let path = match kind {
        PartyKind::Citizen => "citizens",
        PartyKind::Company => "companies",
    };
    expect_json(app.post_as(&url(ORG, path), token, body).await, 201).await
}

/// `org`'s actions log about exemptions, oldest first.
async fn actions(app: &TestApp, org: &str) -> Vec<actions_log::Model> {
    app.actions_about(org, "exemption").await
}

/// `cvr`'s exemption receipt `id`.
fn receipt_path(cvr: &str, id: &str) -> String {
    url(cvr, &format!("receipts/{id}"))
}

/// ORG's company exemption `id`'s `action` ("lift", "renew").
fn company_path(id: &str, action: &str) -> String {
    url(ORG, &format!("companies/{id}/{action}"))
}

/// `POST path` (a lift or renewal) as `token`, without power of attorney.
async fn without_power_of_attorney(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.post_as(path, token, &json!({ "powerOfAttorney": false }))
        .await
}

async fn receipt_text(app: &TestApp, token: &str, receipt: &ExemptionReceipt) -> String {
    let response = app
        .get_ok_as(&format!("{}/pdf", receipt_path(ORG, &receipt.id)), token)
        .await;
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let bytes = response.bytes().await.unwrap();
    // Long values wrap onto the next line.
    adgang_documents::pdf::extract_text(&bytes)
        .unwrap()
        .replace('\n', " ")
}

#[tokio::test]
async fn ex_01_a_citizen_lookup_shows_name_status_and_the_warning_and_is_logged_once() {
    let app = spawn_app().await;
    let token = staff(&app, ORG, &[Right::CitizenService]);
    // SPEC §0: a valid date is enough; the modulus-11 check is not applied.
    let cpr = (0..200)
        .map(citizen)
        .find(|c| !passes_modulus_11(c))
        .expect("a synthetic CPR failing modulus 11");

    let found = status_of(
        &app,
        &token,
        PartyKind::Citizen,
        &format!("{}-{}", &cpr[..6], &cpr[6..]),
    )
    .await;
    assert_eq!(found.party, cpr);
    assert!(!found.name.is_empty());
    assert!(found.exemption.is_none(), "enrolled in Digital Post");
    assert!(!found.may_have_unopened_mail, "nothing in the mailbox");

    // A well-formed number the register does not know: a field error, and still a lookup.
    assert_field_errors(
        look_up(&app, &token, PartyKind::Citizen, "3112991234").await,
        &[("cpr", "unknown_person")],
    )
    .await;
    // Not a date: refused before any lookup.
    assert_field_errors(
        look_up(&app, &token, PartyKind::Citizen, "3213801234").await,
        &[("cpr", "cpr_date")],
    )
    .await;

    let rows = app.searches_logged(ORG).await;
    let logged: Vec<_> = rows
        .iter()
        .map(|r| (r.search_data.as_str(), r.register.as_str(), r.result_count))
        .collect();
    // Issue 33 item 5: the register an exemption lookup fetches from.
    assert_eq!(
        logged,
        [
            (cpr.as_str(), "exemption_register", 1),
            ("3112991234", "exemption_register", 0)
        ]
    );
    assert!(rows
        .iter()
        .all(|r| r.actor_rid == format!("rid-{ORG}-citizen_service")));
}

#[tokio::test]
async fn ex_02_exempting_a_citizen_checks_the_choices_stores_nothing_half_and_gives_a_receipt() {
    let app = crate::messaging::app().await;
    let token = staff(&app, ORG, &[Right::CitizenService]);
    let cpr = citizen(0);

    // Bad input: every mistake at its field, nothing stored.
    assert_field_errors(
        app.post_as(
            &url(ORG, "citizens"),
            &token,
            &json!({ "party": cpr, "powerOfAttorney": true, "forwarding": "declined" }),
        )
        .await,
        &[("informedOfConsequences", "not_informed")],
    )
    .await;
    let body = json!({
        "party": cpr, "powerOfAttorney": true, "forwarding": "alternative_address",
        "alternativeAddress": { "street": "Havnegade 3", "postalCode": "", "city": "Aarhus C" },
        "note": "x".repeat(201)
    });
    let refused = app.post_as(&url(ORG, "citizens"), &token, &body).await;
    let expected = [
        ("note", "too_long"),
        ("alternativeAddress.postalCode", "required"),
    ];
    assert_field_errors(refused, &expected).await;
    assert_field_errors(
        app.post_as(&url(ORG, "citizens"), &token, &registered("12345"))
            .await,
        &[("party", "cpr_format")],
    )
    .await;
    // The wizard's "Næste": checked, nothing changed.
    let body = json!({
        "party": cpr, "powerOfAttorney": true, "forwarding": "alternative_address",
        "alternativeAddress": { "street": "Havnegade 3, 2. th.", "postalCode": "8000", "city": "Aarhus C" },
        "note": "J.nr. 2026-1234"
    });
    let dry = app
        .post_as(
            &format!("{}?dryRun=true", url(ORG, "citizens")),
            &token,
            &body,
        )
        .await;
    assert_eq!(dry.status(), 204);
    assert!(status_of(&app, &token, PartyKind::Citizen, &cpr)
        .await
        .exemption
        .is_none());
    assert!(actions(&app, ORG).await.is_empty());

    // "Godkend fritagelse".
    let receipt = grant(&app, &token, PartyKind::Citizen, &body).await;
    assert_eq!(receipt.action, ExemptionAction::Granted);
    assert_eq!(receipt.forwarding, MailForwarding::AlternativeAddress);
    assert_eq!(
        receipt.forwarding_address.as_ref().unwrap().postal_code,
        "8000"
    );
    assert_eq!(receipt.expires_at, None, "a citizen's exemption has no end");
    let status = status_of(&app, &token, PartyKind::Citizen, &cpr).await;
    let exemption = status.exemption.expect("exempt now");
    assert_eq!(exemption.id, receipt.exemption_id);
    assert!(exemption.power_of_attorney);

    // The receipt again, as JSON and as the PDF printed for the citizen.
    let again: ExemptionReceipt = app
        .get_json_as(&url(ORG, &format!("receipts/{}", receipt.id)), &token)
        .await;
    assert_eq!(again, receipt);
    let text = receipt_text(&app, &token, &receipt).await;
    for expected in [
        "Kvittering for fritagelse af borger",
        &status.name,
        &format!("{}-{}", &cpr[..6], &cpr[6..]),
        "Eftersendes til alternativ adresse: Havnegade 3, 2. th., 8000 Aarhus C",
        "Via fuldmagt",
        "J.nr. 2026-1234",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }

    // EX-06: the action with its reason and power of attorney.
    let logged = actions(&app, ORG).await;
    assert!(!logged.is_empty());
    assert!(logged.iter().all(|r| r.event == "created"
        && r.party_id.as_deref() == Some(cpr.as_str())
        && r.reason.as_deref() == Some("J.nr. 2026-1234")
        && r.power_of_attorney == Some(true)
        && r.actor == format!("CVR:{ORG}-RID:rid-{ORG}-citizen_service")));

    // Exempt once only.
    let twice = problem(app.post_as(&url(ORG, "citizens"), &token, &body).await, 409).await;
    assert_eq!(twice.code.as_str(), "conflict");
    assert_eq!(actions(&app, ORG).await.len(), logged.len());

    // CORE-02: the exempt citizen now gets mandatory mail only.
    let sender = crate::messaging::sender(&app).await;
    let letter = crate::messaging::submit(&app, &sender, &crate::messaging::memo(&cpr)).await;
    assert_field_errors(letter, &[("recipient", "recipient_exempt")]).await;
    let mut mandatory = crate::messaging::memo(&cpr);
    mandatory["type"] = json!("mandatory");
    let accepted = crate::messaging::submit(&app, &sender, &mandatory).await;
    assert_eq!(accepted.status(), 201, "{}", accepted.text().await.unwrap());
}

#[tokio::test]
async fn ex_03_lifting_a_citizens_exemption_takes_effect_at_once_with_a_receipt() {
    let app = spawn_app().await;
    let token = staff(&app, ORG, &[Right::CitizenService]);
    let cpr = citizen(1);
    let granted = grant(&app, &token, PartyKind::Citizen, &registered(&cpr)).await;
    assert_eq!(granted.forwarding, MailForwarding::RegisteredAddress);
    assert!(granted.forwarding_address.is_some(), "the CPR address");

    // Another authority's citizen service lifts it: exemptions are national.
    let other = staff(&app, OTHER, &[Right::CitizenService]);
    let lift = format!(
        "/api/v1/organisations/{OTHER}/exemptions/citizens/{}/lift",
        granted.exemption_id
    );
    let response = without_power_of_attorney(&app, &other, &lift).await;
    let lifted: ExemptionReceipt = expect_json(response, 200).await;
    assert_eq!(lifted.action, ExemptionAction::Lifted);
    assert!((lifted.effective_at - app.clock.now()).num_seconds().abs() < 5);
    assert!(status_of(&app, &token, PartyKind::Citizen, &cpr)
        .await
        .exemption
        .is_none());

    // Twice: refused, nothing logged again.
    let again = problem(without_power_of_attorney(&app, &other, &lift).await, 409).await;
    assert!(again.detail.unwrap_or_default().contains("lifted"));
    let logged = actions(&app, OTHER).await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].event, "deleted");
    assert_eq!(logged[0].reason.as_deref(), Some("Fritagelse ophævet"));
    assert_eq!(logged[0].power_of_attorney, Some(false));

    // The receipt is the lifting organisation's; the granting one's stays its own.
    let pdf = app
        .get_as(&format!("{}/pdf", receipt_path(OTHER, &lifted.id)), &other)
        .await;
    let text = adgang_documents::pdf::extract_text(&pdf.bytes().await.unwrap()).unwrap();
    assert!(text.contains("Ophævelsen træder i kraft"), "{text}");
    let foreign = app.get_as(&receipt_path(ORG, &lifted.id), &token).await;
    assert_eq!(foreign.status(), 404);
    let foreign = app.get_as(&receipt_path(OTHER, &granted.id), &other).await;
    assert_eq!(foreign.status(), 404);
    // A company's path does not reach a citizen's exemption.
    let wrong_kind = without_power_of_attorney(
        &app,
        &token,
        &company_path(granted.exemption_id.as_str(), "lift"),
    )
    .await;
    assert_eq!(wrong_kind.status(), 404);
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

/// The last moment of November in Copenhagen (23:59:59.999), when a company exemption of two
/// years before ends.
fn end_of_november(year: i32) -> DateTime<Utc> {
    utc(year, 11, 30, 22, 59, 59) + Duration::milliseconds(999)
}

/// Sets the app's clock to `at` and mints ORG's staff token with `rights` there (tokens are
/// checked against the app's clock).
fn staff_at(app: &TestApp, at: DateTime<Utc>, rights: &[Right]) -> String {
    app.clock.set(at);
    staff(app, ORG, rights)
}

fn worker(app: &TestApp, db: sea_orm::DatabaseConnection) -> ExpiryWorker {
    ExpiryWorker {
        db,
        clock: app.clock.clone(),
        idle: std::time::Duration::from_secs(60),
        sweep: adgang_exemptions::service::expiry::ExpiredExemptions,
    }
}

#[tokio::test]
async fn ex_04_a_company_exemption_ends_with_the_last_second_of_november_two_years_on() {
    let app = spawn_app().await;
    let cvr = company(3);
    // Granted at 03:30 Copenhagen on the night summer time starts.
    let token = staff_at(&app, utc(2026, 3, 29, 1, 30, 0), &[Right::BusinessService]);
    let receipt = grant(&app, &token, PartyKind::Company, &registered(&cvr)).await;
    let end = end_of_november(2028);
    assert_eq!(
        receipt.expires_at,
        Some(end),
        "2028-11-30 23:59:59.999 Copenhagen"
    );
    let text = receipt_text(&app, &token, &receipt).await;
    assert!(
        text.contains("Udløber") && text.contains("30.11.2028 kl. 23:59"),
        "{text}"
    );

    let expiry = worker(&app, app.db().await);
    let token = staff_at(
        &app,
        utc(2028, 11, 30, 22, 59, 59),
        &[Right::BusinessService],
    );
    assert!(status_of(&app, &token, PartyKind::Company, &cvr)
        .await
        .exemption
        .is_some());
    assert_eq!(expiry.tick().await.unwrap(), 0, "still in force");

    // From 1 December 00:00 Copenhagen it is no longer in force, even before the job runs.
    let token = staff_at(&app, utc(2028, 11, 30, 23, 0, 0), &[Right::BusinessService]);
    assert!(status_of(&app, &token, PartyKind::Company, &cvr)
        .await
        .exemption
        .is_none());
    assert_eq!(expiry.tick().await.unwrap(), 1);
    assert_eq!(expiry.tick().await.unwrap(), 0);
    let logged = actions(&app, ORG).await;
    let system: Vec<_> = logged.iter().filter(|r| r.actor == "System").collect();
    assert_eq!(system.len(), 1, "{logged:?}");
    assert!(system[0].actor_is_system);
    assert_eq!(system[0].event, "deleted");
    assert_eq!(system[0].occurred_at, end);
    // Lifting it now is too late; granting anew is possible.
    let late = without_power_of_attorney(
        &app,
        &token,
        &company_path(receipt.exemption_id.as_str(), "lift"),
    )
    .await;
    assert_eq!(late.status(), 409);
    let anew = grant(&app, &token, PartyKind::Company, &registered(&cvr)).await;
    assert_eq!(anew.expires_at, Some(end_of_november(2030)));
}

#[tokio::test]
async fn ex_04_renewing_moves_the_end_to_november_two_years_after_the_renewal() {
    let app = spawn_app().await;
    let cvr = company(4);
    let token = staff_at(&app, utc(2026, 3, 15, 9, 0, 0), &[Right::CitizenService]);
    let granted = grant(&app, &token, PartyKind::Company, &registered(&cvr)).await;
    assert_eq!(granted.expires_at, Some(end_of_november(2028)));

    let token = staff_at(&app, utc(2027, 6, 1, 8, 0, 0), &[Right::CitizenService]);
    let renew = url(ORG, &format!("companies/{}/renew", granted.exemption_id));
    let response = app
        .post_as(
            &renew,
            &token,
            &json!({ "powerOfAttorney": true, "note": "Fornyet efter ansøgning" }),
        )
        .await;
    let renewed: ExemptionReceipt = expect_json(response, 200).await;
    assert_eq!(renewed.action, ExemptionAction::Renewed);
    assert_eq!(renewed.expires_at, Some(end_of_november(2029)));
    let status = status_of(&app, &token, PartyKind::Company, &cvr).await;
    assert_eq!(
        status.exemption.unwrap().renewed_at,
        Some(utc(2027, 6, 1, 8, 0, 0))
    );
    let logged = actions(&app, ORG).await;
    let edit = logged
        .iter()
        .find(|r| r.event == "edited")
        .expect("the renewal");
    assert_eq!(edit.field.as_deref(), Some("expiresAt"));
    assert_eq!(edit.reason.as_deref(), Some("Fornyet efter ansøgning"));
    assert_eq!(edit.power_of_attorney, Some(true));

    // A citizen's exemption is not renewed; an authority is not exempted.
    let cpr = citizen(2);
    let citizen_exemption = grant(&app, &token, PartyKind::Citizen, &registered(&cpr)).await;
    let not_company = without_power_of_attorney(
        &app,
        &token,
        &company_path(citizen_exemption.exemption_id.as_str(), "renew"),
    )
    .await;
    assert_eq!(not_company.status(), 404);
    assert_field_errors(
        app.post_as(&url(ORG, "companies"), &token, &registered(AUTHORITY))
            .await,
        &[("party", "authority_not_exemptible")],
    )
    .await;
}

#[tokio::test]
async fn ex_04_several_expiry_workers_end_each_exemption_exactly_once() {
    let app = spawn_app().await;
    let token = staff_at(&app, utc(2026, 5, 1, 10, 0, 0), &[Right::BusinessService]);
    for i in 10..40 {
        grant(&app, &token, PartyKind::Company, &registered(&company(i))).await;
    }
    app.clock.set(utc(2028, 12, 1, 12, 0, 0));
    // Three instances, each connected as a server connects, on one database.
    let instance = || adgang_server::database::connect_and_migrate(&app.database.url);
    let workers = [
        worker(&app, instance().await.unwrap()),
        worker(&app, instance().await.unwrap()),
        worker(&app, instance().await.unwrap()),
    ];
    let (a, b, c) = tokio::join!(workers[0].tick(), workers[1].tick(), workers[2].tick());
    assert_eq!(a.unwrap() + b.unwrap() + c.unwrap(), 30);
    let system = actions(&app, ORG)
        .await
        .into_iter()
        .filter(|r| r.actor == "System")
        .count();
    assert_eq!(system, 30);
    // And a clock is a clock: a worker of its own sees nothing left.
    let late = ExpiryWorker {
        db: app.db().await,
        clock: std::sync::Arc::new(TestClock::at(utc(2029, 1, 1, 0, 0, 0))),
        idle: std::time::Duration::from_secs(1),
        sweep: adgang_exemptions::service::expiry::ExpiredExemptions,
    };
    assert_eq!(late.tick().await.unwrap(), 0);
}

#[tokio::test]
async fn ex_05_business_service_handles_companies_only_and_only_authorities_exempt() {
    let app = spawn_app().await;
    let business = staff(&app, ORG, &[Right::BusinessService]);
    let citizen_service = staff(&app, ORG, &[Right::CitizenService]);
    let cpr = citizen(5);

    let refused = look_up(&app, &business, PartyKind::Citizen, &cpr).await;
    assert_eq!(refused.status(), 403);
    let refused = app
        .post_as(&url(ORG, "citizens"), &business, &registered(&cpr))
        .await;
    assert_eq!(refused.status(), 403);
    assert!(
        app.searches_logged(ORG).await.is_empty(),
        "a refused lookup is no lookup"
    );
    assert_eq!(
        status_of(&app, &business, PartyKind::Company, &company(5))
            .await
            .kind,
        PartyKind::Company
    );

    // A citizen's receipt is not the business service's to see.
    let receipt = grant(
        &app,
        &citizen_service,
        PartyKind::Citizen,
        &registered(&cpr),
    )
    .await;
    let hidden = app
        .get_as(&url(ORG, &format!("receipts/{}", receipt.id)), &business)
        .await;
    assert_eq!(hidden.status(), 404);

    // Companies have no exemption module, whatever rights their users hold.
    let company_user = app.token_for(
        "25052943",
        OrgKind::Company,
        &[Right::CitizenService, Right::BusinessService],
    );
    let response = app
        .post_as(
            "/api/v1/organisations/25052943/exemptions/lookups",
            &company_user,
            &json!({ "cvr": company(5) }),
        )
        .await;
    assert_eq!(response.status(), 403);
    // Another organisation's path is not found, before any lookup.
    let foreign = app
        .post_as(
            &format!("/api/v1/organisations/{OTHER}/exemptions/lookups"),
            &business,
            &json!({ "cvr": company(5) }),
        )
        .await;
    assert_eq!(foreign.status(), 404);
}

#[tokio::test]
async fn ex_02_two_employees_exempting_one_citizen_at_once_make_one_exemption() {
    let app = spawn_app().await;
    let token = staff(&app, ORG, &[Right::CitizenService]);
    let cpr = citizen(7);
    let body = registered(&cpr);
    let path = url(ORG, "citizens");
    let send = || app.post_as(&path, &token, &body);
    let (a, b, c) = tokio::join!(send(), send(), send());
    let mut statuses = vec![
        a.status().as_u16(),
        b.status().as_u16(),
        c.status().as_u16(),
    ];
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409]);
    let created = actions(&app, ORG)
        .await
        .into_iter()
        .filter(|r| r.event == "created")
        .count();
    assert_eq!(
        created, 2,
        "one exemption's rows: forwarding and its address"
    );
}

/// EX-01 (issue 33 item 9): the "has or may have unopened Digital Post" warning follows the
/// party's platform mailbox — a letter delivered and not opened raises it, opening it lowers it.
#[tokio::test]
async fn ex_01_the_unopened_mail_warning_follows_the_platform_mailbox() {
    use crate::messaging::{accepted, memo, sender};
    // The organisations seeded, so a sender system can be made.
    let app = crate::messaging::app().await;
    let token = staff(&app, ORG, &[Right::CitizenService]);
    let cpr = crate::messaging::CITIZEN;
    async fn warned(app: &TestApp, token: &str, cpr: &str) -> bool {
        status_of(app, token, PartyKind::Citizen, cpr)
            .await
            .may_have_unopened_mail
    }
    assert!(!warned(&app, &token, cpr).await);
    let caller = sender(&app).await;
    let letter = memo(cpr);
    accepted(&app, &caller, &letter).await;
    assert!(warned(&app, &token, cpr).await, "a letter not opened");
    let message_id = letter["messageId"].as_str().unwrap();
    let opened = crate::testportal::post(
        &app,
        "/testportal/mailboxes/open",
        &[
            ("recipient", cpr),
            ("sender", crate::messaging::SENDER),
            ("message_id", message_id),
        ],
    )
    .await;
    assert_eq!(opened.status(), 303);
    assert!(!warned(&app, &token, cpr).await, "opened");
}

/// Issue 30 (the `Party` extractors): each register action is one endpoint for citizens and
/// companies. `{party}` admits the two collections only; a lookup's body names exactly one
/// party, and the right it needs follows the kind of number.
#[tokio::test]
async fn issue_30_one_endpoint_per_action_serves_citizens_and_companies() {
    let app = spawn_app().await;
    let both_rights = staff(&app, ORG, &[Right::CitizenService]);
    for body in [
        json!({ "cpr": citizen(40), "cvr": company(40) }),
        json!({}),
        json!({ "number": citizen(40) }),
    ] {
        let response = app.post_as(&url(ORG, "lookups"), &both_rights, &body).await;
        assert_eq!(response.status(), 400, "{body}");
    }
    // Nothing was looked up, so nothing was logged.
    assert!(app.searches_logged(ORG).await.is_empty());
    let elsewhere = app
        .post_as(
            &url(ORG, "persons"),
            &both_rights,
            &registered(&citizen(40)),
        )
        .await;
    assert_eq!(elsewhere.status(), 404);

    // One handler, two kinds: the citizen-service employee exempts both.
    let citizens = grant(
        &app,
        &both_rights,
        PartyKind::Citizen,
        &registered(&citizen(41)),
    )
    .await;
    let companies = grant(
        &app,
        &both_rights,
        PartyKind::Company,
        &registered(&company(41)),
    )
    .await;
    assert_eq!(
        (citizens.kind, companies.kind),
        (PartyKind::Citizen, PartyKind::Company)
    );
    // A business-service employee reaches companies only, through the same endpoints.
    let business = staff(&app, ORG, &[Right::BusinessService]);
    let refused = look_up(&app, &business, PartyKind::Citizen, &citizen(41)).await;
    assert_eq!(refused.status(), 403);
    let lift = |kind: &str, id: &str| url(ORG, &format!("{kind}/{id}/lift"));
    let body = json!({ "powerOfAttorney": false });
    let refused = app
        .post_as(&lift("citizens", &citizens.exemption_id), &business, &body)
        .await;
    assert_eq!(refused.status(), 403);
    let lifted = app
        .post_as(
            &lift("companies", &companies.exemption_id),
            &business,
            &body,
        )
        .await;
    assert_eq!(lifted.status(), 200, "{}", lifted.text().await.unwrap());
    // A citizen's exemption is not reached through the companies' collection.
    let crossed = app
        .post_as(
            &lift("companies", &citizens.exemption_id),
            &both_rights,
            &body,
        )
        .await;
    assert_eq!(crossed.status(), 404);
}
