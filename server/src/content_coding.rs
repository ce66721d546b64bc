//! Content codings for answers compressed once and served many times (the page cache's
//! variants): which coding a request accepts, and compressing a body in it. Answers made per
//! request are compressed by tower-http's `CompressionLayer` instead.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use std::io::Write;

/// A coding the page cache keeps a variant in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

/// Quality for a body compressed once per page per second, not per request: brotli's 5 and
/// gzip's 6 are the usual middles between size and time (about a millisecond for a stage page).
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW: u32 = 22;
const GZIP_LEVEL: u32 = 6;

impl Coding {
    /// The best coding `headers` accept (`Accept-Encoding`, with q-values): brotli, then gzip,
    /// else none. A coding with `q=0` is refused; `*` stands for any coding not named.
    pub fn preferred(headers: &HeaderMap) -> Coding {
        let mut brotli = None;
        let mut gzip = None;
        let mut any = None;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let accepted = parts.all(|param| !is_zero_quality(param));
                match name.as_str() {
                    "br" => brotli = Some(accepted),
                    "gzip" | "x-gzip" => gzip = Some(accepted),
                    "*" => any = Some(accepted),
                    _ => {}
                }
            }
        }
        if brotli.or(any) == Some(true) {
            Coding::Brotli
        } else if gzip.or(any) == Some(true) {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }

    /// The `Content-Encoding` value; `None` for the identity.
    pub fn header_value(self) -> Option<HeaderValue> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
            Coding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }

    /// `body` in this coding.
    pub fn compress(self, body: &[u8]) -> Bytes {
        match self {
            Coding::Identity => Bytes::copy_from_slice(body),
            Coding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(body.len() / 4),
                    flate2::Compression::new(GZIP_LEVEL),
                );
                // Writing to a `Vec` cannot fail.
                let _ = encoder.write_all(body);
                Bytes::from(encoder.finish().unwrap_or_default())
            }
            Coding::Brotli => {
                let mut compressed = Vec::with_capacity(body.len() / 4);
                {
                    let mut encoder = brotli::CompressorWriter::new(
                        &mut compressed,
                        4096,
                        BROTLI_QUALITY,
                        BROTLI_WINDOW,
                    );
                    let _ = encoder.write_all(body);
                }
                Bytes::from(compressed)
            }
        }
    }
}

fn is_zero_quality(param: &str) -> bool {
    let Some((name, value)) = param.split_once('=') else {
        return false;
    };
    name.trim().eq_ignore_ascii_case("q") && value.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
        headers
    }

    #[test]
    fn brotli_first_then_gzip_and_q_zero_refuses() {
        assert_eq!(Coding::preferred(&HeaderMap::new()), Coding::Identity);
        assert_eq!(
            Coding::preferred(&accepting("gzip, deflate, br, zstd")),
            Coding::Brotli
        );
        assert_eq!(Coding::preferred(&accepting("gzip, deflate")), Coding::Gzip);
        assert_eq!(
            Coding::preferred(&accepting("br;q=0, gzip;q=0.5")),
            Coding::Gzip
        );
        assert_eq!(
            Coding::preferred(&accepting("br;q=0,gzip;q=0")),
            Coding::Identity
        );
        assert_eq!(Coding::preferred(&accepting("identity")), Coding::Identity);
        assert_eq!(Coding::preferred(&accepting("*")), Coding::Brotli);
        assert_eq!(Coding::preferred(&accepting("*;q=0, gzip")), Coding::Gzip);
        assert_eq!(Coding::preferred(&accepting("BR")), Coding::Brotli);
    }

    #[test]
    fn compressed_bodies_decompress_to_the_original() {
        let page = "<html><body>Lyon · 18 h 30</body></html>".repeat(200);

        let gzip = Coding::Gzip.compress(page.as_bytes());
        assert!(gzip.len() < page.len() / 4);
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, page);

        let brotli = Coding::Brotli.compress(page.as_bytes());
        assert!(brotli.len() < page.len() / 4);
        let mut unbrotlied = String::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut unbrotlied)
            .unwrap();
        assert_eq!(unbrotlied, page);
    }
}
