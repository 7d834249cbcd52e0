//! Bytes → a validated [`Document`].
//!
//! The steps, each refusing with a [`ParseError`] that names where:
//! 1. size against [`MAX_DATA_BYTES`] (before anything else), UTF-8 (the byte offset of the
//!    first bad byte), nesting depth against [`MAX_DATA_DEPTH`] (a single iterative scan, so a
//!    10,000-deep input is refused without recursion);
//! 2. YAML (serde_norway) or JSON (serde_json), chosen by extension or by sniffing, into the
//!    input types, with `serde_path_to_error` giving the field path and the parser the line;
//! 3. the profile named by `profile:` from `profiles.yaml` next to the data file (or an
//!    explicit file), its fields filling what the document leaves out;
//! 4. building the model ([`super::build`]): NFC normalisation (non-NFC input is recorded as a
//!    finding first), inline emphasis, dates, symbol, numbering.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;

use crate::diag::FieldPath;
use crate::limits::{MAX_DATA_BYTES, MAX_DATA_DEPTH};
use crate::model::Document;
use crate::model::input::{DocumentInput, ProfileInput, ProfilesInput};
use crate::model::kind::KindTable;
use crate::model::scan::{self, Format};

/// The file next to a data file that holds organisation profiles.
pub const PROFILES_FILE: &str = "profiles.yaml";

/// Options for [`parse_document_with`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The kinds table (default: the embedded one).
    pub kinds: Option<Arc<KindTable>>,
    /// An explicit profiles file (default: `profiles.yaml` next to the data file).
    pub profiles: Option<PathBuf>,
}

/// Why a data file could not be read. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Larger than [`MAX_DATA_BYTES`].
    #[error("tệp quá lớn: {size} byte, giới hạn {limit} byte (file too large)")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not UTF-8.
    #[error("byte {offset}: không phải văn bản UTF-8 (not valid UTF-8)")]
    NotUtf8 {
        /// Offset of the first bad byte.
        offset: usize,
    },
    /// Nested deeper than [`MAX_DATA_DEPTH`].
    #[error("dòng {line}: lồng nhau quá {limit} cấp (nesting too deep)")]
    TooDeep {
        /// Line where the limit was passed.
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// The YAML or JSON is malformed, or a field has the wrong type, is missing or unknown.
    #[error("{path}{}: {message}", location(*line, *column))]
    Field {
        /// The field path (`body[2].children[0].num`); the root for syntax errors.
        path: FieldPath,
        /// What is wrong (from the parser).
        message: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
    },
    /// A value of the right type that cannot be used (an unknown kind, a bad bullet marker).
    #[error("{path}: {message}")]
    Invalid {
        /// The field path.
        path: FieldPath,
        /// What is wrong.
        message: String,
    },
    /// A text field longer than [`crate::limits::MAX_TEXT_BYTES`].
    #[error("{path}: văn bản quá dài, {size} byte, giới hạn {limit} (text too long)")]
    TextTooLong {
        /// The field path.
        path: FieldPath,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// More body nodes than [`crate::limits::MAX_NODES`].
    #[error("{path}: quá {limit} phần tử nội dung (too many body nodes)")]
    TooManyNodes {
        /// Where the limit was passed.
        path: FieldPath,
        /// The limit.
        limit: usize,
    },
    /// The profiles file could not be read.
    #[error("{}: {error}", file.display())]
    Profiles {
        /// The profiles file.
        file: PathBuf,
        /// What went wrong in it.
        error: Box<ParseError>,
    },
    /// A file could not be read.
    #[error("{}: không đọc được tệp: {message}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The system's message.
        message: String,
    },
}

impl ParseError {
    /// The field path the error points at, when it has one.
    pub fn path(&self) -> Option<&FieldPath> {
        match self {
            ParseError::Field { path, .. }
            | ParseError::Invalid { path, .. }
            | ParseError::TextTooLong { path, .. }
            | ParseError::TooManyNodes { path, .. } => Some(path),
            ParseError::Profiles { error, .. } => error.path(),
            _ => None,
        }
    }

