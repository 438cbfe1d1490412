//! The extensions of the options messages that are compiled into protoc itself.
//!
//! After interpreting an element's options, protoc serializes its options message and parses
//! it back as its own generated C++ class (protoc's `InterpretOptions`). That parse knows the
//! extensions whose generated code is linked into protoc: `pb.cpp`, `pb.java` and `pb.csharp`
//! of `FeatureSet`, `pb.file.cpp` of `FileOptions` and `pb.enumvalue.json` of
//! `EnumValueOptions`. A file may declare extensions of its own with those numbers (or import
//! the real ones); either way, the bytes set there are read as protoc's types:
//!
//! - each extension's records merge into one message, written before every other extension
//!   (those stay unknown to protoc and follow, in their order), at the extension's number;
//! - inside it, the known fields come first, in number order, one value each (the last):
//!   a `bool` is 0 or 1, a value of a closed enum that names none of its values moves to the
//!   unknown fields; fields protoc does not know (or with another wire type) follow, in order;
//! - a string of an edition-2024 file that is not UTF-8 fails the parse: protoc reports
//!   "Some options could not be correctly parsed ...".

use rivet_descriptor::{
    EnumOptions, EnumValueOptions, ExtensionRangeOptions, FieldOptions, FileOptions,
    MessageOptions, MethodOptions, OneofOptions, ServiceOptions, UnknownFields,
};

use crate::finalize::{Record, parse_records};
use crate::lower::OptionsKind;
use crate::wire;

