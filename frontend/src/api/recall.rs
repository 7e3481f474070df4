//! Recall before the value date (SPEC §10): find an own message, recall it.

use adgang_api_types::{RecallCandidate, RecallReceipt};
use gloo_net::http::Method;

use super::{encode, request_as, send, ApiError, Authorised};

fn path(client: &Authorised, message_id: &str) -> String {
    format!(
        "/api/v1/organisations/{}/memos/{}",
        client.cvr,
        encode(message_id.trim())
    )
}

/// RC-01: the organisation's message with this id.
pub async fn find(client: &Authorised, message_id: &str) -> Result<RecallCandidate, ApiError> {
    send(request_as(Method::GET, &path(client, message_id), &client.token).build()).await
}

/// RC-02: "Bekræft tilbagekald".
pub async fn recall(client: &Authorised, message_id: &str) -> Result<RecallReceipt, ApiError> {
    send(request_as(Method::DELETE, &path(client, message_id), &client.token).build()).await
}
