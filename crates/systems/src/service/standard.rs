//! Vendors' standard systems (SYS-09): publish, edit (the locked settings follow into every
//! system created from it), withdraw, and the catalogue.

use super::*;

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
        ActionRecord::on_object(
            vendor.clone(),
            Subject::SystemConnection,
            ActionEvent::Created,
            &model.id,
            &model.name,
            vec![
                FieldChange::new("standardSystem", None::<String>, Some(&model.name)),
                FieldChange::new("role", None::<String>, Some(&model.role)),
                FieldChange::new("protocol", None::<String>, Some(&model.protocol)),
            ],
        ),
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
        connection_record(vendor, &saved.id, &saved.name, ActionEvent::Edited, changes),
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
        connection_record(
            vendor,
            &saved.id,
            &saved.name,
            ActionEvent::Deleted,
            Vec::new(),
        ),
    )
    .await?;
    Ok(())
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
