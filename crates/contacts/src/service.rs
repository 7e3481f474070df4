//! The rules of the contact structure (SPEC §3). Every function takes the caller's
//! transaction, validates everything first and writes its actions-log rows (subject
//! "Kontaktstruktur", field by field) in the same transaction.

use std::collections::{HashMap, HashSet};

use adgang_api_types::{
    Audience, Capacity, ContactGroup, ContactGroupInput, ContactNodeKind, ContactPoint,
    ContactPointCode, ContactPointInput, ContactTreeNode, ExternalLink,
};
use adgang_core::audit::{record_action, ActionEvent, ActionRecord, Actor, FieldChange, Subject};
use adgang_core::{Cvr, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::entity::{
    contact_group, contact_group_parent, contact_point, contact_point_group, contact_point_keyword,
    contact_structure_version,
};
use crate::validation::{self as v};
use crate::ContactsError;

pub(crate) fn record(
    org: &Cvr,
    id: &str,
    name: &str,
    event: ActionEvent,
    changes: Vec<FieldChange>,
) -> ActionRecord {
    ActionRecord {
        organisation: org.clone(),
        subject: Subject::ContactStructure,
        event,
        party: None,
        object_id: Some(id.to_owned()),
        object_name: Some(name.to_owned()),
        changes,
        reason: None,
        power_of_attorney: None,
    }
}

/// Rows for a create (after only), delete (before only) or edit (the fields that changed).
pub(crate) fn changes(
    before: Option<&[(&'static str, String)]>,
    after: Option<&[(&'static str, String)]>,
) -> Vec<FieldChange> {
    match (before, after) {
        (None, Some(after)) => after
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| FieldChange::new(f, None::<String>, Some(v)))
            .collect(),
        (Some(before), None) => before
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| FieldChange::new(f, Some(v), None::<String>))
            .collect(),
        (Some(before), Some(after)) => before
            .iter()
            .zip(after)
            .filter(|((_, b), (_, a))| b != a)
            .map(|((f, b), (_, a))| {
                FieldChange::new(
                    f,
                    (!b.is_empty()).then_some(b),
                    (!a.is_empty()).then_some(a),
                )
            })
            .collect(),
        (None, None) => Vec::new(),
    }
}

// ---------------------------------------------------------------- versions

/// The organisation's structure version: 0 until its first change.
pub async fn structure_version(db: &impl ConnectionTrait, org: &Cvr) -> Result<i64, ContactsError> {
    Ok(contact_structure_version::Entity::find_by_id(org.as_str())
        .one(db)
        .await?
        .map(|v| v.version)
        .unwrap_or(0))
}

/// Raises the version in the caller's transaction: every change calls this, so cached trees
/// and search lists of the old version are no longer served once the change commits.
pub(crate) async fn bump_version(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<(), ContactsError> {
    use sea_orm::sea_query::{Expr, OnConflict};
    contact_structure_version::Entity::insert(contact_structure_version::ActiveModel {
        organisation_cvr: Set(org.to_string()),
        version: Set(1),
    })
    .on_conflict(
        OnConflict::column(contact_structure_version::Column::OrganisationCvr)
            .value(
                contact_structure_version::Column::Version,
                Expr::col((
                    contact_structure_version::Entity,
                    contact_structure_version::Column::Version,
                ))
                .add(1),
            )
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- groups

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
async fn own_groups(
    db: &impl ConnectionTrait,
    org: &Cvr,
    field: &str,
    ids: &[String],
    errors: &mut FieldErrors,
) -> Result<Vec<String>, ContactsError> {
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
                "unknown_group",
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
async fn checked_group(
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
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for edge in parent_edges(db, org).await? {
            children
                .entry(edge.parent_id)
                .or_default()
                .push(edge.group_id);
        }
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
                    "cycle",
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

// ---------------------------------------------------------------- points

fn audiences_text(audiences: &[Audience]) -> String {
    audiences
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

async fn point_dto(
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

async fn checked_point(
    db: &impl ConnectionTrait,
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
            if adgang_systems::service::is_recipient_system(db, org, id).await? {
                Some(id.to_owned())
            } else {
                errors.add(
                    "recipientSystemId",
                    "not_a_recipient_system",
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
    let description = v::text(
        errors,
        "description",
        &input.description,
        v::POINT_DESCRIPTION_MAX,
        false,
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
            "required",
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

pub async fn create_point(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    input: &ContactPointInput,
    now: DateTime<Utc>,
) -> Result<ContactPoint, ContactsError> {
    let checked = checked_point(db, org, input).await?;
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

pub async fn update_point(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    id: &str,
    input: &ContactPointInput,
    now: DateTime<Utc>,
) -> Result<ContactPoint, ContactsError> {
    let before = get_point(db, org, id).await?;
    let checked = checked_point(db, org, input).await?;
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

pub async fn delete_point(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ContactsError> {
    let before = get_point(db, org, id).await?;
    contact_point_group::Entity::delete_many()
        .filter(contact_point_group::Column::PointId.eq(id))
        .exec(db)
        .await?;
    contact_point_keyword::Entity::delete_many()
        .filter(contact_point_keyword::Column::PointId.eq(id))
        .exec(db)
        .await?;
    contact_point::Entity::delete_by_id(id).exec(db).await?;
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

// ---------------------------------------------------------------- tree

/// What the tree needs of a point.
struct TreePoint {
    id: String,
    name: String,
    usable: bool,
}

/// The organisation's whole structure (CS-02) from four queries, however large: groups,
/// their parent edges, points, and point placements. Items placed more than once are marked.
pub async fn tree(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<Vec<ContactTreeNode>, ContactsError> {
    let groups = group_models(db, org).await?;
    let edges = parent_edges(db, org).await?;
    use sea_orm::QuerySelect;
    // Only the columns the tree shows: whole rows cost far more at 10,000 points.
    let points: Vec<TreePoint> = contact_point::Entity::find()
        .select_only()
        .columns([
            contact_point::Column::Id,
            contact_point::Column::Name,
            contact_point::Column::Active,
            contact_point::Column::RecipientSystemId,
        ])
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .order_by_asc(contact_point::Column::Name)
        .order_by_asc(contact_point::Column::Id)
        .into_tuple::<(String, String, bool, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, active, system)| TreePoint {
            id,
            name,
            usable: active && system.is_some(),
        })
        .collect();
    let placed: Vec<(String, String)> = contact_point_group::Entity::find()
        .select_only()
        .columns([
            contact_point_group::Column::PointId,
            contact_point_group::Column::GroupId,
        ])
        .filter(contact_point_group::Column::OrganisationCvr.eq(org.as_str()))
        .into_tuple()
        .all(db)
        .await?;

    let mut child_groups: HashMap<&str, Vec<&contact_group::Model>> = HashMap::new();
    let mut parent_count: HashMap<&str, usize> = HashMap::new();
    let by_id: HashMap<&str, &contact_group::Model> =
        groups.iter().map(|g| (g.id.as_str(), g)).collect();
    for edge in &edges {
        if let Some(group) = by_id.get(edge.group_id.as_str()) {
            child_groups
                .entry(edge.parent_id.as_str())
                .or_default()
                .push(group);
            *parent_count.entry(edge.group_id.as_str()).or_default() += 1;
        }
    }
    let mut group_points: HashMap<&str, Vec<&TreePoint>> = HashMap::new();
    let mut placement_count: HashMap<&str, usize> = HashMap::new();
    let points_by_id: HashMap<&str, &TreePoint> =
        points.iter().map(|p| (p.id.as_str(), p)).collect();
    for (point_id, group_id) in &placed {
        if let Some(point) = points_by_id.get(point_id.as_str()) {
            group_points
                .entry(group_id.as_str())
                .or_default()
                .push(point);
            *placement_count.entry(point_id.as_str()).or_default() += 1;
        }
    }
    for list in child_groups.values_mut() {
        list.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }
    for list in group_points.values_mut() {
        list.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }

    let point_node = |p: &TreePoint| ContactTreeNode {
        kind: ContactNodeKind::Point,
        id: p.id.clone(),
        name: p.name.clone(),
        duplicate: placement_count.get(p.id.as_str()).copied().unwrap_or(0) > 1,
        usable: p.usable,
        children: Vec::new(),
    };
    struct Ctx<'a, F: Fn(&TreePoint) -> ContactTreeNode> {
        child_groups: &'a HashMap<&'a str, Vec<&'a contact_group::Model>>,
        group_points: &'a HashMap<&'a str, Vec<&'a TreePoint>>,
        parent_count: &'a HashMap<&'a str, usize>,
        point_node: F,
    }
    fn group_node<F: Fn(&TreePoint) -> ContactTreeNode>(
        ctx: &Ctx<'_, F>,
        group: &contact_group::Model,
        path: &mut Vec<String>,
    ) -> ContactTreeNode {
        path.push(group.id.clone());
        let mut children: Vec<ContactTreeNode> = Vec::new();
        for child in ctx
            .child_groups
            .get(group.id.as_str())
            .into_iter()
            .flatten()
        {
            // Validation refuses cycles; this guard keeps a corrupt row from recursing forever.
            if !path.contains(&child.id) {
                children.push(group_node(ctx, child, path));
            }
        }
        children.extend(
            ctx.group_points
                .get(group.id.as_str())
                .into_iter()
                .flatten()
                .map(|p| (ctx.point_node)(p)),
        );
        path.pop();
        ContactTreeNode {
            kind: ContactNodeKind::Group,
            id: group.id.clone(),
            name: group.name.clone(),
            duplicate: ctx
                .parent_count
                .get(group.id.as_str())
                .copied()
                .unwrap_or(0)
                > 1,
            usable: children.iter().any(|c| c.usable),
            children,
        }
    }
    let ctx = Ctx {
        child_groups: &child_groups,
        group_points: &group_points,
        parent_count: &parent_count,
        point_node,
    };
    let mut roots: Vec<ContactTreeNode> = groups
        .iter()
        .filter(|g| !parent_count.contains_key(g.id.as_str()))
        .map(|g| group_node(&ctx, g, &mut Vec::new()))
        .collect();
    roots.extend(
        points
            .iter()
            .filter(|p| !placement_count.contains_key(p.id.as_str()))
            .map(|p| (ctx.point_node)(p)),
    );
    Ok(roots)
}

// ---------------------------------------------------------------- group deletion (CS-03)

/// What deleting a group removes: the groups and points that live only inside it, and the
/// placements of items that also live elsewhere.
struct DeletionPlan {
    preview: adgang_api_types::ContactGroupDeletion,
    groups: Vec<contact_group::Model>,
    points: Vec<contact_point::Model>,
    /// (child group, parent, child's name) edges to remove from groups that stay.
    parent_edges: Vec<(String, String, String)>,
    /// (point, group, point's name) placements to remove from points that stay.
    point_placements: Vec<(String, String, String)>,
}

async fn plan_deletion(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
) -> Result<DeletionPlan, ContactsError> {
    use adgang_api_types::{ContactDeletionNode, ContactGroupDeletion};
    let groups = group_models(db, org).await?;
    let root = groups
        .iter()
        .find(|g| g.id == id)
        .cloned()
        .ok_or(ContactsError::NotFound("contact group"))?;
    let edges = parent_edges(db, org).await?;
    let placed = placements(db, org).await?;
    let points = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .all(db)
        .await?;

    // Grow the deleted set: a sub-group goes when all its parents go (fixpoint).
    let mut deleted: HashSet<&str> = HashSet::from([id]);
    loop {
        let before = deleted.len();
        for group in &groups {
            let parents: Vec<&str> = edges
                .iter()
                .filter(|e| e.group_id == group.id)
                .map(|e| e.parent_id.as_str())
                .collect();
            if !parents.is_empty() && parents.iter().all(|p| deleted.contains(p)) {
                deleted.insert(group.id.as_str());
            }
        }
        if deleted.len() == before {
            break;
        }
    }
    let point_goes = |point_id: &str| {
        placed
            .iter()
            .filter(|p| p.point_id == point_id)
            .all(|p| deleted.contains(p.group_id.as_str()))
    };

    let by_id: HashMap<&str, &contact_group::Model> =
        groups.iter().map(|g| (g.id.as_str(), g)).collect();
    let points_by_id: HashMap<&str, &contact_point::Model> =
        points.iter().map(|p| (p.id.as_str(), p)).collect();
    fn node(
        group: &contact_group::Model,
        deleted: &HashSet<&str>,
        edges: &[contact_group_parent::Model],
        placed: &[contact_point_group::Model],
        by_id: &HashMap<&str, &contact_group::Model>,
        points_by_id: &HashMap<&str, &contact_point::Model>,
        point_goes: &dyn Fn(&str) -> bool,
    ) -> ContactDeletionNode {
        let mut children: Vec<ContactDeletionNode> = Vec::new();
        let mut sub: Vec<&contact_group::Model> = edges
            .iter()
            .filter(|e| e.parent_id == group.id)
            .filter_map(|e| by_id.get(e.group_id.as_str()).copied())
            .collect();
        sub.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        for child in sub {
            if deleted.contains(child.id.as_str()) {
                children.push(node(
                    child,
                    deleted,
                    edges,
                    placed,
                    by_id,
                    points_by_id,
                    point_goes,
                ));
            } else {
                children.push(ContactDeletionNode {
                    kind: ContactNodeKind::Group,
                    id: child.id.clone(),
                    name: child.name.clone(),
                    also_elsewhere: true,
                    children: Vec::new(),
                });
            }
        }
        let mut here: Vec<&contact_point::Model> = placed
            .iter()
            .filter(|p| p.group_id == group.id)
            .filter_map(|p| points_by_id.get(p.point_id.as_str()).copied())
            .collect();
        here.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        children.extend(here.into_iter().map(|p| ContactDeletionNode {
            kind: ContactNodeKind::Point,
            id: p.id.clone(),
            name: p.name.clone(),
            also_elsewhere: !point_goes(&p.id),
            children: Vec::new(),
        }));
        ContactDeletionNode {
            kind: ContactNodeKind::Group,
            id: group.id.clone(),
            name: group.name.clone(),
            also_elsewhere: false,
            children,
        }
    }
    let tree = node(
        &root,
        &deleted,
        &edges,
        &placed,
        &by_id,
        &points_by_id,
        &point_goes,
    );

    let doomed_points: Vec<contact_point::Model> = points
        .iter()
        .filter(|p| {
            placed
                .iter()
                .any(|pl| pl.point_id == p.id && deleted.contains(pl.group_id.as_str()))
                && point_goes(&p.id)
        })
        .cloned()
        .collect();
    let doomed_point_ids: HashSet<&str> = doomed_points.iter().map(|p| p.id.as_str()).collect();
    let point_placements: Vec<(String, String, String)> = placed
        .iter()
        .filter(|p| {
            deleted.contains(p.group_id.as_str()) && !doomed_point_ids.contains(p.point_id.as_str())
        })
        .filter_map(|p| {
            let point = points_by_id.get(p.point_id.as_str())?;
            Some((p.point_id.clone(), p.group_id.clone(), point.name.clone()))
        })
        .collect();
    let parent_edges: Vec<(String, String, String)> = edges
        .iter()
        .filter(|e| {
            deleted.contains(e.parent_id.as_str()) && !deleted.contains(e.group_id.as_str())
        })
        .filter_map(|e| {
            let group = by_id.get(e.group_id.as_str())?;
            Some((e.group_id.clone(), e.parent_id.clone(), group.name.clone()))
        })
        .collect();
    let doomed_groups: Vec<contact_group::Model> = groups
        .iter()
        .filter(|g| deleted.contains(g.id.as_str()))
        .cloned()
        .collect();
    Ok(DeletionPlan {
        preview: ContactGroupDeletion {
            root: tree,
            groups_deleted: u32::try_from(doomed_groups.len()).unwrap_or(u32::MAX),
            points_deleted: u32::try_from(doomed_points.len()).unwrap_or(u32::MAX),
            placements_removed: u32::try_from(point_placements.len() + parent_edges.len())
                .unwrap_or(u32::MAX),
        },
        groups: doomed_groups,
        points: doomed_points,
        parent_edges,
        point_placements,
    })
}

/// What "Slet gruppe" would remove, without removing anything.
pub async fn deletion_preview(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
) -> Result<adgang_api_types::ContactGroupDeletion, ContactsError> {
    Ok(plan_deletion(db, org, id).await?.preview)
}

/// Deletes a group with its content (CS-03) in the caller's transaction: the groups and
/// points that live only inside it go; items that also live elsewhere lose only this
/// placement. Every removed item and placement is logged. Nothing is applied unless the
/// transaction commits, so a failure half-way leaves the structure as it was.
pub async fn delete_group(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    id: &str,
    now: DateTime<Utc>,
) -> Result<adgang_api_types::ContactGroupDeletion, ContactsError> {
    let plan = plan_deletion(db, org, id).await?;
    let group_ids: Vec<String> = plan.groups.iter().map(|g| g.id.clone()).collect();

    // Placements of surviving items.
    for (point, group, name) in &plan.point_placements {
        contact_point_group::Entity::delete_by_id((point.clone(), group.clone()))
            .exec(db)
            .await?;
        let change = vec![FieldChange::new("groupIds", Some(group), None::<String>)];
        record_action(
            db,
            actor,
            now,
            record(org, point, name, ActionEvent::Edited, change),
        )
        .await?;
    }
    for (group, parent, name) in &plan.parent_edges {
        contact_group_parent::Entity::delete_by_id((group.clone(), parent.clone()))
            .exec(db)
            .await?;
        let change = vec![FieldChange::new("parentIds", Some(parent), None::<String>)];
        record_action(
            db,
            actor,
            now,
            record(org, group, name, ActionEvent::Edited, change),
        )
        .await?;
    }
    // Points that live only inside, then the groups (edges first: foreign keys).
    for point in &plan.points {
        let full = point_dto(db, point.clone()).await?;
        contact_point_group::Entity::delete_many()
            .filter(contact_point_group::Column::PointId.eq(point.id.as_str()))
            .exec(db)
            .await?;
        contact_point_keyword::Entity::delete_many()
            .filter(contact_point_keyword::Column::PointId.eq(point.id.as_str()))
            .exec(db)
            .await?;
        contact_point::Entity::delete_by_id(point.id.as_str())
            .exec(db)
            .await?;
        let rows = changes(Some(&point_fields(&full)), None);
        record_action(
            db,
            actor,
            now,
            record(org, &point.id, &point.name, ActionEvent::Deleted, rows),
        )
        .await?;
    }
    contact_group_parent::Entity::delete_many()
        .filter(contact_group_parent::Column::GroupId.is_in(group_ids.clone()))
        .exec(db)
        .await?;
    for group in &plan.groups {
        contact_group::Entity::delete_by_id(group.id.as_str())
            .exec(db)
            .await?;
        let rows = vec![
            FieldChange::new("name", Some(&group.name), None::<String>),
            FieldChange::new("description", Some(&group.description), None::<String>),
        ];
        record_action(
            db,
            actor,
            now,
            record(org, &group.id, &group.name, ActionEvent::Deleted, rows),
        )
        .await?;
    }
    bump_version(db, org).await?;
    Ok(plan.preview)
}

// ---------------------------------------------------------------- deep links (CS-04)

/// A point's deep links: one per audience it serves.
pub async fn point_deep_links(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
    urls: &crate::deep_links::PlatformUrls,
) -> Result<Vec<adgang_api_types::DeepLink>, ContactsError> {
    let point = get_point(db, org, id).await?;
    Ok(urls.links(&point.audiences, crate::deep_links::Target::Point(id)))
}

/// The point's receipt (CS-05) as PDF, with its deep links and their QR codes; and the
/// point's name for the file.
pub async fn point_receipt(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
    urls: &crate::deep_links::PlatformUrls,
    by: &str,
) -> Result<(String, Vec<u8>), ContactsError> {
    let point = get_point(db, org, id).await?;
    let group_names: Vec<String> = contact_group::Entity::find()
        .filter(contact_group::Column::OrganisationCvr.eq(org.as_str()))
        .filter(contact_group::Column::Id.is_in(point.group_ids.clone()))
        .order_by_asc(contact_group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    let system = match &point.recipient_system_id {
        Some(system_id) => Some(adgang_systems::service::get(db, org, system_id).await?.name),
        None => None,
    };
    let links = urls.links(&point.audiences, crate::deep_links::Target::Point(id));
    let pdf = crate::documents::receipt_pdf(&point, &group_names, system.as_deref(), &links, by)
        .map_err(ContactsError::Unexpected)?;
    Ok((point.name, pdf))
}

/// A group's deep links: the audiences of the usable points in it or below it; none yet when
/// it has no usable point.
pub async fn group_deep_links(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
    urls: &crate::deep_links::PlatformUrls,
) -> Result<Vec<adgang_api_types::DeepLink>, ContactsError> {
    get_group(db, org, id).await?;
    let edges = parent_edges(db, org).await?;
    let mut inside: HashSet<String> = HashSet::from([id.to_owned()]);
    let mut stack = vec![id.to_owned()];
    while let Some(next) = stack.pop() {
        for edge in edges.iter().filter(|e| e.parent_id == next) {
            if inside.insert(edge.group_id.clone()) {
                stack.push(edge.group_id.clone());
            }
        }
    }
    let point_ids: HashSet<String> = placements(db, org)
        .await?
        .into_iter()
        .filter(|p| inside.contains(&p.group_id))
        .map(|p| p.point_id)
        .collect();
    let audiences: Vec<Audience> = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .filter(contact_point::Column::Active.eq(true))
        .filter(contact_point::Column::RecipientSystemId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|p| point_ids.contains(&p.id))
        .flat_map(|p| {
            p.audiences
                .split(',')
                .filter_map(Audience::parse)
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(urls.links(&audiences, crate::deep_links::Target::Group(id)))
}

// ---------------------------------------------------------------- platform read API (CS-08)

/// Every keyword of the organisation's points in one query, by point, in position order.
pub(crate) async fn keywords_by_point(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<HashMap<String, Vec<String>>, ContactsError> {
    use sea_orm::{QuerySelect, QueryTrait};
    let mut keywords: HashMap<String, Vec<String>> = HashMap::new();
    for k in contact_point_keyword::Entity::find()
        .filter(
            contact_point_keyword::Column::PointId.in_subquery(
                contact_point::Entity::find()
                    .select_only()
                    .column(contact_point::Column::Id)
                    .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
                    .into_query(),
            ),
        )
        .order_by_asc(contact_point_keyword::Column::PointId)
        .order_by_asc(contact_point_keyword::Column::Position)
        .all(db)
        .await?
    {
        keywords.entry(k.point_id).or_default().push(k.keyword);
    }
    Ok(keywords)
}

/// The points the platforms can find, indexed for the search: keywords sorted for a prefix
/// lookup, names in one lower-case text for a single substring scan. Built once per structure
/// version; a query then costs microseconds, not a pass over every point.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// In name order.
    points: Vec<(Vec<Audience>, adgang_api_types::PublicContactPoint)>,
    /// Every name in lower case, each followed by a line break.
    names: String,
    /// Where each point's name starts in `names`.
    name_starts: Vec<usize>,
    /// (keyword in lower case, point index), sorted.
    keywords: Vec<(String, usize)>,
}

/// The organisation's visible, usable points (active and bound to a recipient system), by
/// name, indexed for [`search`].
pub async fn searchable_points(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<SearchIndex, ContactsError> {
    let points = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .filter(contact_point::Column::Visible.eq(true))
        .filter(contact_point::Column::Active.eq(true))
        .filter(contact_point::Column::RecipientSystemId.is_not_null())
        .order_by_asc(contact_point::Column::Name)
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?;
    let mut keywords = keywords_by_point(db, org).await?;
    let mut index = SearchIndex::default();
    for p in points {
        let words = keywords.remove(&p.id).unwrap_or_default();
        let at = index.points.len();
        index
            .keywords
            .extend(words.iter().map(|w| (w.to_lowercase(), at)));
        index.name_starts.push(index.names.len());
        index
            .names
            .push_str(&p.name.to_lowercase().replace('\n', " "));
        index.names.push('\n');
        index.points.push((
            p.audiences.split(',').filter_map(Audience::parse).collect(),
            adgang_api_types::PublicContactPoint {
                keywords: words,
                input_fields: serde_json::from_str(&p.input_fields).unwrap_or_default(),
                external_link: p
                    .external_link
                    .as_deref()
                    .and_then(|j| serde_json::from_str(j).ok()),
                capacity: Capacity {
                    max_message_size_bytes: u64::try_from(p.max_message_size_bytes)
                        .unwrap_or_default(),
                    max_attachments: u32::try_from(p.max_attachments).unwrap_or_default(),
                },
                id: p.id,
                name: p.name,
                description: p.description,
            },
        ));
    }
    index.keywords.sort();
    Ok(index)
}

/// The points for `audience` matching `query` by keyword (prefix, any letter case) or name
/// (substring), in name order; all of them when `query` is empty.
pub fn search(
    index: &SearchIndex,
    query: &str,
    audience: Audience,
) -> Vec<adgang_api_types::PublicContactPoint> {
    let query = query.trim().to_lowercase();
    let mut hit = vec![query.is_empty(); index.points.len()];
    if !query.is_empty() {
        let first = index
            .keywords
            .partition_point(|(k, _)| k.as_str() < query.as_str());
        for (_, at) in index.keywords[first..]
            .iter()
            .take_while(|(k, _)| k.starts_with(&query))
        {
            hit[*at] = true;
        }
        if !query.contains('\n') {
            for found in memchr::memmem::find_iter(index.names.as_bytes(), query.as_bytes()) {
                let at = index.name_starts.partition_point(|start| *start <= found) - 1;
                hit[at] = true;
            }
        }
    }
    index
        .points
        .iter()
        .zip(hit)
        .filter(|((audiences, _), hit)| *hit && audiences.contains(&audience))
        .map(|((_, point), _)| point.clone())
        .collect()
}

/// Groups flagged as organisational units (CS-08).
pub async fn organisational_units(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<Vec<adgang_api_types::PublicOrganisationalUnit>, ContactsError> {
    Ok(group_models(db, org)
        .await?
        .into_iter()
        .filter(|g| g.is_organisational_unit)
        .map(|g| adgang_api_types::PublicOrganisationalUnit {
            id: g.id,
            name: g.name,
            description: g.description,
        })
        .collect())
}
