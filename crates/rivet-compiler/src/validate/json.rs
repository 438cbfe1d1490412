//! Name clashes that only show in generated code and JSON: fields whose JSON names collide
//! (protoc's `CheckFieldJsonNameUniqueness`), enum values that collide once the enum's name
//! is stripped from them (`CheckEnumValueUniqueness`), and enum values' custom JSON strings
//! (`CheckEnumCustomStringUniqueness` and the checks of each value).

use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    UnknownFields, UnknownValue,
};

use crate::features::{edition, value};
use rivet_descriptor::ResolvedFeatures;
use std::hash::Hasher;

use crate::hash::{FastMap, FastSet};
use crate::link::Level;
use crate::lower::{ErrorKind, tag};
use crate::text::json_name;

use super::Checker;
use super::visit::{ElementPath, Visit};

/// A field's JSON name as one of protoc's two passes sees it.
struct JsonName<'a> {
    field: &'a FieldDescriptorProto,
    /// The name's bytes: a custom name is kept as written, UTF-8 or not, and compared as bytes
    /// (as protoc does).
    name: Vec<u8>,
    custom: bool,
}

fn json_name_of(field: &FieldDescriptorProto, use_custom: bool) -> JsonName<'_> {
    let default = json_name(field.name());
    match &field.json_name {
        Some(custom) if use_custom && *custom != default => JsonName {
            field,
            name: custom.as_bytes().to_vec(),
            custom: true,
        },
        _ => JsonName {
            field,
            name: default.into_bytes(),
            custom: false,
        },
    }
}

/// The characters of protoc's `ToJsonName(name)`.
fn json_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    let mut upper = false;
    name.chars().filter_map(move |c| {
        if c == '_' {
            upper = true;
            None
        } else if upper {
            upper = false;
            Some(c.to_ascii_uppercase())
        } else {
            Some(c)
        }
    })
}

fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    let mut hasher = crate::hash::FastHasher::default();
    for c in chars {
        hasher.write_u32(c as u32);
    }
    hasher.finish()
}

/// The characters of protoc's `EnumValueToPascalCase(name)`.
fn pascal_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    let mut upper = true;
    name.chars().filter_map(move |c| {
        if c == '_' {
            upper = true;
            None
        } else {
            let out = if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            upper = false;
            Some(out)
        }
    })
}

/// protoc's `EnumValueToPascalCase`.
fn pascal_case(name: &str) -> String {
    pascal_chars(name).collect()
}

/// protoc's `PrefixRemover::MaybeRemove`: `name` without the (case- and
/// underscore-insensitive) `prefix`, or `name` itself.
fn strip_prefix<'n>(prefix: &str, name: &'n str) -> &'n str {
    let mut prefix = prefix
        .bytes()
        .filter(|&b| b != b'_')
        .map(|b| b.to_ascii_lowercase())
        .peekable();
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(&expected) = prefix.peek() else {
            break;
        };
        if bytes[i] != b'_' {
            if bytes[i].to_ascii_lowercase() != expected {
                return name;
            }
            prefix.next();
        }
        i += 1;
    }
    if prefix.peek().is_some() {
        return name;
    }
    while i < bytes.len() && bytes[i] == b'_' {
        i += 1;
    }
    if i == bytes.len() {
        return name;
    }
    &name[i..]
}

impl<'a> Checker<'a> {
    /// protoc's `CheckFieldJsonNameUniqueness`: default JSON names first, then custom ones.
    pub(super) fn check_json_names(
        &mut self,
        message: &'a DescriptorProto,
        features: ResolvedFeatures,
        path: &[i32],
    ) {
        let legacy = message.options.as_ref().and_then(
            #[allow(deprecated)]
            |o| o.deprecated_legacy_json_field_conflicts,
        ) == Some(true);
        if legacy {
            return;
        } // Most messages have neither collisions nor custom names: rule both out without
        // building any name.
        let defaults_collide = {
            let mut seen = FastSet::default();
            !message
                .field
                .iter()
                .all(|f| seen.insert(hash_chars(json_chars(f.name()))))
        };
        if defaults_collide {
            self.check_json_names_pass(message, features, path, false);
        }
        let has_custom = message.field.iter().any(|f| {
            f.json_name.as_ref().is_some_and(|custom| {
                // A custom name that is not UTF-8 cannot be a default (names are ASCII).
                custom
                    .to_str()
                    .is_none_or(|custom| !custom.chars().eq(json_chars(f.name())))
            })
        });
        if has_custom {
            self.check_json_names_pass(message, features, path, true);
        }
    }

