//! "Nyt kontaktpunkt" (CS-05): name, description and groups → availability → keywords and
//! codes → recipient system and activation → summary with "Redigér" per part → "Tilslut" →
//! receipt with the id, deep links, QR codes and the PDF. A point's detail page uses the same
//! editor, opened at the summary, with "Gem" instead of "Tilslut".

use std::collections::HashSet;

use adgang_api_types::{
    Audience, Capacity, CodeKind, ContactPoint, ContactPointCode, ContactPointInput, ExternalLink,
    FieldError, Module, RecipientSystemChoice,
};
use leptos::prelude::*;

use super::link;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::{groups_of, DeepLinks};
use crate::api::Authorised;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::form::{
    checkbox, errors_for, flag_checkbox, ErrorText, FieldMessage, TextArea, TextField,
};
use crate::components::module_gate::ModuleGate;
use crate::components::step_indicator::StepIndicator;
use crate::components::wizard::{WizardSteps, STEP_HEADING};
use crate::i18n::{use_i18n, I18n, Key};

const STEPS: [Key; 5] = [
    Key::cp_step_name,
    Key::cp_step_availability,
    Key::cp_step_keywords,
    Key::cp_step_recipient,
    Key::wiz_step_summary,
];
const SUMMARY: usize = 4;

/// The step that holds an API field.
fn step_of(field: &str) -> usize {
    match field.split(['.', '[']).next().unwrap_or_default() {
        "name" | "description" | "internalNote" | "groupIds" => 0,
        "visible" | "audiences" | "capacity" | "externalLink" | "inputFields" => 1,
        "keywords" | "codes" => 2,
        _ => 3,
    }
}

const MEBIBYTE: f64 = 1_048_576.0;

/// Bytes as Danish megabytes for the form ("99,5").
fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / MEBIBYTE).replace('.', ",")
}

/// Everything the user types, before it is sent.
#[derive(Clone, Copy)]
pub struct PointDraft {
    name: RwSignal<String>,
    description: RwSignal<String>,
    note: RwSignal<String>,
    groups: RwSignal<Vec<String>>,
    visible: RwSignal<bool>,
    citizens: RwSignal<bool>,
    businesses: RwSignal<bool>,
    size_mb: RwSignal<String>,
    attachments: RwSignal<String>,
    link_heading: RwSignal<String>,
    link_description: RwSignal<String>,
    link_text: RwSignal<String>,
    link_url: RwSignal<String>,
    field1: RwSignal<String>,
    field2: RwSignal<String>,
    /// One keyword per line (commas also separate).
    keywords: RwSignal<String>,
    codes: RwSignal<Vec<ContactPointCode>>,
    recipient_system: RwSignal<String>,
    active: RwSignal<bool>,
    errors: RwSignal<Vec<FieldError>>,
}

impl PointDraft {
    fn new() -> PointDraft {
        let defaults = Capacity::default();
        PointDraft {
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            groups: RwSignal::new(Vec::new()),
            visible: RwSignal::new(true),
            citizens: RwSignal::new(true),
            businesses: RwSignal::new(false),
            size_mb: RwSignal::new(megabytes(defaults.max_message_size_bytes)),
            attachments: RwSignal::new(defaults.max_attachments.to_string()),
            link_heading: RwSignal::new(String::new()),
            link_description: RwSignal::new(String::new()),
            link_text: RwSignal::new(String::new()),
            link_url: RwSignal::new(String::new()),
            field1: RwSignal::new(String::new()),
            field2: RwSignal::new(String::new()),
            keywords: RwSignal::new(String::new()),
            codes: RwSignal::new(Vec::new()),
            recipient_system: RwSignal::new(String::new()),
            active: RwSignal::new(true),
            errors: RwSignal::new(Vec::new()),
        }
    }

