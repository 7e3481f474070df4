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
    }
}

/// The organisation's systems, by name (one query).
pub async fn list(
    db: &impl ConnectionTrait,
    owner: &Cvr,
) -> Result<Vec<system::Model>, SystemsError> {
    Ok(system::Entity::find()
        .filter(system::Column::OrganisationCvr.eq(owner.as_str()))
        .order_by_asc(system::Column::Name)
        .order_by_asc(system::Column::Id)
        .all(db)
        .await?)
}

/// The overview's columns only, for the hot list path (SYS-11).
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct SummaryRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub protocol: String,
    pub active_from: Option<DateTime<Utc>>,
    pub active_to: Option<DateTime<Utc>>,
    pub is_primary: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn list_summaries(
    db: &impl ConnectionTrait,
    owner: &Cvr,
) -> Result<Vec<SummaryRow>, SystemsError> {
    use sea_orm::QuerySelect;
    Ok(system::Entity::find()
        .select_only()
        .columns([
            system::Column::Id,
            system::Column::Name,
            system::Column::Role,
            system::Column::Protocol,
            system::Column::ActiveFrom,
            system::Column::ActiveTo,
            system::Column::IsPrimary,
            system::Column::CreatedAt,
        ])
        .filter(system::Column::OrganisationCvr.eq(owner.as_str()))
        .order_by_asc(system::Column::Name)
        .order_by_asc(system::Column::Id)
        .into_model::<SummaryRow>()
        .all(db)
        .await?)
}

pub fn summary_dto(row: &SummaryRow, now: DateTime<Utc>) -> adgang_api_types::SystemSummary {
    adgang_api_types::SystemSummary {
        id: row.id.clone(),
        name: row.name.clone(),
        role: SystemRole::parse(&row.role).unwrap_or(SystemRole::Sender),
        protocol: Protocol::parse(&row.protocol).unwrap_or(Protocol::RestPull),
        status: SystemStatus::derive(row.active_from, row.active_to, now),
        is_primary: row.is_primary,
    }
}

/// One of the organisation's systems; any other organisation's is "not found".
pub async fn get(
    db: &impl ConnectionTrait,
    owner: &Cvr,
    id: &str,
) -> Result<system::Model, SystemsError> {
    system::Entity::find_by_id(id)
        .filter(system::Column::OrganisationCvr.eq(owner.as_str()))
        .one(db)
        .await?
        .ok_or(SystemsError::NotFound("system"))
}

/// SYS-12: the system cannot go while these contact points are bound to it.
fn bound_points_conflict(points: Vec<String>) -> SystemsError {
    SystemsError::Conflict {
        reason: ConflictReason::SystemHasBoundContactPoints,
        detail: format!(
            "Contact points are bound to this system; bind them to another recipient system first: {}.",
            points.join(", ")
        ),
        items: points,
    }
}

/// Activation → (active_from, active_to), checked (SYS-05: now, at a future time, or not at
/// all; deactivation after activation).
fn activation_times(
    activation: &Activation,
    deactivate_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    errors: &mut FieldErrors,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let from = match (activation.mode, activation.at) {
        (ActivationMode::Now, _) => Some(now),
        // A time already passed is refused, not silently taken as "now": the user meant another
        // time (or "Aktivér nu").
        (ActivationMode::At, Some(at)) if at <= now => {
            errors.add(
                "activation.at",
                FieldCode::InThePast,
                "The activation time has passed; choose a later time or activate now.",
            );
            None
        }
        (ActivationMode::At, Some(at)) => Some(at),
        (ActivationMode::At, None) => {
            errors.add(
                "activation.at",
                FieldCode::Required,
                "Choose when the system becomes active.",
            );
            None
        }
        (ActivationMode::None, _) => None,
    };
    deactivation(
        from,
        deactivate_at,
        activation.mode == ActivationMode::None,
        errors,
    );
    (from, deactivate_at)
}

