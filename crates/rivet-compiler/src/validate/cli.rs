//! The checks protoc's command line makes once every requested file is built
//! (`CommandLineInterface::ParseInputFiles` and what follows it): option imports of files
//! whose custom options can mark fields `debug_redact`, generic services warnings, field
//! numbers reserved for the implementation, and the target types of options; and the
//! restrictions of `--disallow_services`, `--direct_dependencies` and `--option_dependencies`,
//! which protoc checks on each requested file as soon as it is built. protoc reports all of
//! them without a position.

use rivet_descriptor::field_descriptor_proto::Type;
use rivet_descriptor::field_options::OptionTargetType;

use rivet_descriptor::{FileDescriptorProto, ProtoString};

use crate::file_names;
use crate::hash::{FastMap, FastSet};
use crate::pool::{Pool, SymbolKind};

use super::visit::{Element, each_element};

/// protoc's command-line restrictions on the requested files (`--disallow_services`,
/// `--direct_dependencies`, `--option_dependencies`), which `ParseInputFiles` checks on each
/// requested file as soon as it is built.
#[derive(Clone, Debug, Default)]
pub(crate) struct InputRestrictions {
    pub(crate) disallow_services: bool,
    pub(crate) imports: Option<AllowedImports>,
    pub(crate) option_imports: Option<AllowedImports>,
}

/// The files that a requested file may import, and the message for any other, in the form
/// of `file_names` (which escapes no ASCII byte, so `%s` is found as it is).
#[derive(Clone, Debug)]
pub(crate) struct AllowedImports {
    names: FastSet<String>,
    /// Each `%s` stands for the imported file's name.
    violation_message: String,
}

impl AllowedImports {
    pub(crate) fn new(
        names: impl IntoIterator<Item = impl AsRef<str>>,
        violation_message: impl AsRef<str>,
    ) -> Self {
        AllowedImports {
            names: names.into_iter().map(|name| name.as_ref().into()).collect(),
            violation_message: violation_message.as_ref().into(),
        }
    }

    /// The message (as bytes) for each import in `imports` that is not allowed, in order.
    fn violations(&self, imports: &[ProtoString]) -> Vec<Vec<u8>> {
        imports
            .iter()
            .map(|name| file_names::from_bytes(name.as_bytes()))
            .filter(|name| !self.names.contains(name.as_ref()))
            .map(|name| file_names::message(self.violation_message.replace("%s", &name)))
            .collect()
    }
}

impl InputRestrictions {
    /// The messages for a requested file that breaks a restriction, checked in protoc's
    /// order: services, then imports, then option imports. Only the first restriction that
    /// is broken is reported (protoc stops there), with every import that breaks it.
    pub(crate) fn violations(&self, proto: &FileDescriptorProto) -> Vec<Vec<u8>> {
        if self.disallow_services && !proto.service.is_empty() {
            return vec![
                b"This file contains services, but --disallow_services was used.".to_vec(),
            ];
        }
        for (allowed, imports) in [
            (&self.imports, &proto.dependency),
            (&self.option_imports, &proto.option_dependency),
        ] {
            let violations = allowed
                .as_ref()
                .map(|allowed| allowed.violations(imports))
                .unwrap_or_default();
            if !violations.is_empty() {
                return violations;
            }
        }
        Vec::new()
    }
}

/// How serious a finding about a requested file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FindingLevel {
    /// The compilation fails.
    Error,
    /// A warning that `--fatal_warnings` does not count (protoc records it as a pool warning,
    /// not through the file error collector that remembers warnings).
    UncountedWarning,
}

/// A finding about a requested file: the file's pool index, the message and its level.
pub(crate) type InputFinding = (usize, String, FindingLevel);

