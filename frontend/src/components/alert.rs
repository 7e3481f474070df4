//! The DKFDS alerts every module shows alike: errors, and a refused request's conflict.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};

/// A red alert with `text`.
#[component]
pub fn ErrorAlert(text: Key) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-error" role="alert"><div class="alert-body"><p class="alert-text">{i18n.text(text)}</p></div></div>
    }
}

/// The red alert with the generic error text ("Der opstod en fejl …").
#[component]
pub fn GenericError() -> impl IntoView {
    view! { <ErrorAlert text=Key::error_generic/> }
}

/// A red alert while `failed` is set: the generic error text, or the page's own `text`.
#[component]
pub fn FailedAlert(failed: RwSignal<bool>, #[prop(optional)] text: Option<Key>) -> impl IntoView {
    let text = text.unwrap_or(Key::error_generic);
    view! {
        <Show when=move || failed.get()>
            <ErrorAlert text=text/>
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

/// A yellow confirmation (`alertdialog`): the question (`children`), then "yes" and "Annullér".
#[component]
pub fn ConfirmPanel<Yes, No>(
    id: &'static str,
    /// The question's id, which names the dialog.
    #[prop(optional)]
    text_id: Option<&'static str>,
    yes_id: &'static str,
    yes_label: Key,
    on_yes: Yes,
    #[prop(optional)] no_id: Option<&'static str>,
    on_no: No,
    children: Children,
) -> impl IntoView
where
    Yes: FnMut(leptos::ev::MouseEvent) + 'static,
    No: FnMut(leptos::ev::MouseEvent) + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="alert alert-warning" role="alertdialog" aria-labelledby=text_id id=id>
            <div class="alert-body">
                <p class="alert-text" id=text_id>{children()}</p>
                <button type="button" class="button button-primary" id=yes_id on:click=on_yes>{i18n.text(yes_label)}</button>
                " "
                <button type="button" class="button button-tertiary" id=no_id on:click=on_no>{i18n.text(Key::wiz_cancel)}</button>
            </div>
        </div>
    }
}
