//! Lowering of fields: labels, types, maps and groups, `default` and `json_name`.

use rivet_descriptor::{
    DescriptorProto, FieldDescriptorProto, ProtoString, field_descriptor_proto,
};
use rivet_syntax::ast::{self, Span};

use super::{
    ErrorKind, Lowerer, OptionsKind, PendingOption, Syntax, map_entry_name, scalar_type, tag,
};
use crate::text::{c_escape, format_double, format_float};

/// The `Edition` number of edition UNSTABLE.
const UNSTABLE: i32 = 9999;

impl Lowerer {
    /// The scalar type a field type names. In edition UNSTABLE, protoc's parser reads the
    /// keywords `int32`, `uint32`, `int64` and `uint64` as the fixed-width types, and the
    /// names `varint32`, `varint64`, `uvarint32`, `uvarint64`, `zigzag32` and `zigzag64` as
    /// the varint types.
    fn field_scalar(&self, ty: &ast::FieldType) -> Option<field_descriptor_proto::Type> {
        use ast::ScalarType as S;
        use field_descriptor_proto::Type as T;
        let unstable = self.syntax == Syntax::Editions(UNSTABLE);
        match ty {
            ast::FieldType::Scalar(scalar, _) => Some(match scalar {
                S::Int32 if unstable => T::Sfixed32,
                S::Uint32 if unstable => T::Fixed32,
                S::Int64 if unstable => T::Sfixed64,
                S::Uint64 if unstable => T::Fixed64,
                _ => scalar_type(*scalar),
            }),
            ast::FieldType::Named(name) if unstable && !name.leading_dot => {
                let [part] = name.parts.as_slice() else {
                    return None;
                };
                Some(match part.name.as_str() {
                    "varint32" => T::Int32,
                    "varint64" => T::Int64,
                    "uvarint32" => T::Uint32,
                    "uvarint64" => T::Uint64,
                    "zigzag32" => T::Sint32,
                    "zigzag64" => T::Sint64,
                    _ => return None,
                })
            }
            _ => None,
        }
    }

