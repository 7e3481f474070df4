//! Simple, text-only PDF reports (receipts, overviews): a title, a line under it, and
//! sections of label/value pairs, A4, paginated. Helvetica with WinAnsiEncoding, so Danish
//! letters (æ, ø, å, é …) render and extract correctly without embedding a font.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};

/// One labelled value.
pub type Field = (String, String);

pub struct Section {
    pub heading: String,
    pub fields: Vec<Field>,
}

pub struct Report {
    pub title: String,
    /// A line under the title, e.g. "Oprettet 26.11.2026 kl. 14:03 af …".
    pub subtitle: String,
    pub sections: Vec<Section>,
    /// Square black-and-white figures (QR codes) after the sections, side by side.
    pub figures: Vec<Figure>,
}

/// A square matrix of dark and light modules (a QR code), drawn as vector squares so it
/// scans at any zoom and prints sharply.
pub struct Figure {
    pub caption: String,
    /// Modules per side.
    pub width: usize,
    /// Row by row, `width * width` entries; true = dark.
    pub dark: Vec<bool>,
}

/// The side of a drawn figure in points (≈ 4.9 cm), and the space between figures.
const FIGURE_SIZE: f32 = 140.0;
const FIGURE_GAP: i64 = 40;

const PAGE_WIDTH: i64 = 595;
const PAGE_HEIGHT: i64 = 842;
const MARGIN: i64 = 56;
const VALUE_X: i64 = 230;
/// Characters per value line (Helvetica 10 pt in ~310 pt).
const VALUE_WRAP: usize = 58;

/// The text as WinAnsiEncoding bytes (Windows-1252); characters outside it become `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// Splits a value into lines of at most `width` characters, at spaces where possible (long
/// tokens such as keys and URLs are cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let mut word = word.to_owned();
            while word.chars().count() > width {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                lines.push(head);
            }
            let needed =
                line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
            if needed > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    lines
}

struct Pages {
    pages: Vec<Vec<Operation>>,
    y: i64,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            pages: vec![Vec::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    fn text(&mut self, font: &str, size: i64, x: i64, text: &str) {
        let ops = self.pages.last_mut().expect("a page");
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new("Tf", vec![font.into(), size.into()]));
        ops.push(Operation::new("Td", vec![x.into(), self.y.into()]));
        ops.push(Operation::new(
            "Tj",
            vec![Object::string_literal(win_ansi(text))],
        ));
        ops.push(Operation::new("ET", vec![]));
    }

    /// Draws `figure` with its top-left corner at (x, top).
    fn figure(&mut self, x: i64, top: i64, figure: &Figure) {
        let ops = self.pages.last_mut().expect("a page");
        let module = FIGURE_SIZE / figure.width.max(1) as f32;
        ops.push(Operation::new("q", vec![]));
        ops.push(Operation::new("g", vec![0.into()]));
        for (i, dark) in figure.dark.iter().enumerate() {
            if *dark {
                let (col, row) = (i % figure.width, i / figure.width);
                ops.push(Operation::new(
                    "re",
                    vec![
                        (x as f32 + col as f32 * module).into(),
                        (top as f32 - (row + 1) as f32 * module).into(),
                        module.into(),
                        module.into(),
                    ],
                ));
            }
        }
        ops.push(Operation::new("f", vec![]));
        ops.push(Operation::new("Q", vec![]));
    }

    /// Moves down `height`, starting a new page when the bottom margin is reached.
    fn advance(&mut self, height: i64) {
        self.y -= height;
        if self.y < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }
}

pub fn render(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut pages = Pages::new();
    pages.text("F2", 16, MARGIN, &report.title);
    pages.advance(20);
    pages.text("F1", 10, MARGIN, &report.subtitle);
    pages.advance(26);
    for section in &report.sections {
        if pages.y < MARGIN + 60 {
            pages.advance(PAGE_HEIGHT);
        }
        pages.text("F2", 12, MARGIN, &section.heading);
        pages.advance(18);
        for (label, value) in &section.fields {
            pages.text("F2", 10, MARGIN, label);
            let value = if value.is_empty() {
                "–"
            } else {
                value.as_str()
            };
            for (i, line) in wrap(value, VALUE_WRAP).iter().enumerate() {
                if i > 0 {
                    pages.advance(13);
                }
                pages.text("F1", 10, VALUE_X, line);
            }
            pages.advance(16);
        }
        pages.advance(8);
    }

    if !report.figures.is_empty() && pages.y < MARGIN + FIGURE_SIZE as i64 + 24 {
        pages.advance(PAGE_HEIGHT);
    }
    let top = pages.y;
    for (i, figure) in report.figures.iter().enumerate() {
        let x = MARGIN + i64::try_from(i)? * (FIGURE_SIZE as i64 + FIGURE_GAP);
        pages.y = top;
        pages.text("F2", 10, x, &figure.caption);
        pages.figure(x, top - 8, figure);
    }
    if !report.figures.is_empty() {
        pages.y = top;
    }

    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = |doc: &mut Document, base: &str| -> ObjectId {
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => base,
            "Encoding" => "WinAnsiEncoding",
        })
    };
    let regular = font(&mut doc, "Helvetica");
    let bold = font(&mut doc, "Helvetica-Bold");
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
    });
    let mut kids = Vec::new();
    for operations in pages.pages {
        let content = Content { operations };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode()?));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::from(page_id));
    }
    let count = i64::try_from(kids.len())?;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)?;
    Ok(bytes)
}

