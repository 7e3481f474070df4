//! Statistics (SPEC §11, guide chapter 14): "Statistik" — the overview of the organisation's
//! reports with "Download rapport" and "Se detaljer" (ST-05), "Bestil standardrapport" (one of
//! the five, an interval, an optional e-mail; ST-01/02), "Bestil brugerdefineret rapport" (a
//! name, 1–8 variables, a period of at most a year; ST-04), and on the details page "Opsig
//! rapport" for a subscription (ST-03).

use adgang_api_types::{
    FieldCode, FieldError, Module, NewCustomReport, NewSubscription, ReportInterval, ReportKind,
    ReportPeriod, ReportState, ReportVariable, StandardReport, StatisticsReport,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Route;
use leptos_router::{Lazy, StaticSegment};

use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConflictAlert, FailedAlert};
use crate::components::form::{accepted, errors_for, group_class, ErrorText, TextField};
use crate::components::module_gate::IntroducedPage;
use crate::components::table::header_cells;
use crate::components::wizard::focus_element;
use crate::i18n::{conflict_key, use_i18n, I18n, Key};

lazy_pages!(statistics: fn render() -> AnyView {
    view! { <StatisticsPage/> }.into_any()
});

lazy_route!(StatisticsRoute => render());

/// `/statistik`.
#[component(transparent)]
pub fn StatisticsRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=StaticSegment(crate::pages::segment(Module::Statistics)) view={Lazy::<StatisticsRoute>::new()}/>
    }
    .into_inner()
}

#[component]
fn StatisticsPage() -> impl IntoView {
    view! {
        <IntroducedPage module=Module::Statistics heading=Key::module_statistics_tab intro=Key::st_intro>
            <Statistics/>
        </IntroducedPage>
    }
}

fn interval_key(interval: ReportInterval) -> Key {
    match interval {
        ReportInterval::Monthly => Key::st_interval_monthly,
        ReportInterval::Quarterly => Key::st_interval_quarterly,
        ReportInterval::HalfYearly => Key::st_interval_half_yearly,
        ReportInterval::Yearly => Key::st_interval_yearly,
    }
}

fn state_key(state: ReportState) -> Key {
    match state {
        ReportState::Ordered => Key::st_state_ordered,
        ReportState::Ready => Key::st_state_ready,
        ReportState::Cancelled => Key::st_state_cancelled,
        ReportState::Deleted => Key::st_state_deleted,
    }
}

fn period_text(period: Option<ReportPeriod>) -> String {
    period
        .map(|p| {
            format!(
                "{} – {}",
                p.from.format("%d-%m-%Y"),
                p.to.format("%d-%m-%Y")
            )
        })
        .unwrap_or_default()
}

fn variables_text(i18n: I18n, variables: &[ReportVariable]) -> String {
    variables
        .iter()
        .map(|v| variable_text(i18n, *v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The guide's table 14.1: what a standard report is for (§14.6, issue 33 item 7).
fn description_key(report: StandardReport) -> Key {
    match report {
        StandardReport::Overview => Key::st_desc_overview,
        StandardReport::MessageTypes => Key::st_desc_message_types,
        StandardReport::Systems => Key::st_desc_systems,
        StandardReport::SentAndReceived => Key::st_desc_sent_and_received,
        StandardReport::MemoFunctionality => Key::st_desc_memo_functionality,
    }
}

/// The guide's table 14.2: what a variable holds.
fn note_key(variable: ReportVariable) -> Key {
    match variable {
        ReportVariable::Sender => Key::st_note_sender,
        ReportVariable::Recipient => Key::st_note_recipient,
        ReportVariable::SenderSystem => Key::st_note_sender_system,
        ReportVariable::RecipientSystem => Key::st_note_recipient_system,
        ReportVariable::MessageType => Key::st_note_message_type,
        ReportVariable::Size => Key::st_note_size,
        ReportVariable::SenderCustomerType => Key::st_note_sender_customer_type,
        ReportVariable::RecipientCustomerType => Key::st_note_recipient_customer_type,
        ReportVariable::MemoFunctionality => Key::st_note_memo_functionality,
    }
}

/// A variable's label in the language shown (issue 32 item 9).
fn variable_text(i18n: I18n, variable: ReportVariable) -> &'static str {
    i18n.either(variable.danish(), variable.english())
}

/// A report's name: a standard report's title in the language shown, a custom report's own.
fn report_name(i18n: I18n, report: &StatisticsReport) -> String {
    match report.standard_report {
        Some(standard) => i18n
            .either(standard.danish(), standard.english())
            .to_owned(),
        None => report.name.clone(),
    }
}

/// What a report covers: its interval (standard) or its period (custom).
fn scope_text(i18n: I18n, report: &StatisticsReport) -> String {
    match report.interval {
        Some(interval) => i18n.t(interval_key(interval)).to_owned(),
        None => period_text(report.period),
    }
}

fn size_text(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) if b < 1024 => format!("{b} B"),
        Some(b) => format!("{:.1} KB", b as f64 / 1024.0).replace('.', ","),
        None => "–".to_owned(),
    }
}