/// SYS-05: deactivation only after activation, and never for a system not activated.
fn deactivation(
    from: Option<DateTime<Utc>>,
    deactivate_at: Option<DateTime<Utc>>,
    not_activated: bool,
    errors: &mut FieldErrors,
) {
    match (from, deactivate_at) {
        (_, None) => {}
        (None, Some(_)) if not_activated => errors.add(
            "deactivateAt",
            FieldCode::RequiresActivation,
            "Only an activated system can have a deactivation time.",
        ),
        (Some(from), Some(to)) if to <= from => errors.add(
            "deactivateAt",
            FieldCode::BeforeActivation,
            "The deactivation time must be after the activation time.",
        ),
        _ => {}
    }
}

/// SYS-04: the vendor's CVR must be valid and known to the CVR register.
async fn vendor(
    registry: &dyn Registry,
    input: Option<&str>,
    errors: &mut FieldErrors,
) -> Result<Option<Cvr>, SystemsError> {
    let Some(raw) = input.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let cvr = match Cvr::parse(raw) {
        Ok(cvr) => cvr,
        Err(err) => {
            errors.add(
                "vendorCvr",
                err.code(),
                "Give the vendor's valid CVR number.",
            );
            return Ok(None);
        }
    };
    match registry.company(&cvr).await {
        Ok(Some(_)) => Ok(Some(cvr)),
        Ok(None) => {
            errors.add(
                "vendorCvr",
                FieldCode::UnknownVendor,
                "The CVR register does not know this CVR number.",
            );
            Ok(None)
        }
        Err(_) => Err(SystemsError::RegistryUnavailable),
    }
}

/// The organisation's receiving systems other than `except`.
/// SYS-07, SYS-08: the primary and company rules look at these.
async fn other_receivers(
    db: &impl ConnectionTrait,
    owner: &Cvr,
    except: Option<&str>,
) -> Result<Vec<system::Model>, SystemsError> {
    // Filtered in SQL: an organisation has a handful of receivers among possibly thousands of
    // senders, and every create asks (issue 13: the create read them all).
    let receiving = [SystemRole::Recipient, SystemRole::SenderRecipient].map(SystemRole::as_str);
    let mut query = system::Entity::find()
        .filter(system::Column::OrganisationCvr.eq(owner.as_str()))
        .filter(system::Column::Role.is_in(receiving));
    if let Some(except) = except {
        query = query.filter(system::Column::Id.ne(except));
    }
    Ok(query
        .order_by_asc(system::Column::Name)
        .order_by_asc(system::Column::Id)
        .all(db)
        .await?)
}

/// SYS-08: a company has at most one recipient-capable system.
fn company_rule(
    owner: &Owner,
    role: SystemRole,
    others: &[system::Model],
    errors: &mut FieldErrors,
) {
    if owner.kind == OrgKind::Company && role.receives() && !others.is_empty() {
        errors.add(
            "role",
            FieldCode::CompanyOneRecipientSystem,
            "A company can have only one system that receives mail.",
        );
    }
}

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
    ActionRecord {
        organisation: owner.clone(),
        subject: Subject::SystemConnection,
        event,
        party: None,
        object_id: Some(model.id.clone()),
        object_name: Some(model.name.clone()),
        changes,
        reason: None,
        power_of_attorney: None,
    }
}

fn diff(before: &system::Model, after: &system::Model) -> Vec<FieldChange> {
    audit_fields(before)
        .into_iter()
        .zip(audit_fields(after))
        .filter(|((_, b), (_, a))| b != a)
        .map(|((name, b), (_, a))| FieldChange::new(name, b, a))
        .collect()
}

/// A new system that passed every rule, ready to insert.
pub struct CheckedSystem {
    name: String,
    template: Option<standard_system::Model>,
    role: SystemRole,
    protocol: Protocol,
    details: Details,
    contact: TechnicalContact,
    vendor_cvr: Option<Cvr>,
    active_from: Option<DateTime<Utc>>,
    active_to: Option<DateTime<Utc>>,
    /// SYS-07: the first receiving system is primary.
    is_primary: bool,
}

