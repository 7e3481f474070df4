//! The contact structure as an Excel workbook and back (CS-06, guide §6.7–6.8): one sheet of
//! groups and one of points with every column and id. An import matches rows by id — a row
//! whose id is blank or unknown here is created, with a new id — checks every row before it
//! writes anything, reports errors by sheet and cell ("Kontaktpunkter!P7"), and applies all
//! rows or none. Rows equal to what is stored write nothing, so importing an unchanged export
//! is a no-op; a workbook exported by another organisation (test → production, §3.2)
//! recreates that structure here with new ids.

use adgang_api_types::FieldCode;
use std::collections::{HashMap, HashSet};

use adgang_api_types::{
    Audience, Capacity, CodeKind, ContactGroup, ContactImportReceipt, ContactPoint,
    ContactPointCode, ContactPointInput, ExternalLink,
};
use adgang_core::audit::{record_action, ActionEvent, Actor, FieldChange};
use adgang_core::ports::{FileRefusal, RecipientSystem, RecipientSystems, UntrustedFiles};
use adgang_core::{Cvr, DomainError, FieldErrors};
use adgang_documents::xlsx::{column_letters, workbook, ReadSheet, Sheet};
use adgang_documents::yes_no;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::entity::{contact_group, contact_point};
use crate::service::{
    apply_point, changes, check_point_fields, group_dto, group_fields, group_models, parent_edges,
    placements, point_fields, point_from_checked, point_from_rows, record, set_parents,
    set_point_links, CheckedPoint,
};
use crate::validation::{self as v};
use crate::ContactsError;

pub const GROUPS_SHEET: &str = "Kontaktgrupper";
pub const POINTS_SHEET: &str = "Kontaktpunkter";
pub const GROUP_COLUMNS: [&str; 5] = [
    "ID",
    "Navn",
    "Beskrivelse",
    "Organisatorisk enhed",
    "Overordnede grupper",
];
pub const POINT_COLUMNS: [&str; 19] = [
    "ID",
    "Navn",
    "Beskrivelse",
    "Intern note",
    "Grupper",
    "Synlig",
    "Målgrupper",
    "Maks. beskedstørrelse (bytes)",
    "Maks. vedhæftninger",
    "Link – overskrift",
    "Link – beskrivelse",
    "Link – tekst",
    "Link – URL",
    "Inputfelt 1",
    "Inputfelt 2",
    "Søgeord",
    "Koder",
    "Modtagersystem",
    "Aktiv",
];

/// Lists inside a cell (parents, groups, audiences, keywords, codes).
const LIST_SEPARATOR: &str = "; ";
/// An import answers with at most this many errors (a wrong file could have thousands).
const MAX_REPORTED_ERRORS: usize = 500;

/// The whole structure of one organisation, read in six queries.
struct Structure {
    groups: Vec<ContactGroup>,
    points: Vec<ContactPoint>,
}

async fn load_structure(db: &impl ConnectionTrait, org: &Cvr) -> Result<Structure, ContactsError> {
    let mut parents: HashMap<String, Vec<String>> = HashMap::new();
    for edge in parent_edges(db, org).await? {
        parents
            .entry(edge.group_id)
            .or_default()
            .push(edge.parent_id);
    }
    let groups = group_models(db, org)
        .await?
        .into_iter()
        .map(|g| {
            let mut p = parents.remove(&g.id).unwrap_or_default();
            p.sort();
            group_dto(g, p)
        })
        .collect();
    let mut point_groups: HashMap<String, Vec<String>> = HashMap::new();
    for placement in placements(db, org).await? {
        point_groups
            .entry(placement.point_id)
            .or_default()
            .push(placement.group_id);
    }
    let mut keywords = crate::service::keywords_by_point(db, org).await?;
    let points = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .order_by_asc(contact_point::Column::Name)
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let in_groups = point_groups.remove(&p.id).unwrap_or_default();
            let words = keywords.remove(&p.id).unwrap_or_default();
            point_from_rows(p, in_groups, words)
        })
        .collect();
    Ok(Structure { groups, points })
}

// ---------------------------------------------------------------- export

