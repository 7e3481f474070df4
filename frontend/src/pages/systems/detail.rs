//! A system's detail page (SYS-10, SYS-12): every setting with "Redigér" per part,
//! "Vælg som primærsystem" and "Slet" with confirmation, "Vis API-key" (or "Opret API-key"),
//! "Download", and the delivery attempts with "Send testmeddelelse" (issue 14 item 7).

use adgang_api_types::{DeliveryAttempt, Module, Protocol, System, SystemStatus};
use leptos::prelude::*;

use super::link;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::form::{
    protocol_key, role_key, status_key, ActivationFields, ContactFields, Draft, NameAndRole,
    ProtocolAndDetails, TextField,
};
use crate::api::Authorised;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::alert::{ConfirmPanel, ErrorAlert};
use crate::components::module_gate::ModuleGate;
use crate::components::table::{header_cells, ScrollTable};
use crate::i18n::{conflict_key, use_i18n, Key, Lang};

#[component]
pub fn SystemDetailPage() -> impl IntoView {
    view! {
        <ModuleGate module=Module::SystemConnection>
            <SystemDetail/>
        </ModuleGate>
    }
}

/// Which part is being edited.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    NameAndRole,
    Protocol,
    Activation,
    Contact,
}

/// What waits for the user's confirmation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Primary,
    Delete,
    /// SYS-04: a new API key replaces the current one at once.
    RotateApiKey,
}

