//! Deterministic mutations for the fuzz entry points under stable Rust (the same entry points
//! that `tests/fuzz/` runs under libFuzzer).
#![allow(dead_code)] // each test binary uses part of the shared helpers

/// xorshift64*: deterministic mutations without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes a mutation inserts into binary formats (DER tags and lengths, PDF delimiters).
pub const BINARY: &[u8] = &[0x30, 0x80, 0x82, 0xff, 0x00, b'<', b'>', b'[', b']'];
/// Bytes a mutation inserts into YAML and JSON.
pub const TEXT: &[u8] = b":-\n {}[]&*!|>\"'#,\t";

/// One to four byte mutations (flip, set, truncate, delete, copy a span elsewhere, insert a
/// byte of [`BINARY`]) at positions inside `focus`.
pub fn mutate(rng: &mut Rng, input: &[u8], focus: std::ops::Range<usize>) -> Vec<u8> {
    mutate_with(rng, input, focus, BINARY)
}

/// [`mutate`] inserting bytes of `alphabet`.
pub fn mutate_with(
    rng: &mut Rng,
    input: &[u8],
    focus: std::ops::Range<usize>,
    alphabet: &[u8],
) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        if data.is_empty() {
            break;
        }
        let span = focus.start.min(data.len())..focus.end.min(data.len()).max(1);
        let at = span.start + rng.below(span.len().max(1));
        let at = at.min(data.len() - 1);
        match rng.below(6) {
            0 => data[at] ^= 1 << rng.below(8),
            1 => data[at] = rng.next() as u8,
            2 => data.truncate(at),
            3 => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            4 => {
                let end = (at + 1 + rng.below(32)).min(data.len());
                let copy = data[at..end].to_vec();
                let to = rng.below(data.len());
                data.splice(to..to, copy);
            }
            _ => {
                let byte = alphabet[rng.below(alphabet.len())];
                data.insert(at, byte);
            }
        }
    }
    data
}

/// `VANBAN_MUTATIONS`, or `default`.
pub fn mutations(default: usize) -> usize {
    std::env::var("VANBAN_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
