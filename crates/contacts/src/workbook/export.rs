//! The export: the whole structure as a workbook, one row per group and per point (CS-06).

use super::*;

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
