//! The door scanner's WebAssembly, loaded by the `/door` page only. It reads QR codes from camera
//! frames and decides what it can without the server, with the server's own rules
//! (`etape_domain::checkin`): whether a code is a real ticket of this door's stage (under the
//! edition's public keys, retired ones included) and, offline, whether its holder comes in.
//! The page's JavaScript (`door/web/scanner.js`) does the camera, the screen and the sync.

use etape_domain::checkin::{self, FirstCheckin, ScannedCode};
use etape_domain::registration::RegistrationStatus;
use etape_domain::short_code::ShortCode;
use etape_domain::ticket::TicketPublicKey;
use etape_domain::StageStatus;
use uuid::Uuid;
use wasm_bindgen::prelude::*;

/// One door's knowledge: its stage and the edition's public keys.
#[wasm_bindgen]
pub struct Door {
    stage_id: [u8; 16],
    keys: Vec<TicketPublicKey>,
}

/// What a code turned out to be: `kind` is `this_stage` (with `id`, the registration),
/// `other_stage` (with `id`, that stage), `short_code` (typed; with `id`, the code as the door
/// state's `short_code` has it, to find its holder there) or `invalid`.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub kind: String,
    pub id: String,
}

#[wasm_bindgen]
impl Door {
    /// The door of the stage `stage_id` (a UUID), with the edition's keys as the door API gives
    /// them (32 bytes each, base64url). A key that cannot be read is left out: tickets it signed
    /// read as invalid, which is what the server would say of them too.
    #[wasm_bindgen(constructor)]
    pub fn new(stage_id: &str, keys: Vec<String>) -> Result<Door, JsError> {
        Door::of_stage(stage_id, &keys)
            .ok_or_else(|| JsError::new("the door's stage id is not a UUID"))
    }

    /// Reads a scanned or typed code. Never panics, whatever the text.
    pub fn read(&self, code: &str) -> Reading {
        if let Some(short_code) = ShortCode::parse(code) {
            return Reading {
                kind: "short_code".into(),
                id: short_code.as_stored(),
            };
        }
        match checkin::read_code(code, &self.keys, &self.stage_id) {
            ScannedCode::ForThisStage(payload) => Reading {
                kind: "this_stage".into(),
                id: Uuid::from_bytes(payload.ticket_id).hyphenated().to_string(),
            },
            ScannedCode::ForAnotherStage(payload) => Reading {
                kind: "other_stage".into(),
                id: Uuid::from_bytes(payload.stage_id).hyphenated().to_string(),
            },
            ScannedCode::Invalid(_) => Reading {
                kind: "invalid".into(),
                id: String::new(),
            },
        }
    }
}

impl Door {
    fn of_stage(stage_id: &str, keys: &[String]) -> Option<Door> {
        let stage_id = Uuid::parse_str(stage_id).ok()?.into_bytes();
        let keys = keys
            .iter()
            .filter_map(|key| TicketPublicKey::from_text(key).ok())
            .collect();
        Some(Door { stage_id, keys })
    }
}

/// The offline decision for a real ticket of this stage, as the server makes it online
/// (`checkin::admit`): `status` is the registration's as last synced (`confirmed`,
/// `waitlisted`, `cancelled`, or empty when the door has not heard of it yet: a ticket
/// signed for this stage is then let in), `checked_in` whether any door is known to have
/// admitted it. Answers a `CheckinResult` word (`admitted`, `already_checked_in`, …).
#[wasm_bindgen]
pub fn decide(status: &str, stage_cancelled: bool, checked_in: bool) -> String {
    let registration = RegistrationStatus::parse(status).unwrap_or(RegistrationStatus::Confirmed);
    let stage = if stage_cancelled {
        StageStatus::Cancelled
    } else {
        StageStatus::Published
    };
    // `admit` only asks whether there was a first check-in; when and where is the page's to say.
    let first = checked_in.then(|| FirstCheckin {
        at: chrono::DateTime::UNIX_EPOCH,
        door: String::new(),
    });
    checkin::admit(registration, stage, first.as_ref())
        .as_str()
        .to_owned()
}

