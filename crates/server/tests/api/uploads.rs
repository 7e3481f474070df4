//! Issue 29: uploaded files are read by a child process under OS limits. A child that goes
//! over its memory, CPU or wall-clock limit is a 422 `file_too_complex` naming the limit, the
//! server keeps serving, other writes go on while a hostile file is read, the child inherits
//! nothing, and a logo is stored as a PNG written anew. The hostile files are built here; each
//! passes the cheap first-line checks, so only the sandbox stands in their way.

use std::time::Duration;

use adgang_api_types::{AuthorityInformation, ErrorCode, OrgKind, Problem, Right};
use adgang_server::sandbox::{Sandbox, SandboxSettings};
use adgang_test_support::{field_codes, server_binary, spawn_app_with, Spa, TestApp};
use serde_json::json;

use crate::contacts::import;
use crate::onboarding::{nanna, not_joined, renew_token, upload};

const ORG: &str = "29189846";

/// The PDF class (`adgang_documents::hostile`): minutes and gigabytes in-process.
fn pdf_bomb() -> Vec<u8> {
    let pdf = adgang_documents::hostile::pdf_object_stream_bomb();
    assert!(pdf.len() < 20_000, "{} bytes", pdf.len());
    pdf
}

/// The workbook class: 17 billion cells reserved by a reader in-process.
fn workbook_bomb() -> Vec<u8> {
    let bomb = adgang_documents::hostile::workbook_range_bomb();
    assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
    bomb
}

async fn app_with(memory_mb: u64, cpu_seconds: u64, wall_seconds: u64) -> TestApp {
    spawn_app_with(Spa::None, |settings| {
        settings.sandbox.memory_bytes = memory_mb * 1024 * 1024;
        settings.sandbox.cpu_seconds = cpu_seconds;
        settings.sandbox.wall_clock = Duration::from_secs(wall_seconds);
    })
    .await
}

/// The problem of a refused upload: 422, `file_too_complex` on `field`, the limit named.
async fn too_complex(response: reqwest::Response, field: &str, limit: &str) {
    assert_eq!(response.status(), 422);
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.code, ErrorCode::FileTooComplex);
    assert_eq!(
        field_codes(&problem),
        vec![(field.to_owned(), "file_too_complex".to_owned())]
    );
    let detail = problem.detail.unwrap_or_default();
    assert!(detail.contains(limit), "{detail}");
}

/// The server still answers and still writes.
async fn still_serving(app: &TestApp) {
    assert_eq!(app.get("/healthz").await.status(), 200);
    let token = app.token_for(ORG, OrgKind::Authority, &[Right::SystemAdmin]);
    let saved = app
        .put_as(
            &format!("/api/v1/organisations/{ORG}/authority-information/privacy-policy-link"),
            &token,
            &json!({ "url": "https://kommune.dk/privatlivspolitik" }),
        )
        .await;
    assert_eq!(saved.status(), 200);
}

#[tokio::test]
async fn issue_29_a_child_over_its_memory_limit_is_a_422_and_the_server_stays_up() {
    let app = app_with(512, 30, 30).await;
    let token = app.token_for(ORG, OrgKind::Authority, &[Right::ContactAdmin]);
    for dry_run in [true, false] {
        let response = import(&app, ORG, &token, workbook_bomb(), dry_run).await;
        too_complex(response, "file", "memory").await;
    }
    still_serving(&app).await;
}

