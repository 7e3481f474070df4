//! Hostile uploads, one per class of issue 29, for the API tests and `cargo xtask bench
//! uploads` (feature `testing`). Each passes the cheap first-line checks, so only the upload
//! sandbox's limits stand in its way.

use std::io::Write;

/// An 8 KB PDF whose object stream puts 3,000 objects at the start of one 200,000-element
/// array, its `/N` written `+3000` (which the object-stream pre-check does not read as a
/// number), with a cross-reference table the parser accepts: gigabytes and minutes of work
/// for a reader in-process.
pub fn pdf_object_stream_bomb() -> Vec<u8> {
    let header: String = (0..3_000).map(|i| format!("{} 0 ", 10 + i)).collect();
    let content = format!("{header}[{}]", "0 ".repeat(200_000));
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let object_at = pdf.len();
    let data = deflated(content.as_bytes());
    pdf.extend_from_slice(
        format!(
            "1 0 obj\n<< /Type /ObjStm /N +3000 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
            header.len(),
            data.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&data);
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let xref_at = pdf.len();
    pdf.extend_from_slice(
        format!(
            "xref\n0 2\n0000000000 65535 f \n{object_at:010} 00000 n \ntrailer\n<< /Size 2 >>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    pdf
}

/// A 2–3 KB workbook whose sheet declares its used range in single quotes (the pre-check looks
/// for double quotes): the reader reserves 17 billion cells.
pub fn workbook_range_bomb() -> Vec<u8> {
    let book = crate::xlsx::workbook(&[crate::xlsx::Sheet {
        name: "Kontaktpunkter".into(),
        headers: vec!["Navn".into()],
        rows: vec![vec!["Borgerservice".into()]],
    }])
    .expect("a workbook");
    let sheet = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref='A1:XFD1048576'/><sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>a</t></is></c></row><row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>b</t></is></c></row></sheetData></worksheet>"#;
    crate::xlsx::replace_part(&book, "xl/worksheets/sheet1.xml", sheet).expect("a workbook")
}

/// `png` with a compressed ancillary chunk (`kind` is `zTXt` or `iCCP`) of `size` zero bytes
/// inserted after its IHDR.
pub fn png_with_compressed_chunk(png: &[u8], kind: &[u8; 4], size: usize) -> Vec<u8> {
    let mut data = b"keyword\0\0".to_vec();
    data.extend_from_slice(&deflated(&vec![0u8; size]));
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(&data);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    let ihdr_end = 8 + 25;
    let mut out = png[..ihdr_end].to_vec();
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[ihdr_end..]);
    out
}

fn deflated(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(bytes).expect("writing to memory");
    z.finish().expect("writing to memory")
}

/// The CRC-32 of a PNG chunk's type and data.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
