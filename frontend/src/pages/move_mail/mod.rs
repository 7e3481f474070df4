//! Move mail (SPEC §12, guide chapter 15): "Flyt post" — the organisation's earlier moves with
//! their progress and receipts, and the wizard: period (all mail or a part) → destination (a
//! chosen contact point, or each message's tagged point with a failover point) → summary with
//! the tick "posten slettes fra Virk, e-Boks og mit.dk" → "Start flytning af post" → receipt and
//! a progress bar that follows the background job.

use adgang_api_types::{
    FieldError, MailMove, MailMoveState, Module, MoveContactPoint, MoveMode, MovePeriod,
    NewMailMove,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Route;
use leptos_router::{Lazy, StaticSegment};

use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConflictAlert, FailedAlert};
use crate::components::form::{errors_for, group_class, radio, ErrorText, TextField};
use crate::components::module_gate::IntroducedPage;
use crate::components::step_indicator::StepIndicator;
use crate::components::table::header_cells;
use crate::components::wizard::{focus_step_heading, WizardSteps, STEP_HEADING};
use crate::i18n::{conflict_key, use_i18n, I18n, Key};

lazy_pages!(move_mail: fn render() -> AnyView {
    view! { <MoveMailPage/> }.into_any()
});

lazy_route!(MoveMailRoute => render());

/// `/flyt-post`.
#[component(transparent)]
pub fn MoveMailRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=StaticSegment(crate::pages::segment(Module::MoveMail)) view={Lazy::<MoveMailRoute>::new()}/>
    }
    .into_inner()
}

const PERIOD: usize = 0;
const DESTINATION: usize = 1;
const SUMMARY: usize = 2;
const STEPS: &[Key] = &[
    Key::mv_step_period,
    Key::mv_step_destination,
    Key::mv_step_summary,
];

/// The step an API field belongs to.
fn step_of(field: &str) -> usize {
    if field.starts_with("period") {
        PERIOD
    } else if field == "confirmDeletion" {
        SUMMARY
    } else {
        DESTINATION
    }
}

#[component]
fn MoveMailPage() -> impl IntoView {
    view! {
        <IntroducedPage module=Module::MoveMail heading=Key::module_move_mail_tab intro=Key::mv_intro>
            <MoveMail/>
        </IntroducedPage>
    }
}

fn period_text(i18n: I18n, period: Option<MovePeriod>) -> String {
    match period {
        Some(p) => format!(
            "{} – {}",
            p.from.format("%d-%m-%Y"),
            p.to.format("%d-%m-%Y")
        ),
        None => i18n.t(Key::mv_all_mail).to_owned(),
    }
}

fn state_key(state: MailMoveState) -> Key {
    match state {
        MailMoveState::Waiting => Key::mv_state_waiting,
        MailMoveState::Running => Key::mv_state_running,
        MailMoveState::Completed => Key::mv_state_completed,
        MailMoveState::Failed => Key::mv_state_failed,
    }
}

/// Polls move `id` until it is no longer running or waiting, then runs `done`.
fn follow(client: Authorised, id: String, current: RwSignal<Option<MailMove>>, done: Callback<()>) {
    set_timeout(
        move || {
            spawn_local(async move {
                if let Ok(found) = api::move_mail::get(&client, &id).await {
                    let running =
                        matches!(found.state, MailMoveState::Running | MailMoveState::Waiting);
                    current.set(Some(found));
                    if running {
                        follow(client, id, current, done);
                    } else {
                        done.run(());
                    }
                }
            })
        },
        std::time::Duration::from_millis(800),
    );
}

fn unfinished(moves: &[MailMove]) -> bool {
    moves
        .iter()
        .any(|m| matches!(m.state, MailMoveState::Running | MailMoveState::Waiting))
}

/// Loads the organisation's moves into `moves`, and again every second while one of them is
/// still running or waiting (MV-04: the table shows the progress without a reload).
fn watch_moves(client: Authorised, moves: RwSignal<Vec<MailMove>>, delay: std::time::Duration) {
    set_timeout(
        move || {
            spawn_local(async move {
                if let Ok(found) = api::move_mail::list(&client).await {
                    let again = unfinished(&found);
                    moves.set(found);
                    if again {
                        watch_moves(client, moves, std::time::Duration::from_secs(1));
                    }
                }
            })
        },
        delay,
    );
}

