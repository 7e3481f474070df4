//! "Standardsystemer" (SYS-09, §5.6 seen from the vendor): a system vendor publishes
//! pre-filled standard systems that other organisations connect through, edits them (the
//! locked settings follow into every connected system) and withdraws them, with confirmation.

use adgang_api_types::{Module, PublishedStandardSystem};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form::{protocol_key, role_key, ContactFields, Draft, NameAndRole, ProtocolAndDetails};
use super::link;
use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConfirmPanel, FailedAlert};
use crate::components::module_gate::GatedPage;
use crate::components::table::{header_cells, hidden_header_cell};
use crate::i18n::{use_i18n, Key};

#[component]
pub fn StandardSystemsPage() -> impl IntoView {
    view! {
        <GatedPage module=Module::SystemConnection heading=Key::std_heading>
            <StandardSystems/>
        </GatedPage>
    }
}

/// What the form is doing: publishing a new standard system or editing one (its id).
#[derive(Clone, PartialEq, Eq)]
enum Editing {
    New,
    Existing(String),
}

#[component]
fn StandardSystems() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let draft = Draft::new();
    let editing = RwSignal::new(None::<Editing>);
    let withdrawing = RwSignal::new(None::<PublishedStandardSystem>);
    let message = RwSignal::new(None::<Key>);
    let failed = RwSignal::new(false);
    let reload = RwSignal::new(0u32);
    let published = api::loaded_as(auth, move |client| {
        reload.track();
        async move { api::systems::own_standard_systems(&client).await }
    });

    let open = move |target: Editing, from: Option<PublishedStandardSystem>| {
        match &from {
            Some(p) => draft.load_standard(&p.standard),
            None => draft.load_standard_defaults(),
        }
        message.set(None);
        editing.set(Some(target));
    };

    let save = move |_| {
        let (Some(client), Some(target)) = (Authorised::of(auth), editing.get_untracked()) else {
            return;
        };
        let body = draft.standard();
        failed.set(false);
        spawn_local(async move {
            let id = match &target {
                Editing::New => None,
                Editing::Existing(id) => Some(id.as_str()),
            };
            match api::systems::save_standard(&client, id, &body).await {
                Ok(_) => {
                    draft.errors.set(Vec::new());
                    editing.set(None);
                    message.set(Some(match target {
                        Editing::New => Key::std_published,
                        Editing::Existing(_) => Key::detail_saved,
                    }));
                    reload.update(|n| *n += 1);
                }
                Err(ApiError::Problem(p)) if p.status == 400 => draft.errors.set(p.errors),
                Err(_) => failed.set(true),
            }
        });
    };

    let withdraw = move |_: leptos::ev::MouseEvent| {
        let (Some(client), Some(chosen)) = (Authorised::of(auth), withdrawing.get_untracked())
        else {
            return;
        };
        withdrawing.set(None);
        spawn_local(async move {
            match api::systems::withdraw_standard(&client, &chosen.standard.id).await {
                Ok(()) => {
                    message.set(Some(Key::std_withdrawn));
                    reload.update(|n| *n += 1);
                }
                Err(_) => failed.set(true),
            }
        });
    };

    view! {
        <p>{i18n.text(Key::std_intro)}</p>
        <Show when=move || message.get().is_some()>
            <div class="alert alert-success" role="status" id="std-message"><div class="alert-body"><p class="alert-text">{move || message.get().map(|k| i18n.t(k))}</p></div></div>
        </Show>
        <FailedAlert failed=failed/>
        <Show when=move || withdrawing.get().is_some()>
            <ConfirmPanel id="std-withdraw-panel" text_id="std-withdraw-text"
                yes_id="std-withdraw-yes" yes_label=Key::std_withdraw on_yes=withdraw
                on_no=move |_| withdrawing.set(None)>
                {move || withdrawing.get().map(|p| format!("{} {}", p.standard.name, i18n.t(Key::std_withdraw_confirm)))}
            </ConfirmPanel>
        </Show>
        {move || published.get().flatten().map(|list| {
            if list.is_empty() {
                return view! { <p id="std-none">{i18n.text(Key::std_none)}</p> }.into_any();
            }
            view! {
                <div class="table--responsive-scroll" tabindex="0" role="region"
                    aria-label=i18n.t(Key::std_heading)>
                    <table class="table table--compact" id="std-table">
                        <thead><tr>
                            {header_cells(&[Key::sys_col_name, Key::wiz_role, Key::wiz_protocol, Key::std_col_using])}
                            {hidden_header_cell(Key::std_col_actions)}
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|p| {
                                let (edit_from, withdraw_from) = (p.clone(), p.clone());
                                let id = p.standard.id.clone();
                                view! {
                                    <tr>
                                        <td>{p.standard.name.clone()}</td>
                                        <td>{move || i18n.t(role_key(p.standard.role))}</td>
                                        <td>{move || i18n.t(protocol_key(p.standard.protocol))}</td>
                                        <td>{p.systems_using}</td>
                                        <td>
                                            <button type="button" class="button button-tertiary" id=format!("std-edit-{id}")
                                                on:click=move |_| open(Editing::Existing(edit_from.standard.id.clone()), Some(edit_from.clone()))>
                                                {i18n.text(Key::wiz_edit)}
                                            </button>
                                            " "
                                            <button type="button" class="button button-tertiary" id=format!("std-withdraw-{id}")
                                                on:click=move |_| withdrawing.set(Some(withdraw_from.clone()))>
                                                {i18n.text(Key::std_withdraw)}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        })}
        <Show when=move || editing.get().is_none()>
            <p>
                <button type="button" class="button button-primary" id="std-publish-open" on:click=move |_| open(Editing::New, None)>
                    {i18n.text(Key::std_publish)}
                </button>
            </p>
        </Show>
        <Show when=move || editing.get().is_some()>
            <form id="std-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                <h2>{move || i18n.t(if editing.get() == Some(Editing::New) { Key::std_publish } else { Key::std_edit_heading })}</h2>
                <NameAndRole draft=draft/>
                <ProtocolAndDetails draft=draft without_vendor=true/>
                <ContactFields draft=draft/>
                <button type="button" class="button button-primary" id="std-save" on:click=save>
                    {move || i18n.t(if editing.get() == Some(Editing::New) { Key::std_publish } else { Key::detail_save })}
                </button>
                " "
                <button type="button" class="button button-tertiary" on:click=move |_| { draft.errors.set(Vec::new()); editing.set(None) }>{i18n.text(Key::wiz_cancel)}</button>
            </form>
        </Show>
        <p><a href=link("")>{i18n.text(Key::receipt_to_overview)}</a></p>
    }
}
