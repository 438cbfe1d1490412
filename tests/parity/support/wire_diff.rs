//! Byte-level comparison of encoded descriptors, explained field by field.
//!
//! Both sides are read as raw protobuf wire format, so nothing is lost to a decoder: unknown
//! fields (custom options, extensions), field order, packed-vs-expanded encoding and invalid
//! UTF-8 all show up. Field names come from a schema read out of protoc's own encoding of
//! `google/protobuf/descriptor.proto`, so the report says `message_type[0]{Foo}.field[2]{bar}.
//! options.deprecated` instead of a byte offset.

use std::collections::HashMap;
use std::fmt::Write as _;

/// One field of a message as it appears on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct WireField<'a> {
    /// Field number.
    pub number: u32,
    /// The value.
    pub value: WireValue<'a>,
}

/// A wire value.
#[derive(Clone, Debug, PartialEq)]
pub enum WireValue<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1.
    Fixed64(u64),
    /// Wire type 2.
    Bytes(&'a [u8]),
    /// Wire types 3/4: the group's content.
    Group(&'a [u8]),
    /// Wire type 5.
    Fixed32(u32),
}

fn read_varint(buf: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *buf
            .get(*pos)
            .ok_or_else(|| format!("truncated varint at byte {pos}"))?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(format!("varint too long at byte {pos}"))
}

/// Splits `buf` into its top-level fields, in wire order.
pub fn parse(buf: &[u8]) -> Result<Vec<WireField<'_>>, String> {
    let mut fields = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let (number, value) = parse_one(buf, &mut pos)?;
        match value {
            Some(value) => fields.push(WireField { number, value }),
            None => return Err(format!("unexpected end-group tag for field {number}")),
        }
    }
    Ok(fields)
}

/// Reads one field; `None` for an end-group tag.
fn parse_one<'a>(buf: &'a [u8], pos: &mut usize) -> Result<(u32, Option<WireValue<'a>>), String> {
    let key = read_varint(buf, pos)?;
    let number = u32::try_from(key >> 3).map_err(|_| format!("field number too large: {key}"))?;
    if number == 0 {
        return Err("field number 0".to_string());
    }
    let value = match key & 7 {
        0 => WireValue::Varint(read_varint(buf, pos)?),
        1 => {
            let bytes = buf
                .get(*pos..*pos + 8)
                .ok_or("truncated fixed64")?
                .try_into()
                .unwrap();
            *pos += 8;
            WireValue::Fixed64(u64::from_le_bytes(bytes))
        }
        2 => {
            let len = usize::try_from(read_varint(buf, pos)?).map_err(|e| e.to_string())?;
            let bytes = buf
                .get(*pos..pos.saturating_add(len))
                .ok_or_else(|| format!("truncated length-delimited field {number}"))?;
            *pos += len;
            WireValue::Bytes(bytes)
        }
        3 => {
            let start = *pos;
            loop {
                if *pos >= buf.len() {
                    return Err(format!("unterminated group {number}"));
                }
                let end = *pos;
                let (inner, value) = parse_one(buf, pos)?;
                if value.is_none() {
                    if inner != number {
                        return Err(format!("group {number} closed by end-group {inner}"));
                    }
                    break WireValue::Group(&buf[start..end]);
                }
            }
        }
        4 => return Ok((number, None)),
        5 => {
            let bytes = buf
                .get(*pos..*pos + 4)
                .ok_or("truncated fixed32")?
                .try_into()
                .unwrap();
            *pos += 4;
            WireValue::Fixed32(u32::from_le_bytes(bytes))
        }
        other => return Err(format!("invalid wire type {other} for field {number}")),
    };
    Ok((number, Some(value)))
}

/// The entries of a `FileDescriptorSet` (field 1), raw.
pub fn split_descriptor_set(set: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut files = Vec::new();
    for field in parse(set)? {
        match field.value {
            WireValue::Bytes(bytes) if field.number == 1 => files.push(bytes),
            other => {
                return Err(format!(
                    "unexpected field {} in FileDescriptorSet: {other:?}",
                    field.number
                ));
            }
        }
    }
    Ok(files)
}

