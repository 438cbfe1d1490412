//! Naming style (protoc's `ValidateNamingStyle`), enforced from edition 2024 on unless an
//! element's `enforce_naming_style` feature is `STYLE_LEGACY`: TitleCase messages, enums,
//! services and methods, lower_snake_case packages, fields and oneofs, UPPER_SNAKE_CASE enum
//! values; with `STYLE2026`, also no field names that collide in generated accessors.

use rivet_descriptor::DescriptorProto;

use crate::features::value;
use crate::lower::ErrorKind;

use super::Checker;
use super::visit::{Element, Visit};

const OPT_OUT: &str =
    " (features.enforce_naming_style = STYLE_LEGACY can be used to opt out of this check)";
const COLLISIONS_OPT_OUT: &str =
    " (features.enforce_naming_style = STYLE2024 can be used to opt out of this check)";

/// A naming rule: `Err` says what is wrong with a name.
type StyleCheck = fn(&str) -> Result<(), &'static str>;

/// protoc's `ContainsBadUnderscores`: leading, trailing or not followed by a letter.
fn bad_underscores(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    if bytes[0] == b'_' || bytes[bytes.len() - 1] == b'_' {
        return true;
    }
    bytes
        .windows(2)
        .any(|pair| pair[0] == b'_' && !pair[1].is_ascii_alphabetic())
}

fn title_case(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err("should be TitleCase");
    }
    if !name.as_bytes()[0].is_ascii_uppercase() {
        return Err("should begin with a capital letter");
    }
    Ok(())
}

fn lower_snake_case(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return Err("should be lower_snake_case");
    }
    if !name.as_bytes()[0].is_ascii_lowercase() {
        return Err("should begin with a lower case letter");
    }
    if bad_underscores(name) {
        return Err("contains style violating underscores");
    }
    Ok(())
}

fn upper_snake_case(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err("should be UPPER_SNAKE_CASE");
    }
    if !name.as_bytes()[0].is_ascii_uppercase() {
        return Err("should begin with an upper case letter");
    }
    if bad_underscores(name) {
        return Err("contains style violating underscores");
    }
    Ok(())
}

/// protoc's `IsValidFieldNonCollisionName` for a field or oneof of `message`.
fn collision(name: &str, message: Option<&DescriptorProto>) -> Option<String> {
    if let Some(message) = message {
        let exists = |other: &str| {
            message.field.iter().any(|f| f.name() == other)
                || message.oneof_decl.iter().any(|o| o.name() == other)
        };
        for prefix in ["has_", "get_", "set_", "clear_"] {
            if let Some(rest) = name.strip_prefix(prefix)
                && exists(rest)
            {
                return Some(format!(
                    "should not begin with {prefix} if a field named {rest} exists. This can cause collisions in generated code."
                ));
            }
        }
        if let Some(rest) = name.strip_suffix("_value")
            && exists(rest)
        {
            return Some(format!(
                "should not end with _value if a field named {rest} exists. This can cause collisions in generated code."
            ));
        }
    }
    (name == "descriptor").then(|| {
        "should not be named descriptor. This can cause collisions in generated code.".to_string()
    })
}

impl<'a> Checker<'a> {
    /// The naming-style errors of every element whose features enforce a style.
    pub(super) fn naming_style(&mut self, visits: &[Visit<'a>]) {
        for visit in visits {
            let style = visit.features.enforce_naming_style;
            if style < value::STYLE2024 || style == value::STYLE_LEGACY {
                continue;
            }
            let strict = style >= value::STYLE2026;
            let (what, name, check): (&str, &str, StyleCheck) = match visit.element {
                Element::File => {
                    let package = self.proto.package();
                    if package.is_empty() {
                        continue;
                    }
                    ("Package", package, lower_snake_case)
                }
                Element::Message(m) => ("Message", m.name(), title_case),
                Element::Oneof(o) => ("Oneof", o.name(), lower_snake_case),
                Element::Field { field, .. } => ("Field", field.name(), lower_snake_case),
                Element::Enum(e) => ("Enum", e.name(), title_case),
                Element::EnumValue(v) => ("Enum value", v.name(), upper_snake_case),
                Element::Service(s) => ("Service", s.name(), title_case),
                Element::Method(m) => ("Method", m.name(), title_case),
                Element::ExtensionRange(_) => continue,
            };
            if let Err(problem) = check(name) {
                self.error(
                    &visit.path,
                    ErrorKind::Name,
                    format!("{what} name {name} {problem}{OPT_OUT}"),
                );
            }
            if strict {
                let message = match visit.element {
                    Element::Oneof(_) => self.parent_message(&visit.path),
                    Element::Field {
                        field, extension, ..
                    } => {
                        if extension {
                            self.message(field.extendee()).map(|(_, m, _)| m)
                        } else {
                            self.parent_message(&visit.path)
                        }
                    }
                    _ => continue,
                };
                if let Some(problem) = collision(name, message) {
                    self.error(
                        &visit.path,
                        ErrorKind::Name,
                        format!("{what} name {name} {problem}{COLLISIONS_OPT_OUT}"),
                    );
                }
            }
        }
    }

    fn parent_message(&self, path: &[i32]) -> Option<&'a DescriptorProto> {
        crate::pool::Pool::message_at(self.proto, &path[..path.len().saturating_sub(2)])
    }
}
