//! Aggregate (text-format) option values: parsed into a message of the option's type and
//! serialized as protoc does (TextFormat's scalar rules, fields in number order, packed as
//! declared, implicit-presence defaults left out).

use rivet_descriptor::field_descriptor_proto::Type;
use rivet_syntax::ast::{self, OptionValue};

use super::{FieldInfo, Interpreter, MessageSite, scalar_text, wire};
use crate::pool::SymbolKind;

impl<'a> Interpreter<'a> {
    /// Encodes a text-format message literal against the message `type_name` as protoc does:
    /// parsed into a message of that type and serialized, so fields come out in number order,
    /// repeated scalars packed as declared, and unset-looking implicit-presence fields omitted.
    pub(super) fn encode_literal(
        &mut self,
        type_name: &str,
        literal: &ast::MessageLiteral,
        out: &mut Vec<u8>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_LITERAL_DEPTH {
            return Err("Message is too deep.".into());
        }
        let site = self
            .message_site(type_name)
            .ok_or_else(|| format!("unknown message type \"{type_name}\""))?;
        let mut values: Vec<(FieldInfo, Wire)> = Vec::new();
        for entry in &literal.fields {
            let field = match &entry.name {
                ast::FieldRef::AnyType { .. } => None,
                other => Some(self.literal_field(&site, type_name, other)?),
            };
            let field = match (&entry.name, field) {
                (_, Some(field)) => field,
                (
                    ast::FieldRef::AnyType {
                        url_prefix,
                        type_name: any_type,
                        ..
                    },
                    None,
                ) => {
                    // `[prefix/pkg.Type] { ... }` inside a google.protobuf.Any.
                    let inner_name = any_type.to_text();
                    let ast::LiteralValue::Message(inner) = &entry.value else {
                        return Err(format!(
                            "Expected \"{{\" after Any type name \"{inner_name}\"."
                        ));
                    };
                    let url = format!("{url_prefix}/{inner_name}");
                    if let Some(symbol) = self.pool.symbols.get(inner_name.trim_start_matches('.'))
                    {
                        // protoc's lookup of the type uses its file (for unused imports).
                        self.pool.used_files.mark(symbol.file);
                    }
                    if self
                        .message_site(inner_name.trim_start_matches('.'))
                        .is_none()
                    {
                        return Err(format!(
                            "Could not find type \"{url}\" stored in google.protobuf.Any."
                        ));
                    }
                    let mut payload = Vec::new();
                    self.encode_literal(
                        inner_name.trim_start_matches('.'),
                        inner,
                        &mut payload,
                        depth + 1,
                    )?;
                    for (number, display, bytes) in
                        [(1, "type_url", url.into_bytes()), (2, "value", payload)]
                    {
                        let info = self
                            .field_of(&site, |f| f.number() == number, display.into())
                            .ok_or("Any expansion used outside google.protobuf.Any")?;
                        values.push((info, Wire::Bytes(bytes)));
                    }
                    continue;
                }
                (_, None) => unreachable!("only Any expansions have no field"),
            };
            self.literal_values(&field, &entry.value, &mut values, depth)?;
        }
        // The parser stops a literal at a text-format syntax error; protoc reports it once
        // the fields before it have been interpreted.
        if let Some(error) = &literal.error {
            if let (ast::LiteralErrorKind::ExpectedValue, Some(field_ref)) =
                (error.kind, &error.field)
                && !matches!(field_ref, ast::FieldRef::AnyType { .. })
            {
                let field = self.literal_field(&site, type_name, field_ref)?;
                return Err(expected_value_message(&field, &error.found));
            }
            return Err(error.message.clone());
        }
        assemble(values, out)
    }

