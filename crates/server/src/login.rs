//! Wiring login: our OIDC relying party, and the built-in test IdP when enabled (AUTH-01,
//! AUTH-02). With the built-in IdP and no configured secret, both sides share a random secret
//! made at start-up.

use actix_web::web;
use adgang_api_types::EnvironmentLabel;
use adgang_identity::service::login::{OidcLogin, OidcSettings};
use adgang_idp::{IdentityProvider, IdpConfig, RegisteredClient};
use anyhow::bail;

use crate::config::Settings;

pub fn build(
    settings: &Settings,
) -> anyhow::Result<(web::Data<OidcLogin>, Option<web::Data<IdentityProvider>>)> {
    let base = settings.base_url();
    let redirect_uri = format!("{base}/api/v1/auth/callback");
    let secret = match (
        &settings.oidc_client_secret,
        settings.idp_enabled(),
        &settings.oidc_issuer,
    ) {
        (Some(secret), _, _) => secret.clone(),
        (None, true, None) => adgang_core::secrets::random_token(32),
        _ => bail!("ADGANG_OIDC_CLIENT_SECRET is required with an external issuer"),
    };
    let oidc = OidcLogin::new(OidcSettings {
        issuer: settings.oidc_issuer(),
        client_id: settings.oidc_client_id.clone(),
        client_secret: secret.clone(),
        redirect_uri: redirect_uri.clone(),
        secure_cookies: settings.environment == EnvironmentLabel::Production,
    })?;
    let idp = if settings.idp_enabled() {
        let provider = IdentityProvider::new(IdpConfig {
            issuer: format!("{base}/idp"),
            clients: std::iter::once(RegisteredClient {
                client_id: settings.oidc_client_id.clone(),
                client_secret: secret,
                redirect_uris: vec![redirect_uri],
            })
            .chain(settings.idp_extra_clients.iter().cloned())
            .collect(),
        })
        .map_err(|e| anyhow::anyhow!("starting the test IdP: {e}"))?;
        Some(web::Data::new(provider))
    } else {
        None
    };
    Ok((web::Data::new(oidc), idp))
}
