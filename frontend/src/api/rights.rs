//! Rights administration (the organisation's `rights_admin`).

use adgang_api_types::{OrganisationUser, Right};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError};

pub async fn users(token: &str, cvr: &str) -> Result<Vec<OrganisationUser>, ApiError> {
    send(
        request_as(
            Method::GET,
            &format!("/api/v1/organisations/{cvr}/users"),
            token,
        )
        .build(),
    )
    .await
}

fn right_path(cvr: &str, user_id: &str, right: Right) -> String {
    let user = super::encode(user_id);
    format!(
        "/api/v1/organisations/{cvr}/users/{user}/rights/{}",
        right.as_str()
    )
}

pub async fn grant(token: &str, cvr: &str, user_id: &str, right: Right) -> Result<(), ApiError> {
    send_no_content(request_as(Method::PUT, &right_path(cvr, user_id, right), token).build()).await
}

pub async fn revoke(token: &str, cvr: &str, user_id: &str, right: Right) -> Result<(), ApiError> {
    send_no_content(request_as(Method::DELETE, &right_path(cvr, user_id, right), token).build())
        .await
}
