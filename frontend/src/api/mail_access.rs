//! Access to a citizen's mail (SPEC §7): giver and holder lookups, give, revoke, receipts.

use adgang_api_types::{
    AccessGiver, AccessHolder, CitizenLookup, HolderLookup, MailAccessReceipt, NewMailAccess,
};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError, Authorised};

fn base(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}")
}

/// ACC-01 (logged in the searches log).
pub async fn look_up_giver(client: &Authorised, cpr: &str) -> Result<AccessGiver, ApiError> {
    let path = format!("{}/mail-access/giver-lookups", base(&client.cvr));
    let body = CitizenLookup {
        cpr: cpr.to_owned(),
    };
    send(request_as(Method::POST, &path, &client.token).json(&body)).await
}

/// ACC-02 (logged in the searches log).
pub async fn look_up_holder(client: &Authorised, holder: &str) -> Result<AccessHolder, ApiError> {
    let path = format!("{}/mail-access/holder-lookups", base(&client.cvr));
    let body = HolderLookup {
        holder: holder.to_owned(),
    };
    send(request_as(Method::POST, &path, &client.token).json(&body)).await
}

/// the API's judgement of a draft access, changing nothing.
pub async fn check(client: &Authorised, new: &NewMailAccess) -> Result<(), ApiError> {
    let path = format!("{}/mail-accesses?dryRun=true", base(&client.cvr));
    send_no_content(request_as(Method::POST, &path, &client.token).json(new)).await
}

pub async fn give(client: &Authorised, new: &NewMailAccess) -> Result<MailAccessReceipt, ApiError> {
    let path = format!("{}/mail-accesses", base(&client.cvr));
    send(request_as(Method::POST, &path, &client.token).json(new)).await
}

pub async fn revoke(client: &Authorised, id: &str) -> Result<MailAccessReceipt, ApiError> {
    let path = format!("{}/mail-accesses/{id}", base(&client.cvr));
    send(request_as(Method::DELETE, &path, &client.token).build()).await
}

pub async fn download_receipt(
    client: &Authorised,
    receipt: &MailAccessReceipt,
) -> Result<(), ApiError> {
    client
        .download(
            &format!("/mail-access/receipts/{}/pdf", receipt.id),
            &format!("kvittering-{}.pdf", receipt.id),
        )
        .await
}
