//! protoc's build phase (`DescriptorBuilder::BuildFile` up to cross-linking): every name is
//! validated and defined, and the checks that need only the element and its siblings are made
//! (field numbers, ranges, reservations, defaults), in protoc's order, which is the order of
//! its errors: a message's oneofs, fields, enums, extension ranges, extensions, reserved
//! ranges and nested messages, then the message itself and the checks across its members.

use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto, ProtoString,
    field_descriptor_proto::{Label, Type},
};

use crate::hash::{FastMap, FastSet};
use crate::link::Linker;
use crate::lower::{ErrorKind, tag};
use crate::pool::SymbolKind;

use super::visit::ElementPath;
use super::{MAX_FIELD_NUMBER, join};

/// protoc's field-number suggestions (`MessageHints`): requested by number errors in a message,
/// reported for top-level messages after cross-linking.
#[derive(Debug, Default)]
pub(crate) struct Hints {
    /// Per top-level message index: (fields to suggest, first reason's path and kind).
    by_message: FastMap<usize, (i32, Vec<i32>, ErrorKind)>,
}

impl Hints {
    fn request(&mut self, message: Option<usize>, reason: &[i32], range: (i32, i32)) {
        let Some(message) = message else { return };
        let fit = |value: i64| value.clamp(0, MAX_FIELD_NUMBER as i64);
        let entry = self
            .by_message
            .entry(message)
            .or_insert_with(|| (0, reason.to_vec(), ErrorKind::Number));
        let count = fit(fit(range.1 as i64) - fit(range.0 as i64));
        entry.0 = fit(entry.0 as i64 + count) as i32;
    }

    /// The "Suggested field numbers for ..." errors, in message order.
    pub(crate) fn suggestions(
        &self,
        proto: &FileDescriptorProto,
    ) -> Vec<(Vec<i32>, ErrorKind, String)> {
        let mut indexes: Vec<&usize> = self.by_message.keys().collect();
        indexes.sort();
        let package = proto.package();
        indexes
            .into_iter()
            .filter_map(|&index| {
                let (count, reason, kind) = &self.by_message[&index];
                let message = proto.message_type.get(index)?;
                let count = (*count).min(3);
                if count <= 0 {
                    return None;
                }
                let full_name = join(package, message.name());
                let numbers = suggest(message, count);
                let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
                Some((
                    reason.clone(),
                    kind.clone(),
                    format!(
                        "Suggested field numbers for {full_name}: {}",
                        list.join(", ")
                    ),
                ))
            })
            .collect()
    }
}

/// Up to `count` unused field numbers of `message`, lowest first.
fn suggest(message: &DescriptorProto, count: i32) -> Vec<i64> {
    let max = MAX_FIELD_NUMBER as i64;
    let mut used: Vec<(i64, i64)> = Vec::new();
    let add_ordinal = |used: &mut Vec<(i64, i64)>, ordinal: i64| {
        if ordinal <= 0 || ordinal > max {
            return;
        }
        match used.last_mut() {
            Some(last) if last.1 == ordinal => last.1 = ordinal + 1,
            _ => used.push((ordinal, ordinal + 1)),
        }
    };
    for field in message.field.iter().chain(&message.extension) {
        add_ordinal(&mut used, field.number() as i64);
    }
    let mut add_range = |from: i64, to: i64| {
        let from = from.clamp(0, max + 1);
        let to = to.clamp(0, max + 1);
        if from < to {
            used.push((from, to));
        }
    };
    for range in &message.reserved_range {
        add_range(range.start() as i64, range.end() as i64);
    }
    for range in &message.extension_range {
        add_range(range.start() as i64, range.end() as i64);
    }
    used.push((max, max + 1));
    // protoc's implementation-reserved range, with 19999 (wrongly) left out.
    used.push((19_000, 19_999));
    used.sort();
    let mut out = Vec::new();
    let mut current = 1i64;
    let mut left = count;
    for (from, to) in used {
        while current < from && left > 0 {
            out.push(current);
            current += 1;
            left -= 1;
        }
        if left == 0 {
            break;
        }
        current = current.max(to);
    }
    out
}