    /// The message without the field path (for reports that print the path separately).
    pub fn detail(&self) -> String {
        match self {
            ParseError::Field {
                message,
                line,
                column,
                ..
            } => {
                format!("{message}{}", location(*line, *column))
            }
            ParseError::Invalid { message, .. } => message.clone(),
            ParseError::TextTooLong { size, limit, .. } => {
                format!("văn bản quá dài, {size} byte, giới hạn {limit} (text too long)")
            }
            ParseError::TooManyNodes { limit, .. } => {
                format!("quá {limit} phần tử nội dung (too many body nodes)")
            }
            ParseError::Profiles { file, error } => {
                format!("{}: {}", file.display(), error.detail())
            }
            other => other.to_string(),
        }
    }
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(" (dòng {line}, cột {column})"),
        (Some(line), None) => format!(" (dòng {line})"),
        _ => String::new(),
    }
}

/// Read a document from its bytes; `source` is its path (format detection, relative paths,
/// `profiles.yaml` lookup).
pub fn parse_document(bytes: &[u8], source: &Path) -> Result<Document, ParseError> {
    parse_document_with(bytes, source, &ParseOptions::default())
}

/// [`parse_document`] with an explicit kinds table or profiles file.
pub fn parse_document_with(
    bytes: &[u8],
    source: &Path,
    options: &ParseOptions,
) -> Result<Document, ParseError> {
    let input: DocumentInput = read_data(bytes, source)?;
    let kinds = options.kinds.clone().unwrap_or_else(embedded_kinds);
    let profile = load_profile(&input, source, options)?;
    super::build::build(input, profile, source, kinds)
}