/// SYS-01 … SYS-09: every rule a new system must pass, writing nothing — `create` runs it, and
/// the wizard's "Næste" runs it alone (`dryRun`, X-04).
pub async fn check_new(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    owner: &Owner,
    new: &NewSystem,
) -> Result<CheckedSystem, SystemsError> {
    let mut errors = FieldErrors::new();
    let name = validation::name(&new.name, &mut errors);
    // A standard system supplies the locked settings and implies the vendor's power of
    // attorney (SYS-09).
    let template = match new.standard_system_id.as_deref() {
        None => None,
        Some(id) => match standard_system::Entity::find_by_id(id)
            .filter(standard_system::Column::WithdrawnAt.is_null())
            .one(db)
            .await?
        {
            Some(t) => {
                if !new.accept_vendor_agreement {
                    errors.add(
                        "acceptVendorAgreement",
                        FieldCode::MustAccept,
                        "Accept the vendor agreement to use a standard system.",
                    );
                }
                Some(t)
            }
            None => {
                errors.add(
                    "standardSystemId",
                    FieldCode::Unknown,
                    "No such standard system.",
                );
                None
            }
        },
    };
    let (role, protocol, details, contact, vendor_cvr) = match &template {
        Some(t) => (
            SystemRole::parse(&t.role).unwrap_or(SystemRole::Sender),
            Protocol::parse(&t.protocol).unwrap_or(Protocol::RestPull),
            Details {
                allowed_ips: ips_of(&t.allowed_ips),
                endpoint: t.endpoint.clone(),
                receipt_endpoint: t.receipt_endpoint.clone(),
                ssh_public_key: t.ssh_public_key.clone(),
            },
            TechnicalContact {
                email: t.contact_email.clone(),
                phone: t.contact_phone.clone(),
                // §5.6 step 5: the organisation may add an extra contact e-mail of its own.
                extra_email: match new.technical_contact.extra_email.as_deref().map(str::trim) {
                    None | Some("") => t.contact_extra_email.clone(),
                    Some(raw) => validation::extra_email(raw, &mut errors),
                },
            },
            Cvr::parse(&t.vendor_cvr).ok(),
        ),
        None => {
            let details = validation::details(
                DetailsInput::from(new),
                ctx.allow_http_endpoints,
                &mut errors,
            );
            let contact = validation::technical_contact(&new.technical_contact, &mut errors);
            let vendor_cvr = vendor(ctx.registry, new.vendor_cvr.as_deref(), &mut errors).await?;
            (new.role, new.protocol, details, contact, vendor_cvr)
        }
    };
    let (active_from, active_to) =
        activation_times(&new.activation, new.deactivate_at, ctx.now, &mut errors);
    let receivers = other_receivers(db, &owner.cvr, None).await?;
    company_rule(owner, role, &receivers, &mut errors);
    // SYS-15: only a REST PUSH recipient system is offered the organisation's Virk mail.
    if new.move_virk_mail && !(role.receives() && protocol == Protocol::RestPush) {
        errors.add(
            "moveVirkMail",
            FieldCode::NotApplicable,
            "Only a REST PUSH recipient system can take over the mail in Virk.",
        );
    }
    if !errors.is_empty() {
        return Err(SystemsError::Validation(errors));
    }
    Ok(CheckedSystem {
        name,
        template,
        role,
        protocol,
        details,
        contact,
        vendor_cvr,
        active_from,
        active_to,
        is_primary: role.receives() && receivers.is_empty(),
    })
}

/// Creates a system (SYS-01 … SYS-09). Returns it with its API key in clear, once.
pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    owner: &Owner,
    new: &NewSystem,
) -> Result<(system::Model, Option<String>), SystemsError> {
    let CheckedSystem {
        name,
        template,
        role,
        protocol,
        details,
        contact,
        vendor_cvr,
        active_from,
        active_to,
        is_primary,
    } = check_new(db, ctx, owner, new).await?;
    let api_key = vendor_cvr.as_ref().map(|_| random_token(32));
    let model = system::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_cvr: Set(owner.cvr.to_string()),
        name: Set(name),
        role: Set(role.as_str().to_owned()),
        protocol: Set(protocol.as_str().to_owned()),
        allowed_ips: Set(details.allowed_ips.join("\n")),
        endpoint: Set(details.endpoint),
        receipt_endpoint: Set(details.receipt_endpoint),
        ssh_public_key: Set(details.ssh_public_key),
        vendor_cvr: Set(vendor_cvr.map(|c| c.to_string())),
        api_key_sealed: Set(api_key.as_deref().map(|k| ctx.data_key.seal(k))),
        active_from: Set(active_from),
        active_to: Set(active_to),
        contact_email: Set(contact.email),
        contact_phone: Set(contact.phone),
        contact_extra_email: Set(contact.extra_email),
        is_primary: Set(is_primary),
        standard_system_id: Set(template.map(|t| t.id)),
        created_at: Set(ctx.now),
        updated_at: Set(ctx.now),
    }
    .insert(db)
    .await?;
    let changes = audit_fields(&model)
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(f, v)| FieldChange::new(f, None::<String>, v))
        .collect();
    record_action(
        db,
        actor,
        ctx.now,
        record(&owner.cvr, &model, ActionEvent::Created, changes),
    )
    .await?;
    Ok((model, api_key))
}