/// All text of a PDF, page by page (what a reader would extract); for tests and checks.
pub fn extract_text(pdf: &[u8]) -> anyhow::Result<String> {
    let doc = Document::load_mem(pdf)?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    Ok(doc.extract_text(&pages)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_survive_a_round_trip() {
        let report = Report {
            figures: Vec::new(),
            title: "Kvittering for oprettelse af system".into(),
            subtitle: "Oprettet af Søren Ærø – Æblegården ApS".into(),
            sections: vec![Section {
                heading: "Teknisk kontakt".into(),
                fields: vec![
                    ("E-mail".into(), "drift@grønå.dk".into()),
                    ("Lang værdi".into(), "x".repeat(200)),
                ],
            }],
        };
        let text = extract_text(&render(&report).unwrap()).unwrap();
        for expected in [
            "Kvittering for oprettelse",
            "Søren Ærø",
            "Æblegården",
            "drift@grønå.dk",
        ] {
            assert!(text.contains(expected), "{expected} missing in {text}");
        }
    }

    #[test]
    fn long_reports_get_more_pages() {
        let fields: Vec<Field> = (0..120)
            .map(|i| (format!("Felt {i}"), "værdi".into()))
            .collect();
        let report = Report {
            figures: Vec::new(),
            title: "Systemoversigt".into(),
            subtitle: String::new(),
            sections: vec![Section {
                heading: "Alle".into(),
                fields,
            }],
        };
        let doc = Document::load_mem(&render(&report).unwrap()).unwrap();
        assert!(doc.get_pages().len() >= 3);
    }

    #[test]
    fn figures_are_drawn_as_one_square_per_dark_module() {
        let dark = vec![true, false, false, true, true, false, false, false, true];
        let report = Report {
            title: "Kvittering".into(),
            subtitle: String::new(),
            sections: Vec::new(),
            figures: vec![Figure {
                caption: "QR-kode til borger.dk".into(),
                width: 3,
                dark,
            }],
        };
        let bytes = render(&report).unwrap();
        assert!(extract_text(&bytes)
            .unwrap()
            .contains("QR-kode til borger.dk"));
        let doc = Document::load_mem(&bytes).unwrap();
        let page = *doc.get_pages().values().next().unwrap();
        let content = Content::decode(&doc.get_page_content(page)).unwrap();
        let squares = content
            .operations
            .iter()
            .filter(|op| op.operator == "re")
            .count();
        assert_eq!(squares, 4);
    }
}

/// Why an uploaded PDF cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadedPdfError {
    /// It does not parse as a PDF (the parser's words).
    Unreadable(String),
    /// It is password-protected, so we could not read it later.
    Encrypted,
    /// It is built to cost the parser far more than its size (issue 13 item 2).
    Hostile(String),
}

/// Objects one object stream may hold in an upload (real documents use ≤ 100–200).
const UPLOAD_OBJECTS_PER_STREAM: u64 = 10_000;
/// What any one stream of an upload may decompress to.
const UPLOAD_STREAM_BYTES: usize = 16 * 1024 * 1024;

/// Reads an uploaded PDF and counts its pages, after [`check_object_streams`] and with every
/// stream's decompression bounded.
pub fn uploaded_page_count(bytes: &[u8]) -> Result<usize, UploadedPdfError> {
    check_object_streams(bytes)?;
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(UPLOAD_STREAM_BYTES),
        ..Default::default()
    };
    let document = Document::load_mem_with_options(bytes, options)
        .map_err(|err| UploadedPdfError::Unreadable(err.to_string()))?;
    if document.is_encrypted() {
        return Err(UploadedPdfError::Encrypted);
    }
    Ok(document.get_pages().len())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The integer after `key` (e.g. `/N 3`) in a dictionary's bytes.
fn dictionary_integer(dictionary: &[u8], key: &[u8]) -> Option<u64> {
    let mut rest = dictionary;
    while let Some(at) = find(rest, key) {
        rest = &rest[at + key.len()..];
        // `/N` must not match `/Names`: the key ends at whitespace.
        if rest.first().is_some_and(|b| b.is_ascii_whitespace()) {
            let digits: Vec<u8> = rest
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            return std::str::from_utf8(&digits).ok()?.parse().ok();
        }
    }
    None
}