#[component]
fn SystemDetail() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // Kept in the arena so the handlers below stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let system = RwSignal::new(None::<System>);
    let missing = RwSignal::new(false);
    let editing = RwSignal::new(None::<Part>);
    let pending = RwSignal::new(None::<Pending>);
    let message = RwSignal::new(None::<Key>);
    let error = RwSignal::new(None::<Key>);
    // What stands in the way of a refused change (SYS-12: the bound contact points).
    let conflict_items = RwSignal::new(Vec::<String>::new());
    let api_key = RwSignal::new(None::<String>);
    let draft = Draft::new();

    let load = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let id = id();
        spawn_local(async move {
            match api::systems::get(&client, &id).await {
                Ok(s) => system.set(Some(s)),
                Err(_) => missing.set(true),
            }
        });
    };
    Effect::new(move |_| load());

    let start_edit = move |part: Part| {
        if let Some(s) = system.get_untracked() {
            draft.load(&s);
        }
        message.set(None);
        error.set(None);
        editing.set(Some(part));
    };

    let save = move |_| {
        let (Some(client), Some(part)) = (Authorised::of(auth), editing.get_untracked()) else {
            return;
        };
        let active = system
            .get_untracked()
            .is_some_and(|s| s.status == SystemStatus::Active);
        let body = draft.update(part == Part::Activation && !active);
        let id = id();
        spawn_local(async move {
            match api::systems::update(&client, &id, &body).await {
                Ok(saved) => {
                    system.set(Some(saved.system));
                    if saved.api_key.is_some() {
                        api_key.set(saved.api_key);
                    }
                    editing.set(None);
                    draft.errors.set(Vec::new());
                    message.set(Some(Key::detail_saved));
                }
                Err(ApiError::Problem(p)) if p.status == 400 => draft.errors.set(p.errors),
                Err(_) => error.set(Some(Key::error_generic)),
            }
        });
    };

    let confirm = move |_: leptos::ev::MouseEvent| {
        let (Some(client), Some(action)) = (Authorised::of(auth), pending.get_untracked()) else {
            return;
        };
        let id = id();
        pending.set(None);
        conflict_items.set(Vec::new());
        spawn_local(async move {
            match action {
                Pending::Primary => match api::systems::make_primary(&client, &id).await {
                    Ok(s) => {
                        system.set(Some(s));
                        message.set(Some(Key::detail_saved));
                    }
                    Err(_) => error.set(Some(Key::error_generic)),
                },
                Pending::RotateApiKey => match api::systems::rotate_api_key(&client, &id).await {
                    Ok(key) => {
                        api_key.set(Some(key.api_key));
                        message.set(Some(Key::detail_api_key_rotated));
                    }
                    Err(_) => error.set(Some(Key::error_generic)),
                },
                Pending::Delete => match api::systems::delete(&client, &id).await {
                    Ok(()) => navigate.with_value(|go| go(&link(""), Default::default())),
                    Err(ApiError::Problem(p)) if p.status == 409 => {
                        conflict_items.set(p.items);
                        error.set(Some(p.reason.map_or(Key::error_generic, conflict_key)));
                    }
                    Err(_) => error.set(Some(Key::error_generic)),
                },
            }
        });
    };

    let reveal = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let id = id();
        spawn_local(async move {
            match api::systems::reveal_api_key(&client, &id).await {
                Ok(key) => api_key.set(Some(key.api_key)),
                Err(_) => error.set(Some(Key::error_generic)),
            }
        });
    };

    // A system without a vendor gets its first key here (CORE-01): nothing to replace, so no
    // confirmation.
    let create_key = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let id = id();
        spawn_local(async move {
            match api::systems::rotate_api_key(&client, &id).await {
                Ok(key) => {
                    api_key.set(Some(key.api_key));
                    system.update(|s| {
                        if let Some(s) = s {
                            s.has_api_key = true;
                        }
                    });
                    message.set(Some(Key::detail_api_key_created));
                }
                Err(_) => error.set(Some(Key::error_generic)),
            }
        });
    };

    let download = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let id = id();
        client.start_download(
            &format!("/systems/{id}/overview"),
            &format!("system-{id}.pdf"),
            move || error.set(Some(Key::error_generic)),
        );
    };

    let row = move |label: Key, value: String| {
        view! {
            <div class="summary-row"><dt>{move || i18n.t(label)}</dt><dd>{if value.is_empty() { "–".to_owned() } else { value }}</dd></div>
        }
    };

    // `note`: a hint under the part's rows (outside the `<dl>`, which holds only rows).
    let part = move |part: Part,
                     heading: Key,
                     id: &'static str,
                     rows: AnyView,
                     locked: bool,
                     note: Option<Key>| {
        let is_editing = move || editing.get() == Some(part);
        view! {
            <section class="summary-part" id=id>
                <h2 class="h3">{move || i18n.t(heading)}</h2>
                <Show when=is_editing fallback=move || ()>
                    {move || match part {
                        Part::NameAndRole => view! { <NameAndRole draft=draft locked=locked/> }.into_any(),
                        Part::Protocol => {
                            let active = system.get_untracked().is_some_and(|s| s.status == SystemStatus::Active);
                            view! { <ProtocolAndDetails draft=draft locked=locked protocol_locked=active/> }.into_any()
                        }
                        Part::Activation if system.get_untracked().is_some_and(|s| s.status == SystemStatus::Active) => {
                            // While active only the deactivation time can change (SYS-12).
                            view! {
                                <TextField id="system-deactivate-at" label=Key::wiz_deactivation value=draft.deactivate_at
                                    input_type="datetime-local" errors=draft.errors_for(&["deactivateAt"])/>
                            }.into_any()
                        }
                        Part::Activation => view! { <ActivationFields draft=draft/> }.into_any(),
                        Part::Contact => view! { <ContactFields draft=draft locked=locked/> }.into_any(),
                    }}
                    <button type="button" class="button button-primary" id="detail-save" on:click=save>{i18n.text(Key::detail_save)}</button>
                    " "
                    <button type="button" class="button button-tertiary" on:click=move |_| editing.set(None)>{i18n.text(Key::wiz_cancel)}</button>
                </Show>
                <div style:display=move || if is_editing() { "none" } else { "block" }>
                    <dl>{rows}</dl>
                    {note.map(|key| view! { <p class="form-hint">{i18n.text(key)}</p> })}
                    // a part with nothing the user may change offers no "Redigér" (a
                    // standard system's protocol belongs to its vendor, SYS-09; its name and
                    // the extra contact e-mail stay the organisation's).
                    {(!locked || part != Part::Protocol).then(|| view! {
                        <button type="button" class="button button-tertiary" id=format!("{id}-edit") on:click=move |_| start_edit(part)>
                            {i18n.text(Key::wiz_edit)}
                        </button>
                    })}
                </div>
            </section>
        }
    };

    view! {
        <Show when=move || missing.get()>
            <h1>{i18n.text(Key::sys_heading)}</h1>
            <ErrorAlert text=Key::detail_not_found/>
        </Show>
        {move || system.get().map(|s| {
            let locked = s.standard_system_id.is_some();
            let active = s.status == SystemStatus::Active;
            let can_be_primary = s.role.receives() && !s.is_primary;
            view! {
                <h1 id="system-heading">{s.name.clone()}</h1>
                <p class="font-lead">
                    {move || i18n.t(status_key(s.status))}
                    {s.is_primary.then(|| view! { " · " <strong id="is-primary">{i18n.text(Key::sys_primary_yes)}</strong> })}
                </p>
                // §6.1: at least one contact point per recipient system (issue 33 item 7).
                {s.contact_points.as_ref().is_some_and(|points| points.is_empty()).then(|| view! {
                    <div class="alert alert-warning" id="no-contact-points"><div class="alert-body">
                        <p class="alert-heading">{i18n.text(Key::detail_no_points_heading)}</p>
                        <p class="alert-text">{i18n.text(Key::detail_no_points_text)}</p>
                        <p class="alert-text"><a href="/kontaktstruktur">{i18n.text(Key::detail_no_points_link)}</a></p>
                    </div></div>
                })}
                <Show when=move || message.get().is_some()>
                    <div class="alert alert-success" role="status" id="detail-message"><div class="alert-body"><p class="alert-text">{move || message.get().map(|k| i18n.t(k))}</p></div></div>
                </Show>
                <Show when=move || error.get().is_some()>
                    <div class="alert alert-error" role="alert" id="detail-error"><div class="alert-body"><p class="alert-text">{move || error.get().map(|k| i18n.t(k))}</p>
                        <Show when=move || !conflict_items.get().is_empty()>
                            <ul class="alert-text" id="detail-error-items">{move || conflict_items.get().into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
                        </Show>
                    </div></div>
                </Show>
                <div class="detail-actions">
                    {can_be_primary.then(|| view! {
                        <button type="button" class="button button-secondary" id="make-primary" on:click=move |_| pending.set(Some(Pending::Primary))>
                            {i18n.text(Key::detail_make_primary)}
                        </button>
                        " "
                    })}
                    {(!s.has_api_key).then(|| view! {
                        <button type="button" class="button button-secondary" id="create-api-key" on:click=create_key>
                            {i18n.text(Key::detail_create_api_key)}
                        </button>
                        " "
                    })}
                    {s.has_api_key.then(|| view! {
                        <button type="button" class="button button-secondary" id="show-api-key" on:click=reveal>
                            {i18n.text(Key::detail_show_api_key)}
                        </button>
                        " "
                        <button type="button" class="button button-secondary" id="rotate-api-key" on:click=move |_| pending.set(Some(Pending::RotateApiKey))>
                            {i18n.text(Key::detail_rotate_api_key)}
                        </button>
                        " "
                    })}
                    <button type="button" class="button button-secondary" id="download-system" on:click=download>
                        {i18n.text(Key::detail_download)}
                    </button>
                    " "
                    <button type="button" class="button button-secondary" id="delete-system" on:click=move |_| pending.set(Some(Pending::Delete))>
                        {i18n.text(Key::detail_delete)}
                    </button>
                </div>
                <Show when=move || pending.get().is_some()>
                    <ConfirmPanel id="confirm-panel" text_id="confirm-text"
                        yes_id="confirm-yes" yes_label=Key::detail_confirm on_yes=confirm
                        no_id="confirm-no" on_no=move |_| pending.set(None)>
                        {move || i18n.t(match pending.get() {
                            Some(Pending::Primary) => Key::detail_make_primary_confirm,
                            Some(Pending::RotateApiKey) => Key::detail_rotate_api_key_confirm,
                            _ => Key::detail_delete_confirm,
                        })}
                    </ConfirmPanel>
                </Show>
                <Show when=move || api_key.get().is_some()>
                    <p id="api-key-panel">{i18n.text(Key::api_key)}": " <code id="api-key-value">{move || api_key.get().unwrap_or_default()}</code></p>
                </Show>
                <dl><div class="summary-row"><dt>{i18n.text(Key::sys_col_id)}</dt><dd id="detail-system-id">{s.id.clone()}</dd></div></dl>
                {part(Part::NameAndRole, Key::wiz_step_name, "part-name", view! {
                    {row(Key::wiz_name, s.name.clone())}
                    {row(Key::wiz_role, i18n.t(role_key(s.role)).to_owned())}
                }.into_any(), locked, None)}
                {part(Part::Protocol, Key::wiz_step_protocol, "part-protocol", view! {
                    {row(Key::wiz_protocol, i18n.t(protocol_key(s.protocol)).to_owned())}
                    {row(Key::wiz_ips, s.allowed_ips.join(", "))}
                    {s.endpoint.clone().map(|v| row(Key::wiz_endpoint, v))}
                    {s.receipt_endpoint.clone().map(|v| row(Key::wiz_receipt_endpoint, v))}
                    {s.ssh_public_key.clone().map(|v| row(Key::wiz_ssh_key, v))}
                    {row(Key::detail_vendor, s.vendor_cvr.clone().unwrap_or_default())}
                }.into_any(), locked, None)}
                {s.sftp.clone().map(|sftp| view! { <SftpAccessRows sftp id_prefix="detail"/> })}
                {part(Part::Activation, Key::wiz_step_activation, "part-activation", view! {
                    {row(Key::detail_active_from, s.active_from.map(crate::time::display).unwrap_or_default())}
                    {row(Key::detail_active_to, s.active_to.map(crate::time::display).unwrap_or_default())}
                }.into_any(), false, active.then_some(Key::detail_locked_active))}
                {part(Part::Contact, Key::wiz_step_contact, "part-contact", view! {
                    {row(Key::wiz_contact_email, s.technical_contact.email.clone())}
                    {row(Key::wiz_contact_phone, s.technical_contact.phone.clone())}
                    {row(Key::wiz_contact_extra, s.technical_contact.extra_email.clone().unwrap_or_default())}
                }.into_any(), locked, None)}
                <DeliveryAttempts id=s.id.clone() can_test=s.endpoint.is_some()
                    && matches!(s.protocol, Protocol::RestPush | Protocol::RestPublishSubscribe)/>
                <p><a href=link("")>{i18n.text(Key::receipt_to_overview)}</a></p>
            }
        })}
    }
}

