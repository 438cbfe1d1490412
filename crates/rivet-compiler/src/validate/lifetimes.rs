//! Feature and option lifetimes (protoc's `ValidateFeatureLifetimes`): every feature or option
//! set on an element whose definition says it was introduced after, or removed in or before,
//! the file's edition is an error, and one deprecated by then is a warning. Also the
//! consistency of `feature_support` declarations themselves, and the target types options may
//! be set on (protoc's command-line `ValidateTargetConstraints`).

use std::cell::Cell;
use std::sync::OnceLock;

use prost::Message as _;
use rivet_descriptor::field_options::OptionTargetType;
use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    field_descriptor_proto::{Label, Type},
    field_options::FeatureSupport,
};

use crate::link::{Level, LinkError};
use crate::lower::ErrorKind;
use crate::pool::{Pool, SymbolKind};

use super::visit::{Element, Visit};
use super::wire::decode;
use super::{Checker, join};

/// protoc's short name of an edition (`2023`, `PROTO2`, ...).
pub(crate) fn edition_name(edition: i32) -> &'static str {
    match edition {
        0 => "UNKNOWN",
        900 => "LEGACY",
        998 => "PROTO2",
        999 => "PROTO3",
        1000 => "2023",
        1001 => "2024",
        1002 => "2026",
        9999 => "UNSTABLE",
        1 => "1_TEST_ONLY",
        2 => "2_TEST_ONLY",
        99997 => "99997_TEST_ONLY",
        99998 => "99998_TEST_ONLY",
        99999 => "99999_TEST_ONLY",
        0x7FFF_FFFF => "MAX",
        _ => "",
    }
}

/// protoc's `FeatureResolver::ValidateFeatureSupport`.
pub(crate) fn validate_feature_support(
    support: &FeatureSupport,
    full_name: &str,
) -> Result<(), String> {
    let introduced = support.edition_introduced.unwrap_or(0);
    let deprecated = support.edition_deprecated;
    let removed = support.edition_removed;
    if let Some(deprecated) = deprecated {
        if deprecated < introduced {
            return Err(format!(
                "{full_name} was deprecated before it was introduced."
            ));
        }
        if support.deprecation_warning.is_none() {
            return Err(format!(
                "{full_name} is deprecated but does not specify a deprecation warning."
            ));
        }
    }
    if deprecated.is_none() && support.deprecation_warning.is_some() {
        return Err(format!(
            "{full_name} specifies a deprecation warning but is not marked deprecated in any edition."
        ));
    }
    if let Some(removed) = removed {
        if deprecated.unwrap_or(0) >= removed {
            return Err(format!("{full_name} was deprecated after it was removed."));
        }
        if removed < introduced {
            return Err(format!("{full_name} was removed before it was introduced."));
        }
        if introduced != removed && support.removal_error.is_none() {
            return Err(format!(
                "{full_name} has been removed but does not specify a removal error."
            ));
        }
    } else if support.removal_error.is_some() {
        return Err(format!(
            "{full_name} specifies a removal error but is not marked removed in any edition."
        ));
    }
    Ok(())
}

thread_local! {
    /// Set while the fallback descriptor.proto is being compiled (it needs no schema).
    static COMPILING_FALLBACK: Cell<bool> = const { Cell::new(false) };
}

/// descriptor.proto with its options interpreted, for when no file of the compilation loaded
/// it: the definitions of the standard options and features, with their `feature_support`
/// and `targets`.
fn fallback_descriptor() -> Option<&'static FileDescriptorProto> {
    static FALLBACK: OnceLock<Option<FileDescriptorProto>> = OnceLock::new();
    if COMPILING_FALLBACK.with(Cell::get) {
        return None;
    }
    FALLBACK
        .get_or_init(|| {
            COMPILING_FALLBACK.with(|flag| flag.set(true));
            let mut compiler = crate::Compiler::new();
            compiler.retain_options(true);
            let result = compiler.compile(&["google/protobuf/descriptor.proto"]);
            COMPILING_FALLBACK.with(|flag| flag.set(false));
            result.ok().and_then(|mut c| c.files.pop())
        })
        .as_ref()
}

