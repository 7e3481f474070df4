//! Form fields in DKFDS style with inline Danish error texts, shared by every module's forms.

use adgang_api_types::FieldError;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{conflict_key, error_key, use_i18n, I18n, Key};

/// One field error as the user reads it: its text, and for an entry of a list field its noun
/// and position — "IP-adresse 3: IP-adressen er ikke gyldig." (X-04: the error names the entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMessage {
    pub key: Key,
    /// The entry's noun and 1-based position, for `allowedIps[2]` (IP-adresse, 3).
    pub entry: Option<(Key, usize)>,
}

impl FieldMessage {
    pub fn text(self, i18n: I18n) -> String {
        match self.entry {
            Some((noun, n)) => format!("{} {n}: {}", i18n.t(noun), i18n.t(self.key)),
            None => i18n.t(self.key).to_owned(),
        }
    }
}

/// The noun a list field's entries go by in an error message.
fn entry_noun(list: &str) -> Key {
    match list {
        "allowedIps" => Key::entry_ip,
        "keywords" => Key::entry_keyword,
        "codes" => Key::entry_code,
        "groupIds" | "parentIds" => Key::entry_group,
        _ => Key::entry_other,
    }
}

/// The text for a code where one field needs its own words (issue 32 item 8: a past last day
/// of an access is not "…or activate now", which belongs to a system's activation time).
fn field_error_key(field: &str, code: adgang_api_types::FieldCode) -> Key {
    use adgang_api_types::FieldCode as C;
    match (field, code) {
        ("activation.at", C::InThePast) => Key::err_in_the_past_activate,
        ("expiresOn", C::InThePast) => Key::err_last_day_not_after_today,
        _ => error_key(code),
    }
}

/// The error texts for API fields whose name is one of `prefixes` or starts with one followed
/// by `[` (its list items, named by position).
pub fn errors_for(
    errors: RwSignal<Vec<FieldError>>,
    prefixes: &'static [&'static str],
) -> Signal<Vec<FieldMessage>> {
    Signal::derive(move || {
        errors.with(|errors| {
            errors
                .iter()
                .filter_map(|e| {
                    let key = field_error_key(&e.field, e.code);
                    prefixes.iter().find_map(|p| {
                        if e.field == *p {
                            return Some(FieldMessage { key, entry: None });
                        }
                        let index = e.field.strip_prefix(p)?.strip_prefix('[')?;
                        let index: usize = index.split(']').next()?.parse().ok()?;
                        Some(FieldMessage {
                            key,
                            entry: Some((entry_noun(p), index + 1)),
                        })
                    })
                })
                .collect()
        })
    })
}

/// A form request's answer with its field errors cleared; else `None`, the page showing why.
pub fn accepted<T>(
    result: Result<T, ApiError>,
    errors: RwSignal<Vec<FieldError>>,
    conflict: Option<RwSignal<Option<Key>>>,
    failed: RwSignal<bool>,
) -> Option<T> {
    match result {
        Ok(answer) => {
            errors.set(Vec::new());
            return Some(answer);
        }
        Err(ApiError::Problem(p)) if p.status == 400 => errors.set(p.errors),
        Err(ApiError::Problem(p)) => match (conflict, p.reason) {
            (Some(conflict), Some(reason)) => conflict.set(Some(conflict_key(reason))),
            _ => failed.set(true),
        },
        Err(ApiError::Network(_)) => failed.set(true),
    }
    None
}

/// Inline error text under a label (DKFDS `form-error-message`).
#[component]
pub fn ErrorText(errors: Signal<Vec<FieldMessage>>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !errors.get().is_empty()>
            <span class="form-error-message" id=id.clone() role="alert">
                {move || errors.get().into_iter().map(|m| m.text(i18n)).collect::<Vec<_>>().join(" ")}
            </span>
        </Show>
    }
}

pub fn group_class(errors: Signal<Vec<FieldMessage>>) -> impl Fn() -> &'static str {
    move || {
        if errors.get().is_empty() {
            "form-group"
        } else {
            "form-group form-error"
        }
    }
}

/// A labelled text input with hint and inline errors.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    label: Key,
    value: RwSignal<String>,
    errors: Signal<Vec<FieldMessage>>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (error_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
    let described_by = hint.map(|_| hint_id.clone());
    view! {
        <div class=group_class(errors)>
            <label class="form-label" for=id.clone()>{move || i18n.t(label)}</label>
            {hint.map(|h| view! { <span class="form-hint" id=hint_id>{move || i18n.t(h)}</span> })}
            <ErrorText errors=errors id=error_id/>
            <input class="form-input" id=id type=input_type.unwrap_or("text") autocomplete="off"
                disabled=disabled
                aria-describedby=described_by
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// A labelled textarea with hint and inline errors.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    label: Key,
    value: RwSignal<String>,
    errors: Signal<Vec<FieldMessage>>,
    hint: Key,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (error_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
    view! {
        <div class=group_class(errors)>
            <label class="form-label" for=id.clone()>{move || i18n.t(label)}</label>
            <span class="form-hint" id=hint_id.clone()>{move || i18n.t(hint)}</span>
            <ErrorText errors=errors id=error_id/>
            <textarea class="form-input" id=id rows="4" disabled=disabled aria-describedby=hint_id
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        </div>
    }
}

/// A checkbox with its label, wired to any state: a flag, or a member of a list.
pub fn checkbox(id: String, label: String, checked: Signal<bool>, set: Callback<bool>) -> AnyView {
    view! {
        <div class="form-group-checkbox">
            <input type="checkbox" class="form-checkbox" id=id.clone() prop:checked=move || checked.get()
                on:change=move |ev| set.run(event_target_checked(&ev))/>
            <label for=id>{label}</label>
        </div>
    }
    .into_any()
}

/// A radio button with a translated label, wired to any state (`checked`, and `pick` on choice).
pub fn radio(
    name: &'static str,
    id: &'static str,
    label: Key,
    checked: Signal<bool>,
    pick: Callback<()>,
) -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class="form-group-radio">
            <input type="radio" class="form-radio" name=name id=id prop:checked=move || checked.get()
                on:change=move |_| pick.run(())/>
            <label for=id>{i18n.text(label)}</label>
        </div>
    }
    .into_any()
}

/// A checkbox for a yes/no flag, labelled with a translated text.
pub fn flag_checkbox(id: &str, label: Key, value: RwSignal<bool>) -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class="form-group-checkbox">
            <input type="checkbox" class="form-checkbox" id=id.to_owned() prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))/>
            <label for=id.to_owned()>{i18n.text(label)}</label>
        </div>
    }
    .into_any()
}

/// The file a file input's `change` event chose, if any (uploads and the SSH key file).
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = event_target(ev);
    input.files().and_then(|files| files.get(0))
}