/// How protoc's generated type reads a field.
enum Kind {
    Bool,
    /// A closed enum with these values.
    ClosedEnum(&'static [i32]),
    /// A `string` whose bytes are verified to be UTF-8.
    VerifiedString,
}

/// An extension compiled into protoc: its number and its message's fields, by number.
pub(crate) struct Extension {
    number: i32,
    fields: &'static [(i32, Kind)],
}

/// `google/protobuf/cpp_features.proto` (`CppFeatures`, proto2), `pb.cpp = 1000`;
/// `google/protobuf/compiler/java/java_features.proto` (`JavaFeatures`, proto2),
/// `pb.java = 1001`; `google/protobuf/compiler/csharp/c_sharp_features.proto`
/// (`CSharpFeatures`, proto2), `pb.csharp = 1004`.
pub(crate) const FEATURE_SET: &[Extension] = &[
    Extension {
        number: 1000,
        fields: &[
            (1, Kind::Bool),
            (2, Kind::ClosedEnum(&[0, 1, 2, 3])),
            (3, Kind::Bool),
            (4, Kind::ClosedEnum(&[0, 1, 2])),
        ],
    },
    Extension {
        number: 1001,
        fields: &[
            (1, Kind::Bool),
            (2, Kind::ClosedEnum(&[0, 1, 2])),
            (3, Kind::Bool),
            (4, Kind::Bool),
            (5, Kind::ClosedEnum(&[0, 1, 2, 3])),
        ],
    },
    Extension {
        number: 1004,
        fields: &[(1, Kind::Bool)],
    },
];

/// `google/protobuf/cpp_file_options.proto` (edition 2024), `pb.file.cpp = 990`.
pub(crate) const FILE_OPTIONS: &[Extension] = &[Extension {
    number: 990,
    fields: &[(1, Kind::VerifiedString)],
}];

/// `google/protobuf/json_enumvalue_options.proto` (edition 2024), `pb.enumvalue.json = 998`.
pub(crate) const ENUM_VALUE_OPTIONS: &[Extension] = &[Extension {
    number: 998,
    fields: &[(1, Kind::VerifiedString)],
}];

/// An options message read back as protoc's generated class reads it (see the module
/// documentation): its features, and its own compiled-in extensions.
pub(crate) trait ReadBack {
    fn read_back(&mut self) -> Result<(), Unparsable>;
}

macro_rules! read_back {
    ($($options:ty => $extensions:expr),* $(,)?) => {$(
        impl ReadBack for $options {
            fn read_back(&mut self) -> Result<(), Unparsable> {
                if let Some(features) = self.features.as_deref_mut() {
                    normalize(&mut features.unknown_fields, FEATURE_SET)?;
                }
                normalize(&mut self.unknown_fields, $extensions)
            }
        }
    )*};
}

read_back! {
    FileOptions => FILE_OPTIONS,
    MessageOptions => &[],
    FieldOptions => &[],
    OneofOptions => &[],
    ExtensionRangeOptions => &[],
    EnumOptions => &[],
    EnumValueOptions => ENUM_VALUE_OPTIONS,
    ServiceOptions => &[],
    MethodOptions => &[],
}

impl<T: ReadBack> ReadBack for Box<T> {
    fn read_back(&mut self) -> Result<(), Unparsable> {
        T::read_back(self)
    }
}

/// protoc's generated types could not parse the options (a verified string that is not
/// UTF-8, or bytes that are no message).
#[derive(Debug)]
pub(crate) struct Unparsable;

/// Reads the records of `extensions` among an options message's `unknown` fields as protoc's
/// generated types do (see the module documentation).
pub(crate) fn normalize(
    unknown: &mut UnknownFields,
    extensions: &[Extension],
) -> Result<(), Unparsable> {
    let bytes = unknown.as_bytes();
    if extensions.is_empty() || bytes.is_empty() {
        return Ok(());
    }
    let Some(records) = parse_records(bytes) else {
        return Ok(());
    };
    let known =
        |r: &Record<'_>| r.wire_type == 2 && extensions.iter().any(|e| e.number == r.number);
    if !records.iter().any(known) {
        return Ok(());
    }
    let mut out = Vec::with_capacity(bytes.len());
    for extension in extensions {
        let mut payload = Vec::new();
        let mut present = false;
        for record in records
            .iter()
            .filter(|r| r.number == extension.number && known(r))
        {
            payload.extend_from_slice(record.payload);
            present = true;
        }
        if present {
            let message = reparse(&payload, extension.fields)?;
            wire::length_delimited(&mut out, extension.number, &message);
        }
    }
    for record in records.iter().filter(|r| !known(r)) {
        out.extend_from_slice(record.raw);
    }
    unknown.clear();
    // Every part is a whole record, so the bytes are valid wire data.
    unknown.push_raw(&out).map_err(|_| Unparsable)
}

/// Whether interpreted option bytes `raw` of an options message of `kind` fail to parse as
/// protoc's own types (a verified string of a compiled-in extension that is not UTF-8). The
/// options an element had before are known to parse.
pub(crate) fn fails_to_parse(kind: OptionsKind, raw: &[u8]) -> bool {
    let extensions = match kind {
        OptionsKind::File => FILE_OPTIONS,
        OptionsKind::EnumValue => ENUM_VALUE_OPTIONS,
        _ => return false,
    };
    let Some(records) = parse_records(raw) else {
        return false;
    };
    records.iter().any(|record| {
        record.wire_type == 2
            && extensions
                .iter()
                .any(|e| e.number == record.number && reparse(record.payload, e.fields).is_err())
    })
}

/// One message of a compiled-in type, parsed from `payload` and serialized again.
fn reparse(payload: &[u8], fields: &[(i32, Kind)]) -> Result<Vec<u8>, Unparsable> {
    let records = parse_records(payload).ok_or(Unparsable)?;
    let mut values: Vec<Option<Vec<u8>>> = vec![None; fields.len()];
    let mut unknown = Vec::new();
    let value = |bytes: &[u8]| {
        let mut rest = bytes;
        wire::read_varint(&mut rest).unwrap_or(0)
    };
    for record in &records {
        let field = fields
            .iter()
            .position(|(number, _)| *number == record.number);
        match field.map(|i| (i, &fields[i].1)) {
            Some((i, Kind::Bool)) if record.wire_type == 0 => {
                let mut out = Vec::with_capacity(2);
                wire::key(&mut out, record.number, 0);
                out.push(u8::from(value(record.payload) != 0));
                values[i] = Some(out);
            }
            Some((i, Kind::ClosedEnum(known))) if record.wire_type == 0 => {
                // Read as an int32 (the low 32 bits), written back sign-extended.
                let number = value(record.payload) as i32;
                let mut out = Vec::with_capacity(11);
                wire::key(&mut out, record.number, 0);
                wire::int32(&mut out, number);
                if known.contains(&number) {
                    values[i] = Some(out);
                } else {
                    unknown.extend(out);
                }
            }
            Some((i, Kind::VerifiedString)) if record.wire_type == 2 => {
                std::str::from_utf8(record.payload).map_err(|_| Unparsable)?;
                values[i] = Some(record.raw.to_vec());
            }
            _ => unknown.extend_from_slice(record.raw),
        }
    }
    let mut message: Vec<u8> = values.into_iter().flatten().flatten().collect();
    message.extend(unknown);
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(bytes: &[u8], extensions: &[Extension]) -> Result<Vec<u8>, Unparsable> {
        let mut unknown = UnknownFields::default();
        unknown.push_raw(bytes).unwrap();
        normalize(&mut unknown, extensions).map(|()| unknown.as_bytes().to_vec())
    }

    #[test]
    fn reads_compiled_in_features_as_protoc_does() {
        // (custom 1002) = {1: 5}; (pb.cpp) = {2: 7, 1: 7}; (pb.cpp) = {3: 1, 2: 1}
        let bytes = [
            0xd2, 0x3e, 0x02, 0x08, 0x05, // 1002 {1: 5}
            0xc2, 0x3e, 0x04, 0x10, 0x07, 0x08, 0x07, // 1000 {2: 7, 1: 7}
            0xc2, 0x3e, 0x04, 0x18, 0x01, 0x10, 0x01, // 1000 {3: 1, 2: 1}
        ];
        // 1000 {1: 1, 2: 1, 3: 1, 2: 7 (unknown)} first, then 1002 as it was.
        let expected = [
            0xc2, 0x3e, 0x08, 0x08, 0x01, 0x10, 0x01, 0x18, 0x01, 0x10, 0x07, //
            0xd2, 0x3e, 0x02, 0x08, 0x05,
        ];
        assert_eq!(normalized(&bytes, FEATURE_SET).unwrap(), expected);
        // Nothing to do without a compiled-in extension.
        assert_eq!(normalized(&bytes[..5], FEATURE_SET).unwrap(), &bytes[..5]);
    }

    #[test]
    fn verified_strings_must_be_utf8() {
        // 998 {1: "ok", 2: 3}, 50002: 3
        let good = [0xb2, 0x3e, 0x06, 0x0a, 0x02, b'o', b'k', 0x10, 0x03];
        let mut bytes = vec![0x90, 0xb5, 0x18, 0x03];
        bytes.extend_from_slice(&good);
        let mut expected = good.to_vec();
        expected.extend_from_slice(&[0x90, 0xb5, 0x18, 0x03]);
        assert_eq!(normalized(&bytes, ENUM_VALUE_OPTIONS).unwrap(), expected);
        let bad = [0xb2, 0x3e, 0x03, 0x0a, 0x01, 0xff];
        assert!(normalized(&bad, ENUM_VALUE_OPTIONS).is_err());
    }
}