/// A message of `file` by full name.
fn find_message<'f>(file: &'f FileDescriptorProto, full_name: &str) -> Option<&'f DescriptorProto> {
    let rest = full_name.strip_prefix(file.package())?.strip_prefix('.')?;
    let mut parts = rest.split('.');
    let first = parts.next()?;
    let mut message = file.message_type.iter().find(|m| m.name() == first)?;
    for part in parts {
        message = message.nested_type.iter().find(|m| m.name() == part)?;
    }
    Some(message)
}

/// An enum of `file` by full name.
fn find_enum<'f>(
    file: &'f FileDescriptorProto,
    full_name: &str,
) -> Option<&'f EnumDescriptorProto> {
    let (parent, name) = full_name.rsplit_once('.')?;
    if parent == file.package() {
        return file.enum_type.iter().find(|e| e.name() == name);
    }
    find_message(file, parent)?
        .enum_type
        .iter()
        .find(|e| e.name() == name)
}

/// A field of an options (or features) message, as the schema defines it.
#[derive(Clone, Debug)]
pub(crate) struct SchemaField<'s> {
    pub field: &'s FieldDescriptorProto,
    /// The extension's full name (`None`: a field of the message).
    extension: Option<std::borrow::Cow<'s, str>>,
    /// A singular field without presence: protoc's reflection does not list it when it holds
    /// its zero value, so such a value is not checked.
    implicit_presence: bool,
}

impl SchemaField<'_> {
    /// protoc's full name of the field, a field of `message` or an extension.
    pub(super) fn full_name(&self, message: &str) -> String {
        match &self.extension {
            Some(name) => name.to_string(),
            None => join(message, self.field.name()),
        }
    }
}

/// Memoized schema lookups of one [`Checker`].
#[derive(Default)]
pub(crate) struct SchemaCaches<'a> {
    /// Fields by (message, number).
    fields: crate::hash::FastMap<(&'a str, i32), Option<SchemaField<'a>>>,
    /// Whether a message can hold a field with `feature_support` or `targets`.
    relevant: crate::hash::FastMap<&'a str, bool>,
}

/// Lifetime findings of one options or features message.
#[derive(Default)]
struct Findings {
    /// Messages as bytes: a deprecation warning or removal error is quoted as written.
    errors: Vec<Vec<u8>>,
    warnings: Vec<Vec<u8>>,
}

