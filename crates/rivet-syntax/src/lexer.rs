//! The tokenizer: protoc's `io::Tokenizer` rules, scanning bytes in place.
//!
//! Tokens are spans into the source; nothing is allocated per token. The lexer is driven by
//! the parser one token at a time (like protoc's), so that tokenizer errors interleave with
//! parser errors in protoc's order, and so that the parser can choose between skipping
//! comments ([`Lexer::next`]) and collecting them ([`Lexer::next_with_comments`], in
//! `comments.rs`).

use crate::SyntaxDiagnostic;
use crate::ast::Span;

/// The kind of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Before the first call to `next`.
    Start,
    /// End of input.
    End,
    /// `[A-Za-z_][A-Za-z0-9_]*`
    Identifier,
    /// Decimal, hex (`0x`) or octal (leading `0`) digits.
    Integer,
    /// A decimal number with a fraction and/or exponent.
    Float,
    /// A quoted string, still escaped and with its quotes.
    String,
    /// Any other single byte.
    Symbol,
}

/// A token: its kind, its bytes `start..end` and the line it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
    pub line: u32,
}

impl Token {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// The tokenizer state.
pub(crate) struct Lexer<'a> {
    pub src: &'a [u8],
    /// Offset of the current character (`src.len()` at the end).
    pub pos: usize,
    /// Line of the current character.
    pub line: u32,
    pub cur: Token,
    pub prev: Token,
    /// Every diagnostic so far, tokenizer's and parser's, in order.
    pub diagnostics: Vec<SyntaxDiagnostic>,
    /// Set when parsing was abandoned: no more diagnostics are recorded.
    pub silenced: bool,
}

