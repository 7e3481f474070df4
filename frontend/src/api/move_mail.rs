//! Move mail (SPEC §12): the choices, the order, its progress and receipt.

use adgang_api_types::{MailMove, MoveContactPoint, NewMailMove, Page};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError, Authorised};

fn path(client: &Authorised, rest: &str) -> String {
    format!("/api/v1/organisations/{}/mail-moves{rest}", client.cvr)
}

/// MV-02: the organisation's contact points and whether mail can go to each.
pub async fn contact_points(client: &Authorised) -> Result<Vec<MoveContactPoint>, ApiError> {
    let path = path(client, "/contact-points");
    send(request_as(Method::GET, &path, &client.token).build()).await
}

/// MV-04: the latest 20 moves, newest first (the first page of X-03's paged list).
pub async fn list(client: &Authorised) -> Result<Vec<MailMove>, ApiError> {
    let page: Page<MailMove> =
        send(request_as(Method::GET, &path(client, "?pageSize=20"), &client.token).build()).await?;
    Ok(page.items)
}

pub async fn get(client: &Authorised, id: &str) -> Result<MailMove, ApiError> {
    send(request_as(Method::GET, &path(client, &format!("/{id}")), &client.token).build()).await
}

/// the API's judgement of the order so far (everything but the tick).
pub async fn check(client: &Authorised, order: &NewMailMove) -> Result<(), ApiError> {
    let path = path(client, "?dryRun=true");
    send_no_content(request_as(Method::POST, &path, &client.token).json(order)).await
}

/// MV-03 "Start flytning af post".
pub async fn start(client: &Authorised, order: &NewMailMove) -> Result<MailMove, ApiError> {
    send(request_as(Method::POST, &path(client, ""), &client.token).json(order)).await
}

/// The receipt PDF, saved by the browser.
pub async fn download_receipt(client: &Authorised, id: &str) -> Result<(), ApiError> {
    client
        .download(
            &format!("/mail-moves/{id}/receipt"),
            &format!("kvittering-flyt-post-{id}.pdf"),
        )
        .await
}
