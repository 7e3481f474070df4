//! Typed clients for the backend, one module per backend module, built on `adgang-api-types`.

pub mod auth;
pub mod meta;

use adgang_api_types::Problem;
use gloo_net::http::Response;
use serde::de::DeserializeOwned;

/// What can go wrong calling the API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No usable answer (network down, server unreachable, body unreadable).
    Network(String),
    /// The API answered with problem+json.
    Problem(Problem),
}

/// A JSON body on success, else the problem+json the API sent.
pub async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))
    } else {
        match response.json::<Problem>().await {
            Ok(problem) => Err(ApiError::Problem(problem)),
            Err(e) => Err(ApiError::Network(format!(
                "HTTP {}: {e}",
                response.status()
            ))),
        }
    }
}

/// GET `path` without credentials.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = gloo_net::http::Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(response).await
}

/// GET `path` with our access token.
pub async fn get_json_as<T: DeserializeOwned>(path: &str, token: &str) -> Result<T, ApiError> {
    let response = gloo_net::http::Request::get(path)
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(response).await
}
