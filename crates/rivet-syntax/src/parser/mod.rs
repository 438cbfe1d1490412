//! The recursive-descent parser: protoc's `compiler::Parser`, building the AST.
//!
//! The structure follows protoc's closely, because protoc's error messages, their positions
//! and its error recovery (skip the rest of a statement or block) are part of the contract:
//! each `parse_*` function returns `None` exactly where protoc's returns false, after
//! recording the same error, and callers recover the same way.

mod aggregate;
mod enums;
mod message;
mod options;
mod ranges;

use crate::SyntaxDiagnostic;
use crate::ast::*;
use crate::lexer::{Lexer, Token, TokenKind};
use crate::literal::{parse_integer, unescape_string_into};

/// Which language the file is written in (protoc's `syntax_identifier_`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    Proto2,
    Proto3,
    Editions,
}

/// protoc's `Edition` enum values (descriptor.proto).
pub(crate) mod edition {
    pub const UNKNOWN: i32 = 0;
    pub const EDITION_2023: i32 = 1000;
    pub const EDITION_2024: i32 = 1001;
    pub const UNSTABLE: i32 = 9999;

    /// The edition named `EDITION_<name>`, for the names the parser accepts (not `PROTO2`,
    /// `PROTO3` or `UNKNOWN`).
    pub fn from_name(name: &[u8]) -> Option<i32> {
        Some(match name {
            b"LEGACY" => 900,
            b"2023" => EDITION_2023,
            b"2024" => EDITION_2024,
            b"2026" => 1002,
            b"UNSTABLE" => UNSTABLE,
            b"1_TEST_ONLY" => 1,
            b"2_TEST_ONLY" => 2,
            b"99997_TEST_ONLY" => 99997,
            b"99998_TEST_ONLY" => 99998,
            b"99999_TEST_ONLY" => 99999,
            b"MAX" => i32::MAX,
            _ => return None,
        })
    }
}

/// protoc's limit on nested message declarations (`MaxMessageDeclarationNestingDepth`).
const MAX_MESSAGE_NESTING: i32 = 32;

/// A hard limit on nested message and group blocks. protoc's parser limits nested messages
/// (above) but not groups, and its descriptor builder reports groups nested too deep; it
/// crashes (its stack overflows) at about 30,000 levels. Rivet parses them all, on a stack
/// grown on the heap as needed ([`with_stack`]), up to this bound.
const MAX_BLOCK_NESTING: u32 = 50_000;

/// Runs `f`, first moving to a new stack segment on the heap if the current one is nearly
/// used up: message blocks nest up to 50,000 deep, and the parser, the
/// syntax tree's destructor and the compiler's lowering recurse into them.
pub fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    /// Stack left below which a new segment is started.
    const RED_ZONE: usize = 128 * 1024;
    /// The size of each new segment.
    const SEGMENT: usize = 2 * 1024 * 1024;
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

pub(crate) struct Parser<'a> {
    pub lex: Lexer<'a>,
    upcoming_doc_comments: Vec<u8>,
    upcoming_detached_comments: Vec<Vec<u8>>,
    pub syntax: Syntax,
    /// The edition number (`edition::UNKNOWN` unless `syntax` is `Editions`).
    pub edition: i32,
    /// protoc's `recursion_depth_`: message declarations left before the limit.
    recursion_depth: i32,
    /// Blocks currently open (our own stack guard).
    block_depth: u32,
    has_package: bool,
    option_imports: usize,
    /// Scratch buffer for the tokens of an aggregate option value.
    literal_tokens: Vec<Token>,
    /// What was read of the last `option` statement.
    last_option: options::OptionProbe,
    /// The number of the last enum value statement, as far as it was read (0 if not reached).
    last_enum_number: i64,
}

/// The text protoc logs when a file has no `syntax` or `edition` statement.
pub fn missing_syntax_warning(file_name: &str) -> String {
    format!(
        "No edition or syntax specified for the proto file: {file_name}. Please use \
         'edition = \"YYYY\";'  to specify a valid edition version. (Defaulted to \
         \"syntax = \"proto2\";\".)"
    )
}

