//! Ports: the narrow questions one module asks another (ARCHITECTURE "Dependency direction").
//! A module crate never depends on another module crate; the owning crate implements the port,
//! `server` wires it as app data (`web::Data<dyn Port>`), and the asking crate sees only the
//! trait declared here.
//!
//! Ports that must answer inside the caller's transaction take `&dyn ConnectionTrait`; the
//! implementation wraps it in [`DynConnection`] to run sea-orm queries on it.

mod db;
mod directory;
mod files;
mod messaging;
mod statistics;
mod systems;

pub use db::DynConnection;
pub use directory::{
    Authorities, Directory, DirectoryError, DirectoryMachineClient, DirectoryOrganisation,
    DirectoryUser, NewDirectoryOrganisation, RightGrant, UserDirectory,
};
pub use files::{
    BulkArchive, BulkEntry, CleanPng, FileRefusal, PdfFacts, SandboxLimit, UntrustedFiles,
    UploadedSheet,
};
pub use messaging::{
    AccessSpan, ConnectedSystem, ConnectedSystems, DeliveryPoint, DeliveryPoints, ExemptionLift,
    ExemptionStatus, LegalNotificationSenders, Mail, MailAccessHolders, MailboxEntry, Mailer,
    NemSmsNumbers, NoExemptions, NoMailAccess, NoNemSms, OutboxEntry, SftpDropbox, SftpService,
    Sms, SmsGateway, TestMailboxes, UnopenedMail,
};
/// The database error ports answer with (for crates without sea-orm of their own).
pub use sea_orm::DbErr as DbError;
pub use statistics::{MemoFeatures, MessageTallies, MessageTally};
pub use systems::{BoundContactPoints, RecipientSystem, RecipientSystems, VirkMailMoves};
