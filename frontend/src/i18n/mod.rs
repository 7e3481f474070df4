//! The UI's texts: Danish by default, English on request, remembered in localStorage.

use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Da,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    fn from_code(code: &str) -> Option<Lang> {
        match code {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

const STORAGE_KEY: &str = "adgang.lang";

/// The current language, shared through Leptos context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Creates the language state (stored choice or Danish) and provides it to the app.
    pub fn provide() -> I18n {
        let stored = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|code| Lang::from_code(&code));
        let i18n = I18n {
            lang: RwSignal::new(stored.unwrap_or(Lang::Da)),
        };
        Effect::new(move |_| {
            let lang = i18n.lang.get();
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
        });
        provide_context(i18n);
        i18n
    }

    /// The text for `key` in the current language; reactive when read inside a closure.
    pub fn t(self, key: Key) -> &'static str {
        lookup(self.lang.get(), key)
    }

    /// The text for `key` as a reactive view or attribute value. Every key shares one closure
    /// type, so the view code for it exists once in the WASM instead of once per text (a
    /// `move || i18n.t(Key::…)` at each place costs ~100 bytes gzipped).
    pub fn text(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// One of the two names an API type carries (`danish()`/`english()`: log events, report
    /// variables…), in the current language; reactive when read inside a closure.
    pub fn either(self, danish: &'static str, english: &'static str) -> &'static str {
        match self.lang() {
            Lang::Da => danish,
            Lang::En => english,
        }
    }

    pub fn toggle(self) {
        let next = match self.lang.get_untracked() {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        };
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, next.code());
        }
        self.lang.set(next);
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The tab title and card text of a module (SPEC §0 card texts).
pub fn module_texts(module: adgang_api_types::Module) -> (Key, Key) {
    use adgang_api_types::Module as M;
    match module {
        M::SystemConnection => (
            Key::module_system_connection_tab,
            Key::module_system_connection_card,
        ),
        M::ContactStructure => (
            Key::module_contact_structure_tab,
            Key::module_contact_structure_card,
        ),
        M::EventLog => (Key::module_event_log_tab, Key::module_event_log_card),
        M::CitizenExemption => (
            Key::module_citizen_exemption_tab,
            Key::module_citizen_exemption_card,
        ),
        M::CompanyExemption => (
            Key::module_company_exemption_tab,
            Key::module_company_exemption_card,
        ),
        M::CitizenNemSms => (
            Key::module_citizen_nemsms_tab,
            Key::module_citizen_nemsms_card,
        ),
        M::CompanyNemSms => (
            Key::module_company_nemsms_tab,
            Key::module_company_nemsms_card,
        ),
        M::MailAccess => (Key::module_mail_access_tab, Key::module_mail_access_card),
        M::AuthorityInformation => (
            Key::module_authority_information_tab,
            Key::module_authority_information_card,
        ),
        M::Recall => (Key::module_recall_tab, Key::module_recall_card),
        M::Statistics => (Key::module_statistics_tab, Key::module_statistics_card),
        M::MoveMail => (Key::module_move_mail_tab, Key::module_move_mail_card),
    }
}

/// The name of a right (SPEC §0 Danish names).
pub fn right_key(right: adgang_api_types::Right) -> Key {
    use adgang_api_types::Right as R;
    match right {
        R::SystemAdmin => Key::right_system_admin,
        R::ContactAdmin => Key::right_contact_admin,
        R::LogMessages => Key::right_log_messages,
        R::LogActions => Key::right_log_actions,
        R::LogSearches => Key::right_log_searches,
        R::CitizenService => Key::right_citizen_service,
        R::BusinessService => Key::right_business_service,
        R::StatisticsAdmin => Key::right_statistics_admin,
        R::RightsAdmin => Key::right_rights_admin,
        R::Operator => Key::right_operator,
    }
}

