//! Rust names for protobuf names, following prost-build's conventions.
//!
//! Types become `UpperCamelCase`, fields and modules `snake_case` (both through `heck`), Rust
//! keywords become raw identifiers (`r#type`), and the few keywords that cannot be raw
//! identifiers get a trailing underscore.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that are valid as raw identifiers (`r#kw`).
const RAW_KEYWORDS: &[&str] = &[
    // Strict keywords (2015).
    "as", "break", "const", "continue", "else", "enum", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "true", "type", "unsafe", "use", "where", "while", // Strict keyword (2018).
    "dyn",   // Reserved keywords (2015).
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", // Reserved keywords (2018).
    "async", "await", "try", // Reserved keyword (2024).
    "gen",
];

/// Keywords that cannot be raw identifiers; they get an underscore suffix instead.
const SUFFIXED_KEYWORDS: &[&str] = &["_", "super", "self", "Self", "extern", "crate"];

/// Makes `name` usable as a Rust identifier: raw identifier for keywords, `_` suffix for
/// keywords that cannot be raw, `_` prefix for names that start with a digit.
pub(crate) fn escape_keyword(name: &str) -> String {
    if RAW_KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else if SUFFIXED_KEYWORDS.contains(&name) {
        format!("{name}_")
    } else if name.starts_with(|c: char| c.is_numeric()) {
        format!("_{name}")
    } else {
        name.to_owned()
    }
}

/// The Rust name of a field, oneof, method or module: `lower_snake_case`, keyword-escaped.
pub(crate) fn snake_name(name: &str) -> String {
    escape_keyword(&name.to_snake_case())
}

/// The Rust name of a type or variant: `UpperCamelCase`, keyword-escaped.
pub(crate) fn camel_name(name: &str) -> String {
    escape_keyword(&name.to_upper_camel_case())
}

/// Removes the enum's own (camel-cased) name from the front of a (camel-cased) variant name,
/// when what remains is still a word of its own (`ColorRed` -> `Red`, but `Colorful` stays).
pub(crate) fn strip_variant_prefix(enum_name: &str, variant: &str) -> String {
    let stripped = match variant.strip_prefix(enum_name) {
        Some(rest) if rest.chars().next().is_some_and(char::is_uppercase) => rest,
        _ => variant,
    };
    escape_keyword(stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(escape_keyword("type"), "r#type");
        assert_eq!(escape_keyword("gen"), "r#gen");
        assert_eq!(escape_keyword("self"), "self_");
        assert_eq!(escape_keyword("Self"), "Self_");
        assert_eq!(escape_keyword("crate"), "crate_");
        assert_eq!(escape_keyword("1abc"), "_1abc");
        assert_eq!(escape_keyword("plain"), "plain");
    }

    #[test]
    fn snake_and_camel() {
        assert_eq!(snake_name("FooBarBAZ"), "foo_bar_baz");
        assert_eq!(snake_name("XMLHttpRequest"), "xml_http_request");
        assert_eq!(snake_name("While"), "r#while");
        assert_eq!(snake_name("_field_name3"), "field_name3");
        assert_eq!(snake_name("field__Name16"), "field_name16");
        assert_eq!(camel_name("FOO_BAR"), "FooBar");
        assert_eq!(camel_name("fuzzBuster"), "FuzzBuster");
        assert_eq!(camel_name("self"), "Self_");
        assert_eq!(camel_name(""), "");
    }

    #[test]
    fn variant_prefix() {
        assert_eq!(strip_variant_prefix("Foo", "FooBar"), "Bar");
        assert_eq!(strip_variant_prefix("Foo", "Foobar"), "Foobar");
        assert_eq!(strip_variant_prefix("Foo", "Foo"), "Foo");
        assert_eq!(strip_variant_prefix("Foo", "Foo1"), "Foo1");
        assert_eq!(strip_variant_prefix("Foo", "FooSelf"), "Self_");
    }
}
