//! Contact structure (SPEC §3).

use adgang_api_types::{ContactGroup, ContactGroupDeletion, ContactGroupInput, ContactTreeNode};
use gloo_net::http::Method;

use super::{request_as, send, ApiError};

fn base(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}")
}

pub async fn tree(token: &str, cvr: &str) -> Result<Vec<ContactTreeNode>, ApiError> {
    send(
        request_as(
            Method::GET,
            &format!("{}/contact-structure", base(cvr)),
            token,
        )
        .build(),
    )
    .await
}

pub async fn create_group(
    token: &str,
    cvr: &str,
    input: &ContactGroupInput,
) -> Result<ContactGroup, ApiError> {
    send(
        request_as(
            Method::POST,
            &format!("{}/contact-groups", base(cvr)),
            token,
        )
        .json(input),
    )
    .await
}

pub async fn deletion_preview(
    token: &str,
    cvr: &str,
    id: &str,
) -> Result<ContactGroupDeletion, ApiError> {
    let path = format!("{}/contact-groups/{id}/deletion-preview", base(cvr));
    send(request_as(Method::GET, &path, token).build()).await
}

pub async fn delete_group(
    token: &str,
    cvr: &str,
    id: &str,
) -> Result<ContactGroupDeletion, ApiError> {
    let path = format!("{}/contact-groups/{id}", base(cvr));
    send(request_as(Method::DELETE, &path, token).build()).await
}