/// The deepest nesting of messages protoc builds (top-level messages are at depth 1). The
/// parser stops at the same depth, but groups and map entries are nested messages it does not
/// count.
pub(crate) const MAX_MESSAGE_DEPTH: usize = 32;

/// The longest name, full name or reserved name protoc stores (with a 16-bit length).
const MAX_NAME: usize = u16::MAX as usize;
/// The name and full name protoc gives an element whose names are too long.
const UNKNOWN: &str = "unknown";

/// The full name protoc gives an element named `name` in `scope`: `unknown` (at the root) when
/// it does not fit (the builder reports "Name too long."); linking then resolves names from
/// there, as protoc does.
pub(crate) fn built_full_name(scope: &str, name: &str) -> String {
    let full_name = join(scope, name);
    if full_name.len() <= MAX_NAME {
        full_name
    } else {
        UNKNOWN.to_string()
    }
}

/// [`built_full_name`] of a field (whose JSON and camel-case names must fit too).
pub(crate) fn built_field_name(field: &FieldDescriptorProto, scope: &str) -> String {
    if field_names_fit(field, scope) {
        join(scope, field.name())
    } else {
        UNKNOWN.to_string()
    }
}

/// Whether protoc can store a field's names: its name, full name, lower-case, camel-case and
/// JSON names, stored together with 16-bit lengths and offsets (names in protoc's style share
/// storage, which makes room for longer ones).
fn field_names_fit(field: &FieldDescriptorProto, scope: &str) -> bool {
    let name = field.name();
    let full = if scope.is_empty() {
        name.len()
    } else {
        scope.len() + 1 + name.len()
    };
    let underscores = name.bytes().filter(|&b| b == b'_').count();
    let camel = name.len() - underscores;
    let lower_first = name.bytes().next().is_none_or(|b| b.is_ascii_lowercase());
    let has_upper = name.bytes().any(|b| b.is_ascii_uppercase());
    let largest = match &field.json_name {
        None if lower_first && !has_upper && underscores == 0 => full.max(name.len() + 1),
        None if lower_first && !has_upper => full + camel + 2,
        // The JSON name, like the camel-case one, drops the underscores.
        json => {
            let json = json.as_ref().map_or(camel, ProtoString::len);
            full + 1 + (name.len() + 1) + (camel + 1) + (json + 1)
        }
    };
    largest <= MAX_NAME
}

/// The longest package name protoc builds.
const MAX_PACKAGE_NAME: usize = 511;
/// The most dots a package name may have.
const MAX_PACKAGE_DEPTH: usize = 100;

/// protoc's refusal of a file for its package, reported at the package statement; protoc then
/// stops building the file. With `imports_loaded` false, the check protoc makes before it loads
/// the file's imports (a name too long); with true, the one it makes once they are loaded and
/// before it looks at them (too many components).
pub(crate) fn package_error(proto: &FileDescriptorProto, imports_loaded: bool) -> Option<String> {
    let package = proto.package();
    if !imports_loaded {
        return (package.len() > MAX_PACKAGE_NAME).then(|| "Package name is too long".into());
    }
    let dots = package.bytes().filter(|&b| b == b'.').count();
    (dots > MAX_PACKAGE_DEPTH).then(|| "Exceeds Maximum Package Depth".into())
}

/// protoc's check that a file's edition is one its feature defaults cover (PROTO2 through
/// 2026, and UNSTABLE); the file is built all the same, and fails.
pub(crate) fn edition_error(syntax: crate::lower::Syntax) -> Option<String> {
    use crate::features::edition;
    const MAXIMUM: i32 = edition::E2026;
    const UNSTABLE: i32 = 9999;
    let file_edition = crate::features::edition_of(syntax);
    let name = super::lifetimes::edition_name;
    if file_edition < edition::PROTO2 {
        Some(format!(
            "Edition {} is earlier than the minimum supported edition {}",
            name(file_edition),
            name(edition::PROTO2)
        ))
    } else if file_edition > MAXIMUM && file_edition != UNSTABLE {
        Some(format!(
            "Edition {} is later than the maximum supported edition {}",
            name(file_edition),
            name(MAXIMUM)
        ))
    } else {
        None
    }
}

