//! Issue 35: a sender system's bulk file (`docs/sftp.md`), read only inside the upload
//! sandbox's child. A zip archive whose `manifest.json` lists the memo entries in order; each
//! is the JSON body of `POST /api/v1/memos`, and an attachment may name a file of the archive
//! (`"file": "files/brev.pdf"`) instead of carrying its content in base64.
//!
//! The archive is checked with the real, decompressed sizes, never the sizes it declares; an
//! entry whose name leaves the archive's folder (an absolute path, `..`), a link, or an
//! encrypted entry makes the whole file unreadable. A memo entry that is not a memo is that
//! memo's refusal, not the file's.

use std::collections::HashMap;
use std::io::Read;

use base64::Engine;
use serde_json::Value;

/// What a bulk file may hold.
#[derive(Debug, Clone, Copy)]
pub struct BulkLimits {
    /// Entries in the archive (memos, attachments, the manifest, folders).
    pub entries: usize,
    /// Memos the manifest may list.
    pub memos: usize,
    /// One entry, unpacked (a memo's largest body is 16 MiB with its attachments).
    pub entry_bytes: u64,
    /// Everything read from the archive, unpacked, an attachment named twice counted twice.
    pub total_bytes: u64,
}

/// Far above the 10,000 memos a sender sends at once, and within the sandbox's 512 MiB of
/// address space: the input (≤ 64 MiB), the memos with their attachments in base64 (a third
/// larger than what was read) and the answer written from them.
pub const BULK_LIMITS: BulkLimits = BulkLimits {
    entries: 60_000,
    memos: 20_000,
    entry_bytes: 16 * 1024 * 1024,
    total_bytes: 64 * 1024 * 1024,
};

/// The name of the archive's table of contents.
pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BulkError {
    #[error("the bulk file cannot be read: {0}")]
    Unreadable(String),
    #[error("the bulk file is too large: {0}")]
    TooLarge(String),
}

/// One memo entry: its name and the memo (attachments read in), or why it is not one.
pub type BulkMemo = (String, Result<Value, String>);

fn unreadable(e: impl std::fmt::Display) -> BulkError {
    BulkError::Unreadable(e.to_string())
}

struct Archive<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    /// Each file entry's name (as written, `/`-separated) → its index.
    index: HashMap<String, usize>,
    limits: BulkLimits,
    read: u64,
}

impl Archive<'_> {
    /// The entry `name` unpacked, within the limits; `Ok(None)` when there is none.
    fn entry(&mut self, name: &str) -> Result<Option<Vec<u8>>, BulkError> {
        let Some(&at) = self.index.get(name) else {
            return Ok(None);
        };
        let entry = self.zip.by_index(at).map_err(unreadable)?;
        let mut content = Vec::new();
        let read = entry
            .take(self.limits.entry_bytes + 1)
            .read_to_end(&mut content)
            .map_err(unreadable)? as u64;
        if read > self.limits.entry_bytes {
            return Err(BulkError::TooLarge(format!(
                "{name} unpacks to more than {} bytes",
                self.limits.entry_bytes
            )));
        }
        self.read += read;
        if self.read > self.limits.total_bytes {
            return Err(BulkError::TooLarge(format!(
                "the entries unpack to more than {} bytes",
                self.limits.total_bytes
            )));
        }
        Ok(Some(content))
    }
}

