//! The upload sandbox (issue 29; ARCHITECTURE "Untrusted input"): every uploaded document is
//! read by a child process — this binary started as `adgang-server parse-untrusted <kind>` —
//! that closes every descriptor it inherited beyond stdin/stdout/stderr and sets its own OS
//! limits (address space, CPU seconds, no core file, no file writes, few descriptors) before it
//! reads a byte, and gets none of the server's environment. It answers one JSON value on
//! stdout; the parent reads at most a bounded answer, kills the child at the wall-clock deadline,
//! and checks the answer's shape like any other input. A child that dies, overruns or answers garbage is a
//! [`FileRefusal`] the modules turn into a 4xx; the server itself never parses an upload.
//!
//! [`Sandbox`] answers the `UntrustedFiles` port of `core`.

pub mod child;
pub mod fuzz;

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use adgang_core::ports::{
    BulkArchive, CleanPng, FileRefusal, PdfFacts, SandboxLimit, UntrustedFiles, UploadedSheet,
};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The subcommand the child runs (hidden from `--help`).
pub const SUBCOMMAND: &str = "parse-untrusted";

/// The one environment variable a child gets: the allocator's arena size (see `in_child`).
pub const ALLOCATOR_ARENA: (&str, &str) = ("MIMALLOC_ARENA_RESERVE", "64MiB");

/// The limits of the sandbox (README "Uploaded files"; `ADGANG_SANDBOX_*`).
#[derive(Debug, Clone)]
pub struct SandboxSettings {
    /// The program to start; `None` is this binary. The tests, which run inside a test binary,
    /// point it at the built `adgang-server`.
    pub program: Option<PathBuf>,
    /// The child's address space (`RLIMIT_AS`), bytes.
    pub memory_bytes: u64,
    /// The child's CPU time (`RLIMIT_CPU`), seconds.
    pub cpu_seconds: u64,
    /// From the request's turn to the answer; the child is killed when it passes.
    pub wall_clock: Duration,
    /// How many children read at once; further uploads wait their turn (within `wall_clock`).
    pub children: usize,
}

impl Default for SandboxSettings {
    fn default() -> Self {
        SandboxSettings {
            program: None,
            memory_bytes: 512 * 1024 * 1024,
            cpu_seconds: 10,
            wall_clock: Duration::from_secs(15),
            children: 4,
        }
    }
}

/// What a child is asked to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Workbook,
    Pdf,
    Png {
        max_side: u32,
    },
    /// Issue 35: a sender system's bulk file.
    Bulk,
    /// No file: the child reports its limits and descriptors (the self-check at start-up and
    /// the tests of the mechanism).
    Probe,
}

impl FileKind {
    fn args(self) -> Vec<String> {
        let mut args = vec![self.name().to_owned()];
        if let FileKind::Png { max_side } = self {
            args.push(max_side.to_string());
        }
        args
    }

    fn name(self) -> &'static str {
        match self {
            FileKind::Workbook => "workbook",
            FileKind::Pdf => "pdf",
            FileKind::Png { .. } => "png",
            FileKind::Bulk => "bulk",
            FileKind::Probe => "probe",
        }
    }

    /// The largest answer the parent reads (a bigger one is refused, not read).
    fn answer_limit(self) -> usize {
        match self {
            // Four times the answer for the largest contact structure's export (10,000 points,
            // 1,000 groups: 2.1 MB); the child drops trailing empty cells, and the server never
            // holds more than this (parsed, at most ~8× as strings).
            FileKind::Workbook => 8 * 1024 * 1024,
            FileKind::Pdf | FileKind::Probe => 64 * 1024,
            // A re-encoded 2000 × 2000 logo, in base64.
            FileKind::Png { .. } => 24 * 1024 * 1024,
            // Everything the archive may unpack to, attachments in base64, and the memos' JSON.
            FileKind::Bulk => {
                (adgang_documents::bulk::BULK_LIMITS.total_bytes as usize / 3 * 4)
                    + 16 * 1024 * 1024
            }
        }
    }
}

/// What a probe child reports about itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Probe {
    /// `RLIMIT_AS` and `RLIMIT_CPU` as the child sees them (soft limits).
    pub memory_bytes: Option<u64>,
    pub cpu_seconds: Option<u64>,
    /// Open descriptors and what they point at (0–2 and the one listing `/proc/self/fd`).
    pub descriptors: Vec<(u32, String)>,
    /// The names of the environment variables it was given.
    pub environment: Vec<String>,
}

/// Starts children under [`SandboxSettings`].
#[derive(Debug, Clone)]
pub struct Sandbox {
    program: PathBuf,
    settings: SandboxSettings,
    turns: Arc<tokio::sync::Semaphore>,
}