struct Builder<'l, 'p> {
    linker: &'l mut Linker<'p>,
    hints: Hints,
}

/// Validates and defines every name of `proto` and makes protoc's build-phase checks; returns
/// the field-number hints to report after cross-linking.
pub(crate) fn build_file(linker: &mut Linker<'_>, proto: &FileDescriptorProto) -> Hints {
    linker.pool.used_files.clear();
    let mut builder = Builder {
        linker,
        hints: Hints::default(),
    };
    let package = proto.package();
    if !package.is_empty() {
        builder.linker.add_package(package);
    }
    let mut path = Vec::with_capacity(16);
    for (i, message) in proto.message_type.iter().enumerate() {
        path.extend([tag::FILE_MESSAGE, i as i32]);
        builder.message(message, package, &mut path, Some(i));
        path.clear();
    }
    for (i, enum_) in proto.enum_type.iter().enumerate() {
        builder.enum_(enum_, package, &[tag::FILE_ENUM, i as i32]);
    }
    for (i, service) in proto.service.iter().enumerate() {
        let path = [tag::FILE_SERVICE, i as i32];
        let full_name = builder.entity_full_name(package, service.name(), &path);
        builder
            .linker
            .validate_name(service.name(), &full_name, &path);
        for (j, method) in service.method.iter().enumerate() {
            let method_path = [tag::FILE_SERVICE, i as i32, tag::SERVICE_METHOD, j as i32];
            let method_full = builder.entity_full_name(&full_name, method.name(), &method_path);
            builder
                .linker
                .validate_name(method.name(), &method_full, &method_path);
            builder
                .linker
                .add_symbol(&method_full, SymbolKind::Method, &method_path);
        }
        builder
            .linker
            .add_symbol(&full_name, SymbolKind::Service, &path);
    }
    for (i, extension) in proto.extension.iter().enumerate() {
        builder.field(
            extension,
            package,
            &[tag::FILE_EXTENSION, i as i32],
            true,
            None,
        );
    }
    builder.hints
}

impl Builder<'_, '_> {
    fn error(&mut self, path: &[i32], kind: ErrorKind, message: String) {
        self.linker.error(path, kind, message);
    }

    /// The full name protoc gives a message, oneof, enum, service or method: `unknown` (and
    /// an error) when the name or full name does not fit its 16-bit length.
    fn entity_full_name(&mut self, scope: &str, name: &str, path: &[i32]) -> String {
        let full_name = join(scope, name);
        if full_name.len() <= MAX_NAME {
            return full_name;
        }
        self.error(path, ErrorKind::Name, "Name too long.".into());
        UNKNOWN.to_string()
    }

