//! Authority information (SPEC §8, guide chapter 11): the link to the authority's privacy
//! policy shown to those who write on another's behalf, and the logo shown with its mail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// INFO-01/02: what the authority has set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuthorityInformation {
    pub privacy_policy_url: Option<String>,
    pub logo: Option<Logo>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// INFO-02: the stored logo (a checked PNG).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Logo {
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// Where the platforms (and the preview) fetch it; changes with every new logo.
    pub url: String,
}

/// INFO-01: the link to save, or to test ("Afprøv link").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PrivacyPolicyLink {
    #[cfg_attr(
        feature = "openapi",
        schema(examples("https://kommune.dk/privatlivspolitik"))
    )]
    pub url: String,
}

/// INFO-01: why a tested link did not answer well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkProblem {
    /// The link (or a redirect) is not https.
    HttpsRequired,
    /// The name or a redirect leads to a loopback, private, link-local or metadata address: not
    /// connected to.
    ForbiddenAddress,
    /// The host name does not resolve.
    UnknownHost,
    /// No connection could be made, or TLS failed.
    ConnectionFailed,
    /// No answer within the time limit.
    Timeout,
    /// More than three redirects.
    TooManyRedirects,
    /// A redirect without a usable `Location`.
    InvalidRedirect,
    /// The final answer was not a success (see `status`).
    HttpStatus,
}

/// INFO-01: the result of "Afprøv link" — the server fetched the link (at most three redirects,
/// each checked again) and reports what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkCheck {
    pub url: String,
    /// A 2xx answer at the end of the redirects.
    pub ok: bool,
    /// The last HTTP status received, when there was one.
    pub status: Option<u16>,
    /// The address the last request went to.
    pub final_url: String,
    pub redirects: u8,
    pub problem: Option<LinkProblem>,
    pub elapsed_ms: u64,
}

/// INFO-02: what the platforms show with the organisation's mail (public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SenderInformation {
    pub cvr: String,
    pub privacy_policy_url: Option<String>,
    /// As the real API names it.
    pub logo_available: bool,
    pub logo_url: Option<String>,
}
