//! CTX-02: an operator types any CVR, searches, sees the organisation (name, kind, address) and
//! switches to it with OK.

use adgang_api_types::{OrgKind, OrganisationLookup};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::i18n::{use_i18n, Key};

#[component]
pub fn OperatorSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let cvr = RwSignal::new(String::new());
    let found = RwSignal::new(None::<OrganisationLookup>);
    let error = RwSignal::new(None::<Key>);

    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(a) = auth.authorized() else { return };
        let typed = cvr.get_untracked();
        spawn_local(async move {
            found.set(None);
            error.set(None);
            match api::auth::lookup_organisation(&a.token, &typed).await {
                Ok(org) => found.set(Some(org)),
                Err(ApiError::Problem(p)) if p.status == 400 => {
                    let code = p.errors.first().map(|e| e.code);
                    error.set(Some(
                        if code == Some(adgang_api_types::FieldCode::CvrChecksum) {
                            Key::error_cvr_checksum
                        } else {
                            Key::error_cvr_format
                        },
                    ));
                }
                Err(ApiError::Problem(p)) if p.status == 404 => {
                    error.set(Some(Key::operator_not_found))
                }
                Err(_) => error.set(Some(Key::switch_failed)),
            }
        });
    };

    let switch = move |_| {
        let Some(org) = found.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::auth::switch(&org.cvr_number).await {
                Ok(token) => {
                    auth.adopt(token).await;
                    navigate("/", Default::default());
                }
                Err(_) => error.set(Some(Key::switch_failed)),
            }
        });
    };

    view! {
        <h2>{i18n.text(Key::operator_heading)}</h2>
        <p>{i18n.text(Key::operator_intro)}</p>
        <form on:submit=search id="operator-search" class="form-group">
            <label class="form-label" for="operator-cvr">{i18n.text(Key::operator_cvr_label)}</label>
            <Show when=move || error.get().is_some()>
                <span class="form-error-message" id="operator-error" role="alert">
                    {move || error.get().map(|k| i18n.t(k))}
                </span>
            </Show>
            <input
                class="form-input input-width-s"
                id="operator-cvr"
                name="cvr"
                inputmode="numeric"
                autocomplete="off"
                maxlength="8"
                prop:value=move || cvr.get()
                on:input=move |ev| cvr.set(event_target_value(&ev))
            />
            " "
            <button type="submit" class="button button-secondary" id="operator-search-button">
                {i18n.text(Key::operator_search)}
            </button>
        </form>
        {move || found.get().map(|org| {
            let switch = switch.clone();
            let kind = if org.kind == OrgKind::Authority { Key::kind_authority } else { Key::kind_company };
            let address = format!(
                "{}, {} {}",
                org.registered_office_address.street,
                org.registered_office_address.postal_code,
                org.registered_office_address.city
            );
            view! {
                <div class="alert alert-info" role="status" id="operator-found">
                    <div class="alert-body">
                        <p class="alert-heading">{org.name.clone()}" (CVR "{org.cvr_number.clone()}")"</p>
                        <p class="alert-text">
                            {move || i18n.t(kind)}<br/>
                            {i18n.text(Key::address)}": "{address.clone()}
                        </p>
                        {(!org.known_here).then(|| view! { <p class="alert-text">{i18n.text(Key::operator_not_joined)}</p> })}
                    </div>
                </div>
                // Any CVR of the register (CTX-02): one not known here is created on the switch.
                <button type="button" class="button button-primary" id="operator-switch-ok" on:click=switch.clone()>
                    {i18n.text(Key::operator_switch)}
                </button>
            }
        })}
    }
}
