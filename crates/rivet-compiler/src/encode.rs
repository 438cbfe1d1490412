//! Encoding output files, with their `SourceCodeInfo` written straight from the recorded
//! locations.
//!
//! Materializing a `SourceCodeInfo` means one `Location` (two vectors, moved comment strings)
//! per element, and prost then measures every location once per enclosing message while
//! encoding. Large trees have millions of locations, so the output stage instead writes the
//! wire format of `SourceCodeInfo` directly; the rest of the file is encoded by prost. The
//! bytes are the same: fields in number order, packed `path` and `span`, comments as set.

use prost::Message;
use prost::encoding::{WireType, encode_key, encode_varint, encoded_len_varint, int32, key_len};
use rivet_descriptor::FileDescriptorProto;
use rivet_syntax::LineIndex;
use rivet_syntax::ast::Span;

use crate::lower::Locations;

/// `FileDescriptorSet.file`.
const SET_FILE: u32 = 1;
/// `FileDescriptorProto.source_code_info`.
const FILE_SOURCE_CODE_INFO: u32 = 9;
/// `SourceCodeInfo.location`.
const SOURCE_CODE_INFO_LOCATION: u32 = 1;
/// Fields of `SourceCodeInfo.Location`.
const LOCATION_PATH: u32 = 1;
const LOCATION_SPAN: u32 = 2;
const LOCATION_LEADING: u32 = 3;
const LOCATION_TRAILING: u32 = 4;
const LOCATION_DETACHED: u32 = 6;

/// A file's recorded source locations, to be encoded as its `SourceCodeInfo`.
pub(crate) struct SourceInfo<'a> {
    pub locations: &'a Locations,
    pub line_index: &'a LineIndex,
    /// Locations under these paths are left out (options stripped from the output).
    pub stripped: &'a [Vec<i32>],
}

/// A location to be written: its index among the recorded ones, its span as protoc writes
/// it, and the length of its encoded body.
pub(crate) struct Measured {
    index: u32,
    span: [i32; 4],
    span_len: u8,
    body_len: u32,
}

/// Encodes `proto` as one `file` entry of a `FileDescriptorSet` (key, length, message), with
/// `source_info` as its `source_code_info`. `scratch` is a reusable buffer.
pub(crate) fn encode_set_entry(
    mut proto: FileDescriptorProto,
    source_info: Option<SourceInfo<'_>>,
    scratch: &mut Vec<Measured>,
) -> Vec<u8> {
    debug_assert!(proto.source_code_info.is_none() || source_info.is_none());
    // Measure SourceCodeInfo first, so that everything is written once, in place.
    let source_info_body = source_info.as_ref().map(|info| measure(info, scratch));
    // Fields after source_code_info (10 and up), and unknown fields, which prost writes last.
    let tail = FileDescriptorProto {
        public_dependency: std::mem::take(&mut proto.public_dependency),
        weak_dependency: std::mem::take(&mut proto.weak_dependency),
        syntax: proto.syntax.take(),
        edition: proto.edition.take(),
        option_dependency: std::mem::take(&mut proto.option_dependency),
        unknown_fields: std::mem::take(&mut proto.unknown_fields),
        ..Default::default()
    };
    let head = proto;
    let source_info_len = source_info_body.map_or(0, |body| {
        key_len(FILE_SOURCE_CODE_INFO) + encoded_len_varint(body as u64) + body
    });
    let file_len = head.encoded_len() + source_info_len + tail.encoded_len();
    let total = key_len(SET_FILE) + encoded_len_varint(file_len as u64) + file_len;
    let mut out = Vec::with_capacity(total);
    encode_key(SET_FILE, WireType::LengthDelimited, &mut out);
    encode_varint(file_len as u64, &mut out);
    head.encode_raw(&mut out);
    if let (Some(info), Some(body)) = (&source_info, source_info_body) {
        encode_key(FILE_SOURCE_CODE_INFO, WireType::LengthDelimited, &mut out);
        encode_varint(body as u64, &mut out);
        write_locations(info, scratch, &mut out);
    }
    tail.encode_raw(&mut out);
    debug_assert_eq!(out.len(), total);
    out
}

