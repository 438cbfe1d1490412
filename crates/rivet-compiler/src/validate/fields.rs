//! protoc's `ValidateOptions` for a field or extension: editions feature rules, options that
//! only suit some fields (`packed`, `lazy`, `jstype`, `ctype`, `json_name`), MessageSets,
//! maps, and extension declarations.

use rivet_descriptor::{
    DescriptorProto, FieldDescriptorProto,
    field_descriptor_proto::{Label, Type},
};

use rivet_descriptor::field_options::FeatureSupport;

use crate::features::{edition, value};
use crate::lower::ErrorKind;
use crate::text::json_name;
use rivet_descriptor::ResolvedFeatures;

use super::Checker;
use super::elements::is_options_message;
use super::lifetimes::validate_feature_support;
use super::visit::Visit;

/// What protoc knows about a linked field.
struct FieldFacts<'a> {
    ty: Option<Type>,
    repeated: bool,
    required: bool,
    /// The message type, for message and group fields.
    message: Option<(usize, &'a DescriptorProto, &'a [i32])>,
    /// The extendee's full name, for extensions.
    extendee: &'a str,
    /// The containing message (the extendee, for extensions): its file and proto.
    containing: Option<(usize, &'a DescriptorProto)>,
}

fn is_packable(ty: Option<Type>) -> bool {
    !matches!(
        ty,
        None | Some(Type::String | Type::Bytes | Type::Message | Type::Group)
    )
}

fn is_map_entry(message: &DescriptorProto) -> bool {
    message.options.as_ref().and_then(|o| o.map_entry) == Some(true)
}

