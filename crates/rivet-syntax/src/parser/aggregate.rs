//! The text-format contents of an aggregate option value, `{ ... }`.
//!
//! protoc keeps the tokens between the braces as text and reads them later with its
//! text-format parser, knowing the option's type. This module reads the same tokens without
//! types, into the [`MessageLiteral`] tree, following protoc's text-format grammar: fields are
//! `name [:] value` with an optional `,`/`;` after each; names are identifiers or bracketed
//! extension names / `Any` type URLs; values are scalars (an optional `-` before a number or
//! identifier; adjacent strings concatenate), messages in `{}` or `<>`, or `[...]` lists.
//! Which of these fit which field is for the linker to check.

use crate::ast::*;
use crate::lexer::{Token, TokenKind, is_alnum, is_letter};
use crate::literal::{parse_float, parse_integer, unescape_string_into};

/// How deeply message literals may nest. (protoc's text-format parser has no limit here, but a
/// tree this deep is useless and recursing on it, here or in the linker, risks the stack.)
const MAX_LITERAL_DEPTH: u32 = 100;

/// Reads the tokens strictly between `open` (`{`) and `close` (`}`).
pub(super) fn parse_message_literal(
    src: &[u8],
    tokens: &[Token],
    open: Token,
    close: Token,
) -> MessageLiteral {
    // `#` starts a comment in text format: drop it and the rest of its line.
    let filtered;
    let tokens = if tokens
        .iter()
        .any(|t| t.kind == TokenKind::Symbol && src[t.start as usize] == b'#')
    {
        let mut kept = Vec::with_capacity(tokens.len());
        let mut comment_line = None;
        for &token in tokens {
            if comment_line == Some(token.line) {
                continue;
            }
            if token.kind == TokenKind::Symbol && src[token.start as usize] == b'#' {
                comment_line = Some(token.line);
                continue;
            }
            kept.push(token);
        }
        filtered = kept;
        &filtered[..]
    } else {
        tokens
    };
    let mut reader = Reader {
        src,
        tokens,
        pos: 0,
        end: close.start,
        depth: 0,
        error: None,
        stopped: false,
    };
    let mut literal_tokens = LiteralTokens::default();
    for token in tokens {
        let kind = match token.kind {
            TokenKind::Identifier => LiteralTokenKind::Identifier,
            TokenKind::Integer => LiteralTokenKind::Integer,
            TokenKind::Float => LiteralTokenKind::Float,
            TokenKind::String => LiteralTokenKind::String,
            _ => LiteralTokenKind::Symbol,
        };
        literal_tokens.push(kind, &src[token.start as usize..token.end as usize]);
    }
    let mut fields = Vec::new();
    while !reader.at_end() && !reader.stopped {
        match reader.field() {
            Some(field) => fields.push(field),
            None => break,
        }
    }
    MessageLiteral {
        fields,
        span: Span::new(open.start, close.end),
        error: reader.error.take().map(Box::new),
        tokens: literal_tokens,
    }
}

struct Reader<'a> {
    src: &'a [u8],
    tokens: &'a [Token],
    pos: usize,
    /// Offset of the closing brace (where "end of input" is).
    end: u32,
    depth: u32,
    /// An error not yet handed to the literal being read when it happened.
    error: Option<LiteralError>,
    /// Set at the first error: reading stops.
    stopped: bool,
}