/// The memos of a bulk file in the manifest's order.
pub fn read_bulk(bytes: &[u8], limits: &BulkLimits) -> Result<Vec<BulkMemo>, BulkError> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| BulkError::Unreadable(format!("not a zip archive ({e})")))?;
    if zip.len() > limits.entries {
        return Err(BulkError::TooLarge(format!(
            "{} entries (at most {})",
            zip.len(),
            limits.entries
        )));
    }
    let mut archive = Archive {
        index: HashMap::with_capacity(zip.len()),
        zip,
        limits: *limits,
        read: 0,
    };
    for at in 0..archive.zip.len() {
        let entry = archive.zip.by_index_raw(at).map_err(unreadable)?;
        let name = entry.name().map_err(unreadable)?.into_owned();
        // `enclosed_name` is the name when it stays inside the archive's folder: not absolute,
        // no `..` above the top, no NUL.
        let absolute = name.starts_with('/') || name.as_bytes().get(1) == Some(&b':');
        let climbs = name.split('/').any(|part| part == "..");
        if entry.enclosed_name().is_none() || absolute || climbs || name.contains('\\') {
            return Err(BulkError::Unreadable(format!(
                "the entry {name:?} points outside the archive"
            )));
        }
        if entry.is_symlink() {
            return Err(BulkError::Unreadable(format!(
                "the entry {name:?} is a link"
            )));
        }
        if entry.encrypted() {
            return Err(BulkError::Unreadable(format!(
                "the entry {name:?} is encrypted"
            )));
        }
        if entry.is_dir() {
            continue;
        }
        let name = name.trim_start_matches("./").to_owned();
        if archive.index.insert(name.clone(), at).is_some() {
            return Err(BulkError::Unreadable(format!(
                "the entry {name:?} is in the archive twice"
            )));
        }
    }
    let manifest = archive
        .entry(MANIFEST)?
        .ok_or_else(|| BulkError::Unreadable(format!("no {MANIFEST} in the archive")))?;
    let manifest: Value = serde_json::from_slice(&manifest)
        .map_err(|e| BulkError::Unreadable(format!("{MANIFEST} is not JSON ({e})")))?;
    let Some(listed) = manifest.get("memos").and_then(Value::as_array) else {
        return Err(BulkError::Unreadable(format!(
            "{MANIFEST} has no \"memos\" list"
        )));
    };
    if listed.len() > limits.memos {
        return Err(BulkError::TooLarge(format!(
            "{} memos (at most {})",
            listed.len(),
            limits.memos
        )));
    }
    let mut memos = Vec::with_capacity(listed.len());
    for (i, name) in listed.iter().enumerate() {
        let Some(name) = name.as_str() else {
            memos.push((
                format!("memos[{i}]"),
                Err("the manifest names it with something else than a text".to_owned()),
            ));
            continue;
        };
        let memo = memo(&mut archive, name)?;
        memos.push((name.to_owned(), memo));
    }
    Ok(memos)
}

/// The memo entry `name` with its attachments read in; `Err(Ok(why))` is the memo's refusal.
fn memo(archive: &mut Archive<'_>, name: &str) -> Result<Result<Value, String>, BulkError> {
    let Some(bytes) = archive.entry(name)? else {
        return Ok(Err(format!("no entry {name:?} in the archive")));
    };
    let mut memo: Value = match serde_json::from_slice(&bytes) {
        Ok(memo @ Value::Object(_)) => memo,
        Ok(_) => return Ok(Err("not a JSON object".to_owned())),
        Err(e) => return Ok(Err(format!("not JSON ({e})"))),
    };
    drop(bytes);
    let Some(attachments) = memo.get_mut("attachments").and_then(Value::as_array_mut) else {
        return Ok(Ok(memo));
    };
    for (i, attachment) in attachments.iter_mut().enumerate() {
        let Some(fields) = attachment.as_object_mut() else {
            continue;
        };
        let Some(file) = fields.get("file") else {
            continue;
        };
        let Some(file) = file.as_str().map(str::to_owned) else {
            return Ok(Err(format!("attachments[{i}].file is not a text")));
        };
        if fields.contains_key("content") {
            return Ok(Err(format!(
                "attachments[{i}] has both a file and a content"
            )));
        }
        let Some(content) = archive.entry(&file)? else {
            return Ok(Err(format!(
                "attachments[{i}].file: no entry {file:?} in the archive"
            )));
        };
        fields.remove("file");
        fields.insert(
            "content".to_owned(),
            Value::String(base64::engine::general_purpose::STANDARD.encode(content)),
        );
    }
    Ok(Ok(memo))
}

/// Writing bulk files, for the tests and `cargo xtask bench sftp`.
#[cfg(feature = "testing")]
pub mod testing {
    use std::io::Write;