    fn load(&self, p: &ContactPoint) {
        let link = p.external_link.clone().unwrap_or(ExternalLink {
            heading: String::new(),
            description: String::new(),
            link_text: String::new(),
            url: String::new(),
        });
        self.name.set(p.name.clone());
        self.description.set(p.description.clone());
        self.note.set(p.internal_note.clone());
        self.groups.set(p.group_ids.clone());
        self.visible.set(p.visible);
        self.citizens.set(p.audiences.contains(&Audience::Citizens));
        self.businesses
            .set(p.audiences.contains(&Audience::Businesses));
        self.size_mb
            .set(megabytes(p.capacity.max_message_size_bytes));
        self.attachments.set(p.capacity.max_attachments.to_string());
        self.link_heading.set(link.heading);
        self.link_description.set(link.description);
        self.link_text.set(link.link_text);
        self.link_url.set(link.url);
        self.field1
            .set(p.input_fields.first().cloned().unwrap_or_default());
        self.field2
            .set(p.input_fields.get(1).cloned().unwrap_or_default());
        self.keywords.set(p.keywords.join("\n"));
        self.codes.set(p.codes.clone());
        self.recipient_system
            .set(p.recipient_system_id.clone().unwrap_or_default());
        self.active.set(p.active);
        self.errors.set(Vec::new());
    }

    fn input(&self) -> ContactPointInput {
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let mut audiences = Vec::new();
        if self.citizens.get_untracked() {
            audiences.push(Audience::Citizens);
        }
        if self.businesses.get_untracked() {
            audiences.push(Audience::Businesses);
        }
        // Unreadable numbers go as 0, which the API refuses with a field error.
        let mb: f64 = text(self.size_mb).replace(',', ".").parse().unwrap_or(0.0);
        let link_parts = [
            self.link_heading,
            self.link_description,
            self.link_text,
            self.link_url,
        ]
        .map(text);
        let external_link = link_parts
            .iter()
            .any(|p| !p.is_empty())
            .then(|| ExternalLink {
                heading: link_parts[0].clone(),
                description: link_parts[1].clone(),
                link_text: link_parts[2].clone(),
                url: link_parts[3].clone(),
            });
        let system = text(self.recipient_system);
        ContactPointInput {
            name: text(self.name),
            description: text(self.description),
            internal_note: text(self.note),
            group_ids: self.groups.get_untracked(),
            visible: self.visible.get_untracked(),
            audiences,
            capacity: Some(Capacity {
                max_message_size_bytes: (mb * MEBIBYTE).round() as u64,
                max_attachments: text(self.attachments).parse().unwrap_or(0),
            }),
            external_link,
            input_fields: [text(self.field1), text(self.field2)]
                .into_iter()
                .filter(|f| !f.is_empty())
                .collect(),
            keywords: self
                .keywords
                .get_untracked()
                .split(['\n', ','])
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect(),
            codes: self.codes.get_untracked(),
            recipient_system_id: (!system.is_empty()).then_some(system),
            active: self.active.get_untracked(),
        }
    }

    fn errors_for(&self, prefixes: &'static [&'static str]) -> Signal<Vec<FieldMessage>> {
        errors_for(self.errors, prefixes)
    }
}

fn code_kind_key(kind: CodeKind) -> Key {
    match kind {
        CodeKind::Classification => Key::cp_code_classification,
        CodeKind::Location => Key::cp_code_location,
        CodeKind::Custom => Key::cp_code_custom,
    }
}

pub(crate) fn audience_key(audience: Audience) -> Key {
    match audience {
        Audience::Citizens => Key::cp_citizens,
        Audience::Businesses => Key::cp_businesses,
    }
}

