//! The front page: one DKFDS card per module (SPEC §0 texts), linking to the module's route.

use leptos::prelude::*;

use crate::app::use_environment;
use crate::i18n::{module_texts, use_i18n, Key};

#[component]
pub fn FrontPage() -> impl IntoView {
    let i18n = use_i18n();
    let environment = use_environment();

    view! {
        <h1>{move || i18n.t(Key::front_heading)}</h1>
        <p class="font-lead">{move || i18n.t(Key::front_intro)}</p>
        <Transition fallback=move || view! { <p class="loading">{i18n.t(Key::front_loading)}</p> }>
            {move || environment.get().map(|result| match result {
                Ok(info) => view! {
                    <ul class="card-row row module-cards">
                        {info.modules.into_iter().map(|module| {
                            let (tab, card) = module_texts(module);
                            view! {
                                <li class="col-12 col-md-6 col-lg-4">
                                    <a class="card long" href=module.route() data-module=module.id()>
                                        <div class="card-content">
                                            <h2 class="card-heading">{move || i18n.t(tab)}</h2>
                                            <p class="card-subheading">{move || i18n.t(card)}</p>
                                        </div>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(_) => view! {
                    <div class="alert alert-error" role="alert">
                        <div class="alert-body">
                            <p class="alert-text">{move || i18n.t(Key::front_error)}</p>
                        </div>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}
