//! protoc's `ValidateOptions` for files, messages, enums and services, and the proto3 rules
//! (checked once for the whole file, when the file itself is validated).

use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, descriptor_proto::ExtensionRange,
};

use crate::features::{edition, value};
use crate::hash::{FastMap, FastSet};
use crate::lower::{ErrorKind, tag};

use super::visit::{Element, ElementPath, Visit};
use super::{Checker, MAX_FIELD_NUMBER, join};

/// The options messages proto3 files may extend.
const OPTION_MESSAGES: [&str; 9] = [
    "FileOptions",
    "MessageOptions",
    "FieldOptions",
    "EnumOptions",
    "EnumValueOptions",
    "ServiceOptions",
    "MethodOptions",
    "OneofOptions",
    "ExtensionRangeOptions",
];

/// Whether `extendee` (full name, no dot) is an options message (custom options).
pub(super) fn is_options_message(extendee: &str) -> bool {
    let (package, name) = extendee.rsplit_once('.').unwrap_or(("", extendee));
    (package == "google.protobuf" || package == "proto2") && OPTION_MESSAGES.contains(&name)
}

impl<'a> Checker<'a> {
    /// `ValidateOptions` for one element.
    pub(super) fn validate_element(&mut self, visit: &Visit<'a>) {
        match visit.element {
            Element::File => self.validate_file(visit),
            Element::Message(message) => {
                self.check_json_names(message, visit.features, &visit.path);
                self.validate_extension_ranges(message, &visit.path);
            }
            Element::Field {
                field,
                parent,
                extension,
            } => self.validate_field(visit, field, parent, extension),
            Element::Enum(enum_) => self.validate_enum(visit, enum_),
            Element::EnumValue(value) => {
                if let Some(support) = value
                    .options
                    .as_ref()
                    .and_then(|o| o.feature_support.as_deref())
                    && let Err(message) = super::lifetimes::validate_feature_support(
                        support,
                        &visit.full_name(self.proto),
                    )
                {
                    self.error(&visit.path, ErrorKind::OptionName, message);
                }
                self.check_enum_value_custom_json(visit, value);
            }
            Element::Service(_) => {
                let options = self.proto.options.as_ref();
                let generic = options.is_some_and(|o| {
                    o.cc_generic_services == Some(true) || o.java_generic_services == Some(true)
                });
                if self.is_lite(self.file) && generic {
                    self.error(
                        &visit.path,
                        ErrorKind::Name,
                        "Files with optimize_for = LITE_RUNTIME cannot define services unless you set both options cc_generic_services and java_generic_services to false.".into(),
                    );
                }
            }
            Element::Oneof(_) | Element::ExtensionRange(_) | Element::Method(_) => {}
        }
    }

    fn validate_file(&mut self, visit: &Visit<'a>) {
        let proto = self.proto;
        if self.edition >= edition::E2023 {
            if visit.features.field_presence == value::LEGACY_REQUIRED {
                self.error(
                    &[],
                    ErrorKind::Editions,
                    "Required presence can't be specified by default.".into(),
                );
            }
            if proto
                .options
                .as_ref()
                .and_then(|o| o.java_string_check_utf8)
                == Some(true)
            {
                self.error(
                    &[],
                    ErrorKind::Editions,
                    "File option java_string_check_utf8 is not allowed under editions. Use the (pb.java).utf8_validation feature to control this behavior.".into(),
                );
            }
        }
        if !self.is_lite(self.file) {
            for dep in &proto.dependency {
                let dep = crate::file_names::of(dep);
                let Some(&index) = self.pool.by_name.get(dep.as_ref()) else {
                    continue;
                };
                if index != self.file && self.is_lite(index) {
                    let message = crate::file_names::message(format!(
                        "Files that do not use optimize_for = LITE_RUNTIME cannot import files which do use this option.  This file is not lite, but it imports \"{dep}\" which is."
                    ));
                    self.error_bytes(&[], ErrorKind::Import(dep.to_string()), message);
                    break;
                }
            }
        }
        if self.edition == edition::PROTO3 {
            self.validate_proto3();
        }
        if self.edition < edition::E2024 && !proto.option_dependency.is_empty() {
            self.error(
                &[],
                ErrorKind::Import("option".into()),
                "option imports are not supported before edition 2024.".into(),
            );
        }
        if self.edition >= edition::E2024 && !proto.weak_dependency.is_empty() {
            self.error(
                &[],
                ErrorKind::Import("weak".into()),
                "weak imports are not allowed under edition 2024 and beyond.".into(),
            );
        }
    }

