//! Changing a system: its settings (SYS-12), deleting it (SYS-12) and making it the primary
//! receiving system (SYS-07).

use super::*;

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
        set_primary(db, actor, owner, old, false, now).await?;
    }
    set_primary(db, actor, owner, target, true, now).await
}

/// SYS-07: sets (or clears) the primary flag of `model`; the change is logged.
async fn set_primary(
    db: &impl ConnectionTrait,
    actor: &Actor,
    owner: &Owner,
    model: system::Model,
    primary: bool,
    now: DateTime<Utc>,
) -> Result<system::Model, SystemsError> {
    let mut active = model.into_active_model();
    active.is_primary = Set(primary);
    active.updated_at = Set(now);
    let saved = active.update(db).await?;
    let change = vec![FieldChange::new("isPrimary", Some(!primary), Some(primary))];
    record_action(
        db,
        actor,
        now,
        record(&owner.cvr, &saved, ActionEvent::Edited, change),
    )
    .await?;
    Ok(saved)
}
