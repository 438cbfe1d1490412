//! Aggregate (text-format) option values, read as protoc's `TextFormat::Parser` reads them:
//! knowing the option's message type, token by token, stopping at the first error; then
//! serialized as protoc serializes the parsed message (fields in number order, packed as
//! declared, implicit-presence defaults left out).

use rivet_descriptor::FieldDescriptorProto;
use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_syntax::ast::{self, LiteralToken, LiteralTokenKind, LiteralTokens};

use super::{FieldInfo, Interpreter, MessageSite};
use crate::pool::SymbolKind;
use crate::wire;

impl<'a> Interpreter<'a> {
    /// The message type a text-format value of `field` is read as.
    fn literal_site(&self, field: &FieldInfo) -> Result<MessageSite<'a>, String> {
        self.field_message_site(field).ok_or_else(|| {
            format!(
                "unknown message type \"{}\"",
                field.type_name.as_deref().unwrap_or_default()
            )
        })
    }

    /// Encodes a text-format message literal for the message-typed option `field` as protoc
    /// does: parsed into a message of its type (errors worded as its text-format parser words
    /// them) and serialized.
    pub(super) fn encode_literal(
        &mut self,
        field: &FieldInfo,
        literal: &ast::MessageLiteral,
        out: &mut Vec<u8>,
        _depth: usize,
    ) -> Result<(), Vec<u8>> {
        let site = self.literal_site(field)?;
        let mut parser = TextParser {
            interp: self,
            tokens: &literal.tokens,
            pos: 0,
            depth: 0,
        };
        let mut message = Parsed::default();
        while parser.current().is_some() {
            parser.field(&site, &mut message)?;
        }
        let missing = missing_required(&site, &message);
        if !missing.is_empty() {
            return Err(format!("Message missing required fields: {}", missing.join(", ")).into());
        }
        // An option path may end at a map field: the value is then one entry.
        self.complete_map_entry(&site, &mut message);
        assemble(message.values, is_message_set(&site), out)?;
        Ok(())
    }

    /// protoc serializes every field of a map entry, set or not: a map entry missing its key
    /// or value gets the field's default (for an enum 0, a map's enum must start with it).
    fn complete_map_entry(&self, site: &MessageSite<'a>, message: &mut Parsed) {
        if site.0.options.as_ref().and_then(|o| o.map_entry) != Some(true) {
            return;
        }
        for number in [1, 2] {
            if message.values.iter().any(|(f, _)| f.number == number) {
                continue;
            }
            let Some(field) = self.field_of(site, |f| f.number() == number, String::new()) else {
                continue;
            };
            let default = match field.ty {
                Type::Fixed32 | Type::Sfixed32 | Type::Float => Wire::Fixed32(0),
                Type::Fixed64 | Type::Sfixed64 | Type::Double => Wire::Fixed64(0),
                Type::String | Type::Bytes | Type::Message | Type::Group => Wire::Bytes(Vec::new()),
                _ => Wire::Varint(0),
            };
            message.set(&field, default);
        }
    }
}

/// Whether the message of `site` uses the MessageSet wire format.
fn is_message_set(site: &MessageSite<'_>) -> bool {
    site.0
        .options
        .as_ref()
        .and_then(|o| o.message_set_wire_format)
        == Some(true)
}

/// How deeply text-format messages may nest. (protoc's parser has no limit; this one recurses
/// and must not exhaust the stack.)
const MAX_LITERAL_DEPTH: usize = 100;

/// The fields set so far in one message being parsed.
#[derive(Default)]
struct Parsed {
    /// The values in the order set (a singular field at most once).
    values: Vec<(FieldInfo, Wire)>,
    /// The missing required fields of the sub-messages set, by field number, already
    /// prefixed with their path (`m.x`, `rm[1].x`, `(pkg.ext).x`).
    nested_missing: Vec<(i32, Vec<String>)>,
}

impl Parsed {
    /// protoc's `HasField`: set, and for a field without presence, not to its default.
    fn has(&self, number: i32) -> bool {
        self.values
            .iter()
            .any(|(f, w)| f.number == number && (!f.implicit_presence || !w.is_default()))
    }

