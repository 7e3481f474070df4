//! Authority onboarding (AUTH-04).

use adgang_api_types::{OnboardingCompletion, OnboardingStatus, SignedAgreement};
use gloo_net::http::Method;

use super::{request_as, send, ApiError, Authorised};

fn path(cvr: &str, rest: &str) -> String {
    format!("/api/v1/organisations/{cvr}/onboarding{rest}")
}

pub async fn status(client: &Authorised) -> Result<OnboardingStatus, ApiError> {
    send(request_as(Method::GET, &path(&client.cvr, ""), &client.token).build()).await
}

/// Uploads the chosen file as the raw body; the server checks it is a readable PDF.
pub async fn upload(client: &Authorised, file: web_sys::File) -> Result<SignedAgreement, ApiError> {
    send(
        request_as(
            Method::PUT,
            &path(&client.cvr, "/signed-agreement"),
            &client.token,
        )
        .header("Content-Type", "application/pdf")
        .body(file),
    )
    .await
}

pub async fn complete(
    client: &Authorised,
    completion: &OnboardingCompletion,
) -> Result<OnboardingStatus, ApiError> {
    send(
        request_as(
            Method::POST,
            &path(&client.cvr, "/completion"),
            &client.token,
        )
        .json(completion),
    )
    .await
}
