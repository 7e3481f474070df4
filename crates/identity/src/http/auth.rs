//! Login endpoints under `/api/v1/auth` (AUTH-01, AUTH-03, AUTH-06): the browser flow that ends
//! in an HttpOnly session cookie, and the token endpoint the SPA calls for access tokens.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use adgang_api_types::{AccessToken, ContextSwitch, OrgKind, Right, SwitchableOrganisation};
use adgang_core::audit::{record_action, ActionEvent, ActionRecord, Actor, FieldChange, Subject};
use adgang_core::openapi as problems;
use adgang_core::{Cvr, DomainError, Principal, TokenKeys};
use adgang_registry::Registry;
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::service::login::{self, LoginState, OidcLogin, LOGIN_AUDIENCE, LOGIN_COOKIE};
use crate::service::sessions::{self, SESSION_COOKIE, SESSION_HOURS};
use crate::service::{self, rights};
use crate::IdentityError;

pub const TAG: &str = "Login";
const COOKIE_PATH: &str = "/api/v1/auth";

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login_start)
        .service(login_callback)
        .service(refresh_access_token)
        .service(logout)
        .service(switchable_organisations)
        .service(switch_organisation);
}

fn cookie<'a>(
    name: &'a str,
    value: String,
    secure: bool,
    same_site: SameSite,
    max_age: CookieDuration,
) -> Cookie<'a> {
    Cookie::build(name, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(secure)
        .same_site(same_site)
        .max_age(max_age)
        .finish()
}

/// The session cookie's value, extracted before any body so a missing session is 401 first.
struct PresentedSession(String);

impl actix_web::FromRequest for PresentedSession {
    type Error = DomainError;
    type Future = std::future::Ready<Result<Self, DomainError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(
            req.cookie(SESSION_COOKIE)
                .map(|c| PresentedSession(c.value().to_owned()))
                .filter(|p| !p.0.is_empty())
                .ok_or(DomainError::Unauthorized),
        )
    }
}

/// The session cookie (AUTH-03) carrying `token`, for [`SESSION_HOURS`].
fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    cookie(
        SESSION_COOKIE,
        token,
        secure,
        SameSite::Strict,
        CookieDuration::hours(SESSION_HOURS),
    )
}

/// AUTH-03: a fresh access token, not to be cached, with the session cookie rotated to
/// `rotated`.
fn token_answer(
    rotated: String,
    secure: bool,
    access_token: String,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(session_cookie(rotated, secure))
        .json(AccessToken {
            access_token,
            token_type: "Bearer".into(),
            expires_at,
        })
}

fn removal(name: &str, secure: bool) -> Cookie<'_> {
    let mut c = cookie(
        name,
        String::new(),
        secure,
        SameSite::Strict,
        CookieDuration::ZERO,
    );
    c.make_removal();
    c
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
struct LoginQuery {
    /// Where in the portal to land after login (a path; default `/`).
    return_to: Option<String>,
}

/// Start login (AUTH-01): redirects the browser to the identity provider.
#[utoipa::path(
    security(()),
    tag = TAG,
    params(LoginQuery),
    responses(
        (status = 303, description = "Redirect to the issuer's authorization endpoint"),
        problems::Unavailable,
    )
)]
#[get("/auth/login")]
async fn login_start(
    clock: adgang_core::Now,
    oidc: web::Data<OidcLogin>,
    keys: web::Data<TokenKeys>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, DomainError> {
    let return_to = query.return_to.as_deref().unwrap_or("/");
    let (url, state) = oidc.begin(&keys, return_to, clock.0).await.map_err(|e| {
        tracing::warn!(error = ?e, "starting login failed");
        DomainError::Unavailable("identity provider".into())
    })?;
    // Lax: the cookie must come back on the top-level redirect from the issuer.
    let state_cookie = cookie(
        LOGIN_COOKIE,
        state,
        oidc.settings.secure_cookies,
        SameSite::Lax,
        CookieDuration::minutes(10),
    );
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, url))
        .cookie(state_cookie)
        .finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CallbackQuery {
    /// The authorization code the identity provider issued (OIDC).
    code: Option<String>,
    /// The state this login started with; anything else is refused.
    state: Option<String>,
    /// The identity provider's error, when the login failed there.
    error: Option<String>,
}

