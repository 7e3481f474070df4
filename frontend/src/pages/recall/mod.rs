//! Recall (SPEC §10, guide chapter 13): "Tilbagekald" — the message id → the message (id,
//! title, recipient, value date) → "Tilbagekald" → "Bekræft tilbagekald" (irreversible) → a
//! green confirmation. A message that cannot be recalled says why before any button.

use adgang_api_types::{Module, PartyKind, RecallCandidate, RecallReceipt};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Route;
use leptos_router::{Lazy, StaticSegment};

use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConflictAlert, FailedAlert};
use crate::components::form::{errors_for, TextField};
use crate::components::module_gate::IntroducedPage;
use crate::components::party::party_text;
use crate::components::wizard::{focus_step_heading, STEP_HEADING};
use crate::i18n::{conflict_key, use_i18n, Key};

lazy_pages!(recall: fn render() -> AnyView {
    view! { <RecallPage/> }.into_any()
});

lazy_route!(RecallRoute => render());

/// `/tilbagekald`.
#[component(transparent)]
pub fn RecallRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=StaticSegment(crate::pages::segment(Module::Recall)) view={Lazy::<RecallRoute>::new()}/>
    }
    .into_inner()
}

fn recipient_text(recipient: &str) -> String {
    let kind = if recipient.len() == 10 {
        PartyKind::Citizen
    } else {
        PartyKind::Company
    };
    party_text(kind, recipient)
}

#[component]
fn RecallPage() -> impl IntoView {
    view! {
        <IntroducedPage module=Module::Recall heading=Key::module_recall_tab intro=Key::rc_intro>
            <Recall/>
        </IntroducedPage>
    }
}

#[component]
fn Recall() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let message_id = RwSignal::new(String::new());
    let found = RwSignal::new(None::<RecallCandidate>);
    let confirming = RwSignal::new(false);
    let receipt = RwSignal::new(None::<RecallReceipt>);
    let errors = RwSignal::new(Vec::new());
    let conflict = RwSignal::new(None::<Key>);
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let reset = move || {
        failed.set(false);
        conflict.set(None);
        confirming.set(false);
    };
    let search = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let typed = message_id.get_untracked();
        reset();
        receipt.set(None);
        if typed.trim().is_empty() {
            errors.set(vec![adgang_api_types::FieldError {
                field: "messageId".to_owned(),
                code: adgang_api_types::FieldCode::Required,
                message: String::new(),
            }]);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::recall::find(&client, &typed).await {
                Ok(message) => {
                    errors.set(Vec::new());
                    found.set(Some(message));
                    request_animation_frame(focus_step_heading);
                }
                Err(ApiError::Problem(p)) if p.status == 404 => {
                    found.set(None);
                    errors.set(Vec::new());
                    conflict.set(Some(Key::rc_not_found));
                }
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };
    let recall = move |_| {
        let (Some(client), Some(message)) = (Authorised::of(auth), found.get_untracked()) else {
            return;
        };
        reset();
        busy.set(true);
        spawn_local(async move {
            match api::recall::recall(&client, &message.message_id).await {
                Ok(done) => {
                    found.set(None);
                    receipt.set(Some(done));
                    message_id.set(String::new());
                    request_animation_frame(focus_step_heading);
                }
                Err(ApiError::Problem(p)) if p.reason.is_some() => {
                    conflict.set(p.reason.map(conflict_key))
                }
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };
    let id_errors = errors_for(errors, &["messageId"]);

    let message_view = move || {
        found.get().map(|m| {
            let row = |label: Key, value: String, id: &'static str| view! {
                <div class="summary-row"><dt>{i18n.text(label)}</dt><dd id=id>{value}</dd></div>
            };
            let refusal = m.refusal.map(conflict_key);
            view! {
                <h2 id=STEP_HEADING tabindex="-1">{i18n.text(Key::rc_found_heading)}</h2>
                <dl class="summary-list" id="recall-message">
                    {row(Key::rc_message_id, m.message_id.clone(), "recall-id")}
                    {row(Key::rc_title, m.title.clone(), "recall-title")}
                    {row(Key::rc_recipient, recipient_text(&m.recipient), "recall-recipient")}
                    {row(Key::rc_value_date, m.value_date.map(|d| d.format("%d-%m-%Y").to_string())
                        .unwrap_or_else(|| i18n.t(Key::rc_no_value_date).to_owned()), "recall-value-date")}
                </dl>
                {match refusal {
                    Some(key) => view! {
                        <div class="alert alert-warning" role="status" id="recall-refusal">
                            <div class="alert-body"><p class="alert-text">{i18n.text(key)}</p></div>
                        </div>
                    }.into_any(),
                    None => view! {
                        <Show when=move || !confirming.get() fallback=move || view! {
                            <div class="alert alert-warning" role="alert" id="recall-warning">
                                <div class="alert-body">
                                    <p class="alert-heading">{i18n.text(Key::rc_confirm_heading)}</p>
                                    <p class="alert-text">{i18n.text(Key::rc_confirm_text)}</p>
                                </div>
                            </div>
                            <p class="wizard-buttons">
                                <button type="button" class="button button-secondary" id="recall-cancel"
                                    on:click=move |_| confirming.set(false)>{i18n.text(Key::rc_cancel)}</button>
                                " "
                                <button type="button" class="button button-primary" id="recall-confirm"
                                    disabled=move || busy.get() on:click=recall>{i18n.text(Key::rc_confirm)}</button>
                            </p>
                        }>
                            <p><button type="button" class="button button-primary" id="recall-start"
                                on:click=move |_| confirming.set(true)>{i18n.text(Key::rc_recall)}</button></p>
                        </Show>
                    }.into_any(),
                }}
            }
        })
    };

    view! {
        <FailedAlert failed=failed/>
        <ConflictAlert id="recall-conflict" conflict=conflict/>
        {move || receipt.get().map(|done| view! {
            <div class="alert alert-success" role="status" id="recall-done">
                <div class="alert-body">
                    <p class="alert-heading" id=STEP_HEADING tabindex="-1">{i18n.text(Key::rc_done_heading)}</p>
                    <p class="alert-text">{move || i18n.t(Key::rc_done_text)
                        .replace("{id}", &done.message_id)
                        .replace("{title}", &done.title)
                        .replace("{time}", &crate::time::display(done.recalled_at))}</p>
                </div>
            </div>
        })}
        <form id="recall-find" role="search" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !busy.get_untracked() { search() }
        }>
            <TextField id="recall-message-id" label=Key::rc_message_id value=message_id errors=id_errors hint=Key::rc_message_id_hint/>
            <button type="submit" class="button button-primary" id="recall-search" disabled=move || busy.get()>
                {i18n.text(Key::rc_search)}
            </button>
        </form>
        {message_view}
    }
}
