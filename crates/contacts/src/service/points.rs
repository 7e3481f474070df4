//! Contact points (CS-01, CS-05, CS-07): create, read, edit, delete, with placements and keywords.

use super::*;
use adgang_api_types::FieldCode;

pub(crate) fn audiences_text(audiences: &[Audience]) -> String {
    audiences
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) async fn point_dto(
    db: &impl ConnectionTrait,
    model: contact_point::Model,
) -> Result<ContactPoint, ContactsError> {
    let group_ids: Vec<String> = contact_point_group::Entity::find()
        .filter(contact_point_group::Column::PointId.eq(model.id.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.group_id)
        .collect();
    let keywords: Vec<String> = contact_point_keyword::Entity::find()
        .filter(contact_point_keyword::Column::PointId.eq(model.id.as_str()))
        .order_by_asc(contact_point_keyword::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|k| k.keyword)
        .collect();
    Ok(point_from_rows(model, group_ids, keywords))
}

/// A point from its row, its placements (any order) and its keywords (in position order).
pub(crate) fn point_from_rows(
    model: contact_point::Model,
    mut group_ids: Vec<String>,
    keywords: Vec<String>,
) -> ContactPoint {
    group_ids.sort();
    let usable = model.active && model.recipient_system_id.is_some();
    ContactPoint {
        audiences: model
            .audiences
            .split(',')
            .filter_map(Audience::parse)
            .collect(),
        capacity: Capacity {
            max_message_size_bytes: u64::try_from(model.max_message_size_bytes).unwrap_or_default(),
            max_attachments: u32::try_from(model.max_attachments).unwrap_or_default(),
        },
        external_link: model
            .external_link
            .as_deref()
            .and_then(|j| serde_json::from_str::<ExternalLink>(j).ok()),
        input_fields: serde_json::from_str(&model.input_fields).unwrap_or_default(),
        codes: serde_json::from_str(&model.codes).unwrap_or_default(),
        id: model.id,
        name: model.name,
        description: model.description,
        internal_note: model.internal_note,
        group_ids,
        visible: model.visible,
        keywords,
        recipient_system_id: model.recipient_system_id,
        active: model.active,
        usable,
        created_at: model.created_at,
        updated_at: model.updated_at,
    }
}

/// The point a checked input makes (for the audit rows of an import before anything is
/// written).
pub(crate) fn point_from_checked(
    id: &str,
    checked: &CheckedPoint,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> ContactPoint {
    ContactPoint {
        id: id.to_owned(),
        name: checked.name.clone(),
        description: checked.description.clone(),
        internal_note: checked.internal_note.clone(),
        group_ids: checked.group_ids.clone(),
        visible: checked.visible,
        audiences: checked.audiences.clone(),
        capacity: checked.capacity,
        external_link: checked.external_link.clone(),
        input_fields: checked.input_fields.clone(),
        keywords: checked.keywords.clone(),
        codes: checked.codes.clone(),
        recipient_system_id: checked.recipient_system_id.clone(),
        active: checked.active,
        usable: checked.active && checked.recipient_system_id.is_some(),
        created_at,
        updated_at,
    }
}

pub(crate) fn point_fields(p: &ContactPoint) -> Vec<(&'static str, String)> {
    let json = |v: &serde_json::Value| v.to_string();
    vec![
        ("name", p.name.clone()),
        ("description", p.description.clone()),
        ("internalNote", p.internal_note.clone()),
        ("groupIds", p.group_ids.join(", ")),
        ("visible", p.visible.to_string()),
        ("audiences", audiences_text(&p.audiences)),
        (
            "capacity.maxMessageSizeBytes",
            p.capacity.max_message_size_bytes.to_string(),
        ),
        (
            "capacity.maxAttachments",
            p.capacity.max_attachments.to_string(),
        ),
        (
            "externalLink",
            p.external_link
                .as_ref()
                .map(|l| json(&serde_json::to_value(l).unwrap_or_default()))
                .unwrap_or_default(),
        ),
        ("inputFields", p.input_fields.join(", ")),
        ("keywords", p.keywords.join(", ")),
        (
            "codes",
            p.codes
                .iter()
                .map(|c| format!("{}:{}", c.kind.as_str(), c.value))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "recipientSystemId",
            p.recipient_system_id.clone().unwrap_or_default(),
        ),
        ("active", p.active.to_string()),
    ]
}

/// A point's input after every check, ready to write.
pub(crate) struct CheckedPoint {
    pub name: String,
    pub description: String,
    pub internal_note: String,
    pub group_ids: Vec<String>,
    pub visible: bool,
    pub audiences: Vec<Audience>,
    pub capacity: Capacity,
    pub external_link: Option<ExternalLink>,
    pub input_fields: Vec<String>,
    pub keywords: Vec<String>,
    pub codes: Vec<ContactPointCode>,
    pub recipient_system_id: Option<String>,
    pub active: bool,
}

/// CS-01, CS-05: every field of a point, its groups and its recipient system.
pub(crate) async fn checked_point(
    db: &impl ConnectionTrait,
    systems: &dyn RecipientSystems,
    org: &Cvr,
    input: &ContactPointInput,
) -> Result<CheckedPoint, ContactsError> {
    let mut errors = FieldErrors::new();
    let mut checked = check_point_fields(&mut errors, input);
    let mut group_ids = own_groups(db, org, "groupIds", &input.group_ids, &mut errors).await?;
    group_ids.sort();
    checked.group_ids = group_ids;
    checked.recipient_system_id = match input.recipient_system_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => {
            if systems.recipient_system(db, org, id).await?.is_some() {
                Some(id.to_owned())
            } else {
                errors.add(
                    "recipientSystemId",
                    FieldCode::NotARecipientSystem,
                    "Choose one of the organisation's recipient systems.",
                );
                None
            }
        }
    };
    if !errors.is_empty() {
        return Err(ContactsError::Validation(errors));
    }
    Ok(checked)
}

/// The checks of a point that need no database (everything but its groups and recipient
/// system, which the caller resolves and fills in).
pub(crate) fn check_point_fields(
    errors: &mut FieldErrors,
    input: &ContactPointInput,
) -> CheckedPoint {
    let name = v::text(errors, "name", &input.name, v::POINT_NAME_MAX, true);
    // §6.3 step 2: the description helps citizens choose the point, so it is required.
    let description = v::text(
        errors,
        "description",
        &input.description,
        v::POINT_DESCRIPTION_MAX,
        true,
    );
    let internal_note = v::text(
        errors,
        "internalNote",
        &input.internal_note,
        v::INTERNAL_NOTE_MAX,
        false,
    );
    let mut audiences = input.audiences.clone();
    audiences.sort();
    audiences.dedup();
    if audiences.is_empty() {
        errors.add(
            "audiences",
            FieldCode::Required,
            "Choose citizens, businesses or both.",
        );
    }
    CheckedPoint {
        name,
        description,
        internal_note,
        group_ids: Vec::new(),
        visible: input.visible,
        audiences,
        capacity: v::capacity(errors, input.capacity),
        external_link: v::external_link(errors, input.external_link.as_ref()),
        input_fields: v::input_fields(errors, &input.input_fields),
        keywords: v::keywords(errors, &input.keywords),
        codes: v::codes(errors, &input.codes),
        recipient_system_id: None,
        active: input.active,
    }
}

/// Replaces a point's placements and keywords.
pub(crate) async fn set_point_links(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
    checked: &CheckedPoint,
) -> Result<(), ContactsError> {
    contact_point_group::Entity::delete_many()
        .filter(contact_point_group::Column::PointId.eq(id))
        .exec(db)
        .await?;
    for group in &checked.group_ids {
        contact_point_group::ActiveModel {
            point_id: Set(id.to_owned()),
            organisation_cvr: Set(org.to_string()),
            group_id: Set(group.clone()),
        }
        .insert(db)
        .await?;
    }
    contact_point_keyword::Entity::delete_many()
        .filter(contact_point_keyword::Column::PointId.eq(id))
        .exec(db)
        .await?;
    for (position, keyword) in checked.keywords.iter().enumerate() {
        contact_point_keyword::ActiveModel {
            point_id: Set(id.to_owned()),
            normalised: Set(keyword.to_lowercase()),
            keyword: Set(keyword.clone()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub(crate) fn apply_point(model: &mut contact_point::ActiveModel, checked: &CheckedPoint) {
    model.name = Set(checked.name.clone());
    model.description = Set(checked.description.clone());
    model.internal_note = Set(checked.internal_note.clone());
    model.visible = Set(checked.visible);
    model.audiences = Set(audiences_text(&checked.audiences));
    model.max_message_size_bytes =
        Set(i64::try_from(checked.capacity.max_message_size_bytes).unwrap_or(i64::MAX));
    model.max_attachments =
        Set(i32::try_from(checked.capacity.max_attachments).unwrap_or(i32::MAX));
    model.external_link = Set(checked
        .external_link
        .as_ref()
        .and_then(|l| serde_json::to_string(l).ok()));
    model.input_fields =
        Set(serde_json::to_string(&checked.input_fields).unwrap_or_else(|_| "[]".into()));
    model.codes = Set(serde_json::to_string(&checked.codes).unwrap_or_else(|_| "[]".into()));
    model.recipient_system_id = Set(checked.recipient_system_id.clone());
    model.active = Set(checked.active);
}

pub async fn get_point(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
) -> Result<ContactPoint, ContactsError> {
    let model = contact_point::Entity::find_by_id(id)
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .one(db)
        .await?
        .ok_or(ContactsError::NotFound("contact point"))?;
    point_dto(db, model).await
}

/// checks a new point (`id` None) or a point's new content as `create_point` /
/// `update_point` would, and writes nothing (the wizard's "Næste" with `dryRun`).
pub async fn check_point(
    db: &impl ConnectionTrait,
    systems: &dyn RecipientSystems,
    org: &Cvr,
    id: Option<&str>,
    input: &ContactPointInput,
) -> Result<(), ContactsError> {
    if let Some(id) = id {
        get_point(db, org, id).await?;
    }
    checked_point(db, systems, org, input).await.map(|_| ())
}

/// CS-05, CS-07: creates a point, logged with its fields.
pub async fn create_point(
    db: &impl ConnectionTrait,
    systems: &dyn RecipientSystems,
    actor: &Actor,
    org: &Cvr,
    input: &ContactPointInput,
    now: DateTime<Utc>,
) -> Result<ContactPoint, ContactsError> {
    let checked = checked_point(db, systems, org, input).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut model = contact_point::ActiveModel {
        id: Set(id.clone()),
        organisation_cvr: Set(org.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply_point(&mut model, &checked);
    let saved = model.insert(db).await?;
    set_point_links(db, org, &id, &checked).await?;
    let point = point_dto(db, saved).await?;
    let rows = changes(None, Some(&point_fields(&point)));
    record_action(
        db,
        actor,
        now,
        record(org, &id, &point.name, ActionEvent::Created, rows),
    )
    .await?;
    bump_version(db, org).await?;
    Ok(point)
}

/// CS-05, CS-07: edits a point, logged field by field.
pub async fn update_point(
    db: &impl ConnectionTrait,
    systems: &dyn RecipientSystems,
    actor: &Actor,
    org: &Cvr,
    id: &str,
    input: &ContactPointInput,
    now: DateTime<Utc>,
) -> Result<ContactPoint, ContactsError> {
    let before = get_point(db, org, id).await?;
    let checked = checked_point(db, systems, org, input).await?;
    let mut model = contact_point::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ContactsError::NotFound("contact point"))?
        .into_active_model();
    apply_point(&mut model, &checked);
    model.updated_at = Set(now);
    let saved = model.update(db).await?;
    set_point_links(db, org, id, &checked).await?;
    let after = point_dto(db, saved).await?;
    let rows = changes(Some(&point_fields(&before)), Some(&point_fields(&after)));
    if !rows.is_empty() {
        record_action(
            db,
            actor,
            now,
            record(org, id, &after.name, ActionEvent::Edited, rows),
        )
        .await?;
    }
    bump_version(db, org).await?;
    Ok(after)
}

/// CS-07: removes the point `id` with its placements and keywords; the caller logs it.
pub(crate) async fn remove_point(db: &impl ConnectionTrait, id: &str) -> Result<(), ContactsError> {
    contact_point_group::Entity::delete_many()
        .filter(contact_point_group::Column::PointId.eq(id))
        .exec(db)
        .await?;
    contact_point_keyword::Entity::delete_many()
        .filter(contact_point_keyword::Column::PointId.eq(id))
        .exec(db)
        .await?;
    contact_point::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// CS-07: deletes a point, logged with what it held.
pub async fn delete_point(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ContactsError> {
    let before = get_point(db, org, id).await?;
    remove_point(db, id).await?;
    let rows = changes(Some(&point_fields(&before)), None);
    record_action(
        db,
        actor,
        now,
        record(org, id, &before.name, ActionEvent::Deleted, rows),
    )
    .await?;
    bump_version(db, org).await?;
    Ok(())
}
