//! Source snippets under diagnostics, for people reading a terminal.
//!
//! The diagnostic line itself is always protoc's `path:line:col: message`; the snippet only
//! adds the offending source line and a caret below it.

use std::collections::HashMap;
use std::path::Path;

use rivet_compiler::{Diagnostic, file_names};

use crate::args::ProtoPath;

/// protoc's tab width: a tab advances the column to the next multiple of 8.
const TAB_WIDTH: usize = 8;

/// Finds and caches the text of the files diagnostics point into.
pub struct SourceCache<'a> {
    proto_paths: &'a [ProtoPath],
    files: HashMap<String, Option<String>>,
}

impl<'a> SourceCache<'a> {
    /// A cache that also looks for files under `proto_paths`.
    pub fn new(proto_paths: &'a [ProtoPath]) -> Self {
        SourceCache {
            proto_paths,
            files: HashMap::new(),
        }
    }

    /// The snippet for `diagnostic`, if its file and line can be found.
    pub fn snippet(&mut self, diagnostic: &Diagnostic, color: bool) -> Option<String> {
        if diagnostic.line == 0 || diagnostic.file.is_empty() {
            return None;
        }
        let proto_paths = self.proto_paths;
        // The file name in the form of `file_names`, which keeps bytes that are not UTF-8.
        let file = file_names::from_bytes(diagnostic.file_bytes()).into_owned();
        let text = self
            .files
            .entry(file)
            .or_insert_with_key(|file| read_source(file, proto_paths))
            .as_deref()?;
        render(text, diagnostic.line, diagnostic.column, color)
    }
}

/// Reads a diagnostic's file: as a path on disk (protoc prints disk paths), or else as a
/// virtual path under one of the include paths.
fn read_source(file: &str, proto_paths: &[ProtoPath]) -> Option<String> {
    let mut candidates = vec![file_names::to_path(file)];
    for path in proto_paths {
        let relative = if path.virtual_prefix.is_empty() {
            Some(file)
        } else {
            file.strip_prefix(path.virtual_prefix.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
        };
        if let Some(relative) = relative {
            candidates.push(path.disk.join(file_names::to_path(relative)));
        }
    }
    candidates
        .iter()
        .find(|p| Path::new(p).is_file())
        .and_then(|p| std::fs::read(p).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// Renders line `line` (1-based) of `text` with a caret under protoc's column `column`
/// (1-based, counting bytes, tabs advancing to the next multiple of 8):
///
/// ```text
///    3 | message A { int32 x = 1; int32 y = 1; }
///      |                                    ^
/// ```
pub fn render(text: &str, line: u32, column: u32, color: bool) -> Option<String> {
    let source_line = text.split('\n').nth(line.checked_sub(1)? as usize)?;
    let source_line = source_line.strip_suffix('\r').unwrap_or(source_line);
    let target = column.saturating_sub(1) as usize;

    // Walk the line, tracking protoc's column and the displayed column side by side.
    let mut shown = String::new();
    let mut protoc_column = 0usize;
    let mut caret_at = None;
    for c in source_line.chars() {
        if caret_at.is_none() && protoc_column >= target {
            caret_at = Some(shown.chars().count());
        }
        if c == '\t' {
            let next = (protoc_column / TAB_WIDTH + 1) * TAB_WIDTH;
            let display = shown.chars().count();
            let display_next = (display / TAB_WIDTH + 1) * TAB_WIDTH;
            shown.extend(std::iter::repeat_n(' ', display_next - display));
            protoc_column = next;
        } else {
            shown.push(if c.is_control() { ' ' } else { c });
            protoc_column += c.len_utf8();
        }
    }
    let caret_at = caret_at.unwrap_or_else(|| shown.chars().count());

    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    let (start, end) = if color {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("", "")
    };
    Some(format!(
        " {number} | {}\n {gutter} | {}{start}^{end}",
        shown.trim_end(),
        " ".repeat(caret_at)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_the_column() {
        let text = "syntax = \"proto3\";\nmessage A { int32 x = 1; int32 y = 1; }\n";
        let snippet = render(text, 2, 36, false).unwrap();
        assert_eq!(
            snippet,
            " 2 | message A { int32 x = 1; int32 y = 1; }\n   |                                    ^"
        );
    }

    #[test]
    fn tabs_advance_to_multiples_of_eight() {
        // protoc puts `x` at column 17: the tab moves from column 1 to 9, "int32" to 14,
        // the second tab to 17.
        let text = "\tint32\tx = 1;";
        let snippet = render(text, 1, 17, false).unwrap();
        assert_eq!(
            snippet,
            " 1 |         int32   x = 1;\n   |                 ^"
        );
    }

    #[test]
    fn multibyte_characters_count_as_their_bytes() {
        // "é" is two bytes: protoc counts the `x` after "é " as column 4.
        let text = "é x";
        let snippet = render(text, 1, 4, false).unwrap();
        assert_eq!(snippet, " 1 | é x\n   |   ^");
    }

    #[test]
    fn caret_at_end_of_line_and_missing_lines() {
        assert_eq!(render("ab", 1, 3, false).unwrap(), " 1 | ab\n   |   ^");
        assert_eq!(render("ab", 2, 1, false), None);
        assert_eq!(render("ab", 0, 1, false), None);
    }
}
