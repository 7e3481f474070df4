//! A system's own folder over SFTP: `/inbox` (write-only: uploads) and `/results` (read, and
//! remove what was read). Paths are resolved by name only — `..` stops at the folder's top,
//! there are no links — and they name rows of the database or this connection's own uploads,
//! never a file of the machine.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use adgang_core::ports::ConnectedSystem;
use chrono::{DateTime, Utc};
use russh_sftp::protocol::{
    Attrs, Data, File, FileAttributes, Handle, Name, OpenFlags, Status, StatusCode, Version,
};
use russh_sftp::server::StatusReply;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use super::Shared;
use crate::service::bulk::{self, ReceiveError, MAX_BULK_FILE_BYTES};
use crate::service::intake::Proof;

/// An upload's bytes on the spool, deleted with it.
struct Spooled {
    path: PathBuf,
    file: Option<tokio::fs::File>,
    size: u64,
    /// A write went over the limit or failed: the upload is never kept.
    broken: Option<String>,
    /// Its share of the spool's budget, given back with it.
    shared: Arc<Shared>,
}

impl Drop for Spooled {
    fn drop(&mut self) {
        self.shared.release(self.size);
        let _ = std::fs::remove_file(&self.path);
    }
}

enum Open {
    /// Being written: its name in `/inbox`.
    Upload { name: String, spooled: Spooled },
    /// A result file being read.
    Download { bytes: Arc<Vec<u8>> },
    /// A folder's listing, sent once.
    Folder { files: Vec<File>, sent: bool },
}

/// Where a path points.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    Root,
    Inbox,
    Results,
    InInbox(String),
    InResults(String),
    Nowhere,
}

/// `path` resolved from the folder's top (relative paths too: the top is the working folder).
fn place(path: &str) -> Place {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let name_ok =
        |name: &str| !name.is_empty() && name.len() <= 255 && !name.chars().any(char::is_control);
    match parts.as_slice() {
        [] => Place::Root,
        ["inbox"] => Place::Inbox,
        ["results"] => Place::Results,
        ["inbox", name] if name_ok(name) => Place::InInbox((*name).to_owned()),
        ["results", name] if name_ok(name) => Place::InResults((*name).to_owned()),
        _ => Place::Nowhere,
    }
}

fn path_of(place: &Place) -> String {
    match place {
        Place::Root | Place::Nowhere => "/".to_owned(),
        Place::Inbox => "/inbox".to_owned(),
        Place::Results => "/results".to_owned(),
        Place::InInbox(name) => format!("/inbox/{name}"),
        Place::InResults(name) => format!("/results/{name}"),
    }
}

fn folder_attributes() -> FileAttributes {
    let mut attrs = FileAttributes::empty();
    attrs.set_dir(true);
    attrs.permissions = Some(0o40755);
    attrs
}

fn file_attributes(size: u64, at: DateTime<Utc>, writable: bool) -> FileAttributes {
    let mut attrs = FileAttributes::empty();
    attrs.size = Some(size);
    attrs.permissions = Some(if writable { 0o100644 } else { 0o100444 });
    let seconds = u32::try_from(at.timestamp().max(0)).unwrap_or(u32::MAX);
    attrs.mtime = Some(seconds);
    attrs.atime = Some(seconds);
    attrs
}

fn ok(id: u32) -> Status {
    Status {
        id,
        status_code: StatusCode::Ok,
        error_message: "Ok".to_owned(),
        language_tag: "en-US".to_owned(),
    }
}

fn failure(message: impl Into<String>) -> StatusReply {
    StatusCode::Failure.with_message(message)
}

fn internal(err: impl std::fmt::Display) -> StatusReply {
    tracing::error!(error = %err, "the SFTP service failed a request");
    failure("the service could not do that now; try again")
}

/// The SFTP requests of one logged-in system.
pub(crate) struct Files {
    shared: Arc<Shared>,
    system: ConnectedSystem,
    /// The key the client logged in with, and its address: checked again before an upload is
    /// kept (a session outlives neither a new key, nor the address leaving the allowlist, nor a
    /// deactivation).
    login_key: russh::keys::PublicKey,
    address: std::net::IpAddr,
    open: HashMap<String, Open>,
    /// Uploads closed under a name other than `….zip`: kept until renamed to one (or this
    /// connection ends).
    parked: HashMap<String, Spooled>,
    next_handle: u64,
    started: bool,
}

