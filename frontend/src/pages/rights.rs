//! Rights administration: a `rights_admin` sees the organisation's users and grants or revokes
//! their rights (stands in for the external rights portal; every change is logged server-side).

use adgang_api_types::{OrganisationUser, Right};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::table::{hidden_header_cell, ScrollTable};
use crate::components::wizard::focus_element;
use crate::i18n::{conflict_key, right_key, use_i18n, Key};

/// The rights an organisation's administrator hands out (operator is the platform's).
fn grantable() -> impl Iterator<Item = Right> {
    Right::ALL.into_iter().filter(|r| *r != Right::Operator)
}

lazy_pages!(rights: fn render() -> AnyView {
    view! { <RightsPage/> }.into_any()
});

lazy_route!(
    /// `/rettigheder`
    RightsRoute => render()
);

#[component]
pub fn RightsPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let users = RwSignal::new(None::<Vec<OrganisationUser>>);
    let editing = RwSignal::new(None::<String>);
    let draft = RwSignal::new(Vec::<Right>::new());
    // The user (RID/UUID) whose rights were just saved; shown by name once the list has them.
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<Key>);
    let new_user = RwSignal::new(String::new());
    let new_right = RwSignal::new(Right::SystemAdmin);
    // The rights a user is about to take from themself, shown for confirmation (issue 32 item
    // 1): they cannot give them back.
    let own_removal = RwSignal::new(None::<Vec<Right>>);
    let me = move || {
        auth.authorized()
            .map(|a| a.session.user_id)
            .unwrap_or_default()
    };

    let allowed = move || {
        auth.authorized()
            .is_some_and(|a| a.session.rights.contains(&Right::RightsAdmin))
    };
    let reload = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        spawn_local(async move {
            match api::rights::users(&client).await {
                Ok(list) => users.set(Some(list)),
                Err(_) => error.set(Some(Key::error_generic)),
            }
        });
    };
    Effect::new(move |_| {
        if allowed() {
            reload();
        }
    });

    let save = move |user: OrganisationUser, confirmed: bool| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let wanted = draft.get_untracked();
        let removed: Vec<Right> = user
            .rights
            .iter()
            .copied()
            .filter(|r| !wanted.contains(r))
            .collect();
        let own = user.user_id == me();
        if own && !removed.is_empty() && !confirmed {
            own_removal.set(Some(removed));
            request_animation_frame(|| focus_element("rights-own-text"));
            return;
        }
        own_removal.set(None);
        spawn_local(async move {
            let mut result = Ok(());
            for right in grantable() {
                let (had, wants) = (user.rights.contains(&right), wanted.contains(&right));
                let step = match (had, wants) {
                    (false, true) => api::rights::grant(&client, &user.user_id, right).await,
                    (true, false) => api::rights::revoke(&client, &user.user_id, right).await,
                    _ => Ok(()),
                };
                if step.is_err() {
                    result = step;
                    break;
                }
            }
            match result {
                Ok(()) => {
                    editing.set(None);
                    error.set(None);
                    message.set(Some(user.user_id.clone()));
                    request_animation_frame(|| focus_element("rights-saved"));
                }
                Err(ApiError::Problem(p)) if p.status == 409 => {
                    error.set(Some(p.reason.map_or(Key::error_generic, conflict_key)));
                    request_animation_frame(|| focus_element("rights-error"));
                }
                Err(_) => error.set(Some(Key::error_generic)),
            }
            if own {
                // The session's rights (tabs, this page) follow the saved ones.
                auth.renew().await;
            } else {
                reload();
            }
        });
    };
    let start_edit = move |user: &OrganisationUser| {
        draft.set(user.rights.clone());
        message.set(None);
        own_removal.set(None);
        editing.set(Some(user.user_id.clone()));
        request_animation_frame(|| focus_element("rights-editor-heading"));
    };
    let stop_edit = move || {
        if let Some(id) = editing.get_untracked() {
            request_animation_frame(move || focus_element(&format!("edit-{id}")));
        }
        own_removal.set(None);
        editing.set(None);
    };
    let edited = move || {
        let id = editing.get()?;
        users.get()?.into_iter().find(|u| u.user_id == id)
    };

    let grant_new = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let user_id = new_user.get_untracked().trim().to_owned();
        if user_id.is_empty() {
            error.set(Some(Key::rights_user_required));
            return;
        }
        let right = new_right.get_untracked();
        spawn_local(async move {
            match api::rights::grant(&client, &user_id, right).await {
                Ok(()) => {
                    error.set(None);
                    new_user.set(String::new());
                    message.set(Some(user_id));
                    reload();
                }
                Err(_) => error.set(Some(Key::error_generic)),
            }
        });
    };

    let rights_text = move |rights: &[Right]| {
        if rights.is_empty() {
            i18n.t(Key::rights_none).to_owned()
        } else {
            rights
                .iter()
                .map(|r| i18n.t(right_key(*r)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };

    view! {
        <h1>{i18n.text(Key::rights_heading)}</h1>
        <Show when=allowed fallback=move || view! {
            <div class="alert alert-info" role="status">
                <div class="alert-body"><p class="alert-text">{i18n.text(Key::module_no_access)}</p></div>
            </div>
        }>
            <p>{i18n.text(Key::rights_intro)}</p>
            <Show when=move || message.get().is_some()>
                <div class="alert alert-success" role="status" id="rights-saved" tabindex="-1">
                    <div class="alert-body"><p class="alert-text">
                        {i18n.text(Key::rights_saved)}" "{move || {
                            let id = message.get().unwrap_or_default();
                            users.get().unwrap_or_default().into_iter()
                                .find(|u| u.user_id == id)
                                // A RID granted before its first login has no name yet.
                                .map_or(id, |u| if u.name.is_empty() { u.user_id } else { u.name })
                        }}
                    </p></div>
                </div>
            </Show>
            <Show when=move || error.get().is_some()>
                <div class="alert alert-error" role="alert" id="rights-error" tabindex="-1">
                    <div class="alert-body"><p class="alert-text">{move || error.get().map(|k| i18n.t(k))}</p></div>
                </div>
            </Show>
            <ScrollTable label=Key::rights_heading id="rights-users" compact=true>
                <thead><tr>
                    <th scope="col">{i18n.text(Key::rights_name)}</th>
                    <th scope="col">"RID/UUID"</th>
                    <th scope="col">{i18n.text(Key::rights_rights)}</th>
                    {hidden_header_cell(Key::rights_edit)}
                </tr></thead>
                <tbody>
                {move || users.get().unwrap_or_default().into_iter().map(|u| {
                    let id = u.user_id.clone();
                    let text = rights_text(&u.rights);
                    let start = { let u = u.clone(); move |_| start_edit(&u) };
                    view! {
                        <tr data-user=id.clone()>
                            <td>{u.name.clone()}</td>
                            <td>{u.user_id.clone()}</td>
                            <td class="rights-held">{text}</td>
                            <td>
                                <button type="button" class="button button-secondary" id=format!("edit-{id}") on:click=start
                                    aria-label=format!("{} {}", i18n.t(Key::rights_edit), u.name)>
                                    {i18n.text(Key::rights_edit)}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
                </tbody>
            </ScrollTable>

            // Outside the table's scroll box, so that the boxes and "Gem" are on screen on a
            // phone too (issue 32 item 2); focus moves here when "Redigér" is pressed.
            {move || edited().map(|user| {
                let name = if user.name.is_empty() { user.user_id.clone() } else { user.name.clone() };
                let confirm_user = user.clone();
                view! {
                    <section class="rights-editor" id="rights-editor" aria-labelledby="rights-editor-heading">
                        <h2 class="h3" id="rights-editor-heading" tabindex="-1">
                            {i18n.text(Key::rights_rights)}" – "{name}
                        </h2>
                        <fieldset>
                            <legend class="sr-only">{i18n.text(Key::rights_rights)}</legend>
                            {grantable().map(|right| {
                                let box_id = format!("right-{}-{}", user.user_id, right.as_str());
                                view! {
                                    <div class="form-group-checkbox">
                                        <input type="checkbox" class="form-checkbox" id=box_id.clone()
                                            prop:checked=move || draft.get().contains(&right)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                own_removal.set(None);
                                                draft.update(|d| { d.retain(|r| *r != right); if on { d.push(right); } });
                                            }/>
                                        <label for=box_id>{move || i18n.t(right_key(right))}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <Show when=move || own_removal.get().is_some() fallback={
                            let user = user.clone();
                            move || {
                                let user = user.clone();
                                view! {
                                    <button type="button" class="button button-primary" id="rights-save"
                                        on:click=move |_| save(user.clone(), false)>
                                        {i18n.text(Key::rights_save)}
                                    </button>
                                    " "
                                    <button type="button" class="button button-tertiary" id="rights-cancel" on:click=move |_| stop_edit()>
                                        {i18n.text(Key::switch_cancel)}
                                    </button>
                                }
                            }
                        }>
                            <div class="alert alert-warning" role="group" aria-labelledby="rights-own-text" id="rights-own-panel">
                                <div class="alert-body">
                                    <p class="alert-text" id="rights-own-text" tabindex="-1">
                                        {i18n.text(Key::rights_own_warning)}" "
                                        <strong>{move || rights_text(&own_removal.get().unwrap_or_default())}</strong>". "
                                        {i18n.text(Key::rights_own_consequence)}
                                    </p>
                                    <button type="button" class="button button-primary" id="rights-own-confirm"
                                        on:click={ let user = confirm_user.clone(); move |_| save(user.clone(), true) }>
                                        {i18n.text(Key::rights_own_confirm)}
                                    </button>
                                    " "
                                    <button type="button" class="button button-tertiary" id="rights-own-cancel"
                                        on:click=move |_| { own_removal.set(None); request_animation_frame(|| focus_element("rights-save")); }>
                                        {i18n.text(Key::switch_cancel)}
                                    </button>
                                </div>
                            </div>
                        </Show>
                    </section>
                }
            })}

            <form id="rights-grant-new" on:submit=grant_new>
                <fieldset>
                    <legend class="h2">{i18n.text(Key::rights_grant_heading)}</legend>
                    <p class="form-hint">{i18n.text(Key::rights_grant_hint)}</p>
                    <div class="form-group">
                        <label class="form-label" for="rights-new-user">"RID/UUID"</label>
                        <input class="form-input input-width-m" id="rights-new-user" autocomplete="off"
                            prop:value=move || new_user.get() on:input=move |ev| new_user.set(event_target_value(&ev))/>
                    </div>
                    <div class="form-group">
                        <label class="form-label" for="rights-new-right">{i18n.text(Key::rights_right)}</label>
                        <select class="form-select" id="rights-new-right"
                            on:change=move |ev| if let Some(r) = Right::parse(&event_target_value(&ev)) { new_right.set(r) }>
                            {grantable().map(|r| view! { <option value=r.as_str()>{move || i18n.t(right_key(r))}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button button-primary" id="rights-grant">{i18n.text(Key::rights_grant)}</button>
                </fieldset>
            </form>
        </Show>
    }
}
