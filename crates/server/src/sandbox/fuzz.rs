//! `adgang-server fuzz-files --seconds N [--seed S] [--out DIR]` (issue 29 item 5; `cargo xtask
//! fuzz-files`, and a short run in `cargo xtask test`): mutated workbooks, PDFs and PNGs, made
//! from seeds this project writes itself, go through the same [`Sandbox`] the upload endpoints
//! use. The run fails on an answer outside its schema (the parent's checks refused it), on a
//! parent whose resident memory grows by more than 50 MB, and — the process dying — on a
//! crash of the parent. Every refusal, limit or crash of a *child* is the sandbox working.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use adgang_core::ports::{FileRefusal, SandboxLimit, UntrustedFiles};
use adgang_documents::{pdf, xlsx};
use anyhow::{bail, Context};

use super::Sandbox;

/// Inputs before the parent's memory is taken as the baseline.
const WARM_UP: u64 = 30;
/// How much the parent's resident memory may grow over a run.
const RSS_GROWTH_LIMIT: u64 = 50 * 1024 * 1024;

/// A small, fast, seeded generator (xorshift64*): runs are repeatable from their seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens the parsers give meaning to, spliced into inputs.
const TOKENS: &[&[u8]] = &[
    b"999999999999",
    b"-1",
    b"0",
    b"'",
    b"\"",
    b"\t",
    b"\n",
    b"XFD1048576",
    b"A1:XFD1048576",
    b" r='XFD1048576'",
    b" count='99999999999'",
    b"<row r=\"1048576\">",
    b"/N 1000000 ",
    b"/N +50 ",
    b"/Type /ObjStm ",
    b"/Length 999999999 ",
    b"/Filter /FlateDecode ",
    b"obj << >> endobj",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    b"IHDR",
    b"iCCP",
    b"zTXt",
    b"\xff\xff\xff\xff",
    b"\x00\x00\x00\x00",
    b"\x7f\xff\xff\xff",
];

/// The seed corpus: a contact-structure-like workbook, a receipt PDF and a logo PNG.
fn seeds() -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    let rows: Vec<Vec<String>> = (0..40)
        .map(|i| {
            vec![
                format!("id-{i}"),
                format!("Kontaktpunkt {i} æøå"),
                "Ja".to_owned(),
                format!("{}", 1000 + i),
            ]
        })
        .collect();
    let workbook = xlsx::workbook(&[
        xlsx::Sheet {
            name: "Kontaktpunkter".into(),
            headers: vec!["Id".into(), "Navn".into(), "Aktiv".into(), "Nummer".into()],
            rows: rows.clone(),
        },
        xlsx::Sheet {
            name: "Kontaktgrupper".into(),
            headers: vec!["Id".into(), "Navn".into(), "Aktiv".into(), "Nummer".into()],
            rows,
        },
    ])?;
    let receipt = pdf::render(&pdf::Report {
        title: "Kvittering".into(),
        subtitle: "Tilslutningsaftale".into(),
        sections: vec![pdf::Section {
            heading: "Aftale".into(),
            fields: (0..30)
                .map(|i| (format!("Felt {i}"), format!("Værdi {i} æøå")))
                .collect(),
        }],
        figures: Vec::new(),
    })?;
    let logo = adgang_documents::qr::qr_png("https://digitalpost.invalid/logo", 4)?;
    Ok(vec![
        ("workbook", workbook),
        ("pdf", receipt),
        ("png", logo),
    ])
}

/// One mutation of `input`.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(0);
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out[at] = rng.next() as u8,
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let end = (at + token.len()).min(out.len());
                out.splice(at..end, token.iter().copied());
            }
            3 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            4 => {
                // Repeat a slice: nesting and counts grow.
                let len = rng.below(64.min(out.len() - at)) + 1;
                let slice = out[at..at + len].to_vec();
                for _ in 0..rng.below(16) + 1 {
                    out.splice(at..at, slice.iter().copied());
                }
            }
            _ => out.truncate(at.max(8)),
        }
    }
    out
}

