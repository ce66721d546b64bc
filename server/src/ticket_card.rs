//! The ticket as one PNG image that stands out in a phone's photo gallery and reads well on
//! paper: the QR code at the top, the short code under it for when scanning fails, then the
//! edition, the attendee, the date and the venue.
//!
//! The QR code is drawn as in `qr.rs` (level M, four-module quiet zone, 8 px modules). Text is
//! drawn with DejaVu Sans, subset and embedded (see `assets/fonts/README.md`). There is no
//! shaping: Latin, Greek and Cyrillic read fine; scripts the subset lacks (CJK, Arabic, emoji…)
//! draw as the font's empty box, and right-to-left text is drawn left to right.

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use qrcode::{Color, EcLevel, QrCode};

/// What the ticket image says besides its QR code.
pub struct CardText<'a> {
    /// The edition and its city, e.g. "Social Good Week 2026 — Lyon".
    pub heading: &'a str,
    /// The attendee, drawn bold and larger.
    pub name: &'a str,
    /// The date and time, already formatted for the reader (may hold U+00A0 / U+202F).
    pub when: &'a str,
    pub venue: &'a str,
    /// The code to type when the QR code cannot be scanned, e.g. "K7QM-4XPD".
    pub short_code: &'a str,
    /// What the short code is, e.g. "Code du billet".
    pub short_code_label: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the text is too long for a QR code")]
    TooLong,
    #[error("cannot load the embedded font: {0}")]
    Font(String),
    #[error("cannot encode the PNG image: {0}")]
    Png(String),
}

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-subset.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold-subset.ttf");

const WIDTH: usize = 720;
/// Left and right of the text, and under the last line.
const MARGIN: usize = 48;
const MODULE_PX: usize = 8;
const QUIET_ZONE: usize = 4;
/// Above the QR code; with its quiet zone (32 px) the code sits as far from the top as the
/// text does from the sides.
const TOP: usize = 16;
/// Space above and below the dashed rule between the codes and the details.
const RULE_GAP: usize = 26;
/// No field shows more than three lines, so longer input is cut before wrapping: this keeps
/// the work bounded for absurd input (a 10,000-character name) without changing what is drawn.
const MAX_FIELD_CHARS: usize = 400;
const ELLIPSIS: char = '…';

#[derive(Clone, Copy)]
struct Style {
    bold: bool,
    /// Pixel height of the font's ascent to descent (ab_glyph's `PxScale`), not the em size.
    size: f32,
    /// Extra space after each character, in pixels: codes read more easily spaced out.
    tracking: f32,
    ink: u8,
    max_lines: usize,
    gap_before: usize,
}

const SHORT_CODE: Style = Style {
    bold: true,
    size: 72.0,
    tracking: 4.0,
    ink: 0,
    max_lines: 1,
    gap_before: 0,
};
const LABEL: Style = Style {
    bold: false,
    size: 26.0,
    tracking: 0.0,
    ink: 0x55,
    max_lines: 1,
    gap_before: 0,
};
const HEADING: Style = Style {
    bold: false,
    size: 30.0,
    tracking: 0.0,
    ink: 0,
    max_lines: 2,
    gap_before: 0,
};
const NAME: Style = Style {
    bold: true,
    size: 42.0,
    tracking: 0.0,
    ink: 0,
    max_lines: 2,
    gap_before: 12,
};
const WHEN: Style = Style {
    bold: false,
    size: 28.0,
    tracking: 0.0,
    ink: 0,
    max_lines: 3,
    gap_before: 14,
};
const VENUE: Style = Style {
    bold: false,
    size: 28.0,
    tracking: 0.0,
    ink: 0,
    max_lines: 3,
    gap_before: 6,
};

impl Style {
    fn scale(&self) -> PxScale {
        PxScale::from(self.size)
    }

    fn line_height(&self) -> usize {
        (self.size * 1.2).round() as usize
    }
}

struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Fonts {
    fn load() -> Result<Self, CardError> {
        let load =
            |bytes| FontRef::try_from_slice(bytes).map_err(|e| CardError::Font(e.to_string()));
        Ok(Self {
            regular: load(REGULAR)?,
            bold: load(BOLD)?,
        })
    }

    fn of(&self, style: &Style) -> &FontRef<'static> {
        if style.bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

/// A PNG of the ticket: `code` as a QR code and `text` under it.
pub fn ticket_png(code: &str, text: &CardText) -> Result<Vec<u8>, CardError> {
    let fonts = Fonts::load()?;
    let qr = encode(code)?;
    let plan = plan(&fonts, &qr, text);
    let mut canvas = Canvas::new(WIDTH, plan.height);
    draw_qr(&mut canvas, &qr, &plan.qr);
    if let Some(y) = plan.rule {
        draw_dashed_rule(&mut canvas, y);
    }
    // Nothing drawn for the text may reach the QR code and its quiet zone.
    let clip_top = plan.qr.top + plan.qr.side;
    for block in &plan.blocks {
        draw_block(&mut canvas, fonts.of(&block.style), block, clip_top);
    }
    encode_png(&canvas)
}

fn encode(text: &str) -> Result<QrCode, CardError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| CardError::TooLong)
}

/// Where the QR code goes: its top-left corner and side, quiet zone included.
struct QrPlace {
    left: usize,
    top: usize,
    side: usize,
    module_px: usize,
}

/// A field's lines, ready to draw from `top` down.
struct Block {
    style: Style,
    lines: Vec<String>,
    top: usize,
}

impl Block {
    fn bottom(&self) -> usize {
        self.top + self.lines.len() * self.style.line_height()
    }
}

struct Plan {
    qr: QrPlace,
    blocks: Vec<Block>,
    rule: Option<usize>,
    height: usize,
}

/// Lays the card out top to bottom; the height follows from the (bounded) number of lines.
fn plan(fonts: &Fonts, qr: &QrCode, text: &CardText) -> Plan {
    let qr = place_qr(qr.width());
    let wrapped = |fields: &[(Style, &str)]| -> Vec<(Style, Vec<String>)> {
        fields
            .iter()
            .map(|(style, field)| {
                let font = fonts.of(style);
                (*style, wrap(font, style, &clean(field), text_width()))
            })
            .filter(|(_, lines)| !lines.is_empty())
            .collect()
    };
    let codes = wrapped(&[
        (SHORT_CODE, text.short_code),
        (LABEL, text.short_code_label),
    ]);
    let details = wrapped(&[
        (HEADING, text.heading),
        (NAME, text.name),
        (WHEN, text.when),
        (VENUE, text.venue),
    ]);
    // A rule separates two things; alone it would look like a mistake.
    let has_rule = !codes.is_empty() && !details.is_empty();
    let mut blocks = Vec::new();
    let mut cursor = qr.top + qr.side;
    stack(&mut blocks, &mut cursor, codes);
    let rule = has_rule.then(|| {
        let y = cursor + RULE_GAP;
        cursor = y + RULE_GAP;
        y
    });
    stack(&mut blocks, &mut cursor, details);
    // With no text at all, as much white under the code as above it.
    let height = cursor + if blocks.is_empty() { TOP } else { MARGIN };
    Plan {
        qr,
        blocks,
        rule,
        height,
    }
}

fn stack(blocks: &mut Vec<Block>, cursor: &mut usize, fields: Vec<(Style, Vec<String>)>) {
    for (style, lines) in fields {
        let block = Block {
            style,
            lines,
            top: *cursor + style.gap_before,
        };
        *cursor = block.bottom();
        blocks.push(block);
    }
}

fn text_width() -> f32 {
    (WIDTH - 2 * MARGIN) as f32
}

/// Centred at 8 px a module; a code too long for that (never a real ticket) gets smaller
/// modules rather than a wider image.
fn place_qr(width_modules: usize) -> QrPlace {
    let modules = width_modules + 2 * QUIET_ZONE;
    let module_px = (WIDTH / modules).clamp(1, MODULE_PX);
    let side = modules * module_px;
    QrPlace {
        left: (WIDTH - side.min(WIDTH)) / 2,
        top: TOP,
        side,
        module_px,
    }
}