fn step_name(draft: PointDraft, groups: Vec<(String, String)>, i18n: I18n) -> AnyView {
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

fn step_availability(draft: PointDraft, i18n: I18n) -> AnyView {
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

fn step_keywords(draft: PointDraft, i18n: I18n) -> AnyView {
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

fn step_recipient(draft: PointDraft, systems: Vec<RecipientSystemChoice>, i18n: I18n) -> AnyView {
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
fn summary(
    draft: PointDraft,
    groups: &[(String, String)],
    systems: &[RecipientSystemChoice],
    steps: WizardSteps,
    i18n: I18n,
) -> AnyView {
    let input = draft.input();
    let row = move |label: Key, value: String| {
        view! { <div class="summary-row"><dt>{move || i18n.t(label)}</dt><dd>{value}</dd></div> }
    };
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
            <div class="alert alert-error" role="alert"><div class="alert-body"><p class="alert-text">{i18n.text(Key::wiz_errors)}</p></div></div>
        })}
        {part(Key::cp_step_name, 0, vec![
            row(Key::cp_name, input.name.clone()).into_any(),
            row(Key::cp_description, input.description.clone()).into_any(),
            row(Key::cp_note, input.internal_note.clone()).into_any(),
            row(Key::cp_groups, if group_names.is_empty() { i18n.t(Key::cs_top_level).to_owned() } else { group_names.join(", ") }).into_any(),
        ])}
        {part(Key::cp_step_availability, 1, vec![
            row(Key::cp_visible, yes_no(input.visible)).into_any(),
            row(Key::cp_audiences, input.audiences.iter().map(|a| i18n.t(audience_key(*a))).collect::<Vec<_>>().join(", ")).into_any(),
            row(Key::cp_size, format!("{} MB", megabytes(capacity.max_message_size_bytes))).into_any(),
            row(Key::cp_attachments, capacity.max_attachments.to_string()).into_any(),
            row(Key::cp_link, input.external_link.as_ref().map(|l| format!("{} – {}", l.heading, l.url)).unwrap_or_default()).into_any(),
            row(Key::cp_input_fields, input.input_fields.join(", ")).into_any(),
        ])}
        {part(Key::cp_step_keywords, 2, vec![
            row(Key::cp_keywords, input.keywords.join(", ")).into_any(),
            row(Key::cp_codes, input.codes.iter().map(|c| format!("{}: {}", i18n.t(code_kind_key(c.kind)), c.value)).collect::<Vec<_>>().join(", ")).into_any(),
        ])}
        {part(Key::cp_step_recipient, 3, vec![
            row(Key::cp_system, system).into_any(),
            row(Key::cp_active, yes_no(input.active)).into_any(),
        ])}
    }
    .into_any()
}

