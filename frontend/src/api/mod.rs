//! Typed clients for the backend, one module per backend module, built on `adgang-api-types`.

pub mod meta;

use adgang_api_types::Problem;
use serde::de::DeserializeOwned;

/// What can go wrong calling the API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No usable answer (network down, server unreachable, body unreadable).
    Network(String),
    /// The API answered with problem+json.
    Problem(Problem),
}

/// GET `path` and decode a JSON body, or the problem+json the API sent instead.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = gloo_net::http::Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
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
