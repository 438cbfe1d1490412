//! Rust types, paths and `#[prost]` tags of fields, and the shared helpers of item generation
//! (doc comments, configured attributes, token parsing).

use proc_macro2::TokenStream;
use rivet_descriptor::FieldDescriptorProto;
use rivet_descriptor::field_descriptor_proto::Type;

use crate::Error;
use crate::generate::FileGen;
use crate::naming::{camel_name, snake_name};
use crate::paths::PathMap;

/// Parses Rust code generated from protobuf names.
pub(crate) fn tokens(text: &str) -> Result<TokenStream, Error> {
    match text.parse::<TokenStream>() {
        Ok(parsed) if !parsed.is_empty() => Ok(parsed),
        _ => Err(Error::InvalidIdentifier(text.to_owned())),
    }
}

/// Whether repeated fields of this type can be packed.
pub(crate) fn is_packable(ty: Type) -> bool {
    !matches!(ty, Type::String | Type::Bytes | Type::Message | Type::Group)
}

impl FileGen<'_, '_> {
    /// The fully qualified protobuf name (leading dot) of `name` in the current scope.
    pub(crate) fn fq_name(&self, name: &str) -> String {
        let mut fq = String::new();
        let package = self.package.trim_matches('.');
        if !package.is_empty() {
            fq.push('.');
            fq.push_str(package);
        }
        for outer in &self.type_path {
            fq.push('.');
            fq.push_str(outer);
        }
        fq.push('.');
        fq.push_str(name);
        fq
    }

    /// The Rust path of a fully qualified protobuf type, relative to the current module
    /// (`super::` to climb out of nested-message modules and packages), or its extern path.
    pub(crate) fn rust_path(&self, fq_type: &str) -> String {
        if let Some(path) = self.ctx.externs.resolve(fq_type) {
            return path;
        }
        let here: Vec<&str> = self
            .package
            .split('.')
            .filter(|part| !part.is_empty())
            .chain(self.type_path.iter().map(String::as_str))
            .collect();
        let mut there: Vec<&str> = fq_type.trim_start_matches('.').split('.').collect();
        let type_name = there.pop().unwrap_or_default();
        let common = here.iter().zip(&there).take_while(|(a, b)| a == b).count();
        let mut segments: Vec<String> = vec!["super".to_owned(); here.len() - common];
        segments.extend(there[common..].iter().map(|part| snake_name(part)));
        segments.push(camel_name(type_name));
        segments.join("::")
    }

    /// Whether `fq_message.field` is a bytes field configured as `Bytes`.
    fn uses_bytes_type(&self, fq_message: &str, field: &str) -> bool {
        self.ctx
            .options
            .bytes
            .best_for_field(fq_message, field)
            .is_some()
    }

    /// The Rust type of one value of a field (no `Option`, `Vec` or `Box`).
    pub(crate) fn value_type(
        &self,
        field: &FieldDescriptorProto,
        ty: Type,
        fq_message: &str,
    ) -> String {
        match ty {
            Type::Float => "f32".to_owned(),
            Type::Double => "f64".to_owned(),
            Type::Uint32 | Type::Fixed32 => "u32".to_owned(),
            Type::Uint64 | Type::Fixed64 => "u64".to_owned(),
            Type::Int32 | Type::Sfixed32 | Type::Sint32 | Type::Enum => "i32".to_owned(),
            Type::Int64 | Type::Sfixed64 | Type::Sint64 => "i64".to_owned(),
            Type::Bool => "bool".to_owned(),
            Type::String => "::prost::alloc::string::String".to_owned(),
            Type::Bytes if self.uses_bytes_type(fq_message, field.name()) => {
                "::prost::bytes::Bytes".to_owned()
            }
            Type::Bytes => "::prost::alloc::vec::Vec<u8>".to_owned(),
            Type::Message | Type::Group => self.rust_path(field.type_name()),
        }
    }