    /// The field a literal entry names: a field of the message or an extension of it.
    fn literal_field(
        &self,
        site: &MessageSite<'a>,
        type_name: &str,
        name: &ast::FieldRef,
    ) -> Result<FieldInfo, String> {
        match name {
            ast::FieldRef::Name(ident) => self
                .field_of(
                    site,
                    |f| {
                        f.name() == ident.name
                            || (f.r#type == Some(Type::Group as i32)
                                && f.type_name().rsplit('.').next() == Some(ident.name.as_str()))
                    },
                    ident.name.clone(),
                )
                .ok_or_else(|| {
                    format!(
                        "Message type \"{type_name}\" has no field named \"{}\".",
                        ident.name
                    )
                }),
            ast::FieldRef::Extension(name, _) => {
                let written = name.to_text();
                let not_found = || {
                    format!(
                        "Extension \"{written}\" is not defined or is not an extension of \"{type_name}\"."
                    )
                };
                let symbol = self
                    .pool
                    .symbols
                    .get(written.trim_start_matches('.'))
                    .filter(|s| s.kind == SymbolKind::Extension)
                    .ok_or_else(not_found)?;
                // protoc's lookup of the extension uses its file (for unused imports).
                self.pool.used_files.mark(symbol.file);
                let (info, extendee) = self
                    .extension_info(symbol, written.trim_start_matches('.'), written.clone())
                    .ok_or_else(not_found)?;
                if extendee != type_name {
                    return Err(not_found());
                }
                Ok(info)
            }
            ast::FieldRef::AnyType { .. } => Err("Any expansion is not a field.".into()),
        }
    }

    /// Encodes the value(s) of one literal entry.
    fn literal_values(
        &mut self,
        field: &FieldInfo,
        value: &ast::LiteralValue,
        values: &mut Vec<(FieldInfo, Wire)>,
        depth: usize,
    ) -> Result<(), String> {
        match value {
            ast::LiteralValue::List(items, _) => {
                if !field.repeated {
                    return Err(format!("Field \"{}\" is not repeated.", field.display));
                }
                for item in items {
                    self.literal_values(field, item, values, depth)?;
                }
                Ok(())
            }
            ast::LiteralValue::Message(literal) => {
                if !matches!(field.ty, Type::Message | Type::Group) {
                    return Err(format!("Field \"{}\" is not a message.", field.display));
                }
                let mut payload = Vec::new();
                let type_name = field.type_name.clone().unwrap_or_default();
                self.encode_literal(&type_name, literal, &mut payload, depth + 1)?;
                values.push((field.clone(), Wire::Bytes(payload)));
                Ok(())
            }
            ast::LiteralValue::Scalar(value) => {
                if matches!(field.ty, Type::Message | Type::Group) {
                    return Err(format!(
                        "Expected \"{{\", found \"{}\".",
                        scalar_text(value)
                    ));
                }
                let wire = self.text_scalar(field, value)?;
                values.push((field.clone(), wire));
                Ok(())
            }
        }
    }