    /// Sets (or, for a repeated field, adds) a value.
    fn set(&mut self, field: &FieldInfo, value: Wire) {
        if !field.repeated {
            self.values.retain(|(f, _)| f.number != field.number);
        }
        self.values.push((field.clone(), value));
    }
}

/// The field declaration behind `number` in the message of `site` (not extensions).
fn declared<'s>(site: &'s MessageSite<'_>, number: i32) -> Option<&'s FieldDescriptorProto> {
    site.0.field.iter().find(|f| f.number() == number)
}

/// Required fields not set in `message` and, after them, those of its sub-messages, as
/// protoc's `FindInitializationErrors` lists them.
fn missing_required(site: &MessageSite<'_>, message: &Parsed) -> Vec<String> {
    let (_, syntax, file, path, _, _) = site;
    let legacy_required = |index: usize| {
        file.is_some_and(|file| crate::features::legacy_required(file, *syntax, path, index))
    };
    let mut missing: Vec<String> = site
        .0
        .field
        .iter()
        .enumerate()
        .filter(|&(index, f)| {
            let required = f.label == Some(Label::Required as i32)
                || f.options
                    .as_ref()
                    .and_then(|o| o.features.as_deref())
                    .and_then(|f| f.field_presence)
                    == Some(3)
                || legacy_required(index);
            required && !message.has(f.number())
        })
        .map(|(_, f)| f)
        .map(|f| f.name().to_string())
        .collect();
    let mut nested: Vec<&(i32, Vec<String>)> = message.nested_missing.iter().collect();
    nested.sort_by_key(|(number, _)| *number);
    for (_, names) in nested {
        missing.extend(names.iter().cloned());
    }
    missing
}

/// protoc's text-format parser over the tokens of one aggregate value.
struct TextParser<'p, 'a> {
    interp: &'p Interpreter<'a>,
    tokens: &'p LiteralTokens,
    pos: usize,
    depth: usize,
}

impl<'p, 'a> TextParser<'p, 'a> {
    fn current(&self) -> Option<LiteralToken> {
        self.tokens.tokens().get(self.pos).copied()
    }

    /// The current token's text ("" at the end) as a `String`: for tokens that are ASCII
    /// (identifiers, numbers).
    fn text(&self) -> String {
        String::from_utf8_lossy(self.text_bytes()).into_owned()
    }

    /// The current token's text ("" at the end), as protoc echoes it in errors: a string
    /// token's bytes need not be UTF-8.
    fn text_bytes(&self) -> &[u8] {
        self.current().map_or(&[], |t| self.tokens.text(t))
    }

    /// An error message: `before`, the current token's text, and `after`.
    fn quoting_token(&self, before: &str, after: &str) -> Vec<u8> {
        [before.as_bytes(), self.text_bytes(), after.as_bytes()].concat()
    }

    fn kind(&self) -> Option<LiteralTokenKind> {
        self.current().map(|t| t.kind)
    }

    fn looking_at(&self, text: &str) -> bool {
        self.current()
            .is_some_and(|t| self.tokens.text(t) == text.as_bytes())
    }

    fn try_consume(&mut self, text: &str) -> bool {
        let found = self.looking_at(text);
        if found {
            self.pos += 1;
        }
        found
    }

    fn consume(&mut self, text: &str) -> Result<(), Vec<u8>> {
        if self.try_consume(text) {
            return Ok(());
        }
        Err(self.quoting_token(&format!("Expected \"{text}\", found \""), "\"."))
    }

    /// The optional `;` or `,` after a field.
    fn separator(&mut self) {
        let _ = self.try_consume(";") || self.try_consume(",");
    }

    fn enter(&mut self) -> Result<(), Vec<u8>> {
        self.depth += 1;
        if self.depth > MAX_LITERAL_DEPTH {
            return Err(format!(
                "Message is too deep, the parser exceeded the configured recursion limit of \
                 {MAX_LITERAL_DEPTH}."
            )
            .into());
        }
        Ok(())
    }

