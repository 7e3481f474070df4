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
}