/// Drops invisible formatting characters, which would otherwise draw as boxes (bidi and
/// zero-width controls, variation selectors: there is no bidi or shaping here to use them),
/// turns control characters into spaces, and cuts absurdly long input.
fn clean(text: &str) -> String {
    let mut out = String::new();
    let kept = text.chars().filter(|c| !is_invisible(*c));
    for (i, c) in kept.enumerate() {
        if i == MAX_FIELD_CHARS {
            out.push(ELLIPSIS);
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// Spaces where a line may break: not the no-break ones that hold "18 h 30" or "3 décembre".
fn is_break(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// The pieces a line may break between, each but the first with the space before it: a line
/// breaks at spaces, and after the hyphen of a compound like "Dupont-Lefèvre". French sets a
/// space before "–", ":", "?", "!" and "»" and after "«"; a line must not start or end with
/// them, so they stay with their word.
fn pieces(text: &str) -> Vec<String> {
    let is_glue = |word: &str, glue: &str| word.chars().all(|c| glue.contains(c));
    let mut pieces: Vec<String> = Vec::new();
    for word in text.split(is_break).filter(|w| !w.is_empty()) {
        let mut parts = split_after_hyphens(word).into_iter();
        let Some(first) = parts.next() else {
            continue;
        };
        match pieces.last_mut() {
            Some(last) if is_glue(word, "–—:;!?»") || is_glue(last.trim_start(), "«") => {
                last.push(' ');
                last.push_str(first);
            }
            Some(_) => pieces.push(format!(" {first}")),
            None => pieces.push(first.to_owned()),
        }
        pieces.extend(parts.map(str::to_owned));
    }
    pieces
}

/// Splits after each hyphen between two letters: names and compounds, not codes ("K7QM-4XPD")
/// or dates.
fn split_after_hyphens(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous = None;
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, next)| *next);
        if c == '-'
            && previous.is_some_and(char::is_alphabetic)
            && next.is_some_and(char::is_alphabetic)
        {
            parts.push(&word[start..=i]);
            start = i + 1;
        }
        previous = Some(c);
    }
    parts.push(&word[start..]);
    parts
}

/// Wraps to `max_width` in at most `style.max_lines` lines; when the text does not fit, the
/// last line ends with an ellipsis. Text that takes several lines is evened out: centred, a
/// long line over a lone word looks like a mistake.
fn wrap(font: &FontRef, style: &Style, text: &str, max_width: f32) -> Vec<String> {
    let pieces = pieces(text);
    let Wrapped { mut lines, cut } = greedy(font, style, &pieces, max_width);
    if cut || lines.len() < 2 {
        return lines;
    }
    // The narrowest width that needs no more lines, but never so narrow that a piece must be
    // broken anywhere, nor a compound at its hyphen when it fitted whole.
    let widest_piece = widest(font, style, pieces.iter().map(String::as_str));
    let widest_word = widest(font, style, text.split(is_break));
    let floor = if widest_word <= max_width {
        widest_word.max(widest_piece)
    } else {
        widest_piece
    };
    let mut low = (max_width / lines.len() as f32).max(floor);
    let mut high = max_width;
    for _ in 0..8 {
        let middle = (low + high) / 2.0;
        let narrower = greedy(font, style, &pieces, middle);
        if !narrower.cut && narrower.lines.len() <= lines.len() {
            high = middle;
            lines = narrower.lines;
        } else {
            low = middle;
        }
    }
    lines
}

fn widest<'t>(font: &FontRef, style: &Style, words: impl Iterator<Item = &'t str>) -> f32 {
    words
        .map(|word| measure(font, style, word.trim_start()))
        .fold(0.0, f32::max)
}

struct Wrapped {
    lines: Vec<String>,
    /// The text did not fit and the last line ends with an ellipsis.
    cut: bool,
}

