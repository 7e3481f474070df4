//! Contact structure (SPEC §3): the limits with their field errors, groups without cycles,
//! the tree with duplicate placements, audit rows, tenant isolation, companies refused.

use adgang_api_types::{
    ContactGroup, ContactImportReceipt, ContactNodeKind, ContactPoint, ContactTreeNode, OrgKind,
    Problem, Right, SystemReceipt,
};
use adgang_core::entity::actions_log;
use adgang_test_support::{expect_json, field_codes, spawn_app_with_organisations, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use std::collections::HashSet;

mod deletion;
mod links;
mod platform;
mod structure;
mod workbook;

const AUTHORITY: &str = "34051178";
const OTHER: &str = "29189846";
const COMPANY: &str = "25052943";

async fn app() -> TestApp {
    spawn_app_with_organisations(&[
        (AUTHORITY, "Organisation 34051178", OrgKind::Authority),
        (OTHER, "Organisation 29189846", OrgKind::Authority),
        (COMPANY, "Organisation 25052943", OrgKind::Company),
    ])
    .await
}

/// The contacts [`app`] and an administrator's token for AUTHORITY: where most tests here start.
async fn app_and_admin() -> (TestApp, String) {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    (app, token)
}

fn admin(app: &TestApp, cvr: &str) -> String {
    app.token_for(
        cvr,
        OrgKind::Authority,
        &[Right::ContactAdmin, Right::SystemAdmin],
    )
}

async fn group(app: &TestApp, token: &str, name: &str, parents: &[&str]) -> ContactGroup {
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-groups"),
            token,
            &json!({"name": name, "description": "", "parentIds": parents}),
        )
        .await;
    expect_json(response, 201).await
}

fn point_body(name: &str, groups: &[&str]) -> Value {
    json!({
        "name": name,
        "description": "Skriv til os om byggeri",
        "internalNote": "Kun til intern brug",
        "groupIds": groups,
        "visible": true,
        "audiences": ["citizens"],
        "keywords": ["byggetilladelse", "Æblehave"],
        "active": true
    })
}

async fn point(app: &TestApp, token: &str, body: &Value) -> ContactPoint {
    app.create_contact_point(AUTHORITY, token, body).await
}

// Workbook helpers (CS-06), also used by the receipt and cache tests.

/// A REST PULL recipient system `name` of `cvr`, created as `token`; its id.
async fn recipient_system(app: &TestApp, cvr: &str, token: &str, name: &str) -> String {
    let settings = json!({
        "name": name, "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    });
    app.create_system(cvr, token, &settings).await.system.id
}

/// `cvr`'s contact structure as its tree, read as `token`.
async fn contact_tree(app: &TestApp, cvr: &str, token: &str) -> Vec<ContactTreeNode> {
    let path = format!("/api/v1/organisations/{cvr}/contact-structure");
    app.get_json_as(&path, token).await
}

/// `PUT` of AUTHORITY's contact group `id` as `name` under the groups `parent_ids`.
async fn put_group(
    app: &TestApp,
    token: &str,
    id: &str,
    name: &str,
    parent_ids: &[&str],
) -> reqwest::Response {
    let path = format!("/api/v1/organisations/{AUTHORITY}/contact-groups/{id}");
    app.put_as(
        &path,
        token,
        &json!({"name": name, "parentIds": parent_ids}),
    )
    .await
}

/// A workbook as sheets of text rows (header first).
type Book = Vec<(String, Vec<Vec<String>>)>;

async fn export(app: &TestApp, cvr: &str, token: &str) -> Book {
    let response = app
        .get_ok_as(
            &format!("/api/v1/organisations/{cvr}/contact-structure/export"),
            token,
        )
        .await;
    adgang_documents::xlsx::read_workbook(&response.bytes().await.unwrap())
        .unwrap()
        .into_iter()
        .map(|s| (s.name, s.rows))
        .collect()
}

fn xlsx(book: &Book) -> Vec<u8> {
    use adgang_documents::xlsx::{workbook, Sheet};
    let sheets: Vec<Sheet> = book
        .iter()
        .map(|(name, rows)| Sheet {
            name: name.clone(),
            headers: rows[0].clone(),
            rows: rows[1..].to_vec(),
        })
        .collect();
    workbook(&sheets).unwrap()
}

fn sheet<'a>(book: &'a mut Book, name: &str) -> &'a mut Vec<Vec<String>> {
    &mut book.iter_mut().find(|(n, _)| n == name).unwrap().1
}

pub(crate) async fn import(
    app: &TestApp,
    cvr: &str,
    token: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/organisations/{cvr}/contact-structure/import?dryRun={dry_run}"
        )))
        .bearer_auth(token)
        .header(
            "content-type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn receipt(response: reqwest::Response) -> ContactImportReceipt {
    expect_json(response, 200).await
}

async fn action_rows(app: &TestApp, cvr: &str) -> usize {
    app.rows(actions_log::Entity::find().filter(actions_log::Column::OrganisationCvr.eq(cvr)))
        .await
        .len()
}

/// Groups and points with every kind of column filled: two levels of groups, a point placed
/// twice with a link, input fields, codes and a recipient system, and a hidden one.
async fn rich_structure(app: &TestApp, token: &str) -> (ContactGroup, ContactGroup, ContactPoint) {
    let top = group(app, token, "Børn og unge", &[]).await;
    let sub = group(app, token, "Skole", &[&top.id]).await;
    let system = recipient_system(app, AUTHORITY, token, "Sagssystem").await;
    let mut body = point_body("Skoleindskrivning", &[&top.id, &sub.id]);
    body["inputFields"] = json!(["Barnets navn", "Skole"]);
    body["codes"] = json!([{"kind": "location", "value": "0101"}, {"kind": "classification", "value": "17.01.00"}]);
    body["externalLink"] = json!({"heading": "Læs mere", "description": "Om skolestart", "linkText": "Her", "url": "https://kommune.dk/skole"});
    body["audiences"] = json!(["citizens", "businesses"]);
    body["capacity"] = json!({"maxMessageSizeBytes": 5_000_000, "maxAttachments": 3});
    body["recipientSystemId"] = json!(system);
    let p = point(app, token, &body).await;
    let mut hidden = point_body("Klager", &[]);
    hidden["visible"] = json!(false);
    hidden["active"] = json!(false);
    point(app, token, &hidden).await;
    (top, sub, p)
}