/// A workbook with one of its parts mutated (the zip stays valid, so the XML readers are
/// reached).
fn mutate_part(rng: &mut Rng, workbook: &[u8]) -> Vec<u8> {
    let Ok(parts) = xlsx::parts(workbook, 1024 * 1024) else {
        return mutate(rng, workbook);
    };
    let (name, content) = &parts[rng.below(parts.len())];
    let mutated = mutate(rng, content);
    xlsx::replace_part(workbook, name, &mutated).unwrap_or_else(|_| mutate(rng, workbook))
}

/// The resident memory of this process, bytes.
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib * 1024)
}

/// Runs the fuzzer for `seconds`; an error names what failed and where the input was kept.
pub async fn run(sandbox: Sandbox, seconds: u64, seed: u64, out: PathBuf) -> anyhow::Result<()> {
    let seeds = seeds()?;
    let mut rng = Rng(seed | 1);
    let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
    let mut runs = 0u64;
    let mut baseline = None;
    let mut peak = 0;
    let started = Instant::now();
    let budget = Duration::from_secs(seconds);
    while started.elapsed() < budget {
        let (kind, seed_bytes) = &seeds[rng.below(seeds.len())];
        let input = if *kind == "workbook" && rng.below(2) == 0 {
            mutate_part(&mut rng, seed_bytes)
        } else {
            mutate(&mut rng, seed_bytes)
        };
        let outcome = match *kind {
            "workbook" => sandbox.workbook(input.clone()).await.map(|_| ()),
            "pdf" => sandbox.pdf(input.clone()).await.map(|_| ()),
            _ => sandbox.png(input.clone(), 2000).await.map(|_| ()),
        };
        let name = match &outcome {
            Ok(()) => "read".to_owned(),
            Err(FileRefusal::TooComplex(limit)) => format!("limit {limit}"),
            Err(FileRefusal::Unreadable(_)) => "unreadable".to_owned(),
            Err(FileRefusal::TooLarge(_)) => "too large".to_owned(),
            Err(FileRefusal::Encrypted) => "encrypted".to_owned(),
            Err(FileRefusal::Busy) => "busy".to_owned(),
        };
        *outcomes.entry(format!("{kind}: {name}")).or_default() += 1;
        runs += 1;
        if matches!(
            outcome,
            Err(FileRefusal::TooComplex(SandboxLimit::Answer)) | Err(FileRefusal::Busy)
        ) {
            std::fs::create_dir_all(&out).context("creating the fuzzer's output dir")?;
            let kept = out.join(format!("failure-{seed}-{runs}.{kind}"));
            std::fs::write(&kept, &input).context("keeping the failing input")?;
            bail!(
                "{kind} input {runs} (seed {seed}) gave {name}: kept in {}",
                kept.display()
            );
        }
        // The parent's memory after a warm-up (allocator pools, tokio) is the baseline; its
        // peak after that is what counts.
        if runs == WARM_UP {
            baseline = Some(rss());
        }
        peak = peak.max(rss());
    }
    let Some(baseline) = baseline else {
        bail!("only {runs} inputs in {seconds} s: too few to measure the parent's memory");
    };
    let grown = peak.saturating_sub(baseline);
    println!(
        "fuzz-files: {runs} inputs in {:.0} s (seed {seed}); parent RSS peak grew {:.1} MB",
        started.elapsed().as_secs_f64(),
        grown as f64 / 1048576.0
    );
    for (outcome, count) in &outcomes {
        println!("  {outcome}: {count}");
    }
    if grown > RSS_GROWTH_LIMIT {
        bail!(
            "the parent's resident memory grew by {} MB (at most {} MB)",
            grown / 1048576,
            RSS_GROWTH_LIMIT / 1048576
        );
    }
    Ok(())
}