impl<'a> Checker<'a> {
    fn schema_message(&self, full_name: &str) -> Option<&'a DescriptorProto> {
        if let Some(symbol) = self.pool.symbols.get(full_name)
            && symbol.kind == SymbolKind::Message
        {
            return Pool::message_at(self.file_proto(symbol.file), symbol.path);
        }
        if full_name.starts_with("google.protobuf.") {
            return find_message(fallback_descriptor()?, full_name);
        }
        None
    }

    fn schema_enum(&self, full_name: &str) -> Option<&'a EnumDescriptorProto> {
        let full_name = full_name.trim_start_matches('.');
        if let Some(symbol) = self.pool.symbols.get(full_name)
            && symbol.kind == SymbolKind::Enum
        {
            return Pool::enum_at(self.file_proto(symbol.file), symbol.path);
        }
        if full_name.starts_with("google.protobuf.") {
            return find_enum(fallback_descriptor()?, full_name);
        }
        None
    }

    /// Field `number` of the message `message` (full name), or an extension of it.
    pub(super) fn schema_field(&self, message: &'a str, number: i32) -> Option<SchemaField<'a>> {
        if let Some(cached) = self.schema_cache.borrow().fields.get(&(message, number)) {
            return cached.clone();
        }
        let found = self.find_schema_field(message, number);
        self.schema_cache
            .borrow_mut()
            .fields
            .insert((message, number), found.clone());
        found
    }

    /// Whether values of the message `message` can set a field whose definition has
    /// `feature_support` or `targets` (so walking them can find anything).
    pub(super) fn is_relevant(&self, message: &'a str) -> bool {
        if let Some(&cached) = self.schema_cache.borrow().relevant.get(message) {
            return cached;
        }
        // Assume not while deciding, which ends recursion through cyclic types.
        self.schema_cache
            .borrow_mut()
            .relevant
            .insert(message, false);
        let relevant = self.schema_message(message).is_some_and(|schema| {
            !schema.extension_range.is_empty()
                || schema.field.iter().any(|field| {
                    let options = field.options.as_ref();
                    let ty = field.r#type.and_then(|t| Type::try_from(t).ok());
                    options.is_some_and(|o| o.feature_support.is_some() || !o.targets.is_empty())
                        || (matches!(ty, Some(Type::Message | Type::Group))
                            && self.is_relevant(field.type_name().trim_start_matches('.')))
                        || (ty == Some(Type::Enum)
                            && self.schema_enum(field.type_name()).is_some_and(|e| {
                                e.value.iter().any(|v| {
                                    v.options
                                        .as_ref()
                                        .is_some_and(|o| o.feature_support.is_some())
                                })
                            }))
                })
        });
        self.schema_cache
            .borrow_mut()
            .relevant
            .insert(message, relevant);
        relevant
    }

    fn find_schema_field(&self, message: &str, number: i32) -> Option<SchemaField<'a>> {
        if let Some(schema) = self.schema_message(message)
            && let Some(field) = schema.field.iter().find(|f| f.number() == number)
        {
            // (descriptor.proto's own messages, the fallback, are proto2: explicit presence.)
            let implicit_presence = self
                .pool
                .symbols
                .get(message)
                .filter(|symbol| symbol.kind == SymbolKind::Message)
                .is_some_and(|symbol| {
                    let site = crate::schema::Site {
                        syntax: self.pool.files[symbol.file].syntax,
                        file: Some(self.file_proto(symbol.file)),
                        scope_path: symbol.path,
                    };
                    crate::schema::field_schema(field, site).implicit_presence
                });
            return Some(SchemaField {
                field,
                extension: None,
                implicit_presence,
            });
        }
        let known = self
            .pool
            .extensions
            .get(message)
            .and_then(|m| m.get(&number));
        if let Some((full_name, _)) = known
            && let Some(symbol) = self.pool.symbols.get(full_name)
        {
            let field = Pool::field_at(self.file_proto(symbol.file), symbol.path)?;
            return Some(SchemaField {
                field,
                extension: Some(full_name.as_str().into()),
                implicit_presence: false,
            });
        }
        // An extension of this file (not in the pool's table until the file is built).
        let dotted = format!(".{message}");
        let mut found = None;
        visit_extensions(self.proto, &mut |scope, field| {
            if found.is_none() && field.extendee() == dotted && field.number() == number {
                found = Some(SchemaField {
                    field,
                    extension: Some(join(scope, field.name()).into()),
                    implicit_presence: false,
                });
            }
        });
        found
    }

    /// Walks the fields set in `bytes`, a `message` (full name), recursively: their lifetimes
    /// and, with `targets`, the target types they allow.
    fn walk_options(&self, message: &'a str, bytes: &[u8], walk: &mut Walk) {
        if walk.depth > 32 {
            return;
        }
        let mut fields = decode(bytes);
        fields.sort_by_key(|f| f.0);
        let mut i = 0;
        while i < fields.len() {
            let number = fields[i].0;
            let mut end = i;
            while end < fields.len() && fields[end].0 == number {
                end += 1;
            }
            let occurrences = &fields[i..end];
            i = end;
            let Some(schema) = self.schema_field(message, number) else {
                continue;
            };
            let field = schema.field;
            // A field without presence holding its zero value is not set, for protoc.
            if schema.implicit_presence
                && occurrences
                    .last()
                    .is_some_and(|&(_, wire, value, payload)| {
                        value == 0
                            && payload.iter().all(|&b| b == 0)
                            && (wire != 2 || payload.is_empty())
                    })
            {
                continue;
            }
            let options = field.options.as_ref();
            if let Some((target, errors)) = walk.targets.as_mut()
                && options.is_some_and(|o| {
                    !o.targets.is_empty() && !o.targets.contains(&(*target as i32))
                })
            {
                errors.push(format!(
                    "Option {} cannot be set on an entity of type `{}`.",
                    schema.full_name(message),
                    super::cli::target_name(*target)
                ));
            }
            let repeated = field.label == Some(Label::Repeated as i32);
            let ty = field.r#type.and_then(|t| Type::try_from(t).ok());
            let type_name = field.type_name().trim_start_matches('.');
            if matches!(ty, Some(Type::Message | Type::Group)) && self.is_relevant(type_name) {
                // The features set on an element are reported before its other options.
                let features = walk.depth == 0 && field.name() == "features";
                // protoc checks targets through message fields only.
                let saved_targets = if ty == Some(Type::Group) {
                    walk.targets.take()
                } else {
                    None
                };
                walk.depth += 1;
                walk.in_features |= features;
                if repeated {
                    for (_, _, _, payload) in occurrences {
                        self.walk_options(type_name, payload, walk);
                    }
                } else {
                    let merged: Vec<u8> = occurrences
                        .iter()
                        .flat_map(|o| o.3.iter().copied())
                        .collect();
                    self.walk_options(type_name, &merged, walk);
                }
                walk.depth -= 1;
                if features {
                    walk.in_features = false;
                }
                if saved_targets.is_some() {
                    walk.targets = saved_targets;
                }
            }
            if ty == Some(Type::Enum)
                && let Some(enum_) = self.schema_enum(field.type_name())
                && enum_.value.iter().any(|v| {
                    v.options
                        .as_ref()
                        .is_some_and(|o| o.feature_support.is_some())
                })
            {
                let mut values = Vec::new();
                for &(_, wire, value, payload) in occurrences {
                    if wire == 0 {
                        values.push(value as i32);
                    } else if wire == 2 {
                        values.extend(decode_packed(payload));
                    }
                }
                if !repeated {
                    values = values.last().copied().into_iter().collect();
                }
                let scope = field
                    .type_name()
                    .trim_start_matches('.')
                    .rsplit_once('.')
                    .map_or("", |(s, _)| s);
                for value in values {
                    if let Some(v) = enum_.value.iter().find(|v| v.number() == value) {
                        let support = v
                            .options
                            .as_ref()
                            .and_then(|o| o.feature_support.as_deref());
                        self.check_lifetime(|| join(scope, v.name()), support, walk.findings());
                    }
                }
            }
            let support = options.and_then(|o| o.feature_support.as_deref());
            self.check_lifetime(|| schema.full_name(message), support, walk.findings());
        }
    }

    fn check_lifetime(
        &self,
        full_name: impl FnOnce() -> String,
        support: Option<&FeatureSupport>,
        out: &mut Findings,
    ) {
        let Some(support) = support else { return };
        let full_name = full_name();
        let edition = self.edition;
        if let Some(introduced) = support.edition_introduced
            && edition < introduced
        {
            out.errors.push(format!(
                "{full_name} wasn't introduced until edition {} and can't be used in edition {}",
                edition_name(introduced),
                edition_name(edition)
            )
            .into_bytes());
        }
        if let Some(removed) = support.edition_removed
            && edition >= removed
        {
            // The removal error and deprecation warning are printed as written, UTF-8 or not.
            let mut message = format!(
                "{full_name} has been removed in edition {}",
                edition_name(removed)
            )
            .into_bytes();
            if let Some(detail) = &support.removal_error {
                message.extend_from_slice(b": ");
                message.extend_from_slice(detail.as_bytes());
            }
            out.errors.push(message);
        } else if let Some(deprecated) = support.edition_deprecated
            && edition >= deprecated
        {
            let mut message = format!(
                "{full_name} has been deprecated in edition {}: ",
                edition_name(deprecated)
            )
            .into_bytes();
            message.extend_from_slice(support.deprecation_warning_bytes());
            out.warnings.push(message);
        }
    }

    /// Feature and option lifetimes of every element, in visiting order; for a requested
    /// file, also the target types of its options (reported once all requested files are
    /// built, as protoc's command line does).
    pub(super) fn check_options(&mut self, visits: &[Visit<'a>], is_input: bool) -> Vec<String> {
        let mut target_errors = Vec::new();
        for visit in visits {
            let Some((message, bytes)) = options_with_features(visit.element, self.proto) else {
                continue;
            };
            let mut walk = Walk {
                depth: 0,
                in_features: false,
                features: Findings::default(),
                options: Findings::default(),
                targets: is_input.then(|| (super::cli::target_type(visit.element), Vec::new())),
            };
            self.walk_options(message, &bytes, &mut walk);
            let Walk {
                features,
                options,
                targets,
                ..
            } = walk;
            target_errors.extend(targets.map(|(_, errors)| errors).unwrap_or_default());
            for message in features.errors.into_iter().chain(options.errors) {
                self.out.push(LinkError {
                    path: visit.path.to_vec(),
                    kind: ErrorKind::Name,
                    message,
                    level: Level::Deferred,
                });
            }
            if is_input {
                for message in features.warnings.into_iter().chain(options.warnings) {
                    self.out.push(LinkError {
                        path: visit.path.to_vec(),
                        kind: ErrorKind::Name,
                        message,
                        level: Level::DeferredWarning,
                    });
                }
            }
        }
        target_errors
    }
}