    /// `<` or `{`; returns the closing delimiter.
    fn message_delimiter(&mut self) -> Result<&'static str, Vec<u8>> {
        if self.try_consume("<") {
            return Ok(">");
        }
        self.consume("{")?;
        Ok("}")
    }

    /// The fields of a message up to its closing delimiter (consumed).
    fn message_body(
        &mut self,
        site: &MessageSite<'a>,
        message: &mut Parsed,
        close: &str,
    ) -> Result<(), Vec<u8>> {
        self.enter()?;
        while !self.looking_at(">") && !self.looking_at("}") {
            self.field(site, message)?;
        }
        self.consume(close)?;
        self.depth -= 1;
        Ok(())
    }

    /// One field of the message `site`: its name, value and optional separator.
    fn field(&mut self, site: &MessageSite<'a>, message: &mut Parsed) -> Result<(), Vec<u8>> {
        let message_name = site.4.as_str();
        if message_name == "google.protobuf.Any" && self.looking_at("[") {
            return self.any_expansion(site, message);
        }
        let field_name;
        let field = if self.looking_at("[") {
            let (prefix, name) = self.type_url_or_name()?;
            if !prefix.is_empty() {
                return Err("Extension name contains \"/\"".into());
            }
            field_name = name;
            let field = self.interp.literal_extension(site, &field_name);
            Some(field.ok_or_else(|| {
                format!(
                    "Extension \"{field_name}\" is not defined or is not an extension of \"{message_name}\"."
                )
            })?)
        } else {
            if self.kind() != Some(LiteralTokenKind::Identifier) {
                return Err(self.quoting_token("Expected identifier, got: ", ""));
            }
            field_name = self.text();
            self.pos += 1;
            let field = self.interp.literal_field(site, &field_name);
            if field.is_none() && !site.0.reserved_name.iter().any(|name| *name == field_name) {
                return Err(format!(
                    "Message type \"{message_name}\" has no field named \"{field_name}\"."
                )
                .into());
            }
            field
        };
        let Some(field) = field else {
            // A reserved name: the value is skipped, its kind guessed from the syntax.
            if self.try_consume(":") && !self.looking_at("{") && !self.looking_at("<") {
                self.skip_value()?;
            } else {
                self.skip_message()?;
            }
            self.separator();
            return Ok(());
        };
        if !field.repeated && message.has(field.number) {
            return Err(format!(
                "Non-repeated field \"{field_name}\" is specified multiple times."
            )
            .into());
        }
        if let Some(oneof) = declared(site, field.number).and_then(|f| f.oneof_index)
            && let Some((other, _)) = message.values.iter().find(|(other, _)| {
                declared(site, other.number).and_then(|f| f.oneof_index) == Some(oneof)
            })
        {
            let oneof_name = site
                .0
                .oneof_decl
                .get(oneof as usize)
                .map_or("", |o| o.name());
            return Err(format!(
                "Field \"{field_name}\" is specified along with field \"{}\", another member of oneof \"{oneof_name}\".",
                other.name
            ).into());
        }
        let is_message = matches!(field.ty, Type::Message | Type::Group);
        if is_message {
            let _ = self.try_consume(":");
        } else {
            self.consume(":")?;
        }
        if field.repeated && self.try_consume("[") {
            if !self.try_consume("]") {
                loop {
                    self.value(site, &field, message)?;
                    if self.try_consume("]") {
                        break;
                    }
                    self.consume(",")?;
                }
            }
        } else {
            self.value(site, &field, message)?;
        }
        self.separator();
        Ok(())
    }

    /// `[type.googleapis.com/pkg.Type] { ... }` inside a `google.protobuf.Any`.
    fn any_expansion(
        &mut self,
        site: &MessageSite<'a>,
        message: &mut Parsed,
    ) -> Result<(), Vec<u8>> {
        let (prefix, name) = self.type_url_or_name()?;
        if prefix.is_empty() {
            return Err("Type URL prefix is missing".into());
        }
        let url = format!("{prefix}{name}");
        let _ = self.try_consume(":");
        let value_site = if prefix == "type.googleapis.com/" || prefix == "type.googleprod.com/" {
            self.interp.visible_message(&name)
        } else {
            None
        };
        let Some(value_site) = value_site else {
            return Err(
                format!("Could not find type \"{url}\" stored in google.protobuf.Any.").into(),
            );
        };
        let close = self.message_delimiter()?;
        let mut value = Parsed::default();
        self.message_body(&value_site, &mut value, close)?;
        let missing = missing_required(&value_site, &value);
        if !missing.is_empty() {
            return Err(format!(
                "Value of type \"{name}\" stored in google.protobuf.Any has missing required fields: {}",
                missing.join(", ")
            ).into());
        }
        let mut payload = Vec::new();
        assemble(value.values, is_message_set(&value_site), &mut payload)?;
        let type_url = self
            .interp
            .field_of(site, |f| f.number() == 1, "type_url".into());
        let value_field = self
            .interp
            .field_of(site, |f| f.number() == 2, "value".into());
        let (Some(type_url), Some(value_field)) = (type_url, value_field) else {
            return Err("google.protobuf.Any lacks its fields.".into());
        };
        if message.has(1) || message.has(2) {
            return Err("Non-repeated Any specified multiple times.".into());
        }
        message.set(&type_url, Wire::Bytes(url.into_bytes()));
        message.set(&value_field, Wire::Bytes(payload));
        self.separator();
        Ok(())
    }

    /// `[ ... ]`: a type URL (`prefix/pkg.Type`: the prefix up to and including the last `/`)
    /// or a full name (empty prefix). Inside the brackets protoc reads runs of URL
    /// characters, whitespace ignored.
    fn type_url_or_name(&mut self) -> Result<(String, String), Vec<u8>> {
        self.pos += 1;
        let mut text = String::new();
        while let Some(token) = self.current() {
            let bytes = self.tokens.text(token);
            let is_url = match token.kind {
                LiteralTokenKind::Identifier
                | LiteralTokenKind::Integer
                | LiteralTokenKind::Float => true,
                LiteralTokenKind::Symbol => is_url_char(bytes[0]),
                LiteralTokenKind::String => false,
            };
            if !is_url {
                break;
            }
            text.push_str(&String::from_utf8_lossy(bytes));
            self.pos += 1;
        }
        if !self.try_consume("]") {
            let found = match self.current() {
                // A string's quote is a token of its own in URL mode.
                Some(token) if token.kind == LiteralTokenKind::String => {
                    String::from_utf8_lossy(&self.tokens.text(token)[..1]).into_owned()
                }
                _ => self.text(),
            };
            return Err(format!("Expected \"]\", found \"{found}\".").into());
        }
        let (prefix, name) = match text.rfind('/') {
            None => (String::new(), text),
            Some(slash) => {
                let prefix = &text[..=slash];
                if let Some(error) = rivet_syntax::type_url_prefix_error(prefix) {
                    return Err(error.into());
                }
                (prefix.to_string(), text[slash + 1..].to_string())
            }
        };
        for part in name.split('.') {
            let valid = part
                .as_bytes()
                .first()
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
                && part.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
            if !valid {
                return Err(format!("Invalid identifier in type name, got: \"{part}\"").into());
            }
        }
        Ok((prefix, name))
    }

    /// One value of `field` (a message or a scalar), set in `message`.
    fn value(
        &mut self,
        parent: &MessageSite<'a>,
        field: &FieldInfo,
        message: &mut Parsed,
    ) -> Result<(), Vec<u8>> {
        if !matches!(field.ty, Type::Message | Type::Group) {
            let value = self.scalar(field)?;
            message.set(field, value);
            return Ok(());
        }
        let close = self.message_delimiter()?;
        let site = self.interp.literal_site(field)?;
        let mut inner = Parsed::default();
        self.message_body(&site, &mut inner, close)?;
        let missing = missing_required(&site, &inner);
        if !missing.is_empty() {
            // Extensions (not declared in the message) are named by full name.
            let mut prefix = if declared(parent, field.number).is_none() {
                format!("({})", field.full_name)
            } else {
                field.name.clone()
            };
            if field.repeated {
                let index = message
                    .values
                    .iter()
                    .filter(|(f, _)| f.number == field.number)
                    .count();
                prefix.push_str(&format!("[{index}]"));
            }
            let names = missing.iter().map(|m| format!("{prefix}.{m}")).collect();
            message.nested_missing.push((field.number, names));
        }
        self.interp.complete_map_entry(&site, &mut inner);
        let mut payload = Vec::new();
        assemble(inner.values, is_message_set(&site), &mut payload)?;
        message.set(field, Wire::Bytes(payload));
        Ok(())
    }

    /// An unsigned integer no larger than `max` (protoc's `ConsumeUnsignedInteger`).
    fn unsigned(&mut self, max: u64) -> Result<u64, Vec<u8>> {
        let token = self
            .current()
            .filter(|t| t.kind == LiteralTokenKind::Integer)
            .ok_or_else(|| self.quoting_token("Expected integer, got: ", ""))?;
        let value = self
            .tokens
            .integer(token, max)
            .ok_or_else(|| self.quoting_token("Integer out of range (", ")"))?;
        self.pos += 1;
        Ok(value)
    }

    /// An optionally negative integer within `-(max + 1)..=max`.
    fn signed(&mut self, max: u64) -> Result<i64, Vec<u8>> {
        let negative = self.try_consume("-");
        let value = self.unsigned(max + negative as u64)?;
        Ok(if negative {
            (value as i64).wrapping_neg()
        } else {
            value as i64
        })
    }

    /// An optionally negative number, `inf`/`infinity` or `nan` (protoc's `ConsumeDouble`).
    fn double(&mut self) -> Result<f64, Vec<u8>> {
        let negative = self.try_consume("-");
        let token = self.current();
        let value = match token.map(|t| t.kind) {
            Some(LiteralTokenKind::Integer) => {
                let token = token.expect("current token");
                let text = self.tokens.text(token);
                let hex = text.len() >= 2 && text[0] == b'0' && matches!(text[1], b'x' | b'X');
                let octal = text.len() >= 2 && text[0] == b'0' && (b'0'..b'8').contains(&text[1]);
                if hex || octal {
                    return Err(self.quoting_token("Expect a decimal number, got: ", ""));
                }
                match self.tokens.integer(token, u64::MAX) {
                    Some(value) => value as f64,
                    None => self.tokens.float(token),
                }
            }
            Some(LiteralTokenKind::Float) => self.tokens.float(token.expect("current token")),
            Some(LiteralTokenKind::Identifier) => {
                let text = self.text().to_ascii_lowercase();
                match text.as_str() {
                    "inf" | "infinity" => f64::INFINITY,
                    "nan" => f64::NAN,
                    _ => return Err(format!("Expected double, got: {text}").into()),
                }
            }
            _ => return Err(self.quoting_token("Expected double, got: ", "")),
        };
        self.pos += 1;
        Ok(if negative { -value } else { value })
    }

    /// A scalar value of `field` (protoc's `ConsumeFieldValue`).
    fn scalar(&mut self, field: &FieldInfo) -> Result<Wire, Vec<u8>> {
        const I32: u64 = i32::MAX as u64;
        const I64: u64 = i64::MAX as u64;
        Ok(match field.ty {
            Type::Int32 | Type::Int64 => {
                let max = if field.ty == Type::Int32 { I32 } else { I64 };
                Wire::Varint(self.signed(max)? as u64)
            }
            Type::Sint32 => {
                let v = self.signed(I32)? as i32;
                Wire::Varint(((v << 1) ^ (v >> 31)) as u32 as u64)
            }
            Type::Sint64 => {
                let v = self.signed(I64)?;
                Wire::Varint(((v << 1) ^ (v >> 63)) as u64)
            }
            Type::Sfixed32 => Wire::Fixed32(self.signed(I32)? as i32 as u32),
            Type::Sfixed64 => Wire::Fixed64(self.signed(I64)? as u64),
            Type::Uint32 => Wire::Varint(self.unsigned(u32::MAX as u64)?),
            Type::Uint64 => Wire::Varint(self.unsigned(u64::MAX)?),
            Type::Fixed32 => Wire::Fixed32(self.unsigned(u32::MAX as u64)? as u32),
            Type::Fixed64 => Wire::Fixed64(self.unsigned(u64::MAX)?),
            Type::Double => Wire::Fixed64(self.double()?.to_bits()),
            Type::Float => Wire::Fixed32(double_to_float(self.double()?).to_bits()),
            Type::String | Type::Bytes => {
                if self.kind() != Some(LiteralTokenKind::String) {
                    return Err(self.quoting_token("Expected string, got: ", ""));
                }
                let mut value = Vec::new();
                while let Some(token) = self
                    .current()
                    .filter(|t| t.kind == LiteralTokenKind::String)
                {
                    self.tokens.string_into(token, &mut value);
                    self.pos += 1;
                }
                Wire::Bytes(value)
            }
            Type::Bool => {
                if self.kind() == Some(LiteralTokenKind::Integer) {
                    Wire::Varint(self.unsigned(1)?)
                } else {
                    if self.kind() != Some(LiteralTokenKind::Identifier) {
                        return Err(self.quoting_token("Expected identifier, got: ", ""));
                    }
                    let value = self.text();
                    self.pos += 1;
                    match value.as_str() {
                        "true" | "True" | "t" => Wire::Varint(1),
                        "false" | "False" | "f" => Wire::Varint(0),
                        _ => {
                            return Err(format!(
                                "Invalid value for boolean field \"{}\". Value: \"{value}\".",
                                field.name
                            )
                            .into());
                        }
                    }
                }
            }
            Type::Enum => {
                let enum_name = field.type_name.clone().unwrap_or_default();
                let unknown = |value: &str| {
                    format!(
                        "Unknown enumeration value of \"{value}\" for field \"{}\".",
                        field.name
                    )
                };
                if self.kind() == Some(LiteralTokenKind::Identifier) {
                    let value = self.text();
                    self.pos += 1;
                    let number = self
                        .interp
                        .enum_value_number(&enum_name, &value)
                        .ok_or_else(|| unknown(&value))?;
                    Wire::Varint(number as i64 as u64)
                } else if self.looking_at("-") || self.kind() == Some(LiteralTokenKind::Integer) {
                    let number = self.signed(I32)?;
                    // A closed enum refuses numbers it does not define.
                    if self.interp.closed_enum_lacks(&enum_name, number as i32) {
                        return Err(unknown(&number.to_string()).into());
                    }
                    Wire::Varint(number as u64)
                } else {
                    return Err(self.quoting_token("Expected integer or identifier, got: ", ""));
                }
            }
            Type::Message | Type::Group => unreachable!("messages are read by `value`"),
        })
    }

    /// Skips a field that is not parsed (protoc's `SkipField`).
    fn skip_field(&mut self) -> Result<(), Vec<u8>> {
        if self.looking_at("[") {
            self.type_url_or_name()?;
        } else if self.kind() == Some(LiteralTokenKind::Identifier) {
            self.pos += 1;
        } else {
            return Err(self.quoting_token("Expected identifier, got: ", ""));
        }
        if self.try_consume(":") && !self.looking_at("{") && !self.looking_at("<") {
            self.skip_value()?;
        } else {
            self.skip_message()?;
        }
        self.separator();
        Ok(())
    }

    /// Skips a message value with its delimiters (protoc's `SkipFieldMessage`).
    fn skip_message(&mut self) -> Result<(), Vec<u8>> {
        self.enter()?;
        let close = self.message_delimiter()?;
        while !self.looking_at(">") && !self.looking_at("}") {
            self.skip_field()?;
        }
        self.consume(close)?;
        self.depth -= 1;
        Ok(())
    }

    /// Skips a scalar or list value (protoc's `SkipFieldValue`).
    fn skip_value(&mut self) -> Result<(), Vec<u8>> {
        self.enter()?;
        if self.kind() == Some(LiteralTokenKind::String) {
            while self.kind() == Some(LiteralTokenKind::String) {
                self.pos += 1;
            }
        } else if self.try_consume("[") {
            if !self.try_consume("]") {
                loop {
                    if self.looking_at("{") || self.looking_at("<") {
                        self.skip_message()?;
                    } else {
                        self.skip_value()?;
                    }
                    if self.try_consume("]") {
                        break;
                    }
                    self.consume(",")?;
                }
            }
        } else {
            let negative = self.try_consume("-");
            match self.kind() {
                Some(LiteralTokenKind::Integer | LiteralTokenKind::Float) => {}
                Some(LiteralTokenKind::Identifier) => {
                    let text = self.text().to_ascii_lowercase();
                    if negative && !matches!(text.as_str(), "inf" | "infinity" | "nan") {
                        return Err(format!("Invalid float number: {text}").into());
                    }
                }
                _ => {
                    return Err(
                        self.quoting_token("Cannot skip field value, unexpected token: ", "")
                    );
                }
            }
            self.pos += 1;
        }
        self.depth -= 1;
        Ok(())
    }
}

