//! Creating a system (SYS-01 … SYS-09): the dry-run check of the wizard and the create.

use super::*;

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
    let checked = check_new(db, ctx, owner, new).await?;
    let api_key = checked.vendor_cvr.as_ref().map(|_| random_token(32));
    let model = system::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_cvr: Set(owner.cvr.to_string()),
        name: Set(checked.name),
        role: Set(checked.role.as_str().to_owned()),
        protocol: Set(checked.protocol.as_str().to_owned()),
        allowed_ips: Set(checked.details.allowed_ips.join("\n")),
        endpoint: Set(checked.details.endpoint),
        receipt_endpoint: Set(checked.details.receipt_endpoint),
        ssh_public_key: Set(checked.details.ssh_public_key),
        vendor_cvr: Set(checked.vendor_cvr.map(|c| c.to_string())),
        api_key_sealed: Set(api_key.as_deref().map(|k| ctx.data_key.seal(k))),
        active_from: Set(checked.active_from),
        active_to: Set(checked.active_to),
        contact_email: Set(checked.contact.email),
        contact_phone: Set(checked.contact.phone),
        contact_extra_email: Set(checked.contact.extra_email),
        is_primary: Set(checked.is_primary),
        standard_system_id: Set(checked.template.map(|t| t.id)),
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