/// Finish login: the issuer redirects here with a code; we verify it and start a session.
#[utoipa::path(
    security(()),
    tag = TAG,
    params(CallbackQuery),
    responses(
        (status = 303, description = "Logged in: redirect into the portal with the session cookie set; or to /login-fejl"),
    )
)]
#[get("/auth/callback")]
async fn login_callback(
    clock: adgang_core::Now,
    req: HttpRequest,
    oidc: web::Data<OidcLogin>,
    keys: web::Data<TokenKeys>,
    db: web::Data<DatabaseConnection>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, DomainError> {
    let secure = oidc.settings.secure_cookies;
    let fail = |reason: &str| {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/login-fejl?aarsag={reason}")))
            .cookie(removal(LOGIN_COOKIE, secure))
            .finish()
    };
    let state: Option<LoginState> = req
        .cookie(LOGIN_COOKIE)
        .and_then(|c| keys.verify_for(c.value(), LOGIN_AUDIENCE, clock.0).ok());
    let (Some(state), Some(code)) = (state, query.code.as_deref()) else {
        return Ok(fail("login-udloebet"));
    };
    if query.error.is_some() || query.state.as_deref() != Some(state.state.as_str()) {
        return Ok(fail("login-afvist"));
    }
    let logged_in = match oidc.finish(&state, code).await {
        Ok(who) => who,
        Err(err) => {
            tracing::warn!(error = ?err, "login callback rejected");
            return Ok(fail("login-afvist"));
        }
    };
    let now = clock.0;
    // The user is kept even without rights: the first login names them.
    let started = adgang_core::write(&db, async |txn| {
        let user = rights::ensure_user(txn, &logged_in.subject, &logged_in.name, now).await?;
        let organisations = rights::organisations_of(txn, &user.id).await?;
        let Some(first) = organisations.first() else {
            return Ok(None);
        };
        let cvr =
            Cvr::parse(&first.cvr).map_err(|_| DomainError::from(IdentityError::SessionInvalid))?;
        let (_session, session_token) = sessions::start(txn, &user.id, &cvr, false, now).await?;
        Ok(Some(session_token))
    })
    .await?;
    let Some(session_token) = started else {
        return Ok(fail("ingen-rettigheder"));
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, login::safe_return_to(&state.return_to)))
        .cookie(removal(LOGIN_COOKIE, secure))
        .cookie(session_cookie(session_token, secure))
        .finish())
}

/// Get an access token for the current session (AUTH-03).
///
/// Uses the HttpOnly session cookie, which is replaced on every call (rotation). The token
/// carries the current organisation and the rights held there now. Without a session cookie
/// the answer is 204: a browser that was never signed in (the SPA cannot see its HttpOnly
/// cookie, so it asks on every page load) is not an error (issue 32 item 15). A cookie whose
/// session has ended is 401 (logging out removes the cookie; an expired one the browser drops).
#[utoipa::path(
    security(()),
    tag = TAG,
    responses(
        (status = 200, description = "A fresh access token", body = AccessToken),
        (status = 204, description = "No session cookie: not signed in"),
        problems::Unauthenticated,
    )
)]
#[post("/auth/token")]
async fn refresh_access_token(
    clock: adgang_core::Now,
    req: HttpRequest,
    oidc: web::Data<OidcLogin>,
    keys: web::Data<TokenKeys>,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, DomainError> {
    let secure = oidc.settings.secure_cookies;
    let now = clock.0;
    let Some(presented) = req.cookie(SESSION_COOKIE) else {
        return Ok(HttpResponse::NoContent()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish());
    };
    let renewed = adgang_core::write(&db, async |txn| {
        let Some(live) = sessions::find_live(txn, presented.value(), now).await? else {
            return Ok(None);
        };
        let (live, rotated) = sessions::rotate(txn, live).await?;
        let (access_token, expires_at) = login::access_token_for(txn, &keys, &live, now).await?;
        Ok::<_, DomainError>(Some((rotated, access_token, expires_at)))
    })
    .await?;
    // The cookie is not removed here: a token rotated away by another tab's request looks the
    // same as an ended session, and removing it could delete that tab's fresh cookie.
    let Some((rotated, access_token, expires_at)) = renewed else {
        return Err(DomainError::Unauthorized);
    };
    Ok(token_answer(rotated, secure, access_token, expires_at))
}

/// Log out (AUTH-06): ends the session server-side and clears the cookie.
#[utoipa::path(security(()), tag = TAG, responses((status = 204, description = "Logged out")))]
#[post("/auth/logout")]
async fn logout(
    clock: adgang_core::Now,
    req: HttpRequest,
    oidc: web::Data<OidcLogin>,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, DomainError> {
    if let Some(presented) = req.cookie(SESSION_COOKIE) {
        sessions::end(db.get_ref(), presented.value(), clock.0).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(removal(SESSION_COOKIE, oidc.settings.secure_cookies))
        .finish())
}

/// Organisations the caller can switch to (CTX-01): those where they hold rights.
#[utoipa::path(
    tag = TAG,
    responses(
        (status = 200, description = "The caller's organisations, by name", body = Vec<SwitchableOrganisation>),
        problems::Unauthenticated,
    )
)]
#[get("/auth/organisations")]
async fn switchable_organisations(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
) -> Result<web::Json<Vec<SwitchableOrganisation>>, DomainError> {
    let user = rights::user_by_subject(db.get_ref(), &principal.user_id).await?;
    // A caller unknown here (e.g. a machine client) has nothing to switch to.
    let Some(user) = user else {
        return Ok(web::Json(Vec::new()));
    };
    let organisations = rights::organisations_of(db.get_ref(), &user.id).await?;
    Ok(web::Json(
        organisations
            .into_iter()
            .map(|o| SwitchableOrganisation {
                current: o.cvr == principal.organisation.as_str(),
                cvr_number: o.cvr,
                name: o.name,
                kind: o.kind.into(),
            })
            .collect(),
    ))
}