    /// protoc's error for each reserved name listed again, reported at the message or enum
    /// (`what`: "Field name" or "Enum value"); returns the reserved names.
    fn reserved_names_twice<'n>(
        &mut self,
        names: &'n [ProtoString],
        what: &[u8],
        path: &[i32],
    ) -> FastSet<&'n [u8]> {
        let mut seen: FastSet<&[u8]> = FastSet::default();
        for name in names {
            if !seen.insert(name.as_bytes()) {
                let message = [
                    what,
                    b" \"",
                    name.as_bytes(),
                    b"\" is reserved multiple times.",
                ]
                .concat();
                self.linker.error_bytes(path, ErrorKind::Name, message);
            }
        }
        seen
    }

    /// protoc's error for each reserved name too long, reported at the message or enum.
    fn reserved_names_length(&mut self, names: &[ProtoString], path: &[i32]) {
        for name in names {
            if name.len() > MAX_NAME {
                self.error(path, ErrorKind::Name, "Reserved name too long.".into());
            }
        }
    }

    /// protoc's `BuildMessage`. `top_level` is the index of the top-level message whose
    /// field-number hints this message's errors feed (only top-level messages get them).
    fn message(
        &mut self,
        message: &DescriptorProto,
        scope: &str,
        path: &mut Vec<i32>,
        top_level: Option<usize>,
    ) {
        let full_name = self.entity_full_name(scope, message.name(), path);
        self.linker.validate_name(message.name(), &full_name, path);
        for (i, oneof) in message.oneof_decl.iter().enumerate() {
            let oneof_path = ElementPath::new(path, tag::MESSAGE_ONEOF, i);
            let oneof_full = self.entity_full_name(&full_name, oneof.name(), &oneof_path);
            self.linker
                .validate_name(oneof.name(), &oneof_full, &oneof_path);
            self.linker
                .add_symbol(&oneof_full, SymbolKind::Oneof, &oneof_path);
        }
        for (i, field) in message.field.iter().enumerate() {
            let field_path = ElementPath::new(path, tag::MESSAGE_FIELD, i);
            self.field(field, &full_name, &field_path, false, top_level);
        }
        for (i, enum_) in message.enum_type.iter().enumerate() {
            self.enum_(
                enum_,
                &full_name,
                &ElementPath::new(path, tag::MESSAGE_ENUM, i),
            );
        }
        for (i, range) in message.extension_range.iter().enumerate() {
            let range_path = ElementPath::new(path, tag::MESSAGE_EXTENSION_RANGE, i);
            if range.start() <= 0 {
                self.hints
                    .request(top_level, &range_path, (range.start(), range.end()));
                self.error(
                    &range_path,
                    ErrorKind::Number,
                    "Extension numbers must be positive integers.".into(),
                );
            }
            if range.start() >= range.end() {
                self.error(
                    &range_path,
                    ErrorKind::Number,
                    "Extension range end number must be greater than start number.".into(),
                );
            }
        }
        for (i, extension) in message.extension.iter().enumerate() {
            let extension_path = ElementPath::new(path, tag::MESSAGE_EXTENSION, i);
            self.field(extension, &full_name, &extension_path, true, top_level);
        }
        for (i, range) in message.reserved_range.iter().enumerate() {
            let range_path = ElementPath::new(path, tag::MESSAGE_RESERVED_RANGE, i);
            if range.start() <= 0 {
                self.hints
                    .request(top_level, &range_path, (range.start(), range.end()));
                self.error(
                    &range_path,
                    ErrorKind::Number,
                    "Reserved numbers must be positive integers.".into(),
                );
            }
            if range.start() >= range.end() {
                self.error(
                    &range_path,
                    ErrorKind::Number,
                    "Reserved range end number must be greater than start number.".into(),
                );
            }
        }
        if path.len() / 2 >= MAX_MESSAGE_DEPTH {
            // protoc builds no deeper: the message is left undefined, its nested messages
            // unbuilt, and its checks across members unmade.
            self.error(
                path,
                ErrorKind::Other,
                "Reached maximum recursion limit for nested messages.".into(),
            );
            return;
        }
        for (i, nested) in message.nested_type.iter().enumerate() {
            path.extend([tag::MESSAGE_NESTED, i as i32]);
            self.message(nested, &full_name, path, None);
            path.truncate(path.len() - 2);
        }
        self.reserved_names_length(&message.reserved_name, path);
        self.linker
            .add_symbol(&full_name, SymbolKind::Message, path);
        self.message_members(message, &full_name, path, top_level);
    }

    /// The checks across a message's members, made once it is defined.
    fn message_members(
        &mut self,
        message: &DescriptorProto,
        full_name: &str,
        path: &[i32],
        top_level: Option<usize>,
    ) {
        let reserved = &message.reserved_range;
        for (i, first) in reserved.iter().enumerate() {
            for second in &reserved[i + 1..] {
                if first.end() > second.start() && second.end() > first.start() {
                    self.error(
                        &ElementPath::new(path, tag::MESSAGE_RESERVED_RANGE, i),
                        ErrorKind::Number,
                        format!(
                            "Reserved range {} to {} overlaps with already-defined range {} to {}.",
                            second.start(),
                            second.end() as i64 - 1,
                            first.start(),
                            first.end() as i64 - 1
                        ),
                    );
                }
            }
        }
        let reserved_names = self.reserved_names_twice(&message.reserved_name, b"Field name", path);
        if message.field.len() > 65_535 {
            self.error(
                path,
                ErrorKind::Type,
                format!(
                    "{} fields in {full_name} exceeds the limit of 65535",
                    message.field.len()
                ),
            );
        }
        for (i, field) in message.field.iter().enumerate() {
            let number = field.number();
            for (j, range) in message.extension_range.iter().enumerate() {
                if range.start() <= number && number < range.end() {
                    let range_path = ElementPath::new(path, tag::MESSAGE_EXTENSION_RANGE, j);
                    self.hints.request(top_level, &range_path, (0, 1));
                    self.error(
                        &range_path,
                        ErrorKind::Number,
                        format!(
                            "Extension range {} to {} includes field \"{}\" ({number}).",
                            range.start(),
                            range.end() as i64 - 1,
                            field.name()
                        ),
                    );
                }
            }
            for (j, range) in reserved.iter().enumerate() {
                if range.start() <= number && number < range.end() {
                    let range_path = ElementPath::new(path, tag::MESSAGE_RESERVED_RANGE, j);
                    self.hints.request(top_level, &range_path, (0, 1));
                    self.error(
                        &range_path,
                        ErrorKind::Number,
                        format!("Field \"{}\" uses reserved number {number}.", field.name()),
                    );
                }
            }
            if reserved_names.contains(field.name().as_bytes()) {
                self.error(
                    &ElementPath::new(path, tag::MESSAGE_FIELD, i),
                    ErrorKind::Name,
                    format!("Field name \"{}\" is reserved.", field.name()),
                );
            }
        }
        let ranges = &message.extension_range;
        for (i, first) in ranges.iter().enumerate() {
            let range_path = ElementPath::new(path, tag::MESSAGE_EXTENSION_RANGE, i);
            for second in reserved {
                if first.end() > second.start() && second.end() > first.start() {
                    self.error(
                        &range_path,
                        ErrorKind::Number,
                        format!(
                            "Extension range {} to {} overlaps with reserved range {} to {}.",
                            first.start(),
                            first.end() as i64 - 1,
                            second.start(),
                            second.end() as i64 - 1
                        ),
                    );
                }
            }
            for second in &ranges[i + 1..] {
                if first.end() > second.start() && second.end() > first.start() {
                    self.error(
                        &range_path,
                        ErrorKind::Number,
                        format!(
                            "Extension range {} to {} overlaps with already-defined range {} to {}.",
                            second.start(),
                            second.end() as i64 - 1,
                            first.start(),
                            first.end() as i64 - 1
                        ),
                    );
                }
            }
        }
    }

    /// protoc's `BuildFieldOrExtension`.
    fn field(
        &mut self,
        field: &FieldDescriptorProto,
        scope: &str,
        path: &[i32],
        is_extension: bool,
        hint_target: Option<usize>,
    ) {
        let full_name = if field_names_fit(field, scope) {
            join(scope, field.name())
        } else {
            self.error(path, ErrorKind::Name, "Name too long.".into());
            UNKNOWN.to_string()
        };
        self.linker.validate_name(field.name(), &full_name, path);
        if field.label == Some(Label::Required as i32) && is_extension {
            self.error(
                path,
                ErrorKind::Type,
                format!("The extension {full_name} cannot be required."),
            );
        }
        if let Some(default) = &field.default_value {
            if field.label == Some(Label::Repeated as i32) {
                self.error(
                    path,
                    ErrorKind::DefaultValue,
                    "Repeated fields can't have default values.".into(),
                );
            }
            match field.r#type.and_then(|t| Type::try_from(t).ok()) {
                Some(Type::Bool) if default != "true" && default != "false" => self.error(
                    path,
                    ErrorKind::DefaultValue,
                    "Boolean default must be true or false.".into(),
                ),
                Some(Type::Message | Type::Group) => self.error(
                    path,
                    ErrorKind::DefaultValue,
                    "Messages can't have default values.".into(),
                ),
                _ => {}
            }
        }
        let number = field.number();
        if number <= 0 {
            self.hints.request(hint_target, path, (0, 1));
            self.error(
                path,
                ErrorKind::Number,
                "Field numbers must be positive integers.".into(),
            );
        } else if !is_extension && number > MAX_FIELD_NUMBER {
            self.hints.request(hint_target, path, (0, 1));
            self.error(
                path,
                ErrorKind::Number,
                format!("Field numbers cannot be greater than {MAX_FIELD_NUMBER}."),
            );
        }
        let kind = if is_extension {
            SymbolKind::Extension
        } else {
            SymbolKind::Field
        };
        self.linker.add_symbol(&full_name, kind, path);
    }

    /// protoc's `BuildEnum` (with `BuildEnumValue`).
    fn enum_(&mut self, enum_: &EnumDescriptorProto, scope: &str, path: &[i32]) {
        let full_name = self.entity_full_name(scope, enum_.name(), path);
        self.linker.validate_name(enum_.name(), &full_name, path);
        // Values are named in the enum's scope, which is the root once the enum is renamed.
        let value_scope = if full_name == UNKNOWN { "" } else { scope };
        if enum_.value.is_empty() {
            self.error(
                path,
                ErrorKind::Name,
                "Enums must contain at least one value.".into(),
            );
        }
        let mut inner: FastSet<&str> = FastSet::default();
        for (i, value) in enum_.value.iter().enumerate() {
            let value_path = ElementPath::new(path, tag::ENUM_VALUE, i);
            // Enum values are siblings of their enum (C++ scoping).
            let value_full = join(value_scope, value.name());
            if value_full.len() > MAX_NAME {
                self.error(&value_path, ErrorKind::Name, "Name too long.".into());
            }
            self.linker
                .validate_name(value.name(), &value_full, &value_path);
            let outer_added =
                self.linker
                    .add_symbol(&value_full, SymbolKind::EnumValue, &value_path);
            let inner_added = inner.insert(value.name());
            if inner_added && !outer_added {
                let outer = if scope.is_empty() {
                    "the global scope".to_string()
                } else {
                    format!("\"{scope}\"")
                };
                self.error(
                    &value_path,
                    ErrorKind::Name,
                    format!(
                        "Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, \"{}\" must be unique within {outer}, not just within \"{}\".",
                        value.name(),
                        enum_.name()
                    ),
                );
            }
        }
        for (i, range) in enum_.reserved_range.iter().enumerate() {
            if range.start() > range.end() {
                self.error(
                    &ElementPath::new(path, tag::ENUM_RESERVED_RANGE, i),
                    ErrorKind::Number,
                    "Reserved range end number must be greater than start number.".into(),
                );
            }
        }
        self.reserved_names_length(&enum_.reserved_name, path);
        self.linker.add_symbol(&full_name, SymbolKind::Enum, path);
        let reserved = &enum_.reserved_range;
        for (i, first) in reserved.iter().enumerate() {
            for second in &reserved[i + 1..] {
                if first.end() >= second.start() && second.end() >= first.start() {
                    self.error(
                        &ElementPath::new(path, tag::ENUM_RESERVED_RANGE, i),
                        ErrorKind::Number,
                        format!(
                            "Reserved range {} to {} overlaps with already-defined range {} to {}.",
                            second.start(),
                            second.end(),
                            first.start(),
                            first.end()
                        ),
                    );
                }
            }
        }
        let reserved_names = self.reserved_names_twice(&enum_.reserved_name, b"Enum value", path);
        for (i, value) in enum_.value.iter().enumerate() {
            let number = value.number();
            for (j, range) in reserved.iter().enumerate() {
                if range.start() <= number && number <= range.end() {
                    self.error(
                        &ElementPath::new(path, tag::ENUM_RESERVED_RANGE, j),
                        ErrorKind::Number,
                        format!(
                            "Enum value \"{}\" uses reserved number {number}.",
                            value.name()
                        ),
                    );
                }
            }
            if reserved_names.contains(value.name().as_bytes()) {
                self.error(
                    &ElementPath::new(path, tag::ENUM_VALUE, i),
                    ErrorKind::Name,
                    format!("Enum value \"{}\" is reserved.", value.name()),
                );
            }
        }
    }
}
