//! Contact structure (SPEC §3).

use adgang_api_types::{
    Audience, ContactGroup, ContactGroupDeletion, ContactGroupInput, ContactImportReceipt,
    ContactPoint, ContactPointInput, ContactTreeNode, DeepLink, RecipientSystemChoice,
};
use gloo_net::http::{Method, RequestBuilder};

use super::{request_as, send, send_no_content, ApiError, Authorised};

fn base(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}")
}

pub async fn tree(client: &Authorised) -> Result<Vec<ContactTreeNode>, ApiError> {
    send(
        request_as(
            Method::GET,
            &format!("{}/contact-structure", base(&client.cvr)),
            &client.token,
        )
        .build(),
    )
    .await
}

pub async fn create_group(
    client: &Authorised,
    input: &ContactGroupInput,
) -> Result<ContactGroup, ApiError> {
    send(
        request_as(
            Method::POST,
            &format!("{}/contact-groups", base(&client.cvr)),
            &client.token,
        )
        .json(input),
    )
    .await
}

pub async fn deletion_preview(
    client: &Authorised,
    id: &str,
) -> Result<ContactGroupDeletion, ApiError> {
    let path = format!("{}/contact-groups/{id}/deletion-preview", base(&client.cvr));
    send(request_as(Method::GET, &path, &client.token).build()).await
}

pub async fn delete_group(client: &Authorised, id: &str) -> Result<ContactGroupDeletion, ApiError> {
    let path = format!("{}/contact-groups/{id}", base(&client.cvr));
    send(request_as(Method::DELETE, &path, &client.token).build()).await
}

pub async fn get_group(client: &Authorised, id: &str) -> Result<ContactGroup, ApiError> {
    let path = format!("{}/contact-groups/{id}", base(&client.cvr));
    send(request_as(Method::GET, &path, &client.token).build()).await
}

pub async fn update_group(
    client: &Authorised,
    id: &str,
    input: &ContactGroupInput,
) -> Result<ContactGroup, ApiError> {
    let path = format!("{}/contact-groups/{id}", base(&client.cvr));
    send(request_as(Method::PUT, &path, &client.token).json(input)).await
}

/// Creates (`id` None) or replaces a point.
/// POST a new point (`id` None) or PUT a saved one; `query` e.g. `?dryRun=true`.
fn point_request(client: &Authorised, id: Option<&str>, query: &str) -> RequestBuilder {
    match id {
        Some(id) => request_as(
            Method::PUT,
            &format!("{}/contact-points/{id}{query}", base(&client.cvr)),
            &client.token,
        ),
        None => request_as(
            Method::POST,
            &format!("{}/contact-points{query}", base(&client.cvr)),
            &client.token,
        ),
    }
}

pub async fn save_point(
    client: &Authorised,
    id: Option<&str>,
    input: &ContactPointInput,
) -> Result<ContactPoint, ApiError> {
    send(point_request(client, id, "").json(input)).await
}

/// the API's judgement of a point's draft, without saving it (`dryRun`).
pub async fn check_point(
    client: &Authorised,
    id: Option<&str>,
    input: &ContactPointInput,
) -> Result<(), ApiError> {
    send_no_content(point_request(client, id, "?dryRun=true").json(input)).await
}

pub async fn get_point(client: &Authorised, id: &str) -> Result<ContactPoint, ApiError> {
    let path = format!("{}/contact-points/{id}", base(&client.cvr));
    send(request_as(Method::GET, &path, &client.token).build()).await
}

pub async fn delete_point(client: &Authorised, id: &str) -> Result<(), ApiError> {
    let path = format!("{}/contact-points/{id}", base(&client.cvr));
    send_no_content(request_as(Method::DELETE, &path, &client.token).build()).await
}

/// `kind`: "contact-points" or "contact-groups".
pub async fn deep_links(
    client: &Authorised,
    kind: &str,
    id: &str,
) -> Result<Vec<DeepLink>, ApiError> {
    let path = format!("{}/{kind}/{id}/deep-links", base(&client.cvr));
    send(request_as(Method::GET, &path, &client.token).build()).await
}

/// The QR code of a deep link as SVG markup.
pub async fn qr_svg(
    client: &Authorised,
    kind: &str,
    id: &str,
    audience: Audience,
) -> Result<String, ApiError> {
    let path = format!(
        "{}/{kind}/{id}/qr-code?audience={}&format=svg",
        base(&client.cvr),
        audience.as_str()
    );
    super::send_text(
        request_as(Method::GET, &path, &client.token)
            .header("Accept", "image/svg+xml")
            .build(),
    )
    .await
}

pub async fn recipient_systems(
    client: &Authorised,
) -> Result<Vec<RecipientSystemChoice>, ApiError> {
    let path = format!("{}/contact-structure/recipient-systems", base(&client.cvr));
    send(request_as(Method::GET, &path, &client.token).build()).await
}

/// Uploads the workbook; `dry_run` only checks and counts.
pub async fn import(
    client: &Authorised,
    file: web_sys::File,
    dry_run: bool,
) -> Result<ContactImportReceipt, ApiError> {
    let path = format!(
        "{}/contact-structure/import?dryRun={dry_run}",
        base(&client.cvr)
    );
    send(
        request_as(Method::POST, &path, &client.token)
            .header(
                "Content-Type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(file),
    )
    .await
}