impl Sandbox {
    pub fn new(settings: SandboxSettings) -> anyhow::Result<Sandbox> {
        // This binary by its inode: a binary replaced on disk by an upgrade keeps answering
        // in the format this server reads.
        let program = match &settings.program {
            Some(program) => program.clone(),
            None => PathBuf::from("/proc/self/exe"),
        };
        anyhow::ensure!(
            std::fs::metadata(&program).is_ok_and(|m| m.is_file()),
            "the upload sandbox's program {} does not exist",
            program.display()
        );
        Ok(Sandbox {
            program,
            turns: Arc::new(tokio::sync::Semaphore::new(settings.children.max(1))),
            settings,
        })
    }

    /// Starts a probe child: its limits, descriptors and environment as it sees them.
    pub async fn probe(&self) -> Result<Probe, FileRefusal> {
        self.run(FileKind::Probe, Vec::new()).await
    }

    /// Reads `bytes` in a child and parses its answer as `T` (or the child's refusal).
    pub async fn run<T: DeserializeOwned>(
        &self,
        kind: FileKind,
        bytes: Vec<u8>,
    ) -> Result<T, FileRefusal> {
        let started = Instant::now();
        let size = bytes.len();
        let wall = self.settings.wall_clock;
        // Waiting for a turn is bounded by the wall clock too, but it is not the file's fault:
        // a 429, and the child's own deadline starts with its turn.
        let outcome = match tokio::time::timeout(wall, self.turns.acquire()).await {
            Ok(Ok(_turn)) => {
                let deadline = tokio::time::Instant::now() + wall;
                self.in_child(kind, bytes, deadline).await
            }
            Ok(Err(_)) | Err(_) => Err(Failure::Busy),
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match outcome {
            Ok(stdout) => match serde_json::from_slice::<Result<T, FileRefusal>>(&stdout) {
                Ok(answer) => answer.map_err(short),
                Err(err) => {
                    tracing::warn!(kind = kind.name(), size, elapsed_ms, error = %err, "the upload sandbox answered outside its schema");
                    Err(FileRefusal::TooComplex(SandboxLimit::Answer))
                }
            },
            Err(Failure::Limit(limit, detail)) => {
                tracing::warn!(kind = kind.name(), size, elapsed_ms, limit = limit.as_str(), %detail, "an upload went over a sandbox limit");
                Err(FileRefusal::TooComplex(limit))
            }
            Err(Failure::Panicked(detail)) => {
                tracing::warn!(kind = kind.name(), size, elapsed_ms, %detail, "the upload's reader failed");
                Err(FileRefusal::Unreadable(
                    "the file could not be read".to_owned(),
                ))
            }
            Err(Failure::Busy) => {
                tracing::warn!(
                    kind = kind.name(),
                    size,
                    elapsed_ms,
                    "every upload sandbox child was busy until the deadline"
                );
                Err(FileRefusal::Busy)
            }
            Err(Failure::Start(err)) => {
                tracing::error!(kind = kind.name(), error = ?err, "the upload sandbox could not start a child");
                Err(FileRefusal::Busy)
            }
        }
    }

    async fn in_child(
        &self,
        kind: FileKind,
        bytes: Vec<u8>,
        deadline: tokio::time::Instant,
    ) -> Result<Vec<u8>, Failure> {
        let mut child = tokio::process::Command::new(&self.program)
            .arg(SUBCOMMAND)
            .args(kind.args())
            .arg("--memory-bytes")
            .arg(self.settings.memory_bytes.to_string())
            .arg("--cpu-seconds")
            .arg(self.settings.cpu_seconds.to_string())
            // Nothing of ours: no DATABASE_URL, keys or paths.
            .env_clear()
            // mimalloc (the global allocator) reserves 1 GiB arenas by default: under the
            // address-space limit those reservations failed now and then and an ordinary
            // 10,000-point workbook (50 MB resident) was refused in 6 of 40 runs; with 64 MiB
            // arenas 0 of 300 (issue 29 note).
            .env(ALLOCATOR_ARENA.0, ALLOCATOR_ARENA.1)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| Failure::Start(anyhow::Error::new(e)))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let pid = child.id();
        let limit = kind.answer_limit();
        // A child that writes more than its answer (or its error text) may is killed at once:
        // neither a full pipe nor an endless stream may hold this request until the deadline.
        let stop = || {
            if let Some(pid) = pid.and_then(|p| rustix::process::Pid::from_raw(p as i32)) {
                // Not yet reaped (we hold `child`), so the pid is still this child's.
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
        };
        let talk = async {
            let write = async {
                // A child that stops reading (it died, or refused early) is not an error here.
                let _ = stdin.write_all(&bytes).await;
                drop(stdin);
            };
            let read = read_bounded(stdout, limit, stop);
            let read_err = read_bounded(stderr, MAX_ERROR_TEXT, stop);
            let ((), read, said) = tokio::join!(write, read, read_err);
            (read, said)
        };
        let ((answer, oversized), (said, noisy)) =
            match tokio::time::timeout_at(deadline, talk).await {
                Ok(talked) => talked,
                Err(_) => {
                    let _ = child.kill().await;
                    return Err(Failure::Limit(
                        SandboxLimit::WallClock,
                        format!("killed after {:?}", self.settings.wall_clock),
                    ));
                }
            };
        if oversized {
            let _ = child.kill().await;
            return Err(Failure::Limit(
                SandboxLimit::Answer,
                format!("an answer over {limit} bytes"),
            ));
        }
        if noisy {
            let _ = child.kill().await;
            return Err(Failure::Limit(
                SandboxLimit::Crashed,
                format!("over {MAX_ERROR_TEXT} bytes of error text"),
            ));
        }
        let status = match tokio::time::timeout_at(deadline, child.wait()).await {
            Ok(Ok(status)) => status,
            Ok(Err(err)) => return Err(Failure::Start(anyhow::Error::new(err))),
            Err(_) => {
                let _ = child.kill().await;
                return Err(Failure::Limit(
                    SandboxLimit::WallClock,
                    format!("killed after {:?}", self.settings.wall_clock),
                ));
            }
        };
        if status.success() {
            return Ok(answer);
        }
        let said = String::from_utf8_lossy(&said).into_owned();
        Err(classify(status, said))
    }
}

/// The most of a reader's words a refusal passes on (they reach the problem's message, and a
/// reader may quote the file).
const MAX_REASON_CHARS: usize = 300;

/// A child's refusal with its reason cut to [`MAX_REASON_CHARS`].
fn short(refusal: FileRefusal) -> FileRefusal {
    let cut = |why: String| match why.char_indices().nth(MAX_REASON_CHARS) {
        Some((at, _)) => format!("{}…", &why[..at]),
        None => why,
    };
    match refusal {
        FileRefusal::Unreadable(why) => FileRefusal::Unreadable(cut(why)),
        FileRefusal::TooLarge(why) => FileRefusal::TooLarge(cut(why)),
        other => other,
    }
}

/// The most of a child's error text the parent keeps (a panic message, the allocator's words).
const MAX_ERROR_TEXT: usize = 8 * 1024;

/// Reads `reader` to its end, keeping at most `limit` bytes; past that, calls `stop` (which
/// kills the child) and answers what it kept with `true`.
async fn read_bounded(
    mut reader: impl tokio::io::AsyncRead + Unpin,
    limit: usize,
    stop: impl Fn(),
) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut chunk).await {
            Ok(0) | Err(_) => return (kept, false),
            Ok(n) if kept.len() + n > limit => {
                stop();
                return (kept, true);
            }
            Ok(n) => kept.extend_from_slice(&chunk[..n]),
        }
    }
}