fn group_row(g: &ContactGroup) -> Vec<String> {
    vec![
        g.id.clone(),
        g.name.clone(),
        g.description.clone(),
        yes_no(g.is_organisational_unit),
        g.parent_ids.join(LIST_SEPARATOR),
    ]
}

/// CS-06: the recipient-system cell names the system by name, so a workbook exported from one
/// organisation (test) goes into another (production) with a system of the same name; by id
/// where the name is not unique among the organisation's recipient systems.
fn system_cells(systems: &[RecipientSystem]) -> HashMap<&str, &str> {
    systems
        .iter()
        .map(|s| {
            let same_name = systems
                .iter()
                .filter(|o| o.name.eq_ignore_ascii_case(&s.name))
                .count();
            let cell = if same_name == 1 { &s.name } else { &s.id };
            (s.id.as_str(), cell.as_str())
        })
        .collect()
}

fn point_row(p: &ContactPoint, system_cells: &HashMap<&str, &str>) -> Vec<String> {
    let link = |f: fn(&ExternalLink) -> &String| {
        p.external_link
            .as_ref()
            .map(|l| f(l).clone())
            .unwrap_or_default()
    };
    vec![
        p.id.clone(),
        p.name.clone(),
        p.description.clone(),
        p.internal_note.clone(),
        p.group_ids.join(LIST_SEPARATOR),
        yes_no(p.visible),
        p.audiences
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        p.capacity.max_message_size_bytes.to_string(),
        p.capacity.max_attachments.to_string(),
        link(|l| &l.heading),
        link(|l| &l.description),
        link(|l| &l.link_text),
        link(|l| &l.url),
        p.input_fields.first().cloned().unwrap_or_default(),
        p.input_fields.get(1).cloned().unwrap_or_default(),
        p.keywords.join(LIST_SEPARATOR),
        p.codes
            .iter()
            .map(|c| format!("{}:{}", c.kind.as_str(), c.value))
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        p.recipient_system_id
            .as_deref()
            .map(|id| system_cells.get(id).copied().unwrap_or(id).to_owned())
            .unwrap_or_default(),
        yes_no(p.active),
    ]
}

/// The whole structure as a workbook: one sheet of groups, one of points, every column and id.
pub async fn export_workbook(
    db: &impl ConnectionTrait,
    systems: &dyn RecipientSystems,
    org: &Cvr,
) -> Result<Vec<u8>, ContactsError> {
    let structure = load_structure(db, org).await?;
    let recipient_systems = systems.list(db, org).await?;
    let system_cells = system_cells(&recipient_systems);
    let sheets = [
        Sheet {
            name: GROUPS_SHEET.to_owned(),
            headers: GROUP_COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
            rows: structure.groups.iter().map(group_row).collect(),
        },
        Sheet {
            name: POINTS_SHEET.to_owned(),
            headers: POINT_COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
            rows: structure
                .points
                .iter()
                .map(|p| point_row(p, &system_cells))
                .collect(),
        },
    ];
    // Issue 13 item 6: 10,000 points take a while to write; not on an async worker.
    tokio::task::spawn_blocking(move || workbook(&sheets))
        .await
        .map_err(|e| ContactsError::Unexpected(anyhow::anyhow!("rendering stopped: {e}")))?
        .map_err(ContactsError::Unexpected)
}

// ---------------------------------------------------------------- import: reading cells

/// One sheet of the upload with its columns found by their headings (any order; extra
/// columns are ignored).
struct Table<'a> {
    sheet: &'static str,
    /// For each expected column, its index in the sheet.
    columns: Vec<usize>,
    /// (Excel row number, cells) of every row below the header that is not blank.
    rows: Vec<(usize, &'a [String])>,
}

