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

/// The text for a field error code from the API (SPEC §2 and shared codes).
pub fn error_key(code: &str) -> Key {
    match code {
        "required" => Key::err_required,
        "too_long" => Key::error_too_long,
        "too_many" => Key::err_too_many_ips,
        "one_range_only" => Key::err_one_range_only,
        "range_with_addresses" => Key::err_range_with_addresses,
        "invalid_range" => Key::err_invalid_range,
        "invalid_ip" => Key::err_invalid_ip,
        "https_required" => Key::err_https_required,
        "invalid_url" => Key::err_invalid_url,
        "not_applicable" => Key::err_not_applicable,
        "not_allowed_for_role" => Key::err_not_allowed_for_role,
        "invalid_ssh_key" => Key::err_invalid_ssh_key,
        "rsa_too_short" => Key::err_rsa_too_short,
        "unsupported_ssh_key" => Key::err_unsupported_ssh_key,
        "cvr_format" => Key::error_cvr_format,
        "cvr_checksum" => Key::error_cvr_checksum,
        "unknown_vendor" => Key::err_unknown_vendor,
        "before_activation" => Key::err_before_activation,
        "requires_activation" => Key::err_requires_activation,
        "invalid_email" => Key::err_invalid_email,
        "invalid_phone" => Key::err_invalid_phone,
        "company_one_recipient_system" => Key::err_company_one_recipient_system,
        "primary_must_receive" => Key::err_primary_must_receive,
        "locked_while_active" => Key::err_locked_while_active,
        "locked_by_standard_system" => Key::err_locked_by_standard_system,
        "must_accept" => Key::err_must_accept,
        "above_maximum" => Key::err_above_maximum,
        "too_small" => Key::err_too_small,
        "invalid_keyword" => Key::err_invalid_keyword,
        "duplicate_keyword" => Key::err_duplicate_keyword,
        "unknown_group" => Key::err_unknown_group,
        "cycle" => Key::err_cycle,
        "not_a_recipient_system" => Key::err_not_a_recipient_system,
        "invalid_yes_no" => Key::err_invalid_yes_no,
        "invalid_number" => Key::err_invalid_number,
        "invalid_audience" => Key::err_invalid_audience,
        "invalid_code" => Key::err_invalid_code,
        "missing_sheet" => Key::err_missing_sheet,
        "missing_column" => Key::err_missing_column,
        "not_a_workbook" => Key::err_not_a_workbook,
        "duplicate_id" => Key::err_duplicate_id,
        "ambiguous_group" => Key::err_ambiguous_group,
        "semicolon" => Key::err_semicolon,
        _ => Key::error_generic,
    }
}