/// Switch the session to another organisation (CTX-01, CTX-02, CTX-03).
///
/// To one where the user holds rights; or, for an operator, to any organisation known here
/// (acting on behalf, with the operator's own rights). Logged in the actions log of the
/// organisation switched to. Returns an access token for it and rotates the session cookie.
#[utoipa::path(
    security(()),
    tag = TAG,
    request_body = ContextSwitch,
    responses(
        (status = 200, description = "Switched; a token for the new organisation", body = AccessToken),
        problems::BadRequest,
        problems::Unauthenticated,
        problems::NotFound,
        problems::Unavailable,
    )
)]
#[post("/auth/switch")]
async fn switch_organisation(
    clock: adgang_core::Now,
    presented: PresentedSession,
    oidc: web::Data<OidcLogin>,
    keys: web::Data<TokenKeys>,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    body: web::Json<ContextSwitch>,
) -> Result<HttpResponse, DomainError> {
    let now = clock.0;
    let target = Cvr::parse(&body.cvr_number)
        .map_err(|e| DomainError::field("cvrNumber", e.code(), e.message()))?;
    let (rotated, access_token, expires_at) = adgang_core::write(&db, async |txn| {
        let live = sessions::find_live(txn, &presented.0, now)
            .await?
            .ok_or(DomainError::Unauthorized)?;
        let user = rights::user_by_id(txn, &live.user_id)
            .await?
            .ok_or(DomainError::Unauthorized)?;
        let homes = rights::organisations_of(txn, &user.id).await?;
        let operator = if homes.iter().any(|o| o.cvr == target.as_str()) {
            false
        } else {
            let is_operator = rights::all_rights(txn, &user.id)
                .await?
                .contains(&Right::Operator);
            if !is_operator {
                return Err(DomainError::NotFound("organisation"));
            }
            // CTX-02: any CVR — an organisation only in the register is created from it on the
            // first switch (an authority then awaits onboarding, AUTH-04).
            if service::find_organisation(txn, target.as_str())
                .await?
                .is_none()
            {
                let company = registry
                    .company(&target)
                    .await
                    .map_err(|e| DomainError::Unavailable(format!("CVR register: {e}")))?
                    .ok_or(DomainError::NotFound("organisation"))?;
                let new = service::NewOrganisation {
                    cvr: target.clone(),
                    name: company.name,
                    kind: if company.is_authority {
                        OrgKind::Authority
                    } else {
                        OrgKind::Company
                    },
                    agreement_accepted_at: None,
                };
                service::create_organisation(txn, new, now).await?;
            }
            true
        };
        let previous = live.organisation_cvr.clone();
        let live = sessions::switch(txn, live, &target, operator).await?;
        // CTX-03 in LOG-02's actor form: the user, as an employee of the organisation left.
        let actor = match Cvr::parse(&previous) {
            Ok(cvr) => Actor::EmployeeOf {
                cvr,
                rid: user.subject.clone(),
            },
            Err(_) => Actor::Employee {
                rid: user.subject.clone(),
            },
        };
        record_action(
            txn,
            &actor,
            now,
            ActionRecord {
                organisation: target.clone(),
                subject: Subject::ContextSwitch,
                event: ActionEvent::Edited,
                party: Some(target.to_string()),
                object_id: Some(user.subject.clone()),
                object_name: Some(user.name.clone()),
                changes: vec![FieldChange::new(
                    "organisation",
                    Some(previous),
                    Some(target.to_string()),
                )],
                reason: None,
                power_of_attorney: None,
            },
        )
        .await?;
        let (live, rotated) = sessions::rotate(txn, live).await?;
        let (access_token, expires_at) = login::access_token_for(txn, &keys, &live, now).await?;
        Ok((rotated, access_token, expires_at))
    })
    .await?;
    let secure = oidc.settings.secure_cookies;
    Ok(token_answer(rotated, secure, access_token, expires_at))
}
