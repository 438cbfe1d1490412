//! Lowering: one parsed file's AST to the `FileDescriptorProto` protoc's parser would produce.
//!
//! Type names are left as written (the linker resolves them), options are collected as
//! [`PendingOption`]s for the option interpreter, and source locations are recorded in exactly
//! the order and shape protoc's parser records them, so that `SourceCodeInfo` matches byte for
//! byte once options are interpreted.

use std::collections::HashSet;

use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, MethodDescriptorProto, OneofDescriptorProto, ServiceDescriptorProto,
    descriptor_proto, enum_descriptor_proto, field_descriptor_proto,
};
use rivet_syntax::ast::{self, Comments, Span};

use crate::text::{c_escape, format_double, format_float};

/// Field numbers of `FileDescriptorProto`, `DescriptorProto`, ... used in location paths.
pub(crate) mod tag {
    pub const FILE_PACKAGE: i32 = 2;
    pub const FILE_DEPENDENCY: i32 = 3;
    pub const FILE_MESSAGE: i32 = 4;
    pub const FILE_ENUM: i32 = 5;
    pub const FILE_SERVICE: i32 = 6;
    pub const FILE_EXTENSION: i32 = 7;
    pub const FILE_OPTIONS: i32 = 8;
    pub const FILE_PUBLIC_DEPENDENCY: i32 = 10;
    pub const FILE_WEAK_DEPENDENCY: i32 = 11;
    pub const FILE_SYNTAX: i32 = 12;
    pub const FILE_OPTION_DEPENDENCY: i32 = 15;

    pub const MESSAGE_NAME: i32 = 1;
    pub const MESSAGE_FIELD: i32 = 2;
    pub const MESSAGE_NESTED: i32 = 3;
    pub const MESSAGE_ENUM: i32 = 4;
    pub const MESSAGE_EXTENSION_RANGE: i32 = 5;
    pub const MESSAGE_EXTENSION: i32 = 6;
    pub const MESSAGE_OPTIONS: i32 = 7;
    pub const MESSAGE_ONEOF: i32 = 8;
    pub const MESSAGE_RESERVED_RANGE: i32 = 9;
    pub const MESSAGE_RESERVED_NAME: i32 = 10;

    pub const RANGE_START: i32 = 1;
    pub const RANGE_END: i32 = 2;
    pub const EXTENSION_RANGE_OPTIONS: i32 = 3;

    pub const FIELD_NAME: i32 = 1;
    pub const FIELD_EXTENDEE: i32 = 2;
    pub const FIELD_NUMBER: i32 = 3;
    pub const FIELD_LABEL: i32 = 4;
    pub const FIELD_TYPE: i32 = 5;
    pub const FIELD_TYPE_NAME: i32 = 6;
    pub const FIELD_DEFAULT: i32 = 7;
    pub const FIELD_OPTIONS: i32 = 8;
    pub const FIELD_JSON_NAME: i32 = 10;

    pub const ONEOF_NAME: i32 = 1;
    pub const ONEOF_OPTIONS: i32 = 2;

    pub const ENUM_NAME: i32 = 1;
    pub const ENUM_VALUE: i32 = 2;
    pub const ENUM_OPTIONS: i32 = 3;
    pub const ENUM_RESERVED_RANGE: i32 = 4;
    pub const ENUM_RESERVED_NAME: i32 = 5;

    pub const ENUM_VALUE_NAME: i32 = 1;
    pub const ENUM_VALUE_NUMBER: i32 = 2;
    pub const ENUM_VALUE_OPTIONS: i32 = 3;

    pub const SERVICE_NAME: i32 = 1;
    pub const SERVICE_METHOD: i32 = 2;
    pub const SERVICE_OPTIONS: i32 = 3;

    pub const METHOD_NAME: i32 = 1;
    pub const METHOD_INPUT: i32 = 2;
    pub const METHOD_OUTPUT: i32 = 3;
    pub const METHOD_OPTIONS: i32 = 4;
    pub const METHOD_CLIENT_STREAMING: i32 = 5;
    pub const METHOD_SERVER_STREAMING: i32 = 6;

    pub const UNINTERPRETED_OPTION: i32 = 999;
}

/// The largest field number plus one: the exclusive end of `max` ranges.
pub(crate) const MAX_FIELD_NUMBER_END: i32 = 536_870_912;

/// The syntax or edition of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    Proto2,
    Proto3,
    /// An edition, as its `Edition` enum number (2023 = 1000, ...).
    Editions(i32),
}

/// What protoc records for error positions (its `ErrorCollector::ErrorLocation`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ErrorKind {
    Name,
    Number,
    Type,
    Extendee,
    DefaultValue,
    InputType,
    OutputType,
    OptionName,
    OptionValue,
    Other,
    Editions,
    /// The import statement of the named file.
    Import(String),
}

