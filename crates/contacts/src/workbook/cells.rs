//! Reading an uploaded workbook's cells: a sheet's columns found by heading, yes/no, numbers and
//! lists in a cell, the address of a cell ("Kontaktpunkter!P7"), group references and row ids.

use super::*;

/// One sheet of the upload with its columns found by their headings (any order; extra
/// columns are ignored).
pub(super) struct Table<'a> {
    pub(super) sheet: &'static str,
    /// For each expected column, its index in the sheet.
    pub(super) columns: Vec<usize>,
    /// (Excel row number, cells) of every row below the header that is not blank.
    pub(super) rows: Vec<(usize, &'a [String])>,
}

impl Table<'_> {
    pub(super) fn find<'a>(
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

    pub(super) fn cell<'c>(&self, cells: &'c [String], column: usize) -> &'c str {
        cells
            .get(self.columns[column])
            .map(|c| c.trim())
            .unwrap_or_default()
    }

    /// "Kontaktpunkter!P7".
    pub(super) fn address(&self, row: usize, column: usize) -> String {
        format!(
            "{}!{}{row}",
            self.sheet,
            column_letters(self.columns[column])
        )
    }
}

pub(super) fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn parse_yes_no(cell: &str, address: &str, errors: &mut FieldErrors) -> bool {
    match cell.to_lowercase().as_str() {
        "ja" | "j" | "yes" | "true" | "1" | "x" => true,
        "nej" | "n" | "no" | "false" | "0" | "" => false,
        _ => {
            errors.add(address, FieldCode::InvalidYesNo, "Write \"Ja\" or \"Nej\".");
            false
        }
    }
}

pub(super) fn parse_number<T: std::str::FromStr>(
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
pub(super) fn point_column(field: &str) -> usize {
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
pub(super) struct GroupNames {
    pub(super) by_workbook_id: HashMap<String, String>,
    pub(super) stored: HashSet<String>,
    pub(super) by_name: HashMap<String, Vec<String>>,
}

impl GroupNames {
    pub(super) fn resolve(
        &self,
        token: &str,
        address: &str,
        errors: &mut FieldErrors,
    ) -> Option<String> {
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
pub(super) fn target_id(
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
