//! "Skift virksomhed" (CTX-01): pick one of the user's organisations and press OK; the shell
//! then shows the cards and tabs for the rights there.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use adgang_api_types::Right;

use crate::api;
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::components::operator_switch::OperatorSwitch;
use crate::i18n::{use_i18n, Key};

lazy_pages!(switch: fn render() -> AnyView {
    view! { <SwitchPage/> }.into_any()
});

lazy_route!(
    /// `/skift-virksomhed`
    SwitchRoute => render()
);

#[component]
pub fn SwitchPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let chosen = RwSignal::new(None::<String>);
    let failed = RwSignal::new(false);
    // Read the session before the async part, so that the list loads again once a direct load
    // or reload has restored it; until then there is nothing to say ("no other organisations"
    // would be wrong).
    let choices = api::loaded(move || {
        let signed_in = auth.authorized();
        async move {
            match signed_in {
                Some(a) => Some(api::auth::organisations(&a.token).await.unwrap_or_default()),
                None => None,
            }
        }
    });
    let choices = Signal::derive(move || choices.get().flatten());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(cvr) = chosen.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::auth::switch(&cvr).await {
                Ok(token) => {
                    auth.adopt(token).await;
                    navigate("/", Default::default());
                }
                Err(_) => failed.set(true),
            }
        });
    };

    view! {
        <h1>{i18n.text(Key::switch_heading)}</h1>
        <p>{i18n.text(Key::switch_intro)}</p>
        <FailedAlert failed=failed text=Key::switch_failed/>
        <form on:submit=submit id="switch-form">
            <fieldset>
                <legend class="sr-only">{i18n.text(Key::switch_heading)}</legend>
                    {move || choices.get().map(|orgs| {
                        // Somewhere to switch to: another of the user's organisations, or —
                        // for an operator acting on behalf of one not in the list — home
                        // (issue 32 item 7).
                        if !orgs.iter().any(|o| !o.current) {
                            return view! { <p>{i18n.text(Key::switch_none)}</p> }.into_any();
                        }
                        orgs.into_iter().map(|org| {
                            let cvr = org.cvr_number.clone();
                            let id = format!("org-{}", org.cvr_number);
                            if org.current {
                                chosen.set(Some(cvr.clone()));
                            }
                            view! {
                                <div class="form-group-radio">
                                    <input
                                        type="radio"
                                        class="form-radio"
                                        name="organisation"
                                        id=id.clone()
                                        value=cvr.clone()
                                        checked=org.current
                                        on:change=move |_| chosen.set(Some(cvr.clone()))
                                    />
                                    <label for=id>
                                        {org.name.clone()}" (CVR "{org.cvr_number.clone()}") "
                                        {org.current.then(|| i18n.t(Key::switch_current))}
                                    </label>
                                </div>
                            }
                        }).collect_view().into_any()
                    })}
            </fieldset>
            <p>
                // OK only when there is somewhere to switch to.
                <Show when=move || choices.get().is_some_and(|orgs| orgs.iter().any(|o| !o.current))>
                    <button type="submit" class="button button-primary" id="switch-ok">{i18n.text(Key::switch_ok)}</button>
                </Show>
                " "
                <a class="button button-secondary" href="/">{i18n.text(Key::switch_cancel)}</a>
            </p>
        </form>
        <Show when=move || auth.authorized().is_some_and(|a| a.session.rights.contains(&Right::Operator))>
            <OperatorSwitch/>
        </Show>
    }
}