/// Replaces a system's settings (SYS-12), with the rules for active, standard and primary
/// systems. A new vendor gets a new API key; no vendor, no key.
pub async fn update(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    owner: &Owner,
    id: &str,
    update: &SystemUpdate,
) -> Result<(system::Model, Option<String>), SystemsError> {
    let current = get(db, &owner.cvr, id).await?;
    let mut errors = FieldErrors::new();
    let name = validation::name(&update.name, &mut errors);
    let active = status_of(&current, ctx.now) == SystemStatus::Active;
    if active && update.protocol != protocol_of(&current) {
        errors.add(
            "protocol",
            FieldCode::LockedWhileActive,
            "The protocol cannot change while the system is active.",
        );
    }
    if active && update.activation.is_some() {
        errors.add(
            "activation",
            FieldCode::LockedWhileActive,
            "The activation cannot change while the system is active.",
        );
    }
    if role_of(&current).receives() && !update.role.receives() {
        let points = ctx.bound_points.names(db, &owner.cvr, id).await?;
        if !points.is_empty() {
            errors.add(
                "role",
                FieldCode::HasBoundContactPoints,
                format!(
                    "Contact points are bound to this system, so it must keep receiving mail: {}.",
                    points.join(", ")
                ),
            );
        }
    }
    let details = validation::details(
        DetailsInput::from(update),
        ctx.allow_http_endpoints,
        &mut errors,
    );
    let contact = validation::technical_contact(&update.technical_contact, &mut errors);
    if current.standard_system_id.is_some() {
        let locked_changes = [
            ("role", update.role.as_str() != current.role),
            ("protocol", update.protocol.as_str() != current.protocol),
            (
                "allowedIps",
                details.allowed_ips != ips_of(&current.allowed_ips),
            ),
            ("endpoint", details.endpoint != current.endpoint),
            (
                "receiptEndpoint",
                details.receipt_endpoint != current.receipt_endpoint,
            ),
            (
                "sshPublicKey",
                details.ssh_public_key != current.ssh_public_key,
            ),
            (
                "technicalContact.email",
                contact.email != current.contact_email,
            ),
            (
                "technicalContact.phone",
                contact.phone != current.contact_phone,
            ),
        ];
        for (name, changed) in locked_changes {
            if changed {
                errors.add(
                    name,
                    FieldCode::LockedByStandardSystem,
                    "Set by the vendor's standard system.",
                );
            }
        }
    }
    let vendor_cvr = if current.standard_system_id.is_some() {
        // The standard system's vendor holds the power of attorney; it cannot be moved.
        current
            .vendor_cvr
            .as_deref()
            .and_then(|c| Cvr::parse(c).ok())
    } else {
        vendor(ctx.registry, update.vendor_cvr.as_deref(), &mut errors).await?
    };
    let (active_from, active_to) = match &update.activation {
        Some(activation) => {
            activation_times(activation, update.deactivate_at, ctx.now, &mut errors)
        }
        None => {
            deactivation(
                current.active_from,
                update.deactivate_at,
                current.active_from.is_none(),
                &mut errors,
            );
            (current.active_from, update.deactivate_at)
        }
    };
    let receivers = other_receivers(db, &owner.cvr, Some(&current.id)).await?;
    company_rule(owner, update.role, &receivers, &mut errors);
    if current.is_primary && !update.role.receives() && !receivers.is_empty() {
        errors.add(
            "role",
            FieldCode::PrimaryMustReceive,
            "The primary system must receive mail; choose another primary system first.",
        );
    }
    if !errors.is_empty() {
        return Err(SystemsError::Validation(errors));
    }

    let vendor_text = vendor_cvr.map(|c| c.to_string());
    let (api_key, sealed) = if vendor_text == current.vendor_cvr {
        (None, current.api_key_sealed.clone())
    } else if vendor_text.is_some() {
        let key = random_token(32);
        let sealed = Some(ctx.data_key.seal(&key));
        (Some(key), sealed)
    } else {
        (None, None)
    };
    let is_primary =
        update.role.receives() && (current.is_primary || receivers.iter().all(|r| !r.is_primary));
    let after = system::Model {
        name,
        role: update.role.as_str().to_owned(),
        protocol: update.protocol.as_str().to_owned(),
        allowed_ips: details.allowed_ips.join("\n"),
        endpoint: details.endpoint,
        receipt_endpoint: details.receipt_endpoint,
        ssh_public_key: details.ssh_public_key,
        vendor_cvr: vendor_text,
        api_key_sealed: sealed,
        active_from,
        active_to,
        contact_email: contact.email,
        contact_phone: contact.phone,
        contact_extra_email: contact.extra_email,
        is_primary,
        updated_at: ctx.now,
        ..current.clone()
    };
    let changes = diff(&current, &after);
    if changes.is_empty() && api_key.is_none() {
        return Ok((current, None));
    }
    // Every column is written: `reset_all` marks the whole model as set.
    let model = after.into_active_model().reset_all();
    let saved = model.update(db).await?;
    let mut changes = changes;
    if api_key.is_some() {
        // The key itself never goes into the log.
        changes.push(FieldChange::new("apiKey", None::<String>, Some("ny")));
    }
    record_action(
        db,
        actor,
        ctx.now,
        record(&owner.cvr, &saved, ActionEvent::Edited, changes),
    )
    .await?;
    Ok((saved, api_key))
}

