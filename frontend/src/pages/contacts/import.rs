//! "Import kontaktstruktur" (CS-06): choose an edited export, see what it would do — or every
//! bad cell with its address — and only then apply it, all or nothing.

use adgang_api_types::{ContactImportReceipt, FieldError, Module};
use leptos::prelude::*;

use super::link;
use leptos::task::spawn_local;

use crate::api::Authorised;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::components::module_gate::IntroducedPage;
use crate::components::wizard::summary_row;
use crate::i18n::{error_key, use_i18n, Key};

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let file = RwSignal::new_local(None::<web_sys::File>);
    let checked = RwSignal::new(None::<ContactImportReceipt>);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let working = RwSignal::new(false);
    let failed = RwSignal::new(false);

    let run = move |dry_run: bool| {
        let (Some(client), Some(chosen)) = (Authorised::of(auth), file.get_untracked()) else {
            return;
        };
        working.set(true);
        failed.set(false);
        problems.set(Vec::new());
        spawn_local(async move {
            match api::contacts::import(&client, chosen, dry_run).await {
                Ok(receipt) => checked.set(Some(receipt)),
                Err(ApiError::Problem(p)) if p.status == 400 || p.status == 413 => {
                    checked.set(None);
                    problems.set(if p.errors.is_empty() {
                        vec![FieldError {
                            field: String::new(),
                            code: adgang_api_types::FieldCode::TooLarge,
                            message: p.detail.unwrap_or_default(),
                        }]
                    } else {
                        p.errors
                    });
                }
                Err(_) => failed.set(true),
            }
            working.set(false);
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        file.set(crate::components::form::chosen_file(&ev));
        checked.set(None);
        if file.get_untracked().is_some() {
            run(true);
        }
    };
    let count = |label: Key, n: u32| summary_row(label, n.to_string());

    view! {
        <IntroducedPage module=Module::ContactStructure heading=Key::cs_import intro=Key::ci_intro>
            <div class="form-group">
                <label class="form-label" for="ci-file">{i18n.text(Key::ci_file)}</label>
                <input type="file" id="ci-file" class="form-file-input"
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=on_file/>
            </div>
            <Show when=move || working.get()>
                <p role="status">{i18n.text(Key::ci_working)}</p>
            </Show>
            <FailedAlert failed=failed/>
            <Show when=move || !problems.get().is_empty()>
                <div class="alert alert-error" role="alert" id="ci-errors">
                    <div class="alert-body">
                        <p class="alert-text">{i18n.text(Key::ci_errors)}</p>
                    </div>
                </div>
                <table class="table" id="ci-error-table">
                    <thead><tr><th>{i18n.text(Key::ci_cell)}</th><th>{i18n.text(Key::ci_problem)}</th></tr></thead>
                    <tbody>
                        {move || problems.get().into_iter().map(|e| {
                            let key = error_key(e.code);
                            // Codes without a Danish text of their own show the API's explanation.
                            let text = if key == Key::error_generic { e.message.clone() } else { i18n.t(key).to_owned() };
                            // Errors of the file as a whole name no cell.
                            let cell = match e.field.as_str() {
                                "file" | "" => i18n.t(Key::ci_whole_file).to_owned(),
                                sheet_and_cell => sheet_and_cell.to_owned(),
                            };
                            view! { <tr><td>{cell}</td><td>{text}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            {move || checked.get().map(|r| view! {
                <section id="ci-result">
                    <div class=if r.applied { "alert alert-success" } else { "alert alert-info" } role="status">
                        <div class="alert-body"><p class="alert-text">{move || i18n.t(if r.applied { Key::ci_applied } else { Key::ci_checked })}</p></div>
                    </div>
                    <dl>
                        {count(Key::ci_groups_created, r.groups_created)}
                        {count(Key::ci_groups_updated, r.groups_updated)}
                        {count(Key::ci_groups_unchanged, r.groups_unchanged)}
                        {count(Key::ci_points_created, r.points_created)}
                        {count(Key::ci_points_updated, r.points_updated)}
                        {count(Key::ci_points_unchanged, r.points_unchanged)}
                    </dl>
                    {(!r.applied).then(|| view! {
                        <button type="button" class="button button-primary" id="ci-apply" disabled=move || working.get()
                            on:click=move |_| run(false)>
                            {i18n.text(Key::ci_apply)}
                        </button>
                    })}
                    " "
                    <a href=link("") class="button button-secondary" id="ci-back">{i18n.text(Key::cp_to_structure)}</a>
                </section>
            })}
        </IntroducedPage>
    }
}
