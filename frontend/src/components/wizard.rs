//! What "Næste" does in every wizard: the API judges the whole draft (`dryRun`), the
//! errors of this step and the ones before it show all at once (later steps are not judged
//! before the user reaches them), a step opened with "Redigér" on the summary returns to the
//! summary, and focus moves to the new step's heading.

use std::future::Future;

use adgang_api_types::FieldError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::i18n::{use_i18n, Key};

/// The id of the heading every wizard step shows; focus moves there on each step change.
pub const STEP_HEADING: &str = "wizard-step-heading";

#[derive(Clone, Copy)]
pub struct WizardSteps {
    pub step: RwSignal<usize>,
    summary: usize,
    /// The step was opened with "Redigér" on the summary: "Næste" leads back there.
    from_summary: RwSignal<bool>,
    /// A check is under way ("Næste" is disabled meanwhile).
    pub checking: RwSignal<bool>,
}

impl WizardSteps {
    pub fn new(start: usize, summary: usize) -> WizardSteps {
        WizardSteps {
            step: RwSignal::new(start),
            summary,
            from_summary: RwSignal::new(false),
            checking: RwSignal::new(false),
        }
    }

    /// Goes to `to` and, once it is drawn, moves focus to its heading.
    pub fn go(self, to: usize) {
        if to >= self.summary {
            self.from_summary.set(false);
        }
        self.step.set(to.min(self.summary));
        request_animation_frame(focus_step_heading);
    }

    /// "Redigér" on the summary.
    pub fn edit(self, part: usize) {
        self.from_summary.set(true);
        self.go(part);
    }

    /// "Tilbage": the previous step, and the ordinary order from there.
    pub fn back(self) {
        self.from_summary.set(false);
        self.go(self.step.get_untracked().saturating_sub(1));
    }

    /// The label of the forward button: back to the summary after "Redigér", else "Næste".
    pub fn next_label(self) -> Key {
        if self.checking.get() {
            Key::wiz_checking
        } else if self.from_summary.get() {
            Key::wiz_to_summary
        } else {
            Key::wiz_next
        }
    }

    /// "Næste": awaits the API's check of the whole draft; keeps the errors of this step and
    /// the ones before it (`step_of` maps an API field to its step) and stays on the first
    /// step that has one; without errors goes on. `failed` is set when the check could not run.
    pub fn check_and_go(
        self,
        check: impl Future<Output = Result<(), ApiError>> + 'static,
        step_of: fn(&str) -> usize,
        errors: RwSignal<Vec<FieldError>>,
        failed: RwSignal<bool>,
    ) {
        let current = self.step.get_untracked();
        self.checking.set(true);
        failed.set(false);
        spawn_local(async move {
            let result = check.await;
            self.checking.set(false);
            let found: Vec<FieldError> = match result {
                Ok(()) => Vec::new(),
                Err(ApiError::Problem(p)) if p.status == 400 => p
                    .errors
                    .into_iter()
                    .filter(|e| step_of(&e.field) <= current)
                    .collect(),
                Err(_) => {
                    failed.set(true);
                    return;
                }
            };
            let first = found.iter().map(|e| step_of(&e.field)).min();
            errors.set(found);
            match first {
                Some(step) if step == current => request_animation_frame(focus_step_heading),
                Some(step) => self.go(step),
                None if self.from_summary.get_untracked() => self.go(self.summary),
                None => self.go(current + 1),
            }
        });
    }

    /// The summary's request (save, connect): refused fields lead to their step, else `done`.
    pub fn save<T: 'static>(
        self,
        request: impl Future<Output = Result<T, ApiError>> + 'static,
        step_of: fn(&str) -> usize,
        errors: RwSignal<Vec<FieldError>>,
        sending: RwSignal<bool>,
        failed: RwSignal<bool>,
        done: impl FnOnce(T) + 'static,
    ) {
        sending.set(true);
        failed.set(false);
        spawn_local(async move {
            match request.await {
                Ok(answer) => done(answer),
                Err(ApiError::Problem(p)) if p.status == 400 => {
                    self.refused(&p.errors, step_of);
                    errors.set(p.errors);
                }
                Err(_) => failed.set(true),
            }
            sending.set(false);
        });
    }

    /// After a refused save: to the first step with an error; fixing it leads back to the
    /// summary.
    pub fn refused(self, errors: &[FieldError], step_of: fn(&str) -> usize) {
        match errors.iter().map(|e| step_of(&e.field)).min() {
            Some(step) if step < self.summary => self.edit(step),
            _ => self.go(self.summary),
        }
    }
}

/// A wizard's buttons: "Tilbage", then "Næste" (or `finish` on the summary), then `children`.
#[component]
pub fn WizardButtons(
    steps: WizardSteps,
    /// The summary's own button (approve, connect or save).
    #[prop(into)]
    finish: ViewFn,
    /// The text of "Næste" on the first step, where it searches.
    #[prop(optional)]
    first_label: Option<Key>,
    /// What the ids of "Tilbage" and "Næste" start with.
    #[prop(default = "wizard")]
    id_prefix: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = steps.step;
    let summary = steps.summary;
    let next_label = move || match first_label {
        Some(key) if step.get() == 0 => i18n.t(key),
        _ => i18n.t(steps.next_label()),
    };
    view! {
        <div class="wizard-buttons">
            <Show when=move || { step.get() > 0 }>
                <button type="button" class="button button-secondary" id=format!("{id_prefix}-back")
                    on:click=move |_| steps.back()>
                    {i18n.text(Key::wiz_back)}
                </button>
                " "
            </Show>
            <Show when=move || { step.get() < summary } fallback=finish>
                <button type="submit" class="button button-primary" id=format!("{id_prefix}-next")
                    disabled=move || steps.checking.get()>{next_label}</button>
            </Show>
            " "
            {children()}
        </div>
    }
}

/// A row of a summary's `<dl>`: the translated `label` and its `value`.
pub fn summary_row(label: Key, value: String) -> AnyView {
    let i18n = use_i18n();
    view! { <div class="summary-row"><dt>{i18n.text(label)}</dt><dd>{value}</dd></div> }.into_any()
}

/// Moves focus to the current step's heading (after a step or a receipt is drawn).
pub fn focus_step_heading() {
    focus_element(STEP_HEADING);
}

/// Moves focus to the element `id` (a heading with `tabindex="-1"` a new section starts with).
pub fn focus_element(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
