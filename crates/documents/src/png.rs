//! Uploaded PNG images (INFO-02, issue 29 item 3): decoded whole and written anew as a plain
//! 8-bit RGBA PNG with only IHDR, IDAT and IEND, so nothing an upload carried beside its pixels
//! (ICC profiles, compressed text, private chunks, trailing bytes) is stored or served again.
//! Runs in the upload sandbox's child process.

use std::io::Cursor;

/// Why an uploaded PNG cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PngError {
    #[error("not a readable PNG: {0}")]
    Unreadable(String),
    #[error("{width} × {height} pixels (at most {max_side} × {max_side})")]
    TooLarge {
        width: u32,
        height: u32,
        max_side: u32,
    },
    /// A compressed ancillary chunk (ICC profile, text) that inflates beyond what any logo
    /// carries: refused rather than silently dropped, so the sender learns of it.
    #[error("its {0} chunk inflates to more than {ANCILLARY_LIMIT} bytes")]
    Ancillary(String),
}

/// What one compressed ancillary chunk may inflate to (real ICC profiles are 0.5–500 KB).
pub const ANCILLARY_LIMIT: u64 = 1024 * 1024;

/// Checks every compressed ancillary chunk (`iCCP`, `zTXt`, compressed `iTXt`) by inflating it
/// into a counter, at most [`ANCILLARY_LIMIT`] + 1 bytes.
fn check_ancillary(bytes: &[u8]) -> Result<(), PngError> {
    use std::io::Read;
    let mut at = 8;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = [header[4], header[5], header[6], header[7]];
        let Some(data) = bytes.get(at + 8..(at + 8).saturating_add(length)) else {
            break;
        };
        // The compressed stream starts after a NUL-terminated keyword and a method byte (and,
        // for iTXt, a flag, and NUL-terminated language and translated keyword).
        let compressed = match &kind {
            b"iCCP" | b"zTXt" => data
                .iter()
                .position(|b| *b == 0)
                .and_then(|nul| data.get(nul + 2..)),
            b"iTXt" => data.iter().position(|b| *b == 0).and_then(|nul| {
                if data.get(nul + 1) != Some(&1) {
                    return None;
                }
                let rest = data.get(nul + 3..)?;
                let language = rest.iter().position(|b| *b == 0)?;
                let rest = rest.get(language + 1..)?;
                let translated = rest.iter().position(|b| *b == 0)?;
                rest.get(translated + 1..)
            }),
            _ => None,
        };
        if let Some(compressed) = compressed {
            let inflated = std::io::copy(
                &mut flate2::read::ZlibDecoder::new(compressed).take(ANCILLARY_LIMIT + 1),
                &mut std::io::sink(),
            )
            .unwrap_or(0);
            if inflated > ANCILLARY_LIMIT {
                return Err(PngError::Ancillary(
                    String::from_utf8_lossy(&kind).into_owned(),
                ));
            }
        }
        at = at.saturating_add(12).saturating_add(length);
    }
    Ok(())
}

/// A decoded and re-encoded image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reencoded {
    pub width: u32,
    pub height: u32,
    pub png: Vec<u8>,
}

/// What the decoder may allocate beyond the image itself (ancillary chunks, one row).
const DECODER_LIMIT: usize = 8 * 1024 * 1024;

/// Decodes `bytes` (any colour type and depth, one frame) and encodes the pixels again as
/// 8-bit RGBA. Images wider or taller than `max_side` are refused from the header.
pub fn reencode(bytes: &[u8], max_side: u32) -> Result<Reencoded, PngError> {
    let unreadable = |e: &dyn std::fmt::Display| PngError::Unreadable(e.to_string());
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: DECODER_LIMIT + 4 * (max_side as usize) * (max_side as usize) * 2,
        },
    );
    let (width, height) = {
        let header = decoder.read_header_info().map_err(|e| unreadable(&e))?;
        (header.width, header.height)
    };
    if width > max_side || height > max_side {
        return Err(PngError::TooLarge {
            width,
            height,
            max_side,
        });
    }
    check_ancillary(bytes)?;
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| unreadable(&e))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| PngError::Unreadable("image too large for memory".to_owned()))?;
    let mut pixels = vec![0u8; size];
    let frame = reader.next_frame(&mut pixels).map_err(|e| unreadable(&e))?;
    pixels.truncate(frame.buffer_size());
    let rgba = to_rgba(&pixels, frame.color_type, width, height, frame.line_size)?;
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Balanced);
        let mut writer = encoder.write_header().map_err(|e| unreadable(&e))?;
        writer.write_image_data(&rgba).map_err(|e| unreadable(&e))?;
        writer.finish().map_err(|e| unreadable(&e))?;
    }
    Ok(Reencoded { width, height, png })
}

