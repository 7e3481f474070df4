//! The contact-point editor: the wizard for a new point, or a saved point's editor opened at the
//! summary — each step checked by the API (`dryRun`), then "Tilslut" or "Gem".

use std::collections::HashSet;

use adgang_api_types::{ContactPoint, RecipientSystemChoice};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::point_draft::PointDraft;
use super::point_steps::{step_availability, step_keywords, step_name, step_recipient, summary};
use super::{groups_of, link};
use crate::api::{self, Authorised};
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::components::step_indicator::StepIndicator;
use crate::components::wizard::{WizardButtons, WizardSteps, STEP_HEADING};
use crate::i18n::{use_i18n, Key};

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

/// The wizard (`existing` None) or the editor of a saved point (opened at the summary).
#[component]
pub fn PointEditor(
    existing: Option<ContactPoint>,
    on_saved: Callback<ContactPoint>,
) -> impl IntoView {
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
        let request =
            async move { api::contacts::save_point(&client, id.as_deref(), &input).await };
        steps.save(
            request,
            step_of,
            draft.errors,
            sending,
            failed,
            move |point| {
                draft.load(&point);
                on_saved.run(point);
            },
        );
    };
    let is_new = existing.is_none();

    view! {
        <StepIndicator id="cp-steps" steps=&STEPS step=step/>
        <FailedAlert failed=failed/>
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
            <WizardButtons steps=steps id_prefix="cp" finish=move || view! {
                <button type="button" class="button button-primary" id="cp-connect"
                    disabled=move || sending.get() on:click=save.clone()>
                    {move || i18n.t(if is_new { Key::wiz_connect } else { Key::detail_save })}
                </button>
            }>
                <a href=link("") class="button button-tertiary">{i18n.text(Key::wiz_cancel)}</a>
            </WizardButtons>
        </form>
    }
}
