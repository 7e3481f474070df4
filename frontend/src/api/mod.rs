//! Typed clients for the backend, one module per backend module, built on `adgang-api-types`.

pub mod auth;
pub mod authority_info;
pub mod contacts;
pub mod eventlog;
pub mod exemptions;
pub mod mail_access;
pub mod meta;
pub mod move_mail;
pub mod nemsms;
pub mod onboarding;
pub mod recall;
pub mod rights;
pub mod statistics;
pub mod systems;

use adgang_api_types::Problem;
use gloo_net::http::Response;
use serde::de::DeserializeOwned;

/// The signed-in user's access to their current organisation: what every call of a module's
/// API client needs (its access token, and the CVR its paths start with).
#[derive(Debug, Clone, PartialEq)]
pub struct Authorised {
    pub token: String,
    pub cvr: String,
}

impl Authorised {
    /// The signed-in user's, when signed in.
    pub fn of(auth: crate::auth::Auth) -> Option<Authorised> {
        auth.authorized().map(|a| Authorised {
            token: a.token,
            cvr: a.session.organisation.cvr_number,
        })
    }

    /// Downloads the organisation's document at `rest` (below `/api/v1/organisations/{cvr}`)
    /// as `file_name`.
    pub async fn download(&self, rest: &str, file_name: &str) -> Result<(), ApiError> {
        let path = format!("/api/v1/organisations/{}{rest}", self.cvr);
        download(&path, &self.token, file_name).await
    }

    /// Starts [`Authorised::download`] in the background; `failed` runs if the file cannot be had.
    pub fn start_download(self, rest: &str, file_name: &str, failed: impl FnOnce() + 'static) {
        let (rest, file_name) = (rest.to_owned(), file_name.to_owned());
        leptos::task::spawn_local(async move {
            if self.download(&rest, &file_name).await.is_err() {
                failed();
            }
        });
    }
}

/// What can go wrong calling the API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No usable answer (network down, server unreachable, body unreadable).
    Network(String),
    /// The API answered with problem+json.
    Problem(Problem),
}

type TextFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, ApiError>>>>;

thread_local! {
    /// Called on every 401: the signed-in state renews its token (see `auth::Auth::provide`).
    static ON_UNAUTHORISED: std::cell::RefCell<Option<Box<dyn Fn()>>> =
        const { std::cell::RefCell::new(None) };
}

/// What to do when the API refuses our token (a logout elsewhere, or a right revoked: the
/// server ends a session's tokens within seconds, issue 13).
pub fn on_unauthorised(hook: impl Fn() + 'static) {
    ON_UNAUTHORISED.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
}

/// The body of an answer as text on success, else the problem+json the API sent. Boxed and not
/// generic: every typed call shares this one future and only its parsing is per type, which
/// keeps the WASM small (a generic future per response type cost ~35 KB).
fn read_text(response: Response) -> TextFuture {
    Box::pin(async move {
        let ok = response.ok();
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if ok {
            Ok(text)
        } else {
            if status == 401 {
                ON_UNAUTHORISED.with(|h| {
                    if let Some(hook) = h.borrow().as_ref() {
                        hook()
                    }
                });
            }
            match serde_json::from_str::<Problem>(&text) {
                Ok(problem) => Err(ApiError::Problem(problem)),
                Err(e) => Err(ApiError::Network(format!("HTTP {status}: {e}"))),
            }
        }
    })
}

/// Sends a built request; the answer as [`read_text`] gives it.
pub(crate) fn send_text(request: Result<gloo_net::http::Request, gloo_net::Error>) -> TextFuture {
    Box::pin(async move {
        let response = request
            .map_err(|e| ApiError::Network(e.to_string()))?
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        read_text(response).await
    })
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Network(e.to_string()))
}

/// A JSON body on success, else the problem+json the API sent.
pub async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    parse(&read_text(response).await?)
}

/// GET `path` without credentials.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(
        gloo_net::http::Request::get(path)
            .header("Accept", "application/json")
            .build(),
    )
    .await
}

/// GET `path` with our access token.
pub async fn get_json_as<T: DeserializeOwned>(path: &str, token: &str) -> Result<T, ApiError> {
    send(request_as(gloo_net::http::Method::GET, path, token).build()).await
}

/// A request to `path` with our access token, for any method; send it with a body or
/// `build()` for none.
pub fn request_as(
    method: gloo_net::http::Method,
    path: &str,
    token: &str,
) -> gloo_net::http::RequestBuilder {
    gloo_net::http::RequestBuilder::new(path)
        .method(method)
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
}

/// Sends a built request and decodes the JSON answer.
pub async fn send<T: DeserializeOwned>(
    request: Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    parse(&send_text(request).await?)
}

/// Sends a built request that answers 204 No Content on success.
pub async fn send_no_content(
    request: Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<(), ApiError> {
    send_text(request).await.map(|_| ())
}

/// A value loaded from the API: `None` until it arrives. `load` runs in an effect, so it runs
/// again when a signal it reads (before its `async` part) changes; the old value stays until
/// the new one arrives. Far smaller in the WASM than a `LocalResource` under `<Transition>`.
pub fn loaded<T, F, Fut>(load: F) -> leptos::prelude::RwSignal<Option<T>>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: std::future::Future<Output = T> + 'static,
{
    use leptos::prelude::{Effect, RwSignal, Set};
    let value = RwSignal::new(None);
    Effect::new(move |_| {
        let next = load();
        leptos::task::spawn_local(async move { value.set(Some(next.await)) });
    });
    value
}

/// [`loaded`] through the signed-in user's client; `Some(None)` when signed out or failed.
pub fn loaded_as<T, F, Fut>(
    auth: crate::auth::Auth,
    call: F,
) -> leptos::prelude::RwSignal<Option<Option<T>>>
where
    T: Send + Sync + 'static,
    F: Fn(Authorised) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
{
    loaded(move || {
        let request = Authorised::of(auth).map(&call);
        async move {
            match request {
                Some(request) => request.await.ok(),
                None => None,
            }
        }
    })
}

impl ApiError {
    /// The field errors of a 400 answer (empty for anything else).
    pub fn field_errors(&self) -> Vec<adgang_api_types::FieldError> {
        match self {
            ApiError::Problem(p) => p.errors.clone(),
            ApiError::Network(_) => Vec::new(),
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Network(_) => None,
        }
    }
}

/// Percent-encodes a path segment or query value (RFC 3986 unreserved characters stay).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Downloads a file the API serves behind our bearer token: fetch it, then hand the browser
/// a temporary object URL to save under `file_name`.
pub async fn download(path: &str, token: &str, file_name: &str) -> Result<(), ApiError> {
    use wasm_bindgen::JsCast;
    let response = request_as(gloo_net::http::Method::GET, path, token)
        .header("Accept", "*/*")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return decode::<serde_json::Value>(response).await.map(|_| ());
    }
    let bytes = response
        .binary()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array.buffer());
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map_err(|_| ApiError::Network("blob".into()))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| ApiError::Network("object url".into()))?;
    let document = leptos::prelude::document();
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| ApiError::Network("anchor".into()))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A national register's collection of a kind of party in a path: `citizens` or `companies`
/// (exemptions, NemSMS).
pub(crate) fn parties(kind: adgang_api_types::PartyKind) -> &'static str {
    adgang_api_types::PartyCollection::of(kind).as_str()
}
