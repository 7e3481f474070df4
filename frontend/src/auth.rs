//! The signed-in state: the access token lives in memory only; the session lives in the
//! backend's HttpOnly cookie, so a reload asks the backend for a fresh token.

use adgang_api_types::{AccessToken, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// Who is signed in, with the token to call the API as them.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorized {
    pub token: String,
    pub session: Session,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AuthStatus {
    /// Asking the backend whether a session exists.
    Checking,
    SignedOut,
    SignedIn(Authorized),
}

#[derive(Debug, Clone, Copy)]
pub struct Auth {
    pub status: RwSignal<AuthStatus>,
    /// How many tokens were adopted: only the newest token's renewal timer renews, so that
    /// adopting again (a switch, one's own rights changed) never leaves two timers rotating
    /// the one session cookie at once.
    adopted: StoredValue<u64>,
}

impl Auth {
    /// Provides the auth state and restores a session if the cookie holds one.
    pub fn provide() -> Auth {
        let auth = Auth {
            status: RwSignal::new(AuthStatus::Checking),
            adopted: StoredValue::new(0),
        };
        provide_context(auth);
        // A refused token (its session revoked) is renewed once: the session cookie gives one
        // with the rights held now, or the user is signed out when the session has ended.
        let renewing = std::rc::Rc::new(std::cell::Cell::new(false));
        api::on_unauthorised(move || {
            let signed_in = matches!(auth.status.get_untracked(), AuthStatus::SignedIn(_));
            if signed_in && !renewing.replace(true) {
                let renewing = renewing.clone();
                spawn_local(async move {
                    auth.renew().await;
                    renewing.set(false);
                });
            }
        });
        spawn_local(async move { auth.renew().await });
        auth
    }

    /// Trades the session cookie for a fresh token and session; schedules the next renewal a
    /// minute before expiry.
    pub async fn renew(self) {
        match api::auth::refresh().await {
            Ok(Some(token)) => self.adopt(token).await,
            Ok(None) | Err(_) => self.status.set(AuthStatus::SignedOut),
        }
    }

    /// Uses a token just issued (after refresh or a context switch).
    pub async fn adopt(self, token: AccessToken) {
        match api::auth::session(&token.access_token).await {
            Ok(session) => {
                self.status.set(AuthStatus::SignedIn(Authorized {
                    token: token.access_token.clone(),
                    session,
                }));
                let now = js_sys_now_ms();
                let expires = token.expires_at.timestamp_millis() as f64;
                let wait = (expires - now - 60_000.0).max(10_000.0);
                let generation = self.adopted.get_value() + 1;
                self.adopted.set_value(generation);
                set_timeout(
                    move || {
                        if self.adopted.get_value() == generation {
                            spawn_local(async move { self.renew().await })
                        }
                    },
                    std::time::Duration::from_millis(wait as u64),
                );
            }
            Err(_) => self.status.set(AuthStatus::SignedOut),
        }
    }

    pub async fn log_out(self) {
        let _ = api::auth::logout().await;
        self.status.set(AuthStatus::SignedOut);
    }

    pub fn authorized(self) -> Option<Authorized> {
        match self.status.get() {
            AuthStatus::SignedIn(a) => Some(a),
            _ => None,
        }
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

fn js_sys_now_ms() -> f64 {
    window()
        .performance()
        .map(|p| p.time_origin() + p.now())
        .unwrap_or(0.0)
}
