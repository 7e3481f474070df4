//! Documents the portal hands out, rendered from plain data: PDF receipts and reports
//! ([`pdf`]), Excel workbooks ([`xlsx`]), CSV for Excel ([`csv`]) and QR codes ([`qr`]) — and
//! the readers of uploads ([`xlsx::read_workbook`], [`pdf::uploaded_page_count`],
//! [`png::reencode`]), which only the upload sandbox's child process calls (issue 29). No domain knowledge lives here;
//! times arrive formatted (`adgang_core::time::danish_time`).

pub mod bulk;
pub mod csv;
/// Hostile uploads for tests and benchmarks (issue 29).
#[cfg(any(test, feature = "testing"))]
pub mod hostile;
pub mod pdf;
pub mod png;
pub mod qr;
pub mod xlsx;

/// "Ja" or "Nej", as documents and workbooks write a yes/no value.
pub fn yes_no(value: bool) -> String {
    if value { "Ja" } else { "Nej" }.to_owned()
}