    /// protoc's `ValidateProto3`: extensions, then messages (nested first).
    fn validate_proto3(&mut self) {
        let proto = self.proto;
        for (i, extension) in proto.extension.iter().enumerate() {
            self.validate_proto3_field(extension, true, &[tag::FILE_EXTENSION, i as i32]);
        }
        for (i, message) in proto.message_type.iter().enumerate() {
            self.validate_proto3_message(message, &[tag::FILE_MESSAGE, i as i32]);
        }
    }

    fn validate_proto3_message(&mut self, message: &'a DescriptorProto, path: &[i32]) {
        for (i, nested) in message.nested_type.iter().enumerate() {
            self.validate_proto3_message(nested, &ElementPath::new(path, tag::MESSAGE_NESTED, i));
        }
        for (i, field) in message.field.iter().enumerate() {
            self.validate_proto3_field(
                field,
                false,
                &ElementPath::new(path, tag::MESSAGE_FIELD, i),
            );
        }
        for (i, extension) in message.extension.iter().enumerate() {
            self.validate_proto3_field(
                extension,
                true,
                &ElementPath::new(path, tag::MESSAGE_EXTENSION, i),
            );
        }
        if !message.extension_range.is_empty() {
            self.error(
                &ElementPath::new(path, tag::MESSAGE_EXTENSION_RANGE, 0),
                ErrorKind::Number,
                "Extension ranges are not allowed in proto3.".into(),
            );
        }
        if message
            .options
            .as_ref()
            .and_then(|o| o.message_set_wire_format)
            == Some(true)
        {
            self.error(
                path,
                ErrorKind::Name,
                "MessageSet is not supported in proto3.".into(),
            );
        }
    }