/// protoc's `ToCamelCase(name, false)`.
fn upper_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl<'a> Checker<'a> {
    pub(super) fn validate_field(
        &mut self,
        visit: &Visit<'a>,
        field: &'a FieldDescriptorProto,
        parent: Option<&'a DescriptorProto>,
        extension: bool,
    ) {
        let path = &visit.path;
        let features = visit.features;
        let declared = field.r#type.and_then(|t| Type::try_from(t).ok());
        let message = match declared {
            Some(Type::Message | Type::Group) => self.message(field.type_name()),
            _ => None,
        };
        // Editions fields with DELIMITED encoding are groups (protoc's PostProcessFieldFeatures).
        let in_map_entry = !extension && parent.is_some_and(is_map_entry);
        let ty = match (declared, &message) {
            (Some(Type::Message), Some((_, m, _)))
                if !in_map_entry
                    && features.message_encoding == value::DELIMITED
                    && !is_map_entry(m) =>
            {
                Some(Type::Group)
            }
            (Some(Type::Message), None)
                if !in_map_entry && features.message_encoding == value::DELIMITED =>
            {
                Some(Type::Group)
            }
            _ => declared,
        };
        let extendee = if extension {
            field.extendee().trim_start_matches('.')
        } else {
            ""
        };
        let containing = if extension {
            self.message(extendee).map(|(file, m, _)| (file, m))
        } else {
            parent.map(|m| (self.file, m))
        };
        let facts = FieldFacts {
            ty,
            repeated: field.label == Some(Label::Repeated as i32),
            required: features.field_presence == value::LEGACY_REQUIRED,
            message,
            extendee,
            containing,
        };
        let options = field.options.as_ref();
        if let Some(support) = options.and_then(|o| o.feature_support.as_deref())
            && let Err(message) = self.validate_field_feature_support(field, support, visit)
        {
            self.error(path, ErrorKind::OptionName, message);
        }
        self.validate_field_features(field, extension, features, &facts, path);
        if self.edition >= edition::E2024 && options.and_then(|o| o.ctype).is_some() {
            self.error(
                path,
                ErrorKind::Type,
                "ctype option is not allowed under edition 2024 and beyond. Use the feature string_type = VIEW|CORD|STRING|... instead.".into(),
            );
        }
        let lazy = options.and_then(|o| o.lazy) == Some(true);
        let unverified_lazy = options.and_then(|o| o.unverified_lazy) == Some(true);
        if lazy || unverified_lazy {
            if facts.ty != Some(Type::Message) {
                self.error(
                    path,
                    ErrorKind::Type,
                    "[lazy = true] can only be specified for submessage fields.".into(),
                );
            }
            if unverified_lazy && extension {
                self.error(
                    path,
                    ErrorKind::Type,
                    "Extensions cannot be marked as unverified_lazy.".into(),
                );
            }
        }
        if options.and_then(|o| o.packed) == Some(true)
            && !(facts.repeated && is_packable(facts.ty))
        {
            self.error(
                path,
                ErrorKind::Type,
                "[packed = true] can only be specified for repeated primitive fields.".into(),
            );
        }
        self.validate_message_set_member(extension, &facts, path);
        if extension
            && self.is_lite(self.file)
            && let Some((file, _)) = facts.containing
            && !self.is_lite(file)
        {
            self.error(
                path,
                ErrorKind::Extendee,
                "Extensions to non-lite types can only be declared in non-lite files.  Note that you cannot extend a non-lite type to contain a lite type, but the reverse is allowed.".into(),
            );
        }
        if facts.ty == Some(Type::Group)
            && let Some((_, m, _)) = facts.message
            && is_map_entry(m)
        {
            self.error(
                path,
                ErrorKind::Type,
                "Groups cannot be map entries. Use a regular message field with map<KeyType, ValueType> syntax instead.".into(),
            );
        }
        if facts.ty == Some(Type::Message)
            && let Some((_, entry, entry_path)) = facts.message
            && is_map_entry(entry)
        {
            self.validate_map_field(field, &facts, entry, entry_path, path);
        }
        self.validate_jstype(field, facts.ty, path);
        if extension
            && let Some(custom) = &field.json_name
            && *custom != json_name(field.name())
        {
            self.error(
                path,
                ErrorKind::OptionName,
                "option json_name is not allowed on extension fields.".into(),
            );
        }
        if field
            .json_name
            .as_ref()
            .is_some_and(|n| n.as_bytes().contains(&0))
        {
            self.error(
                path,
                ErrorKind::OptionName,
                "json_name cannot have embedded null characters.".into(),
            );
        }
        if extension {
            let full_name = visit.full_name(self.proto);
            self.validate_declared_extension(field, &full_name, &facts, path);
        }
    }

    /// protoc's `ValidateFieldFeatureSupport`: a feature's `feature_support`, and its enum
    /// values' supports within it.
    fn validate_field_feature_support(
        &self,
        field: &FieldDescriptorProto,
        parent: &FeatureSupport,
        visit: &Visit<'a>,
    ) -> Result<(), String> {
        let field_name = visit.full_name(self.proto);
        validate_feature_support(parent, &field_name)?;
        if field.r#type != Some(Type::Enum as i32) {
            return Ok(());
        }
        let Some((_, enum_, _)) = self.enum_(field.type_name()) else {
            return Ok(());
        };
        let scope = field
            .type_name()
            .trim_start_matches('.')
            .rsplit_once('.')
            .map_or("", |(scope, _)| scope);
        for value in &enum_.value {
            let Some(own) = value
                .options
                .as_ref()
                .and_then(|o| o.feature_support.as_deref())
            else {
                continue;
            };
            let value_name = super::join(scope, value.name());
            let support = FeatureSupport {
                edition_introduced: own.edition_introduced.or(parent.edition_introduced),
                edition_deprecated: own.edition_deprecated.or(parent.edition_deprecated),
                deprecation_warning: own
                    .deprecation_warning
                    .clone()
                    .or_else(|| parent.deprecation_warning.clone()),
                edition_removed: own.edition_removed.or(parent.edition_removed),
                removal_error: own
                    .removal_error
                    .clone()
                    .or_else(|| parent.removal_error.clone()),
                ..Default::default()
            };
            validate_feature_support(&support, &value_name)?;
            if support.edition_introduced.unwrap_or(0) < parent.edition_introduced.unwrap_or(0) {
                return Err(format!(
                    "value {value_name} was introduced before {field_name} was."
                ));
            }
            if let Some(removed) = parent.edition_removed
                && support.edition_removed.unwrap_or(0) > removed
            {
                return Err(format!(
                    "value {value_name} was removed after {field_name} was."
                ));
            }
            if let Some(deprecated) = parent.edition_deprecated
                && support.edition_deprecated.unwrap_or(0) > deprecated
            {
                return Err(format!(
                    "value {value_name} was deprecated after {field_name} was."
                ));
            }
        }
        Ok(())
    }

    /// protoc's `ValidateFieldFeatures` (editions only).
    fn validate_field_features(
        &mut self,
        field: &FieldDescriptorProto,
        extension: bool,
        features: ResolvedFeatures,
        facts: &FieldFacts<'a>,
        path: &[i32],
    ) {
        if self.edition < edition::E2023 {
            return;
        }
        let error = |message: &str| (path.to_vec(), message.to_string());
        let mut errors = Vec::new();
        if field.label == Some(Label::Required as i32) {
            errors.push(error("Required label is not allowed under editions.  Use the feature field_presence = LEGACY_REQUIRED to control this behavior."));
        }
        if field.r#type == Some(Type::Group as i32) {
            errors.push(error("Group types are not allowed under editions.  Use the feature message_encoding = DELIMITED to control this behavior."));
        }
        let options = field.options.as_ref();
        if options.and_then(|o| o.packed).is_some() {
            errors.push(error("Field option packed is not allowed under editions.  Use the repeated_field_encoding feature to control this behavior."));
        }
        let is_message = matches!(facts.ty, Some(Type::Message | Type::Group));
        let has_presence = !facts.repeated
            && (is_message
                || extension
                || field.oneof_index.is_some()
                || features.field_presence != value::IMPLICIT);
        if !facts.repeated && !has_presence {
            if field.default_value.is_some() {
                errors.push(error("Implicit presence fields can't specify defaults."));
            }
            if facts.ty == Some(Type::Enum) && self.enum_is_closed(field.type_name()) {
                errors.push(error("Implicit presence enum fields must always be open."));
            }
        }
        if extension && facts.required {
            errors.push(error("Extensions can't be required."));
        }
        let in_map_entry = !extension && facts.containing.is_some_and(|(_, m)| is_map_entry(m));
        if !in_map_entry {
            let own = options.and_then(|o| o.features.as_deref());
            let own_presence = own.and_then(|f| f.field_presence);
            if let Some(presence) = own_presence {
                if field.oneof_index.is_some() {
                    errors.push(error("Oneof fields can't specify field presence."));
                } else if facts.repeated {
                    errors.push(error("Repeated fields can't specify field presence."));
                } else if extension && presence != value::LEGACY_REQUIRED {
                    errors.push(error("Extensions can't specify field presence."));
                } else if facts.message.is_some() && presence == value::IMPLICIT {
                    errors.push(error("Message fields can't specify implicit presence."));
                }
            }
            if !facts.repeated && own.and_then(|f| f.repeated_field_encoding).is_some() {
                errors.push(error(
                    "Only repeated fields can specify repeated field encoding.",
                ));
            }
            let string_map = facts.ty == Some(Type::Message)
                && facts.message.is_some_and(|(_, m, _)| {
                    is_map_entry(m)
                        && m.field
                            .iter()
                            .any(|f| f.r#type == Some(Type::String as i32))
                });
            if facts.ty != Some(Type::String)
                && !string_map
                && own.and_then(|f| f.utf8_validation).is_some()
            {
                errors.push(error("Only string fields can specify utf8 validation."));
            }
            if !(facts.repeated && is_packable(facts.ty))
                && own.and_then(|f| f.repeated_field_encoding) == Some(value::PACKED)
            {
                errors.push(error(
                    "Only repeated primitive fields can specify PACKED repeated field encoding.",
                ));
            }
            let map_message = facts.message.is_some_and(|(_, m, _)| is_map_entry(m));
            if (!is_message || map_message) && own.and_then(|f| f.message_encoding).is_some() {
                errors.push(error("Only message fields can specify message encoding."));
            }
        }
        for (path, message) in errors {
            self.error(&path, ErrorKind::Name, message);
        }
    }

    fn validate_message_set_member(
        &mut self,
        extension: bool,
        facts: &FieldFacts<'a>,
        path: &[i32],
    ) {
        let Some((_, containing)) = facts.containing else {
            return;
        };
        if containing
            .options
            .as_ref()
            .and_then(|o| o.message_set_wire_format)
            != Some(true)
        {
            return;
        }
        if !extension {
            self.error(
                path,
                ErrorKind::Name,
                "MessageSets cannot have fields, only extensions.".into(),
            );
        } else if facts.required || facts.repeated || facts.ty != Some(Type::Message) {
            self.error(
                path,
                ErrorKind::Type,
                "Extensions of MessageSets must be optional messages.".into(),
            );
        }
    }

    fn validate_map_field(
        &mut self,
        field: &FieldDescriptorProto,
        facts: &FieldFacts<'a>,
        entry: &'a DescriptorProto,
        entry_path: &[i32],
        path: &[i32],
    ) {
        let entry_name = self
            .message(field.type_name())
            .map(|(file, _, p)| {
                crate::scope::element_full_name(
                    self.file_proto(file),
                    p,
                    crate::lower::OptionsKind::Message,
                )
            })
            .unwrap_or_default();
        let entry_container = entry_name
            .rsplit_once('.')
            .map(|(c, _)| c.to_string())
            .unwrap_or_default();
        let containing_name = if facts.extendee.is_empty() {
            self.containing_name(path)
        } else {
            facts.extendee.to_string()
        };
        let same_container = entry_path.len() > 2 && entry_container == containing_name;
        if !facts.repeated
            || entry.name() != format!("{}Entry", upper_camel(field.name()))
            || !same_container
        {
            let mut message = format!(
                "{entry_name} is a synthetic MapEntry message type, which is not allowed to be used as a field type."
            );
            if entry_path.len() > 2 {
                // Guess what was meant: the same name looked up from the entry's container.
                if let Ok((alter, _)) =
                    self.pool
                        .lookup(entry.name(), &entry_container, self.file, true)
                    && alter != entry_name
                {
                    message.push_str(&format!(" Maybe you meant \".{alter}\"?"));
                }
            }
            self.error(path, ErrorKind::Type, message);
        }
        let entry_file = self.message(field.type_name()).map(|(file, _, _)| file);
        if !self.validate_map_entry(entry, entry_file.map(|file| (file, entry_path)), path) {
            self.error(
                path,
                ErrorKind::Type,
                "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead."
                    .into(),
            );
        }
    }

    /// protoc's `ValidateMapEntry`: `false` if the entry is not shaped like a map entry.
    /// `at` is the entry's file and path, to resolve its fields' features: a field whose
    /// presence resolves to `LEGACY_REQUIRED` is required, not optional (the features of a map
    /// field are copied to its entry).
    fn validate_map_entry(
        &mut self,
        entry: &DescriptorProto,
        at: Option<(usize, &[i32])>,
        path: &[i32],
    ) -> bool {
        if !entry.extension.is_empty()
            || !entry.extension_range.is_empty()
            || !entry.nested_type.is_empty()
            || !entry.enum_type.is_empty()
            || entry.field.len() != 2
        {
            return false;
        }
        let (key, value) = (&entry.field[0], &entry.field[1]);
        let legacy_required = |index: usize| {
            at.is_some_and(|(file, entry_path)| {
                let (proto, syntax) = (self.file_proto(file), self.file_syntax(file));
                crate::features::legacy_required(proto, syntax, entry_path, index)
            })
        };
        let optional = |f: &FieldDescriptorProto, index: usize| {
            f.label == Some(Label::Optional as i32) && !legacy_required(index)
        };
        if !optional(key, 0) || key.number() != 1 || key.name() != "key" {
            return false;
        }
        if !optional(value, 1) || value.number() != 2 || value.name() != "value" {
            return false;
        }
        match key.r#type.and_then(|t| Type::try_from(t).ok()) {
            Some(Type::Enum) => self.error(
                path,
                ErrorKind::Type,
                "Key in map fields cannot be enum types.".into(),
            ),
            Some(Type::Float | Type::Double | Type::Message | Type::Group | Type::Bytes) => self
                .error(
                    path,
                    ErrorKind::Type,
                    "Key in map fields cannot be float/double, bytes or message types.".into(),
                ),
            _ => {}
        }
        if value.r#type == Some(Type::Enum as i32)
            && let Some((_, enum_, _)) = self.enum_(value.type_name())
            && enum_.value.first().is_some_and(|v| v.number() != 0)
        {
            self.error(
                path,
                ErrorKind::Type,
                "Enum value in map must define 0 as the first value.".into(),
            );
        }
        true
    }

    fn validate_jstype(&mut self, field: &FieldDescriptorProto, ty: Option<Type>, path: &[i32]) {
        let jstype = field.options.as_ref().and_then(|o| o.jstype).unwrap_or(0);
        if jstype == 0 {
            return;
        }
        let is_64 = matches!(
            ty,
            Some(Type::Uint64 | Type::Int64 | Type::Sint64 | Type::Fixed64 | Type::Sfixed64)
        );
        if is_64 {
            if jstype != 1 && jstype != 2 {
                self.error(
                    path,
                    ErrorKind::Type,
                    format!("Illegal jstype for int64, uint64, sint64, fixed64 or sfixed64 field: {jstype}"),
                );
            }
            return;
        }
        self.error(
            path,
            ErrorKind::Type,
            "jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields.".into(),
        );
    }

    /// A declared extension must match its declaration.
    fn validate_declared_extension(
        &mut self,
        field: &FieldDescriptorProto,
        full_name: &str,
        facts: &FieldFacts<'a>,
        path: &[i32],
    ) {
        let extendee = facts.extendee;
        if is_options_message(extendee) {
            return;
        }
        let Some((file, message, _)) = self.message(extendee) else {
            return;
        };
        if self.file_proto(file).name() == "google/protobuf/descriptor.proto" {
            return;
        }
        let number = field.number();
        let Some(range) = message
            .extension_range
            .iter()
            .find(|r| r.start() <= number && number < r.end())
        else {
            return;
        };
        let Some(options) = range.options.as_ref() else {
            return;
        };
        if let Some(declaration) = options.declaration.iter().find(|d| d.number() == number) {
            if declaration.reserved == Some(true) {
                self.error(
                    path,
                    ErrorKind::Extendee,
                    format!(
                        "Cannot use number {number} for extension field {full_name}, as it is reserved in the extension declarations for message {extendee}."
                    ),
                );
                return;
            }
            // Declared names and types are bytes of the .proto file, quoted as they are.
            if let Some(declared) = declaration.r#type.as_ref().filter(|t| !t.is_empty())
                && !self.failed()
            {
                let actual = match (facts.ty, field.type_name.as_deref()) {
                    (Some(Type::Message | Type::Group | Type::Enum), Some(name)) => {
                        name.to_string()
                    }
                    (ty, _) => type_name(ty).to_string(),
                };
                let declared = declared.as_bytes();
                let scalar =
                    std::str::from_utf8(declared).is_ok_and(super::elements::is_scalar_type_name);
                let expected = if scalar || declared.starts_with(b".") {
                    declared.to_vec()
                } else {
                    [b".", declared].concat()
                };
                if expected != actual.as_bytes() {
                    let message = [
                        format!(
                            "\"{extendee}\" extension field {number} is expected to be type \""
                        )
                        .as_bytes(),
                        &expected,
                        format!("\", not \"{actual}\".").as_bytes(),
                    ]
                    .concat();
                    self.error_bytes(path, ErrorKind::Extendee, message);
                }
            }
            if let Some(declared) = declaration.full_name.as_ref().filter(|n| !n.is_empty()) {
                let actual = format!(".{full_name}");
                if declared.as_bytes() != actual.as_bytes() {
                    let message = [
                        format!(
                            "\"{extendee}\" extension field {number} is expected to have field name \""
                        )
                        .as_bytes(),
                        declared.as_bytes(),
                        format!("\", not \"{actual}\".").as_bytes(),
                    ]
                    .concat();
                    self.error_bytes(path, ErrorKind::Extendee, message);
                }
            }
            let repeated = declaration.repeated == Some(true);
            if repeated != facts.repeated {
                self.error(
                    path,
                    ErrorKind::Extendee,
                    format!(
                        "\"{extendee}\" extension field {number} is expected to be {}.",
                        if repeated { "repeated" } else { "optional" }
                    ),
                );
            }
            return;
        }
        if !options.declaration.is_empty() || options.verification == Some(0) {
            self.error(
                path,
                ErrorKind::Extendee,
                format!(
                    "Missing extension declaration for field {full_name} with number {number} in extendee message {extendee}. An extension range must declare for all extension fields if its verification state is DECLARATION or there's any declaration in the range already. Otherwise, consider splitting up the range."
                ),
            );
        }
    }
}

/// protoc's `FieldDescriptor::type_name()`.
fn type_name(ty: Option<Type>) -> &'static str {
    match ty {
        None => "ERROR",
        Some(Type::Double) => "double",
        Some(Type::Float) => "float",
        Some(Type::Int64) => "int64",
        Some(Type::Uint64) => "uint64",
        Some(Type::Int32) => "int32",
        Some(Type::Fixed64) => "fixed64",
        Some(Type::Fixed32) => "fixed32",
        Some(Type::Bool) => "bool",
        Some(Type::String) => "string",
        Some(Type::Group) => "group",
        Some(Type::Message) => "message",
        Some(Type::Bytes) => "bytes",
        Some(Type::Uint32) => "uint32",
        Some(Type::Enum) => "enum",
        Some(Type::Sfixed32) => "sfixed32",
        Some(Type::Sfixed64) => "sfixed64",
        Some(Type::Sint32) => "sint32",
        Some(Type::Sint64) => "sint64",
    }
}