impl Files {
    pub fn new(
        shared: Arc<Shared>,
        system: ConnectedSystem,
        login_key: russh::keys::PublicKey,
        address: std::net::IpAddr,
    ) -> Files {
        Files {
            shared,
            system,
            login_key,
            address,
            open: HashMap::new(),
            parked: HashMap::new(),
            next_handle: 0,
            started: false,
        }
    }

    fn handle(&mut self, open: Open) -> Result<String, StatusReply> {
        if self.open.len() >= MAX_HANDLES {
            return Err(failure(format!(
                "at most {MAX_HANDLES} files and folders open at once"
            )));
        }
        self.next_handle += 1;
        let handle = self.next_handle.to_string();
        self.open.insert(handle.clone(), open);
        Ok(handle)
    }

    /// A folder's entries as `ls -l` shows them.
    async fn listing(&self, place: &Place) -> Result<Vec<File>, StatusReply> {
        let db = &self.shared.reads;
        let mut files = vec![
            File::new(".", folder_attributes()),
            File::new("..", folder_attributes()),
        ];
        match place {
            Place::Root => {
                files.push(File::new("inbox", folder_attributes()));
                files.push(File::new("results", folder_attributes()));
            }
            Place::Inbox => {
                for waiting in bulk::inbox(db, &self.system.id).await.map_err(internal)? {
                    let attrs = file_attributes(waiting.size, waiting.at, false);
                    files.push(File::new(waiting.name, attrs));
                }
                let now = self.shared.now();
                for (name, spooled) in &self.parked {
                    files.push(File::new(
                        name.clone(),
                        file_attributes(spooled.size, now, true),
                    ));
                }
            }
            Place::Results => {
                for result in bulk::results(db, &self.system.id).await.map_err(internal)? {
                    let attrs = file_attributes(result.size, result.at, false);
                    files.push(File::new(result.name, attrs));
                }
            }
            _ => return Err(StatusCode::NoSuchFile.into()),
        }
        Ok(files)
    }

    async fn attributes(&self, place: &Place) -> Result<FileAttributes, StatusReply> {
        match place {
            Place::Root | Place::Inbox | Place::Results => Ok(folder_attributes()),
            Place::InInbox(name) => {
                if let Some(spooled) = self.parked.get(name) {
                    return Ok(file_attributes(spooled.size, self.shared.now(), true));
                }
                bulk::uploaded(&self.shared.reads, &self.system.id, name)
                    .await
                    .map_err(internal)?
                    .map(|w| file_attributes(w.size, w.at, false))
                    .ok_or_else(|| StatusCode::NoSuchFile.into())
            }
            Place::InResults(name) => {
                let results = bulk::results(&self.shared.reads, &self.system.id)
                    .await
                    .map_err(internal)?;
                results
                    .into_iter()
                    .find(|r| &r.name == name)
                    .map(|r| file_attributes(r.size, r.at, false))
                    .ok_or_else(|| StatusCode::NoSuchFile.into())
            }
            Place::Nowhere => Err(StatusCode::NoSuchFile.into()),
        }
    }

    /// A `….zip` name not yet used by the system (in `/inbox` or with a result in `/results`).
    async fn name_is_free(&self, name: &str) -> Result<(), StatusReply> {
        let used = bulk::uploaded(&self.shared.reads, &self.system.id, name)
            .await
            .map_err(internal)?;
        match used {
            Some(_) => Err(failure(format!(
                "{name} is already in /inbox or has a result in /results: use a new name"
            ))),
            None => Ok(()),
        }
    }

