//! BER to DER for CMS containers: some signers (NSS, and so poppler's `pdfsig
//! -add-signature`) write the ContentInfo with indefinite lengths (`30 80 … 00 00`), which
//! BER allows and RFC 5652 does not forbid for the outer structure. The verifier's readers
//! take DER, so such a container is re-encoded first: indefinite lengths become definite, and
//! a constructed OCTET STRING becomes one primitive string. Nothing else changes; in
//! particular the signed attributes, whose DER encoding is what the signer signed (RFC 5652
//! §5.4), are copied as they are, so a signature over anything but their DER still fails.
//!
//! Bounded: at most [`MAX_DEPTH`] levels, and the output is never much larger than the input.

/// Most nesting levels: 64. A CMS SignedData with certificates, CRLs and a timestamp token
/// nests about 20 deep; the limit keeps recursion on hostile input shallow.
pub const MAX_DEPTH: usize = 64;

/// One element at the start of `input`, re-encoded as DER, and the number of input bytes it
/// took. `None` when the input is not BER (truncated, a bad length, an end-of-contents
/// outside an indefinite element, too deep).
pub fn element_to_der(input: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::with_capacity(input.len());
    let used = convert(input, 0, &mut out)?;
    Some((out, used))
}

/// Convert the element at the start of `input`, appending DER to `out`; returns the bytes
/// read.
fn convert(input: &[u8], depth: usize, out: &mut Vec<u8>) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (tag, tag_len) = read_tag(input)?;
    let constructed = input[0] & 0x20 != 0;
    let (length, length_len) = read_length(input.get(tag_len..)?)?;
    let header = tag_len + length_len;
    match length {
        Some(length) if !constructed => {
            let end = header.checked_add(length)?;
            let value = input.get(header..end)?;
            out.extend_from_slice(&input[..tag_len]);
            write_length(value.len(), out);
            out.extend_from_slice(value);
            Some(end)
        }
        Some(length) => {
            let end = header.checked_add(length)?;
            let body = input.get(header..end)?;
            let content = children(body, false, depth, is_octet_string(&tag))?.0;
            emit(&input[..tag_len], &tag, content, out);
            Some(end)
        }
        None if constructed => {
            let (content, used) = children(&input[header..], true, depth, is_octet_string(&tag))?;
            emit(&input[..tag_len], &tag, content, out);
            Some(header + used)
        }
        None => None, // an indefinite length needs a constructed element
    }
}

/// The children of a constructed element, converted; for an indefinite one, up to its
/// end-of-contents (whose two bytes count as read). A constructed OCTET STRING gives the
/// concatenation of its segments' values instead.
fn children(body: &[u8], indefinite: bool, depth: usize, octets: bool) -> Option<(Vec<u8>, usize)> {
    let mut content = Vec::new();
    let mut at = 0;
    loop {
        let rest = body.get(at..)?;
        if rest.is_empty() {
            return (!indefinite).then_some((content, at));
        }
        if rest.starts_with(&[0, 0]) {
            return indefinite.then_some((content, at + 2));
        }
        let mut child = Vec::new();
        at += convert(rest, depth + 1, &mut child)?;
        if octets {
            content.extend_from_slice(octet_value(&child)?);
        } else {
            content.extend_from_slice(&child);
        }
    }
}

/// Write a constructed element: a constructed OCTET STRING as a primitive one.
fn emit(tag_bytes: &[u8], tag: &[u8], content: Vec<u8>, out: &mut Vec<u8>) {
    if is_octet_string(tag) {
        out.push(0x04);
    } else {
        out.extend_from_slice(tag_bytes);
    }
    write_length(content.len(), out);
    out.extend_from_slice(&content);
}

/// Universal OCTET STRING, constructed form (0x24).
fn is_octet_string(tag: &[u8]) -> bool {
    tag == [0x24]
}

/// The value of a DER primitive OCTET STRING segment.
fn octet_value(der: &[u8]) -> Option<&[u8]> {
    if der.first() != Some(&0x04) {
        return None;
    }
    let (length, length_len) = read_length(&der[1..])?;
    der.get(1 + length_len..1 + length_len + length?)
}

/// The identifier octets (low or high tag number form) and their count.
fn read_tag(input: &[u8]) -> Option<(Vec<u8>, usize)> {
    let first = *input.first()?;
    if first & 0x1f != 0x1f {
        return Some((vec![first], 1));
    }
    // High tag number: base-128 continuation bytes, at most 4 (tags up to 2^28).
    let end = input.iter().skip(1).take(4).position(|b| b & 0x80 == 0)? + 2;
    Some((input[..end].to_vec(), end))
}

/// A length: `Some(n)` definite, `None` indefinite (0x80); and the octets it took. Lengths
/// above 2^32 are refused.
fn read_length(input: &[u8]) -> Option<(Option<usize>, usize)> {
    let first = *input.first()?;
    if first < 0x80 {
        return Some((Some(first as usize), 1));
    }
    if first == 0x80 {
        return Some((None, 1));
    }
    let count = (first & 0x7f) as usize;
    if count > 4 {
        return None;
    }
    let bytes = input.get(1..1 + count)?;
    let length = bytes.iter().fold(0usize, |n, b| (n << 8) | *b as usize);
    Some((Some(length), 1 + count))
}

/// A DER definite length (shortest form).
fn write_length(length: usize, out: &mut Vec<u8>) {
    if length < 0x80 {
        out.push(length as u8);
        return;
    }
    let bytes = length.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indefinite_lengths_become_definite() {
        // SEQUENCE (indefinite) { INTEGER 1, [0] (indefinite) { NULL } }
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x01, 0xa0, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        let (der, used) = element_to_der(&ber).expect("BER");
        assert_eq!(der, [0x30, 0x07, 0x02, 0x01, 0x01, 0xa0, 0x02, 0x05, 0x00]);
        assert_eq!(used, ber.len());
    }

    #[test]
    fn der_stays_as_it_is_and_trailing_padding_is_not_read() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x05, 0x00, 0x00];
        assert_eq!(element_to_der(&der), Some((der[..5].to_vec(), 5)));
    }

    #[test]
    fn a_constructed_octet_string_is_joined() {
        let ber = [
            0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00,
        ];
        assert_eq!(
            element_to_der(&ber),
            Some((vec![0x04, 0x03, b'a', b'b', b'c'], 11))
        );
    }

    #[test]
    fn broken_input_is_refused() {
        assert_eq!(element_to_der(&[0x30, 0x80, 0x02, 0x01, 0x01]), None); // no end
        assert_eq!(element_to_der(&[0x02, 0x80, 0x00, 0x00]), None); // primitive, indefinite
        assert_eq!(element_to_der(&[0x30, 0x05, 0x02, 0x01]), None); // truncated
        assert_eq!(element_to_der(&[0x30, 0x85, 1, 0, 0, 0, 0]), None); // 5 length octets
        let mut deep = [0x30, 0x80].repeat(MAX_DEPTH + 2);
        deep.extend([0x00].repeat(2 * (MAX_DEPTH + 2)));
        assert_eq!(element_to_der(&deep), None);
        let mut shallow = [0x30, 0x80].repeat(10);
        shallow.extend([0x00].repeat(20));
        assert!(element_to_der(&shallow).is_some());
    }
}
