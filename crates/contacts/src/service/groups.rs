//! Contact groups (CS-01, CS-07): create, read, edit, with their parents.

use super::*;
use adgang_api_types::FieldCode;

pub(crate) async fn group_models(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<Vec<contact_group::Model>, ContactsError> {
    Ok(contact_group::Entity::find()
        .filter(contact_group::Column::OrganisationCvr.eq(org.as_str()))
        .order_by_asc(contact_group::Column::Name)
        .order_by_asc(contact_group::Column::Id)
        .all(db)
        .await?)
}

pub(crate) async fn parent_edges(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<Vec<contact_group_parent::Model>, ContactsError> {
    Ok(contact_group_parent::Entity::find()
        .filter(contact_group_parent::Column::OrganisationCvr.eq(org.as_str()))
        .all(db)
        .await?)
}

/// Each key's values from `(key, value)` pairs, in the order given: a group's children or
/// parents from [`parent_edges`], a point's groups from [`placements`].
pub(crate) fn lists_by_key(
    pairs: impl IntoIterator<Item = (String, String)>,
) -> HashMap<String, Vec<String>> {
    let mut lists: HashMap<String, Vec<String>> = HashMap::new();
    for (key, value) in pairs {
        lists.entry(key).or_default().push(value);
    }
    lists
}

pub(crate) async fn placements(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<Vec<contact_point_group::Model>, ContactsError> {
    Ok(contact_point_group::Entity::find()
        .filter(contact_point_group::Column::OrganisationCvr.eq(org.as_str()))
        .all(db)
        .await?)
}

/// The ids among `ids` that name contact groups of `org` (one query), deduplicated in input
/// order; any other id is a field error `field[i]` / `unknown_group`.
pub(crate) async fn own_groups(
    db: &impl ConnectionTrait,
    org: &Cvr,
    field: &str,
    ids: &[String],
    errors: &mut FieldErrors,
) -> Result<Vec<String>, ContactsError> {
    // Issue 13 item 7: bounded before the query, which binds one variable per id.
    if ids.len() > crate::validation::PLACEMENTS_MAX {
        errors.add(
            field,
            FieldCode::TooMany,
            format!("At most {} groups.", crate::validation::PLACEMENTS_MAX),
        );
        return Ok(Vec::new());
    }
    let known: HashSet<String> = if ids.is_empty() {
        HashSet::new()
    } else {
        contact_group::Entity::find()
            .filter(contact_group::Column::OrganisationCvr.eq(org.as_str()))
            .filter(contact_group::Column::Id.is_in(ids.iter().cloned()))
            .all(db)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect()
    };
    let mut found: Vec<String> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if !known.contains(id) {
            errors.add(
                &format!("{field}[{i}]"),
                FieldCode::UnknownGroup,
                "No such contact group here.",
            );
        } else if !found.contains(id) {
            found.push(id.clone());
        }
    }
    Ok(found)
}

pub async fn get_group(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
) -> Result<ContactGroup, ContactsError> {
    let model = contact_group::Entity::find_by_id(id)
        .filter(contact_group::Column::OrganisationCvr.eq(org.as_str()))
        .one(db)
        .await?
        .ok_or(ContactsError::NotFound("contact group"))?;
    let mut parent_ids: Vec<String> = contact_group_parent::Entity::find()
        .filter(contact_group_parent::Column::GroupId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.parent_id)
        .collect();
    parent_ids.sort();
    Ok(group_dto(model, parent_ids))
}

pub(crate) fn group_dto(model: contact_group::Model, parent_ids: Vec<String>) -> ContactGroup {
    ContactGroup {
        id: model.id,
        name: model.name,
        description: model.description,
        is_organisational_unit: model.is_organisational_unit,
        parent_ids,
        created_at: model.created_at,
        updated_at: model.updated_at,
    }
}

pub(crate) fn group_fields(g: &ContactGroup) -> Vec<(&'static str, String)> {
    vec![
        ("name", g.name.clone()),
        ("description", g.description.clone()),
        ("isOrganisationalUnit", g.is_organisational_unit.to_string()),
        ("parentIds", g.parent_ids.join(", ")),
    ]
}

/// Checks a group's fields and parents. `id` is the group being edited: its parents may not
/// be itself or anything below it (no cycles).
/// CS-01, CS-02.
pub(crate) async fn checked_group(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: Option<&str>,
    input: &ContactGroupInput,
) -> Result<(String, String, Vec<String>), ContactsError> {
    let mut errors = FieldErrors::new();
    let name = v::text(&mut errors, "name", &input.name, v::GROUP_NAME_MAX, true);
    let description = v::text(
        &mut errors,
        "description",
        &input.description,
        v::GROUP_DESCRIPTION_MAX,
        false,
    );
    let mut parents = own_groups(db, org, "parentIds", &input.parent_ids, &mut errors).await?;
    if let Some(id) = id {
        // Everything below `id` (and `id` itself) is off limits as a parent.
        let edges = parent_edges(db, org).await?;
        let children = lists_by_key(edges.into_iter().map(|e| (e.parent_id, e.group_id)));
        let mut below = HashSet::from([id.to_owned()]);
        let mut stack = vec![id.to_owned()];
        while let Some(next) = stack.pop() {
            for child in children.get(&next).into_iter().flatten() {
                if below.insert(child.clone()) {
                    stack.push(child.clone());
                }
            }
        }
        for (i, parent) in input.parent_ids.iter().enumerate() {
            if below.contains(parent) {
                errors.add(
                    &format!("parentIds[{i}]"),
                    FieldCode::Cycle,
                    "A group cannot be placed under itself or one of its own sub-groups.",
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(ContactsError::Validation(errors));
    }
    parents.sort();
    Ok((name, description, parents))
}

pub(crate) async fn set_parents(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
    parents: &[String],
) -> Result<(), ContactsError> {
    contact_group_parent::Entity::delete_many()
        .filter(contact_group_parent::Column::GroupId.eq(id))
        .exec(db)
        .await?;
    for parent in parents {
        contact_group_parent::ActiveModel {
            organisation_cvr: Set(org.to_string()),
            group_id: Set(id.to_owned()),
            parent_id: Set(parent.clone()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// CS-01, CS-07: creates a group, logged with its fields.
pub async fn create_group(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    input: &ContactGroupInput,
    now: DateTime<Utc>,
) -> Result<ContactGroup, ContactsError> {
    let (name, description, parents) = checked_group(db, org, None, input).await?;
    let model = contact_group::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_cvr: Set(org.to_string()),
        name: Set(name),
        description: Set(description),
        is_organisational_unit: Set(input.is_organisational_unit),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    set_parents(db, org, &model.id, &parents).await?;
    let group = group_dto(model, parents);
    let rows = changes(None, Some(&group_fields(&group)));
    record_action(
        db,
        actor,
        now,
        record(org, &group.id, &group.name, ActionEvent::Created, rows),
    )
    .await?;
    bump_version(db, org).await?;
    Ok(group)
}

/// CS-01, CS-07: edits a group, logged field by field.
pub async fn update_group(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    id: &str,
    input: &ContactGroupInput,
    now: DateTime<Utc>,
) -> Result<ContactGroup, ContactsError> {
    let before = get_group(db, org, id).await?;
    let (name, description, parents) = checked_group(db, org, Some(id), input).await?;
    let mut model = contact_group::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ContactsError::NotFound("contact group"))?
        .into_active_model();
    model.name = Set(name);
    model.description = Set(description);
    model.is_organisational_unit = Set(input.is_organisational_unit);
    model.updated_at = Set(now);
    let saved = model.update(db).await?;
    set_parents(db, org, id, &parents).await?;
    let after = group_dto(saved, parents);
    let rows = changes(Some(&group_fields(&before)), Some(&group_fields(&after)));
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
