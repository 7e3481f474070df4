//! CS-06: the Excel export and import.

use super::*;
use adgang_documents::xlsx::testing::with_part;
use adgang_test_support::header_text;

#[tokio::test]
async fn cs_06_the_export_holds_every_group_and_point_with_ids_and_danish_letters() {
    use calamine::Reader;
    let (app, token) = app_and_admin().await;
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let top = group(&app, &token, "Børn og unge", &[]).await;
    let sub = group(&app, &token, "Skole", &[&top.id]).await;
    let mut body = point_body("Skoleindskrivning", &[&top.id, &sub.id]);
    body["inputFields"] = json!(["Barnets navn"]);
    body["codes"] = json!([{"kind": "location", "value": "0101"}]);
    body["externalLink"] = json!({"heading": "Læs mere", "description": "", "linkText": "Her", "url": "https://kommune.dk/skole"});
    let p = point(&app, &token, &body).await;

    let response = app
        .get_ok_as(&format!("{base}/contact-structure/export"), &token)
        .await;
    assert!(header_text(&response, "content-disposition").ends_with(".xlsx\""));
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let rows = |book: &mut calamine::Xlsx<_>, sheet: &str| -> Vec<Vec<String>> {
        book.worksheet_range(sheet)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let groups = rows(&mut book, "Kontaktgrupper");
    assert_eq!(
        groups[0],
        [
            "ID",
            "Navn",
            "Beskrivelse",
            "Organisatorisk enhed",
            "Overordnede grupper"
        ]
    );
    assert_eq!(groups.len(), 3);
    assert!(groups.contains(&vec![
        sub.id.clone(),
        "Skole".into(),
        String::new(),
        "Nej".into(),
        top.id.clone()
    ]));
    let points = rows(&mut book, "Kontaktpunkter");
    assert_eq!(points[0].len(), 19);
    let row = &points[1];
    assert_eq!(row[0], p.id);
    assert_eq!(row[1], "Skoleindskrivning");
    assert_eq!(row[3], "Kun til intern brug");
    let mut placed = [top.id.clone(), sub.id.clone()];
    placed.sort();
    assert_eq!(row[4], placed.join("; "));
    assert_eq!(row[6], "citizens");
    assert_eq!(row[9], "Læs mere");
    assert_eq!(row[13], "Barnets navn");
    assert_eq!(row[15], "byggetilladelse; Æblehave");
    assert_eq!(row[16], "location:0101");
    // Another organisation's export holds none of it.
    let other = app
        .get_as(
            &format!("/api/v1/organisations/{OTHER}/contact-structure/export"),
            &admin(&app, OTHER),
        )
        .await;
    let mut other_book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(other.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(
        rows(&mut other_book, "Kontaktpunkter").len(),
        1,
        "headers only"
    );
}

#[tokio::test]
async fn cs_06_importing_an_unchanged_export_changes_nothing() {
    let (app, token) = app_and_admin().await;
    let (_, _, p) = rich_structure(&app, &token).await;
    let book = export(&app, AUTHORITY, &token).await;
    let logged = action_rows(&app, AUTHORITY).await;

    let checked = receipt(import(&app, AUTHORITY, &token, xlsx(&book), true).await).await;
    let applied = receipt(import(&app, AUTHORITY, &token, xlsx(&book), false).await).await;
    for (receipt, applied_flag) in [(checked, false), (applied, true)] {
        assert_eq!(
            receipt,
            ContactImportReceipt {
                applied: applied_flag,
                groups_unchanged: 2,
                points_unchanged: 2,
                ..Default::default()
            }
        );
    }
    assert_eq!(action_rows(&app, AUTHORITY).await, logged, "no audit rows");
    let after: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{}", p.id),
            &token,
        )
        .await;
    assert_eq!(after, p, "not even updatedAt moved");
    assert_eq!(export(&app, AUTHORITY, &token).await, book);
}

#[tokio::test]
async fn cs_06_edited_rows_update_and_rows_without_id_are_created() {
    let (app, token) = app_and_admin().await;
    let (top, _, p) = rich_structure(&app, &token).await;
    let mut book = export(&app, AUTHORITY, &token).await;
    let groups = sheet(&mut book, "Kontaktgrupper");
    groups.push(vec![
        String::new(),
        "Dagtilbud".into(),
        "Vuggestuer og børnehaver".into(),
        "Ja".into(),
        "børn og unge".into(), // a parent by name, any letter case
    ]);
    let points = sheet(&mut book, "Kontaktpunkter");
    let row = points.iter_mut().find(|r| r[0] == p.id).unwrap();
    row[1] = "Skolestart".into();
    row[15] = "skolestart; indskrivning".into();
    let mut new_point = vec![String::new(); 19];
    new_point[1] = "Pladsanvisning".into();
    new_point[2] = "Om pladser i vuggestue og børnehave".into(); // required (§6.3)
    new_point[4] = "Dagtilbud".into(); // the new group, by name
    new_point[5] = "Ja".into();
    new_point[6] = "borgere".into();
    new_point[15] = "vuggestue; børnehave".into();
    new_point[17] = "Sagssystem".into(); // the recipient system by name
    new_point[18] = "Ja".into();
    points.push(new_point);

    let logged = action_rows(&app, AUTHORITY).await;
    let dry = receipt(import(&app, AUTHORITY, &token, xlsx(&book), true).await).await;
    assert_eq!(
        action_rows(&app, AUTHORITY).await,
        logged,
        "a dry run writes nothing"
    );
    let done = receipt(import(&app, AUTHORITY, &token, xlsx(&book), false).await).await;
    assert_eq!(
        dry,
        ContactImportReceipt {
            applied: false,
            ..done
        }
    );
    assert_eq!(
        done,
        ContactImportReceipt {
            applied: true,
            groups_created: 1,
            groups_unchanged: 2,
            points_created: 1,
            points_updated: 1,
            points_unchanged: 1,
            ..Default::default()
        }
    );
    let edited: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{}", p.id),
            &token,
        )
        .await;
    assert_eq!(edited.name, "Skolestart");
    assert_eq!(edited.keywords, ["skolestart", "indskrivning"]);
    assert_eq!(edited.codes, p.codes, "untouched columns keep their values");
    // The new group sits under "Børn og unge" and holds the new, usable point.
    let tree = contact_tree(&app, AUTHORITY, &token).await;
    let top_node = tree.iter().find(|n| n.id == top.id).unwrap();
    let daycare = top_node
        .children
        .iter()
        .find(|n| n.name == "Dagtilbud")
        .expect("new group under its parent");
    assert_eq!(daycare.children.len(), 1);
    assert_eq!(daycare.children[0].name, "Pladsanvisning");
    assert!(daycare.children[0].usable, "bound by the system's name");
    // Field-level audit rows: the edit's name change, and the creations.
    let db = app.db().await;
    let rows = actions_log::Entity::find()
        .filter(actions_log::Column::OrganisationCvr.eq(AUTHORITY))
        .filter(actions_log::Column::ObjectId.eq(p.id.as_str()))
        .filter(actions_log::Column::Field.eq("name"))
        .all(&db)
        .await
        .unwrap();
    assert!(rows
        .iter()
        .any(|r| r.before.as_deref() == Some("Skoleindskrivning")
            && r.after.as_deref() == Some("Skolestart")));
    assert!(action_rows(&app, AUTHORITY).await > logged);
}