    /// A complete upload named `….zip` becomes a bulk file — if the system may still send
    /// with the key this session logged in with, from this address.
    async fn keep(&self, name: &str, spooled: Spooled) -> Result<(), StatusReply> {
        if let Some(why) = &spooled.broken {
            return Err(failure(why.clone()));
        }
        let now = self.shared.now();
        let ports = &self.shared.ports;
        let system = ports
            .systems
            .system(&self.shared.reads, &self.system.id, now)
            .await
            .map_err(internal)?;
        let allowed = system.as_ref().is_some_and(|system| {
            system.is_active()
                && Proof::SshKey(&self.login_key).proves(system)
                && ports.systems.admits(system, self.address)
        });
        let Some(system) = system.filter(|_| allowed) else {
            tracing::info!(system = %self.system.id, "an SFTP upload refused: the login no longer holds");
            return Err(StatusCode::PermissionDenied
                .with_message("the system may no longer send with this key from this address"));
        };
        // Uploads held in memory at once, whatever the number of connections.
        let _turn = self.shared.keeps.acquire().await.map_err(internal)?;
        let content = tokio::fs::read(&spooled.path).await.map_err(internal)?;
        let received = bulk::receive(&self.shared.db, &system, name, content, now).await;
        // The spool's budget is given back once the bytes are in the database.
        drop(spooled);
        match received {
            Ok(()) => {
                tracing::info!(system = %self.system.id, file = name, "a bulk file was uploaded");
                Ok(())
            }
            Err(ReceiveError::Exists) => Err(failure(format!(
                "{name} is already in /inbox or has a result in /results: use a new name"
            ))),
            Err(ReceiveError::Db(e)) => Err(internal(e)),
        }
    }
}

/// `….zip`, in lower case (the result file's name is made from it).
fn is_bulk_name(name: &str) -> bool {
    name.len() > 4 && name.ends_with(".zip")
}

/// Files and folders one session may have open at once.
const MAX_HANDLES: usize = 64;

impl russh_sftp::server::Handler for Files {
    type Error = StatusReply;

    fn unimplemented(&self) -> Self::Error {
        StatusCode::OpUnsupported.into()
    }

    async fn init(
        &mut self,
        _version: u32,
        _extensions: HashMap<String, String>,
    ) -> Result<Version, Self::Error> {
        if std::mem::replace(&mut self.started, true) {
            return Err(StatusCode::BadMessage.into());
        }
        Ok(Version::new())
    }

    async fn realpath(&mut self, id: u32, path: String) -> Result<Name, Self::Error> {
        Ok(Name {
            id,
            files: vec![File::dummy(path_of(&place(&path)))],
        })
    }