/// How a child ended without an answer.
enum Failure {
    Limit(SandboxLimit, String),
    Panicked(String),
    Busy,
    Start(anyhow::Error),
}

/// The limit a child that ended with `status` (and printed `said`) went over.
fn classify(status: std::process::ExitStatus, said: String) -> Failure {
    const SIGKILL: i32 = 9;
    const SIGSEGV: i32 = 11;
    const SIGBUS: i32 = 7;
    const SIGXCPU: i32 = 24;
    if said.contains("memory allocation of") || said.contains("unable to allocate") {
        return Failure::Limit(SandboxLimit::Memory, said);
    }
    if said.contains("overflowed its stack") {
        return Failure::Limit(SandboxLimit::Stack, said);
    }
    match (status.signal(), status.code()) {
        (Some(SIGXCPU), _) => Failure::Limit(SandboxLimit::Cpu, said),
        // The hard CPU limit, or the kernel's OOM killer.
        (Some(SIGKILL), _) => Failure::Limit(SandboxLimit::Memory, said),
        // Safe Rust faults only on its stack's guard page (a deep recursion whose overflow
        // message could not be printed).
        (Some(SIGSEGV | SIGBUS), _) => Failure::Limit(SandboxLimit::Stack, said),
        (_, Some(101)) => Failure::Panicked(said),
        _ => Failure::Limit(SandboxLimit::Crashed, format!("{status}: {said}")),
    }
}

/// The sheet, row and cell counts a workbook answer may have (above the child's own limits,
/// `adgang_documents::xlsx::UPLOAD_LIMITS`, which a healthy child enforces first).
const MAX_SHEETS: usize = 500;
const MAX_CELLS: usize = 2_000_000;
const MAX_PADDING_ROWS: usize = 1_048_576;