/// Greedy wrap to `max_width` in at most `style.max_lines` lines. Pieces wider than a line
/// are broken anywhere; on the last line, as much of the rest as fits is kept before the
/// ellipsis, so a long name shows more than its first part.
fn greedy(font: &FontRef, style: &Style, pieces: &[String], max_width: f32) -> Wrapped {
    let fits = |s: &str| measure(font, style, s) <= max_width;
    let mut lines: Vec<String> = Vec::new();
    let cut_here = |mut kept: Vec<String>, head: &str, tail: &[String]| {
        let rest = format!("{head}{}", tail.concat());
        kept.push(with_ellipsis(font, style, &rest, max_width));
        Wrapped {
            lines: kept,
            cut: true,
        }
    };
    let mut current = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        let candidate = if current.is_empty() {
            piece.trim_start().to_owned()
        } else {
            format!("{current}{piece}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if lines.len() + 1 >= style.max_lines {
            return cut_here(lines, &candidate, &pieces[i + 1..]);
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        let mut rest = piece.trim_start();
        while !fits(rest) {
            if lines.len() + 1 >= style.max_lines {
                return cut_here(lines, rest, &pieces[i + 1..]);
            }
            let cut = fitting_prefix(font, style, rest, max_width);
            lines.push(rest[..cut].to_owned());
            rest = &rest[cut..];
        }
        current = rest.to_owned();
    }
    if !current.is_empty() {
        lines.push(current);
    }
    Wrapped { lines, cut: false }
}

/// The byte length of the longest prefix of `word` that fits, at least one character so that
/// wrapping always moves on.
fn fitting_prefix(font: &FontRef, style: &Style, word: &str, max_width: f32) -> usize {
    let scaled = font.as_scaled(style.scale());
    let (glyphs, _) = advances(font, style, word);
    let mut end = word.chars().next().map_or(0, char::len_utf8);
    for ((i, c), (id, x)) in word.char_indices().zip(glyphs).skip(1) {
        if x + scaled.h_advance(id) > max_width {
            break;
        }
        end = i + c.len_utf8();
    }
    end
}

/// As much of `text` as fits with an ellipsis after it, without a dangling space, hyphen or
/// comma before the ellipsis.
fn with_ellipsis(font: &FontRef, style: &Style, text: &str, max_width: f32) -> String {
    let room = max_width - measure(font, style, &ELLIPSIS.to_string());
    let mut kept = text[..fitting_prefix(font, style, text, room)].to_owned();
    loop {
        let trimmed = kept.trim_end_matches(|c| is_break(c) || matches!(c, '-' | ',' | ';' | ':'));
        let candidate = format!("{trimmed}{ELLIPSIS}");
        if trimmed.is_empty() || measure(font, style, &candidate) <= max_width {
            return candidate;
        }
        kept.truncate(trimmed.len());
        kept.pop();
    }
}

/// Pen positions of each character of `text` from x = 0, and the total advance.
fn advances(font: &FontRef, style: &Style, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
    let scaled = font.as_scaled(style.scale());
    let mut x = 0.0;
    let mut previous: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(previous) = previous {
            x += scaled.kern(previous, id);
        }
        glyphs.push((id, x));
        x += scaled.h_advance(id) + style.tracking;
        previous = Some(id);
    }
    // Tracking after the last character would push centred text off to the left.
    if !glyphs.is_empty() {
        x -= style.tracking;
    }
    (glyphs, x)
}

fn measure(font: &FontRef, style: &Style, text: &str) -> f32 {
    advances(font, style, text).1
}

/// A greyscale image, 0 dark and 255 light, one byte a pixel.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            pixels: vec![255; width * height],
        }
    }

    fn fill(&mut self, x: usize, y: usize, w: usize, h: usize, ink: u8) {
        for row in y..(y + h).min(self.height) {
            let start = row * self.width + x.min(self.width);
            let end = row * self.width + (x + w).min(self.width);
            self.pixels[start..end].fill(ink);
        }
    }

    /// Mixes `ink` into the pixel by `coverage`, so that overlapping glyphs only darken.
    fn blend(&mut self, x: i64, y: i64, ink: u8, coverage: f32) {
        let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y)) else {
            return;
        };
        if x >= self.width || y >= self.height {
            return;
        }
        let pixel = &mut self.pixels[y * self.width + x];
        let old = f32::from(*pixel);
        let new = old + (f32::from(ink) - old) * coverage.clamp(0.0, 1.0);
        *pixel = (new.round() as u8).min(*pixel);
    }
}