/// The wizard (`existing` None) or the editor of a saved point (opened at the summary).
#[component]
fn PointEditor(existing: Option<ContactPoint>, on_saved: Callback<ContactPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let draft = PointDraft::new();
    let editing_id = existing.as_ref().map(|p| p.id.clone());
    let steps = WizardSteps::new(if existing.is_some() { SUMMARY } else { 0 }, SUMMARY);
    let step = steps.step;
    if let Some(p) = &existing {
        draft.load(p);
    }
    let sending = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // The groups to place the point in and the recipient systems to bind it to.
    let choices = RwSignal::new(None::<(Vec<(String, String)>, Vec<RecipientSystemChoice>)>);
    if let Some(client) = Authorised::of(auth) {
        spawn_local(async move {
            let tree = api::contacts::tree(&client).await.unwrap_or_default();
            let mut groups = Vec::new();
            groups_of(&tree, 0, &mut HashSet::new(), &mut groups);
            let systems = api::contacts::recipient_systems(&client)
                .await
                .unwrap_or_default();
            choices.set(Some((groups, systems)));
        });
    }

    let check_id = editing_id.clone();
    let next = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        if steps.checking.get_untracked() {
            return;
        }
        let (input, id) = (draft.input(), check_id.clone());
        steps.check_and_go(
            async move { api::contacts::check_point(&client, id.as_deref(), &input).await },
            step_of,
            draft.errors,
            failed,
        );
    };

    let save = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let input = draft.input();
        let id = editing_id.clone();
        sending.set(true);
        failed.set(false);
        spawn_local(async move {
            match api::contacts::save_point(&client, id.as_deref(), &input).await {
                Ok(point) => {
                    draft.load(&point);
                    on_saved.run(point);
                }
                Err(ApiError::Problem(p)) if p.status == 400 => {
                    steps.refused(&p.errors, step_of);
                    draft.errors.set(p.errors);
                }
                Err(_) => failed.set(true),
            }
            sending.set(false);
        });
    };
    let is_new = existing.is_none();

    view! {
        <StepIndicator id="cp-steps" steps=&STEPS step=step/>
        <Show when=move || failed.get()>
            <div class="alert alert-error" role="alert"><div class="alert-body"><p class="alert-text">{i18n.text(Key::error_generic)}</p></div></div>
        </Show>
        <form id="cp-wizard" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if step.get_untracked() < SUMMARY {
                next();
            }
        }>
            {move || match choices.get() {
                None => view! { <p>{i18n.text(Key::front_loading)}</p> }.into_any(),
                Some((groups, systems)) => {
                    let body = match step.get() {
                        0 => step_name(draft, groups, i18n),
                        1 => step_availability(draft, i18n),
                        2 => step_keywords(draft, i18n),
                        3 => step_recipient(draft, systems, i18n),
                        _ => summary(draft, &groups, &systems, steps, i18n),
                    };
                    view! { <h2 id=STEP_HEADING tabindex="-1">{move || i18n.t(STEPS[step.get()])}</h2> {body} }.into_any()
                }
            }}
            <div class="wizard-buttons">
                <Show when=move || { step.get() > 0 }>
                    <button type="button" class="button button-secondary" id="cp-back"
                        on:click=move |_| steps.back()>
                        {i18n.text(Key::wiz_back)}
                    </button>
                    " "
                </Show>
                <Show when=move || { step.get() < SUMMARY }
                    fallback=move || view! {
                        <button type="button" class="button button-primary" id="cp-connect"
                            disabled=move || sending.get() on:click=save.clone()>
                            {move || i18n.t(if is_new { Key::wiz_connect } else { Key::detail_save })}
                        </button>
                    }>
                    <button type="submit" class="button button-primary" id="cp-next"
                        disabled=move || steps.checking.get()>{move || i18n.t(steps.next_label())}</button>
                </Show>
                " "
                <a href=link("") class="button button-tertiary">{i18n.text(Key::wiz_cancel)}</a>
            </div>
        </form>
    }
}

/// Downloads the point's receipt PDF.
fn download_receipt(auth: crate::auth::Auth, id: String, failed: RwSignal<bool>) {
    let Some(client) = Authorised::of(auth) else {
        return;
    };
    spawn_local(async move {
        let path = format!("/contact-points/{id}/receipt");
        if client
            .download(&path, &format!("kvittering-kontaktpunkt-{id}.pdf"))
            .await
            .is_err()
        {
            failed.set(true);
        }
    });
}

#[component]
pub fn CreatePointPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let receipt = RwSignal::new(None::<ContactPoint>);
    let failed = RwSignal::new(false);
    view! {
        <h1>{i18n.text(Key::cp_create_heading)}</h1>
        <ModuleGate module=Module::ContactStructure>
            {move || match receipt.get() {
                None => view! { <PointEditor existing=None on_saved=Callback::new(move |p| receipt.set(Some(p)))/> }.into_any(),
                Some(point) => {
                    let id = point.id.clone();
                    view! {
                        <div id="cp-receipt">
                            <h2>{i18n.text(Key::receipt_heading)}</h2>
                            <div class="alert alert-success" role="status">
                                <div class="alert-body"><p class="alert-text">{i18n.text(Key::cp_receipt_text)}</p></div>
                            </div>
                            <Show when=move || failed.get()>
                                <div class="alert alert-error" role="alert"><div class="alert-body"><p class="alert-text">{i18n.text(Key::error_generic)}</p></div></div>
                            </Show>
                            <dl>
                                <div class="summary-row"><dt>{i18n.text(Key::cp_name)}</dt><dd>{point.name.clone()}</dd></div>
                                <div class="summary-row"><dt>{i18n.text(Key::cp_id)}</dt><dd id="cp-receipt-id">{point.id.clone()}</dd></div>
                            </dl>
                            <DeepLinks kind="contact-points" id=point.id.clone()/>
                            <p>
                                <button type="button" class="button button-primary" id="cp-download-receipt"
                                    on:click=move |_| download_receipt(auth, id.clone(), failed)>
                                    {i18n.text(Key::receipt_download)}
                                </button>
                                " "
                                <a class="button button-secondary" href=link("") id="cp-to-structure">{i18n.text(Key::cp_to_structure)}</a>
                            </p>
                        </div>
                    }.into_any()
                }
            }}
        </ModuleGate>
    }
}

