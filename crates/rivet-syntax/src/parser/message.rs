//! Messages, fields (including maps and groups), oneofs and extend blocks.

use super::{Parser, Syntax, edition};
use crate::ast::*;

/// Where a field is declared; this changes which errors protoc reports.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldContext {
    Message,
    Oneof,
    Extend,
}

/// How the parser reads a field's `default` value, from the type keyword as protoc's parser
/// sees it (protoc checks defaults of scalar fields while parsing).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum DefaultKind {
    Signed32,
    Signed64,
    Unsigned32,
    Unsigned64,
    Float,
    Bool,
    String,
    Bytes,
    Group,
    /// A message or enum name (or a map): any single token is taken as written.
    Named,
}

/// In edition `UNSTABLE`, type names that protoc's parser maps to other wire types.
const UNSTABLE_ONLY_TYPES: &[(&str, DefaultKind)] = &[
    ("varint32", DefaultKind::Signed32),
    ("varint64", DefaultKind::Signed64),
    ("uvarint32", DefaultKind::Unsigned32),
    ("uvarint64", DefaultKind::Unsigned64),
    ("zigzag32", DefaultKind::Signed32),
    ("zigzag64", DefaultKind::Signed64),
];

/// In edition `UNSTABLE`, scalar keywords that are rejected, with their replacements.
const UNSTABLE_OBSOLETE_TYPES: &[(&str, &str)] = &[
    ("fixed32", "uint32"),
    ("fixed64", "uint64"),
    ("sfixed32", "int32"),
    ("sfixed64", "int64"),
    ("sint32", "zigzag32"),
    ("sint64", "zigzag64"),
];

fn scalar_default_kind(scalar: ScalarType) -> DefaultKind {
    match scalar {
        ScalarType::Double | ScalarType::Float => DefaultKind::Float,
        ScalarType::Int32 | ScalarType::Sint32 | ScalarType::Sfixed32 => DefaultKind::Signed32,
        ScalarType::Int64 | ScalarType::Sint64 | ScalarType::Sfixed64 => DefaultKind::Signed64,
        ScalarType::Uint32 | ScalarType::Fixed32 => DefaultKind::Unsigned32,
        ScalarType::Uint64 | ScalarType::Fixed64 => DefaultKind::Unsigned64,
        ScalarType::Bool => DefaultKind::Bool,
        ScalarType::String => DefaultKind::String,
        ScalarType::Bytes => DefaultKind::Bytes,
    }
}