/// protoc's checks on the requested files `inputs` (pool indexes, all built).
pub(crate) fn check_inputs(pool: &Pool, inputs: &[usize]) -> Vec<InputFinding> {
    let mut out = Vec::new();
    for &file in inputs {
        if let Some(message) = option_import_error(pool, file) {
            out.push((file, message, FindingLevel::Error));
        }
        let proto = &pool.files[file].proto;
        let options = proto.options.as_ref();
        if options.is_some_and(|o| {
            o.cc_generic_services() || o.java_generic_services() || o.py_generic_services()
        }) {
            out.push((
                file,
                "Generic services (cc_generic_services, java_generic_services, and py_generic_services) are deprecated in favor of using plugins that generate code specific to your particular RPC system. Additional code generator options may be required to enable generic services and total removal of these options is planned in future breaking releases.".to_string(),
                FindingLevel::UncountedWarning,
            ));
        }
        each_element(proto, &mut |element| {
            if let Element::Field { field, .. } = element
                && (19_000..=19_999).contains(&field.number())
            {
                out.push((
                    file,
                    "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.".to_string(),
                    FindingLevel::Error,
                ));
            }
        });
    }
    for file in inputs {
        if let Some(errors) = pool.target_errors.get(file) {
            out.extend(
                errors
                    .iter()
                    .map(|e| (*file, e.clone(), FindingLevel::Error)),
            );
        }
    }
    out
}

/// protoc's `EnforceProtocEditionsSupport`, once the requested files passed every other
/// check: the first requested file of an edition later than protoc supports (only UNSTABLE
/// gets this far), unless its path is one protoc exempts. `--experimental_editions`
/// (`experimental`) turns the check off. Returns the file's index and the message.
pub(crate) fn unsupported_edition(
    pool: &Pool,
    inputs: &[usize],
    experimental: bool,
) -> Option<(usize, String)> {
    if experimental {
        return None;
    }
    const EXEMPT_PREFIXES: &[&str] = &[
        "google/protobuf/",
        "upb/",
        "com/google/protobuf/",
        "conformance/test_protos/",
        "test_messages_edition_unstable",
    ];
    let maximum = crate::features::edition::E2026;
    inputs.iter().find_map(|&file| {
        let file_ref = &pool.files[file];
        let edition = crate::features::edition_of(file_ref.syntax);
        let exempt = EXEMPT_PREFIXES.iter().any(|p| file_ref.name.starts_with(p));
        (!exempt && edition > maximum).then(|| {
            let name = super::lifetimes::edition_name;
            (
                file,
                format!(
                    "is a file using edition {}, which is later than the protoc maximum supported edition {}.",
                    name(edition),
                    name(maximum)
                ),
            )
        })
    })
}

/// protoc's `ValidateOptionImports`: an `import option` may not bring custom options whose
/// type can carry an enum value marked `debug_redact` (such a value makes the field it is set
/// on redacted, which an option import would not make sure is linked in). Only the first such
/// import of the file is reported.
fn option_import_error(pool: &Pool, file: usize) -> Option<String> {
    for name in &pool.files[file].proto.option_dependency {
        let name = crate::file_names::of(name);
        let Some(&dep) = pool.by_name.get(name.as_ref()) else {
            continue;
        };
        if !pool.files[dep].ok {
            continue;
        }
        if let Some(option) = debug_redact_marker(pool, dep) {
            return Some(format!(
                "Option dependency {name} contains a custom option {option} marked debug_redact, which is used to mark fields that need to be redacted in debug string APIs. Switch to a regular import or remove the debug_redact annotation to avoid potentially leaking sensitive data."
            ));
        }
    }
    None
}

/// The full name of the last extension of pool file `file` (in `VisitDescriptors` order)
/// whose type can carry a `debug_redact` enum value.
fn debug_redact_marker(pool: &Pool, file: usize) -> Option<String> {
    let proto = &pool.files[file].proto;
    let mut visited: FastMap<String, bool> = FastMap::default();
    let mut marker = None;
    each_field_with_scope(proto, &mut |scope, field, extension| {
        if extension && field_redacts(pool, field, &mut visited) {
            marker = Some(super::join(scope, field.name()));
        }
    });
    marker
}

