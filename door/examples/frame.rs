//! Writes camera frames for scripts/bench-scanner: 640×480 RGBA, raw. `ticket.rgba` holds a
//! signed ticket's QR code as a phone held at arm's length shows it (about half the frame's
//! height, on a lighter background); `empty.rgba` nothing to read, as most frames are.
//!
//!   cargo run -p etape-door --example frame -- DIR

use etape_domain::ticket::{TicketKey, TicketPayload};
use std::path::PathBuf;

const WIDTH: usize = 640;
const HEIGHT: usize = 480;

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let code = TicketKey::from_seed([7; 32]).sign(&TicketPayload {
        ticket_id: [3; 16],
        stage_id: [5; 16],
    });
    let qr = qrcode::QrCode::new(code.as_bytes()).expect("a ticket fits in a QR code");
    let modules = qr.width();
    let scale = 240 / (modules + 8);
    let side = modules * scale;
    let (left, top) = ((WIDTH - side) / 2, (HEIGHT - side) / 2);
    let mut ticket = vec![0u8; WIDTH * HEIGHT * 4];
    let mut empty = vec![0u8; WIDTH * HEIGHT * 4];
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            // A soft gradient, as a room is never evenly lit.
            let background = 150 + ((x + y) * 60 / (WIDTH + HEIGHT)) as u8;
            let inside = (left..left + side).contains(&x) && (top..top + side).contains(&y);
            let shade = if !inside {
                background
            } else if qr[((x - left) / scale, (y - top) / scale)] == qrcode::Color::Dark {
                30
            } else {
                240
            };
            let at = (y * WIDTH + x) * 4;
            ticket[at..at + 3].fill(shade);
            ticket[at + 3] = 255;
            empty[at..at + 3].fill(background);
            empty[at + 3] = 255;
        }
    }
    std::fs::write(dir.join("ticket.rgba"), ticket).expect("write ticket.rgba");
    std::fs::write(dir.join("empty.rgba"), empty).expect("write empty.rgba");
    println!("{code}");
}
