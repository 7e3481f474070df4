//! CSV that Danish Excel opens as it should: UTF-8 with a byte-order mark (else æøå
//! turn to mojibake), `;` as the separator (Danish Excel's list separator), CRLF line ends.
//! A cell that Excel would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) is
//! prefixed with `'`, as OWASP advises against CSV injection: log columns hold text senders chose.

/// The byte-order mark a file starts with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes rows into an in-memory buffer; [`CsvChunk::take`] hands over what is written so far,
/// so a long file is produced (and streamed) piece by piece in constant memory.
pub struct CsvChunk {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvChunk {
    /// An empty chunk; `headings` (with the BOM before them) when it starts the file.
    pub fn new(headings: Option<&[&str]>) -> anyhow::Result<CsvChunk> {
        let mut buffer = Vec::with_capacity(64 * 1024);
        if headings.is_some() {
            buffer.extend_from_slice(BOM);
        }
        let mut chunk = CsvChunk {
            writer: csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(buffer),
        };
        if let Some(headings) = headings {
            chunk.writer.write_record(headings)?;
        }
        Ok(chunk)
    }

    /// One row; text cells are guarded against formula injection.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> anyhow::Result<()> {
        for cell in cells {
            self.writer.write_field(guard(cell).as_bytes())?;
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// The bytes written.
    pub fn take(self) -> anyhow::Result<Vec<u8>> {
        self.writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("csv buffer: {e}"))
    }
}

fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_05_a_file_starts_with_the_bom_and_uses_semicolons_and_quotes_where_needed() {
        let mut chunk = CsvChunk::new(Some(&["Titel", "Hændelse"])).unwrap();
        chunk.row(["Brev; om æøå", "Sendt"]).unwrap();
        chunk.row(["=HYPERLINK(\"x\")", "-1"]).unwrap();
        let bytes = chunk.take().unwrap();
        assert!(bytes.starts_with(BOM));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(
            text,
            "Titel;Hændelse\r\n\"Brev; om æøå\";Sendt\r\n\"'=HYPERLINK(\"\"x\"\")\";'-1\r\n"
        );
    }

    #[test]
    fn x_05_a_continuation_chunk_has_neither_bom_nor_headings() {
        let mut chunk = CsvChunk::new(None).unwrap();
        chunk.row(["a", "b"]).unwrap();
        assert_eq!(chunk.take().unwrap(), b"a;b\r\n");
    }
}
