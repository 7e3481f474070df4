//! The rules a new or changed system is checked against, writing nothing: activation and
//! deactivation (SYS-05), the vendor (SYS-04), the receiving systems (SYS-07, SYS-08) and the
//! bound-contact-points conflict (SYS-12).

use super::*;

/// SYS-12: the system cannot go while these contact points are bound to it.
pub(super) fn bound_points_conflict(points: Vec<String>) -> SystemsError {
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
pub(super) fn activation_times(
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
pub(super) fn deactivation(
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
pub(super) async fn vendor(
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
pub(super) async fn other_receivers(
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
pub(super) fn company_rule(
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
