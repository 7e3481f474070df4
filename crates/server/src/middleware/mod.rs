//! Cross-cutting HTTP middleware, applied once in `startup`.

pub mod body_deadline;
pub mod body_limit;
pub mod count_writes;
pub mod observe;
pub mod problem_fallback;
pub mod security_headers;