/// The text of the first QR code found in a camera frame (RGBA, `width` × `height`), if any.
#[wasm_bindgen]
pub fn decode_frame(rgba: &[u8], width: u32, height: u32) -> Option<String> {
    let (width, height) = (width as usize, height as usize);
    if width == 0 || height == 0 || rgba.len() < width * height * 4 {
        return None;
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        let at = (y * width + x) * 4;
        luma(rgba[at], rgba[at + 1], rgba[at + 2])
    });
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// Perceived brightness (ITU-R BT.601 weights, in integers).
fn luma(red: u8, green: u8, blue: u8) -> u8 {
    let weighted = 299 * u32::from(red) + 587 * u32::from(green) + 114 * u32::from(blue);
    (weighted / 1000) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use etape_domain::ticket::{TicketKey, TicketPayload};

    const STAGE: &str = "0192f3a4-1111-7000-8000-00000000aaaa";
    const OTHER_STAGE: &str = "0192f3a4-2222-7000-8000-00000000bbbb";
    const TICKET: &str = "0192f3a4-3333-7000-8000-00000000cccc";

    fn ticket(key: &TicketKey, stage: &str) -> String {
        key.sign(&TicketPayload {
            ticket_id: Uuid::parse_str(TICKET).unwrap().into_bytes(),
            stage_id: Uuid::parse_str(stage).unwrap().into_bytes(),
        })
    }

    /// A camera frame: the code's QR modules, 4 pixels each, centred on a grey background.
    fn frame(text: &str, width: usize, height: usize) -> Vec<u8> {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let scale = 4;
        let (left, top) = (
            (width - modules * scale) / 2,
            (height - modules * scale) / 2,
        );
        let mut rgba = vec![200u8; width * height * 4];
        for y in 0..height {
            for x in 0..width {
                let inside = x >= left && y >= top;
                let (mx, my) = ((x - left.min(x)) / scale, (y - top.min(y)) / scale);
                let dark =
                    inside && mx < modules && my < modules && code[(mx, my)] == qrcode::Color::Dark;
                let at = (y * width + x) * 4;
                let shade = if dark { 20 } else { 235 };
                rgba[at..at + 3].fill(shade);
            }
        }
        rgba
    }

    #[test]
    fn a_ticket_in_a_camera_frame_is_read_and_verified() {
        let key = TicketKey::from_seed([7; 32]);
        let code = ticket(&key, STAGE);
        let read = decode_frame(&frame(&code, 640, 480), 640, 480);
        assert_eq!(read.as_deref(), Some(code.as_str()));
        let door = Door::new(STAGE, vec![key.public_key().to_text()]).unwrap();
        assert_eq!(
            door.read(&read.unwrap()),
            Reading {
                kind: "this_stage".into(),
                id: TICKET.into()
            }
        );
    }

    #[test]
    fn a_frame_without_a_code_or_too_short_reads_nothing() {
        assert_eq!(decode_frame(&vec![128; 640 * 480 * 4], 640, 480), None);
        assert_eq!(decode_frame(&[0; 10], 640, 480), None);
        assert_eq!(decode_frame(&[], 0, 0), None);
    }

    #[test]
    fn other_stages_forged_and_garbage_codes_are_told_apart() {
        let key = TicketKey::from_seed([7; 32]);
        let retired = TicketKey::from_seed([8; 32]);
        let door = Door::of_stage(
            STAGE,
            &[
                key.public_key().to_text(),
                "not a key".into(),
                retired.public_key().to_text(),
            ],
        )
        .unwrap();
        assert_eq!(door.read(&ticket(&retired, STAGE)).kind, "this_stage");
        assert_eq!(
            door.read(&ticket(&key, OTHER_STAGE)),
            Reading {
                kind: "other_stage".into(),
                id: OTHER_STAGE.into()
            }
        );
        let forged = ticket(&TicketKey::from_seed([9; 32]), STAGE);
        for garbage in [forged.as_str(), "", "ET1", "é€🎫", &"A".repeat(100_000)] {
            assert_eq!(door.read(garbage).kind, "invalid", "{garbage:.20}");
        }
        assert!(Door::of_stage("lyon", &[]).is_none());
    }

    #[test]
    fn a_typed_short_code_reads_as_stored_whatever_its_case_and_dashes() {
        let door = Door::new(STAGE, vec![]).unwrap();
        assert_eq!(
            door.read(" k7qm-4xpd "),
            Reading {
                kind: "short_code".into(),
                id: "K7QM4XPD".into()
            }
        );
        assert_eq!(door.read("K7QM-4XP").kind, "invalid");
    }

    #[test]
    fn the_offline_decision_is_the_servers() {
        assert_eq!(decide("confirmed", false, false), "admitted");
        assert_eq!(decide("", false, false), "admitted");
        assert_eq!(decide("confirmed", false, true), "already_checked_in");
        assert_eq!(decide("waitlisted", false, false), "waitlisted");
        assert_eq!(decide("cancelled", false, false), "cancelled");
        assert_eq!(decide("confirmed", true, false), "cancelled");
    }
}