impl Table<'_> {
    fn find<'a>(
        sheets: &'a [ReadSheet],
        sheet: &'static str,
        expected: &[&str],
        errors: &mut FieldErrors,
    ) -> Option<Table<'a>> {
        let Some(found) = sheets.iter().find(|s| s.name.trim() == sheet) else {
            errors.add(
                sheet,
                FieldCode::MissingSheet,
                format!("The workbook has no sheet named \"{sheet}\"."),
            );
            return None;
        };
        let header = found.rows.first().map(Vec::as_slice).unwrap_or_default();
        let mut columns = Vec::new();
        for name in expected {
            match header.iter().position(|h| h.trim() == *name) {
                Some(i) => columns.push(i),
                None => errors.add(
                    &format!("{sheet}!{name}"),
                    FieldCode::MissingColumn,
                    format!("The sheet \"{sheet}\" has no column \"{name}\"."),
                ),
            }
        }
        if columns.len() != expected.len() {
            return None;
        }
        let rows = found
            .rows
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .map(|(i, cells)| (i + 1, cells.as_slice()))
            .collect();
        Some(Table {
            sheet,
            columns,
            rows,
        })
    }

    fn cell<'c>(&self, cells: &'c [String], column: usize) -> &'c str {
        cells
            .get(self.columns[column])
            .map(|c| c.trim())
            .unwrap_or_default()
    }

    /// "Kontaktpunkter!P7".
    fn address(&self, row: usize, column: usize) -> String {
        format!(
            "{}!{}{row}",
            self.sheet,
            column_letters(self.columns[column])
        )
    }
}

fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_yes_no(cell: &str, address: &str, errors: &mut FieldErrors) -> bool {
    match cell.to_lowercase().as_str() {
        "ja" | "j" | "yes" | "true" | "1" | "x" => true,
        "nej" | "n" | "no" | "false" | "0" | "" => false,
        _ => {
            errors.add(address, FieldCode::InvalidYesNo, "Write \"Ja\" or \"Nej\".");
            false
        }
    }
}

fn parse_number<T: std::str::FromStr>(
    cell: &str,
    address: &str,
    errors: &mut FieldErrors,
) -> Option<T> {
    if cell.is_empty() {
        return None;
    }
    let parsed = cell.replace(['.', ' '], "").parse().ok();
    if parsed.is_none() {
        errors.add(address, FieldCode::InvalidNumber, "Write a whole number.");
    }
    parsed
}

/// Field names of the point checks → the point sheet's column that holds them.
fn point_column(field: &str) -> usize {
    const BY_PREFIX: [(&str, usize); 17] = [
        ("name", 1),
        ("description", 2),
        ("internalNote", 3),
        ("groupIds", 4),
        ("audiences", 6),
        ("capacity.maxMessageSizeBytes", 7),
        ("capacity.maxAttachments", 8),
        ("externalLink.heading", 9),
        ("externalLink.description", 10),
        ("externalLink.linkText", 11),
        ("externalLink.url", 12),
        ("inputFields[1]", 14),
        ("inputFields", 13),
        ("keywords", 15),
        ("codes", 16),
        ("recipientSystemId", 17),
        ("active", 18),
    ];
    BY_PREFIX
        .iter()
        .find(|(prefix, _)| field.starts_with(prefix))
        .map(|(_, column)| *column)
        .unwrap_or(0)
}

/// Resolves group references in the workbook: an id from the groups sheet (mapped to the id it
/// gets here), the id of a group stored here, or the name of exactly one group.
struct GroupNames {
    by_workbook_id: HashMap<String, String>,
    stored: HashSet<String>,
    by_name: HashMap<String, Vec<String>>,
}

impl GroupNames {
    fn resolve(&self, token: &str, address: &str, errors: &mut FieldErrors) -> Option<String> {
        if let Some(id) = self.by_workbook_id.get(token) {
            return Some(id.clone());
        }
        if self.stored.contains(token) {
            return Some(token.to_owned());
        }
        match self
            .by_name
            .get(&token.to_lowercase())
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            [id] => Some(id.clone()),
            [] => {
                errors.add(
                    address,
                    FieldCode::UnknownGroup,
                    format!("No group has the id or name \"{token}\"."),
                );
                None
            }
            _ => {
                errors.add(
                    address,
                    FieldCode::AmbiguousGroup,
                    format!("Several groups are named \"{token}\": use the id."),
                );
                None
            }
        }
    }
}

