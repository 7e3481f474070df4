//! Machine clients: integrators' systems that call the API without a browser, with the OAuth2
//! client-credentials grant. Their organisation and rights come from their registration.

use adgang_api_types::FieldCode;
use adgang_api_types::Right;
use adgang_core::audit::{record_action, ActionEvent, ActionRecord, Actor, FieldChange, Subject};
use adgang_core::secrets::{random_token, sha256_hex};
use adgang_core::{Cvr, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::entity::machine_client;
use crate::IdentityError;

pub const MAX_NAME_CHARS: usize = 100;

pub fn rights_of(client: &machine_client::Model) -> Vec<Right> {
    client.rights.split(',').filter_map(Right::parse).collect()
}

/// Registers a client for `cvr`; returns it with its secret (shown once). Logged.
/// AUTH-03, X-08: a machine client for integrators, logged in the same transaction.
pub async fn register(
    db: &impl ConnectionTrait,
    actor: &Actor,
    cvr: &Cvr,
    name: &str,
    rights: &[Right],
    now: DateTime<Utc>,
) -> Result<(machine_client::Model, String), IdentityError> {
    let mut errors = FieldErrors::new();
    let name = adgang_core::validate::text(&mut errors, "name", name, MAX_NAME_CHARS, true);
    let name = name.as_str();
    if rights.is_empty() {
        errors.add(
            "rights",
            FieldCode::Required,
            "Give the client at least one right.",
        );
    }
    if rights
        .iter()
        .any(|r| matches!(r, Right::Operator | Right::RightsAdmin))
    {
        errors.add(
            "rights",
            FieldCode::NotForMachines,
            "operator and rights_admin cannot be given to machine clients.",
        );
    }
    if !errors.is_empty() {
        return Err(IdentityError::Validation(errors));
    }
    let mut rights = rights.to_vec();
    rights.sort();
    rights.dedup();
    let secret = random_token(32);
    let client = machine_client::ActiveModel {
        client_id: Set(format!("mc-{}", random_token(12))),
        organisation_cvr: Set(cvr.to_string()),
        name: Set(name.to_owned()),
        secret_hash: Set(sha256_hex(&secret)),
        rights: Set(rights
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        created_at: Set(now),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    record_action(
        db,
        actor,
        now,
        ActionRecord::on_object(
            cvr.clone(),
            Subject::Rights,
            ActionEvent::Created,
            &client.client_id,
            &client.name,
            vec![FieldChange::new(
                "rights",
                None::<String>,
                Some(client.rights.clone()),
            )],
        ),
    )
    .await?;
    Ok((client, secret))
}

/// The live client with this id and secret, if they match.
/// AUTH-03: the client-credentials grant.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    client_id: &str,
    secret: &str,
) -> Result<Option<machine_client::Model>, IdentityError> {
    let found = machine_client::Entity::find_by_id(client_id)
        .one(db)
        .await?;
    Ok(found.filter(|c| c.revoked_at.is_none() && c.secret_hash == sha256_hex(secret)))
}