    /// A scalar in text format (TextFormat's rules: `t`/`True` for booleans, enum numbers,
    /// `infinity`, ...).
    fn text_scalar(&self, field: &FieldInfo, value: &OptionValue) -> Result<Wire, String> {
        let name = &field.display;
        let int = match value {
            OptionValue::Int(lit) => Some((lit.negative, lit.value)),
            _ => None,
        };
        let signed = |max: u64| -> Result<i64, String> {
            match int {
                Some((false, v)) if v <= max => Ok(v as i64),
                Some((true, v)) if v <= max + 1 => Ok((v as i64).wrapping_neg()),
                Some((_, v)) => Err(format!("Integer out of range ({v})")),
                None => Err(format!("Expected integer, got: {}", scalar_text(value))),
            }
        };
        let unsigned = |max: u64| -> Result<u64, String> {
            match int {
                Some((false, v)) if v <= max => Ok(v),
                Some((false, v)) => Err(format!("Integer out of range ({v})")),
                _ => Err(format!("Expected integer, got: {}", scalar_text(value))),
            }
        };
        Ok(match field.ty {
            Type::Int32 => Wire::Varint(signed(i32::MAX as u64)? as u64),
            Type::Int64 => Wire::Varint(signed(i64::MAX as u64)? as u64),
            Type::Sint32 => {
                let v = signed(i32::MAX as u64)? as i32;
                Wire::Varint(((v << 1) ^ (v >> 31)) as u32 as u64)
            }
            Type::Sint64 => {
                let v = signed(i64::MAX as u64)?;
                Wire::Varint(((v << 1) ^ (v >> 63)) as u64)
            }
            Type::Sfixed32 => Wire::Fixed32(signed(i32::MAX as u64)? as i32 as u32),
            Type::Sfixed64 => Wire::Fixed64(signed(i64::MAX as u64)? as u64),
            Type::Uint32 => Wire::Varint(unsigned(u32::MAX as u64)?),
            Type::Uint64 => Wire::Varint(unsigned(u64::MAX)?),
            Type::Fixed32 => Wire::Fixed32(unsigned(u32::MAX as u64)? as u32),
            Type::Fixed64 => Wire::Fixed64(unsigned(u64::MAX)?),
            Type::Float | Type::Double => {
                let v = match value {
                    OptionValue::Int(lit) if lit.negative => -(lit.value as f64),
                    OptionValue::Int(lit) => lit.value as f64,
                    OptionValue::Float { value, .. } => *value,
                    OptionValue::Ident {
                        negative, ident, ..
                    } => {
                        let magnitude = match ident.name.to_ascii_lowercase().as_str() {
                            "inf" | "infinity" => f64::INFINITY,
                            "nan" => f64::NAN,
                            other => return Err(format!("Expected double, got: {other}")),
                        };
                        if *negative { -magnitude } else { magnitude }
                    }
                    other => return Err(format!("Expected double, got: {}", scalar_text(other))),
                };
                if field.ty == Type::Float {
                    Wire::Fixed32((v as f32).to_bits())
                } else {
                    Wire::Fixed64(v.to_bits())
                }
            }
            Type::Bool => match value {
                OptionValue::Int(lit) if !lit.negative && lit.value <= 1 => Wire::Varint(lit.value),
                OptionValue::Ident {
                    negative: false,
                    ident,
                    ..
                } => match ident.name.as_str() {
                    "true" | "True" | "t" => Wire::Varint(1),
                    "false" | "False" | "f" => Wire::Varint(0),
                    other => {
                        return Err(format!(
                            "Invalid value for boolean field \"{name}\". Value: \"{other}\"."
                        ));
                    }
                },
                other => return Err(format!("Expected identifier, got: {}", scalar_text(other))),
            },
            Type::Enum => {
                let enum_name = field.type_name.clone().unwrap_or_default();
                match value {
                    OptionValue::Ident {
                        negative: false,
                        ident,
                        ..
                    } => {
                        let number =
                            self.enum_value_number(&enum_name, &ident.name)
                                .ok_or_else(|| {
                                    format!(
                                        "Unknown enumeration value of \"{}\" for field \"{name}\".",
                                        ident.name
                                    )
                                })?;
                        Wire::Varint(number as i64 as u64)
                    }
                    OptionValue::Int(_) => {
                        let number = signed(i32::MAX as u64)?;
                        // TextFormat refuses numbers a closed enum does not define.
                        if self.closed_enum_lacks(&enum_name, number as i32) {
                            return Err(format!(
                                "Unknown enumeration value of \"{number}\" for field \"{name}\"."
                            ));
                        }
                        Wire::Varint(number as u64)
                    }
                    other => {
                        return Err(format!(
                            "Expected integer or identifier, got: {}",
                            scalar_text(other)
                        ));
                    }
                }
            }
            Type::String | Type::Bytes => match value {
                OptionValue::String(lit) => Wire::Bytes(lit.value.clone()),
                other => return Err(format!("Expected string, got: {}", scalar_text(other))),
            },
            Type::Message | Type::Group => return Err("Expected \"{\".".into()),
        })
    }
}

/// protoc's TextFormat message for a missing value of `field`, where `found` is the token
/// that stood in its place.
fn expected_value_message(field: &FieldInfo, found: &str) -> String {
    match field.ty {
        Type::Message | Type::Group => format!("Expected \"{{\", found \"{found}\"."),
        Type::Float | Type::Double => format!("Expected double, got: {found}"),
        Type::String | Type::Bytes => format!("Expected string, got: {found}"),
        Type::Bool => format!("Expected identifier, got: {found}"),
        Type::Enum => format!("Expected integer or identifier, got: {found}"),
        _ => format!("Expected integer, got: {found}"),
    }
}

/// How deep message literals may nest.
const MAX_LITERAL_DEPTH: usize = 100;

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
/// once (specifying one twice is an error), repeated scalars packed when declared packed,
/// implicit-presence fields left out when they hold their default.
fn assemble(mut values: Vec<(FieldInfo, Wire)>, out: &mut Vec<u8>) -> Result<(), String> {
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
                if field.ty == Type::Group {
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