#[tokio::test]
async fn issue_29_a_sparse_workbook_is_answered_by_its_cells_not_its_range() {
    // Five sheets each spanning A1:GR10000 (two million cells, inside the per-sheet limits)
    // with two cells filled: answered as 10 cells, so the import reads it and explains what is
    // missing instead of the server holding ten million empty cells.
    let sheet = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:GR10000"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="10000"><c r="GR10000" t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>"#;
    let sheets: Vec<adgang_documents::xlsx::Sheet> = (1..=5)
        .map(|n| adgang_documents::xlsx::Sheet {
            name: format!("Ark{n}"),
            headers: vec!["x".into()],
            rows: Vec::new(),
        })
        .collect();
    let mut book = adgang_documents::xlsx::workbook(&sheets).unwrap();
    for n in 1..=5 {
        book = adgang_documents::xlsx::testing::with_part(
            &book,
            &format!("xl/worksheets/sheet{n}.xml"),
            sheet,
        );
    }
    let app = app_with(512, 10, 30).await;
    let token = app.token_for(ORG, OrgKind::Authority, &[Right::ContactAdmin]);
    let response = import(&app, ORG, &token, book, true).await;
    assert_eq!(response.status(), 400);
    let codes: Vec<String> = field_codes(&response.json::<Problem>().await.unwrap())
        .into_iter()
        .map(|(_, code)| code)
        .collect();
    assert!(codes.contains(&"missing_sheet".to_owned()), "{codes:?}");
}

#[tokio::test]
async fn issue_29_a_child_over_its_cpu_limit_is_a_422_and_the_server_stays_up() {
    let app = app_with(2048, 1, 60).await;
    not_joined(&app, OrgKind::Authority, &[Right::RightsAdmin]).await;
    let token = renew_token(&app, &nanna(&app).await).await;
    too_complex(upload(&app, &token, pdf_bomb()).await, "document", "cpu").await;
    still_serving(&app).await;
}

#[tokio::test]
async fn issue_29_a_child_past_its_wall_clock_deadline_is_killed_and_the_writer_was_never_held() {
    let app = app_with(2048, 60, 3).await;
    not_joined(&app, OrgKind::Authority, &[Right::RightsAdmin]).await;
    let token = renew_token(&app, &nanna(&app).await).await;
    let admin = app.token_for(ORG, OrgKind::Authority, &[Right::SystemAdmin]);
    let upload = upload(&app, &token, pdf_bomb());
    // While the child reads, other writes go through: nothing holds the writer (item 2). Each
    // write is finished while the upload is still waiting for its child.
    let writes = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut done = Vec::new();
        for n in 0..5 {
            let saved = app
                .put_as(
                    &format!(
                        "/api/v1/organisations/{ORG}/authority-information/privacy-policy-link"
                    ),
                    &admin,
                    &json!({ "url": format!("https://kommune.dk/privatliv-{n}") }),
                )
                .await;
            done.push((saved.status().as_u16(), std::time::Instant::now()));
        }
        done
    };
    let (refused, done) = tokio::join!(
        async {
            let response = upload.await;
            (response, std::time::Instant::now())
        },
        writes
    );
    let (response, upload_done) = refused;
    too_complex(response, "document", "wall_clock").await;
    for (status, at) in done {
        assert_eq!(status, 200);
        assert!(at < upload_done, "a write waited for the upload");
    }
    // Nothing was stored for the refused file.
    use sea_orm::EntityTrait;
    let stored = app
        .rows(adgang_identity::entity::signed_agreement::Entity::find())
        .await;
    assert!(stored.is_empty());
    still_serving(&app).await;
}

#[tokio::test]
async fn issue_29_uploads_beyond_the_readers_at_work_wait_their_turn_then_get_a_429() {
    // One reader, a 2 s deadline; four bombs that each hold the reader for the whole deadline.
    let app = spawn_app_with(Spa::None, |settings| {
        settings.sandbox.memory_bytes = 2048 * 1024 * 1024;
        settings.sandbox.cpu_seconds = 60;
        settings.sandbox.wall_clock = Duration::from_secs(2);
        settings.sandbox.children = 1;
    })
    .await;
    not_joined(&app, OrgKind::Authority, &[Right::RightsAdmin]).await;
    let token = renew_token(&app, &nanna(&app).await).await;
    let uploads = (0..4u64).map(|n| {
        let (app, token) = (&app, &token);
        async move {
            tokio::time::sleep(Duration::from_millis(200 * n)).await;
            upload(app, token, pdf_bomb()).await
        }
    });
    let answers = futures_util::future::join_all(uploads).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    // The first had the reader and was stopped at its deadline; of the others, at most one
    // can have had a turn within its own wait, so at least one was turned away.
    assert_eq!(statuses[0], 422, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [422, 429].contains(s)),
        "{statuses:?}"
    );
    let busy: Vec<_> = answers.into_iter().filter(|r| r.status() == 429).collect();
    assert!(!busy.is_empty(), "{statuses:?}");
    for response in busy {
        assert_eq!(response.headers()["retry-after"], "5");
        let problem: Problem = response.json().await.unwrap();
        assert_eq!(problem.code, ErrorCode::TooManyRequests);
        let detail = problem.detail.unwrap_or_default();
        assert!(detail.starts_with("Too many uploaded files"), "{detail}");
    }
    still_serving(&app).await;
}

