//! The child side of the upload sandbox: `adgang-server parse-untrusted <kind> [max-side]
//! --memory-bytes N --cpu-seconds N`. Inherited descriptors closed and limits set first, then
//! the file from stdin, then one JSON answer on stdout. Runs without a tokio runtime.

use std::io::{Read, Write};

use adgang_core::ports::{BulkArchive, BulkEntry, CleanPng, FileRefusal, PdfFacts, UploadedSheet};
use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};

use super::Probe;

/// The most the child reads from stdin (the parent's body limits are far below).
const MAX_INPUT: u64 = 64 * 1024 * 1024;
/// The cells (up to each row's last non-empty one) all sheets of a workbook may hold together.
const MAX_WORKBOOK_CELLS: usize = 2_000_000;
/// The child's niceness (0 is the server's; 19 the lowest priority).
const CHILD_NICENESS: i32 = 10;
/// Descriptors the child may hold: stdin, stdout, stderr and the one listing its own.
const MAX_DESCRIPTORS: u64 = 8;

/// Runs the child and exits the process. `args` are the subcommand's arguments.
pub fn run(args: &[String]) -> ! {
    let code = match main(args) {
        Ok(()) => 0,
        Err(Exit(code, why)) => {
            let _ = writeln!(std::io::stderr(), "{why}");
            code
        }
    };
    std::process::exit(code)
}

struct Exit(i32, String);

fn main(args: &[String]) -> Result<(), Exit> {
    let usage = || {
        Exit(
            2,
            format!(
                "usage: {} <workbook|pdf|png SIDE|bulk|probe> --memory-bytes N --cpu-seconds N",
                super::SUBCOMMAND
            ),
        )
    };
    let option = |name: &str| -> Result<u64, Exit> {
        let at = args.iter().position(|a| a == name).ok_or_else(usage)?;
        args.get(at + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(usage)
    };
    let memory = option("--memory-bytes")?;
    let cpu = option("--cpu-seconds")?;
    close_inherited();
    limit_self(memory, cpu)?;
    let kind = args.first().ok_or_else(usage)?.as_str();
    let answer = match kind {
        "probe" => serde_json::to_vec(&Ok::<_, FileRefusal>(probe())),
        "workbook" => serde_json::to_vec(&workbook(&input()?)),
        "pdf" => serde_json::to_vec(&pdf(&input()?)),
        "bulk" => serde_json::to_vec(&bulk(&input()?)),
        "png" => {
            let side = args.get(1).and_then(|v| v.parse().ok()).ok_or_else(usage)?;
            serde_json::to_vec(&png(&input()?, side))
        }
        _ => return Err(usage()),
    }
    .map_err(|e| Exit(1, format!("writing the answer: {e}")))?;
    let mut out = std::io::stdout().lock();
    out.write_all(&answer)
        .and_then(|()| out.flush())
        .map_err(|e| Exit(1, format!("writing the answer: {e}")))
}

/// The OS limits, set on this process before it reads its input: address space and CPU time
/// as configured (the hard CPU limit one second later, so SIGXCPU comes first), no core file,
/// no file it could write to, few descriptors — and a lower scheduling priority, so the
/// server's own requests go first on a busy machine (issue 29 item 2).
fn limit_self(memory_bytes: u64, cpu_seconds: u64) -> Result<(), Exit> {
    rustix::process::setpriority_process(None, CHILD_NICENESS)
        .map_err(|e| Exit(1, format!("lowering the priority: {e}")))?;
    let set = |resource: Resource, soft: u64, hard: u64| {
        setrlimit(
            resource,
            Rlimit {
                current: Some(soft),
                maximum: Some(hard),
            },
        )
        .map_err(|e| Exit(1, format!("setting {resource:?}: {e}")))
    };
    set(Resource::As, memory_bytes, memory_bytes)?;
    set(Resource::Cpu, cpu_seconds, cpu_seconds + 1)?;
    set(Resource::Core, 0, 0)?;
    set(Resource::Fsize, 0, 0)?;
    set(Resource::Nofile, MAX_DESCRIPTORS, MAX_DESCRIPTORS)
}

/// The open descriptors and where they point (the listing's own one among them).
fn descriptors() -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    let mut found: Vec<(u32, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let fd = e.file_name().to_str()?.parse().ok()?;
            let target = std::fs::read_link(e.path())
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            Some((fd, target))
        })
        .collect();
    found.sort();
    found
}

