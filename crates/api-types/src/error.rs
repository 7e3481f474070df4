//! RFC 9457 problem details, the one error body every endpoint returns.

use serde::{Deserialize, Serialize};

/// Stable, language-neutral error codes. The SPA maps each to a Danish/English text in its i18n
/// catalogue, so the API never has to speak Danish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields failed validation; see `errors`.
    ValidationFailed,
    /// The request body or query could not be parsed.
    MalformedRequest,
    /// No such resource (or it belongs to another organisation).
    NotFound,
    /// The route exists but not with this HTTP method.
    MethodNotAllowed,
    /// The request body exceeds the size limit.
    PayloadTooLarge,
    /// The media type of the body is not accepted.
    UnsupportedMediaType,
    /// Not authenticated.
    Unauthorized,
    /// Authenticated but lacking the right.
    Forbidden,
    /// The authority has not joined yet: only onboarding is open (AUTH-04).
    OnboardingRequired,
    /// The change conflicts with the current state.
    Conflict,
    /// Something failed on our side; details are in the server log only.
    Internal,
    /// A dependency (e.g. the database) is not available.
    Unavailable,
    /// CORE-01/SYS-05: the calling system is not active (not activated, scheduled or
    /// deactivated).
    SystemNotActive,
    /// CORE-01/SYS-01: the caller's address is not on the system's allowlist.
    AddressNotAllowed,
    /// CORE-01: the calling system is a recipient system only.
    NotASenderSystem,
    /// Issue 29: reading the uploaded file went over a limit of the sandbox it is read in
    /// (memory, CPU time, wall-clock time); `errors` names the field. A 422.
    FileTooComplex,
    /// Issue 29: every reader of uploaded files stayed busy until the deadline; try again after
    /// `Retry-After` seconds. A 429.
    TooManyRequests,
    /// Issue 31: the request body did not arrive within its deadline; the connection is
    /// closed. A 408.
    RequestTimeout,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::OnboardingRequired => "onboarding_required",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::SystemNotActive => "system_not_active",
            ErrorCode::AddressNotAllowed => "address_not_allowed",
            ErrorCode::NotASenderSystem => "not_a_sender_system",
            ErrorCode::FileTooComplex => "file_too_complex",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::RequestTimeout => "request_timeout",
        }
    }
}

/// Which rule a 409 `conflict` answered by. The SPA's text for each is matched without a
/// wildcard arm, so a new reason without a text does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// An organisation with this CVR exists already.
    OrganisationExists,
    /// The authority has already joined Digital Post (AUTH-04).
    AlreadyOnboarded,
    /// SYS-12: contact points are bound to the system; `items` names them.
    SystemHasBoundContactPoints,
    /// SYS-07: the primary system cannot be deleted while other recipient systems exist.
    PrimaryWithOtherRecipientSystems,
    /// CORE-01: the sender used this message id before for a different message.
    MessageIdReused,
    /// the search matches more rows than one download streams; ask for an export job.
    ExportRequired,
    /// the export job has not finished yet.
    ExportNotReady,
    /// EX-02/EX-04: the party is exempt already.
    AlreadyExempt,
    /// EX-03/EX-04: the exemption has been lifted or has expired.
    ExemptionEnded,
    /// SMS-03: the enrolment has been ended.
    EnrolmentEnded,
    /// ACC-04: the access has been revoked or has expired.
    AccessEnded,
    /// RC-03: the message has no value date, so it was sent at once.
    NoValueDate,
    /// RC-03: the value date has come; the message has been sent.
    ValueDatePassed,
    /// RC-03: the message has been recalled already.
    AlreadyRecalled,
    /// MV-04: a move of the organisation's mail is running; wait for it to finish.
    MoveMailRunning,
    /// Issue 32: the organisation's last rights administrator cannot lose that right — nobody
    /// could then administer its rights.
    LastRightsAdmin,
    /// ST-02: the organisation subscribes to this standard report with this interval already.
    AlreadySubscribed,
    /// ST-03: a subscription's interval cannot change; cancel it and order again.
    IntervalFixed,
    /// ST-04: a custom report cannot be cancelled; it is deleted 7 days after it is made.
    NotCancellable,
    /// ST-03: the subscription has been cancelled.
    SubscriptionCancelled,
    /// ST-05: no version of the report has been produced yet.
    ReportNotReady,
    /// ST-04: the custom report was deleted 7 days after it was made; order a new one.
    ReportDeleted,
}

