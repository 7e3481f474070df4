//! INFO-02: an uploaded logo is a PNG — checked by its signature, then decoded row by row
//! under explicit limits, so a damaged file is refused and a decompression bomb (a 20,000 ×
//! 20,000 image in a few kilobytes) is refused from its header, before anything its size is
//! allocated.

use std::io::Cursor;

use adgang_api_types::FieldCode;

/// The largest file accepted.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The largest width and height.
pub const MAX_SIDE: u32 = 2000;
/// What the decoder may allocate (one row and its buffers; a 2000-pixel row of 16-bit RGBA is
/// 16 KB).
const DECODER_LIMIT: usize = 4 * 1024 * 1024;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// A checked logo's dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedPng {
    pub width: u32,
    pub height: u32,
}

/// INFO-02: `Ok` when `bytes` are a whole, readable PNG of at most [`MAX_SIDE`] × [`MAX_SIDE`]
/// pixels; else the field code the SPA explains.
pub fn check(bytes: &[u8]) -> Result<CheckedPng, FieldCode> {
    if bytes.len() > MAX_BYTES {
        return Err(FieldCode::TooLarge);
    }
    if !bytes.starts_with(&SIGNATURE) {
        return Err(FieldCode::NotPng);
    }
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: DECODER_LIMIT,
        },
    );
    let (width, height) = {
        let header = decoder
            .read_header_info()
            .map_err(|_| FieldCode::UnreadablePng)?;
        (header.width, header.height)
    };
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(FieldCode::DimensionsTooLarge);
    }
    let mut reader = decoder.read_info().map_err(|_| FieldCode::UnreadablePng)?;
    // Every row, one at a time: a truncated or corrupt stream fails here, and memory stays at
    // one row whatever the image.
    let mut rows = 0u32;
    while reader
        .next_row()
        .map_err(|_| FieldCode::UnreadablePng)?
        .is_some()
    {
        rows += 1;
    }
    if rows < height {
        return Err(FieldCode::UnreadablePng);
    }
    reader.finish().map_err(|_| FieldCode::UnreadablePng)?;
    Ok(CheckedPng { width, height })
}

/// Test images (also for the server's API tests, with the `testing` feature).
#[cfg(any(test, feature = "testing"))]
pub mod samples {
    /// A real PNG of `width` × `height` RGBA pixels, written by the same crate.
    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            let data: Vec<u8> = (0..width * height * 4).map(|i| (i % 251) as u8).collect();
            writer.write_image_data(&data).unwrap();
        }
        out
    }

    /// A "bomb": a header claiming `side` × `side` pixels of one zero colour, compressed into
    /// a few kilobytes by writing the rows as a stream.
    pub fn bomb(side: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, side, side);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::One);
            let mut writer = encoder.write_header().unwrap();
            let mut stream = writer.stream_writer().unwrap();
            let row = vec![0u8; side.div_ceil(8) as usize];
            for _ in 0..side {
                std::io::Write::write_all(&mut stream, &row).unwrap();
            }
            stream.finish().unwrap();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::samples::{bomb, png};
    use super::*;

    #[test]
    fn info_02_a_real_png_passes_with_its_dimensions() {
        assert_eq!(
            check(&png(120, 40)),
            Ok(CheckedPng {
                width: 120,
                height: 40
            })
        );
    }

    #[test]
    fn info_02_jpeg_truncated_png_and_bomb_are_refused() {
        let jpeg = [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        assert_eq!(check(&jpeg), Err(FieldCode::NotPng));
        let whole = png(64, 64);
        assert_eq!(
            check(&whole[..whole.len() / 2]),
            Err(FieldCode::UnreadablePng)
        );
        assert_eq!(check(&SIGNATURE), Err(FieldCode::UnreadablePng));
        let bomb = bomb(20_000);
        assert!(bomb.len() < MAX_BYTES, "{} bytes", bomb.len());
        assert_eq!(check(&bomb), Err(FieldCode::DimensionsTooLarge));
        assert_eq!(check(&vec![0u8; MAX_BYTES + 1]), Err(FieldCode::TooLarge));
    }
}