/// Deletes a system (SYS-12): refused while contact points are bound to it (named in the
/// answer), and (SYS-07) the primary cannot go while other receiving systems exist.
pub async fn delete(
    db: &sea_orm::DatabaseTransaction,
    bound: &dyn BoundContactPoints,
    actor: &Actor,
    owner: &Owner,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), SystemsError> {
    let current = get(db, &owner.cvr, id).await?;
    let points = bound.names(db, &owner.cvr, id).await?;
    if !points.is_empty() {
        return Err(bound_points_conflict(points));
    }
    if current.is_primary && !other_receivers(db, &owner.cvr, Some(id)).await?.is_empty() {
        return Err(SystemsError::Conflict {
            reason: ConflictReason::PrimaryWithOtherRecipientSystems,
            detail: "The primary system cannot be deleted while other recipient systems exist; choose another primary system first.".into(),
            items: vec![],
        });
    }
    // Contact points bound to the system hold a foreign key to it (SYS-12): should one be bound
    // between the check and the delete, the database refuses, and we answer with the conflict.
    if let Err(err) = system::Entity::delete_by_id(current.id.clone())
        .exec(db)
        .await
    {
        return Err(match err.sql_err() {
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
                bound_points_conflict(bound.names(db, &owner.cvr, id).await.unwrap_or_default())
            }
            _ => err.into(),
        });
    }
    let changes = audit_fields(&current)
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(f, v)| FieldChange::new(f, v, None::<String>))
        .collect();
    record_action(
        db,
        actor,
        now,
        record(&owner.cvr, &current, ActionEvent::Deleted, changes),
    )
    .await?;
    Ok(())
}

