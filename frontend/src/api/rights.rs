//! Rights administration (the organisation's `rights_admin`).

use adgang_api_types::{OrganisationUser, Page, Right};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError, Authorised};

/// The organisation's users by name: the first 500 (X-03 pages the list; the page shows one).
pub async fn users(client: &Authorised) -> Result<Vec<OrganisationUser>, ApiError> {
    let page: Page<OrganisationUser> = send(
        request_as(
            Method::GET,
            &format!("/api/v1/organisations/{}/users?pageSize=500", client.cvr),
            &client.token,
        )
        .build(),
    )
    .await?;
    Ok(page.items)
}

fn right_path(cvr: &str, user_id: &str, right: Right) -> String {
    let user = super::encode(user_id);
    format!(
        "/api/v1/organisations/{cvr}/users/{user}/rights/{}",
        right.as_str()
    )
}

pub async fn grant(client: &Authorised, user_id: &str, right: Right) -> Result<(), ApiError> {
    send_no_content(
        request_as(
            Method::PUT,
            &right_path(&client.cvr, user_id, right),
            &client.token,
        )
        .build(),
    )
    .await
}

pub async fn revoke(client: &Authorised, user_id: &str, right: Right) -> Result<(), ApiError> {
    send_no_content(
        request_as(
            Method::DELETE,
            &right_path(&client.cvr, user_id, right),
            &client.token,
        )
        .build(),
    )
    .await
}
