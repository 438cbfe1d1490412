//! Options: `option name = value;` statements, `[...]` compact options, and a field's
//! `default` and `json_name` pseudo-options.

use super::Parser;
use super::message::DefaultKind;
use crate::ast::*;
use crate::lexer::TokenKind;
use crate::literal::{parse_float, parse_integer};

/// What protoc has stored of an `option` statement, even one that failed to parse: protoc's
/// checks of `allow_alias` and `map_entry` look at every option statement of an enum or
/// message, including those with syntax errors.
#[derive(Clone, Debug, Default)]
pub(super) struct OptionProbe {
    /// Where the name starts.
    pub name_start: u32,
    /// How many name parts were started.
    pub parts: u32,
    /// The first part's text as far as it was read (for `(a.b)`, `a.b`).
    pub first_part: String,
    /// Whether the first part is a complete `(...)` extension name.
    pub first_is_extension: bool,
    /// The value, if it is a (non-negative) identifier.
    pub identifier: Option<String>,
}

impl Parser<'_> {
    /// `option name = value;`. Whether it parses or not, [`OptionProbe`] of it is left in
    /// `self.last_option`.
    pub(super) fn parse_option_statement(&mut self) -> Option<OptionStmt> {
        let mut probe = OptionProbe::default();
        let result = self.parse_option_statement_inner(&mut probe);
        self.last_option = probe;
        result
    }

    fn parse_option_statement_inner(&mut self, probe: &mut OptionProbe) -> Option<OptionStmt> {
        let start = self.cur().start;
        self.consume("option")?;
        let (name, value) = self.parse_option_assignment(probe)?;
        let mut comments = Comments::default();
        self.consume_end_of_decl(";", Some(&mut comments))?;
        Some(OptionStmt {
            name,
            value,
            span: self.span_from(start),
            comments,
        })
    }

    /// `name = value` inside `[...]`.
    fn parse_compact_option(&mut self) -> Option<CompactOption> {
        let start = self.cur().start;
        let (name, value) = self.parse_option_assignment(&mut OptionProbe::default())?;
        Some(CompactOption {
            name,
            value,
            span: self.span_from(start),
        })
    }

    /// `[a = 1, b = 2]` after an enum value or extension range (no `default`/`json_name`).
    pub(super) fn parse_compact_options(&mut self) -> Option<Option<CompactOptions>> {
        if !self.looking_at(b"[") {
            return Some(None);
        }
        let start = self.cur().start;
        self.consume("[")?;
        let mut options = Vec::new();
        loop {
            options.push(self.parse_compact_option()?);
            if !self.try_consume(b",") {
                break;
            }
        }
        self.consume("]")?;
        Some(Some(CompactOptions {
            options,
            span: self.span_from(start),
        }))
    }

    /// A field's `[...]`, where `default = ...` and `json_name = ...` are special.
    pub(super) fn parse_field_options(
        &mut self,
        default_kind: DefaultKind,
    ) -> Option<Option<CompactOptions>> {
        if !self.looking_at(b"[") {
            return Some(None);
        }
        let start = self.cur().start;
        self.consume("[")?;
        let mut options = Vec::new();
        let (mut has_default, mut has_json_name) = (false, false);
        loop {
            let option = if self.looking_at(b"default") {
                self.parse_default_value(default_kind, &mut has_default)?
            } else if self.looking_at(b"json_name") {
                self.parse_json_name(&mut has_json_name)?
            } else {
                self.parse_compact_option()?
            };
            options.push(option);
            if !self.try_consume(b",") {
                break;
            }
        }
        self.consume("]")?;
        Some(Some(CompactOptions {
            options,
            span: self.span_from(start),
        }))
    }

    /// A one-part option name made of the current keyword token.
    fn keyword_option_name(&mut self, keyword: &str) -> Option<OptionName> {
        let span = self.consume(keyword)?;
        let ident = Ident {
            name: keyword.to_owned(),
            span,
        };
        Some(OptionName {
            parts: vec![OptionNamePart::Simple(ident)],
            span,
        })
    }

    /// `default = value`, checked against the field's type as protoc's parser does.
    ///
    /// For a field whose type is a message or enum name, protoc takes the next token as
    /// written, whatever it is; it is returned as [`OptionValue::Ident`] holding the token's
    /// text.
    fn parse_default_value(
        &mut self,
        kind: DefaultKind,
        has_default: &mut bool,
    ) -> Option<CompactOption> {
        if *has_default {
            self.error("Already set option \"default\".");
        }
        let start = self.cur().start;
        let name = self.keyword_option_name("default")?;
        self.consume("=")?;
        *has_default = true;
        let value_start = self.cur().start;
        let value = match kind {
            DefaultKind::Named => {
                let token = self.cur();
                let ident = Ident {
                    name: self.cur_text(),
                    span: token.span(),
                };
                self.next();
                OptionValue::Ident {
                    negative: false,
                    ident,
                    span: token.span(),
                }
            }
            DefaultKind::Signed32 | DefaultKind::Signed64 => {
                let mut max = if kind == DefaultKind::Signed32 {
                    i32::MAX as u64
                } else {
                    i64::MAX as u64
                };
                let negative = self.try_consume(b"-");
                if negative {
                    max += 1;
                }
                let (value, _) =
                    self.consume_integer64(max, "Expected integer for field default value.")?;
                OptionValue::Int(IntLit {
                    negative,
                    value,
                    span: self.span_from(value_start),
                })
            }
            DefaultKind::Unsigned32 | DefaultKind::Unsigned64 => {
                let max = if kind == DefaultKind::Unsigned32 {
                    u64::from(u32::MAX)
                } else {
                    u64::MAX
                };
                let negative = self.try_consume(b"-");
                if negative {
                    self.error("Unsigned field can't have negative default value.");
                }
                let (value, _) =
                    self.consume_integer64(max, "Expected integer for field default value.")?;
                OptionValue::Int(IntLit {
                    negative,
                    value,
                    span: self.span_from(value_start),
                })
            }
            DefaultKind::Float => {
                let negative = self.try_consume(b"-");
                self.consume_number(value_start, negative, "Expected number.")?
            }
            DefaultKind::Bool => {
                if !self.looking_at(b"true") && !self.looking_at(b"false") {
                    self.error("Expected \"true\" or \"false\".");
                    return None;
                }
                let ident = self.consume_identifier("")?;
                OptionValue::Ident {
                    negative: false,
                    span: ident.span,
                    ident,
                }
            }
            DefaultKind::String => OptionValue::String(
                self.consume_string("Expected string for field default value.")?,
            ),
            DefaultKind::Bytes => OptionValue::String(self.consume_string("Expected string.")?),
            DefaultKind::Group => {
                self.error("Messages can't have default values.");
                return None;
            }
        };
        Some(CompactOption {
            name,
            value,
            span: self.span_from(start),
        })
    }

    /// `json_name = "..."`.
    fn parse_json_name(&mut self, has_json_name: &mut bool) -> Option<CompactOption> {
        if *has_json_name {
            self.error("Already set option \"json_name\".");
        }
        let start = self.cur().start;
        let name = self.keyword_option_name("json_name")?;
        self.consume("=")?;
        *has_json_name = true;
        let value = OptionValue::String(self.consume_string("Expected string for JSON name.")?);
        Some(CompactOption {
            name,
            value,
            span: self.span_from(start),
        })
    }

    /// `name = value` (protoc's `ParseOption` without the `option` keyword and `;`).
    fn parse_option_assignment(
        &mut self,
        probe: &mut OptionProbe,
    ) -> Option<(OptionName, OptionValue)> {
        let name_start = self.cur().start;
        probe.name_start = name_start;
        let mut parts = vec![self.parse_option_name_part(probe)?];
        while self.looking_at(b".") {
            self.consume(".")?;
            parts.push(self.parse_option_name_part(probe)?);
        }
        let name = OptionName {
            parts,
            span: self.span_from(name_start),
        };
        self.consume("=")?;
        let value = self.parse_option_value()?;
        if let OptionValue::Ident {
            negative: false,
            ident,
            ..
        } = &value
        {
            probe.identifier = Some(ident.name.clone());
        }
        Some((name, value))
    }

    /// `ident` or `(a.b.c)`.
    fn parse_option_name_part(&mut self, probe: &mut OptionProbe) -> Option<OptionNamePart> {
        probe.parts += 1;
        let is_first = probe.parts == 1;
        if !self.looking_at(b"(") {
            let ident = self.consume_identifier("Expected identifier.")?;
            if is_first {
                probe.first_part.clone_from(&ident.name);
            }
            return Some(OptionNamePart::Simple(ident));
        }
        let start = self.cur().start;
        self.consume("(")?;
        let inner_start = self.cur().start;
        let mut parts = Vec::new();
        let mut leading_dot = false;
        if self.looking_at_kind(TokenKind::Identifier) {
            let ident = self.consume_identifier("Expected identifier.")?;
            if is_first {
                probe.first_part.push_str(&ident.name);
            }
            parts.push(ident);
        }
        while self.looking_at(b".") {
            self.consume(".")?;
            if parts.is_empty() {
                leading_dot = true;
            }
            if is_first {
                probe.first_part.push('.');
            }
            let ident = self.consume_identifier("Expected identifier.")?;
            if is_first {
                probe.first_part.push_str(&ident.name);
            }
            parts.push(ident);
        }
        let inner_span = if parts.is_empty() {
            Span::new(inner_start, inner_start)
        } else {
            self.span_from(inner_start)
        };
        self.consume(")")?;
        if is_first {
            probe.first_is_extension = true;
        }
        let name = TypeName {
            leading_dot,
            parts,
            span: inner_span,
        };
        Some(OptionNamePart::Extension(name, self.span_from(start)))
    }

    /// A number as protoc's `ConsumeNumber` reads it: a float, an integer (too large ones as
    /// floats), `inf` or `nan`. `start` is where the value (with its sign) starts.
    fn consume_number(&mut self, start: u32, negative: bool, message: &str) -> Option<OptionValue> {
        let token = self.cur();
        let text = self.lex.text(token);
        let value = match token.kind {
            TokenKind::Float => parse_float(text),
            TokenKind::Integer => match parse_integer(text, u64::MAX) {
                Some(value) => {
                    self.next();
                    return Some(OptionValue::Int(IntLit {
                        negative,
                        value,
                        span: self.span_from(start),
                    }));
                }
                None if text[0] == b'0' => {
                    self.error("Integer out of range.");
                    0.0
                }
                None => parse_float(text),
            },
            _ if text == b"inf" || text == b"nan" => {
                let ident = self.consume_identifier(message)?;
                return Some(OptionValue::Ident {
                    negative,
                    ident,
                    span: self.span_from(start),
                });
            }
            _ => {
                self.error(message);
                return None;
            }
        };
        self.next();
        Some(OptionValue::Float {
            value: if negative { -value } else { value },
            span: self.span_from(start),
        })
    }

    /// The value after `=` (protoc's `ParseOption` value part).
    fn parse_option_value(&mut self) -> Option<OptionValue> {
        let start = self.cur().start;
        let negative = self.try_consume(b"-");
        let token = self.cur();
        match token.kind {
            TokenKind::End => {
                self.error("Unexpected end of stream while parsing option value.");
                None
            }
            TokenKind::Identifier => {
                let ident = self.consume_identifier("Expected identifier.")?;
                if negative && ident.name != "inf" && ident.name != "nan" {
                    self.error("Identifier after '-' symbol must be inf or nan.");
                    return None;
                }
                Some(OptionValue::Ident {
                    negative,
                    ident,
                    span: self.span_from(start),
                })
            }
            TokenKind::Integer => {
                let max = if negative {
                    i64::MAX as u64 + 1
                } else {
                    u64::MAX
                };
                if let Some(value) = parse_integer(self.lex.text(token), max) {
                    self.next();
                    return Some(OptionValue::Int(IntLit {
                        negative,
                        value,
                        span: self.span_from(start),
                    }));
                }
                // Too large for an integer: a double, as in protoc.
                let value = self.consume_number(start, negative, "Expected number.")?;
                Some(match value {
                    OptionValue::Int(lit) => {
                        let magnitude = lit.value as f64;
                        OptionValue::Float {
                            value: if negative { -magnitude } else { magnitude },
                            span: lit.span,
                        }
                    }
                    other => other,
                })
            }
            TokenKind::Float => self.consume_number(start, negative, "Expected number."),
            TokenKind::String => {
                if negative {
                    self.error("Invalid '-' symbol before string.");
                    return None;
                }
                self.consume_string("Expected string.")
                    .map(OptionValue::String)
            }
            TokenKind::Symbol if self.looking_at(b"{") => {
                self.parse_aggregate_value().map(OptionValue::Aggregate)
            }
            TokenKind::Symbol | TokenKind::Start => {
                self.error("Expected option value.");
                None
            }
        }
    }

    /// `{ ... }`: protoc's parser only checks that braces balance; the text-format contents
    /// are read by `aggregate.rs`.
    fn parse_aggregate_value(&mut self) -> Option<MessageLiteral> {
        let open = self.cur();
        let mut tokens = std::mem::take(&mut self.literal_tokens);
        tokens.clear();
        let mut depth = 1usize;
        self.next();
        let result = loop {
            if self.at_end() {
                self.error("Unexpected end of stream while parsing aggregate value.");
                break None;
            }
            if self.looking_at(b"{") {
                depth += 1;
            } else if self.looking_at(b"}") {
                depth -= 1;
                if depth == 0 {
                    let close = self.cur();
                    self.next();
                    break Some(super::aggregate::parse_message_literal(
                        self.lex.src,
                        &tokens,
                        open,
                        close,
                    ));
                }
            }
            tokens.push(self.cur());
            self.next();
        };
        self.literal_tokens = tokens;
        result
    }
}
