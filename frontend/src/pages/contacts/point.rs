//! "Nyt kontaktpunkt" (CS-05): name, description and groups → availability → keywords and
//! codes → recipient system and activation → summary with "Redigér" per part → "Tilslut" →
//! receipt with the id, deep links, QR codes and the PDF. A point's detail page uses the same
//! editor, opened at the summary, with "Gem" instead of "Tilslut".
//!
//! The pages are here; the editor is in `point_editor.rs`, its steps in `point_steps.rs` and the
//! draft it edits in `point_draft.rs`.

use adgang_api_types::{Audience, ContactPoint, Module};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::point_editor::PointEditor;
use super::{link, DeepLinks};
use crate::api::{self, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConfirmPanel, FailedAlert};
use crate::components::module_gate::{GatedPage, ModuleGate};
use crate::i18n::{use_i18n, Key};

pub(crate) fn audience_key(audience: Audience) -> Key {
    match audience {
        Audience::Citizens => Key::cp_citizens,
        Audience::Businesses => Key::cp_businesses,
    }
}

/// Downloads the point's receipt PDF.
fn download_receipt(auth: crate::auth::Auth, id: String, failed: RwSignal<bool>) {
    let Some(client) = Authorised::of(auth) else {
        return;
    };
    client.start_download(
        &format!("/contact-points/{id}/receipt"),
        &format!("kvittering-kontaktpunkt-{id}.pdf"),
        move || failed.set(true),
    );
}

#[component]
pub fn CreatePointPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let receipt = RwSignal::new(None::<ContactPoint>);
    let failed = RwSignal::new(false);
    view! {
        <GatedPage module=Module::ContactStructure heading=Key::cp_create_heading>
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
                            <FailedAlert failed=failed/>
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
        </GatedPage>
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
    let delete = move |_: leptos::ev::MouseEvent| {
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
                        <FailedAlert failed=failed/>
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
                            <ConfirmPanel id="cp-delete-panel" yes_id="cp-delete-yes" yes_label=Key::cp_delete
                                on_yes=delete on_no=move |_| confirming.set(false)>
                                {i18n.text(Key::cp_delete_confirm)}
                            </ConfirmPanel>
                        </Show>
                    }.into_any(),
            }}
        </ModuleGate>
    }
}
