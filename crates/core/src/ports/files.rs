//! Untrusted files (issue 29; ARCHITECTURE "Untrusted input"): every uploaded document is read
//! by a child process under OS limits, never by the server itself. A module asks this port for
//! the few facts it needs and gets a small, typed, size-checked answer — or a refusal it maps
//! to its own field codes. The server's `sandbox` answers it; the cheap checks a module makes
//! first (size, signature) are an early 4xx, not what safety rests on.

use serde::{Deserialize, Serialize};

/// Reads uploaded files out of process. Every method takes the upload's bytes and answers
/// within the sandbox's deadline, whatever the file holds.
#[async_trait::async_trait]
pub trait UntrustedFiles: Send + Sync {
    /// CS-06: the cells of every worksheet of an .xlsx workbook, as text.
    async fn workbook(&self, bytes: Vec<u8>) -> Result<Vec<UploadedSheet>, FileRefusal>;

    /// AUTH-04: what a PDF upload is (page count, encryption).
    async fn pdf(&self, bytes: Vec<u8>) -> Result<PdfFacts, FileRefusal>;

    /// INFO-02: a PNG decoded and written anew as a plain PNG (no ancillary chunks), at most
    /// `max_side` pixels wide and tall.
    async fn png(&self, bytes: Vec<u8>, max_side: u32) -> Result<CleanPng, FileRefusal>;

    /// Issue 35: a sender system's bulk file (a zip archive, `docs/sftp.md`): its memos in the
    /// manifest's order, each with its attachments read from the archive into the memo — or,
    /// for a memo entry that cannot be read, why.
    async fn bulk_file(&self, bytes: Vec<u8>) -> Result<BulkArchive, FileRefusal>;
}

/// A bulk file's memos in the manifest's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkArchive {
    pub memos: Vec<BulkEntry>,
}

/// One memo of a bulk file: its entry in the archive and the memo as `POST /api/v1/memos`
/// takes it, or why the entry is not one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkEntry {
    pub entry: String,
    pub memo: Result<adgang_api_types::NewMemo, String>,
}

/// One worksheet of an uploaded workbook: its name and its rows of cell texts, padded so an
/// index is the real (0-based) row and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedSheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// What an uploaded PDF is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfFacts {
    pub page_count: u32,
}

/// A PNG as it may be stored and served again: decoded and re-encoded, 8-bit RGBA, with only
/// the chunks an image needs (IHDR, IDAT, IEND).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanPng {
    pub width: u32,
    pub height: u32,
    /// Base64 on the wire (the child's answer), a third larger rather than three times.
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

mod base64_bytes {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(serde::de::Error::custom)
    }
}

/// Why an upload cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
pub enum FileRefusal {
    /// Not a file of the kind asked for, or damaged (the parser's words).
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// Over a declared limit (parts, cells, strings, pixels): what and how much.
    #[error("too large: {0}")]
    TooLarge(String),
    /// A password-protected PDF (we could not read it later).
    #[error("encrypted")]
    Encrypted,
    /// Reading it went over a limit of the sandbox; the child was stopped.
    #[error("the file went over the sandbox's {0} limit")]
    TooComplex(SandboxLimit),
    /// Every sandbox child was busy until the deadline (a 429: try again).
    #[error("the upload sandbox is busy")]
    Busy,
}

impl FileRefusal {
    /// The refusals every module answers the same way (a 422 naming the limit, a 429), as the
    /// [`DomainError`](crate::DomainError) for the upload in `field`; `None` for the ones a
    /// module explains with its own field codes.
    pub fn common_error(&self, field: &'static str) -> Option<crate::DomainError> {
        match self {
            FileRefusal::TooComplex(limit) => Some(crate::DomainError::FileTooComplex {
                field,
                limit: *limit,
            }),
            FileRefusal::Busy => Some(crate::DomainError::TooManyRequests {
                retry_after_seconds: 5,
                why: crate::error::TooMany::FilesBeingRead,
            }),
            FileRefusal::Unreadable(_) | FileRefusal::TooLarge(_) | FileRefusal::Encrypted => None,
        }
    }
}

/// The limit a child process reading an upload went over (named in the log and the problem).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SandboxLimit {
    /// Its address space (`RLIMIT_AS`): an allocation failed.
    Memory,
    /// Its CPU seconds (`RLIMIT_CPU`): the kernel stopped it.
    Cpu,
    /// The parent's wall-clock deadline: the parent killed it.
    WallClock,
    /// Its stack: a parser recursed too deep (the child died of a stack overflow or a
    /// segmentation fault).
    Stack,
    /// It died another way (a signal, an unexpected exit) without answering.
    Crashed,
    /// Its answer was larger than allowed or not of the asked-for shape.
    Answer,
}

impl SandboxLimit {
    pub fn as_str(self) -> &'static str {
        match self {
            SandboxLimit::Memory => "memory",
            SandboxLimit::Cpu => "cpu",
            SandboxLimit::WallClock => "wall_clock",
            SandboxLimit::Stack => "stack",
            SandboxLimit::Crashed => "crashed",
            SandboxLimit::Answer => "answer",
        }
    }
}

impl std::fmt::Display for SandboxLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