impl<'a> Interpreter<'a> {
    /// The field a plain name in a literal names: a field of the message by name, or a
    /// group-like field by its type's name.
    fn literal_field(&self, site: &MessageSite<'a>, name: &str) -> Option<FieldInfo> {
        if let Some(field) = self.field_of(site, |f| f.name() == name, name.to_string()) {
            return Some(field);
        }
        let group_type = format!("{}.{name}", site.4);
        self.field_of(
            site,
            |f| {
                f.name() == name.to_ascii_lowercase()
                    && f.type_name().trim_start_matches('.') == group_type
            },
            name.to_string(),
        )
        // Encoded as a group: a proto2 group or an editions DELIMITED message field.
        .filter(|field| field.ty == Type::Group)
    }

    /// The field `[name]` names in a literal of the message `site`: protoc looks the name up
    /// from the scope enclosing that message and takes the field found (an extension of it or
    /// one of its own fields), or, in a message-set message, the extension declared in the
    /// message type found.
    fn literal_extension(&self, site: &MessageSite<'a>, name: &str) -> Option<FieldInfo> {
        let message_name = site.4.as_str();
        let (full_name, symbol) = self
            .pool
            .lookup(name, message_name, self.file, false)
            .ok()?;
        match symbol.kind {
            SymbolKind::Extension => {
                let (info, extendee) = self.extension_info(symbol, &full_name, name.to_string())?;
                (extendee == message_name).then_some(info)
            }
            SymbolKind::Field => {
                let (parent, field_name) = full_name.rsplit_once('.')?;
                if parent != message_name {
                    return None;
                }
                self.field_of(site, |f| f.name() == field_name, name.to_string())
            }
            SymbolKind::Message => {
                if !is_message_set(site) {
                    return None;
                }
                let proto = self.pool.proto(symbol.file, (self.file, self.proto));
                let foreign = crate::pool::Pool::message_at(proto, symbol.path)?;
                let ext = foreign.extension.iter().find(|ext| {
                    ext.extendee().trim_start_matches('.') == message_name
                        && ext.r#type == Some(Type::Message as i32)
                        && ext.label == Some(Label::Optional as i32)
                        && ext.type_name().trim_start_matches('.') == full_name
                })?;
                let ext_name = format!("{full_name}.{}", ext.name());
                let ext_symbol = self.pool.symbols.get(&ext_name)?;
                let (info, _) = self.extension_info(ext_symbol, &ext_name, name.to_string())?;
                Some(info)
            }
            _ => None,
        }
    }