/// Makes a receiving system the primary one (SYS-07); the old primary loses the flag. Both
/// changes are logged.
pub async fn make_primary(
    db: &impl ConnectionTrait,
    actor: &Actor,
    owner: &Owner,
    id: &str,
    now: DateTime<Utc>,
) -> Result<system::Model, SystemsError> {
    let target = get(db, &owner.cvr, id).await?;
    if !role_of(&target).receives() {
        return Err(field(
            "id",
            FieldCode::NotARecipientSystem,
            "Only a system that receives mail can be primary.",
        ));
    }
    if target.is_primary {
        return Ok(target);
    }
    for old in other_receivers(db, &owner.cvr, Some(id))
        .await?
        .into_iter()
        .filter(|s| s.is_primary)
    {
        let mut active = old.clone().into_active_model();
        active.is_primary = Set(false);
        active.updated_at = Set(now);
        let saved = active.update(db).await?;
        let change = vec![FieldChange::new("isPrimary", Some("true"), Some("false"))];
        record_action(
            db,
            actor,
            now,
            record(&owner.cvr, &saved, ActionEvent::Edited, change),
        )
        .await?;
    }
    let mut active = target.into_active_model();
    active.is_primary = Set(true);
    active.updated_at = Set(now);
    let saved = active.update(db).await?;
    let change = vec![FieldChange::new("isPrimary", Some("false"), Some("true"))];
    record_action(
        db,
        actor,
        now,
        record(&owner.cvr, &saved, ActionEvent::Edited, change),
    )
    .await?;
    Ok(saved)
}

/// The API key in clear (SYS-04); every reveal is logged.
pub async fn reveal_api_key(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    owner: &Owner,
    id: &str,
) -> Result<String, SystemsError> {
    let current = get(db, &owner.cvr, id).await?;
    let Some(sealed) = current.api_key_sealed.as_deref() else {
        return Err(SystemsError::NotFound("API key"));
    };
    let key = ctx.data_key.open(sealed).map_err(|e| {
        SystemsError::Unexpected(e.context("the API key was sealed with another data key"))
    })?;
    // The log's events are created/edited/deleted (LOG-02, enforced by the table); a reveal
    // is an "edited" row on the pseudo-field `apiKeyShown`, so who saw the key is searchable.
    let change = vec![FieldChange::new(
        "apiKeyShown",
        None::<String>,
        Some("vist"),
    )];
    record_action(
        db,
        actor,
        ctx.now,
        record(&owner.cvr, &current, ActionEvent::Edited, change),
    )
    .await?;
    Ok(key)
}

/// A new API key replaces the old one (SYS-04), or is the system's first: without a vendor a
/// system gets its key here, to submit messages with (CORE-01).
pub async fn rotate_api_key(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    owner: &Owner,
    id: &str,
) -> Result<String, SystemsError> {
    let current = get(db, &owner.cvr, id).await?;
    let before = current.api_key_sealed.as_ref().map(|_| "gammel");
    let key = random_token(32);
    let mut active = current.clone().into_active_model();
    active.api_key_sealed = Set(Some(ctx.data_key.seal(&key)));
    active.updated_at = Set(ctx.now);
    active.update(db).await?;
    let change = vec![FieldChange::new("apiKey", before, Some("ny"))];
    record_action(
        db,
        actor,
        ctx.now,
        record(&owner.cvr, &current, ActionEvent::Edited, change),
    )
    .await?;
    Ok(key)
}

/// A vendor publishes a standard system (SYS-09).
pub async fn publish_standard_system(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    vendor: &Cvr,
    new: &NewStandardSystem,
) -> Result<standard_system::Model, SystemsError> {
    let (name, details, contact) = checked_standard(ctx, new)?;
    let model = standard_system::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        vendor_cvr: Set(vendor.to_string()),
        name: Set(name),
        role: Set(new.role.as_str().to_owned()),
        protocol: Set(new.protocol.as_str().to_owned()),
        allowed_ips: Set(details.allowed_ips.join("\n")),
        endpoint: Set(details.endpoint),
        receipt_endpoint: Set(details.receipt_endpoint),
        ssh_public_key: Set(details.ssh_public_key),
        contact_email: Set(contact.email),
        contact_phone: Set(contact.phone),
        contact_extra_email: Set(contact.extra_email),
        created_at: Set(ctx.now),
        withdrawn_at: Set(None),
    }
    .insert(db)
    .await?;
    record_action(
        db,
        actor,
        ctx.now,
        ActionRecord {
            organisation: vendor.clone(),
            subject: Subject::SystemConnection,
            event: ActionEvent::Created,
            party: None,
            object_id: Some(model.id.clone()),
            object_name: Some(model.name.clone()),
            changes: vec![
                FieldChange::new("standardSystem", None::<String>, Some(&model.name)),
                FieldChange::new("role", None::<String>, Some(&model.role)),
                FieldChange::new("protocol", None::<String>, Some(&model.protocol)),
            ],
            reason: None,
            power_of_attorney: None,
        },
    )
    .await?;
    Ok(model)
}