/// Issue 13 item 2: a PDF's object streams are checked on the raw bytes before any parser sees
/// them. An object stream lists `N` pairs (object number, offset) in increasing offset order;
/// a 968-byte file pointing thousands of objects at one 200,000-element array made the parser
/// build that array once per pointer (1.1 GB, 45 s). Offsets that do not increase, or more
/// objects than any real document holds, refuse the upload.
fn check_object_streams(bytes: &[u8]) -> Result<(), UploadedPdfError> {
    use std::io::Read;
    let hostile = |why: String| Err(UploadedPdfError::Hostile(why));
    let mut position = 0;
    while let Some(found) = find(&bytes[position..], b"/ObjStm") {
        let at = position + found;
        position = at + 7;
        // The dictionary: back to its object's `obj`, on to its `stream` keyword.
        let start = bytes[..at]
            .windows(3)
            .rposition(|w| w == b"obj")
            .unwrap_or(0);
        let Some(stream_at) = find(&bytes[at..], b"stream").map(|i| at + i) else {
            continue;
        };
        let dictionary = &bytes[start..stream_at];
        let objects = dictionary_integer(dictionary, b"/N").unwrap_or(0);
        if objects > UPLOAD_OBJECTS_PER_STREAM {
            return hostile(format!("an object stream declares {objects} objects"));
        }
        let first = dictionary_integer(dictionary, b"/First").unwrap_or(0) as usize;
        let mut data_at = stream_at + b"stream".len();
        while bytes
            .get(data_at)
            .is_some_and(|b| *b == b'\r' || *b == b'\n')
        {
            data_at += 1;
        }
        let data_end = find(&bytes[data_at..], b"endstream").map_or(bytes.len(), |i| data_at + i);
        let raw = &bytes[data_at..data_end];
        // Only the header (the first `First` bytes) is needed.
        let mut header = Vec::new();
        if find(dictionary, b"/FlateDecode").is_some() {
            let _ = flate2::read::ZlibDecoder::new(raw)
                .take(first.min(UPLOAD_STREAM_BYTES) as u64)
                .read_to_end(&mut header);
        } else {
            header.extend_from_slice(&raw[..first.min(raw.len())]);
        }
        let numbers: Vec<u64> = header
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !t.is_empty())
            .map_while(|t| std::str::from_utf8(t).ok()?.parse().ok())
            .take(2 * objects as usize)
            .collect();
        let offsets: Vec<u64> = numbers.iter().skip(1).step_by(2).copied().collect();
        if offsets.windows(2).any(|pair| pair[1] <= pair[0]) {
            return hostile("objects of an object stream share or reorder offsets".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod upload_tests {
    use super::*;
    use std::io::Write;

    /// A PDF whose one object stream holds `offsets.len()` objects at those offsets, all but
    /// the page tree being one array of `elements` numbers.
    fn with_object_stream(offsets: &[usize], elements: usize) -> Vec<u8> {
        let array = format!("[{}]", "0 ".repeat(elements));
        let header: String = offsets
            .iter()
            .enumerate()
            .map(|(i, offset)| format!("{} {offset} ", 10 + i))
            .collect();
        let content = format!("{header}{array}");
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(content.as_bytes()).unwrap();
        let data = encoder.finish().unwrap();
        let mut pdf = b"%PDF-1.5\n".to_vec();
        pdf.extend_from_slice(
            format!(
                "1 0 obj\n<< /Type /ObjStm /N {} /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
                offsets.len(),
                header.len(),
                data.len()
            )
            .as_bytes(),
        );
        pdf.extend_from_slice(&data);
        pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Size 2 >>\n%%EOF\n");
        pdf
    }

    #[test]
    fn issue_13_objects_pointing_at_one_offset_are_refused_before_parsing() {
        let bomb = with_object_stream(&vec![0; 3_000], 200_000);
        assert!(bomb.len() < 10_000, "a small file: {} bytes", bomb.len());
        let refused = uploaded_page_count(&bomb);
        assert!(
            matches!(&refused, Err(UploadedPdfError::Hostile(why)) if why.contains("share")),
            "{refused:?}"
        );
    }

    #[test]
    fn issue_13_an_object_stream_with_too_many_objects_is_refused() {
        let offsets: Vec<usize> = (0..20_000).collect();
        let refused = uploaded_page_count(&with_object_stream(&offsets, 1));
        assert!(
            matches!(&refused, Err(UploadedPdfError::Hostile(why)) if why.contains("20000 objects")),
            "{refused:?}"
        );
    }

    #[test]
    fn issue_13_an_ordinary_object_stream_passes_the_check() {
        assert_eq!(
            check_object_streams(&with_object_stream(&[0, 4, 8], 1)),
            Ok(())
        );
        // Our own receipts parse as before.
        let report = Report {
            title: "Kvittering".into(),
            subtitle: String::new(),
            sections: Vec::new(),
            figures: Vec::new(),
        };
        assert_eq!(uploaded_page_count(&render(&report).unwrap()), Ok(1));
    }
}
