//! rivet-syntax: the lexer and parser of the protobuf language (proto2, proto3 and editions),
//! producing the [`ast`] of one `.proto` file with spans and comments, and protoc's syntax
//! diagnostics.
//!
//! The parser accepts and rejects exactly what protoc's parser (libprotoc 36.2) does, reports
//! the same messages at the same positions in the same order, and recovers from errors the same
//! way. Checks that protoc makes later, in its descriptor builder (unknown types, duplicate
//! numbers, option interpretation), are the linker's.
//!
//! # Notes for the linker
//!
//! - **Spans** are protoc's `SourceCodeInfo` spans as byte ranges (see [`LineIndex`] for
//!   protoc's line/column counting). A message or enum span starts at its `message`/`enum`
//!   keyword, not at a preceding `export`/`local`, as in protoc.
//! - **Comments** are on the declaration protoc attaches them to, with two protoc quirks: a
//!   group's comments (in [`ast::Field::comments`]) belong to the group's nested-type location,
//!   not to the field's; and comments of empty statements are dropped.
//! - **Field defaults** (`[default = ...]`) are checked against the field's type keyword as
//!   protoc's parser does. For a field of a message or enum type (or a map), protoc takes the
//!   single token after `=` as written; it is an [`ast::OptionValue::Ident`] holding the
//!   token's text, whatever the token is.
//! - **Aggregate option values** are parsed as text format without types; see
//!   [`ast::MessageLiteral`] for how a text-format error is reported (it is not a syntax
//!   error in protoc).
//! - **Edition `UNSTABLE`**: protoc's parser reads `int32`, `uint32`, `int64` and `uint64` as
//!   the fixed-width types `sfixed32`, `fixed32`, `sfixed64` and `fixed64`, and accepts
//!   `varint32`, `varint64`, `uvarint32`, `uvarint64`, `zigzag32` and `zigzag64` as scalar
//!   types (`int32`, `int64`, `uint32`, `uint64`, `sint32`, `sint64`). The AST keeps the
//!   keywords as written: the former as [`ast::ScalarType`]s, the latter as one-part
//!   [`ast::FieldType::Named`] types; the compiler maps them.
//!
//! ```
//! let parsed = rivet_syntax::parse(b"syntax = \"proto3\";\nmessage M { int32 a = 1; }\n");
//! assert!(parsed.diagnostics.is_empty());
//! assert_eq!(parsed.file.items.len(), 1);
//! ```

#![warn(missing_docs)]

pub mod ast;
mod comments;
mod lexer;
mod line_index;
mod literal;
mod parser;

pub use line_index::LineIndex;
pub use parser::{missing_syntax_warning, with_stack};

/// What protoc's text-format parser says about the prefix of an `Any` type URL
/// (`type.googleapis.com/` in `[type.googleapis.com/pkg.Msg]`, slash included), or `None` if
/// it accepts it: not empty, no leading `/`, and every `%` starts a two-digit hex escape.
pub fn type_url_prefix_error(prefix: &str) -> Option<String> {
    if prefix == "/" {
        return Some("Type URL prefix is empty".into());
    }
    if prefix.starts_with('/') {
        return Some("Type URL starts with \"/\"".into());
    }
    let bytes = prefix.as_bytes();
    bytes.iter().enumerate().find_map(|(i, &b)| {
        let valid = b != b'%'
            || (i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit());
        (!valid).then(|| {
            let got = String::from_utf8_lossy(&bytes[i..(i + 3).min(bytes.len())]);
            format!("Invalid percent encode, got: \"{got}\"")
        })
    })
}

/// The result of parsing one file.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The file, with every statement that parsed, even when there were errors.
    pub file: ast::File,
    /// Errors and warnings in protoc's order.
    pub diagnostics: Vec<SyntaxDiagnostic>,
}

impl Parsed {
    /// Whether any diagnostic is an error (protoc would reject the file).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| !d.is_warning)
    }
}

/// A syntax error or warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxDiagnostic {
    /// Where: `span.start` is the byte offset of the position protoc reports (convert it with
    /// [`LineIndex::line_col`]).
    pub span: ast::Span,
    /// protoc's message, as text. A message that quotes bytes of the file that are not UTF-8
    /// (an unknown `syntax` or `edition` string, a reserved name) has them replaced by U+FFFD
    /// here; [`message_bytes`](SyntaxDiagnostic::message_bytes) has them as protoc prints them.
    pub message: String,
    /// A warning (protoc prints `warning: ` before it) rather than an error.
    ///
    /// One warning has no position in protoc: the one for a file without `syntax` or
    /// `edition`, which protoc only logs (its command line does not print it). It is reported
    /// at offset 0 with the text of [`missing_syntax_warning`] for an empty file name.
    pub is_warning: bool,
    /// The exact bytes of `message` when they are not UTF-8 (`None`: `message` is exact).
    message_bytes: Option<Box<[u8]>>,
}

/// A message given as bytes, as a diagnostic keeps it: its text (invalid UTF-8 replaced by
/// U+FFFD) and, only when that differs from them, the exact bytes.
pub fn split_message(message: Vec<u8>) -> (String, Option<Box<[u8]>>) {
    match String::from_utf8(message) {
        Ok(text) => (text, None),
        Err(error) => {
            let bytes = error.into_bytes();
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                Some(bytes.into_boxed_slice()),
            )
        }
    }
}

impl SyntaxDiagnostic {
    /// A diagnostic at `span` whose message is `message`, UTF-8 or not.
    pub fn new(span: ast::Span, message: impl Into<Vec<u8>>, is_warning: bool) -> Self {
        let (message, message_bytes) = split_message(message.into());
        SyntaxDiagnostic {
            span,
            message,
            is_warning,
            message_bytes,
        }
    }

    /// The message exactly as protoc prints it: [`message`](SyntaxDiagnostic::message),
    /// unless it quotes bytes that are not UTF-8 (and `message` was not changed since).
    pub fn message_bytes(&self) -> &[u8] {
        match &self.message_bytes {
            Some(bytes) if String::from_utf8_lossy(bytes) == self.message => bytes,
            _ => self.message.as_bytes(),
        }
    }

    /// The message's exact bytes (see [`message_bytes`](SyntaxDiagnostic::message_bytes)).
    pub fn into_message_bytes(self) -> Vec<u8> {
        match self.message_bytes {
            Some(bytes) if String::from_utf8_lossy(&bytes) == self.message => bytes.into_vec(),
            _ => self.message.into_bytes(),
        }
    }
}

/// Parses `source`. Never panics, whatever the bytes.
pub fn parse(source: &[u8]) -> Parsed {
    let mut parser = parser::Parser::new(source);
    let file = parser.parse_file();
    Parsed {
        file,
        diagnostics: parser.lex.diagnostics,
    }
}