#[tokio::test]
async fn issue_29_the_child_has_its_limits_no_inherited_descriptors_and_none_of_the_environment() {
    // A running app in this process: listening sockets and database files are open here.
    let app = app_with(300, 7, 30).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let sandbox = Sandbox::new(SandboxSettings {
        program: Some(server_binary()),
        memory_bytes: 300 * 1024 * 1024,
        cpu_seconds: 7,
        ..Default::default()
    })
    .unwrap();
    let probe = sandbox.probe().await.unwrap();
    assert_eq!(probe.memory_bytes, Some(300 * 1024 * 1024));
    assert_eq!(probe.cpu_seconds, Some(7));
    let fds: Vec<u32> = probe.descriptors.iter().map(|(fd, _)| *fd).collect();
    assert!(fds.starts_with(&[0, 1, 2]), "{:?}", probe.descriptors);
    for (fd, target) in &probe.descriptors {
        assert!(
            *fd <= 2 || target.starts_with("/proc/"),
            "descriptor {fd} → {target} was inherited"
        );
    }
    // Nothing of the server's environment; only the allocator's arena size.
    assert_eq!(
        probe.environment,
        [adgang_server::sandbox::ALLOCATOR_ARENA.0],
        "{:?}",
        probe.environment
    );
}

#[tokio::test]
async fn issue_29_a_logo_is_stored_as_a_png_written_anew_without_its_ancillary_chunks() {
    let app = app_with(512, 10, 30).await;
    let token = app.token_for(ORG, OrgKind::Authority, &[Right::ContactAdmin]);
    // A real 40 × 20 logo with a 200 KB text in a zTXt chunk before its image data.
    let original = adgang_authority_info::service::logo::samples::png(40, 20);
    let with_text =
        adgang_documents::hostile::png_with_compressed_chunk(&original, b"zTXt", 200 * 1024);
    let put = |body: Vec<u8>| {
        app.client
            .put(app.url(&format!("/api/v1/organisations/{ORG}/logo")))
            .bearer_auth(&token)
            .header("content-type", "image/png")
            .body(body)
            .send()
    };
    // One whose chunk inflates to 16 MB (in ~16 KB) is refused, not stored.
    let bomb =
        adgang_documents::hostile::png_with_compressed_chunk(&original, b"zTXt", 16 * 1024 * 1024);
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    let refused = put(bomb).await.unwrap();
    assert_eq!(refused.status(), 400);
    assert_eq!(
        field_codes(&refused.json::<Problem>().await.unwrap()),
        vec![("logo".to_owned(), "too_large".to_owned())]
    );

    let response = put(with_text.clone()).await.unwrap();
    assert_eq!(response.status(), 200);
    let stored: AuthorityInformation = response.json().await.unwrap();
    let logo = stored.logo.unwrap();
    assert_eq!((logo.width, logo.height), (40, 20));
    let served = app
        .client
        .get(app.url(&logo.url))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert_ne!(served, with_text);
    assert_eq!(logo.bytes, served.len() as u64);
    assert_eq!(
        adgang_documents::png::chunk_types(&served),
        [*b"IHDR", *b"IDAT", *b"IEND"]
    );
    // The same pixels.
    let pixels = |bytes: &[u8]| {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        buf
    };
    assert_eq!(pixels(&served), pixels(&original));
}
