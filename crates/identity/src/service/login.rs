//! The OpenID Connect relying party (AUTH-01): authorization-code flow with PKCE against the
//! configured issuer — the built-in test IdP by default, NemLog-in or Keycloak in production,
//! one code path for all — then our own session and access tokens (AUTH-03).

use adgang_core::auth::TokenSubject;
use adgang_core::{Cvr, TokenKeys};
use anyhow::{anyhow, Context};
use chrono::{DateTime, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};

use crate::entity::{organisation, session, user};
use crate::service::{rights, sessions};
use crate::IdentityError;

/// Where and how we log in.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// `{public base}/api/v1/auth/callback`
    pub redirect_uri: String,
    /// Cookies get `Secure` (production).
    pub secure_cookies: bool,
}

/// The relying party. Provider metadata is discovered on first use and kept.
pub struct OidcLogin {
    pub settings: OidcSettings,
    metadata: tokio::sync::OnceCell<CoreProviderMetadata>,
    http: reqwest::Client,
}

/// The login attempt, kept in a short-lived signed cookie between `login` and `callback`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginState {
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
}

pub const LOGIN_COOKIE: &str = "adgang_login";
pub const LOGIN_AUDIENCE: &str = "adgang-login";
const LOGIN_TTL_SECONDS: i64 = 600;

/// Who the issuer says logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedIn {
    pub subject: String,
    pub name: String,
}

impl OidcLogin {
    pub fn new(settings: OidcSettings) -> anyhow::Result<OidcLogin> {
        let http = reqwest::Client::builder()
            // Following redirects from the issuer would open SSRF paths.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .context("building the OIDC HTTP client")?;
        Ok(OidcLogin {
            settings,
            metadata: tokio::sync::OnceCell::new(),
            http,
        })
    }

    async fn metadata(&self) -> anyhow::Result<&CoreProviderMetadata> {
        self.metadata
            .get_or_try_init(|| async {
                let issuer = IssuerUrl::new(self.settings.issuer.clone()).context("issuer URL")?;
                CoreProviderMetadata::discover_async(issuer, &self.http)
                    .await
                    .map_err(|e| anyhow!("OIDC discovery at {} failed: {e}", self.settings.issuer))
            })
            .await
    }

    /// The relying-party client for the discovered issuer, with our client id, secret and
    /// redirect URI (AUTH-01).
    async fn client(
        &self,
    ) -> anyhow::Result<
        CoreClient<
            EndpointSet,
            EndpointNotSet,
            EndpointNotSet,
            EndpointNotSet,
            EndpointMaybeSet,
            EndpointMaybeSet,
        >,
    > {
        let metadata = self.metadata().await?.clone();
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.settings.redirect_uri.clone()).context("redirect URI")?,
        ))
    }

    /// The issuer's authorization URL for a new attempt, and the state to keep in the cookie.
    pub async fn begin(
        &self,
        keys: &TokenKeys,
        return_to: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, String)> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let cookie = keys.sign(&LoginState {
            iss: keys.issuer().to_owned(),
            aud: LOGIN_AUDIENCE.to_owned(),
            exp: now.timestamp() + LOGIN_TTL_SECONDS,
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to: safe_return_to(return_to),
        })?;
        Ok((url.to_string(), cookie))
    }

    /// Exchanges the code, verifies the ID token (signature, issuer, audience, expiry, nonce)
    /// and returns who logged in.
    pub async fn finish(&self, login: &LoginState, code: &str) -> anyhow::Result<LoggedIn> {
        let client = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .context("the issuer has no token endpoint")?
            .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| anyhow!("code exchange failed: {e}"))?;
        let id_token = response.id_token().context("the issuer sent no ID token")?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(login.nonce.clone()))
            .map_err(|e| anyhow!("ID token rejected: {e}"))?;
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default();
        Ok(LoggedIn {
            subject: claims.subject().as_str().to_owned(),
            name,
        })
    }
}

/// Only same-site paths may be returned to after login (no open redirect).
/// AUTH-01: only a path of this site, never an open redirect. The path must resolve — the way
/// a browser resolves it — to this origin; control characters (a TAB or newline a browser would
/// drop, turning `/\t/host` into `//host`; CR/LF that would break the header) and backslashes are
/// refused outright. Anything else is the front page.
pub fn safe_return_to(path: &str) -> String {
    const HERE: &str = "https://portal.invalid/";
    if !path.starts_with('/') || path.chars().any(|c| c.is_control() || c == '\\') {
        return "/".to_owned();
    }
    let here = url::Url::parse(HERE).expect("a valid base URL");
    match here.join(path) {
        Ok(url) if url.origin() == here.origin() => {
            let mut same_site = url.path().to_owned();
            if let Some(query) = url.query() {
                same_site.push('?');
                same_site.push_str(query);
            }
            same_site
        }
        _ => "/".to_owned(),
    }
}

/// Our access token for a session: current organisation and the rights held there now.
pub async fn access_token_for(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    session: &session::Model,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), IdentityError> {
    let user = user::Entity::find_by_id(session.user_id.as_str())
        .one(db)
        .await?
        .ok_or(IdentityError::SessionInvalid)?;
    let org = organisation::Entity::find_by_id(session.organisation_cvr.as_str())
        .one(db)
        .await?
        .ok_or(IdentityError::SessionInvalid)?;
    let cvr = Cvr::parse(&org.cvr).map_err(|_| IdentityError::SessionInvalid)?;
    let (rights, operator_home) = if session.operator {
        rights::on_behalf(db, &user.id).await?
    } else {
        (rights::rights_in(db, &user.id, &cvr).await?, None)
    };
    let subject = TokenSubject {
        user_id: user.subject,
        name: user.name,
        organisation: org.claim(),
        rights,
        operator: session.operator,
        operator_home: operator_home.map(|home| home.to_string()),
    };
    keys.issue_in_session(&subject, Some(&sessions::version_of(session)), now)
        .map_err(IdentityError::Unexpected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_01_return_to_is_always_a_path_of_this_site() {
        for same_site in ["/", "/systemtilslutning", "/kontaktstruktur/import?x=1"] {
            assert_eq!(safe_return_to(same_site), same_site);
        }
        // What a browser would resolve to another host, or a header-breaking value.
        for foreign in [
            "https://angriber.example/",
            "//angriber.example/",
            "/\\angriber.example/",
            "/\t/angriber.example/",
            "/\n/angriber.example/",
            "/\r\nSet-Cookie: x=1",
            "/\u{0}",
            "/\u{7f}",
            "/\u{b}",
            "systemtilslutning",
        ] {
            assert_eq!(safe_return_to(foreign), "/", "{foreign:?}");
        }
        // An encoded TAB stays encoded: a same-site path, whatever its text.
        let encoded = safe_return_to("/%09/angriber.example/x");
        let here = url::Url::parse("https://portal.invalid/").unwrap();
        assert_eq!(here.join(&encoded).unwrap().origin(), here.origin());
    }
}
