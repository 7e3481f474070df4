//! The DKFDS step indicator every wizard shows above its steps.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};

/// The steps by name, the current one marked (`aria-current="step"`) and those before it
/// completed.
#[component]
pub fn StepIndicator(
    /// The list's id (browser tests wait for it).
    id: &'static str,
    steps: &'static [Key],
    step: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav aria-label=i18n.text(Key::wiz_step_of) class="step-indicator-nav">
            <ol class="step-indicator" id=id>
                {steps.iter().enumerate().map(|(i, key)| {
                    let key = *key;
                    view! {
                        <li class=move || match step.get() {
                                s if s == i => "step-indicator-step current",
                                s if s > i => "step-indicator-step completed",
                                _ => "step-indicator-step",
                            }
                            aria-current=move || (step.get() == i).then_some("step")>
                            <span class="step-number">{i + 1}</span>
                            <span class="step-title">{move || i18n.t(key)}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}