/// 8-bit pixels of any colour type (after `normalize_to_color8`) as RGBA rows.
fn to_rgba(
    pixels: &[u8],
    color: png::ColorType,
    width: u32,
    height: u32,
    line_size: usize,
) -> Result<Vec<u8>, PngError> {
    let channels = match color {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => {
            return Err(PngError::Unreadable("palette was not expanded".to_owned()))
        }
    };
    let (width, height) = (width as usize, height as usize);
    let mut out = Vec::with_capacity(width * height * 4);
    for row in 0..height {
        let line = pixels
            .get(row * line_size..row * line_size + width * channels)
            .ok_or_else(|| PngError::Unreadable("short image data".to_owned()))?;
        for pixel in line.chunks_exact(channels) {
            let rgba = match *pixel {
                [g] => [g, g, g, 255],
                [g, a] => [g, g, g, a],
                [r, g, b] => [r, g, b, 255],
                [r, g, b, a] => [r, g, b, a],
                _ => unreachable!("chunks_exact gives `channels` bytes"),
            };
            out.extend_from_slice(&rgba);
        }
    }
    Ok(out)
}

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Width and height from the IHDR chunk at the start of a PNG, read as bytes (no decoder): the
/// cheap first check of an upload, and the check of the sandbox's answer.
pub fn header(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(&SIGNATURE) || bytes.get(12..16) != Some(b"IHDR") {
        return None;
    }
    let number = |at: usize| {
        let b = bytes.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    Some((number(16)?, number(20)?))
}

/// `Some((width, height))` when `bytes` are exactly what [`reencode`] writes: the signature,
/// one 13-byte IHDR of non-zero dimensions, IDAT chunks, an empty IEND ending the file, each
/// chunk fitting exactly — the sandbox's check of a child's answer (read as bytes, no
/// decoder).
pub fn plain_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let (width, height) = header(bytes)?;
    if width == 0 || height == 0 {
        return None;
    }
    let mut at = 8;
    let mut index = 0;
    loop {
        let header = bytes.get(at..at + 8)?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        match (index, kind) {
            (0, b"IHDR") if length == 13 => {}
            (0, _) => return None,
            (_, b"IDAT") => {}
            (_, b"IEND") if length == 0 && end == bytes.len() && index > 1 => {
                return Some((width, height))
            }
            _ => return None,
        }
        at = end;
        index += 1;
    }
}

/// The chunk types of a PNG, in order (what the tests look at).
pub fn chunk_types(bytes: &[u8]) -> Vec<[u8; 4]> {
    let mut types = Vec::new();
    let mut at = 8;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        types.push([header[4], header[5], header[6], header[7]]);
        at = at.saturating_add(12).saturating_add(length);
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(color: png::ColorType, depth: png::BitDepth, data: &[u8], side: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, side, side);
            encoder.set_color(color);
            encoder.set_depth(depth);
            if color == png::ColorType::Indexed {
                encoder.set_palette(vec![0, 0, 0, 255, 0, 0]);
            }
            let mut writer = encoder.write_header().unwrap();
            writer
                .write_chunk(png::chunk::ChunkType(*b"tEXt"), b"Comment\0hello")
                .unwrap();
            writer.write_image_data(data).unwrap();
        }
        out
    }

    #[test]
    fn info_02_every_colour_type_comes_back_as_plain_rgba_with_the_same_pixels() {
        let gray = encoded(png::ColorType::Grayscale, png::BitDepth::Eight, &[7; 4], 2);
        let again = reencode(&gray, 10).unwrap();
        assert_eq!((again.width, again.height), (2, 2));
        assert_eq!(chunk_types(&again.png), [*b"IHDR", *b"IDAT", *b"IEND"]);
        assert_eq!(plain_dimensions(&again.png), Some((2, 2)));
        // What the check refuses: other chunks, trailing bytes, a cut file.
        assert_eq!(plain_dimensions(&gray), None);
        let mut trailing = again.png.clone();
        trailing.push(0);
        assert_eq!(plain_dimensions(&trailing), None);
        assert_eq!(plain_dimensions(&again.png[..again.png.len() - 1]), None);
        let mut reader = png::Decoder::new(Cursor::new(&again.png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..4], [7, 7, 7, 255]);

        // A 1-bit palette image: pixel 0 black, pixel 1 red.
        let indexed = encoded(
            png::ColorType::Indexed,
            png::BitDepth::One,
            &[0b0100_0000, 0],
            2,
        );
        let again = reencode(&indexed, 10).unwrap();
        let mut reader = png::Decoder::new(Cursor::new(&again.png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..8], [0, 0, 0, 255, 255, 0, 0, 255]);
    }

    #[test]
    fn issue_29_a_text_chunk_that_inflates_beyond_the_limit_is_refused() {
        use std::io::Write;
        let gray = encoded(png::ColorType::Grayscale, png::BitDepth::Eight, &[7; 4], 2);
        let with_text = |size: usize| {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(&vec![b'A'; size]).unwrap();
            let mut data = b"Comment\0\0".to_vec();
            data.extend_from_slice(&z.finish().unwrap());
            let mut out = Vec::new();
            {
                let mut encoder = png::Encoder::new(&mut out, 2, 2);
                encoder.set_color(png::ColorType::Grayscale);
                let mut writer = encoder.write_header().unwrap();
                writer
                    .write_chunk(png::chunk::ChunkType(*b"zTXt"), &data)
                    .unwrap();
                writer.write_image_data(&[7; 4]).unwrap();
            }
            out
        };
        assert!(reencode(&with_text(1000), 10).is_ok());
        let bomb = with_text(8 * 1024 * 1024);
        assert!(bomb.len() < 20_000, "{}", bomb.len());
        assert_eq!(
            reencode(&bomb, 10),
            Err(PngError::Ancillary("zTXt".to_owned()))
        );
        assert!(reencode(&gray, 10).is_ok());
    }

    #[test]
    fn info_02_too_wide_and_damaged_images_are_refused() {
        let gray = encoded(png::ColorType::Grayscale, png::BitDepth::Eight, &[7; 16], 4);
        assert!(matches!(
            reencode(&gray, 3),
            Err(PngError::TooLarge { width: 4, .. })
        ));
        assert!(matches!(
            reencode(&gray[..gray.len() - 20], 10),
            Err(PngError::Unreadable(_))
        ));
    }
}