    /// Lowers a field at the current path (`[.., 2, i]`, `[7, i]`, ...). Groups and map entries
    /// are appended to `messages`, whose location path is the parent path plus
    /// `nested_field`.
    pub(super) fn field(
        &mut self,
        field: &mut ast::Field,
        oneof_index: Option<i32>,
        extendee: Option<&ast::TypeName>,
        messages: &mut Vec<DescriptorProto>,
        nested_field: i32,
    ) -> FieldDescriptorProto {
        use field_descriptor_proto::{Label, Type};
        let is_group = matches!(field.ty, ast::FieldType::Group(_));
        // A group's comments belong to its message location, not to the field.
        self.record(
            &[],
            field.span,
            if is_group {
                None
            } else {
                Some(&mut field.comments)
            },
        );
        let mut proto = FieldDescriptorProto {
            name: Some(field.name.name.clone()),
            number: Some(field.number.value.min(i32::MAX as u64) as i32),
            ..Default::default()
        };
        if let Some(extendee) = extendee {
            self.record(&[tag::FIELD_EXTENDEE], extendee.span, None);
            proto.extendee = Some(extendee.to_text());
        }
        // Label.
        let label = match field.label {
            Some((label, span)) => {
                self.record(&[tag::FIELD_LABEL], span, None);
                Some(match label {
                    ast::FieldLabel::Optional => {
                        if self.syntax == Syntax::Proto3 {
                            proto.proto3_optional = Some(true);
                        }
                        Label::Optional
                    }
                    ast::FieldLabel::Repeated => Label::Repeated,
                    ast::FieldLabel::Required => Label::Required,
                })
            }
            None => None,
        };
        if oneof_index.is_some() {
            proto.oneof_index = oneof_index;
        }
        // Type.
        self.error_at(&[], ErrorKind::Type, field.ty.span().start);
        let mut map_types = None;
        match &field.ty {
            ast::FieldType::Scalar(_, span) => {
                self.record(&[tag::FIELD_TYPE], *span, None);
                proto.r#type = self.field_scalar(&field.ty).map(|t| t as i32);
            }
            ast::FieldType::Named(name) if let Some(scalar) = self.field_scalar(&field.ty) => {
                self.record(&[tag::FIELD_TYPE], name.span, None);
                proto.r#type = Some(scalar as i32);
            }
            ast::FieldType::Named(name) => {
                self.record(&[tag::FIELD_TYPE_NAME], name.span, None);
                proto.type_name = Some(name.to_text());
            }
            ast::FieldType::Group(span) => {
                self.record(&[tag::FIELD_TYPE], *span, None);
                proto.r#type = Some(Type::Group as i32);
            }
            ast::FieldType::Map { key, value, span } => {
                self.record(&[tag::FIELD_TYPE_NAME], *span, None);
                map_types = Some((key.as_ref(), value.as_ref()));
            }
        }
        proto.label = Some(match (label, map_types.is_some(), oneof_index.is_some()) {
            (_, true, _) => Label::Repeated,
            (Some(label), _, _) => label,
            (None, _, _) => Label::Optional,
        } as i32);
        // Name and number.
        self.record(&[tag::FIELD_NAME], field.name.span, None);
        self.error_at(&[], ErrorKind::Name, field.name.span.start);
        self.record(&[tag::FIELD_NUMBER], field.number.span, None);
        self.error_at(&[], ErrorKind::Number, field.number.span.start);
        // Options, with the `default` and `json_name` pseudo-options.
        if let Some(options) = &field.options {
            self.record(&[tag::FIELD_OPTIONS], options.span, None);
            let mut index = 0;
            for option in &options.options {
                match pseudo_option(option) {
                    Some("default") => self.default_value(option, &mut proto),
                    Some("json_name") => {
                        self.record(&[tag::FIELD_JSON_NAME], option.span, None);
                        self.error_at(&[], ErrorKind::OptionName, option.span.start);
                        self.record(&[tag::FIELD_JSON_NAME], option.value.span(), None);
                        self.error_at(&[], ErrorKind::OptionValue, option.value.span().start);
                        if let ast::OptionValue::String(lit) = &option.value {
                            // protoc keeps the bytes, UTF-8 or not.
                            proto.json_name = Some(lit.value.as_slice().into());
                        }
                    }
                    _ => {
                        index = self.compact_options(
                            tag::FIELD_OPTIONS,
                            OptionsKind::Field,
                            index,
                            &[option],
                        );
                    }
                }
            }
        }
        // Groups declare a nested message too (unless nested deeper than any is built).
        if let (true, Some(body)) = (is_group, &mut field.group_body) {
            if self.depth >= super::MAX_LOWERED_DEPTH {
                self.unbuilt_body(body);
            } else {
                let group_index = messages.len() as i32;
                let field_path = self.path.clone();
                let parent_len = self.path.len() - 2;
                self.path.truncate(parent_len);
                self.path.extend([nested_field, group_index]);
                self.record(
                    &[],
                    Span::new(field.span.start, field.span.end),
                    Some(&mut field.comments),
                );
                self.record(&[tag::MESSAGE_NAME], field.name.span, None);
                self.error_at(&[], ErrorKind::Name, field.name.span.start);
                let group_path = self.path.clone();
                self.path = field_path;
                self.record(&[tag::FIELD_TYPE_NAME], field.name.span, None);
                let mut group = DescriptorProto {
                    name: Some(field.name.name.clone()),
                    ..Default::default()
                };
                let field_path = std::mem::replace(&mut self.path, group_path);
                // The group's nested types are lowered into the group itself.
                self.message_body(body, &mut group);
                self.path = field_path;
                messages.push(group);
            }
            proto.name = Some(field.name.name.to_ascii_lowercase());
            proto.type_name = Some(field.name.name.clone());
        }
        if let Some((key, value)) = map_types {
            let entry_name = map_entry_name(&field.name.name);
            proto.type_name = Some(entry_name.clone());
            let mut entry = DescriptorProto {
                name: Some(entry_name),
                options: Some(rivet_descriptor::MessageOptions {
                    map_entry: Some(true),
                    ..Default::default()
                }),
                ..Default::default()
            };
            for (name, number, ty) in [("key", 1, key), ("value", 2, value)] {
                let mut entry_field = FieldDescriptorProto {
                    name: Some(name.into()),
                    number: Some(number),
                    label: Some(Label::Optional as i32),
                    ..Default::default()
                };
                match ty {
                    ty if let Some(scalar) = self.field_scalar(ty) => {
                        entry_field.r#type = Some(scalar as i32)
                    }
                    ast::FieldType::Named(name) => entry_field.type_name = Some(name.to_text()),
                    // `map<group, ...>`: a group without a type name, which protoc's linker
                    // refuses.
                    ast::FieldType::Group(_) => entry_field.r#type = Some(Type::Group as i32),
                    _ => {}
                }
                entry.field.push(entry_field);
            }
            self.propagate_map_features(&entry, messages.len());
            messages.push(entry);
        }
        proto
    }