fn draw_qr(canvas: &mut Canvas, qr: &QrCode, place: &QrPlace) {
    let width = qr.width();
    let colors = qr.to_colors();
    let px = place.module_px;
    let origin_x = place.left + QUIET_ZONE * px;
    let origin_y = place.top + QUIET_ZONE * px;
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width, i / width);
            canvas.fill(origin_x + x * px, origin_y + y * px, px, px, 0);
        }
    }
}

/// A perforation-like line between what is scanned or typed and what is read.
fn draw_dashed_rule(canvas: &mut Canvas, y: usize) {
    const DASH: usize = 10;
    const GAP: usize = 8;
    let mut x = MARGIN;
    while x < WIDTH - MARGIN {
        canvas.fill(x, y, DASH.min(WIDTH - MARGIN - x), 2, 0x99);
        x += DASH + GAP;
    }
}

fn draw_block(canvas: &mut Canvas, font: &FontRef, block: &Block, clip_top: usize) {
    let style = &block.style;
    let ascent = font.as_scaled(style.scale()).ascent();
    for (n, line) in block.lines.iter().enumerate() {
        let (glyphs, width) = advances(font, style, line);
        let left = ((WIDTH as f32 - width) / 2.0).max(MARGIN as f32).round();
        let baseline = (block.top + n * style.line_height()) as f32 + ascent;
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(style.scale(), point(left + x, baseline));
            let Some(outlined) = font.outline_glyph(glyph) else {
                continue; // spaces have no outline
            };
            let bounds = outlined.px_bounds();
            let (x0, y0) = (bounds.min.x as i64, bounds.min.y as i64);
            outlined.draw(|dx, dy, coverage| {
                let y = y0 + i64::from(dy);
                if y >= clip_top as i64 {
                    canvas.blend(x0 + i64::from(dx), y, style.ink, coverage);
                }
            });
        }
    }
}