/// What an attempt came to: "Afleveret (HTTP 200)", or the status and error — the error in the
/// language shown (issue 32 item 9).
fn result_text(attempt: &DeliveryAttempt, delivered: &str, english: bool) -> String {
    let status = attempt.http_status.map(|s| format!("HTTP {s}"));
    let error = attempt
        .error
        .as_deref()
        .map(|e| adgang_api_types::words::log_error(e, english));
    match (attempt.succeeded, status, error) {
        (true, Some(status), _) => format!("{delivered} ({status})"),
        (true, None, _) => delivered.to_owned(),
        (false, Some(status), Some(error)) => format!("{status}: {error}"),
        (false, Some(status), None) => status,
        (false, None, error) => error.unwrap_or_default(),
    }
}

/// Issue 14 item 7: the latest delivery attempts to the system's endpoint — time, message id,
/// result, latency, next attempt — and "Send testmeddelelse", which none of our peers offers.
#[component]
fn DeliveryAttempts(id: String, can_test: bool) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = StoredValue::new(id);
    let attempts = RwSignal::new(None::<Vec<DeliveryAttempt>>);
    let tested = RwSignal::new(None::<DeliveryAttempt>);
    let busy = RwSignal::new(false);
    let load = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let id = id.get_value();
        spawn_local(async move {
            if let Ok(list) = api::systems::delivery_attempts(&client, &id).await {
                attempts.set(Some(list));
            }
        });
    };
    Effect::new(move |_| load());
    let send_test = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let id = id.get_value();
        busy.set(true);
        spawn_local(async move {
            if let Ok(attempt) = api::systems::send_test_message(&client, &id).await {
                tested.set(Some(attempt));
            }
            busy.set(false);
            load();
        });
    };
    view! {
        <section class="summary-part" id="delivery-attempts">
            <h2 class="h3">{i18n.text(Key::attempts_heading)}</h2>
            <p>{i18n.text(Key::attempts_intro)}</p>
            {can_test.then(|| view! {
                <button type="button" class="button button-secondary" id="send-test-message"
                    on:click=send_test prop:disabled=move || busy.get()>
                    {i18n.text(Key::attempts_send_test)}
                </button>
                " "
            })}
            <button type="button" class="button button-tertiary" id="refresh-attempts" on:click=move |_| load()>
                {i18n.text(Key::attempts_refresh)}
            </button>
            {move || tested.get().map(|attempt| {
                let (class, role, key) = if attempt.succeeded {
                    ("alert alert-success", "status", Key::attempts_test_ok)
                } else {
                    ("alert alert-error", "alert", Key::attempts_test_failed)
                };
                let detail = if attempt.succeeded {
                    String::new()
                } else {
                    result_text(&attempt, "", i18n.lang() == Lang::En)
                };
                view! {
                    <div class=class role=role id="test-message-result"><div class="alert-body">
                        <p class="alert-text">{i18n.t(key)}" "{detail}</p>
                    </div></div>
                }
            })}
            {move || attempts.get().map(|list| if list.is_empty() {
                view! { <p id="attempts-none">{i18n.t(Key::attempts_none)}</p> }.into_any()
            } else {
                let delivered = i18n.t(Key::attempts_delivered);
                let marker = i18n.t(Key::attempts_test_marker);
                view! {
                    <ScrollTable label=Key::attempts_heading id="attempts-table">
                        <thead><tr>
                            {header_cells(&[Key::attempts_col_time, Key::attempts_col_message, Key::attempts_col_result, Key::attempts_col_latency, Key::attempts_col_next])}
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|a| view! {
                                <tr>
                                    <td>{crate::time::display(a.attempted_at)}</td>
                                    <td><code>{a.message_id.clone()}</code>{a.test.then(|| format!(" {marker}"))}</td>
                                    <td>{result_text(&a, delivered, i18n.lang() == Lang::En)}</td>
                                    <td>{format!("{} ms", a.latency_ms)}</td>
                                    <td>{a.next_attempt_at.map(crate::time::display).unwrap_or_else(|| "–".to_owned())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </ScrollTable>
                }.into_any()
            })}
        </section>
    }
}

/// Issue 35: where an SFTP sender system delivers its bulk files, and the host key to pin —
/// on the system's page and its receipt.
#[component]
pub fn SftpAccessRows(
    sftp: adgang_api_types::SftpAccess,
    id_prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let address = format!("sftp://{}@{}:{}", sftp.username, sftp.host, sftp.port);
    view! {
        <div id=format!("{id_prefix}-sftp")>
            <dl>
                <div class="summary-row"><dt>{move || i18n.t(Key::sftp_address)}</dt>
                    <dd><code id=format!("{id_prefix}-sftp-address")>{address}</code></dd></div>
                <div class="summary-row"><dt>{move || i18n.t(Key::sftp_fingerprint)}</dt>
                    <dd><code id=format!("{id_prefix}-sftp-fingerprint")>{sftp.host_key_fingerprint}</code></dd></div>
            </dl>
            <p class="form-hint">{move || i18n.t(Key::sftp_hint)}</p>
        </div>
    }
}
