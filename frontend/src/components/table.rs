//! DKFDS tables: the scrolling region a wide table sits in, and its header cells.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};

/// A table (head and body: `children`) in a sideways-scrolling region named by `label`.
#[component]
pub fn ScrollTable(
    label: Key,
    id: &'static str,
    #[prop(optional)] compact: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = if compact {
        "table table--compact"
    } else {
        "table"
    };
    view! {
        <div class="table--responsive-scroll" tabindex="0" role="region" aria-label=i18n.t(label)>
            <table class=class id=id>
                <caption class="sr-only">{i18n.text(label)}</caption>
                {children()}
            </table>
        </div>
    }
}

/// Column header cells (`<th scope="col">`) with the translated `keys`, in order.
pub fn header_cells(keys: &[Key]) -> AnyView {
    let i18n = use_i18n();
    keys.iter()
        .map(|&key| view! { <th scope="col">{i18n.text(key)}</th> })
        .collect_view()
        .into_any()
}

/// A column header cell only screen readers read (over a column of buttons).
pub fn hidden_header_cell(key: Key) -> AnyView {
    let i18n = use_i18n();
    view! { <th scope="col"><span class="sr-only">{i18n.text(key)}</span></th> }.into_any()
}
