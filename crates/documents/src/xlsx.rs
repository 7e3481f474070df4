//! Excel workbooks (.xlsx) that open cleanly in Excel: a bold, frozen header row with a
//! filter, sensible column widths, text cells (ids and CVR numbers keep their leading zeros).

use rust_xlsxwriter::{Format, Workbook};

pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn workbook(sheets: &[Sheet]) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        let mut widths: Vec<usize> = sheet.headers.iter().map(|h| h.chars().count()).collect();
        for (col, header) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, u16::try_from(col)?, header, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1)?;
            for (col, value) in row.iter().enumerate() {
                ws.write_string(r, u16::try_from(col)?, value)?;
                if let Some(w) = widths.get_mut(col) {
                    *w = (*w).max(value.chars().count());
                }
            }
        }
        for (col, width) in widths.iter().enumerate() {
            ws.set_column_width(u16::try_from(col)?, (*width).clamp(8, 60) as f64 + 2.0)?;
        }
        ws.set_freeze_panes(1, 0)?;
        if !sheet.headers.is_empty() {
            let last_col = u16::try_from(sheet.headers.len() - 1)?;
            let last_row = u32::try_from(sheet.rows.len())?;
            ws.autofilter(0, 0, last_row, last_col)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// A worksheet read back from an uploaded workbook: every cell as text, row by row (row 0 is
/// the header when there is one). Whole numbers read as integers ("10", not "10.0"), so a
/// number typed into Excel reads the same as the text we wrote.
pub struct ReadSheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// Why an uploaded workbook was not read.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("not a readable workbook: {0}")]
    Unreadable(String),
    /// Beyond [`UploadLimits`]: refused before the reader could allocate for it.
    #[error("the workbook is too large: {0}")]
    TooLarge(String),
}

fn unreadable(e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::Unreadable(e.to_string())
}

/// What an uploaded workbook may hold (issue 13 item 1). The reader allocates for the declared
/// shared-string count and for the whole used range (`A1` and `XFD1048576` alone make 17
/// billion cells), so both are checked on the archive first — with the real, decompressed
/// sizes, not the sizes the archive declares.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub entries: usize,
    pub entry_bytes: u64,
    pub total_bytes: u64,
    pub shared_strings: u64,
    pub rows: u64,
    pub columns: u64,
    pub cells: u64,
}

/// Ten times the contact structure's largest sensible export, and far below the memory a
/// reader could take.
pub const UPLOAD_LIMITS: UploadLimits = UploadLimits {
    entries: 500,
    entry_bytes: 64 * 1024 * 1024,
    total_bytes: 128 * 1024 * 1024,
    shared_strings: 1_000_000,
    rows: 100_000,
    columns: 200,
    cells: 2_000_000,
};

/// Checks `bytes` against `limits` without parsing the workbook.
pub fn check_upload(bytes: &[u8], limits: &UploadLimits) -> Result<(), WorkbookError> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > limits.entries {
        return Err(WorkbookError::TooLarge(format!(
            "{} parts (at most {})",
            archive.len(),
            limits.entries
        )));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(unreadable)?;
        let name = entry.name().map_err(unreadable)?.into_owned();
        let is_sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let is_strings = name == "xl/sharedStrings.xml";
        // Read one byte past the limit, whatever size the archive declares.
        let mut content = Vec::new();
        let read = entry
            .take(limits.entry_bytes + 1)
            .read_to_end(&mut content)
            .map_err(unreadable)? as u64;
        if read > limits.entry_bytes {
            return Err(WorkbookError::TooLarge(format!(
                "{name} unpacks to more than {} bytes",
                limits.entry_bytes
            )));
        }
        total += read;
        if total > limits.total_bytes {
            return Err(WorkbookError::TooLarge(format!(
                "the parts unpack to more than {} bytes",
                limits.total_bytes
            )));
        }
        if is_strings {
            // The reader reserves room for the declared counts before reading one string.
            let head = &content[..content.len().min(4096)];
            let declared = [
                ("uniqueCount", limits.shared_strings),
                ("count", limits.shared_strings * 10),
            ];
            for (attribute, most) in declared {
                if let Some(n) = attribute_number(head, attribute).filter(|n| *n > most) {
                    return Err(WorkbookError::TooLarge(format!(
                        "{n} shared strings declared ({attribute}, at most {most})"
                    )));
                }
            }
        }
        if is_sheet {
            let (rows, columns) = used_range(&content);
            if rows > limits.rows || columns > limits.columns || rows * columns > limits.cells {
                return Err(WorkbookError::TooLarge(format!(
                    "{name} spans {rows} rows × {columns} columns (at most {} × {}, {} cells)",
                    limits.rows, limits.columns, limits.cells
                )));
            }
        }
    }
    Ok(())
}