    fn check_json_names_pass(
        &mut self,
        message: &'a DescriptorProto,
        features: ResolvedFeatures,
        path: &[i32],
        use_custom: bool,
    ) {
        let mut seen: FastMap<Vec<u8>, JsonName<'a>> = FastMap::default();
        for (i, field) in message.field.iter().enumerate() {
            let mut field_path = path.to_vec();
            field_path.extend([tag::MESSAGE_FIELD, i as i32]);
            let this = json_name_of(field, use_custom);
            if this.custom && this.name.starts_with(b"[") && this.name.ends_with(b"]") {
                // protoc quotes custom names as written, UTF-8 or not.
                let message = [
                    format!("The custom JSON name of field \"{}\" (\"", field.name()).as_bytes(),
                    &this.name,
                    b"\") is invalid: JSON names may not start with '[' and end with ']'.",
                ]
                .concat();
                self.error_bytes(&field_path, ErrorKind::Name, message);
                continue;
            }
            let Some(existing) = seen.get(&this.name) else {
                seen.insert(this.name.clone(), this);
                continue;
            };
            if use_custom && !this.custom && !existing.custom {
                continue;
            }
            let kind = |custom: bool| if custom { "custom" } else { "default" };
            let mut message = format!(
                "The {} JSON name of field \"{}\" (\"",
                kind(this.custom),
                field.name()
            )
            .into_bytes();
            message.extend_from_slice(&this.name);
            message.extend_from_slice(
                format!(
                    "\") conflicts with the {} JSON name of field \"{}\"",
                    kind(existing.custom),
                    existing.field.name()
                )
                .as_bytes(),
            );
            if this.name != existing.name {
                message.extend_from_slice(b" (\"");
                message.extend_from_slice(&existing.name);
                message.extend_from_slice(b"\")");
            }
            message.push(b'.');
            let involves_default = !this.custom || !existing.custom;
            let level = if features.json_format == value::LEGACY_BEST_EFFORT && involves_default {
                Level::Warning
            } else {
                Level::Error
            };
            self.report(&field_path, ErrorKind::Name, message, level);
        }
    }

    /// protoc's `CheckEnumValueUniqueness`: values must differ once the enum's name is
    /// stripped from them and they are PascalCased, unless they alias the same number.
    pub(super) fn check_enum_prefixes(
        &mut self,
        visit: &Visit<'a>,
        enum_: &'a EnumDescriptorProto,
    ) {
        let legacy = enum_.options.as_ref().and_then(
            #[allow(deprecated)]
            |o| o.deprecated_legacy_json_field_conflicts,
        ) == Some(true);
        let mut hashes = FastSet::default();
        let unique = enum_.value.iter().all(|value| {
            hashes.insert(hash_chars(pascal_chars(strip_prefix(
                enum_.name(),
                value.name(),
            ))))
        });
        if unique {
            return;
        }
        let mut seen: FastMap<String, (&str, i32)> = FastMap::default();
        for (i, value) in enum_.value.iter().enumerate() {
            let stripped = pascal_case(strip_prefix(enum_.name(), value.name()));
            let Some(&(first, number)) = seen.get(&stripped) else {
                seen.insert(stripped, (value.name(), value.number()));
                continue;
            };
            if first == value.name() || number == value.number() {
                continue;
            }
            let message = format!(
                "Enum name {} has the same name as {first} if you ignore case and strip out the enum name prefix (if any). (If you are using allow_alias, please assign the same number to each enum value name.)",
                value.name()
            );
            let mut path = visit.path.to_vec();
            path.extend([tag::ENUM_VALUE, i as i32]);
            if legacy && self.edition == edition::PROTO2 {
                self.warning(&path, ErrorKind::Name, message);
            } else {
                self.error(&path, ErrorKind::Name, message);
            }
        }
    }
}

/// The number of `pb.enumvalue.json`, the extension of `EnumValueOptions` that protoc knows
/// as built in (json_enumvalue_options.proto): a value's custom JSON string.
const ENUM_VALUE_JSON: u32 = 998;

/// The custom JSON string of an enum value: `Some` when its options set
/// `(pb.enumvalue.json)`, with the `string` it holds (empty when not set). Like protoc's
/// generated `EnumValueOptions`, any length-delimited field 998 is read as the extension, and
/// several are merged.
fn custom_json_string(value: &EnumValueDescriptorProto) -> Option<Vec<u8>> {
    let options = value.options.as_ref()?;
    let mut found = None;
    for field in options.unknown_fields.iter() {
        let (ENUM_VALUE_JSON, UnknownValue::LengthDelimited(payload)) = (field.number, field.value)
        else {
            continue;
        };
        let string = found.get_or_insert_with(Vec::new);
        let mut fields = UnknownFields::new();
        if fields.push_raw(&payload).is_err() {
            continue;
        }
        for inner in fields.iter() {
            if let (1, UnknownValue::LengthDelimited(bytes)) = (inner.number, inner.value) {
                *string = bytes;
            }
        }
    }
    found
}

