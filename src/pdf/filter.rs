//! Stream decoding: `/FlateDecode` with a decoded-size cap, and the PNG and TIFF predictors
//! of `/DecodeParms` (§7.4.4.4), which xref streams use.
//!
//! Only what the signer and verifier need is decoded. Other filters (images: DCT, JPX, CCITT)
//! are reported as [`PdfError::UnsupportedFilter`]; their raw bytes stay available.

use std::io::Read;

use super::error::PdfError;
use super::object::{Dict, Object};

/// Largest `/Columns` accepted in a predictor: 2^20. Xref streams use 3–20 columns, images a
/// few thousand; this keeps one row a bounded allocation.
const MAX_PREDICTOR_COLUMNS: i64 = 1 << 20;

/// Decode `raw` through the filters of `dict`, producing at most `cap` bytes. `offset` is
/// where the stream object starts, for errors.
pub(crate) fn decode(
    dict: &Dict,
    raw: &[u8],
    cap: usize,
    offset: usize,
) -> Result<Vec<u8>, PdfError> {
    let filters = filter_names(dict, offset)?;
    let params = decode_params(dict, filters.len(), offset)?;
    let mut data = raw.to_vec();
    if data.len() > cap && filters.is_empty() {
        return Err(too_large(offset, cap));
    }
    for (name, params) in filters.iter().zip(params) {
        data = match name.as_slice() {
            b"FlateDecode" | b"Fl" => {
                let inflated = inflate(&data, cap, offset)?;
                predict(inflated, params.as_ref(), offset)?
            }
            other => {
                return Err(PdfError::UnsupportedFilter {
                    offset: offset as u64,
                    filter: String::from_utf8_lossy(other).into_owned(),
                });
            }
        };
    }
    Ok(data)
}

/// The filter names, from a name or an array of names (direct only).
fn filter_names(dict: &Dict, offset: usize) -> Result<Vec<Vec<u8>>, PdfError> {
    let bad = || PdfError::structure(offset, "/Filter must be a name or an array of names");
    match dict.get("Filter") {
        None | Some(Object::Null) => Ok(Vec::new()),
        Some(Object::Name(name)) => Ok(vec![name.0.clone()]),
        Some(Object::Array(items)) => items
            .iter()
            .map(|item| item.as_name().map(|name| name.0.clone()).ok_or_else(bad))
            .collect(),
        Some(_) => Err(bad()),
    }
}

/// One optional parameter dictionary per filter.
fn decode_params(dict: &Dict, count: usize, offset: usize) -> Result<Vec<Option<Dict>>, PdfError> {
    let bad = || PdfError::structure(offset, "/DecodeParms must be a dictionary or an array");
    let one = |object: &Object| match object {
        Object::Null => Ok(None),
        Object::Dict(params) => Ok(Some(params.clone())),
        _ => Err(bad()),
    };
    match dict.get("DecodeParms").or(dict.get("DP")) {
        None => Ok(vec![None; count]),
        Some(Object::Array(items)) if items.len() == count => items.iter().map(one).collect(),
        Some(Object::Array(_)) => Err(bad()),
        Some(object) if count == 1 => Ok(vec![one(object)?]),
        Some(_) => Err(bad()),
    }
}

/// zlib-inflate at most `cap` bytes; more is a decompression bomb.
fn inflate(data: &[u8], cap: usize, offset: usize) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    flate2::read::ZlibDecoder::new(data)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|error| PdfError::Decode {
            offset: offset as u64,
            filter: "FlateDecode",
            reason: error.to_string(),
        })?;
    if out.len() > cap {
        return Err(too_large(offset, cap));
    }
    Ok(out)
}

fn too_large(offset: usize, cap: usize) -> PdfError {
    PdfError::DecodedTooLarge {
        offset: offset as u64,
        max: cap as u64,
    }
}

/// Undo a `/Predictor` (1: none; 2: TIFF, 8-bit components; 10–15: PNG).
fn predict(data: Vec<u8>, params: Option<&Dict>, offset: usize) -> Result<Vec<u8>, PdfError> {
    let Some(params) = params else {
        return Ok(data);
    };
    let int = |key: &str, default: i64| match params.get(key) {
        None => Ok(default),
        Some(Object::Integer(value)) => Ok(*value),
        Some(_) => Err(PdfError::structure(
            offset,
            "predictor parameters must be integers",
        )),
    };
    let predictor = int("Predictor", 1)?;
    if predictor == 1 {
        return Ok(data);
    }
    let colors = int("Colors", 1)?;
    let bits = int("BitsPerComponent", 8)?;
    let columns = int("Columns", 1)?;
    let bad = PdfError::Decode {
        offset: offset as u64,
        filter: "FlateDecode",
        reason: format!(
            "unsupported predictor {predictor} (colors {colors}, bits {bits}, columns {columns})"
        ),
    };
    if !(1..=32).contains(&colors)
        || ![1, 2, 4, 8, 16].contains(&bits)
        || !(1..=MAX_PREDICTOR_COLUMNS).contains(&columns)
    {
        return Err(bad);
    }
    // In range by the checks above: at most 32 × 16 × 2^20 bits.
    let bits_per_pixel = (colors * bits) as usize;
    let row_len = (bits_per_pixel * columns as usize).div_ceil(8);
    let pixel_len = bits_per_pixel.div_ceil(8);
    match predictor {
        2 if bits == 8 => Ok(tiff(data, row_len, pixel_len)),
        10..=15 => png(&data, row_len, pixel_len, offset),
        _ => Err(bad),
    }
}