    async fn stat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        let attrs = self.attributes(&place(&path)).await?;
        Ok(Attrs { id, attrs })
    }

    async fn lstat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        self.stat(id, path).await
    }

    async fn fstat(&mut self, id: u32, handle: String) -> Result<Attrs, Self::Error> {
        let now = self.shared.now();
        let attrs = match self.open.get(&handle) {
            Some(Open::Upload { spooled, .. }) => file_attributes(spooled.size, now, true),
            Some(Open::Download { bytes }) => file_attributes(bytes.len() as u64, now, false),
            Some(Open::Folder { .. }) => folder_attributes(),
            None => return Err(StatusCode::Failure.with_message("no such handle")),
        };
        Ok(Attrs { id, attrs })
    }

    async fn opendir(&mut self, id: u32, path: String) -> Result<Handle, Self::Error> {
        let files = self.listing(&place(&path)).await?;
        let handle = self.handle(Open::Folder { files, sent: false })?;
        Ok(Handle { id, handle })
    }

    async fn readdir(&mut self, id: u32, handle: String) -> Result<Name, Self::Error> {
        match self.open.get_mut(&handle) {
            Some(Open::Folder { files, sent }) if !*sent => {
                *sent = true;
                Ok(Name {
                    id,
                    files: std::mem::take(files),
                })
            }
            Some(Open::Folder { .. }) => Err(StatusCode::Eof.into()),
            _ => Err(StatusCode::Failure.with_message("no such handle")),
        }
    }

    async fn open(
        &mut self,
        id: u32,
        filename: String,
        pflags: OpenFlags,
        _attrs: FileAttributes,
    ) -> Result<Handle, Self::Error> {
        let writes = pflags.intersects(
            OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::APPEND | OpenFlags::TRUNCATE,
        );
        match (place(&filename), writes) {
            (Place::InInbox(name), true) => {
                if self.open.len() + self.parked.len() >= 16 {
                    return Err(failure(
                        "at most 16 uploads at once in a connection (rename or remove one)",
                    ));
                }
                // Refused now, not at the close: some clients do not read a close's answer.
                if is_bulk_name(&name) {
                    self.name_is_free(&name).await?;
                }
                let path = self
                    .shared
                    .spool
                    .join(format!("{}.part", uuid::Uuid::now_v7()));
                let file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&path)
                    .await
                    .map_err(internal)?;
                self.parked.remove(&name);
                let spooled = Spooled {
                    path,
                    file: Some(file),
                    size: 0,
                    broken: None,
                    shared: self.shared.clone(),
                };
                Ok(Handle {
                    id,
                    handle: self.handle(Open::Upload { name, spooled })?,
                })
            }
            (Place::InResults(name), false) => {
                let found = bulk::result(&self.shared.reads, &self.system.id, &name)
                    .await
                    .map_err(internal)?;
                let Some(text) = found else {
                    return Err(StatusCode::NoSuchFile.into());
                };
                let bytes = Arc::new(text.into_bytes());
                Ok(Handle {
                    id,
                    handle: self.handle(Open::Download { bytes })?,
                })
            }
            (Place::InInbox(_), false) => Err(StatusCode::PermissionDenied
                .with_message("/inbox is for uploads: results are in /results")),
            (Place::InResults(_), true) => {
                Err(StatusCode::PermissionDenied.with_message("/results cannot be written"))
            }
            (Place::Nowhere, _) => Err(StatusCode::NoSuchFile.into()),
            _ => {
                Err(StatusCode::PermissionDenied
                    .with_message("upload to /inbox, read from /results"))
            }
        }
    }

    async fn write(
        &mut self,
        id: u32,
        handle: String,
        offset: u64,
        data: Vec<u8>,
    ) -> Result<Status, Self::Error> {
        let Some(Open::Upload { spooled, .. }) = self.open.get_mut(&handle) else {
            return Err(StatusCode::Failure.with_message("not a file being uploaded"));
        };
        if let Some(why) = &spooled.broken {
            return Err(failure(why.clone()));
        }
        let end = offset.saturating_add(data.len() as u64);
        if end > MAX_BULK_FILE_BYTES {
            let why = format!("a bulk file may be at most {MAX_BULK_FILE_BYTES} bytes");
            spooled.broken = Some(why.clone());
            spooled.file = None;
            return Err(failure(why));
        }
        if spooled.file.is_none() {
            return Err(failure("the upload was stopped"));
        }
        // The spool is shared by every connection: a budget, not a disk to fill.
        let growth = end.saturating_sub(spooled.size);
        if !self.shared.reserve(growth) {
            let why = "the service is receiving too much at once; try again later".to_owned();
            spooled.broken = Some(why.clone());
            spooled.file = None;
            return Err(failure(why));
        }
        spooled.size += growth;
        let Some(file) = spooled.file.as_mut() else {
            return Err(failure("the upload was stopped"));
        };
        let written = async {
            file.seek(std::io::SeekFrom::Start(offset)).await?;
            file.write_all(&data).await
        }
        .await;
        if let Err(e) = written {
            spooled.broken = Some("the upload could not be stored".to_owned());
            spooled.file = None;
            return Err(internal(e));
        }
        Ok(ok(id))
    }

    async fn read(
        &mut self,
        id: u32,
        handle: String,
        offset: u64,
        len: u32,
    ) -> Result<Data, Self::Error> {
        let Some(Open::Download { bytes }) = self.open.get(&handle) else {
            return Err(StatusCode::Failure.with_message("not a file being read"));
        };
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        if start >= bytes.len() {
            return Err(StatusCode::Eof.into());
        }
        let end = start
            .saturating_add(len.min(256 * 1024) as usize)
            .min(bytes.len());
        Ok(Data {
            id,
            data: bytes[start..end].to_vec(),
        })
    }

    async fn close(&mut self, id: u32, handle: String) -> Result<Status, Self::Error> {
        match self.open.remove(&handle) {
            Some(Open::Upload { name, mut spooled }) => {
                if let Some(mut file) = spooled.file.take() {
                    if let Err(e) = file.flush().await {
                        spooled.broken = Some("the upload could not be stored".to_owned());
                        tracing::error!(error = %e, "flushing an SFTP upload");
                    }
                }
                if is_bulk_name(&name) {
                    self.keep(&name, spooled).await?;
                } else if spooled.broken.is_none() {
                    self.parked.insert(name, spooled);
                }
                Ok(ok(id))
            }
            Some(_) => Ok(ok(id)),
            None => Err(StatusCode::Failure.with_message("no such handle")),
        }
    }

    async fn rename(
        &mut self,
        id: u32,
        oldpath: String,
        newpath: String,
    ) -> Result<Status, Self::Error> {
        let (Place::InInbox(from), Place::InInbox(to)) = (place(&oldpath), place(&newpath)) else {
            return Err(StatusCode::PermissionDenied
                .with_message("only an upload in /inbox can be renamed, within /inbox"));
        };
        if !self.parked.contains_key(&from) {
            return Err(
                StatusCode::NoSuchFile.with_message("no upload of that name from this connection")
            );
        }
        // A name in use is refused with the upload kept under its own name.
        if is_bulk_name(&to) {
            self.name_is_free(&to).await?;
        }
        let Some(spooled) = self.parked.remove(&from) else {
            return Err(StatusCode::NoSuchFile.into());
        };
        if is_bulk_name(&to) {
            self.keep(&to, spooled).await?;
        } else {
            self.parked.insert(to, spooled);
        }
        Ok(ok(id))
    }

    async fn remove(&mut self, id: u32, filename: String) -> Result<Status, Self::Error> {
        match place(&filename) {
            Place::InResults(name) => {
                let removed = bulk::remove_result(&self.shared.db, &self.system.id, &name)
                    .await
                    .map_err(internal)?;
                if removed {
                    Ok(ok(id))
                } else {
                    Err(StatusCode::NoSuchFile.into())
                }
            }
            Place::InInbox(name) if self.parked.remove(&name).is_some() => Ok(ok(id)),
            Place::InInbox(_) => Err(StatusCode::PermissionDenied
                .with_message("a bulk file in /inbox is being taken and cannot be removed")),
            _ => Err(StatusCode::PermissionDenied.into()),
        }
    }

    async fn setstat(
        &mut self,
        id: u32,
        _path: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        // Clients set times and modes after an upload; there are none to keep.
        Ok(ok(id))
    }

    async fn fsetstat(
        &mut self,
        id: u32,
        _handle: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        Ok(ok(id))
    }

    async fn mkdir(
        &mut self,
        _id: u32,
        _path: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        Err(StatusCode::PermissionDenied.with_message("the folders are fixed: /inbox and /results"))
    }

    async fn rmdir(&mut self, _id: u32, _path: String) -> Result<Status, Self::Error> {
        Err(StatusCode::PermissionDenied.with_message("the folders are fixed: /inbox and /results"))
    }

    async fn symlink(
        &mut self,
        _id: u32,
        _linkpath: String,
        _targetpath: String,
    ) -> Result<Status, Self::Error> {
        Err(StatusCode::PermissionDenied.with_message("no links"))
    }

    async fn readlink(&mut self, _id: u32, _path: String) -> Result<Name, Self::Error> {
        Err(StatusCode::NoSuchFile.with_message("no links"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_35_no_path_leaves_the_systems_folder() {
        assert_eq!(place("/"), Place::Root);
        assert_eq!(place("."), Place::Root);
        assert_eq!(place("../../.."), Place::Root);
        assert_eq!(place("/inbox/../../etc/passwd"), Place::Nowhere);
        assert_eq!(place("/etc/passwd"), Place::Nowhere);
        assert_eq!(place("inbox/a.zip"), Place::InInbox("a.zip".into()));
        assert_eq!(
            place("/results/../inbox/./b.zip"),
            Place::InInbox("b.zip".into())
        );
        assert_eq!(place("/inbox/a/b.zip"), Place::Nowhere);
        assert_eq!(place("/inbox/a\nb.zip"), Place::Nowhere);
        assert_eq!(path_of(&place("/../results/")), "/results");
    }
}