/// Which options message an option belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OptionsKind {
    File,
    Message,
    Field,
    Oneof,
    ExtensionRange,
    Enum,
    EnumValue,
    Service,
    Method,
}

impl OptionsKind {
    /// The full name of the options message.
    pub(crate) fn message_name(self) -> &'static str {
        match self {
            OptionsKind::File => "google.protobuf.FileOptions",
            OptionsKind::Message => "google.protobuf.MessageOptions",
            OptionsKind::Field => "google.protobuf.FieldOptions",
            OptionsKind::Oneof => "google.protobuf.OneofOptions",
            OptionsKind::ExtensionRange => "google.protobuf.ExtensionRangeOptions",
            OptionsKind::Enum => "google.protobuf.EnumOptions",
            OptionsKind::EnumValue => "google.protobuf.EnumValueOptions",
            OptionsKind::Service => "google.protobuf.ServiceOptions",
            OptionsKind::Method => "google.protobuf.MethodOptions",
        }
    }
}

/// An option statement or `[...]` entry waiting to be interpreted.
#[derive(Clone, Debug)]
pub(crate) struct PendingOption {
    /// Path of the element that owns the options (empty for the file).
    pub element_path: Vec<i32>,
    /// Field number of `options` inside that element.
    pub options_field: i32,
    /// Which options message.
    pub kind: OptionsKind,
    /// Index among the element's uninterpreted options (protoc's `uninterpreted_option` index).
    pub index: usize,
    /// The option name.
    pub name: ast::OptionName,
    /// The value.
    pub value: ast::OptionValue,
    /// Index of the location recorded for the option (rewritten once interpreted); `None` for
    /// options protoc copies without a location (map entry features).
    pub location: Option<usize>,
}

/// One `SourceCodeInfo.Location`, with spans as byte offsets.
#[derive(Clone, Debug)]
pub(crate) struct RawLocation {
    pub path: Vec<i32>,
    pub span: Span,
    pub comments: Option<Box<Comments>>,
}

/// The lowered file.
#[derive(Debug)]
pub(crate) struct Lowered {
    pub proto: FileDescriptorProto,
    pub syntax: Syntax,
    pub options: Vec<PendingOption>,
    pub locations: Vec<RawLocation>,
    /// Where protoc reports errors about an element: `(element path, kind, byte offset)`,
    /// searched only when there is an error to report.
    pub error_offsets: Vec<(Vec<i32>, ErrorKind, u32)>,
    /// Errors protoc's parser reports that the AST cannot rule out by itself.
    pub errors: Vec<(Span, String)>,
}

impl Lowered {
    /// Where protoc reports an error of `kind` about the element at `path` (the last
    /// recorded position wins, as in protoc's location table).
    pub(crate) fn error_offset(&self, path: &[i32], kind: &ErrorKind) -> Option<u32> {
        self.error_offsets
            .iter()
            .rev()
            .find(|(p, k, _)| p == path && k == kind)
            .map(|(_, _, offset)| *offset)
    }
}

struct Lowerer {
    syntax: Syntax,
    path: Vec<i32>,
    out: Lowered,
}

fn comments(c: &Comments) -> Option<Box<Comments>> {
    if c.leading.is_none() && c.trailing.is_none() && c.leading_detached.is_empty() {
        None
    } else {
        Some(Box::new(c.clone()))
    }
}

/// `Foo_bar` -> `FooBarEntry` (protoc's `MapEntryName`).
pub(crate) fn map_entry_name(field_name: &str) -> String {
    let mut result = String::with_capacity(field_name.len() + 5);
    let mut cap_next = true;
    for c in field_name.chars() {
        if c == '_' {
            cap_next = true;
        } else if cap_next {
            result.push(c.to_ascii_uppercase());
            cap_next = false;
        } else {
            result.push(c);
        }
    }
    result.push_str("Entry");
    result
}

fn scalar_type(scalar: ast::ScalarType) -> field_descriptor_proto::Type {
    use ast::ScalarType as S;
    use field_descriptor_proto::Type as T;
    match scalar {
        S::Double => T::Double,
        S::Float => T::Float,
        S::Int64 => T::Int64,
        S::Uint64 => T::Uint64,
        S::Int32 => T::Int32,
        S::Fixed64 => T::Fixed64,
        S::Fixed32 => T::Fixed32,
        S::Bool => T::Bool,
        S::String => T::String,
        S::Bytes => T::Bytes,
        S::Uint32 => T::Uint32,
        S::Sfixed32 => T::Sfixed32,
        S::Sfixed64 => T::Sfixed64,
        S::Sint32 => T::Sint32,
        S::Sint64 => T::Sint64,
    }
}