/// The text for the rule a 409 answered by; no wildcard arm, so a new reason without a text
/// does not compile.
pub fn conflict_key(reason: adgang_api_types::ConflictReason) -> Key {
    use adgang_api_types::ConflictReason as R;
    match reason {
        R::OrganisationExists => Key::err_conflict_organisation_exists,
        R::AlreadyOnboarded => Key::err_conflict_already_onboarded,
        R::SystemHasBoundContactPoints => Key::err_conflict_bound_points,
        R::PrimaryWithOtherRecipientSystems => Key::err_conflict_primary,
        R::MessageIdReused => Key::err_conflict_message_id_reused,
        R::ExportRequired => Key::err_conflict_export_required,
        R::ExportNotReady => Key::err_conflict_export_not_ready,
        R::AlreadyExempt => Key::err_conflict_already_exempt,
        R::ExemptionEnded => Key::err_conflict_exemption_ended,
        R::EnrolmentEnded => Key::err_conflict_enrolment_ended,
        R::AccessEnded => Key::err_conflict_access_ended,
        R::NoValueDate => Key::err_conflict_no_value_date,
        R::ValueDatePassed => Key::err_conflict_value_date_passed,
        R::AlreadyRecalled => Key::err_conflict_already_recalled,
        R::MoveMailRunning => Key::err_conflict_move_mail_running,
        R::LastRightsAdmin => Key::err_conflict_last_rights_admin,
        R::AlreadySubscribed => Key::err_conflict_already_subscribed,
        R::IntervalFixed => Key::err_conflict_interval_fixed,
        R::NotCancellable => Key::err_conflict_not_cancellable,
        R::SubscriptionCancelled => Key::err_conflict_subscription_cancelled,
        R::ReportNotReady => Key::err_conflict_report_not_ready,
        R::ReportDeleted => Key::err_conflict_report_deleted,
    }
}