/// A location's `span` as protoc writes it: start line, start column, end line, end column
/// (0-based), without the end line when it is the start line; returns the values and how
/// many of them there are (3 or 4).
pub(crate) fn protoc_span(index: &LineIndex, span: Span) -> ([i32; 4], usize) {
    let (start_line, start_col) = index.line_col(span.start);
    let (end_line, end_col) = index.line_col(span.end);
    if end_line == start_line {
        ([start_line as i32, start_col as i32, end_col as i32, 0], 3)
    } else {
        let values = [start_line, start_col, end_line, end_col];
        (values.map(|v| v as i32), 4)
    }
}

/// Measures the locations of `info` that are kept into `measured`; returns the length of the
/// encoded `SourceCodeInfo` body.
fn measure(info: &SourceInfo<'_>, measured: &mut Vec<Measured>) -> usize {
    measured.clear();
    // The stripped paths encoded as the recorded ones are: a byte prefix of an encoded path
    // is an element prefix of it.
    let stripped: Vec<Vec<u8>> = info
        .stripped
        .iter()
        .map(|path| {
            let mut bytes = Vec::new();
            path.iter().for_each(|&e| crate::wire::int32(&mut bytes, e));
            bytes
        })
        .collect();
    let mut total = 0;
    for (index, raw) in info.locations.items.iter().enumerate() {
        let path = info.locations.encoded_path(raw);
        if stripped.iter().any(|prefix| path.starts_with(prefix)) {
            continue;
        }
        let (span, span_len) = protoc_span(info.line_index, raw.span);
        let mut body = packed_len(LOCATION_PATH, path)
            + int32::encoded_len_packed(LOCATION_SPAN, &span[..span_len]);
        if let Some(comments) = info.locations.comments(raw) {
            body += comments
                .leading()
                .map_or(0, |s| string_len(LOCATION_LEADING, s));
            body += comments
                .trailing()
                .map_or(0, |s| string_len(LOCATION_TRAILING, s));
            body += comments
                .detached()
                .map(|s| string_len(LOCATION_DETACHED, s))
                .sum::<usize>();
        }
        total += key_len(SOURCE_CODE_INFO_LOCATION) + encoded_len_varint(body as u64) + body;
        measured.push(Measured {
            index: index as u32,
            span,
            span_len: span_len as u8,
            body_len: body as u32,
        });
    }
    total
}

/// Writes the measured locations of `info` as `SourceCodeInfo.location` entries.
fn write_locations(info: &SourceInfo<'_>, measured: &[Measured], out: &mut Vec<u8>) {
    for location in measured {
        let raw = &info.locations.items[location.index as usize];
        encode_key(SOURCE_CODE_INFO_LOCATION, WireType::LengthDelimited, out);
        encode_varint(u64::from(location.body_len), out);
        encode_packed(LOCATION_PATH, info.locations.encoded_path(raw), out);
        int32::encode_packed(
            LOCATION_SPAN,
            &location.span[..location.span_len as usize],
            out,
        );
        if let Some(comments) = info.locations.comments(raw) {
            if let Some(text) = comments.leading() {
                encode_string(LOCATION_LEADING, text, out);
            }
            if let Some(text) = comments.trailing() {
                encode_string(LOCATION_TRAILING, text, out);
            }
            for text in comments.detached() {
                encode_string(LOCATION_DETACHED, text, out);
            }
        }
    }
}

/// The encoded size of a packed repeated field whose values encode to `values` (nothing when
/// there are none, as prost writes it).
fn packed_len(number: u32, values: &[u8]) -> usize {
    if values.is_empty() {
        0
    } else {
        string_len(number, values)
    }
}

/// Writes a packed repeated field whose values encode to `values`.
fn encode_packed(number: u32, values: &[u8], out: &mut Vec<u8>) {
    if !values.is_empty() {
        encode_string(number, values, out);
    }
}

/// The encoded size of a `string` field holding `text` (comments: bytes, not always UTF-8).
fn string_len(number: u32, text: &[u8]) -> usize {
    key_len(number) + encoded_len_varint(text.len() as u64) + text.len()
}

fn encode_string(number: u32, text: &[u8], out: &mut Vec<u8>) {
    encode_key(number, WireType::LengthDelimited, out);
    encode_varint(text.len() as u64, out);
    out.extend_from_slice(text);
}