    fn validate_proto3_field(
        &mut self,
        field: &'a FieldDescriptorProto,
        extension: bool,
        path: &[i32],
    ) {
        use rivet_descriptor::field_descriptor_proto::{Label, Type};
        let extendee = field.extendee().trim_start_matches('.');
        if extension && !is_options_message(extendee) {
            self.error(
                path,
                ErrorKind::Extendee,
                "Extensions in proto3 are only allowed for defining options.".into(),
            );
        }
        if field.label == Some(Label::Required as i32) {
            self.error(
                path,
                ErrorKind::Type,
                "Required fields are not allowed in proto3.".into(),
            );
        }
        if field.default_value.is_some() {
            self.error(
                path,
                ErrorKind::DefaultValue,
                "Explicit default values are not allowed in proto3.".into(),
            );
        }
        if field.r#type == Some(Type::Enum as i32) && self.enum_is_closed(field.type_name()) {
            let containing = if extension {
                extendee.to_string()
            } else {
                self.containing_name(path)
            };
            self.error(
                path,
                ErrorKind::Type,
                format!(
                    "Enum type \"{}\" is not an open enum, but is used in \"{containing}\" which is a proto3 message type.",
                    field.type_name().trim_start_matches('.')
                ),
            );
        }
        if field.r#type == Some(Type::Group as i32) {
            self.error(
                path,
                ErrorKind::Type,
                "Groups are not supported in proto3 syntax.".into(),
            );
        }
    }

    /// The full name of the message containing the field at `path`.
    pub(super) fn containing_name(&self, path: &[i32]) -> String {
        let message_path = &path[..path.len().saturating_sub(2)];
        crate::scope::element_full_name(
            self.proto,
            message_path,
            crate::lower::OptionsKind::Message,
        )
    }

    /// protoc's `ValidateExtensionRangeOptions`: range bounds and extension declarations.
    fn validate_extension_ranges(&mut self, message: &'a DescriptorProto, path: &[i32]) {
        let message_set = message
            .options
            .as_ref()
            .and_then(|o| o.message_set_wire_format)
            == Some(true);
        let max = if message_set {
            i32::MAX as i64
        } else {
            MAX_FIELD_NUMBER as i64
        };
        let mut names: FastSet<&[u8]> = FastSet::default();
        for (i, range) in message.extension_range.iter().enumerate() {
            if range.end() as i64 > max + 1 {
                self.error(
                    path,
                    ErrorKind::Number,
                    format!("Extension numbers cannot be greater than {max}."),
                );
            }
            let Some(options) = range.options.as_ref() else {
                continue;
            };
            if options.declaration.is_empty() {
                continue;
            }
            let range_path = ElementPath::new(path, tag::MESSAGE_EXTENSION_RANGE, i);
            if options.verification == Some(1) {
                self.error(
                    &range_path,
                    ErrorKind::Extendee,
                    "Cannot mark the extension range as UNVERIFIED when it has extension(s) declared.".into(),
                );
                return;
            }
            self.validate_declarations(range, &range_path, &mut names);
        }
    }

    /// protoc's `ValidateExtensionDeclaration` for one range (a name declared twice ends the
    /// range's checks, not the message's).
    fn validate_declarations(
        &mut self,
        range: &'a ExtensionRange,
        path: &[i32],
        names: &mut FastSet<&'a [u8]>,
    ) {
        let Some(options) = range.options.as_ref() else {
            return;
        };
        let mut numbers: FastSet<i32> = FastSet::default();
        for declaration in &options.declaration {
            let number = declaration.number();
            if number < range.start() || number >= range.end() {
                self.error(
                    path,
                    ErrorKind::Number,
                    format!("Extension declaration number {number} is not in the extension range."),
                );
            }
            if !numbers.insert(number) {
                self.error(
                    path,
                    ErrorKind::Number,
                    format!("Extension declaration number {number} is declared multiple times."),
                );
            }
            // Names and types are bytes of the .proto file, quoted as they are.
            let (full_name, ty) = (
                declaration.full_name.as_ref().map(|n| n.as_bytes()),
                declaration.r#type.as_ref().map(|t| t.as_bytes()),
            );
            match (full_name, ty) {
                (Some(full_name), Some(ty)) => {
                    if !names.insert(full_name) {
                        let message = [
                            b"Extension field name \"",
                            full_name,
                            b"\" is declared multiple times.",
                        ]
                        .concat();
                        self.error_bytes(path, ErrorKind::Name, message);
                        return;
                    }
                    if let Some(message) = declaration_symbol_error(full_name) {
                        self.error_bytes(path, ErrorKind::Name, message);
                    }
                    let scalar = std::str::from_utf8(ty).is_ok_and(is_scalar_type_name);
                    if !scalar && let Some(message) = declaration_symbol_error(ty) {
                        self.error_bytes(path, ErrorKind::Name, message);
                    }
                }
                (full_name, ty) => {
                    if full_name.is_some() != ty.is_some() || declaration.reserved != Some(true) {
                        self.error(
                            path,
                            ErrorKind::Extendee,
                            format!("Extension declaration #{number} should have both \"full_name\" and \"type\" set."),
                        );
                    }
                }
            }
        }
    }

    fn validate_enum(&mut self, visit: &Visit<'a>, enum_: &'a EnumDescriptorProto) {
        self.check_enum_prefixes(visit, enum_);
        self.check_enum_custom_json(visit, enum_);
        let closed = visit.features.enum_type == value::CLOSED;
        if !closed
            && let Some(first) = enum_.value.first()
            && first.number() != 0
        {
            self.error(
                &ElementPath::new(&visit.path, tag::ENUM_VALUE, 0),
                ErrorKind::Number,
                "The first enum value must be zero for open enums.".into(),
            );
        }
        let allow_alias = enum_.options.as_ref().and_then(|o| o.allow_alias) == Some(true);
        if allow_alias {
            return;
        }
        let mut used: FastMap<i32, &str> = FastMap::default();
        for (i, value) in enum_.value.iter().enumerate() {
            match used.get(&value.number()) {
                None => {
                    used.insert(value.number(), value.name());
                }
                Some(first) => {
                    let enum_name = visit.full_name(self.proto);
                    let scope = enum_name.rsplit_once('.').map_or("", |(scope, _)| scope);
                    let first = join(scope, first);
                    let full_name = join(scope, value.name());
                    let all: FastSet<i64> = enum_.value.iter().map(|v| v.number() as i64).collect();
                    let mut next = value.number() as i64 + 1;
                    while all.contains(&next) {
                        next += 1;
                    }
                    let mut message = format!(
                        "\"{full_name}\" uses the same enum value as \"{first}\". If this is intended, set 'option allow_alias = true;' to the enum definition."
                    );
                    if next < i32::MAX as i64 {
                        message.push_str(&format!(" The next available enum value is {next}."));
                    }
                    self.error(
                        &ElementPath::new(&visit.path, tag::ENUM_VALUE, i),
                        ErrorKind::Number,
                        message,
                    );
                }
            }
        }
    }

    /// protoc's `DetectMapConflicts`, run only when the file already failed.
    pub(super) fn detect_map_conflicts(&mut self, message: &'a DescriptorProto, path: &[i32]) {
        let is_entry =
            |m: &DescriptorProto| m.options.as_ref().and_then(|o| o.map_entry) == Some(true);
        if path.len() / 2 >= super::MAX_MESSAGE_DEPTH {
            // protoc built none of its nested messages.
            return;
        }
        let mut seen: FastMap<&str, &DescriptorProto> = FastMap::default();
        for (i, nested) in message.nested_type.iter().enumerate() {
            if let Some(existing) = seen.get(nested.name()) {
                if is_entry(existing) || is_entry(nested) {
                    self.error(
                        path,
                        ErrorKind::Name,
                        format!(
                            "Expanded map entry type {} conflicts with an existing nested message type.",
                            nested.name()
                        ),
                    );
                    break;
                }
            } else {
                seen.insert(nested.name(), nested);
            }
            self.detect_map_conflicts(nested, &ElementPath::new(path, tag::MESSAGE_NESTED, i));
        }
        let mut conflicts = Vec::new();
        for (names, what) in [
            (
                message.field.iter().map(|f| f.name()).collect::<Vec<_>>(),
                "field",
            ),
            (
                message.enum_type.iter().map(|e| e.name()).collect(),
                "enum type",
            ),
            (
                message.oneof_decl.iter().map(|o| o.name()).collect(),
                "oneof type",
            ),
        ] {
            for name in names {
                if let Some(existing) = seen.get(name)
                    && is_entry(existing)
                {
                    conflicts.push(format!(
                        "Expanded map entry type {} conflicts with an existing {what}.",
                        existing.name()
                    ));
                }
            }
        }
        for message in conflicts {
            self.error(path, ErrorKind::Name, message);
        }
    }
}

/// protoc's `IsNonMessageType`: the scalar type names of extension declarations.
pub(super) fn is_scalar_type_name(ty: &str) -> bool {
    matches!(
        ty,
        "double"
            | "float"
            | "int64"
            | "uint64"
            | "int32"
            | "fixed32"
            | "fixed64"
            | "bool"
            | "string"
            | "bytes"
            | "uint32"
            | "enum"
            | "sfixed32"
            | "sfixed64"
            | "sint32"
            | "sint64"
    )
}

/// Why a declared full name or type is invalid: it needs a leading dot and identifiers.
fn declaration_symbol_error(symbol: &[u8]) -> Option<Vec<u8>> {
    let Some(rest) = symbol.strip_prefix(b".") else {
        return Some(
            [
                b"\"",
                symbol,
                b"\" must have a leading dot to indicate the fully-qualified scope.",
            ]
            .concat(),
        );
    };
    let valid = !rest.is_empty()
        && rest.split(|&b| b == b'.').all(|part| {
            !part.is_empty() && part.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        });
    (!valid).then(|| [b"\"", symbol, b"\" contains invalid identifiers."].concat())
}
