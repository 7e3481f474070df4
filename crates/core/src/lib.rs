//! Cross-cutting building blocks shared by every module crate.
//!
//! * [`error`] — [`DomainError`], the one error type handlers return, and its single mapping to
//!   RFC 9457 `application/problem+json`.
//! * [`pagination`] — turns `?page=&pageSize=&sort=` into a checked [`PageRequest`].
//! * [`cvr`] — the validated [`Cvr`] newtype (modulus-11).
//!
//! * [`audit`] — the append-only actions and searches logs, written in the caller's transaction.
//! * [`auth`] — our access tokens and the [`Principal`] extractor; the first line of every
//!   protected handler is `principal.require_module(Module::X)?` (or `require(Right::X)`).

pub mod audit;
pub mod auth;
pub mod cpr;
pub mod cvr;
pub mod download;
pub mod entity;
pub mod error;
pub mod json;
pub mod pagination;
pub mod secrets;
pub mod validate;

pub use auth::{Principal, TokenKeys};
pub use cpr::Cpr;
pub use cvr::Cvr;
pub use error::{problem_response, DomainError, FieldErrors};
pub use pagination::{PageRequest, SortDirection};