/// A point's page: the same editor at its summary, the deep links with QR codes, the receipt
/// and "Slet kontaktpunkt" with confirmation.
#[component]
pub fn PointDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = StoredValue::new_local(use_navigate());
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let message = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // "Slet kontaktpunkt" in the tree's menu opens this page with ?slet=1: ask at once.
    let confirming = RwSignal::new(use_query_map().with_untracked(|q| q.get("slet").is_some()));
    // None while loading, then the point or None when there is no such point here.
    let point = RwSignal::new(None::<Option<ContactPoint>>);
    Effect::new(move |_| {
        let id = id();
        if let Some(client) = Authorised::of(auth) {
            spawn_local(async move {
                point.set(Some(api::contacts::get_point(&client, &id).await.ok()));
            });
        }
    });
    let delete = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let id = id();
        spawn_local(async move {
            match api::contacts::delete_point(&client, &id).await {
                Ok(()) => navigate.with_value(|go| go(&link(""), Default::default())),
                Err(_) => failed.set(true),
            }
        });
    };
    view! {
        <ModuleGate module=Module::ContactStructure>
            {move || match point.get() {
                    None => view! { <p>{i18n.text(Key::front_loading)}</p> }.into_any(),
                    Some(None) => view! { <h1>{i18n.text(Key::cp_not_found)}</h1> }.into_any(),
                    Some(Some(p)) => view! {
                        <h1 id="cp-heading">{p.name.clone()}</h1>
                        <p class="form-hint">{i18n.text(Key::cp_id)} ": " <span id="cp-id">{p.id.clone()}</span></p>
                        <Show when=move || message.get()>
                            <div class="alert alert-success" role="status" id="cp-saved"><div class="alert-body"><p class="alert-text">{i18n.text(Key::detail_saved)}</p></div></div>
                        </Show>
                        <Show when=move || failed.get()>
                            <div class="alert alert-error" role="alert"><div class="alert-body"><p class="alert-text">{i18n.text(Key::error_generic)}</p></div></div>
                        </Show>
                        <PointEditor existing=Some(p.clone()) on_saved=Callback::new(move |saved| { point.set(Some(Some(saved))); message.set(true); })/>
                        <DeepLinks kind="contact-points" id=p.id.clone()/>
                        <p>
                            <button type="button" class="button button-secondary" id="cp-download-receipt"
                                on:click={ let id = p.id.clone(); move |_| download_receipt(auth, id.clone(), failed) }>
                                {i18n.text(Key::receipt_download)}
                            </button>
                            " "
                            <button type="button" class="button button-tertiary" id="cp-delete" on:click=move |_| confirming.set(true)>
                                {i18n.text(Key::cp_delete)}
                            </button>
                        </p>
                        <Show when=move || confirming.get()>
                            <div class="alert alert-warning" role="alertdialog" id="cp-delete-panel">
                                <div class="alert-body">
                                    <p class="alert-text">{i18n.text(Key::cp_delete_confirm)}</p>
                                    <button type="button" class="button button-primary" id="cp-delete-yes" on:click=delete>{i18n.text(Key::cp_delete)}</button>
                                    " "
                                    <button type="button" class="button button-tertiary" on:click=move |_| confirming.set(false)>{i18n.text(Key::wiz_cancel)}</button>
                                </div>
                            </div>
                        </Show>
                    }.into_any(),
            }}
        </ModuleGate>
    }
}