/// Parses a syntax/edition statement value.
fn syntax_of(decl: Option<&ast::SyntaxDecl>) -> Syntax {
    let Some(decl) = decl else {
        return Syntax::Proto2;
    };
    let value = String::from_utf8_lossy(&decl.value.value);
    match (decl.kind, value.as_ref()) {
        (ast::SyntaxKind::Syntax, "proto3") => Syntax::Proto3,
        (ast::SyntaxKind::Syntax, _) => Syntax::Proto2,
        (ast::SyntaxKind::Edition, "2023") => Syntax::Editions(1000),
        (ast::SyntaxKind::Edition, "2024") => Syntax::Editions(1001),
        (ast::SyntaxKind::Edition, "2026") => Syntax::Editions(1002),
        (ast::SyntaxKind::Edition, other) => match other {
            "99997_TEST_ONLY" => Syntax::Editions(99997),
            "99998_TEST_ONLY" => Syntax::Editions(99998),
            "99999_TEST_ONLY" => Syntax::Editions(99999),
            "UNSTABLE" => Syntax::Editions(9999),
            _ => Syntax::Editions(0),
        },
    }
}

/// Lowers a parsed file named `name`.
pub(crate) fn lower_file(name: &str, file: &ast::File) -> Lowered {
    let syntax = syntax_of(file.syntax.as_ref());
    let mut lowerer = Lowerer {
        syntax,
        path: Vec::new(),
        out: Lowered {
            proto: FileDescriptorProto {
                name: Some(name.to_string()),
                ..Default::default()
            },
            syntax,
            options: Vec::new(),
            locations: Vec::new(),
            error_offsets: Vec::new(),
            errors: Vec::new(),
        },
    };
    lowerer.file(file);
    lowerer.out
}

impl Lowerer {
    /// Records a location at the current path plus `extra`, returning its index.
    fn record(&mut self, extra: &[i32], span: Span, comments: Option<&Comments>) -> usize {
        let mut path = self.path.clone();
        path.extend_from_slice(extra);
        self.out.locations.push(RawLocation {
            path,
            span,
            comments: comments.and_then(self::comments),
        });
        self.out.locations.len() - 1
    }

    fn error_at(&mut self, extra: &[i32], kind: ErrorKind, offset: u32) {
        let mut path = self.path.clone();
        path.extend_from_slice(extra);
        self.out.error_offsets.push((path, kind, offset));
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.out.errors.push((span, message.into()));
    }