/// absl's `SimpleAtoi` into an `i32`: base 10 with an optional sign, ASCII whitespace around.
fn simple_atoi(text: &[u8]) -> Option<i32> {
    let text = std::str::from_utf8(text).ok()?;
    let trimmed =
        text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'));
    trimmed.parse().ok()
}

impl<'a> Checker<'a> {
    /// protoc's `CheckEnumCustomStringUniqueness`: custom JSON strings may not collide with
    /// each other or with value names (except between aliases), and with `allow_alias`, all
    /// aliases of a number have the same custom string.
    pub(super) fn check_enum_custom_json(
        &mut self,
        visit: &Visit<'a>,
        enum_: &'a EnumDescriptorProto,
    ) {
        if enum_.value.iter().all(|v| custom_json_string(v).is_none()) {
            return;
        }
        let allow_alias = enum_.options.as_ref().and_then(|o| o.allow_alias) == Some(true);
        let customs: Vec<Option<Vec<u8>>> = enum_.value.iter().map(custom_json_string).collect();
        // Custom strings are quoted as written, UTF-8 or not.
        let show = |custom: &Option<Vec<u8>>| match custom {
            Some(string) => [b"\"", &string[..], b"\""].concat(),
            None => b"unset".to_vec(),
        };
        // JSON string to the index of the first value that uses it.
        let mut by_json: FastMap<Vec<u8>, usize> = FastMap::default();
        let mut first_by_number: FastMap<i32, usize> = FastMap::default();
        for (i, value) in enum_.value.iter().enumerate() {
            let path = ElementPath::new(&visit.path, tag::ENUM_VALUE, i);
            if allow_alias {
                let primary = *first_by_number.entry(value.number()).or_insert(i);
                if primary != i && customs[primary] != customs[i] {
                    let message = [
                        format!(
                            "Alias values for number {} must have the same custom JSON string. \"{}\" has ",
                            value.number(),
                            value.name()
                        )
                        .as_bytes(),
                        &show(&customs[i]),
                        format!(" but primary alias \"{}\" has ", enum_.value[primary].name())
                            .as_bytes(),
                        &show(&customs[primary]),
                        b".",
                    ]
                    .concat();
                    self.error_bytes(&path, ErrorKind::OptionValue, message);
                }
            }
            let mut check = |checker: &mut Self, string: &[u8], custom: bool| {
                let conflict = *by_json.entry(string.to_vec()).or_insert(i);
                let other = &enum_.value[conflict];
                if conflict == i || other.number() == value.number() {
                    return;
                }
                let conflict_kind = if other.name().as_bytes() == string {
                    "default"
                } else {
                    "custom"
                };
                let message = [
                    if custom { "Custom" } else { "Default" }.as_bytes(),
                    b" JSON string \"",
                    string,
                    format!(
                        "\" conflicts with {conflict_kind} JSON string of \"{}\".",
                        other.name()
                    )
                    .as_bytes(),
                ]
                .concat();
                checker.error_bytes(&path, ErrorKind::OptionValue, message);
            };
            check(self, value.name().as_bytes(), false);
            if let Some(custom) = &customs[i] {
                check(self, custom, true);
            }
        }
    }

    /// protoc's checks of an enum value's custom JSON string: no NUL, and no number other
    /// than the value's own.
    pub(super) fn check_enum_value_custom_json(
        &mut self,
        visit: &Visit<'a>,
        value: &'a EnumValueDescriptorProto,
    ) {
        let Some(custom) = custom_json_string(value) else {
            return;
        };
        if custom.contains(&0) {
            self.error(
                &visit.path,
                ErrorKind::OptionValue,
                "Custom JSON strings cannot contain embedded null characters.".into(),
            );
        }
        if let Some(parsed) = simple_atoi(&custom)
            && parsed != value.number()
        {
            let message = [
                b"Custom JSON string \"",
                &custom[..],
                format!(
                    "\" parses as integer {parsed}, which does not match the enum value's number {}.",
                    value.number()
                )
                .as_bytes(),
            ]
            .concat();
            self.error_bytes(&visit.path, ErrorKind::OptionValue, message);
        }
    }
}
