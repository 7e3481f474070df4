//! Integrators: register machine clients (rights administrators) and the OAuth2
//! client-credentials token endpoint.

use crate::http::RightsAdministration;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use adgang_api_types::{
    NewMachineClient, OAuthError, OAuthErrorCode, OAuthTokenResponse, RegisteredMachineClient,
};
use adgang_core::auth::{TokenSubject, ACCESS_TOKEN_TTL_SECONDS};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::throttle::Verdict;
use adgang_core::OrgScope;
use adgang_core::{DomainError, OrgPath, TokenKeys};
use base64::Engine;
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::service::{self, machine_clients};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(register_machine_client)
        .service(client_credentials_token);
}

/// Register a machine client for the organisation (requires `rights_admin`).
///
/// The answer holds the client secret; it is never shown again.
#[utoipa::path(
    tag = crate::http::auth::TAG,
    params(OrgPath),
    request_body = NewMachineClient,
    responses(
        (status = 201, description = "Registered", body = RegisteredMachineClient),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/machine-clients")]
async fn register_machine_client(
    scope: OrgScope<RightsAdministration>,
    db: web::Data<DatabaseConnection>,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let body: NewMachineClient = body.parse().await?;
    let (actor, cvr) = (&scope.actor, &scope.org);
    let (client, secret) = adgang_core::write(&db, async |txn| {
        Ok(machine_clients::register(txn, actor, cvr, &body.name, &body.rights, scope.now).await?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(RegisteredMachineClient {
            rights: machine_clients::rights_of(&client),
            client_id: client.client_id,
            client_secret: secret,
            name: client.name,
            organisation_cvr: client.organisation_cvr,
        }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct ClientCredentialsForm {
    /// Must be `client_credentials`.
    #[schema(pattern = r"^client_credentials$")]
    grant_type: String,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// RFC 6749 §5.2 error body.
fn oauth_error(status: u16, error: OAuthErrorCode) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(OAuthError { error })
}

/// OAuth2 client-credentials grant for machine clients.
///
/// Authenticate with HTTP Basic (`client_id:client_secret`) or form fields. The access token
/// carries the client's organisation and registered rights.
#[utoipa::path(
    security(()),
    tag = crate::http::auth::TAG,
    request_body(content = ClientCredentialsForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = OAuthTokenResponse),
        (status = 400, description = "`unsupported_grant_type`", body = OAuthError),
        (status = 401, description = "`invalid_client`", body = OAuthError),
        problems::TooManyFailures,
        problems::UnsupportedMediaType,
    )
)]
#[post("/oauth/token")]
async fn client_credentials_token(
    clock: adgang_core::Now,
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    keys: web::Data<TokenKeys>,
    throttle: web::Data<crate::ClientSecrets>,
    form: web::Form<ClientCredentialsForm>,
) -> Result<HttpResponse, DomainError> {
    if form.grant_type != "client_credentials" {
        return Ok(oauth_error(400, OAuthErrorCode::UnsupportedGrantType));
    }
    let basic = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(id, secret)| (id.to_owned(), secret.to_owned()))
        });
    let credentials =
        basic.or_else(|| Some((form.client_id.clone()?, form.client_secret.clone()?)));
    let Some((client_id, secret)) = credentials else {
        return Ok(oauth_error(401, OAuthErrorCode::InvalidClient));
    };
    let Some(client) = machine_clients::authenticate(db.get_ref(), &client_id, &secret).await?
    else {
        // Issue 31: failures are limited per client id and per address (429, never a lockout of
        // the right secret: it is checked first).
        let address = req
            .peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default();
        let client_key = format!("client:{}", client_id.chars().take(64).collect::<String>());
        return match throttle.0.failure(
            &[&client_key, &format!("addr:{address}")],
            std::time::Instant::now(),
        ) {
            Verdict::Allowed => Ok(oauth_error(401, OAuthErrorCode::InvalidClient)),
            Verdict::Limited {
                retry_after_seconds,
                ..
            } => Err(DomainError::TooManyRequests {
                retry_after_seconds,
                why: adgang_core::error::TooMany::FailedAuthentications,
            }),
        };
    };
    let org = service::find_organisation(db.get_ref(), &client.organisation_cvr)
        .await?
        .ok_or(DomainError::Unauthorized)?;
    let subject = TokenSubject {
        user_id: client.client_id.clone(),
        name: client.name.clone(),
        organisation: org.claim(),
        rights: machine_clients::rights_of(&client),
        operator: false,
        operator_home: None,
    };
    let (access_token, _) = keys
        .issue(&subject, clock.0)
        .map_err(DomainError::Unexpected)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(OAuthTokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ACCESS_TOKEN_TTL_SECONDS,
        }))
}
