//! A small sRGB ICC profile (version 2.1), generated here rather than shipped as a binary.
//!
//! PDF/A-2b needs an output intent with an ICC profile for the device RGB colours we use
//! (black text, red stamps). Generating it keeps the repository free of third-party binary
//! files and their licences: the colorants are the published sRGB primaries adapted to D50
//! (IEC 61966-2-1, as in every sRGB profile), the tone curve is the sRGB transfer function
//! sampled at 1024 points. About 2.5 KB before compression.

/// Number of samples of the tone curve.
const CURVE_POINTS: usize = 1024;

/// The profile bytes.
pub fn srgb_profile() -> Vec<u8> {
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", description("sRGB IEC61966-2.1 (vanban)")),
        (b"cprt", text("No copyright, use freely")),
        (b"wtpt", xyz([0.9642, 1.0, 0.8249])),
        (b"rXYZ", xyz([0.436_066, 0.222_488, 0.013_916])),
        (b"gXYZ", xyz([0.385_147, 0.716_873, 0.097_076])),
        (b"bXYZ", xyz([0.143_066, 0.060_608, 0.714_096])),
        (b"rTRC", curve()),
    ];
    let shared = [b"gTRC", b"bTRC"];
    let count = tags.len() + shared.len();
    let table_size = 4 + 12 * count;
    let mut offset = 128 + table_size;
    let mut table = Vec::new();
    let mut data = Vec::new();
    let mut curve_at = (0, 0);
    for (signature, body) in &tags {
        table.extend_from_slice(*signature);
        table.extend_from_slice(&(offset as u32).to_be_bytes());
        table.extend_from_slice(&(body.len() as u32).to_be_bytes());
        if *signature == b"rTRC" {
            curve_at = (offset, body.len());
        }
        data.extend_from_slice(body);
        while data.len() % 4 != 0 {
            data.push(0);
        }
        offset = 128 + table_size + data.len();
    }
    for signature in shared {
        table.extend_from_slice(signature);
        table.extend_from_slice(&(curve_at.0 as u32).to_be_bytes());
        table.extend_from_slice(&(curve_at.1 as u32).to_be_bytes());
    }
    let size = 128 + table_size + data.len();
    let mut out = header(size as u32);
    out.extend_from_slice(&(count as u32).to_be_bytes());
    out.extend_from_slice(&table);
    out.extend_from_slice(&data);
    out
}

fn header(size: u32) -> Vec<u8> {
    let mut h = vec![0u8; 128];
    h[0..4].copy_from_slice(&size.to_be_bytes());
    h[8..12].copy_from_slice(&[0x02, 0x10, 0x00, 0x00]);
    h[12..16].copy_from_slice(b"mntr");
    h[16..20].copy_from_slice(b"RGB ");
    h[20..24].copy_from_slice(b"XYZ ");
    for (i, value) in [2024u16, 1, 1, 0, 0, 0].iter().enumerate() {
        h[24 + 2 * i..26 + 2 * i].copy_from_slice(&value.to_be_bytes());
    }
    h[36..40].copy_from_slice(b"acsp");
    for (i, value) in [0.9642f64, 1.0, 0.8249].iter().enumerate() {
        h[68 + 4 * i..72 + 4 * i].copy_from_slice(&s15_fixed16(*value));
    }
    h
}

fn s15_fixed16(value: f64) -> [u8; 4] {
    ((value * 65536.0).round() as i32).to_be_bytes()
}

fn xyz(values: [f64; 3]) -> Vec<u8> {
    let mut out = b"XYZ \0\0\0\0".to_vec();
    for value in values {
        out.extend_from_slice(&s15_fixed16(value));
    }
    out
}

fn text(value: &str) -> Vec<u8> {
    let mut out = b"text\0\0\0\0".to_vec();
    out.extend_from_slice(value.as_bytes());
    out.push(0);
    out
}

fn description(value: &str) -> Vec<u8> {
    let mut out = b"desc\0\0\0\0".to_vec();
    out.extend_from_slice(&(value.len() as u32 + 1).to_be_bytes());
    out.extend_from_slice(value.as_bytes());
    out.push(0);
    out.extend_from_slice(&[0; 4]); // Unicode language code
    out.extend_from_slice(&[0; 4]); // Unicode count
    out.extend_from_slice(&[0; 2]); // ScriptCode code
    out.push(0); // ScriptCode count
    out.extend_from_slice(&[0; 67]);
    out
}

fn curve() -> Vec<u8> {
    let mut out = b"curv\0\0\0\0".to_vec();
    out.extend_from_slice(&(CURVE_POINTS as u32).to_be_bytes());
    for i in 0..CURVE_POINTS {
        let v = i as f64 / (CURVE_POINTS - 1) as f64;
        let linear = if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        out.extend_from_slice(&((linear * 65535.0).round() as u16).to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_is_well_formed() {
        let profile = srgb_profile();
        let size = u32::from_be_bytes(profile[0..4].try_into().unwrap()) as usize;
        assert_eq!(size, profile.len());
        assert_eq!(&profile[36..40], b"acsp");
        let count = u32::from_be_bytes(profile[128..132].try_into().unwrap()) as usize;
        assert_eq!(count, 9);
        for i in 0..count {
            let entry = &profile[132 + 12 * i..144 + 12 * i];
            let offset = u32::from_be_bytes(entry[4..8].try_into().unwrap()) as usize;
            let len = u32::from_be_bytes(entry[8..12].try_into().unwrap()) as usize;
            assert_eq!(offset % 4, 0);
            assert!(offset + len <= profile.len());
        }
    }
}