#[inline]
pub(crate) fn is_letter(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

#[inline]
pub(crate) fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// protoc's `kWhitespace`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
#[inline]
fn is_whitespace(c: u8) -> bool {
    c == b' ' || (b'\t'..=b'\r').contains(&c)
}

/// Whitespace other than `\n`.
#[inline]
pub(crate) fn is_whitespace_no_newline(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == 0x0b || c == 0x0c || c == b'\r'
}

fn is_octal(c: u8) -> bool {
    (b'0'..=b'7').contains(&c)
}

fn is_escape(c: u8) -> bool {
    matches!(
        c,
        b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' | b'?' | b'\'' | b'"'
    )
}

/// What `try_consume_comment_start` found.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommentStart {
    Line,
    Block,
    /// A lone `/`: `cur` now holds it as a symbol token.
    SlashNotComment,
    None,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> Lexer<'a> {
        // Offsets are u32 throughout; longer inputs are cut (protoc cannot read them either).
        let src = &src[..src.len().min(u32::MAX as usize - 1)];
        let start = Token {
            kind: TokenKind::Start,
            start: 0,
            end: 0,
            line: 0,
        };
        Lexer {
            src,
            pos: 0,
            line: 0,
            cur: start,
            prev: start,
            diagnostics: Vec::new(),
            silenced: false,
        }
    }

    /// The current character, `0` at the end of input (as in protoc, a NUL byte in the input
    /// looks the same; [`Lexer::at_eof`] tells them apart).
    #[inline]
    pub fn ch(&self) -> u8 {
        match self.src.get(self.pos) {
            Some(&c) => c,
            None => 0,
        }
    }

    #[inline]
    pub fn at_eof(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// Consumes the current character.
    #[inline]
    pub fn bump(&mut self) {
        if let Some(&c) = self.src.get(self.pos) {
            if c == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
    }

    #[inline]
    pub fn try_consume(&mut self, c: u8) -> bool {
        if !self.at_eof() && self.ch() == c {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Records an error at byte `offset`.
    pub fn error_at(&mut self, offset: usize, message: impl Into<Vec<u8>>) {
        if self.silenced {
            return;
        }
        let span = Span::new(offset as u32, offset as u32);
        self.diagnostics
            .push(SyntaxDiagnostic::new(span, message, false));
    }

    /// Records an error at the current character.
    fn error_here(&mut self, message: &str) {
        self.error_at(self.pos, message);
    }

    /// The bytes of a token.
    #[inline]
    pub fn text(&self, token: Token) -> &'a [u8] {
        &self.src[token.start as usize..token.end as usize]
    }

    /// Skips whitespace other than `\n`.
    pub fn skip_whitespace_no_newline(&mut self) {
        while let Some(&c) = self.src.get(self.pos) {
            if !is_whitespace_no_newline(c) {
                break;
            }
            self.pos += 1;
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(&c) = self.src.get(self.pos) {
            if !is_whitespace(c) {
                break;
            }
            if c == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
    }

    /// If a comment starts here, consumes its opening delimiter and says which kind.
    pub fn try_consume_comment_start(&mut self) -> CommentStart {
        if self.at_eof() || self.ch() != b'/' {
            return CommentStart::None;
        }
        self.pos += 1;
        if self.try_consume(b'/') {
            CommentStart::Line
        } else if self.try_consume(b'*') {
            CommentStart::Block
        } else {
            self.cur = Token {
                kind: TokenKind::Symbol,
                start: self.pos as u32 - 1,
                end: self.pos as u32,
                line: self.line,
            };
            CommentStart::SlashNotComment
        }
    }

    /// Consumes the rest of a line comment (after `//`), including the `\n`; appends the text
    /// to `content` if given.
    pub fn consume_line_comment(&mut self, content: Option<&mut Vec<u8>>) {
        let start = self.pos;
        let rest = &self.src[self.pos..];
        // A NUL byte ends the comment too (protoc cannot tell it from the end of input).
        let len = rest
            .iter()
            .position(|&c| c == b'\n' || c == 0)
            .unwrap_or(rest.len());
        self.pos += len;
        self.try_consume(b'\n');
        if let Some(content) = content {
            content.extend_from_slice(&self.src[start..self.pos]);
        }
    }

    /// Consumes the rest of a block comment (after `/*`); appends its text, with the leading
    /// whitespace and `*` of continuation lines removed, to `content` if given.
    pub fn consume_block_comment(&mut self, mut content: Option<&mut Vec<u8>>) {
        let comment_start = self.pos - 2;
        let mut record_start = self.pos;
        let mut record = |lexer: &Lexer, from: usize, to: usize| {
            if let Some(content) = content.as_deref_mut()
                && from < to
            {
                content.extend_from_slice(&lexer.src[from..to]);
            }
        };
        loop {
            while let Some(&c) = self.src.get(self.pos) {
                if c == 0 || c == b'*' || c == b'/' || c == b'\n' {
                    break;
                }
                self.pos += 1;
            }
            if self.try_consume(b'\n') {
                record(self, record_start, self.pos);
                self.skip_whitespace_no_newline();
                if self.try_consume(b'*') && self.try_consume(b'/') {
                    return;
                }
                record_start = self.pos;
            } else if self.try_consume(b'*') && self.try_consume(b'/') {
                record(self, record_start, self.pos - 2);
                return;
            } else if self.try_consume(b'/') && !self.at_eof() && self.ch() == b'*' {
                self.error_here("\"/*\" inside block comment.  Block comments cannot be nested.");
            } else if self.ch() == 0 {
                self.error_here("End-of-file inside block comment.");
                self.error_at(comment_start, "  Comment started here.");
                record(self, record_start, self.pos);
                return;
            }
        }
    }

    /// Abandons the input: jumps to its end and records no further diagnostics.
    pub fn abandon(&mut self) {
        self.silenced = true;
        self.pos = self.src.len();
        self.prev = self.cur;
        let end = self.pos as u32;
        self.cur = Token {
            kind: TokenKind::End,
            start: end,
            end,
            line: self.line,
        };
    }

    /// Advances to the next token, skipping whitespace and comments (protoc's `Next`).
    /// Returns false at the end of input.
    pub fn next(&mut self) -> bool {
        self.prev = self.cur;
        loop {
            self.skip_whitespace();
            match self.try_consume_comment_start() {
                CommentStart::Line => {
                    self.consume_line_comment(None);
                    continue;
                }
                CommentStart::Block => {
                    self.consume_block_comment(None);
                    continue;
                }
                CommentStart::SlashNotComment => return true,
                CommentStart::None => {}
            }
            if self.at_eof() {
                break;
            }
            let c = self.ch();
            if c < 0x20 {
                self.error_here("Invalid control characters encountered in text.");
                self.bump();
                while !self.at_eof() && self.ch() < 0x20 {
                    self.bump();
                }
                continue;
            }
            self.scan_token();
            return true;
        }
        let end = self.pos as u32;
        self.cur = Token {
            kind: TokenKind::End,
            start: end,
            end,
            line: self.line,
        };
        false
    }

    /// Scans one token starting at the current (printable) character.
    fn scan_token(&mut self) {
        let start = self.pos;
        let line = self.line;
        let c = self.ch();
        let kind = if is_letter(c) {
            self.pos += 1;
            while self.pos < self.src.len() && is_alnum(self.src[self.pos]) {
                self.pos += 1;
            }
            TokenKind::Identifier
        } else if c == b'0' {
            self.pos += 1;
            self.consume_number(true, false)
        } else if c == b'.' {
            self.pos += 1;
            if !self.at_eof() && self.ch().is_ascii_digit() {
                self.pos += 1;
                if self.cur.kind == TokenKind::Identifier && self.cur.end as usize == start {
                    // protoc reports this at the '.'.
                    self.error_at(start, "Need space between identifier and decimal point.");
                }
                self.consume_number(false, true)
            } else {
                TokenKind::Symbol
            }
        } else if c.is_ascii_digit() {
            self.pos += 1;
            self.consume_number(false, false)
        } else if c == b'"' || c == b'\'' {
            self.pos += 1;
            self.consume_string(c);
            TokenKind::String
        } else {
            if c >= 0x80 {
                self.error_here(&format!("Interpreting non ascii codepoint {c}."));
            }
            self.pos += 1;
            TokenKind::Symbol
        };
        self.cur = Token {
            kind,
            start: start as u32,
            end: self.pos as u32,
            line,
        };
    }

    fn skip_while(&mut self, pred: impl Fn(u8) -> bool) {
        while self.pos < self.src.len() && pred(self.src[self.pos]) {
            self.pos += 1;
        }
    }

    /// Consumes one or more characters matching `pred`, or reports `error`.
    fn consume_one_or_more(&mut self, pred: impl Fn(u8) -> bool, error: &str) {
        if self.at_eof() || !pred(self.ch()) {
            self.error_here(error);
        } else {
            self.skip_while(pred);
        }
    }

    fn looking_at(&self, pred: impl Fn(u8) -> bool) -> bool {
        !self.at_eof() && pred(self.ch())
    }

    /// The rest of a number whose first character (a `0`, another digit, or `.` plus a digit)
    /// has been consumed.
    fn consume_number(&mut self, started_with_zero: bool, started_with_dot: bool) -> TokenKind {
        let mut is_float = false;
        if started_with_zero && (self.try_consume(b'x') || self.try_consume(b'X')) {
            self.consume_one_or_more(
                |c| c.is_ascii_hexdigit(),
                "\"0x\" must be followed by hex digits.",
            );
        } else if started_with_zero && self.looking_at(|c| c.is_ascii_digit()) {
            self.skip_while(is_octal);
            if self.looking_at(|c| c.is_ascii_digit()) {
                self.error_here("Numbers starting with leading zero must be in octal.");
                self.skip_while(|c| c.is_ascii_digit());
            }
        } else {
            if started_with_dot {
                is_float = true;
                self.skip_while(|c| c.is_ascii_digit());
            } else {
                self.skip_while(|c| c.is_ascii_digit());
                if self.try_consume(b'.') {
                    is_float = true;
                    self.skip_while(|c| c.is_ascii_digit());
                }
            }
            if self.try_consume(b'e') || self.try_consume(b'E') {
                is_float = true;
                let _ = self.try_consume(b'-') || self.try_consume(b'+');
                self.consume_one_or_more(
                    |c| c.is_ascii_digit(),
                    "\"e\" must be followed by exponent.",
                );
            }
        }
        if self.looking_at(is_letter) {
            self.error_here("Need space between number and identifier.");
        } else if self.looking_at(|c| c == b'.') {
            if is_float {
                self.error_here("Already saw decimal point or exponent; can't have another one.");
            } else {
                self.error_here("Hex and octal numbers must be integers.");
            }
        }
        if is_float {
            TokenKind::Float
        } else {
            TokenKind::Integer
        }
    }

    /// The rest of a string literal after its opening quote.
    fn consume_string(&mut self, delimiter: u8) {
        loop {
            let c = self.ch();
            if c == 0 {
                // End of input, or a NUL byte (which protoc cannot tell apart).
                self.error_here("Unexpected end of string.");
                return;
            }
            if c == b'\n' {
                self.error_here("Multiline strings are not allowed. Did you miss a \"?.");
                return;
            }
            self.pos += 1;
            if c == delimiter {
                return;
            }
            if c == b'\\' {
                self.consume_escape();
            }
        }
    }

    /// The rest of an escape sequence after its backslash.
    fn consume_escape(&mut self) {
        let hex = |c: u8| c.is_ascii_hexdigit();
        if self.looking_at(is_escape) || self.looking_at(is_octal) {
            // Further octal digits are consumed by the main loop.
            self.pos += 1;
        } else if self.try_consume(b'x') || self.try_consume(b'X') {
            if self.looking_at(hex) {
                self.pos += 1;
            } else {
                self.error_here("Expected hex digits for escape sequence.");
            }
        } else if self.try_consume(b'u') {
            for _ in 0..4 {
                if !self.looking_at(hex) {
                    self.error_here("Expected four hex digits for \\u escape sequence.");
                    return;
                }
                self.pos += 1;
            }
        } else if self.try_consume(b'U') {
            let ok = self.try_consume(b'0')
                && self.try_consume(b'0')
                && (self.try_consume(b'0') || self.try_consume(b'1'))
                && (0..5).all(|_| {
                    if self.looking_at(hex) {
                        self.pos += 1;
                        true
                    } else {
                        false
                    }
                });
            if !ok {
                self.error_here("Expected eight hex digits up to 10ffff for \\U escape sequence");
            }
        } else {
            self.error_here("Invalid escape sequence in string literal.");
        }
    }
}