/// Closes every descriptor above stderr that came through `exec` without close-on-exec: the
/// server's own sockets and database files are close-on-exec, but whatever started the server
/// (a shell, a supervisor, `cargo test`) may have left its own open, and the child must hold
/// none of them.
#[allow(unsafe_code)]
fn close_inherited() {
    let inherited: Vec<u32> = descriptors()
        .into_iter()
        .filter(|(fd, target)| *fd > 2 && !target.starts_with("/proc/"))
        .map(|(fd, _)| fd)
        .collect();
    for fd in inherited {
        let Ok(fd) = i32::try_from(fd) else { continue };
        // SAFETY: this runs first in a single-threaded process that has opened nothing but the
        // (already closed) `/proc/self/fd` listing, so no value in this process owns `fd`; it
        // was inherited through `exec` and is not used again.
        unsafe { rustix::io::close(fd) };
    }
}

fn input() -> Result<Vec<u8>, Exit> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT)
        .read_to_end(&mut bytes)
        .map_err(|e| Exit(1, format!("reading the file: {e}")))?;
    Ok(bytes)
}

fn probe() -> Probe {
    let soft = |resource| getrlimit(resource).current;
    Probe {
        memory_bytes: soft(Resource::As),
        cpu_seconds: soft(Resource::Cpu),
        descriptors: descriptors(),
        environment: std::env::vars_os()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect(),
    }
}

/// CS-06: the workbook's sheets, after its archive limits.
fn workbook(bytes: &[u8]) -> Result<Vec<UploadedSheet>, FileRefusal> {
    use adgang_documents::xlsx::{read_workbook, WorkbookError};
    match read_workbook(bytes) {
        Ok(sheets) => {
            // Trailing empty cells say nothing (a reader treats a missing cell as empty); a
            // sheet spanning A1:GR10000 with two cells must not answer two million.
            let sheets: Vec<UploadedSheet> = sheets
                .into_iter()
                .map(|s| UploadedSheet {
                    name: s.name,
                    rows: s
                        .rows
                        .into_iter()
                        .map(|mut row| {
                            while row.last().is_some_and(String::is_empty) {
                                row.pop();
                            }
                            row
                        })
                        .collect(),
                })
                .collect();
            let cells: usize = sheets.iter().flat_map(|s| &s.rows).map(Vec::len).sum();
            if cells > MAX_WORKBOOK_CELLS {
                return Err(FileRefusal::TooLarge(format!(
                    "{cells} cells in all sheets (at most {MAX_WORKBOOK_CELLS})"
                )));
            }
            Ok(sheets)
        }
        Err(WorkbookError::TooLarge(why)) => Err(FileRefusal::TooLarge(why)),
        Err(WorkbookError::Unreadable(why)) => Err(FileRefusal::Unreadable(why)),
    }
}

/// AUTH-04: the PDF's page count.
fn pdf(bytes: &[u8]) -> Result<PdfFacts, FileRefusal> {
    use adgang_documents::pdf::{uploaded_page_count, UploadedPdfError};
    match uploaded_page_count(bytes) {
        Ok(pages) => Ok(PdfFacts {
            page_count: u32::try_from(pages).unwrap_or(u32::MAX),
        }),
        Err(UploadedPdfError::Unreadable(why)) => Err(FileRefusal::Unreadable(why)),
        Err(UploadedPdfError::Hostile(why)) => Err(FileRefusal::TooLarge(why)),
        Err(UploadedPdfError::Encrypted) => Err(FileRefusal::Encrypted),
    }
}

/// INFO-02: the image decoded and written anew.
fn png(bytes: &[u8], max_side: u32) -> Result<CleanPng, FileRefusal> {
    use adgang_documents::png::{reencode, PngError};
    match reencode(bytes, max_side) {
        Ok(image) => Ok(CleanPng {
            width: image.width,
            height: image.height,
            bytes: image.png,
        }),
        Err(err @ (PngError::TooLarge { .. } | PngError::Ancillary(_))) => {
            Err(FileRefusal::TooLarge(err.to_string()))
        }
        Err(PngError::Unreadable(why)) => Err(FileRefusal::Unreadable(why)),
    }
}

/// Issue 35: a bulk file's memos, each parsed as `POST /api/v1/memos` parses its body.
fn bulk(bytes: &[u8]) -> Result<BulkArchive, FileRefusal> {
    use adgang_documents::bulk::{read_bulk, BulkError, BULK_LIMITS};
    match read_bulk(bytes, &BULK_LIMITS) {
        Ok(memos) => Ok(BulkArchive {
            memos: memos
                .into_iter()
                .map(|(entry, memo)| BulkEntry {
                    entry,
                    memo: memo.and_then(|memo| {
                        serde_json::from_value(memo).map_err(|e| format!("not a memo ({e})"))
                    }),
                })
                .collect(),
        }),
        Err(BulkError::TooLarge(why)) => Err(FileRefusal::TooLarge(why)),
        Err(BulkError::Unreadable(why)) => Err(FileRefusal::Unreadable(why)),
    }
}
