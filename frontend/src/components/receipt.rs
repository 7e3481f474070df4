//! What every wizard's receipt ends with.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};

/// A receipt's buttons: "Download kvittering" (`download`), then the way on (`children`).
#[component]
pub fn ReceiptButtons<F>(download: F, children: Children) -> impl IntoView
where
    F: FnMut(leptos::ev::MouseEvent) + 'static,
{
    let i18n = use_i18n();
    view! {
        <p>
            <button type="button" class="button button-primary" id="download-receipt" on:click=download>
                {i18n.text(Key::receipt_download)}
            </button>
            " "
            {children()}
        </p>
    }
}
