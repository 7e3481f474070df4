use leptos::prelude::*;

use crate::environment::use_environment;
use crate::i18n::{use_i18n, Key};

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    let environment = use_environment();
    let version = move || match environment.get() {
        Some(Ok(info)) => format!("{} {}", i18n.t(Key::version), info.version),
        _ => String::new(),
    };
    view! {
        <footer class="footer">
            <div class="container">
                <p>{i18n.text(Key::footer_text)}" · "{version}</p>
            </div>
        </footer>
    }
}
