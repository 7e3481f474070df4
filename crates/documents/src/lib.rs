//! Documents the portal hands out, rendered from plain data: PDF receipts and reports
//! ([`pdf`]) and Excel workbooks ([`xlsx`]). No domain knowledge lives here.

pub mod pdf;
pub mod xlsx;
