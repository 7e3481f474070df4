//! The import (CS-06): the upload read in the sandbox, every row checked, then the changes
//! written — all rows or none.

use super::*;

/// Writes what the import changes: group rows first (a parent or placement may name a new
/// group), then their parents, then the points — each with its actions-log rows.
async fn apply(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    now: DateTime<Utc>,
    group_writes: Vec<(bool, ContactGroup, Vec<FieldChange>)>,
    point_writes: Vec<(&PointRow, ContactPoint, Vec<FieldChange>)>,
) -> Result<(), ContactsError> {
    for (new, group, _) in &group_writes {
        if *new {
            contact_group::ActiveModel {
                id: Set(group.id.clone()),
                organisation_cvr: Set(org.to_string()),
                name: Set(group.name.clone()),
                description: Set(group.description.clone()),
                is_organisational_unit: Set(group.is_organisational_unit),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
        } else {
            let mut model = contact_group::Entity::find_by_id(group.id.as_str())
                .one(db)
                .await?
                .ok_or(ContactsError::NotFound("contact group"))?
                .into_active_model();
            model.name = Set(group.name.clone());
            model.description = Set(group.description.clone());
            model.is_organisational_unit = Set(group.is_organisational_unit);
            model.updated_at = Set(now);
            model.update(db).await?;
        }
    }
    for (new, group, rows) in group_writes {
        set_parents(db, org, &group.id, &group.parent_ids).await?;
        let event = if new {
            ActionEvent::Created
        } else {
            ActionEvent::Edited
        };
        record_action(
            db,
            actor,
            now,
            record(org, &group.id, &group.name, event, rows),
        )
        .await?;
    }
    for (point, after, rows) in point_writes {
        let event = if point.new {
            let mut model = contact_point::ActiveModel {
                id: Set(point.id.clone()),
                organisation_cvr: Set(org.to_string()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            apply_point(&mut model, &point.checked);
            model.insert(db).await?;
            ActionEvent::Created
        } else {
            let mut model = contact_point::Entity::find_by_id(point.id.as_str())
                .one(db)
                .await?
                .ok_or(ContactsError::NotFound("contact point"))?
                .into_active_model();
            apply_point(&mut model, &point.checked);
            model.updated_at = Set(now);
            model.update(db).await?;
            ActionEvent::Edited
        };
        set_point_links(db, org, &point.id, &point.checked).await?;
        record_action(
            db,
            actor,
            now,
            record(org, &point.id, &after.name, event, rows),
        )
        .await?;
    }
    Ok(())
}

/// CS-06, issue 29: reads an uploaded workbook in the upload sandbox — before any transaction
/// is open, so a hostile file holds no writer — and explains a refusal by the `file` field.
pub async fn read_upload(
    files: &dyn UntrustedFiles,
    bytes: Vec<u8>,
) -> Result<Vec<ReadSheet>, DomainError> {
    let refusal = match files.workbook(bytes).await {
        Ok(sheets) => {
            return Ok(sheets
                .into_iter()
                .map(|s| ReadSheet {
                    name: s.name,
                    rows: s.rows,
                })
                .collect())
        }
        Err(refusal) => refusal,
    };
    if let Some(common) = refusal.common_error("file") {
        return Err(common);
    }
    Err(match refusal {
        FileRefusal::TooLarge(why) => DomainError::field(
            "file",
            FieldCode::TooLarge,
            format!("The workbook is too large: {why}."),
        ),
        _ => DomainError::field(
            "file",
            FieldCode::NotAWorkbook,
            "The file is not an Excel workbook (.xlsx).",
        ),
    })
}

/// Checks the whole workbook (read by [`read_upload`]), then (unless `dry_run`) applies it in
/// the caller's transaction.
pub async fn import_workbook(
    db: &impl ConnectionTrait,
    systems: &dyn RecipientSystems,
    actor: &Actor,
    org: &Cvr,
    sheets: &[ReadSheet],
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ContactImportReceipt, ContactsError> {
    let mut errors = FieldErrors::new();
    let group_table = Table::find(sheets, GROUPS_SHEET, &GROUP_COLUMNS, &mut errors);
    let point_table = Table::find(sheets, POINTS_SHEET, &POINT_COLUMNS, &mut errors);
    let (Some(group_table), Some(point_table)) = (group_table, point_table) else {
        return Err(ContactsError::Validation(errors));
    };
    let structure = load_structure(db, org).await?;
    let stored_groups: HashMap<&str, &ContactGroup> = structure
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g))
        .collect();
    let stored_points: HashMap<&str, &ContactPoint> = structure
        .points
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();

    let (group_rows, names) = read_groups(&group_table, &structure, &mut errors);
    let recipient_systems = systems.list(db, org).await?;
    let point_rows = read_points(
        &point_table,
        &structure,
        &names,
        &recipient_systems,
        &mut errors,
    );
    if !errors.is_empty() {
        let mut reported = errors.into_inner();
        reported.truncate(MAX_REPORTED_ERRORS);
        let mut errors = FieldErrors::new();
        for e in reported {
            errors.add(&e.field, e.code, e.message);
        }
        return Err(ContactsError::Validation(errors));
    }

    // Everything checked: count, then write what differs.
    let mut receipt = ContactImportReceipt {
        applied: !dry_run,
        ..Default::default()
    };
    let mut group_writes = Vec::new();
    for group in &group_rows {
        let after = ContactGroup {
            id: group.id.clone(),
            name: group.name.clone(),
            description: group.description.clone(),
            is_organisational_unit: group.is_organisational_unit,
            parent_ids: group.parent_ids.clone(),
            created_at: now,
            updated_at: now,
        };
        let before = stored_groups.get(group.id.as_str()).copied();
        let rows = changes(
            before.map(group_fields).as_deref(),
            Some(&group_fields(&after)),
        );
        match (group.new, rows.is_empty()) {
            (true, _) => receipt.groups_created += 1,
            (false, true) => {
                receipt.groups_unchanged += 1;
                continue;
            }
            (false, false) => receipt.groups_updated += 1,
        }
        group_writes.push((group.new, after, rows));
    }
    let mut point_writes = Vec::new();
    for point in &point_rows {
        let before = stored_points.get(point.id.as_str()).copied();
        let after = point_from_checked(&point.id, &point.checked, now, now);
        let rows = changes(
            before.map(point_fields).as_deref(),
            Some(&point_fields(&after)),
        );
        match (point.new, rows.is_empty()) {
            (true, _) => receipt.points_created += 1,
            (false, true) => {
                receipt.points_unchanged += 1;
                continue;
            }
            (false, false) => receipt.points_updated += 1,
        }
        point_writes.push((point, after, rows));
    }
    if dry_run {
        return Ok(receipt);
    }
    if !group_writes.is_empty() || !point_writes.is_empty() {
        crate::service::bump_version(db, org).await?;
    }

    apply(db, actor, org, now, group_writes, point_writes).await?;
    Ok(receipt)
}