    /// A message type by full name, if this file may use it (protoc's `FindSymbol`, as its
    /// `Any` type lookup uses it).
    fn visible_message(&self, full_name: &str) -> Option<MessageSite<'a>> {
        let symbol = self.pool.find_full(full_name, self.file)?;
        if symbol.kind != SymbolKind::Message {
            return None;
        }
        self.message_site(full_name)
    }
}

/// protoc's `SafeDoubleToFloat`: out-of-range values become the largest float or infinity.
fn double_to_float(value: f64) -> f32 {
    const MAX_FLOAT_AS_DOUBLE_ROUNDED: f64 = 3.4028235677973366e+38;
    let max = f32::MAX as f64;
    if value > max {
        if value <= MAX_FLOAT_AS_DOUBLE_ROUNDED {
            f32::MAX
        } else {
            f32::INFINITY
        }
    } else if value < -max {
        if value >= -MAX_FLOAT_AS_DOUBLE_ROUNDED {
            -f32::MAX
        } else {
            f32::NEG_INFINITY
        }
    } else {
        value as f32
    }
}

/// Characters text format accepts in a bracketed type URL (besides letters, digits and `_`).
fn is_url_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || b"-.~!$&()*+,;=%/".contains(&c)
}

/// One encoded value, without its key.
#[derive(Debug)]
enum Wire {
    Varint(u64),
    Fixed32(u32),
    Fixed64(u64),
    /// A string, bytes or (serialized) message payload.
    Bytes(Vec<u8>),
}