impl<'a> Reader<'a> {
    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).copied()
    }

    fn text_of(&self, token: Token) -> &'a [u8] {
        &self.src[token.start as usize..token.end as usize]
    }

    /// The current token's text ("" at the end).
    fn text(&self) -> &'a [u8] {
        self.peek().map_or(&[], |t| self.text_of(t))
    }

    fn kind(&self) -> Option<TokenKind> {
        self.peek().map(|t| t.kind)
    }

    fn span(&self) -> Span {
        self.peek()
            .map_or(Span::new(self.end, self.end), |t| t.span())
    }

    fn looking_at(&self, text: &[u8]) -> bool {
        self.text() == text
    }

    fn try_consume(&mut self, text: &[u8]) -> bool {
        if self.looking_at(text) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The end of the previous token.
    fn prev_end(&self) -> u32 {
        match self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(token) => token.end,
            None => self.end,
        }
    }

    fn fail(&mut self, kind: LiteralErrorKind, message: String) -> Option<()> {
        let found = String::from_utf8_lossy(self.text()).into_owned();
        self.fail_with(kind, message, self.span(), found)
    }

    fn fail_with(
        &mut self,
        kind: LiteralErrorKind,
        message: String,
        span: Span,
        found: String,
    ) -> Option<()> {
        if !self.stopped {
            self.error = Some(LiteralError {
                kind,
                message,
                span,
                found,
                field: None,
            });
            self.stopped = true;
        }
        None
    }

    /// Consumes `text` or fails with protoc's `Expected "X", found "Y".`.
    fn consume(&mut self, text: &str) -> Option<()> {
        if self.try_consume(text.as_bytes()) {
            return Some(());
        }
        let found = String::from_utf8_lossy(self.text()).into_owned();
        self.fail(
            LiteralErrorKind::Syntax,
            format!("Expected \"{text}\", found \"{found}\"."),
        )
    }

    /// One field, with its optional `,`/`;` separator.
    fn field(&mut self) -> Option<MessageLiteralField> {
        let start = self.span().start;
        let name = if self.looking_at(b"[") {
            self.bracketed_name()?
        } else if self.kind() == Some(TokenKind::Identifier) {
            let token = self.peek()?;
            self.pos += 1;
            FieldRef::Name(Ident {
                name: String::from_utf8_lossy(self.text_of(token)).into_owned(),
                span: token.span(),
            })
        } else {
            let found = String::from_utf8_lossy(self.text()).into_owned();
            self.fail(
                LiteralErrorKind::Syntax,
                format!("Expected identifier, got: {found}"),
            )?;
            return None;
        };
        let has_colon = self.try_consume(b":");
        let value = if self.looking_at(b"[") {
            self.list()
        } else {
            self.value()
        };
        // A value that could not be read is attributed to this field.
        if value.is_none()
            && let Some(error) = self.error.as_mut()
            && error.kind == LiteralErrorKind::ExpectedValue
            && error.field.is_none()
        {
            error.field = Some(name.clone());
        }
        // After an error inside a list or nested message, the field keeps what was read.
        let value = value?;
        if !self.stopped {
            let _ = self.try_consume(b";") || self.try_consume(b",");
        }
        Some(MessageLiteralField {
            name,
            has_colon,
            value,
            span: Span::new(start, self.prev_end()),
        })
    }

    /// `[ext.name]` or `[type.googleapis.com/pkg.Type]`.
    fn bracketed_name(&mut self) -> Option<FieldRef> {
        let open = self.span();
        self.pos += 1;
        // In brackets, text format reads runs of URL characters, ignoring whitespace.
        let mut text = String::new();
        // (offset in `text`, source offset) for each token, to locate name parts.
        let mut pieces: Vec<(usize, u32)> = Vec::new();
        while let Some(token) = self.peek() {
            let bytes = self.text_of(token);
            let is_url = match token.kind {
                TokenKind::Identifier | TokenKind::Integer | TokenKind::Float => true,
                TokenKind::Symbol => is_url_char(bytes[0]),
                _ => false,
            };
            if !is_url {
                break;
            }
            pieces.push((text.len(), token.start));
            text.push_str(&String::from_utf8_lossy(bytes));
            self.pos += 1;
        }
        let found = match self.peek() {
            // A string's quote is a token of its own in URL mode.
            Some(token) if token.kind == TokenKind::String => {
                String::from_utf8_lossy(&self.text_of(token)[..1]).into_owned()
            }
            _ => String::from_utf8_lossy(self.text()).into_owned(),
        };
        if !self.try_consume(b"]") {
            let span = self.span();
            self.fail_with(
                LiteralErrorKind::Syntax,
                format!("Expected \"]\", found \"{found}\"."),
                span,
                found,
            )?;
        }
        let span = Span::new(open.start, self.prev_end());
        let source_offset = |index: usize| -> u32 {
            let piece = pieces.partition_point(|&(at, _)| at <= index).max(1) - 1;
            let (at, offset) = pieces.get(piece).copied().unwrap_or((0, open.end));
            offset + (index - at) as u32
        };
        let (url_prefix, type_text, type_offset) = match text.rfind('/') {
            None => (None, text.as_str(), 0),
            Some(slash) => {
                let prefix = &text[..=slash];
                if let Some(error) = crate::type_url_prefix_error(prefix) {
                    self.fail(LiteralErrorKind::Syntax, error)?;
                }
                (Some(&text[..slash]), &text[slash + 1..], slash + 1)
            }
        };
        let mut parts = Vec::new();
        let mut at = type_offset;
        for part in type_text.split('.') {
            let valid = part.as_bytes().first().is_some_and(|&c| is_letter(c))
                && part.bytes().all(is_alnum);
            if !valid {
                self.fail(
                    LiteralErrorKind::Syntax,
                    format!("Invalid identifier in type name, got: \"{part}\""),
                )?;
            }
            let part_start = source_offset(at);
            parts.push(Ident {
                name: part.to_owned(),
                span: Span::new(part_start, part_start + part.len() as u32),
            });
            at += part.len() + 1;
        }
        let type_name = TypeName {
            leading_dot: false,
            span: Span::new(
                parts.first().map_or(span.start, |p| p.span.start),
                parts.last().map_or(span.start, |p| p.span.end),
            ),
            parts,
        };
        Some(match url_prefix {
            None => FieldRef::Extension(type_name, span),
            Some(prefix) => FieldRef::AnyType {
                url_prefix: prefix.to_owned(),
                type_name,
                span,
            },
        })
    }

    /// `[v, v, ...]`
    fn list(&mut self) -> Option<LiteralValue> {
        let start = self.span().start;
        self.pos += 1;
        let mut values = Vec::new();
        if !self.try_consume(b"]") {
            while let Some(value) = self.value() {
                values.push(value);
                if self.stopped || self.try_consume(b"]") || self.consume(",").is_none() {
                    break;
                }
            }
        }
        Some(LiteralValue::List(
            values,
            Span::new(start, self.prev_end()),
        ))
    }

    /// A message in `{}`/`<>` or a scalar.
    fn value(&mut self) -> Option<LiteralValue> {
        if self.looking_at(b"{") || self.looking_at(b"<") {
            return self.nested_message().map(LiteralValue::Message);
        }
        self.scalar().map(LiteralValue::Scalar)
    }

    fn nested_message(&mut self) -> Option<MessageLiteral> {
        let start = self.span().start;
        let close = if self.looking_at(b"<") { ">" } else { "}" };
        if self.depth >= MAX_LITERAL_DEPTH {
            self.fail(
                LiteralErrorKind::Syntax,
                format!(
                    "Message is too deep, the parser exceeded the configured recursion limit \
                     of {MAX_LITERAL_DEPTH}."
                ),
            )?;
        }
        self.pos += 1;
        self.depth += 1;
        let mut fields = Vec::new();
        while !self.stopped && !self.looking_at(b">") && !self.looking_at(b"}") {
            match self.field() {
                Some(field) => fields.push(field),
                None => break,
            }
        }
        if !self.stopped {
            let _ = self.consume(close);
        }
        self.depth -= 1;
        // The literal being read when an error happened owns it; enclosing ones just stop.
        Some(MessageLiteral {
            fields,
            span: Span::new(start, self.prev_end()),
            error: self.error.take().map(Box::new),
            tokens: LiteralTokens::default(),
        })
    }

    /// A string (adjacent strings concatenated) or an optionally negative number or identifier.
    fn scalar(&mut self) -> Option<OptionValue> {
        let start = self.span().start;
        if self.kind() == Some(TokenKind::String) {
            let mut value = Vec::new();
            while let Some(token) = self.peek().filter(|t| t.kind == TokenKind::String) {
                unescape_string_into(self.text_of(token), &mut value);
                self.pos += 1;
            }
            return Some(OptionValue::String(StringLit {
                value,
                span: Span::new(start, self.prev_end()),
            }));
        }
        let negative = self.try_consume(b"-");
        let Some(token) = self.peek() else {
            self.fail(
                LiteralErrorKind::ExpectedValue,
                "Expected value, got: ".into(),
            )?;
            return None;
        };
        let text = self.text_of(token);
        let value = match token.kind {
            TokenKind::Identifier => OptionValue::Ident {
                negative,
                ident: Ident {
                    name: String::from_utf8_lossy(text).into_owned(),
                    span: token.span(),
                },
                span: Span::new(start, token.end),
            },
            TokenKind::Integer => match parse_integer(text, u64::MAX) {
                Some(value) => OptionValue::Int(IntLit {
                    negative,
                    value,
                    span: Span::new(start, token.end),
                }),
                None => {
                    let magnitude = parse_float(text);
                    OptionValue::Float {
                        value: if negative { -magnitude } else { magnitude },
                        span: Span::new(start, token.end),
                    }
                }
            },
            TokenKind::Float => {
                let magnitude = parse_float(text);
                OptionValue::Float {
                    value: if negative { -magnitude } else { magnitude },
                    span: Span::new(start, token.end),
                }
            }
            _ => {
                let found = String::from_utf8_lossy(text).into_owned();
                self.fail(
                    LiteralErrorKind::ExpectedValue,
                    format!("Expected value, got: {found}"),
                )?;
                return None;
            }
        };
        self.pos += 1;
        Some(value)
    }
}

/// Characters text format accepts in a bracketed type URL (besides letters, digits and `_`).
fn is_url_char(c: u8) -> bool {
    is_alnum(c) || b"-.~!$&()*+,;=%/".contains(&c)
}
