//! `cargo xtask bench contacts` (and part of the full run): one authority with 1,000 groups and
//! 10,000 points seeded by importing a workbook; the tree, export, re-import and keyword search.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::bench::{
    bench_cvrs, create_authority, curl_expecting, issue_token, timed_curl, wrk, wrk_with,
};
use crate::step;

/// The seed workbook: 100 areas with 9 departments each (1,000 groups, placed by name), and
/// 10,000 points in 1–3 departments, each with three keywords, bound to the recipient system
/// "Modtager" by name.
fn contact_workbook() -> Result<Vec<u8>> {
    use adgang_documents::xlsx::{workbook, Sheet};
    let text = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut groups = Vec::new();
    for area in 0..100 {
        groups.push(text(&["", &format!("Område {area:03}"), "", "Nej", ""]));
        for dept in 0..9 {
            groups.push(text(&[
                "",
                &format!("Afdeling {area:03}-{dept}"),
                "Benchmark",
                "Nej",
                &format!("Område {area:03}"),
            ]));
        }
    }
    let mut points = Vec::new();
    for n in 0..10_000u32 {
        let placements: Vec<String> = (0..=(n % 3))
            .map(|k| {
                let g = (n + k * 337) % 900;
                format!("Afdeling {:03}-{}", g / 9, g % 9)
            })
            .collect();
        let audiences = if n % 2 == 0 {
            "citizens"
        } else {
            "citizens; businesses"
        };
        let mut row = text(&["", &format!("Kontaktpunkt {n:05}"), "Skriv til os", ""]);
        row.extend(text(&[
            &placements.join("; "),
            "Ja",
            audiences,
            "104333312",
            "10",
            "",
            "",
            "",
            "",
            "",
            "",
            &format!("emne{} ; sag{n} ; fælles", n % 500),
            "classification:01.02",
            "Modtager",
            "Ja",
        ]));
        points.push(row);
    }
    let headers = |names: &[&str]| text(names);
    workbook(&[
        Sheet {
            name: "Kontaktgrupper".into(),
            headers: headers(&[
                "ID",
                "Navn",
                "Beskrivelse",
                "Organisatorisk enhed",
                "Overordnede grupper",
            ]),
            rows: groups,
        },
        Sheet {
            name: "Kontaktpunkter".into(),
            headers: headers(&[
                "ID",
                "Navn",
                "Beskrivelse",
                "Intern note",
                "Grupper",
                "Synlig",
                "Målgrupper",
                "Maks. beskedstørrelse (bytes)",
                "Maks. vedhæftninger",
                "Link – overskrift",
                "Link – beskrivelse",
                "Link – tekst",
                "Link – URL",
                "Inputfelt 1",
                "Inputfelt 2",
                "Søgeord",
                "Koder",
                "Modtagersystem",
                "Aktiv",
            ]),
            rows: points,
        },
    ])
}

/// One authority with 1,000 groups and 10,000 points, seeded by importing a workbook: the
/// tree and the platforms' keyword search under wrk, export and unchanged re-import timed.
pub fn bench_contacts(
    server_bin: &Path,
    key_file: &Path,
    base_url: &str,
    data: &Path,
) -> Result<Vec<String>> {
    let cvr = bench_cvrs(201).pop().context("a CVR number")?;
    create_authority(base_url, &cvr, "Kontaktkommune")?;
    let authorization = format!(
        "Authorization: Bearer {}",
        issue_token(
            server_bin,
            key_file,
            base_url,
            &cvr,
            "contact_admin,system_admin"
        )?
    );
    let api = format!("{base_url}/api/v1/organisations/{cvr}");
    let system = concat!(
        r#"{"name":"Modtager","role":"recipient","protocol":"rest_pull","#,
        r#""allowedIps":["10.9.9.9"],"activation":{"mode":"now"},"#,
        r#""technicalContact":{"email":"drift@bench.dk","phone":"12345678"}}"#
    );
    curl_expecting(
        "201",
        &["-H", "Content-Type: application/json", "--data", system],
        &authorization,
        &format!("{api}/systems"),
    )?;
    let seed = data.join("contacts-seed.xlsx");
    std::fs::write(&seed, contact_workbook()?)?;
    let xlsx = "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (seconds, receipt) = timed_curl(
        &["-H", xlsx, "--data-binary", &format!("@{}", seed.display())],
        &authorization,
        &format!("{api}/contact-structure/import"),
    )?;
    if !receipt.contains("\"pointsCreated\":10000") || !receipt.contains("\"groupsCreated\":1000") {
        bail!("the seed import did not create everything: {receipt}");
    }
    let mut rows = vec![format!(
        "| import creating everything (one transaction) | {seconds:.1} s | – |"
    )];

    step("Loading GET …/contact-structure (the whole tree)");
    let tree = format!("{api}/contact-structure");
    let tree_auth = authorization.clone();
    // The first request after a change builds the tree from the database; later ones are
    // served from memory until the next change.
    let (cold, body) = timed_curl(&[], &tree_auth, &tree)?;
    rows.push(format!(
        "| tree, first request after a change (built from the database) | {:.0} ms | – |",
        cold * 1000.0
    ));
    wrk_with(&tree, &tree_auth, 3, 4)?;
    let report = wrk_with(&tree, &tree_auth, 15, 4)?;
    rows.push(format!(
        "| tree endpoint ({} KB JSON), wrk -c4: {} req/s, p50 {} | p99 **{}** | < 150 ms |",
        body.len() / 1024,
        report.requests_per_sec,
        report.p50,
        report.p99
    ));

    step("Timing the export and the unchanged re-import");
    let exported = data.join("contacts-export.xlsx");
    let mut export_times = Vec::new();
    for _ in 0..5 {
        let (secs, _) = timed_curl(
            &["-o", &exported.display().to_string()],
            &authorization,
            &format!("{api}/contact-structure/export"),
        )?;
        export_times.push(secs);
    }
    export_times.sort_by(f64::total_cmp);
    rows.push(format!(
        "| export workbook (5 downloads) | median **{:.2} s**, max {:.2} s | < 3 s |",
        export_times[2], export_times[4]
    ));
    let mut import_times = Vec::new();
    for _ in 0..3 {
        let (secs, receipt) = timed_curl(
            &[
                "-H",
                xlsx,
                "--data-binary",
                &format!("@{}", exported.display()),
            ],
            &authorization,
            &format!("{api}/contact-structure/import"),
        )?;
        if !receipt.contains("\"pointsUnchanged\":10000") {
            bail!("the unchanged import changed something: {receipt}");
        }
        import_times.push(secs);
    }
    import_times.sort_by(f64::total_cmp);
    rows.push(format!(
        "| import of the unchanged export (3 runs) | median **{:.2} s**, max {:.2} s | < 10 s |",
        import_times[1], import_times[2]
    ));

    step("Loading the platforms' keyword search");
    let search = format!(
        "{base_url}/api/v1/platform/organisations/{cvr}/contact-points?q=sag1234&audience=citizens"
    );
    let (_, found) = timed_curl(&[], &authorization, &search)?;
    if !found.contains("Kontaktpunkt 01234") {
        bail!("the keyword search did not find its point: {found}");
    }
    wrk(&search, &authorization, 3)?;
    let report = wrk(&search, &authorization, 15)?;
    rows.push(format!(
        "| keyword search (prefix \"sag1234\", 30,000 keywords), wrk -c32: {} req/s, p50 {} | p99 **{}** | < 20 ms |",
        report.requests_per_sec, report.p50, report.p99
    ));
    Ok(rows)
}
