//! NemSMS (SPEC §6): lookups, enrol, change number, unenrol, and the holder's confirmation.

use adgang_api_types::{
    NemSmsConfirmation, NemSmsConfirmed, NemSmsNumberChange, NemSmsReceipt, NemSmsStatus,
    NewNemSmsEnrolment, PartyKind, PartyLookup,
};
use gloo_net::http::Method;

use super::{parties, request_as, send, ApiError, Authorised};

fn base(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}/nemsms")
}

/// SMS-01: the party and their enrolment (logged in the searches log).
pub async fn look_up(
    client: &Authorised,
    kind: PartyKind,
    number: &str,
) -> Result<NemSmsStatus, ApiError> {
    let path = format!("{}/lookups", base(&client.cvr));
    let body = PartyLookup::of(kind, number);
    send(request_as(Method::POST, &path, &client.token).json(&body)).await
}

pub async fn enrol(
    client: &Authorised,
    kind: PartyKind,
    new: &NewNemSmsEnrolment,
) -> Result<NemSmsReceipt, ApiError> {
    let path = format!("{}/{}", base(&client.cvr), parties(kind));
    send(request_as(Method::POST, &path, &client.token).json(new)).await
}

pub async fn change_number(
    client: &Authorised,
    kind: PartyKind,
    id: &str,
    phone: &str,
) -> Result<NemSmsReceipt, ApiError> {
    let path = format!("{}/{}/{id}/phone", base(&client.cvr), parties(kind));
    let body = NemSmsNumberChange {
        phone: phone.to_owned(),
    };
    send(request_as(Method::PUT, &path, &client.token).json(&body)).await
}

pub async fn unenrol(
    client: &Authorised,
    kind: PartyKind,
    id: &str,
) -> Result<NemSmsReceipt, ApiError> {
    let path = format!("{}/{}/{id}", base(&client.cvr), parties(kind));
    send(request_as(Method::DELETE, &path, &client.token).build()).await
}

/// SMS-02: the holder's confirmation, without login (the token is the credential).
pub async fn confirm(token: &str) -> Result<NemSmsConfirmed, ApiError> {
    let body = NemSmsConfirmation {
        token: token.to_owned(),
    };
    send(
        gloo_net::http::Request::post("/api/v1/nemsms/confirmations")
            .header("Accept", "application/json")
            .json(&body),
    )
    .await
}