/// Read a file, refusing more than [`MAX_DATA_BYTES`] without reading it all.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ParseError> {
    use std::io::Read;
    let io = |e: std::io::Error| ParseError::Io {
        file: path.to_owned(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_DATA_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(limit).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > MAX_DATA_BYTES {
        let size = std::fs::metadata(path)
            .ok()
            .and_then(|m| usize::try_from(m.len()).ok())
            .unwrap_or(bytes.len());
        return Err(ParseError::TooLarge {
            size,
            limit: MAX_DATA_BYTES,
        });
    }
    Ok(bytes)
}

/// Bytes → any input type, with the size, UTF-8 and depth checks.
pub fn read_data<T: DeserializeOwned>(bytes: &[u8], source: &Path) -> Result<T, ParseError> {
    let text = checked_text(bytes)?;
    let format = scan::detect_format(text, source);
    scan::check_depth(text, format, MAX_DATA_DEPTH).map_err(|deep| ParseError::TooDeep {
        line: deep.line,
        limit: MAX_DATA_DEPTH,
    })?;
    match format {
        Format::Json => from_json(text),
        Format::Yaml => from_yaml(text),
    }
}

fn checked_text(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.len() > MAX_DATA_BYTES {
        return Err(ParseError::TooLarge {
            size: bytes.len(),
            limit: MAX_DATA_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, ParseError> {
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let location = e.inner().location();
        let path = field_path(e.path());
        // serde_norway prefixes its message with the path it tracked itself.
        let message = strip_location(&e.inner().to_string());
        let message = message
            .strip_prefix(&format!("{}: ", e.path()))
            .map_or(message.clone(), str::to_owned);
        ParseError::Field {
            path,
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| json_error(field_path(e.path()), e.inner()))?;
    de.end().map_err(|e| json_error(FieldPath::root(), &e))?;
    Ok(value)
}

fn json_error(path: FieldPath, error: &serde_json::Error) -> ParseError {
    let line = error.line();
    ParseError::Field {
        path,
        message: strip_location(&error.to_string()),
        line: (line > 0).then_some(line),
        column: (line > 0).then_some(error.column()),
    }
}

fn field_path(path: &serde_path_to_error::Path) -> FieldPath {
    let text = path.to_string();
    if text == "." {
        FieldPath::root()
    } else {
        FieldPath::new(text)
    }
}

/// Parser messages end with " at line 3 column 5"; the location is reported separately.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn embedded_kinds() -> Arc<KindTable> {
    static KINDS: OnceLock<Arc<KindTable>> = OnceLock::new();
    KINDS
        .get_or_init(|| Arc::new(KindTable::embedded()))
        .clone()
}

/// A profile selected by a document, with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedProfile {
    /// Its name.
    pub name: String,
    /// Its content.
    pub profile: ProfileInput,
    /// The profiles file (images in the profile are relative to it).
    pub file: PathBuf,
}

/// `profiles.yaml` next to the data file, or in the nearest of its parent directories (so
/// `fixtures/extra/x.yaml` finds `fixtures/profiles.yaml`), at most [`PROFILE_SEARCH_DEPTH`]
/// levels up.
fn find_profiles(source: &Path) -> Option<PathBuf> {
    let start = source
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    start
        .ancestors()
        .take(PROFILE_SEARCH_DEPTH)
        .map(|dir| dir.join(PROFILES_FILE))
        .find(|file| file.is_file())
}

/// How many directories [`find_profiles`] looks at: the data file's and three above it.
pub const PROFILE_SEARCH_DEPTH: usize = 4;

fn load_profile(
    input: &DocumentInput,
    source: &Path,
    options: &ParseOptions,
) -> Result<Option<LoadedProfile>, ParseError> {
    let Some(name) = &input.profile else {
        return Ok(None);
    };
    let file = match &options.profiles {
        Some(file) => file.clone(),
        None => find_profiles(source).ok_or_else(|| ParseError::Invalid {
            path: FieldPath::new("profile"),
            message: format!(
                "hồ sơ “{name}” cần tệp {PROFILES_FILE} cạnh tệp dữ liệu hoặc ở thư mục cha, nhưng không thấy (profiles file not found)"
            ),
        })?,
    };
    if !file.is_file() {
        return Err(ParseError::Io {
            file: file.clone(),
            message: "không thấy tệp hồ sơ (profiles file not found)".into(),
        });
    }
    let wrap = |error: ParseError| ParseError::Profiles {
        file: file.clone(),
        error: Box::new(error),
    };
    let bytes = read_file(&file).map_err(wrap)?;
    let mut profiles: ProfilesInput = read_data(&bytes, &file).map_err(wrap)?;
    let Some(profile) = profiles.profiles.remove(name) else {
        let known: Vec<&String> = profiles.profiles.keys().collect();
        return Err(ParseError::Invalid {
            path: FieldPath::new("profile"),
            message: format!(
                "không có hồ sơ “{name}” trong {} (có: {known:?})",
                file.display()
            ),
        });
    };
    Ok(Some(LoadedProfile {
        name: name.clone(),
        profile,
        file,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Document, ParseError> {
        parse_document(yaml.as_bytes(), Path::new("test.yaml"))
    }

    #[test]
    fn wrong_type_names_path_and_line() {
        let error = parse("kind: ke_hoach\ntitle: T\nissuer: {name: X}\nnumber: {seq: \"ba\"}\n")
            .expect_err("seq must be a number");
        let ParseError::Field { path, line, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(path.as_str(), "number.seq");
        assert_eq!(*line, Some(4));
    }

    #[test]
    fn json_is_read_too() {
        let json = r#"{"kind": "ke_hoach", "title": "Về đổi mới", "issuer": {"name": "CÔNG ĐOÀN NGÀNH Y TẾ", "abbr": "CĐN"}}"#;
        let doc = parse_document(json.as_bytes(), Path::new("x.json")).expect("valid JSON");
        assert_eq!(
            doc.number.symbol.map(|s| s.to_string()),
            Some("KH-CĐN".into())
        );
        let error = parse_document(br#"{"kind": 1}"#, Path::new("x.json")).expect_err("bad");
        assert!(
            matches!(error, ParseError::Field { ref path, .. } if path.as_str() == "kind"),
            "{error}"
        );
    }

    #[test]
    fn invalid_utf8_names_offset() {
        let mut bytes = b"kind: ke_hoach\ntitle: ".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        let error = parse_document(&bytes, Path::new("x.yaml")).expect_err("not UTF-8");
        assert_eq!(error, ParseError::NotUtf8 { offset: 22 });
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let bytes = vec![b' '; MAX_DATA_BYTES + 1];
        let error = parse_document(&bytes, Path::new("x.yaml")).expect_err("too large");
        assert!(matches!(error, ParseError::TooLarge { .. }));
    }

    #[test]
    fn unknown_kind_lists_path() {
        let error = parse("kind: ke_hoachh\ntitle: T\nissuer: {name: X}\n").expect_err("unknown");
        assert!(
            matches!(error, ParseError::Invalid { ref path, .. } if path.as_str() == "kind"),
            "{error}"
        );
    }
}
