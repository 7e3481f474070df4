//! The DKFDS alerts every module shows alike: the generic error and a refused request's conflict.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};

/// The red alert with the generic error text ("Der opstod en fejl …").
#[component]
pub fn GenericError() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-error" role="alert"><div class="alert-body"><p class="alert-text">{i18n.text(Key::error_generic)}</p></div></div>
    }
}

/// The generic error alert, shown while `failed` is set.
#[component]
pub fn FailedAlert(failed: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || failed.get()>
            <GenericError/>
        </Show>
    }
}

/// The red alert `id` with the text of a refused request's conflict, shown while there is one.
#[component]
pub fn ConflictAlert(id: &'static str, conflict: RwSignal<Option<Key>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        conflict.get().map(|key| {
            view! {
                <div class="alert alert-error" role="alert" id=id><div class="alert-body"><p class="alert-text">{i18n.text(key)}</p></div></div>
            }
        })
    }
}