    /// The `bytes = "..."` annotation of a bytes field.
    pub(crate) fn bytes_annotation(&self, fq_message: &str, field: &str) -> &'static str {
        match self.uses_bytes_type(fq_message, field) {
            true => "bytes",
            false => "vec",
        }
    }

    /// The type part of a `#[prost]` attribute (`int32`, `message`, `enumeration = "Path"`).
    pub(crate) fn type_tag(&self, field: &FieldDescriptorProto, ty: Type) -> String {
        let tag = match ty {
            Type::Float => "float",
            Type::Double => "double",
            Type::Int32 => "int32",
            Type::Int64 => "int64",
            Type::Uint32 => "uint32",
            Type::Uint64 => "uint64",
            Type::Sint32 => "sint32",
            Type::Sint64 => "sint64",
            Type::Fixed32 => "fixed32",
            Type::Fixed64 => "fixed64",
            Type::Sfixed32 => "sfixed32",
            Type::Sfixed64 => "sfixed64",
            Type::Bool => "bool",
            Type::String => "string",
            Type::Bytes => "bytes",
            Type::Group => "group",
            Type::Message => "message",
            Type::Enum => {
                return format!("enumeration = \"{}\"", self.rust_path(field.type_name()));
            }
        };
        tag.to_owned()
    }

    /// The value part of a map's `#[prost]` attribute (`enumeration(Path)` for enums).
    pub(crate) fn map_value_tag(&self, field: &FieldDescriptorProto, ty: Type) -> String {
        match ty {
            Type::Enum => format!("enumeration({})", self.rust_path(field.type_name())),
            _ => self.type_tag(field, ty),
        }
    }

    /// The doc comment of the current element (at `self.path`), unless comments are disabled
    /// for `fq_name` (or for its field `field`).
    pub(crate) fn doc(&self, fq_name: &str, field: Option<&str>) -> TokenStream {
        let disabled = &self.ctx.options.disable_comments;
        let is_disabled = match field {
            Some(field) => disabled.best_for_field(fq_name, field).is_some(),
            None => disabled.matches(fq_name),
        };
        if is_disabled {
            return TokenStream::new();
        }
        self.comments
            .get(&self.path)
            .map(|comments| comments.to_doc_attrs())
            .unwrap_or_default()
    }

    /// The configured attributes of `map` matching `fq_path`.
    pub(crate) fn attributes(
        &self,
        map: &PathMap<String>,
        fq_path: &str,
    ) -> Result<TokenStream, Error> {
        parse_attributes(map.all(fq_path), fq_path)
    }

    /// The configured attributes of `map` matching the field `fq_path.field`.
    pub(crate) fn field_attributes(
        &self,
        fq_path: &str,
        field: &str,
    ) -> Result<TokenStream, Error> {
        let map = &self.ctx.options.field_attributes;
        parse_attributes(
            map.all_for_field(fq_path, field),
            &format!("{fq_path}.{field}"),
        )
    }
}

fn parse_attributes<'s>(
    attributes: impl IntoIterator<Item = &'s String>,
    path: &str,
) -> Result<TokenStream, Error> {
    let mut all = TokenStream::new();
    for attribute in attributes {
        let parsed: TokenStream =
            attribute
                .parse()
                .map_err(|error: proc_macro2::LexError| Error::InvalidAttribute {
                    attribute: attribute.clone(),
                    path: path.to_owned(),
                    reason: error.to_string(),
                })?;
        all.extend(parsed);
    }
    Ok(all)
}

/// Decodes a C-escaped bytes default value, as protoc writes them.
pub(crate) fn unescape_c(text: &str) -> Result<Vec<u8>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let Some(&escape) = bytes.get(i + 1) else {
            return Err(format!("`{text}` ends with a backslash"));
        };
        i += 2;
        let simple = match escape {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'\\' | b'?' | b'\'' | b'"' => Some(escape),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
        } else if escape.is_ascii_digit() && escape < b'8' {
            let mut value = u32::from(escape - b'0');
            let mut digits = 1;
            while digits < 3 && bytes.get(i).is_some_and(|b| (b'0'..b'8').contains(b)) {
                value = value * 8 + u32::from(bytes[i] - b'0');
                i += 1;
                digits += 1;
            }
            out.push(u8::try_from(value).map_err(|_| format!("`{text}`: octal escape over 255"))?);
        } else if escape == b'x' || escape == b'X' {
            let hex = text
                .get(i..i + 2)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| format!("`{text}`: bad hex escape"))?;
            out.push(hex);
            i += 2;
        } else {
            return Err(format!("`{text}`: unknown escape `\\{}`", escape as char));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_unescape() {
        assert_eq!(unescape_c("hello").unwrap(), b"hello");
        assert_eq!(unescape_c(r"\0").unwrap(), b"\0");
        assert_eq!(unescape_c(r"\012\156").unwrap(), [0o12, 0o156]);
        assert_eq!(unescape_c(r"\x01\x02").unwrap(), [1, 2]);
        assert_eq!(
            unescape_c(r#"\0\001\a\b\f\n\r\t\v\\\'\"\xfe"#).unwrap(),
            b"\0\x01\x07\x08\x0C\n\r\t\x0B\\\'\"\xFE"
        );
        assert!(unescape_c(r"\x1").is_err());
        assert!(unescape_c("\\").is_err());
        assert!(unescape_c(r"\q").is_err());
    }
}
