use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{
    CoreEdDsaPrivateSigningKey, CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AccessToken, Audience, AuthUrl, EmptyAdditionalClaims, EmptyAdditionalProviderMetadata,
    EndUserName, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PrivateSigningKey,
    ResponseTypes, Scope, StandardClaims, SubjectIdentifier, TokenUrl,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use adgang_core::ports::UserDirectory;
use adgang_core::secrets::random_token;

use crate::html;

/// A relying party allowed to use this provider.
#[derive(Debug, Clone)]
pub struct RegisteredClient {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
}

impl RegisteredClient {
    /// Exact match; a registered loopback URI without a port (`http://127.0.0.1/path`) matches
    /// any port, as RFC 8252 §7.3 allows for loopback redirects.
    pub fn allows_redirect(&self, requested: &str) -> bool {
        self.redirect_uris.iter().any(|registered| {
            registered == requested
                || registered
                    .strip_prefix("http://127.0.0.1/")
                    .is_some_and(|path| {
                        requested
                            .strip_prefix("http://127.0.0.1:")
                            .and_then(|rest| rest.split_once('/'))
                            .is_some_and(|(port, rest)| {
                                !port.is_empty()
                                    && port.bytes().all(|b| b.is_ascii_digit())
                                    && rest == path
                            })
                    })
        })
    }
}

#[derive(Debug, Clone)]
pub struct IdpConfig {
    /// e.g. `http://127.0.0.1:8080/idp`
    pub issuer: String,
    pub clients: Vec<RegisteredClient>,
}

struct PendingCode {
    client_id: String,
    redirect_uri: String,
    subject: String,
    name: String,
    nonce: Option<String>,
    code_challenge: String,
    expires: DateTime<Utc>,
}

/// Provider state: its signing key and the authorization codes in flight (a test provider runs
/// as one instance, so codes live in memory; they expire after 2 minutes).
pub struct IdentityProvider {
    config: IdpConfig,
    signing_key: CoreEdDsaPrivateSigningKey,
    codes: Mutex<HashMap<String, PendingCode>>,
}

const CODE_TTL_SECONDS: i64 = 120;
const ID_TOKEN_TTL_SECONDS: i64 = 300;

impl IdentityProvider {
    pub fn new(config: IdpConfig) -> Result<IdentityProvider, String> {
        let pem = adgang_core::auth::generate_pkcs8_pem().map_err(|e| e.to_string())?;
        let kid = JsonWebKeyId::new(format!("idp-{}", &random_token(32)[..8]));
        let signing_key = CoreEdDsaPrivateSigningKey::from_ed25519_pem(&pem, Some(kid))?;
        Ok(IdentityProvider {
            config,
            signing_key,
            codes: Mutex::new(HashMap::new()),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    fn client(&self, client_id: &str) -> Option<&RegisteredClient> {
        self.config
            .clients
            .iter()
            .find(|c| c.client_id == client_id)
    }

    fn metadata(&self) -> Result<CoreProviderMetadata, String> {
        let url = |path: &str| format!("{}{path}", self.config.issuer);
        Ok(CoreProviderMetadata::new(
            IssuerUrl::new(self.config.issuer.clone()).map_err(|e| e.to_string())?,
            AuthUrl::new(url("/authorize")).map_err(|e| e.to_string())?,
            JsonWebKeySetUrl::new(url("/jwks")).map_err(|e| e.to_string())?,
            vec![ResponseTypes::new(vec![CoreResponseType::Code])],
            vec![CoreSubjectIdentifierType::Public],
            vec![CoreJwsSigningAlgorithm::EdDsa],
            EmptyAdditionalProviderMetadata {},
        )
        .set_token_endpoint(Some(
            TokenUrl::new(url("/token")).map_err(|e| e.to_string())?,
        ))
        .set_scopes_supported(Some(vec![
            Scope::new("openid".into()),
            Scope::new("profile".into()),
        ])))
    }
}

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/idp")
            .route(
                "/.well-known/openid-configuration",
                web::get().to(discovery),
            )
            .route("/jwks", web::get().to(jwks))
            .route("/authorize", web::get().to(authorize_page))
            .route("/authorize", web::post().to(authorize_submit))
            .route("/token", web::post().to(token)),
    );
}

async fn discovery(idp: web::Data<IdentityProvider>) -> HttpResponse {
    match idp.metadata() {
        Ok(metadata) => HttpResponse::Ok().json(metadata),
        Err(err) => oauth_error(500, "server_error", &err),
    }
}

async fn jwks(idp: web::Data<IdentityProvider>) -> HttpResponse {
    HttpResponse::Ok().json(CoreJsonWebKeySet::new(vec![idp
        .signing_key
        .as_verification_key()]))
}

/// The authorization request (OIDC Core 3.1.2.1), as query or form fields.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AuthorizeRequest {
    pub response_type: String,
    pub client_id: String,
    pub redirect_uri: String,
    #[serde(default)]
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

impl AuthorizeRequest {
    /// Problems that must be shown to the user (never redirected: the redirect URI is not
    /// trusted until checked).
    fn check(&self, idp: &IdentityProvider) -> Result<(), String> {
        let client = idp
            .client(&self.client_id)
            .ok_or("Ukendt klient (client_id).")?;
        if !client.allows_redirect(&self.redirect_uri) {
            return Err("redirect_uri er ikke registreret for klienten.".into());
        }
        if self.response_type != "code" {
            return Err("Kun response_type=code understøttes.".into());
        }
        if !self.scope.split(' ').any(|s| s == "openid") {
            return Err("Scope skal indeholde openid.".into());
        }
        if self.code_challenge.is_none() || self.code_challenge_method.as_deref() != Some("S256") {
            return Err("PKCE med S256 er påkrævet.".into());
        }
        Ok(())
    }
}

async fn authorize_page(
    idp: web::Data<IdentityProvider>,
    directory: web::Data<dyn UserDirectory>,
    query: web::Query<AuthorizeRequest>,
) -> HttpResponse {
    if let Err(problem) = query.check(&idp) {
        return html::page(400, &html::error_page(&problem));
    }
    let users = match directory.users().await {
        Ok(users) => users,
        Err(err) => {
            tracing::error!(error = %err, "listing test users");
            return html::page(500, &html::error_page("Brugerne kunne ikke hentes."));
        }
    };
    html::page(200, &html::login_page(&query, &users))
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(flatten)]
    pub request: AuthorizeRequest,
    pub subject: String,
}

async fn authorize_submit(
    idp: web::Data<IdentityProvider>,
    directory: web::Data<dyn UserDirectory>,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let request = form.request;
    if let Err(problem) = request.check(&idp) {
        return html::page(400, &html::error_page(&problem));
    }
    let found = directory.user(&form.subject).await.ok().flatten();
    let Some(found) = found else {
        return html::page(400, &html::error_page("Ukendt bruger."));
    };
    let code = random_token(32);
    let pending = PendingCode {
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        subject: found.subject,
        name: found.name,
        nonce: request.nonce.clone(),
        code_challenge: request.code_challenge.clone().unwrap_or_default(),
        expires: Utc::now() + Duration::seconds(CODE_TTL_SECONDS),
    };
    let mut codes = idp.codes.lock().unwrap_or_else(|p| p.into_inner());
    let now = Utc::now();
    codes.retain(|_, c| c.expires > now);
    codes.insert(code.clone(), pending);
    drop(codes);

    let mut location = format!("{}?code={code}", request.redirect_uri);
    if let Some(state) = &request.state {
        location.push_str("&state=");
        location.push_str(&urlencode(state));
    }
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

fn urlencode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[derive(Debug, Deserialize)]
struct TokenRequest {
    grant_type: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// OAuth2 error body (RFC 6749 §5.2).
fn oauth_error(status: u16, error: &str, description: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "error": error, "error_description": description }))
}

