//! Authority onboarding (AUTH-04).

use adgang_api_types::{OnboardingCompletion, OnboardingStatus, SignedAgreement};
use gloo_net::http::Method;

use super::{request_as, send, ApiError};

fn path(cvr: &str, rest: &str) -> String {
    format!("/api/v1/organisations/{cvr}/onboarding{rest}")
}

pub async fn status(token: &str, cvr: &str) -> Result<OnboardingStatus, ApiError> {
    send(request_as(Method::GET, &path(cvr, ""), token).build()).await
}

/// Uploads the chosen file as the raw body; the server checks it is a readable PDF.
pub async fn upload(
    token: &str,
    cvr: &str,
    file: web_sys::File,
) -> Result<SignedAgreement, ApiError> {
    send(
        request_as(Method::PUT, &path(cvr, "/signed-agreement"), token)
            .header("Content-Type", "application/pdf")
            .body(file),
    )
    .await
}

pub async fn complete(
    token: &str,
    cvr: &str,
    completion: &OnboardingCompletion,
) -> Result<OnboardingStatus, ApiError> {
    send(request_as(Method::POST, &path(cvr, "/completion"), token).json(completion)).await
}
