//! The system overview (SYS-11): name, id, role, protocol, status, primary; "Opret system"
//! and "Flere valg" → "Download systemoversigt".

use adgang_api_types::Module;
use leptos::prelude::*;

use super::form::{protocol_key, role_key, status_key};
use super::link;
use crate::api;
use crate::api::Authorised;
use crate::auth::use_auth;
use crate::components::alert::{FailedAlert, GenericError};
use crate::components::module_gate::GatedPage;
use crate::components::table::{header_cells, ScrollTable};
use crate::i18n::{use_i18n, Key};

/// Systems per page of the overview.
const PAGE_SIZE: u64 = 25;

#[component]
pub fn SystemsPage() -> impl IntoView {
    view! {
        <GatedPage module=Module::SystemConnection heading=Key::sys_heading>
            <SystemsOverview/>
        </GatedPage>
    }
}

#[component]
fn SystemsOverview() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let more_open = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // the overview is paged and sorted by the API (by name; the header turns it).
    let page_no = RwSignal::new(0u64);
    let descending = RwSignal::new(false);
    let systems = api::loaded_as(auth, move |client| {
        let (page, desc) = (page_no.get(), descending.get());
        async move { api::systems::list(&client, page, PAGE_SIZE, desc).await }
    });
    let download = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        more_open.set(false);
        let file_name = format!("systemoversigt-{}.xlsx", client.cvr);
        client.start_download("/system-overview", &file_name, move || failed.set(true));
    };

    view! {
        <p>{i18n.text(Key::sys_intro)}</p>
        <FailedAlert failed=failed/>
        <div class="systems-actions">
            <a class="button button-primary" href=link("/opret") id="create-system">{i18n.text(Key::sys_create)}</a>
            " "
            <div class="overflow-menu">
                <button type="button" class="button button-secondary" id="more-options"
                    aria-haspopup="true" aria-expanded=move || more_open.get().to_string()
                    aria-controls="more-options-menu"
                    on:click=move |_| more_open.update(|o| *o = !*o)>
                    {i18n.text(Key::sys_more)}
                </button>
                <Show when=move || more_open.get()>
                    <ul class="overflow-list" id="more-options-menu">
                        <li><button type="button" class="button button-unstyled" id="download-overview" on:click=download>
                            {i18n.text(Key::sys_download_overview)}
                        </button></li>
                        <li><a class="button button-unstyled" href=link("/standardsystemer") id="standard-systems-link">
                            {i18n.text(Key::std_link)}
                        </a></li>
                    </ul>
                </Show>
            </div>
        </div>
            {move || systems.get().map(|page| match page {
                Some(page) if !page.items.is_empty() => view! {
                    <ScrollTable label=Key::sys_heading id="systems-table">
                        <thead><tr>
                            <th scope="col" aria-sort=move || if descending.get() { "descending" } else { "ascending" }>
                                <button type="button" class="button button-unstyled" id="sort-name"
                                    title=i18n.text(Key::sys_sort_name)
                                    on:click=move |_| { descending.update(|d| *d = !*d); page_no.set(0); }>
                                    {i18n.text(Key::sys_col_name)}
                                    {move || if descending.get() { " ▼" } else { " ▲" }}
                                </button>
                            </th>
                            {header_cells(&[Key::sys_col_id, Key::sys_col_role, Key::sys_col_protocol, Key::sys_col_status, Key::sys_col_primary])}
                        </tr></thead>
                        <tbody>
                            {page.items.into_iter().map(|s| view! {
                                <tr data-system=s.id.clone()>
                                    <td><a href=link(&format!("/{}", s.id))>{s.name.clone()}</a></td>
                                    <td class="system-id">{s.id.clone()}</td>
                                    <td>{move || i18n.t(role_key(s.role))}</td>
                                    <td>{move || i18n.t(protocol_key(s.protocol))}</td>
                                    <td>{move || i18n.t(status_key(s.status))}</td>
                                    <td class="system-primary">{s.is_primary.then(|| view! { <span>{i18n.text(Key::sys_primary_yes)}</span> })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </ScrollTable>
                    {(page.total_pages > 1).then(|| {
                        let (current, pages) = (page.current_page, page.total_pages);
                        view! {
                            <nav class="log-pager" id="systems-pager" aria-label=i18n.text(Key::sys_pager_label)>
                                <button type="button" class="button button-secondary" id="systems-previous"
                                    disabled=current == 0 on:click=move |_| page_no.set(current.saturating_sub(1))>
                                    {i18n.text(Key::sys_previous)}
                                </button>
                                <span id="systems-page">{move || i18n.t(Key::sys_page_of)
                                    .replace("{page}", &(current + 1).to_string())
                                    .replace("{pages}", &pages.to_string())}</span>
                                <button type="button" class="button button-secondary" id="systems-next"
                                    disabled=current + 1 >= pages on:click=move |_| page_no.set(current + 1)>
                                    {i18n.text(Key::sys_next)}
                                </button>
                            </nav>
                        }
                    })}
                }.into_any(),
                Some(_) => view! { <p id="no-systems">{i18n.text(Key::sys_none)}</p> }.into_any(),
                None => view! {
                    <GenericError/>
                }.into_any(),
            })}
    }
}