/// Loads the overview, and again every 2 seconds while a custom report waits to be produced
/// (it is produced by the scheduler shortly after it is ordered).
fn watch(
    client: Authorised,
    reports: RwSignal<Vec<StatisticsReport>>,
    delay: std::time::Duration,
    rounds: u32,
) {
    set_timeout(
        move || {
            spawn_local(async move {
                if let Ok(found) = api::statistics::list(&client).await {
                    let waiting = found
                        .iter()
                        .any(|r| r.kind == ReportKind::Custom && r.state == ReportState::Ordered);
                    reports.set(found);
                    if waiting && rounds > 0 {
                        watch(
                            client,
                            reports,
                            std::time::Duration::from_secs(2),
                            rounds - 1,
                        );
                    }
                }
            })
        },
        delay,
    );
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    None,
    Standard,
    Custom,
}

#[component]
fn Statistics() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let reports = RwSignal::new(Vec::<StatisticsReport>::new());
    let form = RwSignal::new(Form::None);
    let selected = RwSignal::new(None::<StatisticsReport>);
    let confirming = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failed = RwSignal::new(false);
    let conflict = RwSignal::new(None::<Key>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The standard report order.
    let standard = RwSignal::new(StandardReport::Overview);
    let interval = RwSignal::new(ReportInterval::Monthly);
    // The custom report order.
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<ReportVariable>::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());

    let reload = move || {
        if let Some(client) = Authorised::of(auth) {
            watch(client, reports, std::time::Duration::ZERO, 60);
        }
    };
    Effect::new(move |_| reload());

    let open = move |which: Form| {
        form.set(which);
        selected.set(None);
        errors.set(Vec::new());
        conflict.set(None);
        done.set(None);
        name.set(String::new());
        chosen.set(Vec::new());
        from.set(String::new());
        to.set(String::new());
        email.set(String::new());
        request_animation_frame(|| focus_element("order-heading"));
    };
    let finish = move |result: Result<StatisticsReport, ApiError>, key: Key| {
        let Some(report) = accepted(result, errors, Some(conflict), failed) else {
            return;
        };
        form.set(Form::None);
        let first = report
            .next_production_at
            .map(crate::time::display)
            .unwrap_or_default();
        done.set(Some(
            i18n.t(key)
                .replace("{name}", &report_name(i18n, &report))
                .replace("{first}", &first),
        ));
        reload();
    };
    let order_standard = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let order = NewSubscription {
            report: standard.get_untracked(),
            interval: interval.get_untracked(),
            notify_email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
        };
        busy.set(true);
        conflict.set(None);
        spawn_local(async move {
            finish(
                api::statistics::subscribe(&client, &order).await,
                Key::st_standard_done,
            );
            busy.set(false);
        });
    };
    let order_custom = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let date = |s: String| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let mut unreadable = Vec::new();
        for (field, value) in [("period.from", from), ("period.to", to)] {
            if date(value.get_untracked()).is_none() {
                unreadable.push(FieldError {
                    field: field.to_owned(),
                    code: FieldCode::InvalidDate,
                    message: String::new(),
                });
            }
        }
        if !unreadable.is_empty() {
            errors.set(unreadable);
            return;
        }
        let order = NewCustomReport {
            name: name.get_untracked(),
            variables: chosen.get_untracked(),
            period: ReportPeriod {
                from: date(from.get_untracked()).unwrap_or(NaiveDate::MIN),
                to: date(to.get_untracked()).unwrap_or(NaiveDate::MIN),
            },
            notify_email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
        };
        busy.set(true);
        conflict.set(None);
        spawn_local(async move {
            finish(
                api::statistics::order_custom(&client, &order).await,
                Key::st_custom_done,
            );
            busy.set(false);
        });
    };
    let download = move |report: StatisticsReport| {
        if let Some(client) = Authorised::of(auth) {
            spawn_local(async move {
                match api::statistics::download(&client, &report).await {
                    Ok(()) => {}
                    Err(ApiError::Problem(p)) if p.reason.is_some() => {
                        conflict.set(p.reason.map(conflict_key))
                    }
                    Err(_) => failed.set(true),
                }
            });
        }
    };
    let show = move |id: String| {
        if let Some(client) = Authorised::of(auth) {
            spawn_local(async move {
                match api::statistics::get(&client, &id).await {
                    Ok(report) => {
                        form.set(Form::None);
                        done.set(None);
                        confirming.set(false);
                        selected.set(Some(report));
                        request_animation_frame(|| focus_element("details-heading"));
                    }
                    Err(_) => failed.set(true),
                }
            });
        }
    };
    let cancel = move |id: String| {
        if let Some(client) = Authorised::of(auth) {
            busy.set(true);
            spawn_local(async move {
                match api::statistics::cancel(&client, &id).await {
                    Ok(()) => {
                        selected.set(None);
                        confirming.set(false);
                        done.set(Some(i18n.t(Key::st_cancelled).to_owned()));
                        reload();
                    }
                    Err(ApiError::Problem(p)) if p.reason.is_some() => {
                        conflict.set(p.reason.map(conflict_key))
                    }
                    Err(_) => failed.set(true),
                }
                busy.set(false);
            });
        }
    };

    let name_errors = errors_for(errors, &["name"]);
    let variable_errors = errors_for(errors, &["variables"]);
    let from_errors = errors_for(errors, &["period.from", "period"]);
    let to_errors = errors_for(errors, &["period.to"]);
    let email_errors = errors_for(errors, &["notifyEmail"]);
    let report_errors = errors_for(errors, &["report", "interval"]);

    let buttons = move || {
        view! {
            <div class="wizard-buttons">
                <button type="submit" class="button button-primary" id="order-submit" disabled=move || busy.get()>
                    {i18n.text(Key::st_order)}</button>
                " "
                <button type="button" class="button button-secondary" id="order-cancel"
                    on:click=move |_| form.set(Form::None)>{i18n.text(Key::wiz_cancel)}</button>
            </div>
        }
    };

    let standard_form = move || {
        view! {
            <h2 id="order-heading" tabindex="-1">{i18n.text(Key::st_order_standard)}</h2>
            <form id="standard-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if !busy.get_untracked() { order_standard() }
            }>
                <div class=group_class(report_errors)>
                    <label class="form-label" for="standard-report">{i18n.text(Key::st_report)}</label>
                    <ErrorText errors=report_errors id="standard-report-error".to_owned()/>
                    <span class="form-hint" id="standard-description">{move || i18n.t(description_key(standard.get()))}</span>
                    <select class="form-select" id="standard-report" aria-describedby="standard-description standard-variables"
                        on:change=move |ev| if let Some(r) = StandardReport::parse(&event_target_value(&ev)) { standard.set(r) }>
                        {StandardReport::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || standard.get() == r>{move || i18n.either(r.danish(), r.english())}</option>
                        }).collect_view()}
                    </select>
                    <span class="form-hint" id="standard-variables">{move || i18n.t(Key::st_contains)
                        .replace("{variables}", &variables_text(i18n, standard.get().variables()))}</span>
                </div>
                <fieldset class="form-group">
                    <legend class="form-label">{i18n.text(Key::st_interval)}</legend>
                    <span class="form-hint">{i18n.text(Key::st_interval_hint)}</span>
                    {ReportInterval::ALL.into_iter().map(|option| {
                        let id = format!("interval-{}", option.as_str());
                        view! {
                            <div class="form-group-radio">
                                <input type="radio" class="form-radio" name="interval" id=id.clone()
                                    prop:checked=move || interval.get() == option on:change=move |_| interval.set(option)/>
                                <label for=id>{i18n.text(interval_key(option))}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <TextField id="order-email" label=Key::st_email hint=Key::st_email_hint value=email errors=email_errors input_type="email"/>
                {buttons()}
            </form>
        }
    };

    let custom_form = move || {
        view! {
            <h2 id="order-heading" tabindex="-1">{i18n.text(Key::st_order_custom)}</h2>
            <form id="custom-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if !busy.get_untracked() { order_custom() }
            }>
                <TextField id="custom-name" label=Key::st_name value=name errors=name_errors/>
                <fieldset class=group_class(variable_errors)>
                    <legend class="form-label">{i18n.text(Key::st_variables)}</legend>
                    <span class="form-hint">{i18n.text(Key::st_variables_hint)}</span>
                    <ErrorText errors=variable_errors id="custom-variables-error".to_owned()/>
                    {ReportVariable::CUSTOM.into_iter().map(|variable| {
                        let id = format!("variable-{}", variable.as_str());
                        let hint = format!("{id}-hint");
                        view! {
                            <div class="form-group-checkbox">
                                <input type="checkbox" class="form-checkbox" id=id.clone() aria-describedby=hint.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&variable))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|v| *v != variable);
                                            if on { c.push(variable) }
                                        });
                                    }/>
                                <label for=id>{move || variable_text(i18n, variable)}</label>
                                // The guide's table 14.2: what each variable holds (§14.6).
                                <span class="form-hint" id=hint>{move || i18n.t(note_key(variable))}</span>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <TextField id="custom-from" label=Key::st_from value=from errors=from_errors input_type="date"/>
                <TextField id="custom-to" label=Key::st_to hint=Key::st_period_hint value=to errors=to_errors input_type="date"/>
                <TextField id="order-email" label=Key::st_email hint=Key::st_email_hint value=email errors=email_errors input_type="email"/>
                {buttons()}
            </form>
        }
    };

    let details = move || {
        selected.get().map(|report| {
            let id = report.id.clone();
            let live_subscription = report.kind == ReportKind::Standard
                && matches!(report.state, ReportState::Ordered | ReportState::Ready);
            let row = |label: Key, value: String, id: &'static str| view! {
                <div class="summary-row"><dt>{i18n.text(label)}</dt><dd id=id>{value}</dd></div>
            };
            let kind = match report.kind {
                ReportKind::Standard => i18n.t(Key::st_kind_standard),
                ReportKind::Custom => i18n.t(Key::st_kind_custom),
            };
            let scope_label = if report.interval.is_some() { Key::st_interval } else { Key::st_period };
            let produced = report.produced_at.map(crate::time::display).unwrap_or_else(|| i18n.t(Key::st_not_produced).to_owned());
            let size = match report.rows {
                Some(rows) => format!("{} ({} {})", size_text(report.size_bytes), rows, i18n.t(Key::st_rows)),
                None => "–".to_owned(),
            };
            view! {
                <section id="report-details" aria-labelledby="details-heading">
                    <h2 id="details-heading" tabindex="-1">{report_name(i18n, &report)}</h2>
                    <dl class="summary-list">
                        {row(Key::st_type, kind.to_owned(), "details-kind")}
                        {row(Key::st_variables, variables_text(i18n, &report.variables), "details-variables")}
                        {row(scope_label, scope_text(i18n, &report), "details-scope")}
                        {(report.interval.is_some() && report.period.is_some()).then(|| row(Key::st_version_period, period_text(report.period), "details-version"))}
                        {row(Key::st_size, size, "details-size")}
                        {row(Key::st_status, i18n.t(state_key(report.state)).to_owned(), "details-state")}
                        {row(Key::st_ordered_at, crate::time::display(report.ordered_at), "details-ordered")}
                        {row(Key::st_produced_at, produced, "details-produced")}
                        {report.next_production_at.map(|at| row(Key::st_next, crate::time::display(at), "details-next"))}
                        {report.expires_at.map(|at| row(Key::st_expires, crate::time::display(at), "details-expires"))}
                    </dl>
                    {if live_subscription {
                        let id = id.clone();
                        view! {
                            <Show when=move || confirming.get() fallback=move || view! {
                                <p class="form-hint">{i18n.text(Key::st_cancel_hint)}</p>
                                <button type="button" class="button button-secondary" id="details-cancel"
                                    on:click=move |_| confirming.set(true)>{i18n.text(Key::st_cancel)}</button>
                            }>
                                <div class="alert alert-warning" role="alert" id="cancel-confirm">
                                    <div class="alert-body">
                                        <p class="alert-heading">{i18n.text(Key::st_cancel_confirm_heading)}</p>
                                        <p class="alert-text">{i18n.text(Key::st_cancel_confirm_text)}</p>
                                    </div>
                                </div>
                                <p class="wizard-buttons">
                                    <button type="button" class="button button-primary" id="cancel-confirm-button"
                                        disabled=move || busy.get() on:click={let id = id.clone(); move |_| cancel(id.clone())}>
                                        {i18n.text(Key::st_cancel_confirm)}</button>
                                    " "
                                    <button type="button" class="button button-secondary" on:click=move |_| confirming.set(false)>
                                        {i18n.text(Key::wiz_cancel)}</button>
                                </p>
                            </Show>
                        }.into_any()
                    } else if report.kind == ReportKind::Custom {
                        view! { <p class="form-hint" id="details-custom-note">{i18n.text(Key::st_custom_note)}</p> }.into_any()
                    } else {
                        ().into_any()
                    }}
                    <p><button type="button" class="button button-tertiary" id="details-close"
                        on:click=move |_| selected.set(None)>{i18n.text(Key::st_close)}</button></p>
                </section>
            }
        })
    };

    let overview = move || {
        let list = reports.get();
        if list.is_empty() {
            return view! { <p id="reports-empty">{i18n.text(Key::st_none)}</p> }.into_any();
        }
        view! {
            <table class="table table--responsive-headers" id="reports">
                <thead><tr>
                    {header_cells(&[Key::st_name, Key::st_type, Key::st_scope, Key::st_status, Key::st_produced_at, Key::st_actions])}
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|report| {
                        let kind = match report.kind {
                            ReportKind::Standard => i18n.t(Key::st_kind_standard),
                            ReportKind::Custom => i18n.t(Key::st_kind_custom),
                        };
                        let ready = report.state == ReportState::Ready;
                        let id = report.id.clone();
                        let for_download = report.clone();
                        let label = report_name(i18n, &report);
                        view! {
                            <tr>
                                <td data-title=i18n.t(Key::st_name)>{report_name(i18n, &report)}</td>
                                <td data-title=i18n.t(Key::st_type)>{kind}</td>
                                <td data-title=i18n.t(Key::st_scope)>{scope_text(i18n, &report)}</td>
                                <td data-title=i18n.t(Key::st_status)>{i18n.t(state_key(report.state))}</td>
                                <td data-title=i18n.t(Key::st_produced_at)>{report.produced_at.map(crate::time::display).unwrap_or_default()}</td>
                                <td data-title=i18n.t(Key::st_actions)>
                                    {ready.then(|| {
                                        let report = for_download.clone();
                                        view! {
                                            <button type="button" class="button button-tertiary" aria-label=format!("{} – {}", i18n.t(Key::st_download), label)
                                                on:click=move |_| download(report.clone())>{i18n.text(Key::st_download)}</button>
                                        }
                                    })}
                                    <button type="button" class="button button-tertiary" aria-label=format!("{} – {}", i18n.t(Key::st_show_details), report_name(i18n, &report))
                                        on:click=move |_| show(id.clone())>{i18n.text(Key::st_show_details)}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
    };

    view! {
        <FailedAlert failed=failed/>
        <ConflictAlert id="statistics-conflict" conflict=conflict/>
        {move || done.get().map(|text| view! {
            <div class="alert alert-success" role="status" id="statistics-done"><div class="alert-body"><p class="alert-text">{text}</p></div></div>
        })}
        {move || match form.get() {
            Form::Standard => standard_form().into_any(),
            Form::Custom => custom_form().into_any(),
            Form::None => view! {
                <p class="wizard-buttons">
                    <button type="button" class="button button-primary" id="order-standard" on:click=move |_| open(Form::Standard)>
                        {i18n.text(Key::st_order_standard)}</button>
                    " "
                    <button type="button" class="button button-secondary" id="order-custom" on:click=move |_| open(Form::Custom)>
                        {i18n.text(Key::st_order_custom)}</button>
                </p>
            }.into_any(),
        }}
        {details}
        <h2>{i18n.text(Key::st_reports)}</h2>
        {overview}
    }
}