/// The `name` (field 1) of an encoded `FileDescriptorProto` (or any descriptor with a name).
pub fn name_of(message: &[u8]) -> Option<String> {
    parse(message)
        .ok()?
        .into_iter()
        .find_map(|f| match f.value {
            WireValue::Bytes(b) if f.number == 1 => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
}

// FieldDescriptorProto.Type values.
const TYPE_DOUBLE: i32 = 1;
const TYPE_FLOAT: i32 = 2;
const TYPE_INT64: i32 = 3;
const TYPE_UINT64: i32 = 4;
const TYPE_INT32: i32 = 5;
const TYPE_FIXED64: i32 = 6;
const TYPE_FIXED32: i32 = 7;
const TYPE_BOOL: i32 = 8;
const TYPE_STRING: i32 = 9;
const TYPE_GROUP: i32 = 10;
const TYPE_MESSAGE: i32 = 11;
const TYPE_BYTES: i32 = 12;
const TYPE_UINT32: i32 = 13;
const TYPE_ENUM: i32 = 14;
const TYPE_SFIXED32: i32 = 15;
const TYPE_SFIXED64: i32 = 16;
const TYPE_SINT32: i32 = 17;
const TYPE_SINT64: i32 = 18;

/// A field of the schema.
#[derive(Clone, Debug, Default)]
struct FieldInfo {
    name: String,
    ty: i32,
    type_name: String,
    repeated: bool,
}

/// Message and enum shapes, keyed by fully-qualified name with a leading dot.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    messages: HashMap<String, HashMap<u32, FieldInfo>>,
    enums: HashMap<String, HashMap<i64, String>>,
}

impl Schema {
    /// Reads the schema out of an encoded `FileDescriptorSet` (as protoc writes it).
    pub fn from_descriptor_set(set: &[u8]) -> Result<Schema, String> {
        let mut schema = Schema::default();
        for file in split_descriptor_set(set)? {
            let mut package = String::new();
            for f in parse(file)? {
                if let (2, WireValue::Bytes(b)) = (f.number, &f.value) {
                    package = String::from_utf8_lossy(b).into_owned();
                }
            }
            let scope = if package.is_empty() {
                String::new()
            } else {
                format!(".{package}")
            };
            for f in parse(file)? {
                match (f.number, f.value) {
                    (4, WireValue::Bytes(b)) => schema.add_message(&scope, b)?,
                    (5, WireValue::Bytes(b)) => schema.add_enum(&scope, b)?,
                    _ => {}
                }
            }
        }
        Ok(schema)
    }

    fn add_message(&mut self, scope: &str, message: &[u8]) -> Result<(), String> {
        let name = name_of(message).unwrap_or_default();
        let full = format!("{scope}.{name}");
        let mut fields = HashMap::new();
        for f in parse(message)? {
            match (f.number, f.value) {
                (2, WireValue::Bytes(b)) => {
                    let mut info = FieldInfo::default();
                    let mut number = 0;
                    for ff in parse(b)? {
                        match (ff.number, ff.value) {
                            (1, WireValue::Bytes(s)) => {
                                info.name = String::from_utf8_lossy(s).into()
                            }
                            (3, WireValue::Varint(n)) => number = n as u32,
                            (4, WireValue::Varint(l)) => info.repeated = l == 3,
                            (5, WireValue::Varint(t)) => info.ty = t as i32,
                            (6, WireValue::Bytes(s)) => {
                                info.type_name = String::from_utf8_lossy(s).into()
                            }
                            _ => {}
                        }
                    }
                    fields.insert(number, info);
                }
                (3, WireValue::Bytes(b)) => self.add_message(&full, b)?,
                (4, WireValue::Bytes(b)) => self.add_enum(&full, b)?,
                _ => {}
            }
        }
        self.messages.insert(full, fields);
        Ok(())
    }

    fn add_enum(&mut self, scope: &str, enumeration: &[u8]) -> Result<(), String> {
        let name = name_of(enumeration).unwrap_or_default();
        let mut values = HashMap::new();
        for f in parse(enumeration)? {
            if let (2, WireValue::Bytes(b)) = (f.number, f.value) {
                let mut value_name = String::new();
                let mut number = 0i64;
                for ff in parse(b)? {
                    match (ff.number, ff.value) {
                        (1, WireValue::Bytes(s)) => value_name = String::from_utf8_lossy(s).into(),
                        (2, WireValue::Varint(n)) => number = n as i32 as i64,
                        _ => {}
                    }
                }
                values.insert(number, value_name);
            }
        }
        self.enums.insert(format!("{scope}.{name}"), values);
        Ok(())
    }

    fn field(&self, message: &str, number: u32) -> Option<&FieldInfo> {
        self.messages.get(message)?.get(&number)
    }
}

/// Where two encodings first differ, and what each side has there.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// Field path from the root message, e.g. `message_type[0]{Foo}.field[1]{bar}.json_name`.
    pub path: String,
    /// What protoc wrote there.
    pub expected: String,
    /// What Rivet wrote there.
    pub actual: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "at {}\n      protoc: {}\n      rivet:  {}",
            if self.path.is_empty() {
                "<root>"
            } else {
                &self.path
            },
            self.expected,
            self.actual
        )
    }
}