/// The number in `name="…"` within `xml`, when present and numeric.
fn attribute_number(xml: &[u8], name: &str) -> Option<u64> {
    let key = format!(" {name}=\"");
    let at = xml.windows(key.len()).position(|w| w == key.as_bytes())? + key.len();
    let digits: Vec<u8> = xml[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// The largest row and column any cell, row or dimension reference of a worksheet's XML names
/// (`r="XFD1048576"`, `<row r="7">`, `ref="A1:C9"`), 1-based.
fn used_range(xml: &[u8]) -> (u64, u64) {
    let (mut rows, mut columns) = (0u64, 0u64);
    let mut note = |reference: &[u8]| {
        let letters = reference
            .iter()
            .take_while(|b| b.is_ascii_uppercase())
            .count();
        let column = reference[..letters].iter().fold(0u64, |n, b| {
            n.saturating_mul(26).saturating_add(u64::from(b - b'A' + 1))
        });
        let row = reference[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .fold(0u64, |n, b| {
                n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
            });
        rows = rows.max(row);
        columns = columns.max(column);
    };
    for key in [&b" r=\""[..], &b" ref=\""[..]] {
        let mut rest = xml;
        while let Some(at) = rest.windows(key.len()).position(|w| w == key) {
            rest = &rest[at + key.len()..];
            let end = rest.iter().position(|b| *b == b'"').unwrap_or(rest.len());
            for part in rest[..end].split(|b| *b == b':') {
                note(part);
            }
        }
    }
    (rows, columns)
}

/// Reads every worksheet of an uploaded .xlsx file within [`UPLOAD_LIMITS`].
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<ReadSheet>, WorkbookError> {
    use calamine::{Data, Reader, Xlsx};
    check_upload(bytes, &UPLOAD_LIMITS)?;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(unreadable)?;
        // The range starts at the first used cell; pad so indexes are real row/column numbers.
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows = vec![Vec::new(); top as usize];
        for row in range.rows() {
            let mut cells = vec![String::new(); left as usize];
            cells.extend(row.iter().map(|cell| match cell {
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Empty => String::new(),
                other => other.to_string(),
            }));
            rows.push(cells);
        }
        sheets.push(ReadSheet { name, rows });
    }
    Ok(sheets)
}

/// "A", "B", … "Z", "AA": the column letters of a 0-based column index.
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The workbook `original` with one part replaced (or added) — how the tests and the upload
/// fuzzer (`adgang-server fuzz-files`) make hostile workbooks from real ones.
pub fn replace_part(original: &[u8], part: &str, content: &[u8]) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index(i)?;
        if entry.name()? != part {
            out.raw_copy_file(entry)?;
        }
    }
    out.start_file(part, zip::write::SimpleFileOptions::default())?;
    out.write_all(content)?;
    Ok(out.finish()?.into_inner())
}

/// The names and unpacked contents of a workbook's parts (at most `limit` bytes each).
pub fn parts(bytes: &[u8], limit: u64) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i)?;
        let name = entry.name()?.into_owned();
        let mut content = Vec::new();
        entry.take(limit).read_to_end(&mut content)?;
        parts.push((name, content));
    }
    Ok(parts)
}

