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

/// Reads every worksheet of an .xlsx file; `Err` when the bytes are not a readable workbook.
pub fn read_workbook(bytes: &[u8]) -> anyhow::Result<Vec<ReadSheet>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    #[test]
    fn a_workbook_reads_back_with_danish_letters_and_leading_zeros() {
        let bytes = workbook(&[Sheet {
            name: "Systemer".into(),
            headers: vec!["Navn".into(), "CVR".into()],
            rows: vec![vec!["Modtagersystem Ærø".into(), "01234567".into()]],
        }])
        .unwrap();
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
        let bytes = workbook(&[Sheet {
            name: "Ark".into(),
            headers: vec!["Navn".into(), "Antal".into()],
            rows: vec![vec!["Ærø".into(), "7".into()]],
        }])
        .unwrap();
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