/// TIFF predictor 2 for 8-bit components: each byte adds the one a pixel to its left.
fn tiff(mut data: Vec<u8>, row_len: usize, pixel_len: usize) -> Vec<u8> {
    for row in data.chunks_mut(row_len) {
        for i in pixel_len..row.len() {
            row[i] = row[i].wrapping_add(row[i - pixel_len]);
        }
    }
    data
}

/// PNG predictors: each row starts with its filter type (0 None, 1 Sub, 2 Up, 3 Average,
/// 4 Paeth). A partial last row is an error.
fn png(data: &[u8], row_len: usize, pixel_len: usize, offset: usize) -> Result<Vec<u8>, PdfError> {
    let stride = row_len + 1;
    if !data.len().is_multiple_of(stride) {
        return Err(PdfError::Decode {
            offset: offset as u64,
            filter: "FlateDecode",
            reason: format!(
                "{} bytes is not a whole number of {stride}-byte PNG rows",
                data.len()
            ),
        });
    }
    let mut out = Vec::with_capacity(data.len() / stride * row_len);
    let mut previous = vec![0u8; row_len];
    for row in data.chunks(stride) {
        let (kind, row) = (row[0], &row[1..]);
        let mut current = row.to_vec();
        for i in 0..row_len {
            let left = if i >= pixel_len {
                current[i - pixel_len]
            } else {
                0
            };
            let up = previous[i];
            let up_left = if i >= pixel_len {
                previous[i - pixel_len]
            } else {
                0
            };
            let add = match kind {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => {
                    return Err(PdfError::Decode {
                        offset: offset as u64,
                        filter: "FlateDecode",
                        reason: format!("PNG row filter type {kind}"),
                    });
                }
            };
            current[i] = current[i].wrapping_add(add);
        }
        out.extend_from_slice(&current);
        previous = current;
    }
    Ok(out)
}

fn paeth(left: u8, up: u8, up_left: u8) -> u8 {
    let (a, b, c) = (i16::from(left), i16::from(up), i16::from(up_left));
    let p = a + b - c;
    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
    if pa <= pb && pa <= pc {
        left
    } else if pb <= pc {
        up
    } else {
        up_left
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::pdf::object::Name;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).expect("in memory");
        encoder.finish().expect("in memory")
    }

    fn flate_dict() -> Dict {
        let mut dict = Dict::new();
        dict.insert("Filter", Name::from("FlateDecode"));
        dict
    }

    #[test]
    fn flate_round_trip_and_bomb_cap() {
        let data = vec![7u8; 100_000];
        let raw = zlib(&data);
        assert_eq!(decode(&flate_dict(), &raw, 100_000, 0), Ok(data));
        assert_eq!(
            decode(&flate_dict(), &raw, 99_999, 42),
            Err(PdfError::DecodedTooLarge {
                offset: 42,
                max: 99_999
            })
        );
    }

    #[test]
    fn png_up_predictor_as_in_xref_streams() {
        // Two rows of 3 columns, filter type 2 (Up): the second row adds the first.
        let encoded = [2, 1, 2, 3, 2, 1, 1, 1];
        let mut dict = flate_dict();
        let mut params = Dict::new();
        params.insert("Predictor", Object::Integer(12));
        params.insert("Columns", Object::Integer(3));
        dict.insert("DecodeParms", Object::Dict(params));
        assert_eq!(
            decode(&dict, &zlib(&encoded), 1000, 0),
            Ok(vec![1, 2, 3, 2, 3, 4])
        );
        assert!(matches!(
            decode(&dict, &zlib(&encoded[..7]), 1000, 0),
            Err(PdfError::Decode { .. })
        ));
    }

    #[test]
    fn corrupt_and_unsupported() {
        assert!(matches!(
            decode(&flate_dict(), b"not zlib at all", 1000, 3),
            Err(PdfError::Decode { offset: 3, .. })
        ));
        let mut dict = Dict::new();
        dict.insert("Filter", Name::from("DCTDecode"));
        assert!(matches!(
            decode(&dict, b"", 1000, 0),
            Err(PdfError::UnsupportedFilter { .. })
        ));
    }
}
