//! Reading the import's two sheets into checked rows: the groups (with their parents, no cycles)
//! and the points (with their groups and recipient system).

use super::*;

pub(super) struct GroupRow {
    pub(super) row: usize,
    pub(super) id: String,
    pub(super) new: bool,
    pub(super) name: String,
    pub(super) description: String,
    pub(super) is_organisational_unit: bool,
    pub(super) parent_ids: Vec<String>,
}

pub(super) struct PointRow {
    pub(super) id: String,
    pub(super) new: bool,
    pub(super) checked: CheckedPoint,
}

/// The groups sheet: fields first, then references (a parent may be on a later row), then
/// no cycles in the structure the import would leave behind.
pub(super) fn read_groups(
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
pub(super) fn read_points(
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
