//! Checks on the raw bytes before any parser sees them: size, UTF-8, nesting depth.
//!
//! The depth scan is what keeps a 10,000-deep input from exhausting the stack: it walks the
//! text once, iteratively, and refuses anything nested deeper than
//! [`crate::limits::MAX_DATA_DEPTH`] with the line where the limit was crossed. For JSON it is
//! exact. For YAML it counts flow brackets (`[`, `{` outside quoted scalars and comments) plus
//! block nesting (indentation levels and `- ` entries); it may count one level less than a
//! YAML parser would for a list written at its key's indentation, which only matters at the
//! limit itself, and serde_norway's own recursion limit (128) remains as a second guard.

/// The input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2 (serde_norway).
    Yaml,
    /// JSON (serde_json).
    Json,
}

/// Where the depth limit was crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line.
    pub line: usize,
}

/// The deepest nesting of `text` in `format`, or where it passed `limit`.
pub fn check_depth(text: &str, format: Format, limit: usize) -> Result<(), TooDeep> {
    match format {
        Format::Json => json_depth(text, limit),
        Format::Yaml => yaml_depth(text, limit),
    }
}

fn json_depth(text: &str, limit: usize) -> Result<(), TooDeep> {
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth > limit {
                    return Err(TooDeep { line });
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// State of the YAML scan carried across lines.
#[derive(Default)]
struct YamlScan {
    /// Columns where open block collections start.
    blocks: Vec<usize>,
    /// Open flow brackets.
    flow: usize,
    /// Indentation of a block scalar (`|`, `>`) being skipped, if any.
    block_scalar: Option<usize>,
    /// The deepest nesting seen on the current line.
    peak: usize,
}

fn yaml_depth(text: &str, limit: usize) -> Result<(), TooDeep> {
    let mut scan = YamlScan::default();
    for (index, line) in text.lines().enumerate() {
        scan.peak = 0;
        scan.line(line);
        if scan.peak.max(scan.blocks.len() + scan.flow) > limit {
            return Err(TooDeep { line: index + 1 });
        }
    }
    Ok(())
}

impl YamlScan {
    fn line(&mut self, line: &str) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if let Some(scalar_indent) = self.block_scalar {
            if rest.is_empty() || indent > scalar_indent {
                return;
            }
            self.block_scalar = None;
        }
        if rest.is_empty() || rest.starts_with('#') || rest.starts_with("---") {
            return;
        }
        if self.flow > 0 {
            self.flow_text(rest);
            return;
        }
        self.blocks.retain(|&column| column < indent);
        self.block_line(indent, rest);
    }

    /// A line in block context: `- ` entries, then maybe `key:`, then a value.
    fn block_line(&mut self, indent: usize, rest: &str) {
        let mut column = indent;
        let mut rest = rest;
        while rest == "-" || rest.starts_with("- ") {
            self.blocks.push(column);
            let after = rest[1..].trim_start_matches(' ');
            column += rest.len() - after.len();
            rest = after;
        }
        if let Some(value) = mapping_value(rest) {
            self.blocks.push(column);
            rest = value;
        }
        let value = rest.trim();
        if value.starts_with('|') || value.starts_with('>') {
            self.block_scalar = Some(indent);
        } else if value.starts_with('[') || value.starts_with('{') {
            self.flow_text(value);
        }
    }

    /// Count brackets in flow context, skipping quoted scalars and comments.
    fn flow_text(&mut self, text: &str) {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for c in text.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' if previous == ' ' => return,
                    '[' | '{' => {
                        self.flow += 1;
                        self.peak = self.peak.max(self.blocks.len() + self.flow);
                    }
                    ']' | '}' => self.flow = self.flow.saturating_sub(1),
                    _ => {}
                },
            }
            previous = c;
        }
    }
}

/// The text after `key:` when the line is a mapping entry (the key plain or quoted).
fn mapping_value(rest: &str) -> Option<&str> {
    let key_end = if let Some(q @ ('"' | '\'')) = rest.chars().next() {
        rest[1..].find(q).map(|i| i + 2)?
    } else {
        0
    };
    let tail = &rest[key_end..];
    let colon = tail
        .char_indices()
        .find(|&(i, c)| c == ':' && tail[i + 1..].chars().next().is_none_or(|n| n == ' '))
        .map(|(i, _)| i)?;
    let before = &tail[..colon];
    if before.contains(" #")
        || (key_end == 0 && (before.starts_with('[') || before.starts_with('{')))
    {
        return None;
    }
    Some(&tail[colon + 1..])
}

/// Guess the format: by extension, else by the first non-blank character.
pub fn detect_format(text: &str, source: &std::path::Path) -> Format {
    match source.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
            Format::Yaml
        }
        _ if text.trim_start().starts_with('{') => Format::Json,
        _ => Format::Yaml,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_json_is_refused_with_its_line() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            check_depth(&deep, Format::Json, 64),
            Err(TooDeep { line: 1 })
        );
        let strings =
            r#"{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#;
        assert_eq!(check_depth(strings, Format::Json, 64), Ok(()));
    }

    #[test]
    fn deep_yaml_flow_and_block_are_refused() {
        let flow = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(check_depth(&flow, Format::Yaml, 64).is_err());
        let mut block = String::new();
        for i in 0..10_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        assert_eq!(
            check_depth(&block, Format::Yaml, 64),
            Err(TooDeep { line: 65 })
        );
        let dashes = format!("{}x\n", "- ".repeat(10_000));
        assert!(check_depth(&dashes, Format::Yaml, 64).is_err());
    }

    #[test]
    fn ordinary_yaml_is_shallow() {
        let yaml = "kind: ke_hoach\nbody:\n  - kind: section\n    title: \"A: [b\"\n    children:\n      - {kind: bullet, text: \"x [1\"}\n      - kind: para\n        text: |\n          [[[[ {{{{\n          more\n  - {kind: para, text: 'it''s [ok'}\n";
        let mut scan = YamlScan::default();
        let mut max = 0;
        for line in yaml.lines() {
            scan.peak = 0;
            scan.line(line);
            max = max.max(scan.peak).max(scan.blocks.len() + scan.flow);
        }
        assert_eq!(scan.flow, 0);
        assert!(max <= 6, "max depth {max}");
    }
}