/// SYS-09: a standard system's own rules (those of a new system's details and contact).
fn checked_standard(
    ctx: &Context<'_>,
    new: &NewStandardSystem,
) -> Result<(String, Details, TechnicalContact), SystemsError> {
    let mut errors = FieldErrors::new();
    let name = validation::name(&new.name, &mut errors);
    let details = validation::details(
        DetailsInput::from(new),
        ctx.allow_http_endpoints,
        &mut errors,
    );
    let contact = validation::technical_contact(&new.technical_contact, &mut errors);
    if !errors.is_empty() {
        return Err(SystemsError::Validation(errors));
    }
    Ok((name, details, contact))
}

/// A vendor's own standard system that is still published.
async fn own_standard(
    db: &impl ConnectionTrait,
    vendor: &Cvr,
    id: &str,
) -> Result<standard_system::Model, SystemsError> {
    standard_system::Entity::find_by_id(id)
        .filter(standard_system::Column::VendorCvr.eq(vendor.as_str()))
        .filter(standard_system::Column::WithdrawnAt.is_null())
        .one(db)
        .await?
        .ok_or(SystemsError::NotFound("standard system"))
}

/// The systems created from a standard system, in every organisation.
async fn systems_from(
    db: &impl ConnectionTrait,
    standard_id: &str,
) -> Result<Vec<system::Model>, SystemsError> {
    Ok(system::Entity::find()
        .filter(system::Column::StandardSystemId.eq(standard_id))
        .order_by_asc(system::Column::OrganisationCvr)
        .all(db)
        .await?)
}

/// How many systems are created from each of these standard systems.
pub async fn systems_using(
    db: &impl ConnectionTrait,
    standard_ids: &[String],
) -> Result<std::collections::HashMap<String, u64>, SystemsError> {
    use sea_orm::QuerySelect;
    // Counted in the database: a vendor's standard system may be behind thousands of systems.
    let counts: Vec<(Option<String>, i64)> = system::Entity::find()
        .select_only()
        .column(system::Column::StandardSystemId)
        .column_as(system::Column::Id.count(), "uses")
        .filter(system::Column::StandardSystemId.is_in(standard_ids.iter().cloned()))
        .group_by(system::Column::StandardSystemId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .filter_map(|(id, uses)| Some((id?, u64::try_from(uses).unwrap_or(0))))
        .collect())
}

/// Writes a system changed by its vendor and logs the change in the system's own organisation,
/// marked as made under the vendor's power of attorney (SYS-09).
async fn save_for_vendor(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
    before: &system::Model,
    after: system::ActiveModel,
) -> Result<(), SystemsError> {
    let after = after.update(db).await?;
    let changes = diff(before, &after);
    if changes.is_empty() {
        return Ok(());
    }
    let owner =
        Cvr::parse(&after.organisation_cvr).map_err(|_| SystemsError::NotFound("organisation"))?;
    let mut entry = record(&owner, &after, ActionEvent::Edited, changes);
    entry.power_of_attorney = Some(true);
    record_action(db, actor, now, entry).await?;
    Ok(())
}