/// Why a field was refused: a stable code the SPA translates (its text for each is matched
/// without a wildcard arm, so a new code without a text does not compile). Serialised as the
/// snake_case string, e.g. `invalid_keyword`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    /// A value is required.
    Required,
    /// Longer than allowed.
    TooLong,
    /// More entries than allowed.
    TooMany,
    /// Smaller than allowed.
    TooSmall,
    /// The file is larger than allowed (the SPA's own code for a 413).
    TooLarge,
    /// Above the allowed maximum (CS-01 capacity).
    AboveMaximum,
    /// Not a valid value.
    Invalid,
    /// The value could not be read.
    Malformed,
    /// Not one of the known values.
    Unknown,
    /// The body could not be read.
    Unreadable,
    /// A CVR number is exactly 8 digits.
    CvrFormat,
    /// The CVR number fails the modulus-11 check.
    CvrChecksum,
    /// A CPR number is 10 digits.
    CprFormat,
    /// The first six digits of a CPR number must be a date.
    CprDate,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a phone number (8 digits, or + and 8–15 digits).
    InvalidPhone,
    /// Not an absolute URL.
    InvalidUrl,
    /// The URL must use https (SYS-02).
    HttpsRequired,
    /// Not an IP address (SYS-01).
    InvalidIp,
    /// Not an IP range (SYS-01).
    InvalidRange,
    /// At most one IP range (SYS-01).
    OneRangeOnly,
    /// A range cannot be combined with addresses (SYS-01).
    RangeWithAddresses,
    /// Not an OpenSSH public key (SYS-03).
    InvalidSshKey,
    /// RSA keys need at least 2048 bits (SYS-03).
    RsaTooShort,
    /// Only ed25519, ECDSA and RSA keys (SYS-03).
    UnsupportedSshKey,
    /// Not used by this protocol or role.
    NotApplicable,
    /// The protocol is not available for the role (SYS-04).
    NotAllowedForRole,
    /// The vendor CVR is not a known company (SYS-04).
    UnknownVendor,
    /// Deactivation must come after activation (SYS-05).
    BeforeActivation,
    /// The time has already passed (SYS-05 activation).
    InThePast,
    /// Only an activated system can have a deactivation time (SYS-05).
    RequiresActivation,
    /// The primary system must receive mail (SYS-07).
    PrimaryMustReceive,
    /// A company has at most one recipient system (SYS-08).
    CompanyOneRecipientSystem,
    /// The vendor's agreement must be accepted (SYS-09).
    MustAccept,
    /// Cannot change while the system is active (SYS-12).
    LockedWhileActive,
    /// Set by the standard system (SYS-09).
    LockedByStandardSystem,
    /// Systems are created from the standard system, so this cannot change (SYS-09).
    InUse,
    /// Contact points are bound to the system, so it must keep receiving mail (SYS-12).
    HasBoundContactPoints,
    /// Letters, digits, spaces and hyphens only (CS-01).
    InvalidKeyword,
    /// The keyword is given twice (CS-01).
    DuplicateKeyword,
    /// Not a group of this organisation (CS-01).
    UnknownGroup,
    /// A group cannot be placed inside itself (CS-01).
    Cycle,
    /// Not one of the organisation's recipient systems (CS-05).
    NotARecipientSystem,
    /// Code values cannot contain ";" (CS-06).
    Semicolon,
    /// Write Ja or Nej (CS-06).
    InvalidYesNo,
    /// Not a number (CS-06).
    InvalidNumber,
    /// Not an audience (CS-06).
    InvalidAudience,
    /// Not a code kind (CS-06).
    InvalidCode,
    /// The workbook lacks a sheet (CS-06).
    MissingSheet,
    /// The sheet lacks a column (CS-06).
    MissingColumn,
    /// Not an Excel workbook (CS-06).
    NotAWorkbook,
    /// The id appears twice (CS-06).
    DuplicateId,
    /// More than one group has this name (CS-06).
    AmbiguousGroup,
    /// Not a known file format.
    UnknownFormat,
    /// Not a PDF (AUTH-04).
    NotPdf,
    /// The PDF could not be read (AUTH-04).
    UnreadablePdf,
    /// The PDF is password-protected (AUTH-04).
    EncryptedPdf,
    /// The PDF has no pages (AUTH-04).
    EmptyPdf,
    /// Not a right.
    UnknownRight,
    /// The right cannot be granted here.
    NotGrantable,
    /// The right cannot be given to a machine client.
    NotForMachines,
    /// The page size is outside the allowed range.
    PageSizeRange,
    /// The page number is outside the allowed range.
    PageRange,
    /// Not a sortable field.
    SortField,
    /// Sort direction is asc or desc.
    SortDirection,
    /// CORE-02: the recipient is exempt from Digital Post and receives only mandatory mail.
    RecipientExempt,
    /// LOG-01: only an organisation allowed to serve legal notices (the courts) sends them.
    LegalNoticeNotAllowed,
    /// LOG-04: the period ends before it starts.
    PeriodReversed,
    /// LOG-04: more than 3 months between start and end.
    PeriodTooLong,
    /// LOG-04: the actions and searches logs reach back 3 months from today, no further.
    PeriodTooOld,
    /// Not a date `YYYY-MM-DD`.
    InvalidDate,
    /// A page cursor this search did not hand out.
    InvalidCursor,
    /// Neither a CPR nor a CVR number.
    CprOrCvr,
    /// LOG-02: not a RID, CPR, CVR or `CVR:12345678-RID:12345678910`.
    InvalidActor,
    /// EX-04: authorities cannot be exempted from Digital Post.
    AuthorityNotExemptible,
    /// A Danish postal code is 4 digits.
    InvalidPostalCode,
    /// EX-02: declining forwarding needs the party informed of the consequences.
    NotInformed,
    /// The CPR register has no person with this number.
    UnknownPerson,
    /// The CVR register has no company with this number.
    UnknownCompany,
    /// SMS-02: no confirmation link has this token.
    LinkUnknown,
    /// SMS-02: the confirmation link has been used already.
    LinkUsed,
    /// SMS-02: the confirmation link has expired, or a newer number or an unenrolment replaced it.
    LinkExpired,
    /// SMS-02: the party is enrolled in NemSMS already.
    AlreadyEnrolled,
    /// SMS-03: the new number is the one enrolled or waiting.
    SameNumber,
    /// ACC-03: the giver cannot be their own holder.
    HolderIsGiver,
    /// ACC-03: the holder has access already.
    DuplicateHolder,
    /// ACC-03: the giver has 10 holders already.
    TooManyHolders,
    /// INFO-01: a loopback, private, link-local or metadata address.
    ForbiddenAddress,
    /// INFO-02: the file is not a PNG image.
    NotPng,
    /// INFO-02: the PNG is damaged or incomplete.
    UnreadablePng,
    /// INFO-02: the image is wider or taller than allowed.
    DimensionsTooLarge,
    /// Issue 29: the uploaded file took more memory or time to read than any real one does.
    FileTooComplex,
    /// MV-01: the contact point is not active or not bound to an active recipient system.
    InactiveContactPoint,
    /// MV-03: the deletion from the platforms must be accepted.
    MustConfirmDeletion,
    /// ST-04: a report's period is at most one year.
    PeriodOverOneYear,
    /// ST-04: the period cannot end after today.
    InTheFuture,
    /// ST-04: the variable is chosen twice.
    DuplicateVariable,
    /// Issue 30 (`/readyz`): a background job has completed no round within its period.
    JobStale,
}

