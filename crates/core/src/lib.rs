//! Cross-cutting building blocks shared by every module crate.
//!
//! * [`error`] — [`DomainError`], the one error type handlers return, and its single mapping to
//!   RFC 9457 `application/problem+json`.
//! * [`pagination`] — turns `?page=&pageSize=&sort=` into a checked [`PageRequest`].
//! * [`cvr`] — the validated [`Cvr`] newtype (modulus-11).
//!
//! * [`audit`] — the append-only actions and searches logs, written in the caller's transaction.
//! * [`auth`] — our access tokens and the [`Principal`] extractor.
//! * [`scope`] — [`OrgScope`], the extractor every organisation-scoped handler takes first
//!   (module right, onboarding, the path's CVR = the token's, "now").
//! * [`time`] — the [`Clock`] port and Europe/Copenhagen.
//! * [`jobs`] — background work as a module declares it and the server supervises it;
//!   [`lease`] — how a job claims work so that no two instances do it; [`queue`] — the
//!   group-committing queues requests hand rows to.
//! * [`outbound`] — the one guarded HTTP client for addresses users type (no internal
//!   address, ever).
//! * [`ports`] — what one module asks another (no module crate depends on another).
//! * [`openapi`] — the shared problem+json response sets.

pub mod audit;
pub mod auth;
pub mod cpr;
pub mod cvr;
pub mod db;
pub mod download;
pub mod entity;
pub mod error;
pub mod jobs;
pub mod json;
pub mod lease;
pub mod module;
pub mod openapi;
pub mod outbound;
pub mod pagination;
pub mod party;
pub mod ports;
pub mod queue;
pub mod read_cache;
pub mod scope;
pub mod search_log;
pub mod secrets;
pub mod sweep;
pub mod throttle;
pub mod time;
pub mod validate;

pub use auth::{Principal, SessionRevocations, SessionVersion, TokenKeys};
pub use cpr::Cpr;
pub use cvr::Cvr;
pub use db::{write, write_or_check, ReadDb, Written};
pub use error::{problem_response, DomainError, FieldErrors, SystemRefusal};
pub use jobs::{Job, JobContext, Round, Schedule};
pub use lease::Lease;
pub use module::ApiModule;
pub use outbound::Outbound;
pub use pagination::{PageRequest, SortDirection};
pub use party::Party;
pub use read_cache::ReadCache;
pub use scope::{
    Acting, DryRun, EitherParty, ItemPath, ModuleGuard, Now, OrgPath, OrgScope, PartyGuard,
    PartyItemPath, PartyPath, PartyScope, ScopeGuard,
};
pub use search_log::{Lookups, SearchLog};
pub use time::Clock;
pub use validate::{Email, HttpsUrl, PhoneNumber};