/// SYS-09: the vendor edits a published standard system. The settings it locks (IP addresses,
/// endpoints, SSH key, contact e-mail and phone) follow into every system created from it,
/// each change logged in that system's organisation; role and protocol are fixed once a
/// system uses it (withdraw and publish a new one).
pub async fn update_standard_system(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    vendor: &Cvr,
    id: &str,
    new: &NewStandardSystem,
) -> Result<standard_system::Model, SystemsError> {
    let current = own_standard(db, vendor, id).await?;
    let (name, details, contact) = checked_standard(ctx, new)?;
    let users = systems_from(db, id).await?;
    if !users.is_empty() {
        let mut errors = FieldErrors::new();
        if new.role.as_str() != current.role {
            errors.add("role", FieldCode::InUse, "Systems are created from it.");
        }
        if new.protocol.as_str() != current.protocol {
            errors.add("protocol", FieldCode::InUse, "Systems are created from it.");
        }
        if !errors.is_empty() {
            return Err(SystemsError::Validation(errors));
        }
    }
    let mut model = current.clone().into_active_model();
    model.name = Set(name);
    model.role = Set(new.role.as_str().to_owned());
    model.protocol = Set(new.protocol.as_str().to_owned());
    model.allowed_ips = Set(details.allowed_ips.join("\n"));
    model.endpoint = Set(details.endpoint.clone());
    model.receipt_endpoint = Set(details.receipt_endpoint.clone());
    model.ssh_public_key = Set(details.ssh_public_key.clone());
    model.contact_email = Set(contact.email.clone());
    model.contact_phone = Set(contact.phone.clone());
    model.contact_extra_email = Set(contact.extra_email.clone());
    let saved = model.update(db).await?;
    for before in users {
        let mut after = before.clone().into_active_model();
        after.allowed_ips = Set(details.allowed_ips.join("\n"));
        after.endpoint = Set(details.endpoint.clone());
        after.receipt_endpoint = Set(details.receipt_endpoint.clone());
        after.ssh_public_key = Set(details.ssh_public_key.clone());
        after.contact_email = Set(contact.email.clone());
        after.contact_phone = Set(contact.phone.clone());
        after.updated_at = Set(ctx.now);
        save_for_vendor(db, actor, ctx.now, &before, after).await?;
    }
    let changes = [
        ("name", &current.name, &saved.name),
        ("allowedIps", &current.allowed_ips, &saved.allowed_ips),
        ("contactEmail", &current.contact_email, &saved.contact_email),
        ("contactPhone", &current.contact_phone, &saved.contact_phone),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .map(|(f, b, a)| FieldChange::new(f, Some(b), Some(a)))
    .collect();
    record_action(
        db,
        actor,
        ctx.now,
        standard_record(vendor, &saved, ActionEvent::Edited, changes),
    )
    .await?;
    Ok(saved)
}

/// SYS-09: the vendor withdraws a standard system. It leaves the catalogue; the systems created
/// from it keep their settings, which become their organisations' own to edit (logged there).
pub async fn withdraw_standard_system(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    vendor: &Cvr,
    id: &str,
) -> Result<(), SystemsError> {
    let current = own_standard(db, vendor, id).await?;
    let mut model = current.clone().into_active_model();
    model.withdrawn_at = Set(Some(ctx.now));
    let saved = model.update(db).await?;
    for before in systems_from(db, id).await? {
        let mut after = before.clone().into_active_model();
        after.standard_system_id = Set(None);
        after.updated_at = Set(ctx.now);
        save_for_vendor(db, actor, ctx.now, &before, after).await?;
    }
    record_action(
        db,
        actor,
        ctx.now,
        standard_record(vendor, &saved, ActionEvent::Deleted, Vec::new()),
    )
    .await?;
    Ok(())
}

fn standard_record(
    vendor: &Cvr,
    model: &standard_system::Model,
    event: ActionEvent,
    changes: Vec<FieldChange>,
) -> ActionRecord {
    ActionRecord {
        organisation: vendor.clone(),
        subject: Subject::SystemConnection,
        event,
        party: None,
        object_id: Some(model.id.clone()),
        object_name: Some(model.name.clone()),
        changes,
        reason: None,
        power_of_attorney: None,
    }
}

/// Every vendor's published standard systems (the catalogue an organisation picks from), by
/// vendor; withdrawn ones are left out.
pub async fn standard_systems(
    db: &impl ConnectionTrait,
    vendor: Option<&Cvr>,
) -> Result<Vec<standard_system::Model>, SystemsError> {
    let mut query =
        standard_system::Entity::find().filter(standard_system::Column::WithdrawnAt.is_null());
    if let Some(vendor) = vendor {
        query = query.filter(standard_system::Column::VendorCvr.eq(vendor.as_str()));
    }
    Ok(query
        .order_by_asc(standard_system::Column::VendorCvr)
        .order_by_asc(standard_system::Column::Name)
        .all(db)
        .await?)
}
