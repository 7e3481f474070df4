//! the HTTP adapter against a real HTTP peer that serves the synthetic register.

use std::sync::Arc;

use actix_web::{web, App, HttpResponse, HttpServer};
use adgang_core::{Cpr, Cvr};
use adgang_registry::{HttpRegistry, Registry, RegistryError, SyntheticRegistry};

/// 200 with `found` as JSON, or 404 when the register has no such entry.
fn found_or_404(found: Option<impl serde::Serialize>) -> HttpResponse {
    match found {
        Some(entry) => HttpResponse::Ok().json(entry),
        None => HttpResponse::NotFound().finish(),
    }
}

/// The peer's answer for the citizen `cpr`.
async fn serve_citizen(register: Arc<SyntheticRegistry>, cpr: web::Path<String>) -> HttpResponse {
    found_or_404(register.citizen(&Cpr::parse(&cpr).unwrap()).await.unwrap())
}

/// The peer's answer for the company `cvr`.
async fn serve_company(register: Arc<SyntheticRegistry>, cvr: web::Path<String>) -> HttpResponse {
    found_or_404(register.company(&Cvr::parse(&cvr).unwrap()).await.unwrap())
}

async fn serve_register() -> String {
    let register = Arc::new(SyntheticRegistry::new());
    let server = HttpServer::new(move || {
        let citizens = register.clone();
        let companies = register.clone();
        App::new()
            .route(
                "/cpr/{cpr}",
                web::get().to(move |cpr: web::Path<String>| serve_citizen(citizens.clone(), cpr)),
            )
            .route(
                "/cvr/{cvr}",
                web::get().to(move |cvr: web::Path<String>| serve_company(companies.clone(), cvr)),
            )
            .route(
                "/broken/cvr/{cvr}",
                web::get().to(HttpResponse::InternalServerError),
            )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn x_13_http_adapter_finds_known_and_misses_unknown() {
    let base = serve_register().await;
    let registry = HttpRegistry::new(&base).unwrap();
    let cpr = Cpr::parse(&SyntheticRegistry::citizen_cpr(42)).unwrap();
    let citizen = registry
        .citizen(&cpr)
        .await
        .unwrap()
        .expect("known citizen");
    assert_eq!(citizen.cpr, cpr.as_str());

    let company = registry
        .company(&Cvr::parse("25052943").unwrap())
        .await
        .unwrap();
    assert_eq!(company.unwrap().name, "Æblegården ApS");

    // Below the synthetic range (which starts at 20 000 000) and not a demo organisation.
    let unknown = Cvr::parse("10000009").unwrap();
    assert_eq!(registry.company(&unknown).await.unwrap(), None);
}

#[tokio::test]
async fn x_13_http_adapter_reports_a_failing_register_as_unavailable() {
    let base = serve_register().await;
    let registry = HttpRegistry::new(&format!("{base}/broken")).unwrap();
    let result = registry.company(&Cvr::parse("25052943").unwrap()).await;
    assert!(matches!(result, Err(RegistryError::Unavailable(_))));
}