/// How the tests make hostile workbooks (feature `testing`; the API tests use it too).
#[cfg(any(test, feature = "testing"))]
pub mod testing {
    /// A real workbook with one part replaced (or added).
    pub fn with_part(original: &[u8], part: &str, content: &[u8]) -> Vec<u8> {
        super::replace_part(original, part, content).expect("a workbook with a part replaced")
    }
}

#[cfg(test)]
mod tests {
    use super::testing::with_part;
    use super::*;
    use calamine::{Reader, Xlsx};

    /// A workbook of one sheet `name` with `headers` and one row of `cells`.
    fn one_sheet_book(name: &str, headers: &[&str], cells: &[&str]) -> Vec<u8> {
        workbook(&[Sheet {
            name: name.to_owned(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: vec![cells.iter().map(|c| c.to_string()).collect()],
        }])
        .unwrap()
    }

    fn small_book() -> Vec<u8> {
        one_sheet_book("Ark", &["Navn"], &["Æble"])
    }

    fn refused(bytes: &[u8]) -> String {
        match read_workbook(bytes) {
            Err(WorkbookError::TooLarge(why)) => why,
            Err(other) => panic!("refused for another reason: {other}"),
            Ok(_) => panic!("read"),
        }
    }

    #[test]
    fn issue_13_a_17_billion_cell_range_is_refused_before_reading() {
        let sheet = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>"#;
        let bomb = with_part(&small_book(), "xl/worksheets/sheet1.xml", sheet);
        assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
        let why = refused(&bomb);
        assert!(why.contains("1048576 rows × 16384 columns"), "{why}");
    }

    #[test]
    fn issue_13_a_trillion_declared_shared_strings_are_refused() {
        let strings = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>Navn</t></si></sst>"#;
        let bomb = with_part(&small_book(), "xl/sharedStrings.xml", strings);
        let why = refused(&bomb);
        assert!(why.contains("1000000000000 shared strings"), "{why}");
    }

    #[test]
    fn issue_13_a_part_that_unpacks_beyond_the_limit_is_refused_whatever_it_declares() {
        // 70 MB of zeros compress to ~70 KB.
        let zeros = vec![b' '; 70 * 1024 * 1024];
        let bomb = with_part(&small_book(), "xl/padding.xml", &zeros);
        assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
        let why = refused(&bomb);
        assert!(why.contains("unpacks to more than"), "{why}");
    }

    #[test]
    fn issue_13_an_ordinary_workbook_passes_the_limits() {
        let sheets = read_workbook(&small_book()).unwrap();
        assert_eq!(sheets[0].rows[1], ["Æble"]);
        assert_eq!(
            used_range(br#"<dimension ref="A1:C9"/><c r="B12">"#),
            (12, 3)
        );
    }

    #[test]
    fn a_workbook_reads_back_with_danish_letters_and_leading_zeros() {
        let bytes = one_sheet_book(
            "Systemer",
            &["Navn", "CVR"],
            &["Modtagersystem Ærø", "01234567"],
        );
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Systemer").unwrap();
        assert_eq!(range.get_value((0, 0)).unwrap().to_string(), "Navn");
        assert_eq!(
            range.get_value((1, 0)).unwrap().to_string(),
            "Modtagersystem Ærø"
        );
        assert_eq!(range.get_value((1, 1)).unwrap().to_string(), "01234567");
    }

    #[test]
    fn read_workbook_gives_text_cells_and_whole_numbers_without_decimals() {
        let bytes = one_sheet_book("Ark", &["Navn", "Antal"], &["Ærø", "7"]);
        let sheets = read_workbook(&bytes).unwrap();
        assert_eq!(sheets[0].name, "Ark");
        assert_eq!(
            sheets[0].rows,
            vec![vec!["Navn", "Antal"], vec!["Ærø", "7"]]
        );
        assert!(read_workbook(b"not a workbook").is_err());
    }

    #[test]
    fn column_letters_count_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(18), "S");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
