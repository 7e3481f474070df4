//! The contact-point wizard's steps as views — name and groups, availability, keywords and
//! codes, recipient system — and the summary with "Redigér" per part.

use adgang_api_types::{CodeKind, ContactPointCode, RecipientSystemChoice};
use leptos::prelude::*;

use super::point::audience_key;
use super::point_draft::{megabytes, PointDraft};
use crate::components::alert::ErrorAlert;
use crate::components::form::{checkbox, flag_checkbox, ErrorText, TextArea, TextField};
use crate::components::wizard::{summary_row, WizardSteps};
use crate::i18n::{I18n, Key};

fn code_kind_key(kind: CodeKind) -> Key {
    match kind {
        CodeKind::Classification => Key::cp_code_classification,
        CodeKind::Location => Key::cp_code_location,
        CodeKind::Custom => Key::cp_code_custom,
    }
}

pub(super) fn step_name(draft: PointDraft, groups: Vec<(String, String)>, i18n: I18n) -> AnyView {
    let group_errors = draft.errors_for(&["groupIds"]);
    view! {
        <TextField id="cp-name" label=Key::cp_name value=draft.name errors=draft.errors_for(&["name"]) hint=Key::cp_name_hint/>
        <TextArea id="cp-description" label=Key::cp_description value=draft.description errors=draft.errors_for(&["description"]) hint=Key::cp_description_hint/>
        <TextArea id="cp-note" label=Key::cp_note value=draft.note errors=draft.errors_for(&["internalNote"]) hint=Key::cp_note_hint/>
        <fieldset class="form-group">
            <legend class="form-label">{i18n.text(Key::cp_groups)}</legend>
            <span class="form-hint">{i18n.text(Key::cp_groups_hint)}</span>
            <ErrorText errors=group_errors id="cp-groups-error".to_owned()/>
            {groups.into_iter().map(|(id, label)| {
                let gid = id.clone();
                checkbox(
                    format!("cp-group-{id}"),
                    label,
                    Signal::derive(move || draft.groups.get().contains(&gid)),
                    Callback::new(move |on: bool| draft.groups.update(|g| {
                        g.retain(|x| x != &id);
                        if on { g.push(id.clone()) }
                    })),
                )
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

pub(super) fn step_availability(draft: PointDraft, i18n: I18n) -> AnyView {
    let audience_errors = draft.errors_for(&["audiences"]);
    view! {
        <fieldset class="form-group">
            <legend class="form-label">{i18n.text(Key::cp_visibility)}</legend>
            {flag_checkbox("cp-visible", Key::cp_visible, draft.visible)}
            <span class="form-hint">{i18n.text(Key::cp_visible_hint)}</span>
        </fieldset>
        <fieldset class=move || if audience_errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
            <legend class="form-label">{i18n.text(Key::cp_audiences)}</legend>
            <ErrorText errors=audience_errors id="cp-audiences-error".to_owned()/>
            {flag_checkbox("cp-citizens", Key::cp_citizens, draft.citizens)}
            {flag_checkbox("cp-businesses", Key::cp_businesses, draft.businesses)}
        </fieldset>
        <TextField id="cp-size" label=Key::cp_size value=draft.size_mb errors=draft.errors_for(&["capacity.maxMessageSizeBytes"]) hint=Key::cp_size_hint/>
        <TextField id="cp-attachments" label=Key::cp_attachments value=draft.attachments errors=draft.errors_for(&["capacity.maxAttachments"]) input_type="number"/>
        <fieldset class="form-group">
            <legend class="form-label">{i18n.text(Key::cp_link)}</legend>
            <span class="form-hint">{i18n.text(Key::cp_link_hint)}</span>
            <TextField id="cp-link-heading" label=Key::cp_link_heading value=draft.link_heading errors=draft.errors_for(&["externalLink.heading"])/>
            <TextField id="cp-link-description" label=Key::cp_description value=draft.link_description errors=draft.errors_for(&["externalLink.description"])/>
            <TextField id="cp-link-text" label=Key::cp_link_text value=draft.link_text errors=draft.errors_for(&["externalLink.linkText"])/>
            <TextField id="cp-link-url" label=Key::cp_link_url value=draft.link_url errors=draft.errors_for(&["externalLink.url"]) hint=Key::wiz_url_hint/>
        </fieldset>
        <fieldset class="form-group">
            <legend class="form-label">{i18n.text(Key::cp_input_fields)}</legend>
            <span class="form-hint">{i18n.text(Key::cp_input_fields_hint)}</span>
            <TextField id="cp-field-1" label=Key::cp_input_field_1 value=draft.field1 errors=draft.errors_for(&["inputFields[0]"])/>
            <TextField id="cp-field-2" label=Key::cp_input_field_2 value=draft.field2 errors=draft.errors_for(&["inputFields[1]"])/>
        </fieldset>
    }
    .into_any()
}

pub(super) fn step_keywords(draft: PointDraft, i18n: I18n) -> AnyView {
    const KINDS: [CodeKind; 3] = [
        CodeKind::Classification,
        CodeKind::Location,
        CodeKind::Custom,
    ];
    let code_errors = draft.errors_for(&["codes"]);
    view! {
        <TextArea id="cp-keywords" label=Key::cp_keywords value=draft.keywords errors=draft.errors_for(&["keywords"]) hint=Key::cp_keywords_hint/>
        <fieldset class="form-group">
            <legend class="form-label">{i18n.text(Key::cp_codes)}</legend>
            <ErrorText errors=code_errors id="cp-codes-error".to_owned()/>
            {move || draft.codes.get().into_iter().enumerate().map(|(i, code)| view! {
                <div class="code-row">
                    <select class="form-select" id=format!("cp-code-kind-{i}") aria-label=i18n.text(Key::cp_code_kind)
                        on:change=move |ev| {
                            let kind = KINDS[event_target_value(&ev).parse::<usize>().unwrap_or(2).min(2)];
                            draft.codes.update(|c| c[i].kind = kind);
                        }>
                        {KINDS.iter().enumerate().map(|(k, kind)| {
                            let kind = *kind;
                            view! { <option value=k.to_string() selected=code.kind == kind>{move || i18n.t(code_kind_key(kind))}</option> }
                        }).collect_view()}
                    </select>
                    " "
                    <input class="form-input" id=format!("cp-code-value-{i}") aria-label=i18n.text(Key::cp_code_value)
                        prop:value=code.value.clone()
                        on:change=move |ev| { let v = event_target_value(&ev); draft.codes.update(|c| c[i].value = v) }/>
                    " "
                    <button type="button" class="button button-tertiary" on:click=move |_| draft.codes.update(|c| { c.remove(i); })>
                        {i18n.text(Key::cp_code_remove)}
                    </button>
                </div>
            }).collect_view()}
            <button type="button" class="button button-secondary" id="cp-code-add"
                on:click=move |_| draft.codes.update(|c| c.push(ContactPointCode { kind: CodeKind::Classification, value: String::new() }))>
                {i18n.text(Key::cp_code_add)}
            </button>
        </fieldset>
    }
    .into_any()
}

pub(super) fn step_recipient(
    draft: PointDraft,
    systems: Vec<RecipientSystemChoice>,
    i18n: I18n,
) -> AnyView {
    let errors = draft.errors_for(&["recipientSystemId"]);
    view! {
        <div class=move || if errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
            <label class="form-label" for="cp-system">{i18n.text(Key::cp_system)}</label>
            <span class="form-hint">{i18n.text(Key::cp_system_hint)}</span>
            <ErrorText errors=errors id="cp-system-error".to_owned()/>
            <select class="form-select" id="cp-system" on:change=move |ev| draft.recipient_system.set(event_target_value(&ev))>
                <option value="" selected=move || draft.recipient_system.get().is_empty()>{i18n.text(Key::cp_no_system)}</option>
                {systems.into_iter().map(|s| {
                    let id = s.id.clone();
                    view! { <option value=s.id selected=move || draft.recipient_system.get() == id>{s.name}</option> }
                }).collect_view()}
            </select>
        </div>
        {flag_checkbox("cp-active", Key::cp_active, draft.active)}
    }
    .into_any()
}

/// The summary: every part with "Redigér".
pub(super) fn summary(
    draft: PointDraft,
    groups: &[(String, String)],
    systems: &[RecipientSystemChoice],
    steps: WizardSteps,
    i18n: I18n,
) -> AnyView {
    let input = draft.input();
    let part = move |title: Key, target: usize, rows: Vec<AnyView>| {
        view! {
            <section class="summary-part" id=format!("cp-summary-{target}")>
                <h3>{move || i18n.t(title)}</h3>
                <dl>{rows}</dl>
                <button type="button" class="button button-tertiary" id=format!("cp-edit-{target}") on:click=move |_| steps.edit(target)>
                    {i18n.text(Key::wiz_edit)}
                </button>
            </section>
        }
    };
    let group_names: Vec<String> = groups
        .iter()
        .filter(|(id, _)| input.group_ids.contains(id))
        .map(|(_, label)| label.trim_start_matches("– ").to_owned())
        .collect();
    let system = input
        .recipient_system_id
        .as_ref()
        .and_then(|id| systems.iter().find(|s| &s.id == id))
        .map(|s| s.name.clone())
        .unwrap_or_else(|| i18n.t(Key::cp_no_system).to_owned());
    let yes_no = move |v: bool| i18n.t(if v { Key::yes } else { Key::no }).to_owned();
    let capacity = input.capacity.unwrap_or_default();
    view! {
        {(!draft.errors.get().is_empty()).then(|| view! {
            <ErrorAlert text=Key::wiz_errors/>
        })}
        {part(Key::cp_step_name, 0, vec![
            summary_row(Key::cp_name, input.name.clone()),
            summary_row(Key::cp_description, input.description.clone()),
            summary_row(Key::cp_note, input.internal_note.clone()),
            summary_row(Key::cp_groups, if group_names.is_empty() { i18n.t(Key::cs_top_level).to_owned() } else { group_names.join(", ") }),
        ])}
        {part(Key::cp_step_availability, 1, vec![
            summary_row(Key::cp_visible, yes_no(input.visible)),
            summary_row(Key::cp_audiences, input.audiences.iter().map(|a| i18n.t(audience_key(*a))).collect::<Vec<_>>().join(", ")),
            summary_row(Key::cp_size, format!("{} MB", megabytes(capacity.max_message_size_bytes))),
            summary_row(Key::cp_attachments, capacity.max_attachments.to_string()),
            summary_row(Key::cp_link, input.external_link.as_ref().map(|l| format!("{} – {}", l.heading, l.url)).unwrap_or_default()),
            summary_row(Key::cp_input_fields, input.input_fields.join(", ")),
        ])}
        {part(Key::cp_step_keywords, 2, vec![
            summary_row(Key::cp_keywords, input.keywords.join(", ")),
            summary_row(Key::cp_codes, input.codes.iter().map(|c| format!("{}: {}", i18n.t(code_kind_key(c.kind)), c.value)).collect::<Vec<_>>().join(", ")),
        ])}
        {part(Key::cp_step_recipient, 3, vec![
            summary_row(Key::cp_system, system),
            summary_row(Key::cp_active, yes_no(input.active)),
        ])}
    }
    .into_any()
}
