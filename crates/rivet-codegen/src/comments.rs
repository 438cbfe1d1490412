//! Doc comments from `SourceCodeInfo`, formatted the way prost-build formats them.
//!
//! Leading comments, then (when both exist) an empty line, then trailing comments, each line
//! sanitized for rustdoc: bare URLs are wrapped in `<...>`, and `[text]` that would be read as
//! an intra-doc link is escaped as `\[text\]`. Detached comments are not documentation and are
//! dropped (prost-build's formatter drops them too).
//!
//! With Markdown clean-up (tonic-prost-build's default), each comment is first parsed as
//! CommonMark and written back in normalized form, with code blocks fenced and tagged so that
//! doctests do not try to compile them (`text`, or `compile_fail` for `rust` blocks).

use std::collections::HashMap;

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use quote::quote;
use rivet_descriptor::{ProtoString, SourceCodeInfo};

/// The comments protoc attached to one element of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Comments {
    /// Lines of the comment block right before the element.
    pub(crate) leading: Vec<String>,
    /// Lines of the comment right after the element.
    pub(crate) trailing: Vec<String>,
}

/// Looks comments up by their `SourceCodeInfo` path.
#[derive(Debug, Default)]
pub(crate) struct CommentIndex {
    by_path: HashMap<Vec<i32>, Comments>,
}

impl CommentIndex {
    /// Indexes the locations of a file; `None` (no source info) gives an empty index.
    pub(crate) fn new(info: Option<&SourceCodeInfo>, cleanup_markdown: bool) -> Self {
        // Comments are the `.proto` file's bytes, which need not be UTF-8 (old files often
        // have Latin-1 comments): documentation gets U+FFFD for what is not.
        let split_lines = |text: Option<&ProtoString>| {
            let Some(text) = text else {
                return Vec::new();
            };
            let text = text.to_string_lossy();
            if cleanup_markdown {
                markdown_lines(&text)
            } else {
                text.lines().map(str::to_owned).collect()
            }
        };
        let mut by_path = HashMap::new();
        for location in info.map(|info| &info.location[..]).unwrap_or_default() {
            // Only element paths (pairs of field number and index) carry element comments.
            if location.path.is_empty() || location.path.len() % 2 != 0 {
                continue;
            }
            by_path
                .entry(location.path.clone())
                .or_insert_with(|| Comments {
                    leading: split_lines(location.leading_comments.as_ref()),
                    trailing: split_lines(location.trailing_comments.as_ref()),
                });
        }
        CommentIndex { by_path }
    }

    /// The comments of the element at `path`, if any.
    pub(crate) fn get(&self, path: &[i32]) -> Option<&Comments> {
        self.by_path.get(path)
    }
}

/// The lines of a comment after a round trip through a CommonMark parser and writer.
fn markdown_lines(text: &str) -> Vec<String> {
    let events =
        Parser::new_ext(text, Options::all() - Options::ENABLE_SMART_PUNCTUATION).map(|event| {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match kind {
                        CodeBlockKind::Fenced(lang) if lang.as_ref() == "rust" => {
                            "compile_fail".into()
                        }
                        CodeBlockKind::Fenced(lang) => format!("text,{lang}").into(),
                        CodeBlockKind::Indented => "text".into(),
                    };
                    Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                }
                other => other,
            }
        });
    let options = pulldown_cmark_to_cmark::Options {
        code_block_token_count: 3,
        ..Default::default()
    };
    let mut normalized = String::with_capacity(text.len() + 64);
    match pulldown_cmark_to_cmark::cmark_with_options(events, &mut normalized, options) {
        Ok(_) => normalized.lines().map(str::to_owned).collect(),
        Err(_) => text.lines().map(str::to_owned).collect(),
    }
}