impl Parser<'_> {
    fn is_unstable(&self) -> bool {
        self.syntax == Syntax::Editions && self.edition == edition::UNSTABLE
    }

    pub(super) fn parse_message_definition(
        &mut self,
        visibility: Option<(Visibility, Span)>,
    ) -> Option<Message> {
        self.recursion_depth -= 1;
        let result = self.parse_message_definition_inner(visibility);
        self.recursion_depth += 1;
        result
    }

    fn parse_message_definition_inner(
        &mut self,
        visibility: Option<(Visibility, Span)>,
    ) -> Option<Message> {
        if self.recursion_depth <= 0 {
            self.error("Reached maximum recursion limit for nested messages.");
            return None;
        }
        let start = self.cur().start;
        self.consume("message")?;
        let name = self.consume_identifier("Expected message name.")?;
        let mut comments = Comments::default();
        let body = self.parse_message_block(&mut comments)?;
        Some(Message {
            visibility,
            name,
            body,
            span: self.span_from(start),
            comments,
        })
    }

    /// `{ statements }` of a message or group; `comments` receives the declaration's comments.
    pub(super) fn parse_message_block(&mut self, comments: &mut Comments) -> Option<MessageBody> {
        self.enter_block()?;
        let result = super::with_stack(|| self.parse_message_block_inner(comments));
        self.exit_block();
        result
    }

    fn parse_message_block_inner(&mut self, comments: &mut Comments) -> Option<MessageBody> {
        let start = self.cur().start;
        self.consume_end_of_decl("{", Some(comments))?;
        let mut items = Vec::new();
        // Where the first `option map_entry...` statement names it, parsed or not.
        let mut map_entry_option = None;
        while !self.try_consume_end_of_decl(b"}", None) {
            if self.at_end() {
                self.error("Reached end of input in message definition (missing '}').");
                return None;
            }
            let is_option = self.looking_at(b"option");
            match self.parse_message_statement() {
                Some(item) => items.push(item),
                None => self.skip_statement(),
            }
            let probe = &self.last_option;
            if is_option
                && map_entry_option.is_none()
                && !probe.first_is_extension
                && probe.first_part == "map_entry"
            {
                map_entry_option = Some(probe.name_start);
            }
        }
        // protoc's ValidateMessage.
        if let Some(offset) = map_entry_option {
            self.error_at(
                offset,
                "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
            );
            return None;
        }
        Some(MessageBody {
            items,
            span: self.span_from(start),
        })
    }

    fn parse_message_statement(&mut self) -> Option<MessageItem> {
        let token = self.cur();
        if self.try_consume_end_of_decl(b";", None) {
            return Some(MessageItem::Empty(token.span()));
        }
        let mut visibility = None;
        if self.looking_at(b"export") || self.looking_at(b"local") {
            visibility = self.parse_visibility()?;
        }
        if self.looking_at(b"message") {
            self.parse_message_definition(visibility)
                .map(MessageItem::Message)
        } else if self.looking_at(b"enum") {
            self.parse_enum_definition(visibility)
                .map(MessageItem::Enum)
        } else if self.looking_at(b"extensions") {
            self.parse_extensions().map(MessageItem::ExtensionRange)
        } else if self.looking_at(b"reserved") {
            self.parse_reserved(false).map(MessageItem::Reserved)
        } else if self.looking_at(b"extend") {
            self.parse_extend().map(MessageItem::Extend)
        } else if self.looking_at(b"option") {
            self.parse_option_statement().map(MessageItem::Option)
        } else if self.looking_at(b"oneof") {
            self.parse_oneof().map(MessageItem::Oneof)
        } else {
            self.parse_message_field(FieldContext::Message)
                .map(MessageItem::Field)
        }
    }

    /// `[label] type name = number [options];` (or a group) in a message or extend block.
    fn parse_message_field(&mut self, context: FieldContext) -> Option<Field> {
        let start = self.cur().start;
        let label = self.parse_label();
        self.parse_message_field_no_label(start, label, context)
    }

    fn parse_label(&mut self) -> Option<(FieldLabel, Span)> {
        let label = if self.looking_at(b"optional") {
            FieldLabel::Optional
        } else if self.looking_at(b"repeated") {
            FieldLabel::Repeated
        } else if self.looking_at(b"required") {
            FieldLabel::Required
        } else {
            return None;
        };
        if self.syntax == Syntax::Editions {
            match label {
                FieldLabel::Optional => self.error(
                    "Label \"optional\" is not supported in editions. By default, all singular \
                     fields have presence unless features.field_presence is set.",
                ),
                FieldLabel::Required => self.error(
                    "Label \"required\" is not supported in editions, use \
                     features.field_presence = LEGACY_REQUIRED.",
                ),
                FieldLabel::Repeated => {}
            }
        }
        let span = self.cur().span();
        self.next();
        Some((label, span))
    }

    /// The rest of a field after its label (protoc's `ParseMessageFieldNoLabel`).
    pub(super) fn parse_message_field_no_label(
        &mut self,
        start: u32,
        label: Option<(FieldLabel, Span)>,
        context: FieldContext,
    ) -> Option<Field> {
        // In a oneof protoc presets the label, so none is "missing".
        let has_label = label.is_some() || context == FieldContext::Oneof;
        let type_token = self.cur();
        let mut ty = None;
        let mut default_kind = DefaultKind::Named;
        if self.try_consume(b"map") {
            if self.looking_at(b"<") {
                ty = Some(self.parse_map_type(type_token.start, has_label, context)?);
            } else {
                // A message or enum that happens to be called "map".
                ty = Some(FieldType::Named(TypeName {
                    leading_dot: false,
                    parts: vec![Ident {
                        name: "map".to_owned(),
                        span: type_token.span(),
                    }],
                    span: type_token.span(),
                }));
            }
        }
        if !matches!(ty, Some(FieldType::Map { .. })) {
            let defaults_to_optional = self.syntax != Syntax::Proto2;
            if !has_label && !defaults_to_optional {
                self.error("Expected \"required\", \"optional\", or \"repeated\".");
            }
            if ty.is_none() {
                let (parsed, kind) = self.parse_type()?;
                ty = Some(parsed);
                default_kind = kind;
            }
        }
        let ty = ty?;

        let name_token = self.cur();
        let name = self.consume_identifier("Expected field name.")?;
        self.consume_or("=", "Missing field number.")?;
        let number = self.consume_integer("Expected field number.")?;
        let options = self.parse_field_options(default_kind)?;

        let mut comments = Comments::default();
        let mut group_body = None;
        if matches!(ty, FieldType::Group(_)) {
            if !name.name.as_bytes()[0].is_ascii_uppercase() {
                self.error_at(
                    name_token.start,
                    "Group names must start with a capital letter.",
                );
            }
            if self.looking_at(b"{") {
                group_body = Some(self.parse_message_block(&mut comments)?);
            } else {
                self.error("Missing group body.");
                return None;
            }
        } else {
            self.consume_end_of_decl(";", Some(&mut comments))?;
        }
        Some(Field {
            label,
            ty,
            name,
            number,
            options,
            group_body,
            span: self.span_from(start),
            comments,
        })
    }

    /// `map<K, V>`; the current token is `<`, `map` is consumed.
    fn parse_map_type(
        &mut self,
        start: u32,
        has_label: bool,
        context: FieldContext,
    ) -> Option<FieldType> {
        if context == FieldContext::Oneof {
            self.error("Map fields are not allowed in oneofs.");
            return None;
        }
        if has_label {
            self.error("Field labels (required/optional/repeated) are not allowed on map fields.");
            return None;
        }
        if context == FieldContext::Extend {
            self.error("Map fields are not allowed to be extensions.");
            return None;
        }
        self.consume("<")?;
        let (key, _) = self.parse_type()?;
        self.consume(",")?;
        let (value, _) = self.parse_type()?;
        self.consume(">")?;
        Some(FieldType::Map {
            key: Box::new(key),
            value: Box::new(value),
            span: self.span_from(start),
        })
    }

    /// A field type: a scalar keyword, `group`, or a message/enum name (protoc's `ParseType`).
    fn parse_type(&mut self) -> Option<(FieldType, DefaultKind)> {
        let token = self.cur();
        let text = self.lex.text(token);
        let name = std::str::from_utf8(text).unwrap_or("");
        if self.is_unstable() {
            if let Some(&(_, kind)) = UNSTABLE_ONLY_TYPES.iter().find(|(n, _)| *n == name) {
                self.next();
                let ident = Ident {
                    name: name.to_owned(),
                    span: token.span(),
                };
                let ty = FieldType::Named(TypeName {
                    leading_dot: false,
                    parts: vec![ident],
                    span: token.span(),
                });
                return Some((ty, kind));
            }
            if let Some(&(old, new)) = UNSTABLE_OBSOLETE_TYPES.iter().find(|(n, _)| *n == name) {
                self.error(format!(
                    "Type '{old}' is obsolete in unstable editions, use '{new}' instead."
                ));
                self.next();
                let scalar = ScalarType::from_name(old).unwrap_or(ScalarType::Int32);
                return Some((
                    FieldType::Scalar(scalar, token.span()),
                    DefaultKind::Signed32,
                ));
            }
        }
        if let Some(scalar) = ScalarType::from_name(name) {
            self.next();
            // (In edition UNSTABLE, int32 and friends mean fixed-width types; their defaults
            // read the same way.)
            return Some((
                FieldType::Scalar(scalar, token.span()),
                scalar_default_kind(scalar),
            ));
        }
        if name == "group" {
            if self.syntax == Syntax::Editions {
                self.error(
                    "Group syntax is no longer supported in editions. To get group behavior you \
                     can specify features.message_encoding = DELIMITED on a message field.",
                );
            }
            self.next();
            return Some((FieldType::Group(token.span()), DefaultKind::Group));
        }
        let name = self.parse_user_defined_type()?;
        Some((FieldType::Named(name), DefaultKind::Named))
    }

    /// A message or enum name, possibly qualified (protoc's `ParseUserDefinedType`).
    pub(super) fn parse_user_defined_type(&mut self) -> Option<TypeName> {
        let token = self.cur();
        let text = self.lex.text(token);
        let is_keyword = text == b"group"
            || std::str::from_utf8(text)
                .ok()
                .and_then(ScalarType::from_name)
                .is_some();
        if is_keyword {
            self.error("Expected message type.");
            let ident = Ident {
                name: self.cur_text(),
                span: token.span(),
            };
            self.next();
            return Some(TypeName {
                leading_dot: false,
                parts: vec![ident],
                span: token.span(),
            });
        }
        let start = token.start;
        let leading_dot = self.try_consume(b".");
        let mut parts = vec![self.consume_identifier("Expected type name.")?];
        while self.try_consume(b".") {
            parts.push(self.consume_identifier("Expected identifier.")?);
        }
        Some(TypeName {
            leading_dot,
            parts,
            span: self.span_from(start),
        })
    }

    fn parse_oneof(&mut self) -> Option<Oneof> {
        let start = self.cur().start;
        self.consume("oneof")?;
        let name = self.consume_identifier("Expected oneof name.")?;
        let mut comments = Comments::default();
        self.consume_end_of_decl("{", Some(&mut comments))?;
        let items = self.parse_oneof_items()?;
        Some(Oneof {
            name,
            items,
            span: self.span_from(start),
            comments,
        })
    }

    fn parse_oneof_items(&mut self) -> Option<Vec<OneofItem>> {
        let mut items = Vec::new();
        loop {
            if self.at_end() {
                self.error("Reached end of input in oneof definition (missing '}').");
                return None;
            }
            if self.looking_at(b"option") {
                items.push(OneofItem::Option(self.parse_option_statement()?));
            } else {
                let start = self.cur().start;
                if self.looking_at(b"required")
                    || self.looking_at(b"optional")
                    || self.looking_at(b"repeated")
                {
                    self.error(
                        "Fields in oneofs must not have labels (required / optional / repeated).",
                    );
                    self.next();
                }
                match self.parse_message_field_no_label(start, None, FieldContext::Oneof) {
                    Some(field) => items.push(OneofItem::Field(field)),
                    None => self.skip_statement(),
                }
            }
            if self.try_consume_end_of_decl(b"}", None) {
                return Some(items);
            }
        }
    }

    /// `extend Type { fields }`, at the top level or in a message.
    pub(super) fn parse_extend(&mut self) -> Option<Extend> {
        let start = self.cur().start;
        self.consume("extend")?;
        let extendee = self.parse_user_defined_type()?;
        let mut comments = Comments::default();
        self.consume_end_of_decl("{", Some(&mut comments))?;
        let fields = self.parse_extend_fields()?;
        Some(Extend {
            extendee,
            fields,
            span: self.span_from(start),
            comments,
        })
    }

    fn parse_extend_fields(&mut self) -> Option<Vec<Field>> {
        let mut fields = Vec::new();
        loop {
            if self.at_end() {
                self.error("Reached end of input in extend definition (missing '}').");
                return None;
            }
            match self.parse_message_field(FieldContext::Extend) {
                Some(field) => fields.push(field),
                None => self.skip_statement(),
            }
            if self.try_consume_end_of_decl(b"}", None) {
                return Some(fields);
            }
        }
    }
}
