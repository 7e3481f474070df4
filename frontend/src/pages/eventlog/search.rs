//! One log's search: the form (its values in the URL's query string), the result table paged by
//! cursor, the CSV download and, for a search too large to stream, the export job.

use adgang_api_types::{ConflictReason, EventLogKind, ExportStatus, FieldError, LogExport};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::fields::{fields, Input};
use super::table::{cells, columns, time};
use super::{link, segment, tab_key};
use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{FailedAlert, GenericError};
use crate::components::form::{errors_for, group_class, ErrorText};
use crate::components::table::header_cells;
use crate::components::wizard::focus_element;
use crate::i18n::{use_i18n, Key};

/// Where the CSV download of the current search is.
#[derive(Clone, PartialEq)]
enum Download {
    Idle,
    /// the search is too large to stream; an export job is being made (its progress is
    /// a signal of its own, so the element — and focus on it — stays while it runs).
    Exporting,
    Ready(LogExport),
    Failed,
}

/// Focus is on the export's progress, or on nothing (it was removed with an element).
fn focus_is_on_progress_or_nothing() -> bool {
    document().active_element().is_none_or(|e| {
        e.id() == "log-export-progress" || e.tag_name().eq_ignore_ascii_case("body")
    })
}

#[component]
pub fn LogSearch(log: EventLogKind) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let spec = fields(log);
    // The form's values, from the URL first.
    let values: Vec<RwSignal<String>> = spec
        .iter()
        .map(|f| RwSignal::new(query.get_untracked().get(f.name).unwrap_or_default()))
        .collect();
    let values = StoredValue::new(values);
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let failed = RwSignal::new(false);
    // Cursors of the pages before the current one, and the current page's.
    let cursors: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let download = RwSignal::new(Download::Idle);

    // The search of the URL, as the API's query string (only the fields this log has).
    let search_query = move || {
        let map = query.get();
        spec.iter()
            .filter_map(|f| {
                map.get(f.name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| format!("{}={}", f.name, api::encode(v.trim())))
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    // A new search starts at the first page, with the form showing it.
    Effect::new(move |_| {
        let map = query.get();
        values.with_value(|vs| {
            for (f, v) in spec.iter().zip(vs) {
                v.set(map.get(f.name).unwrap_or_default());
            }
        });
        cursors.set(Vec::new());
        download.set(Download::Idle);
    });
    let rows = api::loaded(move || {
        let (client, q, cursor) = (
            Authorised::of(auth),
            search_query(),
            cursors.get().last().cloned(),
        );
        async move {
            let client = client?;
            match api::eventlog::page(&client, log, &q, cursor.as_deref()).await {
                Ok(rows) => {
                    errors.set(Vec::new());
                    failed.set(false);
                    Some(rows)
                }
                Err(e) => {
                    let fields = e.field_errors();
                    failed.set(fields.is_empty());
                    errors.set(fields);
                    None
                }
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = values.with_value(|vs| {
            spec.iter()
                .zip(vs)
                .filter(|(_, v)| !v.get_untracked().trim().is_empty())
                .map(|(f, v)| format!("{}={}", f.name, api::encode(v.get_untracked().trim())))
                .collect::<Vec<_>>()
                .join("&")
        });
        let target = if q.is_empty() {
            link(log)
        } else {
            format!("{}?{q}", link(log))
        };
        navigate.with_value(|nav| nav(&target, Default::default()));
    };
    let clear = move |_| {
        navigate.with_value(|nav| nav(&link(log), Default::default()));
    };

    // Rows written / rows in all, while an export runs.
    let progress = RwSignal::new((0_u64, 0_u64));
    let poll = move |client: Authorised, id: String| {
        fn again(
            client: Authorised,
            id: String,
            download: RwSignal<Download>,
            progress: RwSignal<(u64, u64)>,
        ) {
            set_timeout(
                move || {
                    spawn_local(async move {
                        // `try_set`: the user may have left the page meanwhile; then polling
                        // stops (a disposed signal takes nothing).
                        match api::eventlog::export(&client, &id).await {
                            Ok(export) if export.status == ExportStatus::Done => {
                                if download.try_set(Download::Ready(export)).is_none() {
                                    // Unless the user went on to something else meanwhile.
                                    request_animation_frame(|| {
                                        if focus_is_on_progress_or_nothing() {
                                            focus_element("log-export-download")
                                        }
                                    });
                                }
                            }
                            Ok(export) => {
                                let done = (export.rows_written, export.rows_total);
                                if progress.try_set(done).is_none() {
                                    again(client, id, download, progress);
                                }
                            }
                            Err(_) => {
                                let _ = download.try_set(Download::Failed);
                            }
                        }
                    })
                },
                std::time::Duration::from_millis(700),
            );
        }
        again(client, id, download, progress);
    };
    let download_csv = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let q = search_query();
        let file_name = format!("haendelseslog-{}.csv", segment(log));
        let filter: serde_json::Map<String, serde_json::Value> = {
            let map = query.get_untracked();
            spec.iter()
                .filter_map(|f| {
                    map.get(f.name).filter(|v| !v.trim().is_empty()).map(|v| {
                        (
                            f.name.to_owned(),
                            serde_json::Value::String(v.trim().to_owned()),
                        )
                    })
                })
                .collect()
        };
        spawn_local(async move {
            match api::eventlog::download_csv(&client, log, &q, &file_name).await {
                Ok(()) => download.set(Download::Idle),
                Err(ApiError::Problem(p)) if p.reason == Some(ConflictReason::ExportRequired) => {
                    match api::eventlog::start_export(
                        &client,
                        log,
                        &serde_json::Value::Object(filter),
                    )
                    .await
                    {
                        Ok(export) => {
                            let id = export.id.clone();
                            progress.set((export.rows_written, export.rows_total));
                            download.set(Download::Exporting);
                            // Issue 32 item 3: the user is taken to the progress, beside the
                            // button that started it.
                            request_animation_frame(|| focus_element("log-export-progress"));
                            poll(client, id);
                        }
                        Err(_) => download.set(Download::Failed),
                    }
                }
                Err(e) => {
                    let fields = e.field_errors();
                    if fields.is_empty() {
                        download.set(Download::Failed);
                    } else {
                        errors.set(fields);
                    }
                }
            }
        });
    };
    let download_export = move |export: LogExport| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        spawn_local(async move {
            let file_name = format!("haendelseslog-{}-eksport.csv", segment(log));
            if api::eventlog::download_export(&client, &export.id, &file_name)
                .await
                .is_err()
            {
                download.set(Download::Failed);
            }
        });
    };

    // Progress and the export's download sit beside "Hent CSV" in a live region that exists
    // before they do, so screen readers announce them (issue 32 item 3).
    let export_status = move || {
        match download.get() {
        Download::Idle => ().into_any(),
        Download::Failed => view! {
            <GenericError/>
        }.into_any(),
        Download::Exporting => view! {
            <div class="alert alert-info" id="log-export-progress" tabindex="-1"><div class="alert-body">
                <p class="alert-heading">{i18n.text(Key::log_export_heading)}</p>
                <p class="alert-text">{move || {
                    let (done, total) = progress.get();
                    i18n.t(Key::log_export_running)
                        .replace("{done}", &done.to_string()).replace("{total}", &total.to_string())
                }}</p>
                <progress max=move || progress.get().1.max(1).to_string()
                    value=move || progress.get().0.to_string()
                    aria-label=i18n.text(Key::log_export_heading)></progress>
            </div></div>
        }.into_any(),
        Download::Ready(export) => {
            let expires = export.expires_at.as_deref().map(time).unwrap_or_default();
            let rows = export.rows_written;
            view! {
                <div class="alert alert-success" id="log-export-ready"><div class="alert-body">
                    <p class="alert-text">{move || i18n.t(Key::log_export_ready)
                        .replace("{rows}", &rows.to_string()).replace("{expires}", &expires)}</p>
                    <button type="button" class="button button-primary" id="log-export-download"
                        on:click=move |_| download_export(export.clone())>
                        {i18n.text(Key::log_export_download)}
                    </button>
                </div></div>
            }.into_any()
        }
    }
    };

    let form_fields = spec
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let value = values.with_value(|vs| vs[i]);
            let id = format!("log-{}", f.name);
            let errs = errors_for(errors, std::slice::from_ref(&f.name));
            let error_id = format!("{id}-error");
            let label = f.label;
            let control = match f.input {
                Input::Text | Input::Date => {
                    let date = matches!(f.input, Input::Date);
                    let hint = move || date.then(|| i18n.t(Key::log_date_hint));
                    view! {
                        <input class="form-input" id=id.clone() type=if matches!(f.input, Input::Date) { "date" } else { "text" }
                            autocomplete="off" placeholder=hint
                            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    }.into_any()
                }
                Input::Choice(options) => view! {
                    <select class="form-select" id=id.clone() on:change=move |ev| value.set(event_target_value(&ev))>
                        <option value="" selected=move || value.get().is_empty()>{i18n.text(Key::log_any)}</option>
                        {move || options(i18n).into_iter().map(|(v, l)| view! {
                            <option value=v selected=move || value.get() == v>{l}</option>
                        }).collect_view()}
                    </select>
                }.into_any(),
            };
            view! {
                <div class=group_class(errs)>
                    <label class="form-label" for=id.clone()>{move || i18n.t(label)}</label>
                    <ErrorText errors=errs id=error_id/>
                    {control}
                </div>
            }
        })
        .collect_view();

    view! {
        <form class="log-search" id="log-search-form" on:submit=submit novalidate>
            <fieldset>
                <legend class="h3">{move || i18n.t(tab_key(log))}</legend>
                <p class="form-hint">{i18n.text(Key::log_period_hint)}</p>
                <div class="log-fields">{form_fields}</div>
            </fieldset>
            <button type="submit" class="button button-primary" id="log-search">{i18n.text(Key::log_search)}</button>
            " "
            <button type="button" class="button button-secondary" id="log-clear" on:click=clear>{i18n.text(Key::log_clear)}</button>
        </form>
        <FailedAlert failed=failed/>
        {move || rows.get().flatten().map(|rows| {
            let (items, next, from, to) = cells(rows, i18n);
            let count = items.len();
            let page_no = cursors.with(|c| c.len()) + 1;
            view! {
                <div class="log-results">
                    <p id="log-period">{move || i18n.t(Key::log_period_shown).replace("{from}", &from).replace("{to}", &to)}</p>
                    // §7.3–7.5: the warning stands before every download, and the button refers
                    // to it (issue 33 item 7).
                    <div class="alert alert-warning" id="log-sensitive"><div class="alert-body">
                        <p class="alert-text">{i18n.text(Key::log_sensitive_warning)}</p>
                    </div></div>
                    <div class="log-actions">
                        <button type="button" class="button button-secondary" id="log-download" on:click=download_csv
                            aria-describedby="log-sensitive">
                            {i18n.text(Key::log_download_csv)}
                        </button>
                        <div class="log-export-status" id="log-export-status" aria-live="polite">{export_status}</div>
                    </div>
                    {(count == 0).then(|| view! { <p id="log-empty">{i18n.text(Key::log_empty)}</p> })}
                    {(count > 0).then(|| view! {
                        // Wider than the screen: a focusable region, so the keyboard scrolls it.
                        <div class="table--responsive-scroll" tabindex="0" role="region"
                            aria-label=move || i18n.t(tab_key(log))>
                            <table class="table table--compact" id="log-table">
                                <caption class="sr-only">{move || i18n.t(tab_key(log))}</caption>
                                <thead><tr>{header_cells(columns(log))}</tr></thead>
                                <tbody>
                                    {items.into_iter().map(|row| view! {
                                        <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                    <nav class="log-pager" aria-label=i18n.text(Key::log_pager_label)>
                        <button type="button" class="button button-secondary" id="log-previous"
                            disabled=page_no == 1
                            on:click=move |_| cursors.update(|c| { c.pop(); })>
                            {i18n.text(Key::log_previous)}
                        </button>
                        <span class="log-page-no">{move || i18n.t(Key::log_page).replace("{n}", &page_no.to_string())}</span>
                        {next.map(|cursor| view! {
                            <button type="button" class="button button-secondary" id="log-next"
                                on:click=move |_| cursors.update(|c| c.push(cursor.clone()))>
                                {i18n.text(Key::log_next)}
                            </button>
                        })}
                    </nav>
                </div>
            }
        })}
    }
}