impl Comments {
    /// `#[doc]` attributes for messages, fields, enums and variants.
    pub(crate) fn to_doc_attrs(&self) -> TokenStream {
        let mut lines: Vec<String> = self.leading.iter().map(|l| sanitize_line(l)).collect();
        if !self.leading.is_empty() && !self.trailing.is_empty() {
            lines.push(String::new());
        }
        lines.extend(self.trailing.iter().map(|l| sanitize_line(l)));
        lines.iter().map(|line| quote!(#[doc = #line])).collect()
    }
}

/// Prepares one comment line for rustdoc.
pub(crate) fn sanitize_line(line: &str) -> String {
    let mut text = escape_link_brackets(&wrap_urls(line));
    let mut chars = text.chars();
    // Indent by one space, unless the line already starts with exactly one space.
    let indent = match chars.next() {
        None => false,
        Some(' ') => chars.next() == Some(' '),
        Some(_) => true,
    };
    if indent {
        text.insert(0, ' ');
    }
    text
}

/// Wraps `http://` and `https://` URLs (up to whitespace or `)`) in angle brackets.
fn wrap_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    let mut rest = line;
    while let Some(start) = find_url_start(rest) {
        let (before, from_url) = rest.split_at(start);
        let scheme_len = if from_url.starts_with("https://") {
            8
        } else {
            7
        };
        let body_len: usize = from_url[scheme_len..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != ')')
            .map(char::len_utf8)
            .sum();
        out.push_str(before);
        out.push('<');
        out.push_str(&from_url[..scheme_len + body_len]);
        out.push('>');
        rest = &from_url[scheme_len + body_len..];
    }
    out.push_str(rest);
    out
}

/// The byte offset of the first `http://` or `https://` followed by at least one URL character.
fn find_url_start(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(offset) = text[from..].find("http") {
        let start = from + offset;
        let after = &text[start + 4..];
        let scheme_rest = after
            .strip_prefix("s://")
            .or_else(|| after.strip_prefix("://"));
        if let Some(body) = scheme_rest
            && body
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && c != ')')
        {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

/// Escapes `[text]` as `\[text\]` unless it is already escaped or is followed by `(` or `[`
/// (a Markdown link). Matches are found left to right without overlapping: a match consumes the
/// character before `[` and the one after `]`.
fn escape_link_brackets(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 4);
    let mut copied = 0;
    let mut pos = 0;
    while pos < chars.len() {
        match match_brackets_at(&chars, pos) {
            Some(found) => {
                out.extend(&chars[copied..found.open]);
                out.push_str("\\[");
                out.extend(&chars[found.open + 1..found.close]);
                out.push_str("\\]");
                copied = found.close + 1;
                pos = found.end;
            }
            None => pos += 1,
        }
    }
    out.extend(&chars[copied..]);
    out
}

struct BracketMatch {
    /// Index of `[`.
    open: usize,
    /// Index of the closing `]`.
    close: usize,
    /// Index just past the match (past the character after `]`, if one was consumed).
    end: usize,
}

/// Tries to match, starting exactly at `start`: (start of line | a character other than `]` and
/// `\`), `[`, optionally (any run of non-`]` characters then one character other than `\`), `]`,
/// then (a character other than `(` and `[` | end of line). Alternatives are tried in that
/// order, longest run first.
fn match_brackets_at(chars: &[char], start: usize) -> Option<BracketMatch> {
    let mut openings = Vec::with_capacity(2);
    if start == 0 {
        openings.push(start);
    }
    if chars.get(start).is_some_and(|c| *c != ']' && *c != '\\') {
        openings.push(start + 1);
    }
    for open in openings {
        if chars.get(open) != Some(&'[') {
            continue;
        }
        let inner = open + 1;
        let run = chars[inner..].iter().take_while(|c| **c != ']').count();
        // With contents: a run of non-`]` (longest first), then one non-`\` character.
        for len in (0..=run).rev() {
            let last = inner + len;
            if chars.get(last).is_some_and(|c| *c != '\\')
                && chars.get(last + 1) == Some(&']')
                && let Some(end) = match_after_close(chars, last + 2)
            {
                return Some(BracketMatch {
                    open,
                    close: last + 1,
                    end,
                });
            }
        }
        // Without contents: `[]`.
        if chars.get(inner) == Some(&']')
            && let Some(end) = match_after_close(chars, inner + 1)
        {
            return Some(BracketMatch {
                open,
                close: inner,
                end,
            });
        }
    }
    None
}

fn match_after_close(chars: &[char], at: usize) -> Option<usize> {
    match chars.get(at) {
        Some('(') | Some('[') => None,
        Some(_) => Some(at + 1),
        None => Some(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(line: &str) -> String {
        format!("///{}", sanitize_line(line))
    }

    #[test]
    fn comments_that_are_not_utf8_are_read_lossily() {
        let location = rivet_descriptor::source_code_info::Location {
            path: vec![4, 0],
            leading_comments: Some(b" caf\xe9\n".to_vec().into()),
            trailing_comments: Some(" ok\n".into()),
            ..Default::default()
        };
        let info = SourceCodeInfo {
            location: vec![location],
            ..Default::default()
        };
        for cleanup_markdown in [false, true] {
            let index = CommentIndex::new(Some(&info), cleanup_markdown);
            let comments = index.get(&[4, 0]).unwrap();
            assert_eq!(comments.leading.len(), 1);
            assert_eq!(comments.leading[0].trim(), "caf\u{fffd}");
            assert_eq!(comments.trailing.len(), 1);
        }
    }

    #[test]
    fn indentation() {
        assert_eq!(doc(" single space"), "/// single space");
        assert_eq!(doc("no space"), "/// no space");
        assert_eq!(doc(""), "///");
        assert_eq!(doc("  list continuation"), "///   list continuation");
    }

    #[test]
    fn urls() {
        assert_eq!(
            doc("See https://www.rust-lang.org/"),
            "/// See <https://www.rust-lang.org/>"
        );
        assert_eq!(doc("See (http://a.b/c)"), "/// See (<http://a.b/c>)");
        assert_eq!(doc("See note://abc"), "/// See note://abc");
        assert_eq!(doc("http:// x"), "/// http:// x");
        assert_eq!(doc("xhttps://a y"), "/// x<https://a> y");
    }

    #[test]
    fn brackets() {
        let cases = [
            ("foo [bar] baz", "/// foo \\[bar\\] baz"),
            ("foo [= baz", "/// foo [= baz"),
            ("foo =] baz", "/// foo =] baz"),
            ("[0, 9)", "/// [0, 9)"),
            ("foo [bar](bar) baz", "/// foo [bar](bar) baz"),
            ("foo [bar]", "/// foo \\[bar\\]"),
            ("foo [bar]baz", "/// foo \\[bar\\]baz"),
            ("foo []", "/// foo \\[\\]"),
            ("foo []()", "/// foo []()"),
            ("foo [bar][bar] baz", "/// foo [bar][bar] baz"),
            ("foo [bar][baz]", "/// foo [bar][baz]"),
            ("[bar][baz]", "/// [bar][baz]"),
            ("\\[bar\\]\\[baz\\]", "/// \\[bar\\]\\[baz\\]"),
            ("\\[\\]\\[\\]", "/// \\[\\]\\[\\]"),
            ("[a] [b]", "/// \\[a\\] [b]"),
            ("x[a]]y", "/// x\\[a]\\]y"),
            ("[a]", "/// \\[a\\]"),
        ];
        for (input, expected) in cases {
            assert_eq!(doc(input), expected, "input {input:?}");
        }
    }

    /// The rules as regular expressions (the form prost-build states them in), applied to
    /// pseudo-random lines over an alphabet of the interesting characters.
    #[test]
    fn matches_the_regex_formulation() {
        let url = regex::Regex::new(r"https?://[^\s)]+").unwrap();
        let brackets = regex::Regex::new(r"(^|[^\]\\])\[(([^\]]*[^\\])?)\]([^(\[]|$)").unwrap();
        let alphabet: Vec<char> = "[]()\\ a:/httpsé".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let len = (state % 14) as usize;
            let mut line = String::new();
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                line.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let expected = brackets
                .replace_all(&url.replace_all(&line, r"<$0>"), r"$1\[$2\]$4")
                .into_owned();
            assert_eq!(
                escape_link_brackets(&wrap_urls(&line)),
                expected,
                "line {line:?}"
            );
        }
    }
}