fn encode_png(canvas: &Canvas) -> Result<Vec<u8>, CardError> {
    let width = u32::try_from(canvas.width).map_err(|e| CardError::Png(e.to_string()))?;
    let height = u32::try_from(canvas.height).map_err(|e| CardError::Png(e.to_string()))?;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| CardError::Png(e.to_string()))?;
        writer
            .write_image_data(&canvas.pixels)
            .map_err(|e| CardError::Png(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As long as a real ticket code: "ET1" and 130 base64url characters.
    fn ticket_code() -> String {
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let body: String = alphabet
            .chars()
            .cycle()
            .skip(7)
            .step_by(3)
            .take(130)
            .collect();
        format!("ET1{body}")
    }

    fn example(name: &str) -> CardText<'_> {
        CardText {
            heading: "Social Good Week 2026 — Lyon",
            name,
            when: "jeudi 3\u{a0}décembre 2026, 18\u{202f}h\u{202f}30 – 21\u{202f}h\u{202f}00 (heure de Paris)",
            venue: "La Cordée, 12 rue X, Lyon",
            short_code: "K7QM-4XPD",
            short_code_label: "Code du billet",
        }
    }

    struct Decoded {
        width: usize,
        height: usize,
        pixels: Vec<u8>,
    }

    impl Decoded {
        fn row(&self, y: usize) -> &[u8] {
            &self.pixels[y * self.width..(y + 1) * self.width]
        }
    }

    fn decode(bytes: &[u8]) -> Decoded {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buffer = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        let (width, height) = (info.width as usize, info.height as usize);
        buffer.truncate(width * height);
        Decoded {
            width,
            height,
            pixels: buffer,
        }
    }

    fn qr_texts(image: &Decoded) -> Vec<String> {
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(image.width, image.height, |x, y| {
                image.pixels[y * image.width + x]
            });
        prepared
            .detect_grids()
            .into_iter()
            .map(|grid| grid.decode().map(|(_, text)| text).unwrap_or_default())
            .collect()
    }

    fn plan_of(code: &str, text: &CardText) -> Plan {
        plan(&Fonts::load().unwrap(), &encode(code).unwrap(), text)
    }

    #[test]
    fn the_embedded_fonts_load_and_have_the_glyphs_french_needs() {
        let fonts = Fonts::load().unwrap();
        for font in [&fonts.regular, &fonts.bold] {
            for c in "éèêëàâçôûùïœæÉÀÇŒ€…—–\u{a0}\u{202f}«»’".chars() {
                assert_ne!(font.glyph_id(c), GlyphId(0), "no glyph for {c:?}");
            }
        }
    }

    #[test]
    fn the_card_is_a_greyscale_png_whose_only_qr_code_is_the_ticket_code() {
        let code = ticket_code();
        assert_eq!(code.len(), 133);
        let image = decode(&ticket_png(&code, &example("Camille Martin")).unwrap());
        assert_eq!(image.width, WIDTH);
        assert_eq!(qr_texts(&image), [code]);
    }

    #[test]
    fn the_code_is_drawn_at_eight_pixels_a_module_and_centred() {
        let code = ticket_code();
        let place = plan_of(&code, &example("Camille Martin")).qr;
        let modules = encode(&code).unwrap().width() + 2 * QUIET_ZONE;
        assert_eq!(place.module_px, 8);
        assert_eq!(place.side, modules * 8);
        assert_eq!(place.left * 2 + place.side, WIDTH);
    }

    #[test]
    fn text_is_drawn_under_the_code() {
        let code = ticket_code();
        let text = example("Camille Martin");
        let image = decode(&ticket_png(&code, &text).unwrap());
        let qr_bottom = {
            let place = plan_of(&code, &text).qr;
            place.top + place.side
        };
        assert!(image.height > qr_bottom + 200);
        let dark = (qr_bottom..image.height)
            .flat_map(|y| image.row(y).iter())
            .filter(|p| **p < 128)
            .count();
        assert!(dark > 5_000, "only {dark} dark pixels under the code");
    }

    #[test]
    fn two_names_differ_only_where_the_name_is_drawn() {
        let code = ticket_code();
        let (a, b) = (example("Camille Martin"), example("Rémi Durand"));
        let plan = plan_of(&code, &a);
        let name = plan
            .blocks
            .iter()
            .find(|block| block.style.size == NAME.size && block.style.bold)
            .unwrap();
        let first = decode(&ticket_png(&code, &a).unwrap());
        let second = decode(&ticket_png(&code, &b).unwrap());
        assert_eq!(first.height, second.height);
        let differing: Vec<usize> = (0..first.height)
            .filter(|y| first.row(*y) != second.row(*y))
            .collect();
        assert!(!differing.is_empty(), "the names drew the same pixels");
        for y in differing {
            assert!(
                (name.top..name.bottom()).contains(&y),
                "row {y} differs outside the name ({}..{})",
                name.top,
                name.bottom()
            );
        }
    }

    #[test]
    fn the_quiet_zone_of_four_modules_is_white() {
        let code = ticket_code();
        let long = "W".repeat(10_000);
        // Tall accented capitals in the line closest to the code.
        let tall = "ǺǺǺ ÅÅÅ ǾǾǾ ÉÊÈ";
        let text = CardText {
            short_code: tall,
            short_code_label: &long,
            ..example(&long)
        };
        let place = plan_of(&code, &text).qr;
        let image = decode(&ticket_png(&code, &text).unwrap());
        let zone = QUIET_ZONE * place.module_px;
        let (left, top, side) = (place.left, place.top, place.side);
        for y in top..top + side {
            for x in left..left + side {
                let inside = (left + zone..left + side - zone).contains(&x)
                    && (top + zone..top + side - zone).contains(&y);
                if !inside {
                    assert_eq!(image.pixels[y * image.width + x], 255, "({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn absurd_text_is_drawn_cut_short_without_panicking() {
        let code = ticket_code();
        let huge = "Ŵ".repeat(10_000);
        let words = "Jean-Baptiste ".repeat(1_000);
        let marks = format!("e{}", "\u{301}".repeat(5_000));
        let controls: String = (0u8..32)
            .map(char::from)
            .chain(['\u{7f}', '\u{85}'])
            .collect();
        let samples = [
            "",
            " ",
            "\n\n\n",
            &huge,
            &words,
            &marks,
            &controls,
            "😀🎫",
            "李小龍",
            "\u{202E}evil",
            "שלום עולם",
            "مرحبا",
            "\u{FEFF}\u{200B}\u{2060}",
            "\u{FFFF}\u{10FFFF}",
            "…",
            "a\tb\r\nc",
        ];
        let normal = decode(&ticket_png(&code, &example("Camille Martin")).unwrap());
        let qr = plan_of(&code, &example("Camille Martin")).qr;
        let qr_part = (qr.top + qr.side) * WIDTH;
        let mut tallest = 0;
        for sample in samples {
            let text = CardText {
                heading: sample,
                name: sample,
                when: sample,
                venue: sample,
                short_code: sample,
                short_code_label: sample,
            };
            let image = decode(&ticket_png(&code, &text).unwrap());
            // The code and its quiet zone are exactly those of an ordinary card, which scans.
            assert!(
                image.pixels[..qr_part] == normal.pixels[..qr_part],
                "{sample:?}"
            );
            // Nothing runs into the side margins, where it could be cut off when printed.
            for y in 0..image.height {
                let row = image.row(y);
                let edges = row[..MARGIN - 8].iter().chain(&row[WIDTH - MARGIN + 8..]);
                assert!(edges.into_iter().all(|p| *p == 255), "{sample:?} row {y}");
            }
            tallest = tallest.max(image.height);
        }
        // Every field at its most lines: a little under twice the ordinary card.
        assert!(tallest < normal.height * 2, "{tallest} px tall");
        assert!(tallest < 1_400, "{tallest} px tall");
    }

    #[test]
    fn empty_text_leaves_just_the_code() {
        let code = ticket_code();
        let empty = CardText {
            heading: "",
            name: "",
            when: "",
            venue: "",
            short_code: "",
            short_code_label: "",
        };
        let plan = plan_of(&code, &empty);
        assert!(plan.blocks.is_empty());
        assert!(plan.rule.is_none());
        let image = decode(&ticket_png(&code, &empty).unwrap());
        assert_eq!(image.height, plan.qr.side + 2 * TOP);
        assert_eq!(qr_texts(&image), [code]);
    }

    #[test]
    fn long_fields_wrap_within_the_margins_and_end_with_an_ellipsis() {
        let fonts = Fonts::load().unwrap();
        let max = text_width();
        let name = "Marie-Évangéline ".repeat(600);
        let lines = wrap(&fonts.bold, &NAME, &clean(&name), max);
        assert_eq!(lines.len(), NAME.max_lines);
        assert!(lines[1].ends_with(ELLIPSIS), "{lines:?}");
        assert!(!lines[0].ends_with(ELLIPSIS));
        for line in &lines {
            assert!(measure(&fonts.bold, &NAME, line) <= max, "{line}");
        }
        let word = "x".repeat(10_000);
        let lines = wrap(&fonts.regular, &WHEN, &clean(&word), max);
        assert_eq!(lines.len(), WHEN.max_lines);
        assert!(lines[2].ends_with(ELLIPSIS));
        assert!(lines[0].len() > 20);
    }

    #[test]
    fn short_fields_are_not_touched() {
        let fonts = Fonts::load().unwrap();
        let lines = wrap(
            &fonts.regular,
            &VENUE,
            &clean("La Cordée, 12 rue X, Lyon"),
            text_width(),
        );
        assert_eq!(lines, ["La Cordée, 12 rue X, Lyon"]);
    }

    #[test]
    fn lines_never_break_at_no_break_spaces() {
        let fonts = Fonts::load().unwrap();
        let held = "18\u{202f}h\u{202f}30";
        let width = measure(&fonts.regular, &WHEN, held) + 1.0;
        let lines = wrap(&fonts.regular, &WHEN, &format!("{held} à 3\u{a0}km"), width);
        assert_eq!(lines, [held, "à 3\u{a0}km"]);
    }

    #[test]
    fn lines_never_start_with_a_dash_or_a_closing_sign() {
        let fonts = Fonts::load().unwrap();
        let width = measure(&fonts.regular, &WHEN, "18 h 30") + 1.0;
        let lines = wrap(&fonts.regular, &WHEN, "18 h 30 – 21 h 00 « Lyon » !", width);
        for line in &lines {
            assert!(!line.starts_with(['–', '»', '!']), "{lines:?}");
            assert!(!line.ends_with('«'), "{lines:?}");
        }
    }

    #[test]
    fn compound_names_break_after_their_hyphen_rather_than_be_cut() {
        let fonts = Fonts::load().unwrap();
        let name = "Anna Konstantinopoulou-Wolfeschlegelsteinhausen";
        let lines = wrap(&fonts.bold, &NAME, name, text_width());
        assert_eq!(
            lines,
            ["Anna Konstantinopoulou-", "Wolfeschlegelsteinhausen"]
        );
    }

    #[test]
    fn codes_and_dates_keep_their_hyphens() {
        assert_eq!(split_after_hyphens("K7QM-4XPD"), ["K7QM-4XPD"]);
        assert_eq!(split_after_hyphens("2026-12-03"), ["2026-12-03"]);
        assert_eq!(split_after_hyphens("-Jean-"), ["-Jean-"]);
        assert_eq!(
            split_after_hyphens("Jean-Marie-Ève"),
            ["Jean-", "Marie-", "Ève"]
        );
    }

    #[test]
    fn random_text_wraps_within_its_lines_and_width() {
        // A small deterministic generator: the same cases on every run.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let pool: Vec<char> = "aéZ- \u{a0}\u{202f}–»«!:\u{301}\n\t\u{202e}😀李ш…W"
            .chars()
            .collect();
        let fonts = Fonts::load().unwrap();
        for _ in 0..60 {
            let len = next(300);
            let text: String = (0..len).map(|_| pool[next(pool.len())]).collect();
            for style in [SHORT_CODE, LABEL, HEADING, NAME, WHEN, VENUE] {
                let font = fonts.of(&style);
                let lines = wrap(font, &style, &clean(&text), text_width());
                assert!(lines.len() <= style.max_lines, "{text:?}: {lines:?}");
                for line in &lines {
                    assert!(!line.is_empty(), "{text:?}: {lines:?}");
                    let width = measure(font, &style, line);
                    assert!(width <= text_width(), "{text:?}: {line:?} is {width} px");
                }
            }
        }
    }

    #[test]
    fn control_and_invisible_characters_are_cleaned() {
        assert_eq!(clean("a\nb\u{202E}c\u{200B}d\u{FE0F}"), "a bcd");
        assert_eq!(
            clean(&"é".repeat(1_000)).chars().count(),
            MAX_FIELD_CHARS + 1
        );
    }

    #[test]
    fn text_too_long_for_a_qr_code_is_an_error_not_a_panic() {
        let result = ticket_png(&"A".repeat(5_000), &example("Camille Martin"));
        assert!(matches!(result, Err(CardError::TooLong)));
    }

    #[test]
    fn the_largest_qr_code_still_fits_the_width_and_scans() {
        // Version 40 at level M holds 2,331 bytes: smaller modules, same width.
        let code = "B".repeat(2_300);
        let image = decode(&ticket_png(&code, &example("Camille Martin")).unwrap());
        assert_eq!(image.width, WIDTH);
        assert_eq!(qr_texts(&image), [code]);
    }
}
