//! Cross-cutting building blocks shared by every module crate.
//!
//! * [`error`] — [`DomainError`], the one error type handlers return, and its single mapping to
//!   RFC 9457 `application/problem+json`.
//! * [`pagination`] — turns `?page=&pageSize=&sort=` into a checked [`PageRequest`].
//! * [`cvr`] — the validated [`Cvr`] newtype (modulus-11).
//!
//! Authentication plugs in here next (issue 3): a `Principal` extractor built from our access
//! token, with `principal.require(Right::X)?` as the first line of every handler.

pub mod cvr;
pub mod error;
pub mod pagination;

pub use cvr::Cvr;
pub use error::{problem_response, DomainError, FieldErrors};
pub use pagination::{PageRequest, SortDirection};
