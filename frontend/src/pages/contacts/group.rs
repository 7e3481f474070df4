//! A contact group's page: its fields and placement to edit, and its deep links with QR codes
//! and a copy button (CS-04) — none until the group holds a usable point.

use std::collections::HashSet;

use adgang_api_types::{ContactGroup, ContactGroupInput, FieldError, Module};
use leptos::prelude::*;

use super::link;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use super::{groups_of, DeepLinks};
use crate::api;
use crate::api::Authorised;
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::components::form::{
    accepted, checkbox, errors_for, flag_checkbox, ErrorText, TextArea, TextField,
};
use crate::components::module_gate::ModuleGate;
use crate::i18n::{use_i18n, Key};

/// A group's fields as the user edits them: one draft for a new group, one per group page.
#[derive(Clone, Copy)]
pub struct GroupDraft {
    pub name: RwSignal<String>,
    pub description: RwSignal<String>,
    pub parents: RwSignal<Vec<String>>,
    pub org_unit: RwSignal<bool>,
}

impl Default for GroupDraft {
    fn default() -> Self {
        GroupDraft {
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            parents: RwSignal::new(Vec::new()),
            org_unit: RwSignal::new(false),
        }
    }
}

impl GroupDraft {
    fn load(&self, group: &ContactGroup) {
        self.name.set(group.name.clone());
        self.description.set(group.description.clone());
        self.parents.set(group.parent_ids.clone());
        self.org_unit.set(group.is_organisational_unit);
    }

    pub fn input(&self) -> ContactGroupInput {
        ContactGroupInput {
            name: self.name.get_untracked(),
            description: self.description.get_untracked(),
            is_organisational_unit: self.org_unit.get_untracked(),
            parent_ids: self.parents.get_untracked(),
        }
    }
}

/// A group's fields — name, description, parents (any number, CS-01) and the
/// organisational-unit flag — each with its field errors; ids start with `prefix`.
#[component]
pub fn GroupFields(
    prefix: &'static str,
    draft: GroupDraft,
    errors: RwSignal<Vec<FieldError>>,
    /// The groups it may be placed under, as (id, indented label).
    choices: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let parents = draft.parents;
    view! {
        <TextField id=format!("{prefix}-name") label=Key::cs_group_name value=draft.name errors=errors_for(errors, &["name"])/>
        <TextArea id=format!("{prefix}-description") label=Key::cs_group_description value=draft.description errors=errors_for(errors, &["description"]) hint=Key::cg_description_hint/>
        <fieldset class="form-group">
            <legend class="form-label">{i18n.text(Key::cs_group_parent)}</legend>
            <span class="form-hint">{i18n.text(Key::cg_parents_hint)}</span>
            <ErrorText errors=errors_for(errors, &["parentIds"]) id=format!("{prefix}-parents-error")/>
            {choices.into_iter().map(|(gid, label)| {
                let member = gid.clone();
                checkbox(
                    format!("{prefix}-parent-{gid}"),
                    label,
                    Signal::derive(move || parents.get().contains(&member)),
                    Callback::new(move |on: bool| parents.update(|p| {
                        p.retain(|x| x != &gid);
                        if on { p.push(gid.clone()) }
                    })),
                )
            }).collect_view()}
        </fieldset>
        {flag_checkbox(&format!("{prefix}-org-unit"), Key::cs_org_unit, draft.org_unit)}
    }
}

#[component]
pub fn GroupDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let draft = GroupDraft::default();
    let GroupDraft { name, .. } = draft;
    let errors = RwSignal::new(Vec::new());
    let saved = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // None while loading; then the group with the groups it may be placed under, or None.
    let loaded = RwSignal::new(None::<Option<(ContactGroup, Vec<(String, String)>)>>);
    Effect::new(move |_| {
        let id = id();
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        spawn_local(async move {
            let Ok(group) = api::contacts::get_group(&client, &id).await else {
                loaded.set(Some(None));
                return;
            };
            let tree = api::contacts::tree(&client).await.unwrap_or_default();
            let mut choices = Vec::new();
            groups_of(&tree, 0, &mut HashSet::new(), &mut choices);
            choices.retain(|(g, _)| g != &id);
            draft.load(&group);
            loaded.set(Some(Some((group, choices))));
        });
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let input = draft.input();
        let id = id();
        saved.set(false);
        failed.set(false);
        spawn_local(async move {
            let result = api::contacts::update_group(&client, &id, &input).await;
            if accepted(result, errors, None, failed).is_some() {
                saved.set(true);
            }
        });
    };
    view! {
        <ModuleGate module=Module::ContactStructure>
            {move || match loaded.get() {
                    None => view! { <p>{i18n.text(Key::front_loading)}</p> }.into_any(),
                    Some(None) => view! { <h1>{i18n.text(Key::cg_not_found)}</h1> }.into_any(),
                    Some(Some((group, choices))) => view! {
                        <h1 id="cg-heading">{move || name.get()}</h1>
                        <p class="form-hint">{i18n.text(Key::cp_id)} ": " <span id="cg-id">{group.id.clone()}</span></p>
                        <Show when=move || saved.get()>
                            <div class="alert alert-success" role="status" id="cg-saved"><div class="alert-body"><p class="alert-text">{i18n.text(Key::detail_saved)}</p></div></div>
                        </Show>
                        <FailedAlert failed=failed/>
                        <form id="cg-form" class="cs-form" novalidate on:submit=save>
                            <GroupFields prefix="cg" draft=draft errors=errors choices=choices/>
                            <button type="submit" class="button button-primary" id="cg-save">{i18n.text(Key::detail_save)}</button>
                            " "
                            <a href=link("") class="button button-tertiary">{i18n.text(Key::cp_to_structure)}</a>
                        </form>
                        <DeepLinks kind="contact-groups" id=group.id.clone()/>
                    }.into_any(),
            }}
        </ModuleGate>
    }
}