/// Calls `f` with every field and extension of `proto` in `VisitDescriptors` order, with the
/// full name of its scope.
fn each_field_with_scope<'a>(
    proto: &'a rivet_descriptor::FileDescriptorProto,
    f: &mut impl FnMut(&str, &'a rivet_descriptor::FieldDescriptorProto, bool),
) {
    fn visit_message<'a>(
        message: &'a rivet_descriptor::DescriptorProto,
        scope: &str,
        f: &mut impl FnMut(&str, &'a rivet_descriptor::FieldDescriptorProto, bool),
    ) {
        let full_name = super::join(scope, message.name());
        for field in &message.field {
            f(&full_name, field, false);
        }
        for nested in &message.nested_type {
            visit_message(nested, &full_name, f);
        }
        for extension in &message.extension {
            f(&full_name, extension, true);
        }
    }
    let package = proto.package();
    for m in &proto.message_type {
        visit_message(m, package, f);
    }
    for extension in &proto.extension {
        f(package, extension, true);
    }
}

/// protoc's `HasDebugRedactBehavior` for a field: its enum has a `debug_redact` value, or its
/// message has such a field, transitively. `visited` memoizes messages (a message being
/// looked at counts as not redacting, which ends cycles).
fn field_redacts(
    pool: &Pool,
    field: &rivet_descriptor::FieldDescriptorProto,
    visited: &mut FastMap<String, bool>,
) -> bool {
    let name = field.type_name().trim_start_matches('.');
    let Some(symbol) = pool.symbols.get(name) else {
        return false;
    };
    let proto = &pool.files[symbol.file].proto;
    match (field.r#type(), symbol.kind) {
        (Type::Enum, SymbolKind::Enum) => Pool::enum_at(proto, symbol.path).is_some_and(|e| {
            e.value
                .iter()
                .any(|v| v.options.as_ref().and_then(|o| o.debug_redact) == Some(true))
        }),
        (Type::Message | Type::Group, SymbolKind::Message) => {
            if let Some(&known) = visited.get(name) {
                return known;
            }
            visited.insert(name.to_string(), false);
            let Some(message) = Pool::message_at(proto, symbol.path) else {
                return false;
            };
            for field in &message.field {
                if field_redacts(pool, field, visited) {
                    visited.insert(name.to_string(), true);
                    return true;
                }
            }
            false
        }
        _ => false,
    }
}

pub(super) fn target_type(element: Element<'_>) -> OptionTargetType {
    match element {
        Element::File => OptionTargetType::TargetTypeFile,
        Element::Message(_) => OptionTargetType::TargetTypeMessage,
        Element::Field { .. } => OptionTargetType::TargetTypeField,
        Element::Oneof(_) => OptionTargetType::TargetTypeOneof,
        Element::ExtensionRange(_) => OptionTargetType::TargetTypeExtensionRange,
        Element::Enum(_) => OptionTargetType::TargetTypeEnum,
        Element::EnumValue(_) => OptionTargetType::TargetTypeEnumEntry,
        Element::Service(_) => OptionTargetType::TargetTypeService,
        Element::Method(_) => OptionTargetType::TargetTypeMethod,
    }
}

pub(super) fn target_name(target: OptionTargetType) -> &'static str {
    match target {
        OptionTargetType::TargetTypeFile => "file",
        OptionTargetType::TargetTypeExtensionRange => "extension range",
        OptionTargetType::TargetTypeMessage => "message",
        OptionTargetType::TargetTypeField => "field",
        OptionTargetType::TargetTypeOneof => "oneof",
        OptionTargetType::TargetTypeEnum => "enum",
        OptionTargetType::TargetTypeEnumEntry => "enum entry",
        OptionTargetType::TargetTypeService => "service",
        OptionTargetType::TargetTypeMethod => "method",
        OptionTargetType::TargetTypeUnknown => "unknown",
    }
}
