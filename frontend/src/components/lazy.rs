//! A view from a lazily loaded chunk inside a page (routes use `lazy_route!` instead).

use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

/// Renders `view` once its chunk has arrived; nothing before (the chunk is small and local).
#[component]
pub fn LazyView<Fut>(view: Fut) -> impl IntoView
where
    Fut: Future<Output = AnyView> + 'static,
{
    // The chunk loader's future is not `Send`; the browser has one thread.
    let view = SendWrapper::new(view);
    view! { <Suspense fallback=|| ()>{Suspend::new(view)}</Suspense> }
}