    /// Copies a map field's `features.*` options (and legacy `enforce_utf8`, for string key or
    /// value) to the key and value fields of its entry, as protoc's parser does.
    fn propagate_map_features(&mut self, entry: &DescriptorProto, entry_index: usize) {
        let field_path = self.path.clone();
        let mut entry_path = field_path.clone();
        entry_path.truncate(field_path.len() - 2);
        entry_path.extend([tag::MESSAGE_NESTED, entry_index as i32]);
        let inherited: Vec<(bool, PendingOption)> = self
            .out
            .options
            .iter()
            .filter(|option| option.element_path == field_path)
            .filter_map(|option| match option.name.parts.first() {
                Some(ast::OptionNamePart::Simple(id)) if id.name == "features" => {
                    Some((false, option.clone()))
                }
                Some(ast::OptionNamePart::Simple(id))
                    if id.name == "enforce_utf8" && option.name.parts.len() == 1 =>
                {
                    Some((true, option.clone()))
                }
                _ => None,
            })
            .collect();
        for (field_index, entry_field) in entry.field.iter().enumerate() {
            let is_string = entry_field.r#type == Some(field_descriptor_proto::Type::String as i32);
            let mut element_path = entry_path.clone();
            element_path.extend([tag::MESSAGE_FIELD, field_index as i32]);
            let mut index = 0;
            for (utf8_only, option) in &inherited {
                if *utf8_only && !is_string {
                    continue;
                }
                self.out.options.push(PendingOption {
                    element_path: element_path.clone(),
                    index,
                    location: None,
                    ..option.clone()
                });
                index += 1;
            }
        }
    }

    pub(super) fn default_value(
        &mut self,
        option: &ast::CompactOption,
        proto: &mut FieldDescriptorProto,
    ) {
        use field_descriptor_proto::Type;
        let value_span = option.value.span();
        self.record(&[tag::FIELD_DEFAULT], value_span, None);
        self.error_at(&[], ErrorKind::DefaultValue, value_span.start);
        let ty = proto.r#type.and_then(|t| Type::try_from(t).ok());
        let text: ProtoString = match (&option.value, ty) {
            (_, None) => match &option.value {
                ast::OptionValue::Ident {
                    ident, negative, ..
                } => {
                    if *negative {
                        "-".into()
                    } else {
                        ident.name.as_str().into()
                    }
                }
                ast::OptionValue::Int(lit) if lit.negative => "-".into(),
                ast::OptionValue::Int(lit) => lit.value.to_string().into(),
                other => {
                    self.error(
                        other.span(),
                        "Expected enum identifier for field default value.",
                    );
                    return;
                }
            },
            (
                ast::OptionValue::Int(_)
                | ast::OptionValue::Float { .. }
                | ast::OptionValue::Ident { .. },
                Some(ty @ (Type::Float | Type::Double)),
            ) if float_value(&option.value).is_some() => {
                // protoc stores the parsed number and prints it back with SimpleDtoa /
                // SimpleFtoa (so `1e5` becomes `100000` and `-nan` becomes `nan`).
                let value = float_value(&option.value).unwrap_or_default();
                if ty == Type::Float {
                    format_float(value as f32).into()
                } else {
                    format_double(value).into()
                }
            }
            // protoc re-prints the parsed number, so `-0` becomes `0`.
            (ast::OptionValue::Int(lit), Some(_)) => {
                if lit.negative && lit.value != 0 {
                    format!("-{}", lit.value).into()
                } else {
                    lit.value.to_string().into()
                }
            }
            (ast::OptionValue::Ident { ident, .. }, Some(Type::Bool | Type::Enum)) => {
                ident.name.as_str().into()
            }
            // protoc keeps a string default's bytes as written (escapes resolved), UTF-8 or
            // not, and C-escapes a bytes default.
            (ast::OptionValue::String(lit), Some(Type::String)) => lit.value.clone().into(),
            (ast::OptionValue::String(lit), Some(Type::Bytes)) => c_escape(&lit.value).into(),
            (_, Some(Type::Message | Type::Group)) => {
                self.error(value_span, "Messages can't have default values.");
                return;
            }
            (value, Some(_)) => {
                self.error(value.span(), "Invalid default value.");
                return;
            }
        };
        proto.default_value = Some(text);
    }
}

/// The number a float/double default value denotes, if it is one.
fn float_value(value: &ast::OptionValue) -> Option<f64> {
    match value {
        ast::OptionValue::Int(lit) if lit.negative => Some(-(lit.value as f64)),
        ast::OptionValue::Int(lit) => Some(lit.value as f64),
        ast::OptionValue::Float { value, .. } => Some(*value),
        ast::OptionValue::Ident {
            negative, ident, ..
        } => match ident.name.as_str() {
            "inf" if *negative => Some(f64::NEG_INFINITY),
            "inf" => Some(f64::INFINITY),
            "nan" => Some(f64::NAN),
            _ => None,
        },
        _ => None,
    }
}

/// `default` and `json_name` inside a field's brackets are not options.
fn pseudo_option(option: &ast::CompactOption) -> Option<&'static str> {
    match option.name.parts.as_slice() {
        [ast::OptionNamePart::Simple(ident)] if ident.name == "default" => Some("default"),
        [ast::OptionNamePart::Simple(ident)] if ident.name == "json_name" => Some("json_name"),
        _ => None,
    }
}