#[async_trait::async_trait]
impl UntrustedFiles for Sandbox {
    async fn workbook(&self, bytes: Vec<u8>) -> Result<Vec<UploadedSheet>, FileRefusal> {
        let sheets: Vec<UploadedSheet> = self.run(FileKind::Workbook, bytes).await?;
        let cells: usize = sheets.iter().flat_map(|s| &s.rows).map(Vec::len).sum();
        let rows: usize = sheets.iter().map(|s| s.rows.len()).sum();
        if sheets.len() > MAX_SHEETS || cells > MAX_CELLS || rows > MAX_PADDING_ROWS * 2 {
            tracing::warn!(
                sheets = sheets.len(),
                cells,
                rows,
                "a workbook answer over the limits"
            );
            return Err(FileRefusal::TooComplex(SandboxLimit::Answer));
        }
        Ok(sheets)
    }

    async fn pdf(&self, bytes: Vec<u8>) -> Result<PdfFacts, FileRefusal> {
        self.run(FileKind::Pdf, bytes).await
    }

    async fn png(&self, bytes: Vec<u8>, max_side: u32) -> Result<CleanPng, FileRefusal> {
        let clean: CleanPng = self.run(FileKind::Png { max_side }, bytes).await?;
        // The answer must be the plain PNG it says it is.
        let plain = adgang_documents::png::plain_dimensions(&clean.bytes);
        if plain != Some((clean.width, clean.height))
            || clean.width > max_side
            || clean.height > max_side
        {
            tracing::warn!(
                width = clean.width,
                height = clean.height,
                "a PNG answer that is not the plain image it claims"
            );
            return Err(FileRefusal::TooComplex(SandboxLimit::Answer));
        }
        Ok(clean)
    }

    async fn bulk_file(&self, bytes: Vec<u8>) -> Result<BulkArchive, FileRefusal> {
        let mut archive: BulkArchive = self.run(FileKind::Bulk, bytes).await?;
        if archive.memos.len() > adgang_documents::bulk::BULK_LIMITS.memos {
            tracing::warn!(
                memos = archive.memos.len(),
                "a bulk file answer over the limits"
            );
            return Err(FileRefusal::TooComplex(SandboxLimit::Answer));
        }
        // An entry's name reaches the result file and the log: as short as any real one.
        for memo in &mut archive.memos {
            if let Some((at, _)) = memo.entry.char_indices().nth(255) {
                memo.entry.truncate(at);
            }
        }
        Ok(archive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn issue_29_an_answer_over_its_limit_stops_the_child_at_once() {
        let stopped = std::cell::Cell::new(0);
        let (kept, over) =
            read_bounded(&[7u8; 100_000][..], 1000, || stopped.set(stopped.get() + 1)).await;
        assert!(over);
        assert!(kept.len() <= 1000);
        assert_eq!(stopped.get(), 1);

        let (kept, over) = read_bounded(&[7u8; 1000][..], 1000, || panic!("not over")).await;
        assert_eq!((kept.len(), over), (1000, false));
    }

    #[test]
    fn issue_29_a_readers_reason_is_cut_before_it_reaches_a_problem() {
        let long = "æ".repeat(10_000);
        let FileRefusal::Unreadable(why) = short(FileRefusal::Unreadable(long)) else {
            panic!("the same kind of refusal");
        };
        assert_eq!(why.chars().count(), MAX_REASON_CHARS + 1);
        assert_eq!(
            short(FileRefusal::TooLarge("3 parts".into())),
            FileRefusal::TooLarge("3 parts".into())
        );
    }

    #[test]
    fn issue_29_each_way_a_child_ends_names_its_limit() {
        use std::os::unix::process::ExitStatusExt;
        use std::process::ExitStatus;
        let limit = |raw: i32, said: &str| match classify(ExitStatus::from_raw(raw), said.into()) {
            Failure::Limit(limit, _) => Some(limit),
            Failure::Panicked(_) => None,
            Failure::Busy | Failure::Start(_) => unreachable!(),
        };
        // Raw wait statuses: a signal in the low 7 bits, an exit code shifted by 8.
        assert_eq!(limit(24, ""), Some(SandboxLimit::Cpu));
        assert_eq!(limit(9, ""), Some(SandboxLimit::Memory));
        assert_eq!(
            limit(6, "memory allocation of 98304 bytes failed"),
            Some(SandboxLimit::Memory)
        );
        assert_eq!(limit(11, ""), Some(SandboxLimit::Stack));
        assert_eq!(
            limit(6, "thread 'main' has overflowed its stack"),
            Some(SandboxLimit::Stack)
        );
        assert_eq!(limit(101 << 8, "panicked at calamine"), None);
        assert_eq!(
            limit(1 << 8, "reading the file"),
            Some(SandboxLimit::Crashed)
        );
    }
}