#[tokio::test]
async fn cs_06_a_workbook_from_another_organisation_recreates_the_structure_with_new_ids() {
    let (app, token) = app_and_admin().await;
    let (top, sub, p) = rich_structure(&app, &token).await;
    let mut book = export(&app, AUTHORITY, &token).await;
    let other = admin(&app, OTHER);
    recipient_system(&app, OTHER, &other, "Produktionens sagssystem").await;

    // The test environment's recipient system does not exist here: named by its cell.
    let refused = import(&app, OTHER, &other, xlsx(&book), false).await;
    assert_eq!(refused.status(), 400);
    let problem: Problem = refused.json().await.unwrap();
    let skole_row = sheet(&mut book, "Kontaktpunkter")
        .iter()
        .position(|r| r[0] == p.id)
        .unwrap()
        + 1;
    assert_eq!(
        field_codes(&problem),
        vec![(
            format!("Kontaktpunkter!R{skole_row}"),
            "not_a_recipient_system".to_owned()
        )]
    );
    let empty = contact_tree(&app, OTHER, &other).await;
    assert!(empty.is_empty(), "nothing applied");

    // The export names the system by name, not by the test environment's id…
    assert_eq!(
        sheet(&mut book, "Kontaktpunkter")[skole_row - 1][17],
        "Sagssystem"
    );
    // …so once production has a recipient system of that name, the unchanged workbook goes in.
    let production_system = recipient_system(&app, OTHER, &other, "Sagssystem").await;
    let done = receipt(import(&app, OTHER, &other, xlsx(&book), false).await).await;
    assert_eq!((done.groups_created, done.points_created), (2, 2));
    let copy = export(&app, OTHER, &other).await;
    let theirs = sheet(&mut book.clone(), "Kontaktgrupper").clone();
    let mine = copy
        .iter()
        .find(|(n, _)| n == "Kontaktgrupper")
        .unwrap()
        .1
        .clone();
    let new_top = mine.iter().find(|r| r[1] == "Børn og unge").unwrap();
    let new_sub = mine.iter().find(|r| r[1] == "Skole").unwrap();
    assert_ne!(new_top[0], top.id);
    assert_ne!(new_sub[0], sub.id);
    assert_eq!(
        new_sub[4], new_top[0],
        "the hierarchy is rebuilt with the new ids"
    );
    assert_eq!(theirs.len(), mine.len());
    let copied_points = &copy.iter().find(|(n, _)| n == "Kontaktpunkter").unwrap().1;
    let skole = copied_points
        .iter()
        .find(|r| r[1] == "Skoleindskrivning")
        .unwrap();
    assert_ne!(skole[0], p.id);
    let mut placed = [new_top[0].clone(), new_sub[0].clone()];
    placed.sort();
    assert_eq!(skole[4], placed.join("; "));
    assert_eq!(skole[16], "location:0101; classification:17.01.00");
    assert_eq!(skole[17], "Sagssystem");
    let imported: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{OTHER}/contact-points/{}", skole[0]),
            &other,
        )
        .await;
    assert_eq!(imported.recipient_system_id, Some(production_system));
    // The source organisation is untouched.
    let source: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{}", p.id),
            &token,
        )
        .await;
    assert_eq!(source, p);
}

