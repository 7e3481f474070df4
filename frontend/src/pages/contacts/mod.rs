//! Kontaktstruktur (SPEC §3): the structure as an expandable tree (CS-02) with "Flere valg" per
//! row, "Opret" → "Nyt kontaktpunkt" / "Ny kontaktgruppe", "Slet gruppe" with a preview of
//! everything it removes (CS-03), export and import of the workbook (CS-06), and the deep links
//! with QR codes that the point and group pages show (CS-04).

pub mod group;
pub mod import;
pub mod point;
mod point_draft;
mod point_editor;
mod point_steps;

use std::collections::HashSet;

use adgang_api_types::{
    ContactDeletionNode, ContactGroupDeletion, ContactNodeKind, ContactTreeNode, Module,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{path, Lazy, StaticSegment};

use crate::api::Authorised;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::alert::{FailedAlert, GenericError};
use crate::components::form::flag_checkbox;
use crate::components::module_gate::GatedPage;
use crate::i18n::{use_i18n, I18n, Key};
use group::{GroupDraft, GroupFields};

/// The module's pages: the tree, group and import pages in one chunk…
#[derive(Clone, Copy)]
pub(crate) enum Page {
    Structure,
    Group,
    Import,
}

/// …the contact-point pages (the largest) in another, so that each stays within its budget.
#[derive(Clone, Copy)]
pub(crate) enum PointPage {
    Create,
    Detail,
}

lazy_pages!(contacts: fn render(page: Page) -> AnyView {
    match page {
        Page::Structure => view! { <ContactStructurePage/> }.into_any(),
        Page::Group => view! { <group::GroupDetailPage/> }.into_any(),
        Page::Import => view! { <import::ImportPage/> }.into_any(),
    }
});

lazy_pages!(contact_points: fn render_points(page: PointPage) -> AnyView {
    match page {
        PointPage::Create => view! { <point::CreatePointPage/> }.into_any(),
        PointPage::Detail => view! { <point::PointDetailPage/> }.into_any(),
    }
});

lazy_route!(StructureRoute => render(Page::Structure));
lazy_route!(CreatePointRoute => render_points(PointPage::Create));
lazy_route!(PointRoute => render_points(PointPage::Detail));
lazy_route!(GroupRoute => render(Page::Group));
lazy_route!(ImportRoute => render(Page::Import));

/// A path in this module: `Module::route()` + `rest` (no module path typed by hand).
pub(crate) fn link(rest: &str) -> String {
    format!("{}{rest}", Module::ContactStructure.route())
}

/// The module's routes, below its `Module::route()`.
#[component(transparent)]
pub fn ContactRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=StaticSegment(super::segment(Module::ContactStructure)) view=Outlet>
            <Route path=path!("") view={Lazy::<StructureRoute>::new()}/>
            <Route path=path!("kontaktpunkt/opret") view={Lazy::<CreatePointRoute>::new()}/>
            <Route path=path!("kontaktpunkt/:id") view={Lazy::<PointRoute>::new()}/>
            <Route path=path!("gruppe/:id") view={Lazy::<GroupRoute>::new()}/>
            <Route path=path!("import") view={Lazy::<ImportRoute>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}

#[component]
pub fn ContactStructurePage() -> impl IntoView {
    view! {
        <GatedPage module=Module::ContactStructure heading=Key::cs_heading>
            <ContactStructure/>
        </GatedPage>
    }
}

/// Every group in the tree once, with its depth, for the placement list.
pub(crate) fn groups_of(
    nodes: &[ContactTreeNode],
    depth: usize,
    seen: &mut HashSet<String>,
    out: &mut Vec<(String, String)>,
) {
    for node in nodes.iter().filter(|n| n.kind == ContactNodeKind::Group) {
        if seen.insert(node.id.clone()) {
            out.push((
                node.id.clone(),
                format!("{}{}", "– ".repeat(depth), node.name),
            ));
        }
        groups_of(&node.children, depth + 1, seen, out);
    }
}

/// Closes the "Flere valg"/"Opret" menu (a `<details>`) an item was chosen in.
fn close_menu(ev: &leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    if let Some(menu) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten())
    {
        let _ = menu.remove_attribute("open");
    }
}