/// Client authentication: `client_secret_basic` or `client_secret_post`.
fn client_credentials(req: &HttpRequest, form: &TokenRequest) -> Option<(String, String)> {
    if let Some(basic) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        // RFC 6749 §2.3.1: both parts are form-urlencoded.
        return Some((form_unescape(id), form_unescape(secret)));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

/// Form-urlencoding unescape of one credential part.
fn form_unescape(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

async fn token(
    req: HttpRequest,
    idp: web::Data<IdentityProvider>,
    form: web::Form<TokenRequest>,
) -> HttpResponse {
    let form = form.into_inner();
    let Some((client_id, client_secret)) = client_credentials(&req, &form) else {
        return oauth_error(401, "invalid_client", "client authentication is required");
    };
    let Some(client) = idp
        .client(&client_id)
        .filter(|c| c.client_secret == client_secret)
    else {
        return oauth_error(401, "invalid_client", "unknown client or wrong secret");
    };
    if form.grant_type != "authorization_code" {
        return oauth_error(400, "unsupported_grant_type", "only authorization_code");
    }
    let code = form.code.unwrap_or_default();
    // A code is usable once: removed before anything else is checked.
    let pending = idp
        .codes
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&code);
    let Some(pending) = pending else {
        return oauth_error(400, "invalid_grant", "unknown or used code");
    };
    if pending.expires < Utc::now()
        || pending.client_id != client.client_id
        || Some(&pending.redirect_uri) != form.redirect_uri.as_ref()
    {
        return oauth_error(400, "invalid_grant", "code does not match this request");
    }
    let verifier = form.code_verifier.unwrap_or_default();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    if challenge != pending.code_challenge {
        return oauth_error(400, "invalid_grant", "PKCE verification failed");
    }

    let now = Utc::now();
    let access_token = AccessToken::new(random_token(32));
    let issuer = match IssuerUrl::new(idp.config.issuer.clone()) {
        Ok(issuer) => issuer,
        Err(err) => return oauth_error(500, "server_error", &err.to_string()),
    };
    let mut standard = StandardClaims::new(SubjectIdentifier::new(pending.subject));
    standard = standard.set_name(Some(EndUserName::new(pending.name).into()));
    let claims = CoreIdTokenClaims::new(
        issuer,
        vec![Audience::new(client.client_id.clone())],
        now + Duration::seconds(ID_TOKEN_TTL_SECONDS),
        now,
        standard,
        EmptyAdditionalClaims {},
    )
    .set_nonce(pending.nonce.map(Nonce::new))
    .set_auth_time(Some(now));
    let id_token = match CoreIdToken::new(
        claims,
        &idp.signing_key,
        CoreJwsSigningAlgorithm::EdDsa,
        Some(&access_token),
        None,
    ) {
        Ok(token) => token,
        Err(err) => return oauth_error(500, "server_error", &err.to_string()),
    };
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({
            "access_token": access_token.secret(),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_TTL_SECONDS,
            "id_token": id_token.to_string(),
        }))
}

#[cfg(test)]
mod tests {
    use super::RegisteredClient;

    #[test]
    fn loopback_redirects_match_any_port_and_nothing_else() {
        let client = RegisteredClient {
            client_id: "c".into(),
            client_secret: "s".into(),
            redirect_uris: vec![
                "http://127.0.0.1/api/v1/auth/callback".into(),
                "https://rp.example/cb".into(),
            ],
        };
        assert!(client.allows_redirect("http://127.0.0.1:41234/api/v1/auth/callback"));
        assert!(client.allows_redirect("https://rp.example/cb"));
        assert!(!client.allows_redirect("http://127.0.0.1:41234/other"));
        assert!(!client.allows_redirect("http://127.0.0.1.evil.example:80/api/v1/auth/callback"));
        assert!(!client.allows_redirect("https://rp.example/cb/x"));
    }
}
