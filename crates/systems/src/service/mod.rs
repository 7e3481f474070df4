//! The rules of system connection (SPEC §2). Every function takes the caller's transaction and
//! writes its actions-log rows (subject "Systemtilslutning") in it; all validation runs before
//! the first write, so a refused request changes nothing.

use adgang_api_types::ConflictReason;
use adgang_api_types::FieldCode;
use adgang_api_types::{
    Activation, ActivationMode, NewStandardSystem, NewSystem, OrgKind, Protocol, System,
    SystemRole, SystemStatus, SystemUpdate, TechnicalContact,
};
use adgang_core::audit::{record_action, ActionEvent, ActionRecord, Actor, FieldChange, Subject};
use adgang_core::ports::BoundContactPoints;
use adgang_core::secrets::{random_token, DataKey};
use adgang_core::{Cvr, FieldErrors};
use adgang_registry::Registry;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::entity::{standard_system, system};
use crate::error::{field, SystemsError};
use crate::validation::{self, Details, DetailsInput};

/// What a request needs besides the database: the deployment's settings and ports.
pub struct Context<'a> {
    pub registry: &'a dyn Registry,
    pub data_key: &'a DataKey,
    /// A test deployment may allow plain-http endpoints (SYS-02).
    pub allow_http_endpoints: bool,
    /// SYS-12 asks the contact structure which points are bound to a system.
    pub bound_points: &'a dyn BoundContactPoints,
    pub now: DateTime<Utc>,
}

/// The organisation acted for.
#[derive(Debug, Clone)]
pub struct Owner {
    pub cvr: Cvr,
    pub kind: OrgKind,
}

/// Fields a system made from a standard system cannot change (SYS-09).
/// The vendor's settings (SYS-09); the extra contact e-mail stays the organisation's own (§5.6).
pub const LOCKED_BY_STANDARD_SYSTEM: [&str; 8] = [
    "role",
    "protocol",
    "allowedIps",
    "endpoint",
    "receiptEndpoint",
    "sshPublicKey",
    "technicalContact.email",
    "technicalContact.phone",
];

pub(crate) fn role_of(model: &system::Model) -> SystemRole {
    SystemRole::parse(&model.role).unwrap_or(SystemRole::Sender)
}

pub(crate) fn protocol_of(model: &system::Model) -> Protocol {
    Protocol::parse(&model.protocol).unwrap_or(Protocol::RestPull)
}

pub(crate) fn ips_of(stored: &str) -> Vec<String> {
    stored.lines().map(str::to_owned).collect()
}

pub fn status_of(model: &system::Model, now: DateTime<Utc>) -> SystemStatus {
    SystemStatus::derive(model.active_from, model.active_to, now)
}

pub fn to_dto(model: &system::Model, now: DateTime<Utc>) -> System {
    System {
        id: model.id.clone(),
        organisation_cvr: model.organisation_cvr.clone(),
        name: model.name.clone(),
        role: role_of(model),
        protocol: protocol_of(model),
        allowed_ips: ips_of(&model.allowed_ips),
        endpoint: model.endpoint.clone(),
        receipt_endpoint: model.receipt_endpoint.clone(),
        ssh_public_key: model.ssh_public_key.clone(),
        vendor_cvr: model.vendor_cvr.clone(),
        has_api_key: model.api_key_sealed.is_some(),
        active_from: model.active_from,
        active_to: model.active_to,
        status: status_of(model, now),
        technical_contact: TechnicalContact {
            email: model.contact_email.clone(),
            phone: model.contact_phone.clone(),
            extra_email: model.contact_extra_email.clone(),
        },
        is_primary: model.is_primary,
        standard_system_id: model.standard_system_id.clone(),
        locked_fields: if model.standard_system_id.is_some() {
            LOCKED_BY_STANDARD_SYSTEM
                .iter()
                .map(|f| (*f).to_owned())
                .collect()
        } else {
            Vec::new()
        },
        created_at: model.created_at,
        updated_at: model.updated_at,
        contact_points: None,
        sftp: None,
    }
}

// ---------------------------------------------------------------- the actions log

/// Every stored setting as (field, value), for the actions log's before/after.
fn audit_fields(model: &system::Model) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("name", Some(model.name.clone())),
        ("role", Some(model.role.clone())),
        ("protocol", Some(model.protocol.clone())),
        ("allowedIps", Some(model.allowed_ips.replace('\n', ", "))),
        ("endpoint", model.endpoint.clone()),
        ("receiptEndpoint", model.receipt_endpoint.clone()),
        ("sshPublicKey", model.ssh_public_key.clone()),
        ("vendorCvr", model.vendor_cvr.clone()),
        ("activeFrom", model.active_from.map(|t| t.to_rfc3339())),
        ("activeTo", model.active_to.map(|t| t.to_rfc3339())),
        ("technicalContact.email", Some(model.contact_email.clone())),
        ("technicalContact.phone", Some(model.contact_phone.clone())),
        (
            "technicalContact.extraEmail",
            model.contact_extra_email.clone(),
        ),
        ("isPrimary", Some(model.is_primary.to_string())),
    ]
}

fn record(
    owner: &Cvr,
    model: &system::Model,
    event: ActionEvent,
    changes: Vec<FieldChange>,
) -> ActionRecord {
    connection_record(owner, &model.id, &model.name, event, changes)
}

/// The audit row for a system connection or standard system `object_id` named `object_name`,
/// logged under `organisation`.
fn connection_record(
    organisation: &Cvr,
    object_id: &str,
    object_name: &str,
    event: ActionEvent,
    changes: Vec<FieldChange>,
) -> ActionRecord {
    ActionRecord::on_object(
        organisation.clone(),
        Subject::SystemConnection,
        event,
        object_id,
        object_name,
        changes,
    )
}

fn diff(before: &system::Model, after: &system::Model) -> Vec<FieldChange> {
    audit_fields(before)
        .into_iter()
        .zip(audit_fields(after))
        .filter(|((_, b), (_, a))| b != a)
        .map(|((name, b), (_, a))| FieldChange::new(name, b, a))
        .collect()
}

mod creation;
mod editing;
mod keys;
mod reading;
mod rules;
mod standard;

pub use creation::*;
pub use editing::*;
pub use keys::*;
pub use reading::*;
use rules::*;
pub use standard::*;