/// The state of a walk over one element's options.
struct Walk {
    depth: usize,
    /// Inside the element's `features`.
    in_features: bool,
    features: Findings,
    options: Findings,
    /// The element's target type and the target errors found (requested files only).
    targets: Option<(OptionTargetType, Vec<String>)>,
}

impl Walk {
    fn findings(&mut self) -> &mut Findings {
        if self.in_features {
            &mut self.features
        } else {
            &mut self.options
        }
    }
}

fn decode_packed(mut payload: &[u8]) -> Vec<i32> {
    let mut out = Vec::new();
    while let Some(value) = crate::wire::read_varint(&mut payload) {
        out.push(value as i32);
    }
    out
}

/// The options message name of an element and its options encoded with features.
pub(super) fn options_with_features(
    element: Element<'_>,
    file: &FileDescriptorProto,
) -> Option<(&'static str, Vec<u8>)> {
    macro_rules! encode {
        ($options:expr, $name:literal) => {{
            let options = $options.as_ref()?;
            Some(($name, options.encode_to_vec()))
        }};
    }
    match element {
        Element::File => encode!(file.options, "google.protobuf.FileOptions"),
        Element::Message(m) => encode!(m.options, "google.protobuf.MessageOptions"),
        Element::Enum(e) => encode!(e.options, "google.protobuf.EnumOptions"),
        Element::EnumValue(v) => encode!(v.options, "google.protobuf.EnumValueOptions"),
        Element::Oneof(o) => encode!(o.options, "google.protobuf.OneofOptions"),
        Element::Field { field, .. } => encode!(field.options, "google.protobuf.FieldOptions"),
        Element::ExtensionRange(r) => {
            encode!(r.options, "google.protobuf.ExtensionRangeOptions")
        }
        Element::Service(s) => encode!(s.options, "google.protobuf.ServiceOptions"),
        Element::Method(m) => encode!(m.options, "google.protobuf.MethodOptions"),
    }
}

/// Calls `f` with every extension of `file` and the full name of its scope.
fn visit_extensions<'f>(
    file: &'f FileDescriptorProto,
    f: &mut impl FnMut(&str, &'f FieldDescriptorProto),
) {
    fn visit_message<'f>(
        message: &'f DescriptorProto,
        scope: &str,
        f: &mut impl FnMut(&str, &'f FieldDescriptorProto),
    ) {
        let full_name = join(scope, message.name());
        for extension in &message.extension {
            f(&full_name, extension);
        }
        for nested in &message.nested_type {
            visit_message(nested, &full_name, f);
        }
    }
    for extension in &file.extension {
        f(file.package(), extension);
    }
    for m in &file.message_type {
        visit_message(m, file.package(), f);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fallback_has_feature_support() {
        let file = super::fallback_descriptor().expect("descriptor.proto compiles");
        let set = super::find_message(file, "google.protobuf.FeatureSet").unwrap();
        let field = set
            .field
            .iter()
            .find(|f| f.name() == "enforce_naming_style")
            .unwrap();
        let support = field
            .options
            .as_ref()
            .and_then(|o| o.feature_support.as_deref());
        assert_eq!(support.and_then(|s| s.edition_introduced), Some(1001));
    }
}