/// The first difference between two encodings of the message type `type_name` (for example
/// `.google.protobuf.FileDescriptorProto`), or `None` when the bytes are identical.
pub fn first_difference(
    schema: &Schema,
    type_name: &str,
    expected: &[u8],
    actual: &[u8],
) -> Option<Difference> {
    if expected == actual {
        return None;
    }
    Some(diff_message(
        schema,
        Some(type_name),
        expected,
        actual,
        String::new(),
    ))
}

fn diff_message(
    schema: &Schema,
    type_name: Option<&str>,
    expected: &[u8],
    actual: &[u8],
    path: String,
) -> Difference {
    let (e, a) = match (parse(expected), parse(actual)) {
        (Ok(e), Ok(a)) => (e, a),
        (e, a) => {
            return Difference {
                path,
                expected: e.map_or_else(|err| format!("<unparsable: {err}>"), |_| escape(expected)),
                actual: a.map_or_else(|err| format!("<unparsable: {err}>"), |_| escape(actual)),
            };
        }
    };
    let mut seen: HashMap<u32, usize> = HashMap::new();
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(ef), Some(af)) if ef == af => {
                *seen.entry(ef.number).or_default() += 1;
            }
            (Some(ef), Some(af)) if ef.number == af.number => {
                let index = *seen.entry(ef.number).or_default();
                let info = type_name.and_then(|t| schema.field(t, ef.number));
                let element = element_path(&path, ef.number, info, index, &ef.value);
                let nested_type = info.and_then(|i| {
                    (i.ty == TYPE_MESSAGE || i.ty == TYPE_GROUP).then_some(i.type_name.as_str())
                });
                return match (&ef.value, &af.value) {
                    (WireValue::Bytes(eb), WireValue::Bytes(ab))
                    | (WireValue::Group(eb), WireValue::Group(ab))
                        if nested_type.is_some()
                            || (info.is_none()
                                && parse(eb).is_ok()
                                && parse(ab).is_ok()
                                && !eb.is_empty()
                                && !ab.is_empty()) =>
                    {
                        diff_message(schema, nested_type, eb, ab, element)
                    }
                    _ => Difference {
                        path: element,
                        expected: render(schema, info, &ef.value),
                        actual: render(schema, info, &af.value),
                    },
                };
            }
            (ef, af) => {
                let describe = |f: Option<&WireField>| match f {
                    None => "<nothing: the message ends here>".to_string(),
                    Some(f) => {
                        let info = type_name.and_then(|t| schema.field(t, f.number));
                        format!(
                            "{} = {}",
                            field_label(f.number, info),
                            render(schema, info, &f.value)
                        )
                    }
                };
                let here = if path.is_empty() {
                    "<root>".to_string()
                } else {
                    path
                };
                return Difference {
                    path: format!("{here}, wire entry {i} (fields are compared in wire order)"),
                    expected: describe(ef),
                    actual: describe(af),
                };
            }
        }
    }
    // Identical field lists but different bytes: only possible with non-canonical encodings.
    Difference {
        path,
        expected: format!("{} bytes: {}", expected.len(), hex(expected)),
        actual: format!("{} bytes: {}", actual.len(), hex(actual)),
    }
}

fn field_label(number: u32, info: Option<&FieldInfo>) -> String {
    match info {
        Some(info) => format!("{}(#{number})", info.name),
        None => format!("#{number}"),
    }
}

