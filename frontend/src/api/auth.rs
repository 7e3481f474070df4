//! Login, session and context switching (AUTH-03, AUTH-06, CTX-01/02).

use adgang_api_types::{
    AccessToken, ContextSwitch, OrganisationLookup, Session, SwitchableOrganisation,
};

use super::{decode, get_json_as, ApiError};

/// A new access token from the HttpOnly session cookie (which the server rotates); `None`
/// when the browser holds no session cookie (204).
pub async fn refresh() -> Result<Option<AccessToken>, ApiError> {
    let response = gloo_net::http::Request::post("/api/v1/auth/token")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.status() == 204 {
        return Ok(None);
    }
    decode(response).await.map(Some)
}

pub async fn session(token: &str) -> Result<Session, ApiError> {
    get_json_as("/api/v1/session", token).await
}

pub async fn organisations(token: &str) -> Result<Vec<SwitchableOrganisation>, ApiError> {
    get_json_as("/api/v1/auth/organisations", token).await
}

/// An operator's CVR lookup (CTX-02); logged in the searches log by the server.
pub async fn lookup_organisation(token: &str, cvr: &str) -> Result<OrganisationLookup, ApiError> {
    let cvr: String = cvr.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    get_json_as(&format!("/api/v1/organisation-lookup/{cvr}"), token).await
}

pub async fn switch(cvr_number: &str) -> Result<AccessToken, ApiError> {
    let body = ContextSwitch {
        cvr_number: cvr_number.to_owned(),
    };
    let response = gloo_net::http::Request::post("/api/v1/auth/switch")
        .json(&body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(response).await
}

pub async fn logout() -> Result<(), ApiError> {
    gloo_net::http::Request::post("/api/v1/auth/logout")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    Ok(())
}

/// Where the browser goes to log in (a full navigation, not an SPA route).
pub fn login_url(return_to: &str) -> String {
    format!("/api/v1/auth/login?returnTo={}", super::encode(return_to))
}