#[derive(Clone, Copy)]
struct TreeState {
    expanded: RwSignal<HashSet<String>>,
    deleting: RwSignal<Option<(String, ContactGroupDeletion)>>,
}

fn tree_view(
    nodes: Vec<ContactTreeNode>,
    state: TreeState,
    i18n: I18n,
    auth: crate::auth::Auth,
) -> AnyView {
    view! {
        <ul class="contact-tree">
            {nodes.into_iter().map(|node| {
                let id = node.id.clone();
                let is_group = node.kind == ContactNodeKind::Group;
                let open = Signal::derive({ let id = id.clone(); move || state.expanded.get().contains(&id) });
                let toggle = { let id = id.clone(); move |_| state.expanded.update(|e| { if !e.remove(&id) { e.insert(id.clone()); } }) };
                let ask_delete = {
                    let id = id.clone();
                    move |ev: leptos::ev::MouseEvent| {
                        close_menu(&ev);
                        let Some(client) = Authorised::of(auth) else { return };
                        let id = id.clone();
                        spawn_local(async move {
                            if let Ok(preview) = api::contacts::deletion_preview(&client, &id).await {
                                state.deleting.set(Some((id, preview)));
                            }
                        });
                    }
                };
                let children = node.children.clone();
                let has_children = !children.is_empty();
                view! {
                    <li data-node=id.clone() class=if is_group { "contact-group" } else { "contact-point" }>
                        <div class="contact-row">
                            {is_group.then(|| view! {
                                <button type="button" class="button button-unstyled tree-toggle"
                                    id=format!("toggle-{id}") disabled=!has_children
                                    aria-expanded=move || open.get().to_string()
                                    aria-label=move || i18n.t(if open.get() { Key::cs_collapse } else { Key::cs_expand })
                                    on:click=toggle.clone()>
                                    {move || if open.get() { "▾" } else { "▸" }}
                                </button>
                            })}
                            <span class="contact-kind">{move || i18n.t(if is_group { Key::cs_group } else { Key::cs_point })}</span>
                            " "
                            <span class="contact-name">{node.name.clone()}</span>
                            {node.duplicate.then(|| view! { " " <span class="badge">{i18n.text(Key::cs_duplicate)}</span> })}
                            {(!node.usable && !is_group).then(|| view! { " " <span class="badge badge-muted">{i18n.text(Key::cs_not_usable)}</span> })}
                            " "
                            <details class="row-menu" id=format!("more-{id}")>
                                <summary class="button button-tertiary">{i18n.text(Key::cs_more)}</summary>
                                <div class="row-menu-items">
                                    <a class="button button-tertiary" id=format!("open-{id}")
                                        href=link(&format!("/{}/{id}", if is_group { "gruppe" } else { "kontaktpunkt" }))>
                                        {i18n.text(Key::cs_details)}
                                    </a>
                                    {if is_group {
                                        view! {
                                            <button type="button" class="button button-tertiary" id=format!("delete-{id}") on:click=ask_delete.clone()>
                                                {i18n.text(Key::cs_delete_group)}
                                            </button>
                                        }.into_any()
                                    } else {
                                        // The point's page asks for the confirmation.
                                        view! {
                                            <a class="button button-tertiary" id=format!("delete-{id}") href=link(&format!("/kontaktpunkt/{id}?slet=1"))>
                                                {i18n.text(Key::cp_delete)}
                                            </a>
                                        }.into_any()
                                    }}
                                </div>
                            </details>
                        </div>
                        <Show when=move || open.get()>
                            {tree_view(children.clone(), state, i18n, auth)}
                        </Show>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn preview_view(node: ContactDeletionNode, i18n: I18n) -> AnyView {
    view! {
        <li data-preview=node.id.clone()>
            {node.name.clone()}
            {node.also_elsewhere.then(|| view! { " " <em class="also-elsewhere">"("{i18n.text(Key::cs_also_elsewhere)}")"</em> })}
            {(!node.children.is_empty()).then(|| view! {
                <ul>{node.children.into_iter().map(|c| preview_view(c, i18n)).collect_view()}</ul>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn ContactStructure() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let version = RwSignal::new(0u32);
    let state = TreeState {
        expanded: RwSignal::new(HashSet::new()),
        deleting: RwSignal::new(None),
    };
    let confirmed = RwSignal::new(false);
    let message = RwSignal::new(None::<Key>);
    let creating = RwSignal::new(false);

    let tree = api::loaded_as(auth, move |client| {
        version.track();
        async move { api::contacts::tree(&client).await }
    });

    // A new group: close the form, show its parents opened, reload the tree.
    let created = Callback::new(move |parents: Vec<String>| {
        creating.set(false);
        state.expanded.update(|e| e.extend(parents));
        message.set(Some(Key::cs_created));
        version.update(|v| *v += 1);
    });

    let delete = move |_| {
        let (Some(client), Some((id, _))) = (Authorised::of(auth), state.deleting.get_untracked())
        else {
            return;
        };
        spawn_local(async move {
            if api::contacts::delete_group(&client, &id).await.is_ok() {
                state.deleting.set(None);
                confirmed.set(false);
                message.set(Some(Key::cs_deleted));
                version.update(|v| *v += 1);
            } else {
                message.set(Some(Key::error_generic));
            }
        });
    };

    let export = move |ev: leptos::ev::MouseEvent| {
        close_menu(&ev);
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let file_name = format!("kontaktstruktur-{}.xlsx", client.cvr);
        client.start_download("/contact-structure/export", &file_name, move || {
            message.set(Some(Key::error_generic))
        });
    };

    view! {
        <p>{i18n.text(Key::cs_intro)}</p>
        <Show when=move || message.get().is_some()>
            <div class="alert alert-success" role="status" id="cs-message"><div class="alert-body"><p class="alert-text">{move || message.get().map(|k| i18n.t(k))}</p></div></div>
        </Show>
        <div class="cs-actions">
            <details class="row-menu" id="cs-create-menu">
                <summary class="button button-primary" id="cs-create">{i18n.text(Key::cs_create)}</summary>
                <div class="row-menu-items">
                    <a class="button button-tertiary" id="cs-new-point" href=link("/kontaktpunkt/opret")>{i18n.text(Key::cp_create_heading)}</a>
                    <button type="button" class="button button-tertiary" id="cs-new-group-open" aria-expanded=move || creating.get().to_string()
                        on:click=move |ev| { close_menu(&ev); creating.update(|c| *c = !*c) }>
                        {i18n.text(Key::cs_new_group)}
                    </button>
                </div>
            </details>
            " "
            <details class="row-menu" id="cs-more-menu">
                <summary class="button button-secondary" id="cs-more">{i18n.text(Key::cs_more)}</summary>
                <div class="row-menu-items">
                    <button type="button" class="button button-tertiary" id="cs-export" on:click=export>{i18n.text(Key::cs_export)}</button>
                    <a class="button button-tertiary" id="cs-import" href=link("/import")>{i18n.text(Key::cs_import)}</a>
                </div>
            </details>
        </div>
        // A fresh form each time it opens (CS-01): nothing carries over from the last group.
        <Show when=move || creating.get()>
            {move || {
                let mut choices = Vec::new();
                groups_of(&tree.get_untracked().flatten().unwrap_or_default(), 0, &mut HashSet::new(), &mut choices);
                view! { <NewGroupForm choices=choices created=created/> }
            }}
        </Show>
        {move || state.deleting.get().map(|(_, preview)| view! {
            <div class="alert alert-warning" role="alertdialog" aria-labelledby="cs-delete-text" id="cs-delete-panel">
                <div class="alert-body">
                    <p class="alert-text" id="cs-delete-text">{i18n.text(Key::cs_delete_preview)}</p>
                    <ul class="deletion-preview">{preview_view(preview.root.clone(), i18n)}</ul>
                    {flag_checkbox("cs-delete-confirm", Key::cs_delete_confirm, confirmed)}
                    <button type="button" class="button button-primary" id="cs-delete-yes" disabled=move || !confirmed.get() on:click=delete>
                        {i18n.text(Key::cs_delete_group)}
                    </button>
                    " "
                    <button type="button" class="button button-tertiary" on:click=move |_| { state.deleting.set(None); confirmed.set(false); }>
                        {i18n.text(Key::wiz_cancel)}
                    </button>
                </div>
            </div>
        })}
            {move || tree.get().map(|nodes| match nodes {
                Some(nodes) if !nodes.is_empty() => view! { <div id="contact-tree">{tree_view(nodes, state, i18n, auth)}</div> }.into_any(),
                Some(_) => view! { <p id="cs-empty">{i18n.text(Key::cs_empty)}</p> }.into_any(),
                None => view! { <GenericError/> }.into_any(),
            })}
    }
}

/// "Ny kontaktgruppe": the group page's fields (any number of parents), every field error
/// shown at its field.
#[component]
fn NewGroupForm(choices: Vec<(String, String)>, created: Callback<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let draft = GroupDraft::default();
    let errors = RwSignal::new(Vec::new());
    let failed = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let input = draft.input();
        failed.set(false);
        spawn_local(async move {
            match api::contacts::create_group(&client, &input).await {
                Ok(_) => created.run(input.parent_ids),
                Err(ApiError::Problem(p)) if p.status == 400 => errors.set(p.errors),
                Err(_) => failed.set(true),
            }
        });
    };
    view! {
        <form id="cs-new-group" class="cs-form" novalidate on:submit=create>
            <h2>{i18n.text(Key::cs_new_group)}</h2>
            <FailedAlert failed=failed/>
            <GroupFields prefix="cs-group" draft=draft errors=errors choices=choices/>
            <button type="submit" class="button button-primary" id="cs-save-group">{i18n.text(Key::cs_save_group)}</button>
        </form>
    }
}

/// A point's or group's deep links (CS-04), each with its QR code and a copy button. `kind`:
/// "contact-points" or "contact-groups".
#[component]
pub fn DeepLinks(kind: &'static str, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let copied = RwSignal::new(None::<String>);
    // None while loading; then each link with its QR code's SVG, or None when that failed.
    let links = RwSignal::new(None::<Option<Vec<(adgang_api_types::DeepLink, String)>>>);
    if let Some(client) = Authorised::of(auth) {
        spawn_local(async move {
            let Ok(found) = api::contacts::deep_links(&client, kind, &id).await else {
                links.set(Some(None));
                return;
            };
            let mut out = Vec::new();
            for link in found {
                let svg = api::contacts::qr_svg(&client, kind, &id, link.audience)
                    .await
                    .unwrap_or_default();
                out.push((link, svg));
            }
            links.set(Some(Some(out)));
        });
    }
    let copy = move |url: String| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&url);
            copied.set(Some(url));
        }
    };
    view! {
        <section class="deep-links" id="deep-links">
            <h2>{i18n.text(Key::cs_deep_links)}</h2>
            {move || match links.get() {
                    None => view! { <p>{i18n.text(Key::front_loading)}</p> }.into_any(),
                    Some(Some(list)) if !list.is_empty() => list.into_iter().map(|(link, svg)| {
                        let url = link.url.clone();
                        let shown = url.clone();
                        let is_copied = move || copied.get().as_deref() == Some(shown.as_str());
                        view! {
                            <div class="deep-link" data-audience=link.audience.as_str()>
                                <h3>{move || i18n.t(point::audience_key(link.audience))}</h3>
                                <p><code class="deep-link-url">{link.url.clone()}</code></p>
                                <p>
                                    <button type="button" class="button button-secondary" id=format!("copy-{}", link.audience.as_str())
                                        on:click=move |_| copy(url.clone())>
                                        {i18n.text(Key::cs_copy_link)}
                                    </button>
                                    " "
                                    <span role="status">{move || is_copied().then(|| i18n.t(Key::cs_copied))}</span>
                                </p>
                                <div class="qr-code" role="img" aria-label=i18n.text(Key::cs_qr_code) inner_html=svg></div>
                            </div>
                        }
                    }).collect_view().into_any(),
                    Some(Some(_)) => view! { <p id="deep-links-none">{i18n.text(Key::cs_no_links)}</p> }.into_any(),
                    Some(None) => view! { <p>{i18n.text(Key::error_generic)}</p> }.into_any(),
            }}
        </section>
    }
}