    fn file(&mut self, file: &ast::File) {
        self.record(&[], file.span, None);
        self.error_at(&[], ErrorKind::Other, file.span.start);
        if let Some(decl) = &file.syntax {
            self.record(&[tag::FILE_SYNTAX], decl.span, Some(&decl.comments));
            self.error_at(&[], ErrorKind::Editions, decl.span.start);
        }
        let mut option_count = 0;
        for item in &file.items {
            match item {
                ast::FileItem::Package(package) => {
                    self.record(&[tag::FILE_PACKAGE], package.span, Some(&package.comments));
                    self.error_at(&[], ErrorKind::Name, package.span.start);
                    self.out.proto.package = Some(package.name.to_text());
                }
                ast::FileItem::Import(import) => self.import(import),
                ast::FileItem::Option(option) => {
                    self.record(&[tag::FILE_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::FILE_OPTIONS,
                        OptionsKind::File,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::FileItem::Message(message) => {
                    let index = self.out.proto.message_type.len() as i32;
                    self.path.extend([tag::FILE_MESSAGE, index]);
                    let lowered = self.message(message);
                    self.path.truncate(self.path.len() - 2);
                    self.out.proto.message_type.push(lowered);
                }
                ast::FileItem::Enum(enum_) => {
                    let index = self.out.proto.enum_type.len() as i32;
                    self.path.extend([tag::FILE_ENUM, index]);
                    let lowered = self.enum_(enum_);
                    self.path.truncate(self.path.len() - 2);
                    self.out.proto.enum_type.push(lowered);
                }
                ast::FileItem::Service(service) => {
                    let index = self.out.proto.service.len() as i32;
                    self.path.extend([tag::FILE_SERVICE, index]);
                    let lowered = self.service(service);
                    self.path.truncate(self.path.len() - 2);
                    self.out.proto.service.push(lowered);
                }
                ast::FileItem::Extend(extend) => {
                    let mut extensions = std::mem::take(&mut self.out.proto.extension);
                    let mut messages = std::mem::take(&mut self.out.proto.message_type);
                    self.extend(
                        extend,
                        &mut extensions,
                        &mut messages,
                        tag::FILE_EXTENSION,
                        tag::FILE_MESSAGE,
                    );
                    self.out.proto.extension = extensions;
                    self.out.proto.message_type = messages;
                }
                ast::FileItem::Empty(_) => {}
            }
        }
        match self.syntax {
            Syntax::Proto2 => {}
            Syntax::Proto3 => self.out.proto.syntax = Some("proto3".into()),
            Syntax::Editions(edition) => {
                self.out.proto.syntax = Some("editions".into());
                self.out.proto.edition = Some(edition);
            }
        }
    }

    fn import(&mut self, import: &ast::Import) {
        let path = String::from_utf8_lossy(&import.path.value).into_owned();
        let proto = &mut self.out.proto;
        if let Some((ast::ImportKind::Option, _)) = import.kind {
            let index = proto.option_dependency.len() as i32;
            proto.option_dependency.push(path.clone());
            self.record(
                &[tag::FILE_OPTION_DEPENDENCY, index],
                import.span,
                Some(&import.comments),
            );
            self.error_at(&[], ErrorKind::Import(path), import.span.start);
            return;
        }
        let index = proto.dependency.len() as i32;
        proto.dependency.push(path.clone());
        self.record(
            &[tag::FILE_DEPENDENCY, index],
            import.span,
            Some(&import.comments),
        );
        match import.kind {
            Some((ast::ImportKind::Public, span)) => {
                let public_index = self.out.proto.public_dependency.len() as i32;
                self.out.proto.public_dependency.push(index);
                self.record(&[tag::FILE_PUBLIC_DEPENDENCY, public_index], span, None);
            }
            Some((ast::ImportKind::Weak, span)) => {
                let weak_index = self.out.proto.weak_dependency.len() as i32;
                self.out.proto.weak_dependency.push(index);
                self.record(&[tag::FILE_WEAK_DEPENDENCY, weak_index], span, None);
                self.error_at(&[], ErrorKind::Import("weak".into()), span.start);
            }
            _ => {}
        }
        self.error_at(&[], ErrorKind::Import(path), import.span.start);
    }

    /// Records an option statement (`option x = y;`) whose parent location (e.g. `[.., 7]`) has
    /// already been recorded by the caller.
    fn option_statement(
        &mut self,
        element_extra: &[i32],
        options_field: i32,
        kind: OptionsKind,
        index: usize,
        option: &ast::OptionStmt,
    ) {
        let location = self.record(
            &[options_field, tag::UNINTERPRETED_OPTION, index as i32],
            option.span,
            Some(&option.comments),
        );
        self.pending_option(
            element_extra,
            options_field,
            kind,
            index,
            &option.name,
            &option.value,
            location,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn pending_option(
        &mut self,
        element_extra: &[i32],
        options_field: i32,
        kind: OptionsKind,
        index: usize,
        name: &ast::OptionName,
        value: &ast::OptionValue,
        location: usize,
    ) {
        let mut element_path = self.path.clone();
        element_path.extend_from_slice(element_extra);
        let mut option_path = element_path.clone();
        option_path.extend([options_field, tag::UNINTERPRETED_OPTION, index as i32]);
        self.out
            .error_offsets
            .push((option_path.clone(), ErrorKind::OptionName, name.span.start));
        self.out
            .error_offsets
            .push((option_path, ErrorKind::OptionValue, value.span().start));
        self.out.options.push(PendingOption {
            element_path,
            options_field,
            kind,
            index,
            name: name.clone(),
            value: value.clone(),
            location: Some(location),
        });
    }

    /// Records `[a = 1, b = 2]` entries (the caller records the bracket location), skipping
    /// the pseudo-options `default` and `json_name` handled by `field_pseudo_option`.
    fn compact_options(
        &mut self,
        options_field: i32,
        kind: OptionsKind,
        start_index: usize,
        options: &[&ast::CompactOption],
    ) -> usize {
        let mut index = start_index;
        for option in options {
            let location = self.record(
                &[options_field, tag::UNINTERPRETED_OPTION, index as i32],
                option.span,
                None,
            );
            self.pending_option(
                &[],
                options_field,
                kind,
                index,
                &option.name,
                &option.value,
                location,
            );
            index += 1;
        }
        index
    }

    fn message(&mut self, message: &ast::Message) -> DescriptorProto {
        self.record(&[], message.span, Some(&message.comments));
        self.record(&[tag::MESSAGE_NAME], message.name.span, None);
        self.error_at(&[], ErrorKind::Name, message.name.span.start);
        let mut proto = DescriptorProto {
            name: Some(message.name.name.clone()),
            ..Default::default()
        };
        self.message_body(&message.body, &mut proto);
        if let Some((visibility, _)) = message.visibility {
            proto.visibility = Some(visibility_number(visibility));
        }
        proto
    }

    fn message_body(&mut self, body: &ast::MessageBody, proto: &mut DescriptorProto) {
        let mut option_count = 0;
        for item in &body.items {
            match item {
                ast::MessageItem::Field(field) => {
                    let index = proto.field.len() as i32;
                    self.path.extend([tag::MESSAGE_FIELD, index]);
                    let lowered = self.field(
                        field,
                        None,
                        None,
                        &mut proto.nested_type,
                        tag::MESSAGE_NESTED,
                    );
                    self.path.truncate(self.path.len() - 2);
                    proto.field.push(lowered);
                }
                ast::MessageItem::Oneof(oneof) => self.oneof(oneof, proto),
                ast::MessageItem::Message(message) => {
                    let index = proto.nested_type.len() as i32;
                    self.path.extend([tag::MESSAGE_NESTED, index]);
                    let lowered = self.message(message);
                    self.path.truncate(self.path.len() - 2);
                    proto.nested_type.push(lowered);
                }
                ast::MessageItem::Enum(enum_) => {
                    let index = proto.enum_type.len() as i32;
                    self.path.extend([tag::MESSAGE_ENUM, index]);
                    let lowered = self.enum_(enum_);
                    self.path.truncate(self.path.len() - 2);
                    proto.enum_type.push(lowered);
                }
                ast::MessageItem::Extend(extend) => self.extend(
                    extend,
                    &mut proto.extension,
                    &mut proto.nested_type,
                    tag::MESSAGE_EXTENSION,
                    tag::MESSAGE_NESTED,
                ),
                ast::MessageItem::ExtensionRange(range) => self.extension_range(range, proto),
                ast::MessageItem::Reserved(reserved) => {
                    let ranges = self.reserved(
                        reserved,
                        (tag::MESSAGE_RESERVED_RANGE, tag::MESSAGE_RESERVED_NAME),
                        false,
                        proto.reserved_range.len(),
                        &mut proto.reserved_name,
                    );
                    proto
                        .reserved_range
                        .extend(ranges.into_iter().map(|(start, end)| {
                            descriptor_proto::ReservedRange {
                                start: Some(start),
                                end: Some(end),
                                ..Default::default()
                            }
                        }));
                }
                ast::MessageItem::Option(option) => {
                    self.record(&[tag::MESSAGE_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::MESSAGE_OPTIONS,
                        OptionsKind::Message,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::MessageItem::Empty(_) => {}
            }
        }
        // `max` in ranges depends on message_set_wire_format, known only now.
        let message_set = body.items.iter().any(|item| {
            matches!(item, ast::MessageItem::Option(option)
                if option.name.parts.len() == 1
                    && matches!(&option.name.parts[0], ast::OptionNamePart::Simple(id) if id.name == "message_set_wire_format")
                    && matches!(&option.value, ast::OptionValue::Ident { negative: false, ident, .. } if ident.name == "true"))
        });
        let max_end = if message_set {
            i32::MAX
        } else {
            MAX_FIELD_NUMBER_END
        };
        for range in &mut proto.extension_range {
            if range.end == Some(MAX_SENTINEL) {
                range.end = Some(max_end);
            }
        }
        for range in &mut proto.reserved_range {
            if range.end == Some(MAX_SENTINEL) {
                range.end = Some(max_end);
            }
        }
        if self.syntax == Syntax::Proto3 {
            generate_synthetic_oneofs(proto);
        }
    }

    fn oneof(&mut self, oneof: &ast::Oneof, proto: &mut DescriptorProto) {
        let oneof_index = proto.oneof_decl.len() as i32;
        proto.oneof_decl.push(OneofDescriptorProto {
            name: Some(oneof.name.name.clone()),
            ..Default::default()
        });
        self.path.extend([tag::MESSAGE_ONEOF, oneof_index]);
        self.record(&[], oneof.span, Some(&oneof.comments));
        // protoc's parser records no error position for oneofs.
        self.record(&[tag::ONEOF_NAME], oneof.name.span, None);
        self.path.truncate(self.path.len() - 2);
        let mut option_count = 0;
        for item in &oneof.items {
            match item {
                ast::OneofItem::Field(field) => {
                    let index = proto.field.len() as i32;
                    self.path.extend([tag::MESSAGE_FIELD, index]);
                    let lowered = self.field(
                        field,
                        Some(oneof_index),
                        None,
                        &mut proto.nested_type,
                        tag::MESSAGE_NESTED,
                    );
                    self.path.truncate(self.path.len() - 2);
                    proto.field.push(lowered);
                }
                ast::OneofItem::Option(option) => {
                    self.path.extend([tag::MESSAGE_ONEOF, oneof_index]);
                    self.record(&[tag::ONEOF_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::ONEOF_OPTIONS,
                        OptionsKind::Oneof,
                        option_count,
                        option,
                    );
                    self.path.truncate(self.path.len() - 2);
                    option_count += 1;
                }
                ast::OneofItem::Empty(_) => {}
            }
        }
    }

    /// Lowers a field at the current path (`[.., 2, i]`, `[7, i]`, ...). Groups and map entries
    /// are appended to `messages`, whose location path is the parent path plus
    /// `nested_field`.
    fn field(
        &mut self,
        field: &ast::Field,
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
                Some(&field.comments)
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
            ast::FieldType::Scalar(scalar, span) => {
                self.record(&[tag::FIELD_TYPE], *span, None);
                proto.r#type = Some(scalar_type(*scalar) as i32);
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
                            proto.json_name = Some(String::from_utf8_lossy(&lit.value).into());
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
        // Groups declare a nested message too.
        if let (true, Some(body)) = (is_group, &field.group_body) {
            let group_index = messages.len() as i32;
            let field_path = self.path.clone();
            let parent_len = self.path.len() - 2;
            self.path.truncate(parent_len);
            self.path.extend([nested_field, group_index]);
            self.record(
                &[],
                Span::new(field.span.start, field.span.end),
                Some(&field.comments),
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
            proto.name = Some(field.name.name.to_ascii_lowercase());
            proto.type_name = Some(field.name.name.clone());
            messages.push(group);
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
                    ast::FieldType::Scalar(scalar, _) => {
                        entry_field.r#type = Some(scalar_type(*scalar) as i32)
                    }
                    ast::FieldType::Named(name) => entry_field.type_name = Some(name.to_text()),
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

    fn default_value(&mut self, option: &ast::CompactOption, proto: &mut FieldDescriptorProto) {
        use field_descriptor_proto::Type;
        let value_span = option.value.span();
        self.record(&[tag::FIELD_DEFAULT], value_span, None);
        self.error_at(&[], ErrorKind::DefaultValue, value_span.start);
        let ty = proto.r#type.and_then(|t| Type::try_from(t).ok());
        let text = match (&option.value, ty) {
            (_, None) => match &option.value {
                ast::OptionValue::Ident {
                    ident, negative, ..
                } => {
                    if *negative {
                        "-".to_string()
                    } else {
                        ident.name.clone()
                    }
                }
                ast::OptionValue::Int(lit) if lit.negative => "-".into(),
                ast::OptionValue::Int(lit) => lit.value.to_string(),
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
                    format_float(value as f32)
                } else {
                    format_double(value)
                }
            }
            // protoc re-prints the parsed number, so `-0` becomes `0`.
            (ast::OptionValue::Int(lit), Some(_)) => {
                if lit.negative && lit.value != 0 {
                    format!("-{}", lit.value)
                } else {
                    lit.value.to_string()
                }
            }
            (ast::OptionValue::Ident { ident, .. }, Some(Type::Bool | Type::Enum)) => {
                ident.name.clone()
            }
            (ast::OptionValue::String(lit), Some(Type::String)) => {
                String::from_utf8_lossy(&lit.value).into_owned()
            }
            (ast::OptionValue::String(lit), Some(Type::Bytes)) => c_escape(&lit.value),
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

    fn extend(
        &mut self,
        extend: &ast::Extend,
        extensions: &mut Vec<FieldDescriptorProto>,
        messages: &mut Vec<DescriptorProto>,
        extension_field: i32,
        nested_field: i32,
    ) {
        self.record(&[extension_field], extend.span, Some(&extend.comments));
        for (i, field) in extend.fields.iter().enumerate() {
            let index = extensions.len() as i32;
            self.path.extend([extension_field, index]);
            if i == 0 {
                self.error_at(&[], ErrorKind::Extendee, extend.extendee.span.start);
            }
            // Groups inside extend blocks become nested types of the enclosing scope.
            let lowered = self.field(field, None, Some(&extend.extendee), messages, nested_field);
            self.path.truncate(self.path.len() - 2);
            extensions.push(lowered);
        }
    }

    fn extension_range(&mut self, range: &ast::ExtensionRange, proto: &mut DescriptorProto) {
        self.record(
            &[tag::MESSAGE_EXTENSION_RANGE],
            range.span,
            Some(&range.comments),
        );
        let first = proto.extension_range.len();
        for r in &range.ranges {
            let index = proto.extension_range.len() as i32;
            self.path.extend([tag::MESSAGE_EXTENSION_RANGE, index]);
            self.record(&[], r.span, None);
            self.error_at(&[], ErrorKind::Number, r.span.start);
            let (start, end) = self.range_bounds(r, true);
            self.path.truncate(self.path.len() - 2);
            proto
                .extension_range
                .push(descriptor_proto::ExtensionRange {
                    start: Some(start),
                    end: Some(end),
                    ..Default::default()
                });
        }
        if let Some(options) = &range.options {
            let options: Vec<&ast::CompactOption> = options.options.iter().collect();
            let bracket_span = range.options.as_ref().map(|o| o.span).unwrap_or_default();
            for index in first..proto.extension_range.len() {
                self.path
                    .extend([tag::MESSAGE_EXTENSION_RANGE, index as i32]);
                self.record(&[tag::EXTENSION_RANGE_OPTIONS], bracket_span, None);
                for (option_index, option) in options.iter().enumerate() {
                    let location = self.record(
                        &[
                            tag::EXTENSION_RANGE_OPTIONS,
                            tag::UNINTERPRETED_OPTION,
                            option_index as i32,
                        ],
                        option.span,
                        None,
                    );
                    self.pending_option(
                        &[],
                        tag::EXTENSION_RANGE_OPTIONS,
                        OptionsKind::ExtensionRange,
                        option_index,
                        &option.name,
                        &option.value,
                        location,
                    );
                }
                self.path.truncate(self.path.len() - 2);
            }
        }
    }

    /// Records the start/end locations of a range and returns `(start, exclusive end)`
    /// (or inclusive end for enums).
    fn range_bounds(&mut self, range: &ast::Range, exclusive: bool) -> (i32, i32) {
        let signed = |lit: &ast::IntLit| -> i32 {
            let value = lit.value.min(i32::MAX as u64 + 1) as i64;
            let value = if lit.negative { -value } else { value };
            value.clamp(i32::MIN as i64, i32::MAX as i64) as i32
        };
        self.record(&[tag::RANGE_START], range.start.span, None);
        let start = signed(&range.start);
        let end = match range.end {
            Some(ast::RangeEnd::Int(lit)) => {
                self.record(&[tag::RANGE_END], lit.span, None);
                signed(&lit)
            }
            Some(ast::RangeEnd::Max(span)) => {
                self.record(&[tag::RANGE_END], span, None);
                if exclusive {
                    return (start, MAX_SENTINEL);
                }
                i32::MAX
            }
            None => {
                // protoc records the end at the range's first token: just the `-` of a
                // negative number.
                let first_token = if range.start.negative {
                    Span::new(range.start.span.start, range.start.span.start + 1)
                } else {
                    range.start.span
                };
                self.record(&[tag::RANGE_END], first_token, None);
                start
            }
        };
        (
            start,
            if exclusive {
                end.saturating_add(1)
            } else {
                end
            },
        )
    }

    /// Records a `reserved` statement; returns the `(start, end)` of the ranges it declares.
    /// `existing_ranges` is how many reserved ranges the element already has.
    fn reserved(
        &mut self,
        reserved: &ast::Reserved,
        (range_field, name_field): (i32, i32),
        is_enum: bool,
        existing_ranges: usize,
        names: &mut Vec<String>,
    ) -> Vec<(i32, i32)> {
        let mut out = Vec::new();
        match &reserved.kind {
            ast::ReservedKind::Ranges(ranges) => {
                self.record(&[range_field], reserved.span, Some(&reserved.comments));
                for range in ranges {
                    let index = (existing_ranges + out.len()) as i32;
                    self.path.extend([range_field, index]);
                    self.record(&[], range.span, None);
                    self.error_at(&[], ErrorKind::Number, range.span.start);
                    out.push(self.range_bounds(range, !is_enum));
                    self.path.truncate(self.path.len() - 2);
                }
            }
            ast::ReservedKind::Names(list) => {
                self.record(&[name_field], reserved.span, Some(&reserved.comments));
                for name in list {
                    let index = names.len() as i32;
                    self.record(&[name_field, index], name.span, None);
                    names.push(name.name.clone());
                }
            }
        }
        out
    }

    fn enum_(&mut self, enum_: &ast::Enum) -> EnumDescriptorProto {
        self.record(&[], enum_.span, Some(&enum_.comments));
        self.record(&[tag::ENUM_NAME], enum_.name.span, None);
        self.error_at(&[], ErrorKind::Name, enum_.name.span.start);
        let mut proto = EnumDescriptorProto {
            name: Some(enum_.name.name.clone()),
            ..Default::default()
        };
        let mut option_count = 0;
        for item in &enum_.items {
            match item {
                ast::EnumItem::Value(value) => {
                    let index = proto.value.len() as i32;
                    self.path.extend([tag::ENUM_VALUE, index]);
                    proto.value.push(self.enum_value(value));
                    self.path.truncate(self.path.len() - 2);
                }
                ast::EnumItem::Option(option) => {
                    self.record(&[tag::ENUM_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::ENUM_OPTIONS,
                        OptionsKind::Enum,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::EnumItem::Reserved(reserved) => {
                    let ranges = self.reserved(
                        reserved,
                        (tag::ENUM_RESERVED_RANGE, tag::ENUM_RESERVED_NAME),
                        true,
                        proto.reserved_range.len(),
                        &mut proto.reserved_name,
                    );
                    proto
                        .reserved_range
                        .extend(ranges.into_iter().map(|(start, end)| {
                            enum_descriptor_proto::EnumReservedRange {
                                start: Some(start),
                                end: Some(end),
                                ..Default::default()
                            }
                        }));
                }
                ast::EnumItem::Empty(_) => {}
            }
        }
        if let Some((visibility, _)) = enum_.visibility {
            proto.visibility = Some(visibility_number(visibility));
        }
        proto
    }

    fn enum_value(&mut self, value: &ast::EnumValue) -> EnumValueDescriptorProto {
        self.record(&[], value.span, Some(&value.comments));
        self.record(&[tag::ENUM_VALUE_NAME], value.name.span, None);
        self.error_at(&[], ErrorKind::Name, value.name.span.start);
        self.record(&[tag::ENUM_VALUE_NUMBER], value.number.span, None);
        self.error_at(&[], ErrorKind::Number, value.number.span.start);
        let magnitude = value.number.value.min(i32::MAX as u64 + 1) as i64;
        let number = if value.number.negative {
            -magnitude
        } else {
            magnitude
        };
        let proto = EnumValueDescriptorProto {
            name: Some(value.name.name.clone()),
            number: Some(number.clamp(i32::MIN as i64, i32::MAX as i64) as i32),
            ..Default::default()
        };
        if let Some(options) = &value.options {
            self.record(&[tag::ENUM_VALUE_OPTIONS], options.span, None);
            let list: Vec<&ast::CompactOption> = options.options.iter().collect();
            self.compact_options(tag::ENUM_VALUE_OPTIONS, OptionsKind::EnumValue, 0, &list);
        }
        proto
    }

    fn service(&mut self, service: &ast::Service) -> ServiceDescriptorProto {
        self.record(&[], service.span, Some(&service.comments));
        self.record(&[tag::SERVICE_NAME], service.name.span, None);
        self.error_at(&[], ErrorKind::Name, service.name.span.start);
        let mut proto = ServiceDescriptorProto {
            name: Some(service.name.name.clone()),
            ..Default::default()
        };
        let mut option_count = 0;
        for item in &service.items {
            match item {
                ast::ServiceItem::Method(method) => {
                    let index = proto.method.len() as i32;
                    self.path.extend([tag::SERVICE_METHOD, index]);
                    proto.method.push(self.method(method));
                    self.path.truncate(self.path.len() - 2);
                }
                ast::ServiceItem::Option(option) => {
                    self.record(&[tag::SERVICE_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::SERVICE_OPTIONS,
                        OptionsKind::Service,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::ServiceItem::Empty(_) => {}
            }
        }
        proto
    }

    fn method(&mut self, method: &ast::Method) -> MethodDescriptorProto {
        self.record(&[], method.span, Some(&method.comments));
        self.record(&[tag::METHOD_NAME], method.name.span, None);
        self.error_at(&[], ErrorKind::Name, method.name.span.start);
        let mut proto = MethodDescriptorProto {
            name: Some(method.name.name.clone()),
            input_type: Some(method.input.ty.to_text()),
            output_type: Some(method.output.ty.to_text()),
            ..Default::default()
        };
        if let Some(span) = method.input.stream {
            self.record(&[tag::METHOD_CLIENT_STREAMING], span, None);
            self.error_at(&[], ErrorKind::Other, span.start);
            proto.client_streaming = Some(true);
        }
        self.record(&[tag::METHOD_INPUT], method.input.ty.span, None);
        self.error_at(&[], ErrorKind::InputType, method.input.ty.span.start);
        if let Some(span) = method.output.stream {
            self.record(&[tag::METHOD_SERVER_STREAMING], span, None);
            self.error_at(&[], ErrorKind::Other, span.start);
            proto.server_streaming = Some(true);
        }
        self.record(&[tag::METHOD_OUTPUT], method.output.ty.span, None);
        self.error_at(&[], ErrorKind::OutputType, method.output.ty.span.start);
        if method.body.is_some() {
            proto.options = Some(Default::default());
        }
        for (index, option) in method.options.iter().enumerate() {
            self.record(&[tag::METHOD_OPTIONS], option.span, None);
            self.option_statement(&[], tag::METHOD_OPTIONS, OptionsKind::Method, index, option);
        }
        proto
    }
}

/// Marks an exclusive range end written as `max`, fixed up once the message is complete.
const MAX_SENTINEL: i32 = -1;

fn visibility_number(visibility: ast::Visibility) -> i32 {
    match visibility {
        ast::Visibility::Local => 1,
        ast::Visibility::Export => 2,
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

/// Adds the synthetic oneofs of proto3 `optional` fields (protoc's `GenerateSyntheticOneofs`).
fn generate_synthetic_oneofs(message: &mut DescriptorProto) {
    let mut names: HashSet<String> = message
        .field
        .iter()
        .filter_map(|field| field.name.clone())
        .chain(
            message
                .oneof_decl
                .iter()
                .filter_map(|oneof| oneof.name.clone()),
        )
        .collect();
    for field in &mut message.field {
        if field.proto3_optional != Some(true) {
            continue;
        }
        let mut name = field.name.clone().unwrap_or_default();
        if !name.starts_with('_') {
            name.insert(0, '_');
        }
        while names.contains(&name) {
            name.insert(0, 'X');
        }
        names.insert(name.clone());
        field.oneof_index = Some(message.oneof_decl.len() as i32);
        message.oneof_decl.push(OneofDescriptorProto {
            name: Some(name),
            ..Default::default()
        });
    }
}
