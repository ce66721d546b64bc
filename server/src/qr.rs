//! QR images of ticket codes: SVG for pages (sharp at any size), PNG for emails and downloads.
//! Level M error correction and the standard four-module quiet zone, so phones scan them from a
//! screen or from paper.

use qrcode::{render::svg, Color, EcLevel, QrCode};

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("the text is too long for a QR code")]
    TooLong,
    #[error("cannot encode the PNG image: {0}")]
    Png(String),
}

const QUIET_ZONE: usize = 4;

fn encode(text: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| QrError::TooLong)
}

/// An SVG at least `min_px` wide, with its quiet zone and a title for screen readers.
pub fn svg(text: &str, min_px: u32, title: &str) -> Result<String, QrError> {
    let image = encode(text)?
        .render::<svg::Color>()
        .min_dimensions(min_px, min_px)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Name the image for assistive technologies; the title is escaped like any text.
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Ok(image.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" ",
            escaped.replace('"', "&quot;")
        ),
        1,
    ))
}

/// A greyscale PNG, `module_px` pixels per module, quiet zone included.
pub fn png(text: &str, module_px: usize) -> Result<Vec<u8>, QrError> {
    let (side, pixels) = pixels(&encode(text)?, module_px.max(1));
    let mut out = Vec::new();
    {
        let side = u32::try_from(side).map_err(|_| QrError::TooLong)?;
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| QrError::Png(e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| QrError::Png(e.to_string()))?;
    }
    Ok(out)
}

/// The image as rows of greyscale bytes (0 dark, 255 light), and its side in pixels.
fn pixels(code: &QrCode, module_px: usize) -> (usize, Vec<u8>) {
    let width = code.width();
    let colors = code.to_colors();
    let modules = width + 2 * QUIET_ZONE;
    let side = modules * module_px;
    let mut pixels = vec![255u8; side * side];
    for y in 0..width {
        for x in 0..width {
            if colors[y * width + x] == Color::Dark {
                for dy in 0..module_px {
                    let row = ((y + QUIET_ZONE) * module_px + dy) * side;
                    let start = row + (x + QUIET_ZONE) * module_px;
                    pixels[start..start + module_px].fill(0);
                }
            }
        }
    }
    (side, pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TICKET: &str = "ET1AW5vdC1hLXJlYWwtdGlja2V0LWlkLWJ1dC1sb25nLWVub3VnaC10by1sb29rLWxpa2Utb25lLWZvci10aGUtdGVzdC1vZi10aGUtcXItY29kZS1yZW5kZXJpbmctcGF0aA";

    fn decode_greyscale(side: usize, pixels: &[u8]) -> Vec<String> {
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        image
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect()
    }

    #[test]
    fn a_signed_ticket_survives_the_png_and_verifies_after_decoding() {
        use app::domain::ticket::{TicketKey, TicketPayload};
        let key = TicketKey::from_seed([42; 32]);
        let payload = TicketPayload {
            ticket_id: [1; 16],
            stage_id: [2; 16],
        };
        let code = key.sign(&payload);
        let bytes = png(&code, 4).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buffer).unwrap();
        let side = info.width as usize;
        let decoded = decode_greyscale(side, &buffer[..side * side]);
        assert_eq!(decoded.len(), 1);
        assert_eq!(key.public_key().verify(&decoded[0]), Ok(payload));
    }

    #[test]
    fn the_png_decodes_back_to_the_ticket_code() {
        let bytes = png(TICKET, 6).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!(info.width, info.height);
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let side = info.width as usize;
        assert_eq!(decode_greyscale(side, &buffer[..side * side]), [TICKET]);
    }

    #[test]
    fn the_image_keeps_a_quiet_zone_of_four_modules() {
        let code = encode(TICKET).unwrap();
        let (side, pixels) = pixels(&code, 3);
        let margin = QUIET_ZONE * 3;
        for y in 0..side {
            for x in 0..side {
                if x < margin || y < margin || x >= side - margin || y >= side - margin {
                    assert_eq!(
                        pixels[y * side + x],
                        255,
                        "pixel ({x}, {y}) is in the quiet zone"
                    );
                }
            }
        }
    }

    #[test]
    fn the_svg_is_labelled_and_escapes_its_title() {
        let image = svg(TICKET, 240, "Billet <Lyon> & \"co\"").unwrap();
        assert!(image.starts_with("<?xml") || image.contains("<svg "));
        assert!(image.contains("role=\"img\""));
        assert!(image.contains("aria-label=\"Billet &lt;Lyon&gt; &amp; &quot;co&quot;\""));
        assert!(!image.contains("<Lyon>"));
    }

    #[test]
    fn text_too_long_for_a_qr_code_is_an_error_not_a_panic() {
        assert!(matches!(png(&"A".repeat(5_000), 4), Err(QrError::TooLong)));
        assert!(matches!(
            svg(&"A".repeat(5_000), 100, "x"),
            Err(QrError::TooLong)
        ));
    }
}
