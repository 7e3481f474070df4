//! Authority information (SPEC §8): the privacy-policy link and the logo.

use adgang_api_types::{AuthorityInformation, LinkCheck, PrivacyPolicyLink};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError, Authorised};

fn path(client: &Authorised, rest: &str) -> String {
    format!("/api/v1/organisations/{}{rest}", client.cvr)
}

pub async fn get(client: &Authorised) -> Result<AuthorityInformation, ApiError> {
    let path = path(client, "/authority-information");
    send(request_as(Method::GET, &path, &client.token).build()).await
}

/// INFO-01 "Gem".
pub async fn save_link(client: &Authorised, url: &str) -> Result<AuthorityInformation, ApiError> {
    let path = path(client, "/authority-information/privacy-policy-link");
    let body = PrivacyPolicyLink {
        url: url.to_owned(),
    };
    send(request_as(Method::PUT, &path, &client.token).json(&body)).await
}

/// INFO-01 "Afprøv link": the server fetches it.
pub async fn test_link(client: &Authorised, url: &str) -> Result<LinkCheck, ApiError> {
    let path = path(client, "/authority-information/link-checks");
    let body = PrivacyPolicyLink {
        url: url.to_owned(),
    };
    send(request_as(Method::POST, &path, &client.token).json(&body)).await
}

/// INFO-02: the chosen file as the raw body; the server checks it is a PNG.
pub async fn upload_logo(
    client: &Authorised,
    file: web_sys::File,
) -> Result<AuthorityInformation, ApiError> {
    send(
        request_as(Method::PUT, &path(client, "/logo"), &client.token)
            .header("Content-Type", "image/png")
            .body(file),
    )
    .await
}

pub async fn remove_logo(client: &Authorised) -> Result<(), ApiError> {
    send_no_content(request_as(Method::DELETE, &path(client, "/logo"), &client.token).build()).await
}
