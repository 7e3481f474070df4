//! INFO-02: an uploaded logo is a PNG. The cheap first line here reads only bytes — size,
//! signature, the dimensions in the IHDR header — so a JPEG or a 20,000 × 20,000 "bomb" is
//! refused at once; the image itself is decoded and written anew as a plain PNG by the upload
//! sandbox (issue 29, `UntrustedFiles::png`), and only that re-encoded image is stored and
//! served to the platforms.

use adgang_api_types::FieldCode;
use adgang_core::ports::FileRefusal;
use adgang_core::DomainError;

/// The largest file accepted.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The largest width and height.
pub const MAX_SIDE: u32 = 2000;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// A logo's dimensions as its header declares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclaredPng {
    pub width: u32,
    pub height: u32,
}

/// INFO-02, first line: `Ok` when `bytes` are at most [`MAX_BYTES`], start with the PNG
/// signature and an IHDR header of at most [`MAX_SIDE`] × [`MAX_SIDE`] pixels; else the field
/// code the SPA explains. Whether the rest is a readable image is the sandbox's answer.
pub fn precheck(bytes: &[u8]) -> Result<DeclaredPng, FieldCode> {
    if bytes.len() > MAX_BYTES {
        return Err(FieldCode::TooLarge);
    }
    if !bytes.starts_with(&SIGNATURE) {
        return Err(FieldCode::NotPng);
    }
    let (width, height) = adgang_documents::png::header(bytes).ok_or(FieldCode::UnreadablePng)?;
    if width == 0 || height == 0 {
        return Err(FieldCode::UnreadablePng);
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(FieldCode::DimensionsTooLarge);
    }
    Ok(DeclaredPng { width, height })
}

/// The problem for a refusal of the sandbox.
pub fn refused(refusal: FileRefusal) -> DomainError {
    if let Some(common) = refusal.common_error("logo") {
        return common;
    }
    match refusal {
        // The child names the pixels when the image is too wide or tall (its header said
        // otherwise, or the pre-check was bypassed), else the chunk that inflates too far.
        FileRefusal::TooLarge(why) if why.contains("pixels") => DomainError::field(
            "logo",
            FieldCode::DimensionsTooLarge,
            format!("The image is too large: {why}."),
        ),
        FileRefusal::TooLarge(why) => DomainError::field(
            "logo",
            FieldCode::TooLarge,
            format!("The image carries too much beside its pixels: {why}."),
        ),
        _ => DomainError::field("logo", FieldCode::UnreadablePng, "Not a usable PNG logo."),
    }
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
            precheck(&png(120, 40)),
            Ok(DeclaredPng {
                width: 120,
                height: 40
            })
        );
    }

    #[test]
    fn info_02_jpeg_headerless_png_and_bomb_are_refused_from_their_bytes() {
        let jpeg = [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        assert_eq!(precheck(&jpeg), Err(FieldCode::NotPng));
        assert_eq!(precheck(&SIGNATURE), Err(FieldCode::UnreadablePng));
        let bomb = bomb(20_000);
        assert!(bomb.len() < MAX_BYTES, "{} bytes", bomb.len());
        assert_eq!(precheck(&bomb), Err(FieldCode::DimensionsTooLarge));
        assert_eq!(
            precheck(&vec![0u8; MAX_BYTES + 1]),
            Err(FieldCode::TooLarge)
        );
    }
}
