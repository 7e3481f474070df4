//! System connection (SPEC §2): validation per rule, primary and company rules, edit and
//! delete rules, API keys, standard systems, documents, audit rows, tenant isolation.
//! This file holds the shared setup and helpers; each child module one group of rules.

use adgang_api_types::{
    ApiKey, OrgKind, Page, Problem, Right, StandardSystem, SystemReceipt, SystemStatus,
    SystemSummary,
};
use adgang_core::entity::actions_log;
use adgang_systems::entity::system as system_entity;
use adgang_test_support::{
    expect_json, field_codes, problem, spawn_app_with_organisations, TestApp,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

mod edits;
mod overview;
mod standard_systems;
mod validation;

const NORTH: &str = "29189846";
const COMPANY: &str = "25052943";
const VENDOR: &str = "30808460";

const RSA_1024: &str = include_str!("../../../../test-support/fixtures/ssh/rsa1024.pub");
const ED25519: &str = include_str!("../../../../test-support/fixtures/ssh/ed.pub");

async fn app_with_organisations() -> TestApp {
    spawn_app_with_organisations(&[
        (NORTH, "Testkommune Nord", OrgKind::Authority),
        ("34051178", "Styrelsen for Digital Test", OrgKind::Authority),
        (COMPANY, "Æblegården ApS", OrgKind::Company),
        (VENDOR, "Systemleverandøren A/S", OrgKind::Company),
    ])
    .await
}

/// The app with its organisations, and a system administrator's token for Testkommune Nord.
async fn app_and_north_admin() -> (TestApp, String) {
    let app = app_with_organisations().await;
    let token = admin(&app, NORTH, OrgKind::Authority);
    (app, token)
}

/// A REST PUSH recipient system `name` created for Testkommune Nord.
async fn north_push_system(app: &TestApp, token: &str, name: &str) -> adgang_api_types::System {
    created(app, NORTH, token, &recipient_push(name))
        .await
        .system
}

/// A REST PUSH recipient system `name` created for Testkommune Nord, with VENDOR as its vendor.
async fn north_vendor_system(app: &TestApp, token: &str, name: &str) -> SystemReceipt {
    let mut body = recipient_push(name);
    body["vendorCvr"] = json!(VENDOR);
    created(app, NORTH, token, &body).await
}

fn admin(app: &TestApp, cvr: &str, kind: OrgKind) -> String {
    app.token_for(cvr, kind, &[Right::SystemAdmin])
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
    expect_json(response, 201).await
}

/// Asserts that the problem `response` answers with has the field errors `expected`, sorted.
async fn assert_codes(response: reqwest::Response, expected: &[(&str, &str)]) {
    let problem = problem(response, 400).await;
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(field, code)| ((*field).to_owned(), (*code).to_owned()))
        .collect();
    assert_eq!(codes(&problem), expected);
}

/// The field errors as (field, code), sorted.
fn codes(problem: &Problem) -> Vec<(String, String)> {
    let mut codes = field_codes(problem);
    codes.sort();
    codes
}

/// `cvr`'s system `id`.
fn system_path(cvr: &str, id: &str) -> String {
    format!("/api/v1/organisations/{cvr}/systems/{id}")
}

/// `POST …/primary`: NORTH's system `id` is to be its primary recipient system, as `token`.
async fn make_primary(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    let path = format!("{}/primary", system_path(NORTH, id));
    app.send("POST", &path, token, None).await
}

async fn system_count(app: &TestApp) -> u64 {
    system_entity::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap()
}

async fn log_rows(app: &TestApp, object_id: &str) -> Vec<actions_log::Model> {
    app.rows(actions_log::Entity::find().filter(actions_log::Column::ObjectId.eq(object_id)))
        .await
}
