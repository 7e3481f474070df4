//! Exemption (SPEC §5): lookups, grant, lift, renew and receipts.

use adgang_api_types::{
    ExemptionChange, ExemptionReceipt, NewExemption, PartyExemption, PartyKind, PartyLookup,
};
use gloo_net::http::Method;

use super::{parties, request_as, send, send_no_content, ApiError, Authorised};

fn base(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}/exemptions")
}

/// EX-01/EX-04: the party and their status (logged in the searches log).
pub async fn look_up(
    client: &Authorised,
    kind: PartyKind,
    number: &str,
) -> Result<PartyExemption, ApiError> {
    let path = format!("{}/lookups", base(&client.cvr));
    let body = PartyLookup::of(kind, number);
    send(request_as(Method::POST, &path, &client.token).json(&body)).await
}

fn grant_path(client: &Authorised, kind: PartyKind, dry_run: bool) -> String {
    let query = if dry_run { "?dryRun=true" } else { "" };
    format!("{}/{}{query}", base(&client.cvr), parties(kind))
}

/// the API's judgement of a draft exemption, changing nothing.
pub async fn check_grant(
    client: &Authorised,
    kind: PartyKind,
    new: &NewExemption,
) -> Result<(), ApiError> {
    let path = grant_path(client, kind, true);
    send_no_content(request_as(Method::POST, &path, &client.token).json(new)).await
}

pub async fn grant(
    client: &Authorised,
    kind: PartyKind,
    new: &NewExemption,
) -> Result<ExemptionReceipt, ApiError> {
    let path = grant_path(client, kind, false);
    send(request_as(Method::POST, &path, &client.token).json(new)).await
}

/// What "Godkend" does to an exemption in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Lift,
    Renew,
}

pub async fn change(
    client: &Authorised,
    kind: PartyKind,
    id: &str,
    change: Change,
    body: &ExemptionChange,
) -> Result<ExemptionReceipt, ApiError> {
    let verb = match change {
        Change::Lift => "lift",
        Change::Renew => "renew",
    };
    let path = format!("{}/{}/{id}/{verb}", base(&client.cvr), parties(kind));
    send(request_as(Method::POST, &path, &client.token).json(body)).await
}

/// The receipt PDF, saved by the browser.
pub async fn download_receipt(
    client: &Authorised,
    receipt: &ExemptionReceipt,
) -> Result<(), ApiError> {
    client
        .download(
            &format!("/exemptions/receipts/{}/pdf", receipt.id),
            &format!("kvittering-{}.pdf", receipt.id),
        )
        .await
}

/// the API's judgement of a lift or renewal, changing nothing.
pub async fn check_change(
    client: &Authorised,
    kind: PartyKind,
    id: &str,
    change: Change,
    body: &ExemptionChange,
) -> Result<(), ApiError> {
    let verb = match change {
        Change::Lift => "lift",
        Change::Renew => "renew",
    };
    let path = format!(
        "{}/{}/{id}/{verb}?dryRun=true",
        base(&client.cvr),
        parties(kind)
    );
    send_no_content(request_as(Method::POST, &path, &client.token).json(body)).await
}