impl FieldCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldCode::Required => "required",
            FieldCode::TooLong => "too_long",
            FieldCode::TooMany => "too_many",
            FieldCode::TooSmall => "too_small",
            FieldCode::TooLarge => "too_large",
            FieldCode::AboveMaximum => "above_maximum",
            FieldCode::Invalid => "invalid",
            FieldCode::Malformed => "malformed",
            FieldCode::Unknown => "unknown",
            FieldCode::Unreadable => "unreadable",
            FieldCode::CvrFormat => "cvr_format",
            FieldCode::CvrChecksum => "cvr_checksum",
            FieldCode::CprFormat => "cpr_format",
            FieldCode::CprDate => "cpr_date",
            FieldCode::InvalidEmail => "invalid_email",
            FieldCode::InvalidPhone => "invalid_phone",
            FieldCode::InvalidUrl => "invalid_url",
            FieldCode::HttpsRequired => "https_required",
            FieldCode::InvalidIp => "invalid_ip",
            FieldCode::InvalidRange => "invalid_range",
            FieldCode::OneRangeOnly => "one_range_only",
            FieldCode::RangeWithAddresses => "range_with_addresses",
            FieldCode::InvalidSshKey => "invalid_ssh_key",
            FieldCode::RsaTooShort => "rsa_too_short",
            FieldCode::UnsupportedSshKey => "unsupported_ssh_key",
            FieldCode::NotApplicable => "not_applicable",
            FieldCode::NotAllowedForRole => "not_allowed_for_role",
            FieldCode::UnknownVendor => "unknown_vendor",
            FieldCode::BeforeActivation => "before_activation",
            FieldCode::InThePast => "in_the_past",
            FieldCode::RequiresActivation => "requires_activation",
            FieldCode::PrimaryMustReceive => "primary_must_receive",
            FieldCode::CompanyOneRecipientSystem => "company_one_recipient_system",
            FieldCode::MustAccept => "must_accept",
            FieldCode::LockedWhileActive => "locked_while_active",
            FieldCode::LockedByStandardSystem => "locked_by_standard_system",
            FieldCode::InUse => "in_use",
            FieldCode::HasBoundContactPoints => "has_bound_contact_points",
            FieldCode::InvalidKeyword => "invalid_keyword",
            FieldCode::DuplicateKeyword => "duplicate_keyword",
            FieldCode::UnknownGroup => "unknown_group",
            FieldCode::Cycle => "cycle",
            FieldCode::NotARecipientSystem => "not_a_recipient_system",
            FieldCode::Semicolon => "semicolon",
            FieldCode::InvalidYesNo => "invalid_yes_no",
            FieldCode::InvalidNumber => "invalid_number",
            FieldCode::InvalidAudience => "invalid_audience",
            FieldCode::InvalidCode => "invalid_code",
            FieldCode::MissingSheet => "missing_sheet",
            FieldCode::MissingColumn => "missing_column",
            FieldCode::NotAWorkbook => "not_a_workbook",
            FieldCode::DuplicateId => "duplicate_id",
            FieldCode::AmbiguousGroup => "ambiguous_group",
            FieldCode::UnknownFormat => "unknown_format",
            FieldCode::NotPdf => "not_pdf",
            FieldCode::UnreadablePdf => "unreadable_pdf",
            FieldCode::EncryptedPdf => "encrypted_pdf",
            FieldCode::EmptyPdf => "empty_pdf",
            FieldCode::UnknownRight => "unknown_right",
            FieldCode::NotGrantable => "not_grantable",
            FieldCode::NotForMachines => "not_for_machines",
            FieldCode::PageSizeRange => "page_size_range",
            FieldCode::PageRange => "page_range",
            FieldCode::SortField => "sort_field",
            FieldCode::SortDirection => "sort_direction",
            FieldCode::RecipientExempt => "recipient_exempt",
            FieldCode::LegalNoticeNotAllowed => "legal_notice_not_allowed",
            FieldCode::PeriodReversed => "period_reversed",
            FieldCode::PeriodTooLong => "period_too_long",
            FieldCode::PeriodTooOld => "period_too_old",
            FieldCode::InvalidDate => "invalid_date",
            FieldCode::InvalidCursor => "invalid_cursor",
            FieldCode::CprOrCvr => "cpr_or_cvr",
            FieldCode::InvalidActor => "invalid_actor",
            FieldCode::AuthorityNotExemptible => "authority_not_exemptible",
            FieldCode::InvalidPostalCode => "invalid_postal_code",
            FieldCode::NotInformed => "not_informed",
            FieldCode::UnknownPerson => "unknown_person",
            FieldCode::UnknownCompany => "unknown_company",
            FieldCode::LinkUnknown => "link_unknown",
            FieldCode::LinkUsed => "link_used",
            FieldCode::LinkExpired => "link_expired",
            FieldCode::AlreadyEnrolled => "already_enrolled",
            FieldCode::SameNumber => "same_number",
            FieldCode::HolderIsGiver => "holder_is_giver",
            FieldCode::DuplicateHolder => "duplicate_holder",
            FieldCode::TooManyHolders => "too_many_holders",
            FieldCode::ForbiddenAddress => "forbidden_address",
            FieldCode::NotPng => "not_png",
            FieldCode::UnreadablePng => "unreadable_png",
            FieldCode::DimensionsTooLarge => "dimensions_too_large",
            FieldCode::FileTooComplex => "file_too_complex",
            FieldCode::InactiveContactPoint => "inactive_contact_point",
            FieldCode::MustConfirmDeletion => "must_confirm_deletion",
            FieldCode::PeriodOverOneYear => "period_over_one_year",
            FieldCode::InTheFuture => "in_the_future",
            FieldCode::DuplicateVariable => "duplicate_variable",
            FieldCode::JobStale => "job_stale",
        }
    }
}

impl std::fmt::Display for FieldCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field that failed validation. `field` is the JSON name (camelCase) or query parameter;
/// `code` says why, as a stable [`FieldCode`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
    /// English fallback text for integrators; the SPA shows its own translation of `code`.
    pub message: String,
}

/// `application/problem+json` (RFC 9457) with our `code` and field-level `errors` extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// URI identifying the problem type.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path the problem occurred on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// With `conflict`: which rule refused the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ConflictReason>,
    /// With `conflict`: what stands in the way (e.g. the names of bound contact points).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

/// Media type of [`Problem`] bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
