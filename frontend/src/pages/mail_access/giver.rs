//! The giver (CPR) found, their status and table of holders with "Ophæv" (confirmed,
//! irreversible), and below it the create wizard or the receipt.

use adgang_api_types::{AccessGiver, FieldError, MailAccess, PartyKind};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::create::CreateAccess;
use super::receipt::AccessReceipt;
use super::{expiry_text, level_key, View};
use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConflictAlert, FailedAlert};
use crate::components::form::{accepted, errors_for, TextField};
use crate::components::party::party_text;
use crate::components::table::{header_cells, hidden_header_cell};
use crate::components::wizard::{focus_step_heading, STEP_HEADING};
use crate::i18n::{conflict_key, use_i18n, Key};

#[component]
pub fn Giver() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let cpr = RwSignal::new(String::new());
    let giver = RwSignal::new(None::<AccessGiver>);
    let view_state = RwSignal::new(View::Overview);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failed = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);
    // The exemption the access just lifted: the giver's status says so at once, above the
    // receipt (issue 32 item 8), without drawing the receipt again.
    let lifted = RwSignal::new(false);
    Effect::new(move |_| {
        if let View::Receipt(done) = view_state.get() {
            if done.exemption_lifted {
                lifted.set(true);
            }
        }
    });

    // The giver again (after a change), or the first time.
    let load = move |number: String| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        busy.set(true);
        failed.set(false);
        spawn_local(async move {
            let result = api::mail_access::look_up_giver(&client, &number).await;
            if let Some(found) = accepted(result, errors, None, failed) {
                lifted.set(false);
                giver.set(Some(found));
            }
            busy.set(false);
        });
    };

    let revoke = move |access: MailAccess| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        busy.set(true);
        conflict.set(None);
        spawn_local(async move {
            match api::mail_access::revoke(&client, &access.id).await {
                Ok(_) => {
                    notice.set(Some(
                        i18n.t(Key::acc_revoked)
                            .replace("{name}", &access.holder_name),
                    ));
                    view_state.set(View::Overview);
                    if let Some(g) = giver.get_untracked() {
                        load(g.cpr);
                    }
                }
                Err(ApiError::Problem(p)) if p.reason.is_some() => {
                    conflict.set(p.reason.map(conflict_key));
                    view_state.set(View::Overview);
                }
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };

    let number_errors = errors_for(errors, &["cpr"]);

    let giver_box = move |g: AccessGiver| {
        let status = move || match g.exempt_since.filter(|_| !lifted.get()) {
            Some(since) => i18n
                .t(Key::acc_exempt_note)
                .replace("{date}", &crate::time::display(since)),
            None => i18n.t(Key::ex_status_enrolled).to_owned(),
        };
        view! {
            <div class="alert alert-info" role="status" id="giver-found">
                <div class="alert-body">
                    <dl>
                        <div class="summary-row"><dt>{i18n.text(Key::ex_name)}</dt><dd id="giver-name">{g.name.clone()}</dd></div>
                        <div class="summary-row"><dt>{i18n.text(Key::ex_cpr)}</dt><dd>{party_text(PartyKind::Citizen, &g.cpr)}</dd></div>
                        <div class="summary-row"><dt>{i18n.text(Key::ex_status)}</dt><dd id="giver-status">{status}</dd></div>
                    </dl>
                </div>
            </div>
        }
    };

    let table = move |g: AccessGiver| {
        if g.accesses.is_empty() {
            return view! { <p id="no-holders">{i18n.text(Key::acc_no_holders)}</p> }.into_any();
        }
        view! {
            <div class="table--responsive-scroll" tabindex="0" role="region" aria-labelledby="holders-heading">
                <table class="table" id="holders-table">
                    <thead><tr>
                        {header_cells(&[Key::acc_col_holder, Key::acc_col_name, Key::acc_col_created, Key::acc_col_level, Key::acc_col_expires])}
                        {hidden_header_cell(Key::acc_revoke)}
                    </tr></thead>
                    <tbody>
                        {g.accesses.into_iter().enumerate().map(|(i, a)| {
                            let name = match &a.employee_name {
                                Some(employee) => format!("{} ({employee})", a.holder_name),
                                None => a.holder_name.clone(),
                            };
                            let chosen = a.clone();
                            view! {
                                <tr>
                                    <td>{party_text(a.holder_kind, &a.holder)}</td>
                                    <td>{name}</td>
                                    <td>{crate::time::display(a.created_at)}</td>
                                    <td>{i18n.text(level_key(a.level))}</td>
                                    <td>{expiry_text(i18n, &a)}</td>
                                    <td><button type="button" class="button button-tertiary" id=format!("revoke-{i}")
                                        on:click=move |_| { notice.set(None); view_state.set(View::Revoke(chosen.clone())); request_animation_frame(focus_step_heading); }>
                                        {i18n.text(Key::acc_revoke)}
                                    </button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <FailedAlert failed=failed/>
        <ConflictAlert id="access-conflict" conflict=conflict/>
        {move || notice.get().map(|text| view! {
            <div class="alert alert-success" role="status" id="access-notice"><div class="alert-body"><p class="alert-text">{text}</p></div></div>
        })}
        <Show when=move || giver.get().is_none()>
            <h2 id=STEP_HEADING tabindex="-1">{i18n.text(Key::acc_find_giver)}</h2>
            <form id="giver-find" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if !busy.get_untracked() { load(cpr.get_untracked()) }
            }>
                <TextField id="giver-cpr" label=Key::ex_cpr value=cpr errors=number_errors hint=Key::ex_cpr_hint/>
                <button type="submit" class="button button-primary" id="giver-search" disabled=move || busy.get()>
                    {i18n.text(Key::ex_search)}
                </button>
            </form>
        </Show>
        {move || giver.get().map(|g| {
            let for_table = g.clone();
            let for_create = g.clone();
            view! {
                {giver_box(g.clone())}
                {move || match view_state.get() {
                    View::Overview => view! {
                        <h2 id="holders-heading">{i18n.text(Key::acc_holders)}</h2>
                        {table(for_table.clone())}
                        <p class="wizard-buttons">
                            <button type="button" class="button button-primary" id="access-create"
                                on:click=move |_| { notice.set(None); conflict.set(None); view_state.set(View::Create); }>
                                {i18n.text(Key::acc_create)}
                            </button>
                            " "
                            <button type="button" class="button button-tertiary" id="access-new-search"
                                on:click=move |_| { giver.set(None); cpr.set(String::new()); notice.set(None); request_animation_frame(focus_step_heading); }>
                                {i18n.text(Key::ex_new_search)}
                            </button>
                        </p>
                    }.into_any(),
                    View::Revoke(access) => {
                        let chosen = access.clone();
                        view! {
                            <h2 id=STEP_HEADING tabindex="-1">{i18n.text(Key::acc_revoke_heading)}</h2>
                            <div class="alert alert-warning" role="note"><div class="alert-body">
                                <p class="alert-text" id="revoke-text">{i18n.t(Key::acc_revoke_text).replace("{name}", &access.holder_name)}</p>
                            </div></div>
                            <p class="wizard-buttons">
                                <button type="button" class="button button-secondary" id="revoke-cancel"
                                    on:click=move |_| view_state.set(View::Overview)>{i18n.text(Key::wiz_cancel)}</button>
                                " "
                                <button type="button" class="button button-primary" id="revoke-confirm" disabled=move || busy.get()
                                    on:click=move |_| revoke(chosen.clone())>{i18n.text(Key::acc_revoke_confirm)}</button>
                            </p>
                        }.into_any()
                    }
                    View::Create => view! {
                        <CreateAccess giver=for_create.clone() view_state=view_state/>
                    }.into_any(),
                    View::Receipt(done) => view! {
                        <AccessReceipt receipt=done on_back=Callback::new(move |_| {
                            view_state.set(View::Overview);
                            if let Some(g) = giver.get_untracked() { load(g.cpr); }
                        })/>
                    }.into_any(),
                }}
            }
        })}
    }
}
