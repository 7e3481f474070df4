//! Rights administration: a `rights_admin` sees the organisation's users and grants or revokes
//! their rights (stands in for the external rights portal; every change is logged server-side).

use adgang_api_types::{OrganisationUser, Right};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::api::Authorised;
use crate::auth::use_auth;
use crate::i18n::{right_key, use_i18n, Key};

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

    let save = move |user: OrganisationUser| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let wanted = draft.get_untracked();
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
                }
                Err(_) => error.set(Some(Key::error_generic)),
            }
            reload();
        });
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
                <div class="alert alert-success" role="status" id="rights-saved">
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
                <div class="alert alert-error" role="alert" id="rights-error">
                    <div class="alert-body"><p class="alert-text">{move || error.get().map(|k| i18n.t(k))}</p></div>
                </div>
            </Show>
            <div class="table--responsive-scroll">
            <table class="table table--compact" id="rights-users">
                <caption class="sr-only">{i18n.text(Key::rights_heading)}</caption>
                <thead><tr>
                    <th scope="col">{i18n.text(Key::rights_name)}</th>
                    <th scope="col">"RID/UUID"</th>
                    <th scope="col">{i18n.text(Key::rights_rights)}</th>
                    <th scope="col"><span class="sr-only">{i18n.text(Key::rights_edit)}</span></th>
                </tr></thead>
                <tbody>
                {move || users.get().unwrap_or_default().into_iter().map(|u| {
                    let id = u.user_id.clone();
                    let is_editing = { let id = id.clone(); move || editing.get().as_deref() == Some(id.as_str()) };
                    let start = { let u = u.clone(); move |_| { draft.set(u.rights.clone()); message.set(None); editing.set(Some(u.user_id.clone())); } };
                    let save_user = u.clone();
                    let text = rights_text(&u.rights);
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
                        <Show when=is_editing.clone()>
                            <tr><td colspan="4">
                                <fieldset>
                                    <legend class="h4">{i18n.text(Key::rights_rights)}" – "{save_user.name.clone()}</legend>
                                    {grantable().map(|right| {
                                        let box_id = format!("right-{}-{}", save_user.user_id, right.as_str());
                                        view! {
                                            <div class="form-group-checkbox">
                                                <input type="checkbox" class="form-checkbox" id=box_id.clone()
                                                    prop:checked=move || draft.get().contains(&right)
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        draft.update(|d| { d.retain(|r| *r != right); if on { d.push(right); } });
                                                    }/>
                                                <label for=box_id>{move || i18n.t(right_key(right))}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <button type="button" class="button button-primary" id="rights-save"
                                    on:click={ let user = save_user.clone(); move |_| save(user.clone()) }>
                                    {i18n.text(Key::rights_save)}
                                </button>
                                " "
                                <button type="button" class="button button-tertiary" on:click=move |_| editing.set(None)>
                                    {i18n.text(Key::switch_cancel)}
                                </button>
                            </td></tr>
                        </Show>
                    }
                }).collect_view()}
                </tbody>
            </table>
            </div>

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
