//! Distinguished names (tên phân biệt) compared the way RFC 5280 §7.1 asks.
//!
//! Name chaining compares the issuer of one certificate with the subject of the next. Byte
//! equality is too strict: CAs re-encode names (PrintableString in one certificate, UTF8String
//! in the next; "Ban Cơ yếu  Chính phủ" with two spaces). RFC 5280 §7.1 points at the LDAP
//! StringPrep profile (RFC 4518). We implement the parts that matter in practice:
//!
//! - the RDN sequence must match in order and length; a multi-valued RDN is compared as a set;
//! - attribute types compare by OID;
//! - string values (UTF8String, PrintableString, IA5String, NumericString, TeletexString,
//!   BMPString, UniversalString) compare after NFKC, Unicode lower-casing, trimming, and
//!   collapsing inner runs of white space to one space;
//! - any other value compares by its tag and bytes.

use unicode_normalization::UnicodeNormalization;
use x509_parser::der_parser::asn1_rs::Tag;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// A name as printed for people, its DER bytes, and its normalised comparison key.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    /// RFC 4514-like text: `C=VN, O=Ban Cơ yếu Chính phủ, CN=…`.
    pub(crate) display: String,
    /// The DER encoding as it appears in the certificate (hashed for OCSP CertIDs).
    pub(crate) der: Vec<u8>,
    key: Vec<Vec<(String, Value)>>,
}

/// One attribute value, normalised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Text(String),
    Other(u32, Vec<u8>),
}

impl Name {
    /// Reads a name parsed by x509-parser.
    pub(crate) fn from_x509(name: &X509Name<'_>) -> Self {
        let key = name
            .iter_rdn()
            .map(|rdn| {
                let mut set: Vec<(String, Value)> = rdn.iter().map(normalise_attribute).collect();
                set.sort();
                set
            })
            .collect();
        Name {
            display: display(name),
            der: name.as_raw().to_vec(),
            key,
        }
    }

    /// Reads a name from its DER encoding (used for names that come through the `der` stack,
    /// such as an OCSP ResponderID).
    pub(crate) fn from_der(der: &[u8]) -> Option<Self> {
        use x509_parser::prelude::FromDer;
        let (rest, name) = X509Name::from_der(der).ok()?;
        rest.is_empty().then(|| Name::from_x509(&name))
    }

    /// Whether two names are the same under RFC 5280 §7.1 comparison.
    pub(crate) fn matches(&self, other: &Name) -> bool {
        self.key == other.key
    }
}

fn display(name: &X509Name<'_>) -> String {
    let text = name.to_string();
    if text.is_empty() {
        "(empty name)".to_owned()
    } else {
        text
    }
}

fn normalise_attribute(attribute: &AttributeTypeAndValue<'_>) -> (String, Value) {
    let oid = attribute.attr_type().to_id_string();
    let any = attribute.attr_value();
    let value = match decode_string(any.tag(), any.data) {
        Some(text) => Value::Text(fold(&text)),
        None => Value::Other(any.tag().0, any.data.to_vec()),
    };
    (oid, value)
}

/// Decodes the directory string types; `None` for anything else or bad encodings.
fn decode_string(tag: Tag, data: &[u8]) -> Option<String> {
    match tag {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::NumericString
        | Tag::VisibleString => std::str::from_utf8(data).ok().map(str::to_owned),
        // T.61 in theory; in practice Latin-1 text.
        Tag::TeletexString => Some(data.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            if !data.len().is_multiple_of(2) {
                return None;
            }
            let units = data
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        Tag::UniversalString => {
            if !data.len().is_multiple_of(4) {
                return None;
            }
            data.chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect()
        }
        _ => None,
    }
}

/// NFKC, lower case, and insignificant white space removed (RFC 4518 §2, simplified).
fn fold(text: &str) -> String {
    let lowered: String = text.nfkc().flat_map(char::to_lowercase).collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_white_space_but_keeps_diacritics() {
        assert_eq!(fold("  Ban Cơ yếu   CHÍNH PHỦ "), "ban cơ yếu chính phủ");
        assert_ne!(fold("Ban Co yeu"), fold("Ban Cơ yếu"));
        // NFD input folds to the same key as NFC input.
        assert_eq!(fold("Nguye\u{302}\u{303}n"), fold("Nguyễn"));
    }

    #[test]
    fn bmp_and_universal_strings_decode() {
        let bmp: Vec<u8> = "Đà".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_string(Tag::BmpString, &bmp).as_deref(), Some("Đà"));
        let ucs4: Vec<u8> = "ữ".chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        assert_eq!(
            decode_string(Tag::UniversalString, &ucs4).as_deref(),
            Some("ữ")
        );
        assert_eq!(decode_string(Tag::BmpString, &[0]), None);
    }
}