/// A move's progress: "x af y flyttet" and a bar.
fn progress_view(i18n: I18n, m: &MailMove) -> impl IntoView {
    let (moved, total) = (m.moved, m.total);
    let state = state_key(m.state);
    view! {
        <p class="alert-text" id="move-progress-text">{move || i18n.t(Key::mv_progress)
            .replace("{moved}", &moved.to_string())
            .replace("{total}", &total.to_string())
            .replace("{state}", i18n.t(state))}</p>
        <progress id="move-progress" max=total.max(1).to_string() value=moved.to_string()
            aria-label=i18n.text(Key::mv_progress_label)></progress>
    }
}

#[component]
fn MoveMail() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let moves = RwSignal::new(Vec::<MailMove>::new());
    let points = RwSignal::new(Vec::<MoveContactPoint>::new());
    let points_loaded = RwSignal::new(false);
    let open = RwSignal::new(false);
    let steps = WizardSteps::new(PERIOD, SUMMARY);
    let step = steps.step;
    let whole = RwSignal::new(true);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let mode = RwSignal::new(MoveMode::Chosen);
    let point = RwSignal::new(String::new());
    let failover = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failed = RwSignal::new(false);
    let conflict = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);
    let started = RwSignal::new(None::<MailMove>);

    let reload = move || {
        if let Some(client) = Authorised::of(auth) {
            watch_moves(client, moves, std::time::Duration::ZERO);
        }
    };
    Effect::new(move |_| {
        if let Some(client) = Authorised::of(auth) {
            spawn_local(async move {
                match (
                    api::move_mail::list(&client).await,
                    api::move_mail::contact_points(&client).await,
                ) {
                    (Ok(found), Ok(choices)) => {
                        let again = unfinished(&found);
                        moves.set(found);
                        points.set(choices);
                        points_loaded.set(true);
                        if again {
                            watch_moves(client, moves, std::time::Duration::from_secs(1));
                        }
                    }
                    _ => failed.set(true),
                }
            });
        }
    });

    // The order as typed; an unreadable date is sent as none and reported by the API.
    let order = move || {
        let date = |s: String| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let period = if whole.get_untracked() {
            None
        } else {
            let (f, t) = (date(from.get_untracked()), date(to.get_untracked()));
            Some(MovePeriod {
                from: f.unwrap_or(NaiveDate::MIN),
                to: t.unwrap_or(NaiveDate::MIN),
            })
        };
        let chosen = |s: RwSignal<String>| Some(s.get_untracked()).filter(|s| !s.is_empty());
        NewMailMove {
            period,
            mode: mode.get_untracked(),
            contact_point_id: chosen(point),
            failover_contact_point_id: chosen(failover),
            confirm_deletion: confirm.get_untracked(),
        }
    };
    let period_missing = move || {
        let date = |s: String| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok();
        let mut missing = Vec::new();
        if !whole.get_untracked() {
            for (field, value) in [("period.from", from), ("period.to", to)] {
                if !date(value.get_untracked()) {
                    missing.push(FieldError {
                        field: field.to_owned(),
                        code: adgang_api_types::FieldCode::InvalidDate,
                        message: String::new(),
                    });
                }
            }
        }
        missing
    };
    let next = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let missing = period_missing();
        if !missing.is_empty() {
            errors.set(missing);
            steps.go(PERIOD);
            request_animation_frame(focus_step_heading);
            return;
        }
        let draft = order();
        steps.check_and_go(
            async move { api::move_mail::check(&client, &draft).await },
            step_of,
            errors,
            failed,
        );
    };
    let submit = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let draft = order();
        busy.set(true);
        failed.set(false);
        conflict.set(None);
        spawn_local(async move {
            match api::move_mail::start(&client, &draft).await {
                Ok(job) => {
                    errors.set(Vec::new());
                    let id = job.id.clone();
                    started.set(Some(job));
                    follow(client, id, started, Callback::new(move |_| reload()));
                    reload();
                    request_animation_frame(focus_step_heading);
                }
                Err(ApiError::Problem(p)) if p.status == 400 => {
                    steps.refused(&p.errors, step_of);
                    errors.set(p.errors);
                }
                Err(ApiError::Problem(p)) if p.reason.is_some() => {
                    conflict.set(p.reason.map(conflict_key))
                }
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };
    let download = move |id: String| {
        if let Some(client) = Authorised::of(auth) {
            spawn_local(async move {
                if api::move_mail::download_receipt(&client, &id)
                    .await
                    .is_err()
                {
                    failed.set(true);
                }
            });
        }
    };
    let begin = move |_| {
        started.set(None);
        whole.set(true);
        from.set(String::new());
        to.set(String::new());
        mode.set(MoveMode::Chosen);
        point.set(String::new());
        failover.set(String::new());
        confirm.set(false);
        errors.set(Vec::new());
        conflict.set(None);
        steps.go(PERIOD);
        open.set(true);
        request_animation_frame(focus_step_heading);
    };

    let from_errors = errors_for(errors, &["period.from", "period"]);
    let to_errors = errors_for(errors, &["period.to"]);
    let point_errors = errors_for(errors, &["contactPointId", "mode"]);
    let failover_errors = errors_for(errors, &["failoverContactPointId"]);
    let confirm_errors = errors_for(errors, &["confirmDeletion"]);

    let point_name = move |id: String| {
        points
            .with(|ps| ps.iter().find(|p| p.id == id).map(|p| p.name.clone()))
            .unwrap_or(id)
    };
    let select = move |id: &'static str,
                       label: Key,
                       value: RwSignal<String>,
                       errs: Signal<Vec<crate::components::form::FieldMessage>>| {
        view! {
            <div class=group_class(errs)>
                <label class="form-label" for=id>{i18n.text(label)}</label>
                <ErrorText errors=errs id=format!("{id}-error")/>
                <select class="form-select" id=id on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="" selected=move || value.get().is_empty()>{i18n.text(Key::mv_choose_point)}</option>
                    {move || points.get().into_iter().map(|p| {
                        let label = if p.usable { p.name.clone() } else { format!("{} ({})", p.name, i18n.t(Key::mv_not_usable)) };
                        let v = p.id.clone();
                        view! { <option value=p.id.clone() disabled=!p.usable selected=move || value.get() == v>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let history = move || {
        let list = moves.get();
        (!list.is_empty()).then(|| view! {
            <h2>{i18n.text(Key::mv_history)}</h2>
            <table class="table table--responsive-headers" id="move-history">
                <thead><tr>
                    {header_cells(&[Key::mv_ordered, Key::mv_period, Key::mv_status, Key::mv_receipt])}
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|m| {
                        let id = m.id.clone();
                        let status = i18n.t(Key::mv_progress)
                            .replace("{moved}", &m.moved.to_string())
                            .replace("{total}", &m.total.to_string())
                            .replace("{state}", i18n.t(state_key(m.state)));
                        view! {
                            <tr>
                                <td data-title=i18n.t(Key::mv_ordered)>{crate::time::display(m.created_at)}</td>
                                <td data-title=i18n.t(Key::mv_period)>{period_text(i18n, m.period)}</td>
                                <td data-title=i18n.t(Key::mv_status)>{status}</td>
                                <td data-title=i18n.t(Key::mv_receipt)>
                                    <button type="button" class="button button-tertiary" on:click=move |_| download(id.clone())>
                                        {i18n.text(Key::mv_download_receipt)}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })
    };

    let summary = move || {
        let row = |label: Key, value: String, part: usize, id: &'static str| {
            view! {
                <div class="summary-row">
                    <dt>{i18n.text(label)}</dt><dd id=id>{value}</dd>
                    <dd><button type="button" class="button button-tertiary" on:click=move |_| steps.edit(part)>
                        {i18n.text(Key::wiz_edit)}</button></dd>
                </div>
            }
        };
        let draft = order();
        let period = period_text(i18n, draft.period);
        view! {
            <dl class="summary-list" id="move-summary">
                {row(Key::mv_period, period, PERIOD, "move-summary-period")}
                {match draft.mode {
                    MoveMode::Tagged => view! {
                        {row(Key::mv_destination, i18n.t(Key::mv_tagged).to_owned(), DESTINATION, "move-summary-mode")}
                        {row(Key::mv_failover, point_name(failover.get_untracked()), DESTINATION, "move-summary-point")}
                    }.into_any(),
                    _ => view! {
                        {row(Key::mv_destination, i18n.t(Key::mv_chosen).to_owned(), DESTINATION, "move-summary-mode")}
                        {row(Key::mv_point, point_name(point.get_untracked()), DESTINATION, "move-summary-point")}
                    }.into_any(),
                }}
            </dl>
        }
    };

    let heading = move || i18n.t(STEPS[step.get().min(SUMMARY)]);

    let wizard = move || {
        view! {
            <StepIndicator id="move-steps" steps=STEPS step=step/>
            <h2 id=STEP_HEADING tabindex="-1">{heading}</h2>
            <form id="move-wizard" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if step.get_untracked() == SUMMARY {
                    if !busy.get_untracked() { submit() }
                } else {
                    next()
                }
            }>
                <Show when=move || step.get() == PERIOD>
                    <fieldset class="form-group">
                        <legend class="form-label">{i18n.text(Key::mv_what)}</legend>
                        {radio("move-scope", "move-all", Key::mv_all_mail, Signal::derive(move || whole.get()), Callback::new(move |_| whole.set(true)))}
                        {radio("move-scope", "move-part", Key::mv_part, Signal::derive(move || !whole.get()), Callback::new(move |_| whole.set(false)))}
                    </fieldset>
                    <Show when=move || !whole.get()>
                        <TextField id="move-from" label=Key::mv_from value=from errors=from_errors input_type="date"/>
                        <TextField id="move-to" label=Key::mv_to value=to errors=to_errors input_type="date"/>
                    </Show>
                </Show>
                <Show when=move || step.get() == DESTINATION>
                    // Nowhere to move to: say why and where to make one, rather than only
                    // "Feltet skal udfyldes" on an empty list (issue 32 item 10).
                    <Show when=move || points_loaded.get() && !points.with(|ps| ps.iter().any(|p| p.usable))>
                        <div class="alert alert-warning" role="status" id="move-no-points"><div class="alert-body">
                            <p class="alert-text">
                                {i18n.text(Key::mv_no_points)}" "
                                <a href="/kontaktstruktur">{i18n.text(Key::mv_no_points_link)}</a>
                            </p>
                        </div></div>
                    </Show>
                    <fieldset class="form-group">
                        <legend class="form-label">{i18n.text(Key::mv_where)}</legend>
                        {radio("move-mode", "move-chosen", Key::mv_chosen, Signal::derive(move || mode.get() == MoveMode::Chosen), Callback::new(move |_| mode.set(MoveMode::Chosen)))}
                        {radio("move-mode", "move-tagged", Key::mv_tagged, Signal::derive(move || mode.get() == MoveMode::Tagged), Callback::new(move |_| mode.set(MoveMode::Tagged)))}
                    </fieldset>
                    {move || match mode.get() {
                        MoveMode::Tagged => view! {
                            <p class="form-hint">{i18n.text(Key::mv_failover_hint)}</p>
                            {select("move-failover", Key::mv_failover, failover, failover_errors)}
                        }.into_any(),
                        _ => select("move-point", Key::mv_point, point, point_errors).into_any(),
                    }}
                </Show>
                <Show when=move || step.get() == SUMMARY>
                    {summary}
                    <div class=group_class(confirm_errors)>
                        <ErrorText errors=confirm_errors id="move-confirm-error".to_owned()/>
                        <div class="form-group-checkbox">
                            <input type="checkbox" class="form-checkbox" id="move-confirm" prop:checked=move || confirm.get()
                                on:change=move |ev| confirm.set(event_target_checked(&ev))/>
                            <label for="move-confirm">{i18n.text(Key::mv_confirm)}</label>
                        </div>
                    </div>
                </Show>
                <div class="wizard-buttons">
                    <Show when=move || step.get() != PERIOD>
                        <button type="button" class="button button-secondary" id="wizard-back"
                            on:click=move |_| steps.back()>{i18n.text(Key::wiz_back)}</button>
                        " "
                    </Show>
                    <button type="submit" class="button button-primary" id="wizard-next" disabled=move || busy.get()>
                        {move || match step.get() {
                            PERIOD => i18n.t(Key::mv_confirm_period),
                            SUMMARY => i18n.t(Key::mv_start),
                            _ => i18n.t(steps.next_label()),
                        }}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <FailedAlert failed=failed/>
        <ConflictAlert id="move-conflict" conflict=conflict/>
        {move || match (started.get(), open.get()) {
            (Some(job), _) => {
                let id = job.id.clone();
                let alert = match job.state {
                    MailMoveState::Failed => "alert alert-error",
                    _ => "alert alert-success",
                };
                view! {
                    <div id="move-receipt">
                        <h2 id=STEP_HEADING tabindex="-1">{i18n.text(Key::receipt_heading)}</h2>
                        <div class=alert role="status">
                            <div class="alert-body">
                                <p class="alert-heading">{i18n.text(Key::mv_started)}</p>
                                {progress_view(i18n, &job)}
                                {job.failure.clone().map(|why| view! { <p class="alert-text">{why}</p> })}
                            </div>
                        </div>
                        <p class="wizard-buttons">
                            <button type="button" class="button button-primary" id="move-download"
                                on:click=move |_| download(id.clone())>{i18n.text(Key::mv_download_receipt)}</button>
                        </p>
                    </div>
                }.into_any()
            }
            (None, true) => wizard().into_any(),
            (None, false) => view! {
                <p><button type="button" class="button button-primary" id="move-begin" on:click=begin>
                    {i18n.text(Key::mv_begin)}</button></p>
            }.into_any(),
        }}
        {history}
    }
}