fn element_path(
    parent: &str,
    number: u32,
    info: Option<&FieldInfo>,
    index: usize,
    value: &WireValue,
) -> String {
    let mut out = String::from(parent);
    if !out.is_empty() {
        out.push('.');
    }
    match info {
        Some(info) => {
            out.push_str(&info.name);
            if info.repeated {
                let _ = write!(out, "[{index}]");
            }
            if let (TYPE_MESSAGE, WireValue::Bytes(b)) = (info.ty, value)
                && let Some(label) = element_label(&info.type_name, b)
            {
                let _ = write!(out, "{{{label}}}");
            }
        }
        None => {
            let _ = write!(out, "#{number}");
            if index > 0 {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

/// A short label for well-known descriptor elements: their name, or a location's path.
fn element_label(type_name: &str, message: &[u8]) -> Option<String> {
    match type_name {
        ".google.protobuf.FileDescriptorProto"
        | ".google.protobuf.DescriptorProto"
        | ".google.protobuf.FieldDescriptorProto"
        | ".google.protobuf.OneofDescriptorProto"
        | ".google.protobuf.EnumDescriptorProto"
        | ".google.protobuf.EnumValueDescriptorProto"
        | ".google.protobuf.ServiceDescriptorProto"
        | ".google.protobuf.MethodDescriptorProto" => name_of(message),
        ".google.protobuf.SourceCodeInfo.Location" => {
            let path = parse(message)
                .ok()?
                .into_iter()
                .find_map(|f| match f.value {
                    WireValue::Bytes(b) if f.number == 1 => Some(packed_varints(b)),
                    _ => None,
                });
            Some(format!("path={}", path.unwrap_or_else(|| "[]".into())))
        }
        _ => None,
    }
}

fn packed_varints(bytes: &[u8]) -> String {
    let mut pos = 0;
    let mut values = Vec::new();
    while pos < bytes.len() {
        match read_varint(bytes, &mut pos) {
            Ok(v) => values.push((v as i64 as i32).to_string()),
            Err(_) => return format!("<bad packed data {}>", hex(bytes)),
        }
    }
    format!("[{}]", values.join(","))
}

fn render(schema: &Schema, info: Option<&FieldInfo>, value: &WireValue) -> String {
    let Some(info) = info else {
        return match value {
            WireValue::Varint(v) => format!("varint {v}"),
            WireValue::Fixed64(v) => format!("fixed64 {v} ({})", f64::from_bits(*v)),
            WireValue::Fixed32(v) => format!("fixed32 {v} ({})", f32::from_bits(*v)),
            WireValue::Bytes(b) => format!("bytes {}", escape(b)),
            WireValue::Group(b) => format!("group {}", escape(b)),
        };
    };
    match (info.ty, value) {
        (TYPE_BOOL, WireValue::Varint(v)) => (*v != 0).to_string(),
        (TYPE_INT32 | TYPE_INT64, WireValue::Varint(v)) => (*v as i64).to_string(),
        (TYPE_UINT32 | TYPE_UINT64, WireValue::Varint(v)) => v.to_string(),
        (TYPE_SINT32 | TYPE_SINT64, WireValue::Varint(v)) => {
            ((*v >> 1) as i64 ^ -((*v & 1) as i64)).to_string()
        }
        (TYPE_ENUM, WireValue::Varint(v)) => {
            let number = *v as i64 as i32 as i64;
            match schema
                .enums
                .get(&info.type_name)
                .and_then(|e| e.get(&number))
            {
                Some(name) => format!("{name} ({number})"),
                None => number.to_string(),
            }
        }
        (TYPE_DOUBLE, WireValue::Fixed64(v)) => format!("{:?}", f64::from_bits(*v)),
        (TYPE_FLOAT, WireValue::Fixed32(v)) => format!("{:?}", f32::from_bits(*v)),
        (TYPE_FIXED64 | TYPE_SFIXED64, WireValue::Fixed64(v)) => v.to_string(),
        (TYPE_FIXED32 | TYPE_SFIXED32, WireValue::Fixed32(v)) => v.to_string(),
        (TYPE_STRING | TYPE_BYTES, WireValue::Bytes(b)) => escape(b),
        (
            TYPE_INT32 | TYPE_INT64 | TYPE_UINT32 | TYPE_UINT64 | TYPE_ENUM | TYPE_BOOL
            | TYPE_SINT32 | TYPE_SINT64,
            WireValue::Bytes(b),
        ) => format!("packed {}", packed_varints(b)),
        (TYPE_MESSAGE | TYPE_GROUP, WireValue::Bytes(b) | WireValue::Group(b)) => {
            format!("{} ({} bytes)", info.type_name, b.len())
        }
        (_, other) => format!("{other:?} (unexpected wire type for {})", info.name),
    }
}

/// A quoted, escaped rendering of bytes (invalid UTF-8 shown as `\xNN`), shortened if long.
pub fn escape(bytes: &[u8]) -> String {
    const LIMIT: usize = 160;
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() => {
                    let _ = write!(out, "\\x{:02x}", c as u32);
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out.push('"');
    if out.chars().count() > LIMIT {
        let short: String = out.chars().take(LIMIT).collect();
        return format!("{short}…\" ({} bytes)", bytes.len());
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for b in bytes.iter().take(64) {
        let _ = write!(out, "{b:02x}");
    }
    if bytes.len() > 64 {
        out.push('…');
    }
    out
}

/// The result of comparing two `FileDescriptorSet` encodings file by file.
#[derive(Debug, Default)]
pub struct SetComparison {
    /// Files whose bytes are identical.
    pub identical: Vec<String>,
    /// Files present on both sides whose bytes differ, with the first difference.
    pub different: Vec<(String, Difference)>,
    /// Problems with the sets as a whole (file lists or order differ, unparsable input).
    pub structural: Vec<String>,
}

impl SetComparison {
    /// Whether the two sets are byte-identical.
    pub fn is_identical(&self) -> bool {
        self.different.is_empty() && self.structural.is_empty()
    }
}

/// Compares two encoded `FileDescriptorSet`s: the file lists (names and order), then each
/// file's bytes.
pub fn compare_sets(schema: &Schema, expected: &[u8], actual: &[u8]) -> SetComparison {
    let mut result = SetComparison::default();
    let (expected_files, actual_files) =
        match (split_descriptor_set(expected), split_descriptor_set(actual)) {
            (Ok(e), Ok(a)) => (e, a),
            (e, a) => {
                if let Err(err) = e {
                    result
                        .structural
                        .push(format!("protoc's descriptor set does not parse: {err}"));
                }
                if let Err(err) = a {
                    result
                        .structural
                        .push(format!("rivet's descriptor set does not parse: {err}"));
                }
                return result;
            }
        };
    let names = |files: &[&[u8]]| -> Vec<String> {
        files
            .iter()
            .map(|f| name_of(f).unwrap_or_else(|| "<unnamed>".into()))
            .collect()
    };
    let expected_names = names(&expected_files);
    let actual_names = names(&actual_files);
    if expected_names != actual_names {
        result.structural.push(format!(
            "file lists differ\n      protoc: [{}]\n      rivet:  [{}]",
            expected_names.join(", "),
            actual_names.join(", ")
        ));
    }
    let actual_by_name: HashMap<&str, &[u8]> = actual_names
        .iter()
        .map(String::as_str)
        .zip(actual_files.iter().copied())
        .collect();
    for (name, expected_file) in expected_names.iter().zip(&expected_files) {
        let Some(actual_file) = actual_by_name.get(name.as_str()) else {
            continue;
        };
        match first_difference(
            schema,
            ".google.protobuf.FileDescriptorProto",
            expected_file,
            actual_file,
        ) {
            None => result.identical.push(name.clone()),
            Some(diff) => result.different.push((name.clone(), diff)),
        }
    }
    result
}

/// A line diff (longest common subsequence) of two lists of lines: ` ` both, `-` only
/// expected, `+` only actual.
pub fn line_diff(expected: &[String], actual: &[String]) -> String {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            let _ = writeln!(out, "       {}", expected[i]);
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "    -  {}", expected[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "    +  {}", actual[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups_and_scalars() {
        // field 1 varint 150, field 2 group { field 3 fixed32 1 }, field 4 bytes "hi"
        let buf = [
            0x08, 0x96, 0x01, 0x13, 0x1d, 1, 0, 0, 0, 0x14, 0x22, 2, b'h', b'i',
        ];
        let fields = parse(&buf).unwrap();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0].value, WireValue::Varint(150));
        assert_eq!(fields[1].value, WireValue::Group(&[0x1d, 1, 0, 0, 0]));
        assert_eq!(fields[2].value, WireValue::Bytes(b"hi"));
    }

    #[test]
    fn line_diff_marks_both_sides() {
        let e = vec!["a".to_string(), "b".to_string()];
        let a = vec!["a".to_string(), "c".to_string()];
        let diff = line_diff(&e, &a);
        assert!(diff.contains("-  b") && diff.contains("+  c"), "{diff}");
    }
}
