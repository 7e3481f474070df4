//! QR codes of links (CS-04, CS-05): SVG and PNG downloads, and vector figures for PDFs.

fn code(url: &str) -> anyhow::Result<qrcode::QrCode> {
    qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| anyhow::anyhow!("the link does not fit a QR code: {e}"))
}

/// The QR code as a PDF figure (vector squares), captioned.
pub fn qr_figure(url: &str, caption: String) -> anyhow::Result<crate::pdf::Figure> {
    let code = code(url)?;
    Ok(crate::pdf::Figure {
        caption,
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    })
}

/// The QR code as an SVG document.
pub fn qr_svg(url: &str) -> anyhow::Result<String> {
    Ok(code(url)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The QR code as a black-and-white PNG, `scale` pixels per module, with a 4-module margin.
pub fn qr_png(url: &str, scale: u32) -> anyhow::Result<Vec<u8>> {
    let code = code(url)?;
    let modules = u32::try_from(code.width())?;
    let quiet = 4;
    let side = (modules + 2 * quiet) * scale;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; (side * side) as usize];
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i as u32 % modules, i as u32 / modules);
            for dy in 0..scale {
                for dx in 0..scale {
                    let x = (mx + quiet) * scale + dx;
                    let y = (my + quiet) * scale + dy;
                    pixels[(y * side + x) as usize] = 0;
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cs_04_qr_codes_render_as_svg_and_png() {
        let svg = qr_svg("https://virk.dk/digital-post/skriv?kontaktpunkt=p-1").unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"));
        let png = qr_png("https://virk.dk/digital-post/skriv?kontaktpunkt=p-1", 4).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn cs_05_a_qr_figure_is_the_code_module_by_module() {
        let url = "https://virk.dk/digital-post/skriv?kontaktpunkt=p-1";
        let figure = qr_figure(url, "QR".into()).unwrap();
        let code = code(url).unwrap();
        assert_eq!(figure.width, code.width());
        assert_eq!(figure.dark.len(), figure.width * figure.width);
        // The finder pattern's top-left corner is dark, the module inside its ring light.
        assert!(figure.dark[0]);
        assert!(!figure.dark[figure.width + 1]);
    }
}
