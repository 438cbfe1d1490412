//! `extensions` and `reserved` statements.

use super::{Parser, Syntax};
use crate::ast::*;
use crate::lexer::TokenKind;

impl Parser<'_> {
    /// `extensions 1 to 10, 20 [options];`
    pub(super) fn parse_extensions(&mut self) -> Option<ExtensionRange> {
        let start = self.cur().start;
        self.consume("extensions")?;
        let mut ranges = Vec::new();
        loop {
            ranges.push(self.parse_field_number_range("Expected field number range.")?);
            if !self.try_consume(b",") {
                break;
            }
        }
        let options = self.parse_compact_options()?;
        let mut comments = Comments::default();
        self.consume_end_of_decl(";", Some(&mut comments))?;
        Some(ExtensionRange {
            ranges,
            options,
            span: self.span_from(start),
            comments,
        })
    }

    /// `n` or `n to m` or `n to max` of field numbers (non-negative, below `i32::MAX`).
    fn parse_field_number_range(&mut self, message: &str) -> Option<Range> {
        let start_offset = self.cur().start;
        let start = self.consume_integer(message)?;
        if start.value == i32::MAX as u64 {
            self.error("Field number out of bounds.");
            return None;
        }
        let mut end = None;
        if self.try_consume(b"to") {
            let token = self.cur();
            if self.try_consume(b"max") {
                end = Some(RangeEnd::Max(token.span()));
            } else {
                let number = self.consume_integer("Expected integer.")?;
                if number.value == i32::MAX as u64 {
                    self.error("Field number out of bounds.");
                    return None;
                }
                end = Some(RangeEnd::Int(number));
            }
        }
        Some(Range {
            start,
            end,
            span: self.span_from(start_offset),
        })
    }

    /// `n`, `n to m` or `n to max` of enum numbers (possibly negative).
    fn parse_enum_number_range(&mut self, message: &str) -> Option<Range> {
        let start_offset = self.cur().start;
        let start = self.consume_signed_integer(message)?;
        let mut end = None;
        if self.try_consume(b"to") {
            let token = self.cur();
            if self.try_consume(b"max") {
                end = Some(RangeEnd::Max(token.span()));
            } else {
                end = Some(RangeEnd::Int(
                    self.consume_signed_integer("Expected integer.")?,
                ));
            }
        }
        Some(Range {
            start,
            end,
            span: self.span_from(start_offset),
        })
    }

    /// `reserved ...;` in a message (`in_enum` false) or an enum.
    pub(super) fn parse_reserved(&mut self, in_enum: bool) -> Option<Reserved> {
        let start = self.cur().start;
        self.consume("reserved")?;
        let is_editions = self.syntax == Syntax::Editions;
        let kind = if self.looking_at_kind(TokenKind::String) {
            if is_editions {
                self.error("Reserved names must be identifiers in editions, not string literals.");
                return None;
            }
            let message = if in_enum {
                "Expected enum value string literal."
            } else {
                "Expected field name string literal."
            };
            let mut names = Vec::new();
            loop {
                let token = self.cur();
                let literal = self.consume_string(message)?;
                if !is_identifier(&literal.value) {
                    let message = [
                        b"Reserved name \"",
                        &literal.value[..],
                        b"\" is not a valid identifier.",
                    ]
                    .concat();
                    self.warning_at(token.start, message);
                }
                names.push(ReservedName {
                    name: literal.value,
                    is_identifier: false,
                    span: literal.span,
                });
                if !self.try_consume(b",") {
                    break;
                }
            }
            ReservedKind::Names(names)
        } else if self.looking_at_kind(TokenKind::Identifier) {
            if !is_editions {
                self.error(
                    "Reserved names must be string literals. (Only editions supports \
                     identifiers.)",
                );
                return None;
            }
            let message = if in_enum {
                "Expected enum value identifier."
            } else {
                "Expected field name identifier."
            };
            let mut names = Vec::new();
            loop {
                let ident = self.consume_identifier(message)?;
                names.push(ReservedName {
                    name: ident.name.into_bytes(),
                    is_identifier: true,
                    span: ident.span,
                });
                if !self.try_consume(b",") {
                    break;
                }
            }
            ReservedKind::Names(names)
        } else {
            let mut ranges = Vec::new();
            loop {
                let range = match (in_enum, ranges.is_empty()) {
                    (true, true) => {
                        self.parse_enum_number_range("Expected enum value or number range.")?
                    }
                    (true, false) => self.parse_enum_number_range("Expected enum number range.")?,
                    (false, true) => {
                        self.parse_field_number_range("Expected field name or number range.")?
                    }
                    (false, false) => {
                        self.parse_field_number_range("Expected field number range.")?
                    }
                };
                ranges.push(range);
                if !self.try_consume(b",") {
                    break;
                }
            }
            ReservedKind::Ranges(ranges)
        };
        let mut comments = Comments::default();
        self.consume_end_of_decl(";", Some(&mut comments))?;
        Some(Reserved {
            kind,
            span: self.span_from(start),
            comments,
        })
    }
}

/// protoc's `Tokenizer::IsIdentifier`.
fn is_identifier(text: &[u8]) -> bool {
    match text.split_first() {
        Some((&first, rest)) => {
            crate::lexer::is_letter(first) && rest.iter().all(|&c| crate::lexer::is_alnum(c))
        }
        None => false,
    }
}
