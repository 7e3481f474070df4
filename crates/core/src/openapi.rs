//! The problem+json responses every endpoint shares, as utoipa response sets:
//! `responses((status = 200, body = X), problems::BadRequest, problems::Scope)` (with
//! `use adgang_core::openapi as problems;`) instead of one hand-written
//! tuple per status and handler. The `code` of the body says which rule answered.

use std::collections::BTreeMap;

use adgang_api_types::error::PROBLEM_CONTENT_TYPE;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::IntoResponses;

fn problem(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

macro_rules! problem_set {
    ($(#[$doc:meta])* $name:ident { $($status:literal => $description:literal),+ $(,)? }) => {
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([$(($status.to_owned(), problem($description))),+])
            }
        }
    };
}

problem_set!(
    /// An organisation-scoped endpoint's refusals: no token, no right (or onboarding first),
    /// another organisation or no such resource in it.
    Scope {
        "401" => "Missing or invalid access token",
        "403" => "The caller lacks the module's right here, or the organisation must complete onboarding first (`onboarding_required`)",
        "404" => "Not the caller's organisation, or no such resource in it",
    }
);
problem_set!(
    /// A system-authenticated endpoint's refusals (CORE-01).
    SystemCaller {
        "401" => "Unknown system or wrong API key (`X-System-Id`, `X-Api-Key`)",
        "403" => "The caller's address is not on the system's allowlist (`address_not_allowed`; checked before the key), the system is not active (`system_not_active`), or it does not send (`not_a_sender_system`)",
        "429" => "`too_many_requests`: too many wrong API keys for the system or from the address; try again after `Retry-After` seconds",
    }
);
problem_set!(
    /// An authenticated endpoint outside an organisation scope.
    Auth {
        "401" => "Missing or invalid access token",
        "403" => "The caller lacks the right",
    }
);
problem_set!(
    /// No or an invalid access token.
    Unauthenticated { "401" => "Missing or invalid access token" }
);
problem_set!(
    /// Field errors (`errors` names each field and its code).
    BadRequest { "400" => "Field errors" }
);
problem_set!(
    /// No such resource.
    NotFound { "404" => "No such resource" }
);
problem_set!(
    /// The change conflicts with the current state; `reason` names the rule.
    Conflict { "409" => "Conflicts with the current state (`reason` names the rule)" }
);
problem_set!(
    /// The body is larger than the limit.
    TooLarge { "413" => "The body is too large" }
);
problem_set!(
    /// An uploaded file went over a limit of the sandbox it is read in (issue 29).
    FileTooComplex { "422" => "`file_too_complex`: reading the file went over the memory, CPU or time limit for uploads" }
);
problem_set!(
    /// Every reader of uploaded files is busy (issue 29); `Retry-After` says when to try again.
    TooManyRequests { "429" => "`too_many_requests`: every reader of uploaded files is busy; try again after `Retry-After` seconds" }
);
problem_set!(
    /// Too many failed authentications (issue 31); `Retry-After` says when to try again.
    TooManyFailures { "429" => "`too_many_requests`: too many failed authentications for the client or from the address; try again after `Retry-After` seconds" }
);
problem_set!(
    /// The body is not of the media type the operation reads.
    UnsupportedMediaType { "415" => "The body's `Content-Type` is not the one this operation reads" }
);
problem_set!(
    /// A dependency is unavailable.
    Unavailable { "503" => "A dependency is unavailable" }
);