#[tokio::test]
async fn cs_06_a_bad_workbook_is_refused_by_cell_and_nothing_is_applied() {
    let (app, token) = app_and_admin().await;
    let (_, _, p) = rich_structure(&app, &token).await;
    let book = export(&app, AUTHORITY, &token).await;
    let logged = action_rows(&app, AUTHORITY).await;
    let refused = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 400);
        field_codes(&response.json::<Problem>().await.unwrap())
    };

    // Not a workbook at all.
    assert_eq!(
        refused(import(&app, AUTHORITY, &token, b"ID;Navn\n".to_vec(), false).await).await,
        vec![("file".to_owned(), "not_a_workbook".to_owned())]
    );
    // The points sheet renamed.
    let mut renamed = book.clone();
    renamed[1].0 = "Punkter".into();
    assert_eq!(
        refused(import(&app, AUTHORITY, &token, xlsx(&renamed), false).await).await,
        vec![("Kontaktpunkter".to_owned(), "missing_sheet".to_owned())]
    );
    // A column removed.
    let mut narrowed = book.clone();
    for row in sheet(&mut narrowed, "Kontaktpunkter") {
        row.remove(15);
    }
    assert_eq!(
        refused(import(&app, AUTHORITY, &token, xlsx(&narrowed), false).await).await,
        vec![(
            "Kontaktpunkter!Søgeord".to_owned(),
            "missing_column".to_owned()
        )]
    );
    // Good edits mixed with bad cells: every bad cell is named, nothing is applied.
    let mut edited = book.clone();
    sheet(&mut edited, "Kontaktgrupper").push(vec![
        String::new(),
        "Ny gruppe".into(),
        String::new(),
        "Måske".into(),
        String::new(),
    ]);
    let points = sheet(&mut edited, "Kontaktpunkter");
    let at = points.iter().position(|r| r[0] == p.id).unwrap();
    points[at][1] = "Nyt navn".into();
    points[at][15] = "skole; pas!".into();
    points[at][8] = "11".into();
    let other = if at == 1 { 2 } else { 1 };
    points[other][1] = "æ".repeat(51);
    points[other][12] = "http://kommune.dk".into();
    let row = at + 1;
    let other_row = other + 1;
    let mut expected = vec![
        ("Kontaktgrupper!D4".to_owned(), "invalid_yes_no".to_owned()),
        (
            format!("Kontaktpunkter!B{other_row}"),
            "too_long".to_owned(),
        ),
        (
            format!("Kontaktpunkter!J{other_row}"),
            "required".to_owned(),
        ),
        (
            format!("Kontaktpunkter!L{other_row}"),
            "required".to_owned(),
        ),
        (
            format!("Kontaktpunkter!M{other_row}"),
            "https_required".to_owned(),
        ),
        (format!("Kontaktpunkter!I{row}"), "above_maximum".to_owned()),
        (
            format!("Kontaktpunkter!P{row}"),
            "invalid_keyword".to_owned(),
        ),
    ];
    expected.sort();
    let mut got = refused(import(&app, AUTHORITY, &token, xlsx(&edited), false).await).await;
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(action_rows(&app, AUTHORITY).await, logged);
    assert_eq!(
        export(&app, AUTHORITY, &token).await,
        book,
        "nothing applied"
    );
}

#[tokio::test]
async fn issue_13_workbook_bombs_are_refused_and_the_server_stays_up() {
    let (app, token) = app_and_admin().await;
    let export = xlsx(&export(&app, AUTHORITY, &token).await);
    let huge_range = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>"#;
    let many_strings = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>Id</t></si></sst>"#;
    for (part, content) in [
        ("xl/worksheets/sheet1.xml", &huge_range[..]),
        ("xl/sharedStrings.xml", &many_strings[..]),
    ] {
        let bomb = with_part(&export, part, content);
        assert!(bomb.len() < 20_000, "a small file: {} bytes", bomb.len());
        let response = import(&app, AUTHORITY, &token, bomb, true).await;
        assert_eq!(response.status(), 400, "{part}");
        let problem: Problem = response.json().await.unwrap();
        assert_eq!(
            field_codes(&problem),
            vec![("file".to_owned(), "too_large".to_owned())],
            "{part}"
        );
        assert_eq!(app.get("/healthz").await.status(), 200, "still serving");
    }
}
