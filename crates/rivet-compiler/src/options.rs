//! Option interpretation (protoc's `OptionInterpreter`): option statements become fields of the
//! `*Options` messages, encoded as protobuf wire data and merged into the typed options.
//!
//! Every option, standard or custom, is interpreted the same way against the message schema:
//! standard options against `descriptor.proto`'s own definitions, custom options against the
//! extensions visible in the pool. Values are first written as raw wire data in statement
//! order, exactly like protoc's `UnknownFieldSet`, then decoded into the typed message.

use std::collections::HashMap;

use prost::Message;
use rivet_descriptor::{
    DescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    field_descriptor_proto::{Label, Type},
};
use rivet_syntax::ast::{self, OptionNamePart, OptionValue};

use crate::link::LinkError;
use crate::lower::{ErrorKind, OptionsKind, PendingOption, RawLocation, tag};
use crate::pool::{Pool, SymbolKind};

/// Wire encoding helpers.
mod wire {
    pub fn varint(out: &mut Vec<u8>, mut value: u64) {
        while value >= 0x80 {
            out.push((value as u8) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }
    pub fn key(out: &mut Vec<u8>, number: i32, wire_type: u8) {
        varint(out, ((number as u64) << 3) | wire_type as u64);
    }
    pub fn length_delimited(out: &mut Vec<u8>, number: i32, payload: &[u8]) {
        key(out, number, 2);
        varint(out, payload.len() as u64);
        out.extend_from_slice(payload);
    }
}

/// A resolved field of a schema message.
#[derive(Clone, Debug)]
struct FieldInfo {
    number: i32,
    ty: Type,
    repeated: bool,
    /// Full name (without leading dot) of the message or enum type, if any.
    type_name: Option<String>,
    /// The field's name as protoc prints it in errors.
    display: String,
}

impl FieldInfo {
    fn from_proto(field: &FieldDescriptorProto, display: String) -> Self {
        FieldInfo {
            number: field.number(),
            ty: Type::try_from(field.r#type.unwrap_or(0)).unwrap_or(Type::Message),
            repeated: field.label == Some(Label::Repeated as i32),
            type_name: field
                .type_name
                .as_deref()
                .map(|n| n.trim_start_matches('.').to_string()),
            display,
        }
    }
}

/// Interprets the options of one file.
pub(crate) struct Interpreter<'a> {
    pub pool: &'a Pool,
    pub file: usize,
    pub proto: &'a FileDescriptorProto,
    pub errors: Vec<LinkError>,
}

impl<'a> Interpreter<'a> {
    fn message(&self, full_name: &str) -> Option<&'a DescriptorProto> {
        let symbol = self.pool.symbols.get(full_name)?;
        if symbol.kind != SymbolKind::Message {
            return None;
        }
        let proto = self.pool.proto(symbol.file, (self.file, self.proto));
        Pool::message_at(proto, &symbol.path)
    }

    fn error(&mut self, option: &PendingOption, kind: ErrorKind, message: String) {
        let mut path = option.element_path.clone();
        path.extend([
            option.options_field,
            tag::UNINTERPRETED_OPTION,
            option.index as i32,
        ]);
        self.errors.push(LinkError {
            path,
            kind,
            message,
        });
    }

    /// The element whose name scope option extensions are resolved in.
    fn name_scope(&self, option: &PendingOption) -> String {
        crate::scope::element_full_name(self.proto, &option.element_path, option.kind)
    }

    /// Interprets all `options`; returns the raw wire bytes per element path and rewrites the
    /// option locations to their interpreted paths.
    pub(crate) fn interpret(
        &mut self,
        options: &[PendingOption],
        locations: &mut [RawLocation],
    ) -> HashMap<Vec<i32>, Vec<u8>> {
        let mut raw: HashMap<Vec<i32>, Vec<u8>> = HashMap::new();
        let mut repeated_counts: HashMap<Vec<i32>, i32> = HashMap::new();
        for option in options {
            let Some((bytes, mut dest_path, repeated)) = self.interpret_one(option) else {
                continue;
            };
            raw.entry(option.element_path.clone())
                .or_default()
                .extend(bytes);
            if repeated {
                let count = repeated_counts.entry(dest_path.clone()).or_insert(0);
                dest_path.push(*count);
                *count += 1;
            }
            if let Some(index) = option.location {
                locations[index].path = dest_path;
            }
        }
        raw
    }

    fn interpret_one(&mut self, option: &PendingOption) -> Option<(Vec<u8>, Vec<i32>, bool)> {
        let options_message = option.kind.message_name();
        let mut dest_path = option.element_path.clone();
        dest_path.push(option.options_field);
        let Some(mut message) = self
            .message(options_message)
            .or_else(|| bootstrap_message(options_message))
        else {
            self.error(
                option,
                ErrorKind::OptionName,
                format!("Option message \"{options_message}\" is not available."),
            );
            return None;
        };
        let mut chain: Vec<FieldInfo> = Vec::new();
        let mut display = String::new();
        let parts = &option.name.parts;
        if let Some(OptionNamePart::Simple(first)) = parts.first()
            && first.name == "uninterpreted_option"
        {
            self.error(
                option,
                ErrorKind::OptionName,
                "Option must not use reserved name \"uninterpreted_option\".".into(),
            );
            return None;
        }
        let mut message_full = options_message.to_string();
        for (i, part) in parts.iter().enumerate() {
            if !display.is_empty() {
                display.push('.');
            }
            let field = match part {
                OptionNamePart::Simple(ident) => {
                    display.push_str(&ident.name);
                    message
                        .field
                        .iter()
                        .find(|f| f.name() == ident.name)
                        .map(|f| FieldInfo::from_proto(f, display.clone()))
                }
                OptionNamePart::Extension(name, _) => {
                    let written = name.to_text();
                    display.push('(');
                    display.push_str(&written);
                    display.push(')');
                    let scope = self.name_scope(option);
                    match self.pool.lookup(&written, &scope, self.file, false, true) {
                        Ok((_, symbol)) if symbol.kind == SymbolKind::Extension => {
                            let proto = self.pool.proto(symbol.file, (self.file, self.proto));
                            let ext = Pool::field_at(proto, &symbol.path)?;
                            if ext.extendee.as_deref().map(|e| e.trim_start_matches('.'))
                                != Some(message_full.as_str())
                            {
                                let short =
                                    message_full.rsplit('.').next().unwrap_or(&message_full);
                                self.error(option, ErrorKind::OptionName, format!(
                                    "Option field \"{display}\" is not a field or extension of message \"{short}\"."
                                ));
                                return None;
                            }
                            Some(FieldInfo::from_proto(ext, display.clone()))
                        }
                        Ok(_) => None,
                        Err(miss) => {
                            if let Some(resolved) = miss.resolved_undefined {
                                self.error(option, ErrorKind::OptionName, format!(
                                    "Option \"{display}\" is resolved to \"({resolved})\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \"(.{}\") to start from the outermost scope.",
                                    &display[1..]
                                ));
                                return None;
                            }
                            None
                        }
                    }
                }
            };
            let Some(field) = field else {
                self.error(option, ErrorKind::OptionName, format!(
                    "Option \"{display}\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024)."
                ));
                return None;
            };
            dest_path.push(field.number);
            if i + 1 < parts.len() {
                if !matches!(field.ty, Type::Message | Type::Group) {
                    self.error(
                        option,
                        ErrorKind::OptionName,
                        format!("Option \"{display}\" is an atomic type, not a message."),
                    );
                    return None;
                }
                if field.repeated {
                    self.error(option, ErrorKind::OptionName, format!(
                        "Option field \"{display}\" is a repeated message. Repeated message options must be initialized using an aggregate value."
                    ));
                    return None;
                }
                let type_name = field.type_name.clone().unwrap_or_default();
                message = self
                    .message(&type_name)
                    .or_else(|| bootstrap_message(&type_name))?;
                message_full = type_name;
            }
            chain.push(field);
        }
        let leaf = chain.pop()?;
        let mut bytes = Vec::new();
        self.encode_value(option, &leaf, &option.value, &mut bytes)?;
        for field in chain.iter().rev() {
            let mut outer = Vec::new();
            if field.ty == Type::Group {
                wire::key(&mut outer, field.number, 3);
                outer.extend_from_slice(&bytes);
                wire::key(&mut outer, field.number, 4);
            } else {
                wire::length_delimited(&mut outer, field.number, &bytes);
            }
            bytes = outer;
        }
        Some((bytes, dest_path, leaf.repeated))
    }

    /// Encodes `value` as the field `field` (key included).
    fn encode_value(
        &mut self,
        option: &PendingOption,
        field: &FieldInfo,
        value: &OptionValue,
        out: &mut Vec<u8>,
    ) -> Option<()> {
        let name = &field.display;
        match field.ty {
            Type::Message | Type::Group => {
                let OptionValue::Aggregate(literal) = value else {
                    self.error(option, ErrorKind::OptionValue, format!(
                        "Option \"{name}\" is a message. To set the entire message, use syntax like \"{name} = {{ <proto text format> }}\". To set fields within it, use syntax like \"{name}.foo = value\"."
                    ));
                    return None;
                };
                let type_name = field.type_name.clone().unwrap_or_default();
                let mut payload = Vec::new();
                if let Err(message) = self.encode_literal(&type_name, literal, &mut payload) {
                    self.error(
                        option,
                        ErrorKind::OptionValue,
                        format!("Error while parsing option value for \"{name}\": {message}"),
                    );
                    return None;
                }
                if field.ty == Type::Group {
                    wire::key(out, field.number, 3);
                    out.extend(payload);
                    wire::key(out, field.number, 4);
                } else {
                    wire::length_delimited(out, field.number, &payload);
                }
                Some(())
            }
            _ => match self.encode_scalar(field, value) {
                Ok(bytes) => {
                    out.extend(bytes);
                    Some(())
                }
                Err(message) => {
                    self.error(option, ErrorKind::OptionValue, message);
                    None
                }
            },
        }
    }

    /// Encodes a scalar option value with protoc's checks and messages.
    fn encode_scalar(&self, field: &FieldInfo, value: &OptionValue) -> Result<Vec<u8>, String> {
        let name = &field.display;
        let mut out = Vec::new();
        let int = match value {
            OptionValue::Int(lit) => Some((lit.negative, lit.value)),
            _ => None,
        };
        let signed = |min: i64, max: i64, type_name: &str| -> Result<i64, String> {
            match int {
                Some((false, v)) if v <= max as u64 => Ok(v as i64),
                Some((true, v)) if v <= min.unsigned_abs() => Ok((v as i64).wrapping_neg()),
                Some(_) => Err(format!(
                    "Value out of range for {type_name} option \"{name}\"."
                )),
                None => Err(format!(
                    "Value must be integer for {type_name} option \"{name}\"."
                )),
            }
        };
        let unsigned = |max: u64, type_name: &str| -> Result<u64, String> {
            match int {
                Some((false, v)) if v <= max => Ok(v),
                Some((false, _)) => Err(format!(
                    "Value out of range for {type_name} option \"{name}\"."
                )),
                _ => Err(format!(
                    "Value must be non-negative integer for {type_name} option \"{name}\"."
                )),
            }
        };
        let number = field.number;
        match field.ty {
            Type::Int32 => {
                let v = signed(i32::MIN as i64, i32::MAX as i64, "int32")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v as u64);
            }
            Type::Int64 => {
                let v = signed(i64::MIN, i64::MAX, "int64")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v as u64);
            }
            Type::Sint32 => {
                let v = signed(i32::MIN as i64, i32::MAX as i64, "int32")? as i32;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, ((v << 1) ^ (v >> 31)) as u32 as u64);
            }
            Type::Sint64 => {
                let v = signed(i64::MIN, i64::MAX, "int64")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, ((v << 1) ^ (v >> 63)) as u64);
            }
            Type::Sfixed32 => {
                let v = signed(i32::MIN as i64, i32::MAX as i64, "int32")? as i32;
                wire::key(&mut out, number, 5);
                out.extend(v.to_le_bytes());
            }
            Type::Sfixed64 => {
                let v = signed(i64::MIN, i64::MAX, "int64")?;
                wire::key(&mut out, number, 1);
                out.extend(v.to_le_bytes());
            }
            Type::Uint32 => {
                let v = unsigned(u32::MAX as u64, "uint32")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v);
            }
            Type::Uint64 => {
                let v = unsigned(u64::MAX, "uint64")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v);
            }
            Type::Fixed32 => {
                let v = unsigned(u32::MAX as u64, "uint32")? as u32;
                wire::key(&mut out, number, 5);
                out.extend(v.to_le_bytes());
            }
            Type::Fixed64 => {
                let v = unsigned(u64::MAX, "uint64")?;
                wire::key(&mut out, number, 1);
                out.extend(v.to_le_bytes());
            }
            Type::Float | Type::Double => {
                let v = match value {
                    OptionValue::Int(lit) if lit.negative => -(lit.value as f64),
                    OptionValue::Int(lit) => lit.value as f64,
                    OptionValue::Float { value, .. } => *value,
                    OptionValue::Ident {
                        negative, ident, ..
                    } if ident.name == "inf" => {
                        if *negative {
                            f64::NEG_INFINITY
                        } else {
                            f64::INFINITY
                        }
                    }
                    OptionValue::Ident { ident, .. } if ident.name == "nan" => f64::NAN,
                    _ => {
                        let kind = if field.ty == Type::Float {
                            "float"
                        } else {
                            "double"
                        };
                        return Err(format!(
                            "Value must be number for {kind} option \"{name}\"."
                        ));
                    }
                };
                if field.ty == Type::Float {
                    wire::key(&mut out, number, 5);
                    out.extend((v as f32).to_le_bytes());
                } else {
                    wire::key(&mut out, number, 1);
                    out.extend(v.to_le_bytes());
                }
            }
            Type::Bool => {
                let v = match value {
                    OptionValue::Ident {
                        negative: false,
                        ident,
                        ..
                    } if ident.name == "true" => 1,
                    OptionValue::Ident {
                        negative: false,
                        ident,
                        ..
                    } if ident.name == "false" => 0,
                    _ => {
                        return Err(format!(
                            "Value must be \"true\" or \"false\" for boolean option \"{name}\"."
                        ));
                    }
                };
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v);
            }
            Type::Enum => {
                let OptionValue::Ident {
                    negative: false,
                    ident,
                    ..
                } = value
                else {
                    return Err(format!(
                        "Value must be identifier for enum-valued option \"{name}\"."
                    ));
                };
                let enum_name = field.type_name.clone().unwrap_or_default();
                let number_of = self.enum_value_number(&enum_name, &ident.name);
                let Some(v) = number_of else {
                    return Err(format!(
                        "Enum type \"{enum_name}\" has no value named \"{}\" for option \"{name}\".",
                        ident.name
                    ));
                };
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v as i64 as u64);
            }
            Type::String | Type::Bytes => {
                let OptionValue::String(lit) = value else {
                    return Err(format!(
                        "Value must be quoted string for string option \"{name}\"."
                    ));
                };
                wire::length_delimited(&mut out, number, &lit.value);
            }
            Type::Message | Type::Group => unreachable!("handled by encode_value"),
        }
        Ok(out)
    }

    fn enum_value_number(&self, enum_name: &str, value: &str) -> Option<i32> {
        let enum_ = match self.pool.symbols.get(enum_name) {
            Some(symbol) if symbol.kind == SymbolKind::Enum => {
                let proto = self.pool.proto(symbol.file, (self.file, self.proto));
                Pool::enum_at(proto, &symbol.path)?
            }
            _ => bootstrap_enum(enum_name)?,
        };
        enum_
            .value
            .iter()
            .find(|v| v.name() == value)
            .map(|v| v.number())
    }

    /// Encodes a text-format message literal against the message `type_name`.
    fn encode_literal(
        &mut self,
        type_name: &str,
        literal: &ast::MessageLiteral,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        let message = self
            .message(type_name)
            .or_else(|| bootstrap_message(type_name))
            .ok_or_else(|| format!("unknown message type \"{type_name}\""))?;
        for entry in &literal.fields {
            let field = match &entry.name {
                ast::FieldRef::Name(ident) => message
                    .field
                    .iter()
                    .find(|f| {
                        f.name() == ident.name
                            || (f.r#type == Some(Type::Group as i32)
                                && f.type_name().rsplit('.').next() == Some(ident.name.as_str()))
                    })
                    .map(|f| FieldInfo::from_proto(f, ident.name.clone()))
                    .ok_or_else(|| {
                        format!(
                            "Message type \"{type_name}\" has no field named \"{}\".",
                            ident.name
                        )
                    })?,
                ast::FieldRef::Extension(name, _) => {
                    let written = name.to_text();
                    let symbol = self
                        .pool
                        .symbols
                        .get(written.trim_start_matches('.'))
                        .filter(|s| s.kind == SymbolKind::Extension)
                        .ok_or_else(|| format!("Extension \"{written}\" is not defined or is not an extension of \"{type_name}\"."))?;
                    let proto = self.pool.proto(symbol.file, (self.file, self.proto));
                    let ext = Pool::field_at(proto, &symbol.path).ok_or("bad extension")?;
                    FieldInfo::from_proto(ext, written)
                }
                ast::FieldRef::AnyType {
                    url_prefix,
                    type_name: any_type,
                    ..
                } => {
                    // `[prefix/pkg.Type] { ... }` inside a google.protobuf.Any.
                    let inner_name = any_type.to_text();
                    let ast::LiteralValue::Message(inner) = &entry.value else {
                        return Err(format!(
                            "Expected \"{{\" after Any type name \"{inner_name}\"."
                        ));
                    };
                    let mut payload = Vec::new();
                    self.encode_literal(inner_name.trim_start_matches('.'), inner, &mut payload)?;
                    let url = format!("{url_prefix}/{inner_name}");
                    wire::length_delimited(out, 1, url.as_bytes());
                    wire::length_delimited(out, 2, &payload);
                    continue;
                }
            };
            self.encode_literal_value(&field, &entry.value, out)?;
        }
        Ok(())
    }

    fn encode_literal_value(
        &mut self,
        field: &FieldInfo,
        value: &ast::LiteralValue,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        match value {
            ast::LiteralValue::List(values, _) => {
                if !field.repeated {
                    return Err(format!("Field \"{}\" is not repeated.", field.display));
                }
                for value in values {
                    self.encode_literal_value(field, value, out)?;
                }
                Ok(())
            }
            ast::LiteralValue::Message(literal) => {
                if !matches!(field.ty, Type::Message | Type::Group) {
                    return Err(format!("Field \"{}\" is not a message.", field.display));
                }
                let mut payload = Vec::new();
                let type_name = field.type_name.clone().unwrap_or_default();
                self.encode_literal(&type_name, literal, &mut payload)?;
                if field.ty == Type::Group {
                    wire::key(out, field.number, 3);
                    out.extend(payload);
                    wire::key(out, field.number, 4);
                } else {
                    wire::length_delimited(out, field.number, &payload);
                }
                Ok(())
            }
            ast::LiteralValue::Scalar(value) => {
                if matches!(field.ty, Type::Message | Type::Group) {
                    return Err(format!(
                        "Expected \"{{\", found \"{}\".",
                        scalar_text(value)
                    ));
                }
                let bytes = self.encode_scalar(field, value)?;
                out.extend(bytes);
                Ok(())
            }
        }
    }
}