/// The text for a field error code from the API. No wildcard arm: a new code without a text
/// does not compile.
pub fn error_key(code: adgang_api_types::FieldCode) -> Key {
    use adgang_api_types::FieldCode as C;
    match code {
        C::Required => Key::err_required,
        C::TooLong => Key::error_too_long,
        C::TooMany => Key::err_too_many,
        C::TooSmall => Key::err_too_small,
        C::TooLarge => Key::err_too_large,
        C::AboveMaximum => Key::err_above_maximum,
        C::Invalid => Key::err_invalid,
        C::Malformed => Key::err_malformed,
        C::Unknown => Key::err_unknown,
        C::Unreadable => Key::err_unreadable,
        C::CvrFormat => Key::error_cvr_format,
        C::CvrChecksum => Key::error_cvr_checksum,
        C::CprFormat => Key::err_cpr_format,
        C::CprDate => Key::err_cpr_date,
        C::InvalidEmail => Key::err_invalid_email,
        C::InvalidPhone => Key::err_invalid_phone,
        C::InvalidUrl => Key::err_invalid_url,
        C::HttpsRequired => Key::err_https_required,
        C::InvalidIp => Key::err_invalid_ip,
        C::InvalidRange => Key::err_invalid_range,
        C::OneRangeOnly => Key::err_one_range_only,
        C::RangeWithAddresses => Key::err_range_with_addresses,
        C::InvalidSshKey => Key::err_invalid_ssh_key,
        C::RsaTooShort => Key::err_rsa_too_short,
        C::UnsupportedSshKey => Key::err_unsupported_ssh_key,
        C::NotApplicable => Key::err_not_applicable,
        C::NotAllowedForRole => Key::err_not_allowed_for_role,
        C::UnknownVendor => Key::err_unknown_vendor,
        C::BeforeActivation => Key::err_before_activation,
        C::InThePast => Key::err_in_the_past,
        C::RequiresActivation => Key::err_requires_activation,
        C::PrimaryMustReceive => Key::err_primary_must_receive,
        C::CompanyOneRecipientSystem => Key::err_company_one_recipient_system,
        C::MustAccept => Key::err_must_accept,
        C::LockedWhileActive => Key::err_locked_while_active,
        C::InUse => Key::err_in_use,
        C::LockedByStandardSystem => Key::err_locked_by_standard_system,
        C::HasBoundContactPoints => Key::err_has_bound_contact_points,
        C::InvalidKeyword => Key::err_invalid_keyword,
        C::DuplicateKeyword => Key::err_duplicate_keyword,
        C::UnknownGroup => Key::err_unknown_group,
        C::Cycle => Key::err_cycle,
        C::NotARecipientSystem => Key::err_not_a_recipient_system,
        C::Semicolon => Key::err_semicolon,
        C::InvalidYesNo => Key::err_invalid_yes_no,
        C::InvalidNumber => Key::err_invalid_number,
        C::InvalidAudience => Key::err_invalid_audience,
        C::InvalidCode => Key::err_invalid_code,
        C::MissingSheet => Key::err_missing_sheet,
        C::MissingColumn => Key::err_missing_column,
        C::NotAWorkbook => Key::err_not_a_workbook,
        C::DuplicateId => Key::err_duplicate_id,
        C::AmbiguousGroup => Key::err_ambiguous_group,
        C::UnknownFormat => Key::err_unknown_format,
        C::NotPdf => Key::error_not_pdf,
        C::UnreadablePdf => Key::error_unreadable_pdf,
        C::EncryptedPdf => Key::error_encrypted_pdf,
        C::EmptyPdf => Key::error_empty_pdf,
        C::UnknownRight => Key::err_unknown_right,
        C::NotGrantable => Key::err_not_grantable,
        C::NotForMachines => Key::err_not_for_machines,
        C::PageSizeRange => Key::err_page_size_range,
        C::PageRange => Key::err_page_range,
        C::SortField => Key::err_sort_field,
        C::SortDirection => Key::err_sort_direction,
        C::RecipientExempt => Key::err_recipient_exempt,
        C::LegalNoticeNotAllowed => Key::err_legal_notice_not_allowed,
        C::PeriodReversed => Key::err_period_reversed,
        C::PeriodTooLong => Key::err_period_too_long,
        C::PeriodTooOld => Key::err_period_too_old,
        C::InvalidDate => Key::err_invalid_date,
        C::InvalidCursor => Key::err_invalid_cursor,
        C::CprOrCvr => Key::err_cpr_or_cvr,
        C::InvalidActor => Key::err_invalid_actor,
        C::AuthorityNotExemptible => Key::err_authority_not_exemptible,
        C::InvalidPostalCode => Key::err_invalid_postal_code,
        C::NotInformed => Key::err_not_informed,
        C::UnknownPerson => Key::err_unknown_person,
        C::UnknownCompany => Key::err_unknown_company,
        C::LinkUnknown => Key::err_link_unknown,
        C::LinkUsed => Key::err_link_used,
        C::LinkExpired => Key::err_link_expired,
        C::AlreadyEnrolled => Key::err_already_enrolled,
        C::SameNumber => Key::err_same_number,
        C::HolderIsGiver => Key::err_holder_is_giver,
        C::DuplicateHolder => Key::err_duplicate_holder,
        C::TooManyHolders => Key::err_too_many_holders,
        C::ForbiddenAddress => Key::err_forbidden_address,
        C::NotPng => Key::err_not_png,
        C::UnreadablePng => Key::err_unreadable_png,
        C::DimensionsTooLarge => Key::err_dimensions_too_large,
        C::FileTooComplex => Key::err_file_too_complex,
        C::InactiveContactPoint => Key::err_inactive_contact_point,
        C::MustConfirmDeletion => Key::err_must_confirm_deletion,
        C::PeriodOverOneYear => Key::err_period_over_one_year,
        C::InTheFuture => Key::err_in_the_future,
        C::DuplicateVariable => Key::err_duplicate_variable,
        C::JobStale => Key::err_job_stale,
    }
}

/// Soft hyphens (U+00AD) at the compound and syllable joints of the long words in the card
/// headings, so a narrow card breaks "Myndigheds-information" and never mid-syllable. Only the
/// cards use it: titles, tabs and headings keep the plain text.
const SOFT_HYPHENS: [(&str, &str); 7] = [
    ("Myndigheds", "Myndig\u{ad}heds\u{ad}"),
    ("Rettigheds", "Rettig\u{ad}heds\u{ad}"),
    ("administration", "admini\u{ad}stration"),
    ("information", "infor\u{ad}mation"),
    ("Systemtilslutning", "System\u{ad}tilslut\u{ad}ning"),
    ("Kontaktstruktur", "Kontakt\u{ad}struktur"),
    ("Hændelseslog", "Hændelses\u{ad}log"),
];

/// `text` with soft hyphens where [`SOFT_HYPHENS`] knows the word.
pub fn hyphenated(text: &str) -> String {
    SOFT_HYPHENS
        .iter()
        .fold(text.to_owned(), |text, (word, marked)| {
            text.replace(word, marked)
        })
}