    /// A zip of `entries` (name, content), stored deflated, in this order.
    pub fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            out.start_file(*name, options).expect("an entry");
            out.write_all(content).expect("written");
        }
        out.finish().expect("an archive").into_inner()
    }

    /// A bulk file of `memos` (each a memo's JSON) and the `files` they name, with its manifest.
    pub fn bulk_file(memos: &[String], files: &[(&str, &[u8])]) -> Vec<u8> {
        let names: Vec<String> = (0..memos.len())
            .map(|i| format!("memos/{:05}.json", i + 1))
            .collect();
        let manifest = serde_json::json!({ "memos": names }).to_string();
        let mut entries: Vec<(&str, &[u8])> = vec![(super::MANIFEST, manifest.as_bytes())];
        for (name, memo) in names.iter().zip(memos) {
            entries.push((name, memo.as_bytes()));
        }
        entries.extend_from_slice(files);
        archive(&entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in entries {
            out.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(content).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn issue_35_memos_come_in_the_manifests_order_with_their_files_read_in() {
        let file = zip_of(&[
            (
                "manifest.json",
                br#"{"memos":["b.json","a.json","missing.json","bad.json"]}"#,
            ),
            (
                "a.json",
                br#"{"title":"A","attachments":[{"filename":"x.pdf","file":"files/x.pdf"}]}"#,
            ),
            ("b.json", br#"{"title":"B"}"#),
            ("bad.json", b"not json"),
            ("files/x.pdf", b"%PDF-1.4"),
        ]);
        let memos = read_bulk(&file, &BULK_LIMITS).unwrap();
        let names: Vec<&str> = memos.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["b.json", "a.json", "missing.json", "bad.json"]);
        let a = memos[1].1.as_ref().unwrap();
        assert_eq!(a["attachments"][0]["content"], "JVBERi0xLjQ=");
        assert!(a["attachments"][0].get("file").is_none());
        assert!(memos[2].1.as_ref().unwrap_err().contains("no entry"));
        assert!(memos[3].1.as_ref().unwrap_err().contains("not JSON"));
    }

    #[test]
    fn issue_35_hostile_archives_are_refused_whole() {
        let unreadable = |bytes: &[u8]| {
            matches!(
                read_bulk(bytes, &BULK_LIMITS),
                Err(BulkError::Unreadable(_))
            )
        };
        assert!(unreadable(b"PK\x03\x04 not really"));
        assert!(unreadable(&zip_of(&[("a.json", b"{}")])), "no manifest");
        assert!(unreadable(&zip_of(&[
            ("manifest.json", br#"{"memos":[]}"#),
            ("../evil.json", b"{}"),
        ])));
        assert!(unreadable(&zip_of(&[
            ("manifest.json", br#"{"memos":[]}"#),
            ("/etc/evil.json", b"{}"),
        ])));
        // A bomb: one entry of 20 MB zeros, deflated to a few KB.
        let bomb = zip_of(&[
            ("manifest.json", br#"{"memos":["a.json"]}"#),
            ("a.json", &vec![b' '; 20 * 1024 * 1024]),
        ]);
        assert!(bomb.len() < 200_000);
        assert!(matches!(
            read_bulk(&bomb, &BULK_LIMITS),
            Err(BulkError::TooLarge(_))
        ));
        let few = BulkLimits {
            entries: 2,
            ..BULK_LIMITS
        };
        let three = zip_of(&[("manifest.json", b"{}"), ("a", b""), ("b", b"")]);
        assert!(matches!(
            read_bulk(&three, &few),
            Err(BulkError::TooLarge(_))
        ));
    }

    #[test]
    fn issue_35_an_attachment_named_twice_counts_twice_against_the_total() {
        let big = vec![b'x'; 1024 * 1024];
        let memos: Vec<String> = (0..5).map(|i| format!("m{i}.json")).collect();
        let manifest = serde_json::json!({ "memos": memos }).to_string();
        let memo =
            br#"{"attachments":[{"filename":"a","file":"big"},{"filename":"b","file":"big"}]}"#;
        let mut entries: Vec<(&str, &[u8])> =
            vec![("manifest.json", manifest.as_bytes()), ("big", &big)];
        for m in &memos {
            entries.push((m, memo));
        }
        let limits = BulkLimits {
            total_bytes: 8 * 1024 * 1024,
            ..BULK_LIMITS
        };
        assert!(matches!(
            read_bulk(&zip_of(&entries), &limits),
            Err(BulkError::TooLarge(_))
        ));
    }
}