impl<'a> Parser<'a> {
    pub fn new(source: &'a [u8]) -> Parser<'a> {
        Parser {
            lex: Lexer::new(source),
            upcoming_doc_comments: Vec::new(),
            upcoming_detached_comments: Vec::new(),
            syntax: Syntax::Proto2,
            edition: edition::UNKNOWN,
            // protoc never initializes `recursion_depth_`; it is set to the limit only when a
            // top-level message starts, and protoc 36.2 behaves as if it started at zero: a
            // message declared inside a group of a top-level `extend`, before any top-level
            // message, is refused as too deeply nested.
            recursion_depth: 0,
            block_depth: 0,
            has_package: false,
            option_imports: 0,
            literal_tokens: Vec::new(),
            last_option: options::OptionProbe::default(),
            last_enum_number: 0,
        }
    }

    // ----------------------------------------------------------------------------------
    // Token helpers.

    #[inline]
    pub fn cur(&self) -> Token {
        self.lex.cur
    }

    #[inline]
    pub fn looking_at(&self, text: &[u8]) -> bool {
        self.lex.text(self.lex.cur) == text
    }

    #[inline]
    pub fn looking_at_kind(&self, kind: TokenKind) -> bool {
        self.lex.cur.kind == kind
    }

    #[inline]
    pub fn at_end(&self) -> bool {
        self.looking_at_kind(TokenKind::End)
    }

    #[inline]
    pub fn next(&mut self) {
        self.lex.next();
    }

    /// The end offset of the previous token (where protoc ends a location).
    #[inline]
    pub fn prev_end(&self) -> u32 {
        self.lex.prev.end
    }

    pub fn span_from(&self, start: u32) -> Span {
        Span::new(start, self.prev_end())
    }

    pub fn try_consume(&mut self, text: &[u8]) -> bool {
        if self.looking_at(text) {
            self.next();
            true
        } else {
            false
        }
    }

    /// Consumes `text` or reports `Expected "text".`; returns the token's span.
    pub fn consume(&mut self, text: &str) -> Option<Span> {
        let span = self.cur().span();
        if self.try_consume(text.as_bytes()) {
            Some(span)
        } else {
            self.error(format!("Expected \"{text}\"."));
            None
        }
    }

    /// Consumes `text` or reports `message`.
    pub fn consume_or(&mut self, text: &str, message: &str) -> Option<Span> {
        let span = self.cur().span();
        if self.try_consume(text.as_bytes()) {
            Some(span)
        } else {
            self.error(message);
            None
        }
    }

    /// Records an error at the current token.
    pub fn error(&mut self, message: impl Into<Vec<u8>>) {
        let offset = self.cur().start as usize;
        self.lex.error_at(offset, message);
    }

    pub fn error_at(&mut self, offset: u32, message: impl Into<Vec<u8>>) {
        self.lex.error_at(offset as usize, message);
    }

    pub fn warning_at(&mut self, offset: u32, message: impl Into<Vec<u8>>) {
        if self.lex.silenced {
            return;
        }
        let span = Span::new(offset, offset);
        self.lex
            .diagnostics
            .push(SyntaxDiagnostic::new(span, message, true));
    }

    /// The current token's text as a `String`.
    pub fn cur_text(&self) -> String {
        String::from_utf8_lossy(self.lex.text(self.cur())).into_owned()
    }

    pub fn consume_identifier(&mut self, message: &str) -> Option<Ident> {
        if self.looking_at_kind(TokenKind::Identifier) {
            let token = self.cur();
            let ident = Ident {
                name: self.cur_text(),
                span: token.span(),
            };
            self.next();
            Some(ident)
        } else {
            self.error(message);
            None
        }
    }

    /// An integer token up to `max`; a larger one is reported ("Integer out of range.") but
    /// still consumed, as protoc does.
    pub fn consume_integer64(&mut self, max: u64, message: &str) -> Option<(u64, Span)> {
        if self.looking_at_kind(TokenKind::Integer) {
            let token = self.cur();
            let value = match parse_integer(self.lex.text(token), max) {
                Some(value) => value,
                None => {
                    self.error("Integer out of range.");
                    0
                }
            };
            self.next();
            Some((value, token.span()))
        } else {
            self.error(message);
            None
        }
    }

    /// A non-negative integer up to `i32::MAX` (protoc's `ConsumeInteger`).
    pub fn consume_integer(&mut self, message: &str) -> Option<IntLit> {
        let (value, span) = self.consume_integer64(i32::MAX as u64, message)?;
        Some(IntLit {
            negative: false,
            value,
            span,
        })
    }

    /// An integer in the `i32` range, optionally negative (protoc's `ConsumeSignedInteger`).
    pub fn consume_signed_integer(&mut self, message: &str) -> Option<IntLit> {
        let start = self.cur().start;
        let negative = self.try_consume(b"-");
        let max = i32::MAX as u64 + u64::from(negative);
        let (value, _) = self.consume_integer64(max, message)?;
        Some(IntLit {
            negative,
            value,
            span: self.span_from(start),
        })
    }

    /// One or more adjacent string tokens, concatenated.
    pub fn consume_string(&mut self, message: &str) -> Option<StringLit> {
        if !self.looking_at_kind(TokenKind::String) {
            self.error(message);
            return None;
        }
        let start = self.cur().start;
        let mut value = Vec::new();
        while self.looking_at_kind(TokenKind::String) {
            unescape_string_into(self.lex.text(self.cur()), &mut value);
            self.next();
        }
        Some(StringLit {
            value,
            span: self.span_from(start),
        })
    }

    // ----------------------------------------------------------------------------------
    // Declarations, comments and recovery.

    /// If looking at `text` (`;`, `{` or `}`), consumes it and collects the comments after
    /// it. With `comments`, the declaration it ends gets its leading, trailing and detached
    /// comments (protoc's `TryConsumeEndOfDeclaration`).
    pub fn try_consume_end_of_decl(
        &mut self,
        text: &[u8],
        comments: Option<&mut Comments>,
    ) -> bool {
        if !self.looking_at(text) {
            return false;
        }
        let collected = self.lex.next_with_comments();
        let leading = std::mem::replace(&mut self.upcoming_doc_comments, collected.leading);
        if let Some(out) = comments {
            let detached =
                std::mem::replace(&mut self.upcoming_detached_comments, collected.detached);
            out.leading = (!leading.is_empty()).then_some(leading);
            out.trailing = (!collected.trailing.is_empty()).then_some(collected.trailing);
            out.leading_detached = detached;
        } else if text == b"}" {
            self.upcoming_detached_comments = collected.detached;
        } else {
            self.upcoming_detached_comments.extend(collected.detached);
        }
        true
    }

    pub fn consume_end_of_decl(
        &mut self,
        text: &str,
        comments: Option<&mut Comments>,
    ) -> Option<()> {
        if self.try_consume_end_of_decl(text.as_bytes(), comments) {
            Some(())
        } else {
            self.error(format!("Expected \"{text}\"."));
            None
        }
    }

    /// Skips to the end of the current statement (after its `;` or its `{ ... }` block), or
    /// to a `}` closing the enclosing block.
    pub fn skip_statement(&mut self) {
        loop {
            if self.at_end() {
                return;
            }
            if self.looking_at_kind(TokenKind::Symbol) {
                if self.try_consume_end_of_decl(b";", None) {
                    return;
                } else if self.try_consume(b"{") {
                    self.skip_rest_of_block();
                    return;
                } else if self.looking_at(b"}") {
                    return;
                }
            }
            self.next();
        }
    }

    /// Skips to just after the `}` matching an already consumed `{`.
    pub fn skip_rest_of_block(&mut self) {
        let mut depth = 1usize;
        loop {
            if self.at_end() {
                return;
            }
            if self.looking_at_kind(TokenKind::Symbol) {
                if self.try_consume_end_of_decl(b"}", None) {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                } else if self.try_consume(b"{") {
                    depth += 1;
                }
            }
            self.next();
        }
    }

    /// Enters a nested block. One too many is reported and ends parsing (the rest of the
    /// file is not read, so there are no follow-up errors).
    pub fn enter_block(&mut self) -> Option<()> {
        if self.block_depth >= MAX_BLOCK_NESTING {
            self.error("Reached maximum recursion limit for nested messages.");
            self.lex.abandon();
            return None;
        }
        self.block_depth += 1;
        Some(())
    }

    pub fn exit_block(&mut self) {
        self.block_depth -= 1;
    }

    // ----------------------------------------------------------------------------------
    // The file.

    pub fn parse_file(&mut self) -> File {
        let mut file = File::default();
        if self.looking_at_kind(TokenKind::Start) {
            let collected = self.lex.next_with_comments();
            self.upcoming_detached_comments = collected.detached;
            self.upcoming_doc_comments = collected.leading;
        }
        let root_start = self.cur().start;
        if self.looking_at(b"syntax") || self.looking_at(b"edition") {
            match self.parse_syntax_identifier() {
                Some(decl) => file.syntax = Some(decl),
                None => {
                    file.span = self.span_from(root_start);
                    return file;
                }
            }
        } else {
            self.lex.diagnostics.push(SyntaxDiagnostic::new(
                Span::new(0, 0),
                missing_syntax_warning(""),
                true,
            ));
            self.syntax = Syntax::Proto2;
        }

        while !self.at_end() {
            match self.parse_top_level_statement() {
                Some(item) => file.items.push(item),
                None => {
                    self.skip_statement();
                    if self.looking_at(b"}") {
                        self.error("Unmatched \"}\".");
                        let collected = self.lex.next_with_comments();
                        self.upcoming_detached_comments = collected.detached;
                        self.upcoming_doc_comments = collected.leading;
                    }
                }
            }
        }
        file.span = self.span_from(root_start);
        file
    }

    fn parse_syntax_identifier(&mut self) -> Option<SyntaxDecl> {
        let start = self.cur().start;
        let kind = if self.try_consume(b"edition") {
            SyntaxKind::Edition
        } else {
            self.consume_or(
                "syntax",
                "File must begin with an edition or syntax statement, e.g. 'edition = \"2023\";'.",
            )?;
            SyntaxKind::Syntax
        };
        self.consume("=")?;
        let value_start = self.cur().start;
        let value = self.consume_string("Expected syntax identifier.")?;
        let mut comments = Comments::default();
        self.consume_end_of_decl(";", Some(&mut comments))?;
        let span = self.span_from(start);
        match kind {
            SyntaxKind::Edition => match edition::from_name(&value.value) {
                Some(number) => {
                    self.syntax = Syntax::Editions;
                    self.edition = number;
                }
                None => {
                    // protoc quotes the string's bytes as they are, UTF-8 or not.
                    let message = [b"Unknown edition \"", &value.value[..], b"\"."].concat();
                    self.error_at(value_start, message);
                    return None;
                }
            },
            SyntaxKind::Syntax => match value.value.as_slice() {
                b"proto2" => self.syntax = Syntax::Proto2,
                b"proto3" => self.syntax = Syntax::Proto3,
                _ => {
                    let message = [
                        b"Unrecognized syntax identifier \"",
                        &value.value[..],
                        b"\".  This parser only recognizes \"proto2\" and \"proto3\".",
                    ]
                    .concat();
                    self.error_at(value_start, message);
                    return None;
                }
            },
        }
        Some(SyntaxDecl {
            kind,
            value,
            span,
            comments,
        })
    }

    /// `export` / `local` before a message or enum (protoc's `ParseVisibility`). Before
    /// edition 2024 the keywords are not special and nothing is consumed.
    pub fn parse_visibility(&mut self) -> Option<Option<(Visibility, Span)>> {
        if self.syntax != Syntax::Editions || self.edition <= edition::EDITION_2023 {
            return Some(None);
        }
        let span = self.cur().span();
        let visibility = if self.try_consume(b"export") {
            Visibility::Export
        } else if self.try_consume(b"local") {
            Visibility::Local
        } else {
            return Some(None);
        };
        if !self.looking_at(b"message") && !self.looking_at(b"enum") {
            self.error(
                "'local' and 'export' visibility modifiers are valid only on 'message' and 'enum'",
            );
            return None;
        }
        Some(Some((visibility, span)))
    }

    fn parse_top_level_statement(&mut self) -> Option<FileItem> {
        let token = self.cur();
        if self.try_consume_end_of_decl(b";", None) {
            return Some(FileItem::Empty(token.span()));
        }
        let mut visibility = None;
        if self.looking_at(b"export") || self.looking_at(b"local") {
            visibility = self.parse_visibility()?;
        }
        if self.looking_at(b"message") {
            self.recursion_depth = MAX_MESSAGE_NESTING;
            self.parse_message_definition(visibility)
                .map(FileItem::Message)
        } else if self.looking_at(b"enum") {
            self.parse_enum_definition(visibility).map(FileItem::Enum)
        } else if self.looking_at(b"service") {
            self.parse_service_definition().map(FileItem::Service)
        } else if self.looking_at(b"extend") {
            self.parse_extend().map(FileItem::Extend)
        } else if self.looking_at(b"import") {
            self.parse_import().map(FileItem::Import)
        } else if self.looking_at(b"package") {
            self.parse_package().map(FileItem::Package)
        } else if self.looking_at(b"option") {
            self.parse_option_statement().map(FileItem::Option)
        } else {
            self.error("Expected top-level statement (e.g. \"message\").");
            None
        }
    }

    fn parse_package(&mut self) -> Option<Package> {
        if self.has_package {
            self.error("Multiple package definitions.");
            // protoc clears the package: it is set again only once a name part is read.
            self.has_package = false;
        }
        let start = self.cur().start;
        self.consume("package")?;
        let name_start = self.cur().start;
        let mut parts = Vec::new();
        loop {
            parts.push(self.consume_identifier("Expected identifier.")?);
            self.has_package = true;
            if !self.try_consume(b".") {
                break;
            }
        }
        let name = TypeName {
            leading_dot: false,
            parts,
            span: self.span_from(name_start),
        };
        let mut comments = Comments::default();
        self.consume_end_of_decl(";", Some(&mut comments))?;
        Some(Package {
            name,
            span: self.span_from(start),
            comments,
        })
    }

    fn parse_import(&mut self) -> Option<Import> {
        let start = self.cur().start;
        self.consume("import")?;
        let mut comments = Comments::default();
        if self.looking_at(b"option") {
            if self.edition < edition::EDITION_2024 {
                self.error("option import is not supported before edition 2024.");
            }
            let kind_span = self.consume("option")?;
            let path = self.consume_string("Expected a string naming the file to import.")?;
            self.option_imports += 1;
            self.consume_end_of_decl(";", Some(&mut comments))?;
            return Some(Import {
                kind: Some((ImportKind::Option, kind_span)),
                path,
                span: self.span_from(start),
                comments,
            });
        }
        if self.option_imports > 0 {
            self.error(
                "imports should precede any option imports to ensure proto files can roundtrip.",
            );
        }
        let mut kind = None;
        if self.looking_at(b"public") {
            kind = Some((ImportKind::Public, self.consume("public")?));
        } else if self.looking_at(b"weak") {
            if self.edition >= edition::EDITION_2024 {
                self.error(
                    "weak import is not supported in edition 2024 and above. Consider using \
                     option import instead.",
                );
            }
            kind = Some((ImportKind::Weak, self.consume("weak")?));
        }
        let path = self.consume_string("Expected a string naming the file to import.")?;
        self.consume_end_of_decl(";", Some(&mut comments))?;
        Some(Import {
            kind,
            path,
            span: self.span_from(start),
            comments,
        })
    }
}
