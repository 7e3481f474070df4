//! The pages. Each module's pages are one lazily loaded WASM chunk (issue 11): the front page
//! after login never downloads them.

/// A module's pages as one lazily loaded chunk: with the `split` feature (the release pipeline,
/// `cargo xtask spa`) the function and everything only it reaches move into the WASM chunk
/// `$chunk`, fetched the first time one of its pages opens; without it (`trunk serve`) it is an
/// ordinary async function in the one WASM.
macro_rules! lazy_pages {
    ($chunk:ident: fn $name:ident($($arg:ident: $ty:ty),*) -> AnyView $body:block) => {
        #[cfg(feature = "split")]
        #[allow(unsafe_code)]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split)]
        pub(crate) fn $name($($arg: $ty),*) -> ::leptos::prelude::AnyView $body

        #[cfg(not(feature = "split"))]
        pub(crate) async fn $name($($arg: $ty),*) -> ::leptos::prelude::AnyView $body
    };
}

/// A route whose view is one page of a lazily loaded chunk (`lazy_pages!`): the router fetches
/// the chunk before it leaves the current page, so no empty page flashes.
macro_rules! lazy_route {
    ($(#[$doc:meta])* $route:ident => $render:ident($($page:expr)?)) => {
        $(#[$doc])*
        pub struct $route;

        impl ::leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> ::leptos::prelude::AnyView {
                $render($($page)?).await
            }
        }
    };
}

/// A module's first path segment (`Module::route()` without its `/`), where its routes hang.
pub(crate) fn segment(module: adgang_api_types::Module) -> &'static str {
    module.route().trim_start_matches('/')
}

pub mod authority_info;
pub mod contacts;
pub mod eventlog;
pub mod exemptions;
pub mod front;
pub mod login_error;
pub mod mail_access;
pub mod module;
pub mod move_mail;
pub mod nemsms;
pub mod onboarding;
pub mod recall;
pub mod rights;
pub mod statistics;
pub mod switch;
pub mod systems;