fn scalar_text(value: &OptionValue) -> String {
    match value {
        OptionValue::Ident { ident, .. } => ident.name.clone(),
        OptionValue::Int(lit) => lit.value.to_string(),
        OptionValue::Float { value, .. } => value.to_string(),
        OptionValue::String(_) => "string".into(),
        OptionValue::Aggregate(_) => "{".into(),
    }
}

/// `descriptor.proto` lowered and linked on its own (without interpreting its options), used
/// as the schema of the standard options when a compilation does not load descriptor.proto.
fn bootstrap() -> &'static FileDescriptorProto {
    static BOOTSTRAP: std::sync::OnceLock<FileDescriptorProto> = std::sync::OnceLock::new();
    BOOTSTRAP.get_or_init(|| {
        let source = crate::wkt::embedded_file("google/protobuf/descriptor.proto")
            .expect("descriptor.proto is embedded");
        let parsed = rivet_syntax::parse(source.as_bytes());
        let lowered = crate::lower::lower_file("google/protobuf/descriptor.proto", &parsed.file);
        let mut pool = Pool::default();
        let mut proto = lowered.proto;
        pool.files.push(crate::pool::PoolFile {
            name: "google/protobuf/descriptor.proto".into(),
            proto: FileDescriptorProto::default(),
            syntax: lowered.syntax,
            visible: [0].into_iter().collect(),
            option_visible: Default::default(),
            ok: true,
        });
        let mut linker = crate::link::Linker {
            pool: &mut pool,
            file: 0,
            errors: Vec::new(),
            enum_defaults: Vec::new(),
        };
        linker.define_symbols(&proto);
        linker.cross_link(&mut proto);
        proto
    })
}