impl Wire {
    /// Whether a field without presence holding this value is left out of the encoding.
    fn is_default(&self) -> bool {
        match self {
            Wire::Varint(v) => *v == 0,
            Wire::Fixed32(bits) => *bits == 0,
            Wire::Fixed64(bits) => *bits == 0,
            Wire::Bytes(bytes) => bytes.is_empty(),
        }
    }

    fn wire_type(&self) -> u8 {
        match self {
            Wire::Varint(_) => 0,
            Wire::Fixed64(_) => 1,
            Wire::Bytes(_) => 2,
            Wire::Fixed32(_) => 5,
        }
    }

    /// The value's bytes (a length-delimited value without its length).
    fn write_payload(&self, out: &mut Vec<u8>) {
        match self {
            Wire::Varint(v) => wire::varint(out, *v),
            Wire::Fixed32(v) => out.extend(v.to_le_bytes()),
            Wire::Fixed64(v) => out.extend(v.to_le_bytes()),
            Wire::Bytes(bytes) => out.extend_from_slice(bytes),
        }
    }
}

/// Serializes parsed literal values as a message: fields in number order, singular fields
/// once, repeated scalars packed when declared packed, implicit-presence fields left out when
/// they hold their default. In a MessageSet, message extensions are written as items (group 1
/// holding the number as `type_id` = 2 and the payload as `message` = 3).
fn assemble(
    mut values: Vec<(FieldInfo, Wire)>,
    message_set: bool,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    values.sort_by_key(|(field, _)| field.number);
    let mut start = 0;
    while start < values.len() {
        let number = values[start].0.number;
        let end = start
            + values[start..]
                .iter()
                .take_while(|(field, _)| field.number == number)
                .count();
        let group = &values[start..end];
        let field = &group[0].0;
        if !field.repeated && group.len() > 1 {
            return Err(format!(
                "Non-repeated field \"{}\" is specified multiple times.",
                field.display
            ));
        }
        if field.repeated && field.packed {
            let mut payload = Vec::new();
            for (_, value) in group {
                value.write_payload(&mut payload);
            }
            wire::length_delimited(out, number, &payload);
        } else {
            for (field, value) in group {
                if field.implicit_presence && value.is_default() {
                    continue;
                }
                if message_set
                    && field.ty == Type::Message
                    && !field.repeated
                    && let Wire::Bytes(bytes) = value
                {
                    wire::key(out, 1, 3);
                    wire::key(out, 2, 0);
                    wire::varint(out, number as u64);
                    wire::length_delimited(out, 3, bytes);
                    wire::key(out, 1, 4);
                } else if field.ty == Type::Group {
                    wire::key(out, number, 3);
                    value.write_payload(out);
                    wire::key(out, number, 4);
                } else if let Wire::Bytes(bytes) = value {
                    wire::length_delimited(out, number, bytes);
                } else {
                    wire::key(out, number, value.wire_type());
                    value.write_payload(out);
                }
            }
        }
        start = end;
    }
    Ok(())
}