/// A row's target: the stored item it updates, or a new id.
fn target_id(
    table: &Table,
    row: usize,
    cell: &str,
    stored: &HashSet<String>,
    seen: &mut HashSet<String>,
    errors: &mut FieldErrors,
) -> (String, bool) {
    if !cell.is_empty() && !seen.insert(cell.to_owned()) {
        errors.add(
            &table.address(row, 0),
            FieldCode::DuplicateId,
            "The id is on more than one row.",
        );
    }
    if stored.contains(cell) {
        (cell.to_owned(), false)
    } else {
        (uuid::Uuid::now_v7().to_string(), true)
    }
}

// ---------------------------------------------------------------- import

struct GroupRow {
    row: usize,
    id: String,
    new: bool,
    name: String,
    description: String,
    is_organisational_unit: bool,
    parent_ids: Vec<String>,
}

struct PointRow {
    id: String,
    new: bool,
    checked: CheckedPoint,
}

/// The groups sheet: fields first, then references (a parent may be on a later row), then
/// no cycles in the structure the import would leave behind.
fn read_groups(
    table: &Table,
    structure: &Structure,
    errors: &mut FieldErrors,
) -> (Vec<GroupRow>, GroupNames) {
    let stored_ids: HashSet<String> = structure.groups.iter().map(|g| g.id.clone()).collect();
    let mut seen = HashSet::new();
    let mut group_rows = Vec::new();
    let mut names = GroupNames {
        by_workbook_id: HashMap::new(),
        stored: stored_ids.clone(),
        by_name: HashMap::new(),
    };
    let mut parent_cells = Vec::new();
    for (row, cells) in &table.rows {
        let row = *row;
        let cell = |c| table.cell(cells, c);
        let at = |c| table.address(row, c);
        let (id, new) = target_id(table, row, cell(0), &stored_ids, &mut seen, errors);
        if !cell(0).is_empty() {
            names.by_workbook_id.insert(cell(0).to_owned(), id.clone());
        }
        names.stored.remove(&id);
        let name = v::text(errors, &at(1), cell(1), v::GROUP_NAME_MAX, true);
        names
            .by_name
            .entry(name.to_lowercase())
            .or_default()
            .push(id.clone());
        parent_cells.push(list(cell(4)));
        group_rows.push(GroupRow {
            row,
            id,
            new,
            name,
            description: v::text(errors, &at(2), cell(2), v::GROUP_DESCRIPTION_MAX, false),
            is_organisational_unit: parse_yes_no(cell(3), &at(3), errors),
            parent_ids: Vec::new(),
        });
    }
    // Stored groups the workbook leaves out stay as they are, findable by name too.
    for group in &structure.groups {
        if names.stored.contains(&group.id) {
            names
                .by_name
                .entry(group.name.to_lowercase())
                .or_default()
                .push(group.id.clone());
        }
    }
    for (group, tokens) in group_rows.iter_mut().zip(parent_cells) {
        let at = table.address(group.row, 4);
        let mut parents: Vec<String> = tokens
            .iter()
            .filter_map(|t| names.resolve(t, &at, errors))
            .collect();
        parents.sort();
        parents.dedup();
        group.parent_ids = parents;
    }
    // No cycles in the structure the import leaves behind.
    let mut parents_of: HashMap<&str, &[String]> = structure
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.parent_ids.as_slice()))
        .collect();
    for group in &group_rows {
        parents_of.insert(group.id.as_str(), group.parent_ids.as_slice());
    }
    for group in &group_rows {
        let mut stack: Vec<&str> = group.parent_ids.iter().map(String::as_str).collect();
        let mut visited = HashSet::new();
        while let Some(next) = stack.pop() {
            if next == group.id {
                errors.add(
                    &table.address(group.row, 4),
                    FieldCode::Cycle,
                    "A group cannot be placed under itself or one of its own sub-groups.",
                );
                break;
            }
            if visited.insert(next) {
                stack.extend(
                    parents_of
                        .get(next)
                        .into_iter()
                        .flat_map(|p| p.iter().map(String::as_str)),
                );
            }
        }
    }
    (group_rows, names)
}