pub(crate) fn bootstrap_message(full_name: &str) -> Option<&'static DescriptorProto> {
    let rest = full_name.strip_prefix("google.protobuf.")?;
    let mut parts = rest.split('.');
    let first = parts.next()?;
    let mut message = bootstrap()
        .message_type
        .iter()
        .find(|m| m.name() == first)?;
    for part in parts {
        message = message.nested_type.iter().find(|m| m.name() == part)?;
    }
    Some(message)
}

fn bootstrap_enum(full_name: &str) -> Option<&'static rivet_descriptor::EnumDescriptorProto> {
    let (parent, name) = full_name.rsplit_once('.')?;
    if parent == "google.protobuf" {
        return bootstrap().enum_type.iter().find(|e| e.name() == name);
    }
    bootstrap_message(parent)?
        .enum_type
        .iter()
        .find(|e| e.name() == name)
}

/// Merges interpreted option bytes into an options message.
pub(crate) fn merge_options<T: Message + Default>(
    slot: &mut Option<T>,
    raw: &[u8],
) -> Result<(), prost::DecodeError> {
    let mut bytes = slot
        .as_ref()
        .map(Message::encode_to_vec)
        .unwrap_or_default();
    bytes.extend_from_slice(raw);
    *slot = Some(T::decode(bytes.as_slice())?);
    Ok(())
}

/// Applies the interpreted option bytes of every element of `proto`.
pub(crate) fn apply_options(
    proto: &mut FileDescriptorProto,
    raw: HashMap<Vec<i32>, Vec<u8>>,
    kinds: &crate::hash::FastMap<Vec<i32>, OptionsKind>,
) -> Result<(), prost::DecodeError> {
    for (path, bytes) in raw {
        let kind = kinds[&path];
        crate::scope::with_element(proto, &path, kind, |element| element.merge(&bytes))
            .transpose()?;
    }
    Ok(())
}
