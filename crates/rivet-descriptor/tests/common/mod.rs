//! Helpers shared by the integration tests: running the vendored `protoc`, and decoding /
//! re-encoding with byte-for-byte comparison.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use prost::Message;
use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet, UnknownField, UnknownFields, UnknownValue,
};

/// The directory holding the test `.proto` files.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// The include directory of the vendored protoc (descriptor.proto, cpp_features.proto, ...).
pub fn protoc_include() -> PathBuf {
    protoc_bin_vendored::include_path().expect("vendored protoc include path")
}

/// A `protoc` command with the test data and the well-known types on the include path.
pub fn protoc() -> Command {
    let mut command =
        Command::new(protoc_bin_vendored::protoc_bin_path().expect("vendored protoc"));
    command
        .arg("-I")
        .arg(data_dir())
        .arg("-I")
        .arg(protoc_include());
    command
}

/// Compiles `files` to a descriptor set with imports and source info, plus `extra` arguments,
/// and returns the bytes protoc wrote.
pub fn descriptor_set_bytes(files: &[&str], extra: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("set.binpb");
    run(protoc()
        .arg("--include_imports")
        .arg("--include_source_info")
        .arg(format!("--descriptor_set_out={}", out.display()))
        .args(extra)
        .args(files));
    std::fs::read(out).unwrap()
}

/// Runs `command` (protoc), which must succeed.
pub fn run(command: &mut Command) {
    let output = command.output().expect("run protoc");
    assert!(
        output.status.success(),
        "protoc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Decodes `bytes` as `M`, re-encodes it, and asserts the result is byte-identical.
pub fn assert_round_trip<M: Message + Default>(bytes: &[u8]) -> M {
    let message = M::decode(bytes).expect("decode");
    assert_eq!(message.encoded_len(), bytes.len(), "encoded_len differs");
    let encoded = message.encode_to_vec();
    if encoded != bytes {
        let at = encoded
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(encoded.len().min(bytes.len()));
        panic!(
            "re-encoded bytes differ from protoc's at offset {at} (lengths {} vs {})",
            encoded.len(),
            bytes.len()
        );
    }
    message
}

/// Compiles `files` and asserts that the descriptor set round-trips; returns it decoded.
pub fn round_trip_set(files: &[&str], extra: &[&str]) -> FileDescriptorSet {
    assert_round_trip(&descriptor_set_bytes(files, extra))
}

pub fn file<'a>(set: &'a FileDescriptorSet, name: &str) -> &'a FileDescriptorProto {
    set.file
        .iter()
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("no file {name}"))
}

pub fn message<'a>(file: &'a FileDescriptorProto, name: &str) -> &'a DescriptorProto {
    file.message_type
        .iter()
        .find(|m| m.name() == name)
        .unwrap_or_else(|| panic!("no message {name}"))
}

pub fn nested<'a>(message: &'a DescriptorProto, name: &str) -> &'a DescriptorProto {
    message
        .nested_type
        .iter()
        .find(|m| m.name() == name)
        .unwrap_or_else(|| panic!("no nested message {name}"))
}

pub fn field<'a>(message: &'a DescriptorProto, name: &str) -> &'a FieldDescriptorProto {
    message
        .field
        .iter()
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

pub fn enum_type<'a>(file: &'a FileDescriptorProto, name: &str) -> &'a EnumDescriptorProto {
    file.enum_type
        .iter()
        .find(|e| e.name() == name)
        .unwrap_or_else(|| panic!("no enum {name}"))
}

/// The unknown fields as `(number, value)` pairs, in order.
pub fn fields(unknown: &UnknownFields) -> Vec<(u32, UnknownValue)> {
    unknown
        .iter()
        .map(|UnknownField { number, value }| (number, value))
        .collect()
}

/// The fields of an encoded message (the payload of a length-delimited unknown field).
pub fn sub_fields(value: &UnknownValue) -> Vec<(u32, UnknownValue)> {
    match value {
        UnknownValue::LengthDelimited(bytes) => {
            let mut parsed = UnknownFields::new();
            parsed.push_raw(bytes).expect("a valid embedded message");
            fields(&parsed)
        }
        other => panic!("expected a length-delimited field, got {other:?}"),
    }
}

pub fn ld(bytes: &[u8]) -> UnknownValue {
    UnknownValue::LengthDelimited(bytes.to_vec())
}