/// The points sheet; group references resolve through `names`, the recipient system by id or
/// name among `recipient_systems`.
fn read_points(
    table: &Table,
    structure: &Structure,
    names: &GroupNames,
    recipient_systems: &[RecipientSystem],
    errors: &mut FieldErrors,
) -> Vec<PointRow> {
    let stored_point_ids: HashSet<String> = structure.points.iter().map(|p| p.id.clone()).collect();
    let mut seen = HashSet::new();
    let mut point_rows = Vec::new();
    for (row, cells) in &table.rows {
        let row = *row;
        let cell = |c| table.cell(cells, c);
        let at = |c| table.address(row, c);
        let (id, new) = target_id(table, row, cell(0), &stored_point_ids, &mut seen, errors);
        let mut audiences = Vec::new();
        for token in list(cell(6)) {
            match token.to_lowercase().as_str() {
                "citizens" | "borgere" => audiences.push(Audience::Citizens),
                "businesses" | "virksomheder" => audiences.push(Audience::Businesses),
                _ => errors.add(
                    &at(6),
                    FieldCode::InvalidAudience,
                    "Write \"citizens\", \"businesses\" or both, separated by \";\".",
                ),
            }
        }
        let defaults = Capacity::default();
        let capacity = Capacity {
            max_message_size_bytes: parse_number(cell(7), &at(7), errors)
                .unwrap_or(defaults.max_message_size_bytes),
            max_attachments: parse_number(cell(8), &at(8), errors)
                .unwrap_or(defaults.max_attachments),
        };
        let external_link = (9..=12).any(|c| !cell(c).is_empty()).then(|| ExternalLink {
            heading: cell(9).to_owned(),
            description: cell(10).to_owned(),
            link_text: cell(11).to_owned(),
            url: cell(12).to_owned(),
        });
        let mut codes = Vec::new();
        for token in list(cell(16)) {
            let kind = match token.split_once(':') {
                Some(("classification", value)) => Some((CodeKind::Classification, value)),
                Some(("location", value)) => Some((CodeKind::Location, value)),
                Some(("custom", value)) => Some((CodeKind::Custom, value)),
                _ => None,
            };
            match kind {
                Some((kind, value)) => codes.push(ContactPointCode {
                    kind,
                    value: value.trim().to_owned(),
                }),
                None => errors.add(
                    &at(16),
                    FieldCode::InvalidCode,
                    "Write codes as classification:…, location:… or custom:…",
                ),
            }
        }
        let input = ContactPointInput {
            name: cell(1).to_owned(),
            description: cell(2).to_owned(),
            internal_note: cell(3).to_owned(),
            group_ids: Vec::new(),
            visible: parse_yes_no(cell(5), &at(5), errors),
            audiences,
            capacity: Some(capacity),
            external_link,
            input_fields: [cell(13), cell(14)]
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            keywords: list(cell(15)),
            codes,
            recipient_system_id: None,
            active: parse_yes_no(cell(18), &at(18), errors),
        };
        let mut field_errors = FieldErrors::new();
        let mut checked = check_point_fields(&mut field_errors, &input);
        for e in field_errors.into_inner() {
            errors.add(&at(point_column(&e.field)), e.code, e.message);
        }
        let mut groups: Vec<String> = list(cell(4))
            .iter()
            .filter_map(|t| names.resolve(t, &at(4), errors))
            .collect();
        groups.sort();
        groups.dedup();
        checked.group_ids = groups;
        let system = cell(17);
        if !system.is_empty() {
            let by_id = recipient_systems.iter().find(|s| s.id == system);
            let by_name: Vec<_> = recipient_systems
                .iter()
                .filter(|s| s.name.eq_ignore_ascii_case(system))
                .collect();
            match (by_id, by_name.as_slice()) {
                (Some(found), _) | (None, &[found]) => {
                    checked.recipient_system_id = Some(found.id.clone());
                }
                _ => errors.add(
                    &at(17),
                    FieldCode::NotARecipientSystem,
                    "Give the id or name of one of the organisation's recipient systems.",
                ),
            }
        }
        point_rows.push(PointRow { id, new, checked });
    }
    point_rows
}

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
