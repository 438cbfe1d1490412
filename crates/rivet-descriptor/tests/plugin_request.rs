//! A `CodeGeneratorRequest` captured from the real protoc (through a tiny shell plugin that
//! saves its standard input) decodes and re-encodes to the same bytes.
//!
//! This is its own test binary with a single test: the plugin script is written and then
//! executed, and keeping other threads from forking meanwhile avoids "text file busy".

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;
use prost::Message;
use rivet_descriptor::Edition;
use rivet_descriptor::compiler::code_generator_response::Feature;
use rivet_descriptor::compiler::{CodeGeneratorRequest, CodeGeneratorResponse};

const TEST_FILES: &[&str] = &[
    "custom_options.proto",
    "editions.proto",
    "editions2024.proto",
];

/// Runs protoc with a plugin that dumps the request, and returns the request bytes.
fn capture_request(parameter: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let request_path = dir.path().join("request.binpb");
    let response_path = dir.path().join("response.binpb");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();

    // The plugin must declare editions support, or protoc refuses editions files.
    let response = CodeGeneratorResponse {
        supported_features: Some(Feature::Proto3Optional as u64 | Feature::SupportsEditions as u64),
        minimum_edition: Some(Edition::Proto2 as i32),
        maximum_edition: Some(Edition::Edition2024 as i32),
        ..Default::default()
    };
    std::fs::write(&response_path, response.encode_to_vec()).unwrap();

    let script = dir.path().join("protoc-gen-dump");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncat > '{}'\ncat '{}'\n",
            request_path.display(),
            response_path.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();

    run(protoc()
        .arg(format!("--plugin=protoc-gen-dump={}", script.display()))
        .arg(format!("--dump_out={}", out_dir.display()))
        .arg(format!("--dump_opt={parameter}"))
        .args(TEST_FILES));
    std::fs::read(request_path).unwrap()
}

/// `(minor, patch)` of the protobuf release, from `protoc --version` ("libprotoc 36.2" is
/// protobuf v36.2, whose `Version` in plugin requests has minor 36 and patch 2).
fn protoc_minor_patch() -> (i32, i32) {
    let output = protoc().arg("--version").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let version = text
        .trim()
        .strip_prefix("libprotoc ")
        .expect("libprotoc version");
    let parts: Vec<i32> = version.split('.').map(|p| p.parse().unwrap()).collect();
    (parts[0], parts[1])
}

#[test]
fn code_generator_request_round_trips() {
    let bytes = capture_request("flag=1,other");
    let request: CodeGeneratorRequest = assert_round_trip(&bytes);

    assert_eq!(request.file_to_generate, TEST_FILES);
    assert_eq!(request.parameter(), "flag=1,other");
    let version = request.compiler_version.as_ref().unwrap();
    assert_eq!((version.minor(), version.patch()), protoc_minor_patch());
    assert!(version.major.is_some());
    assert_eq!(version.suffix(), "");

    // proto_file: everything, dependencies first.
    let names: Vec<&str> = request.proto_file.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "google/protobuf/descriptor.proto",
            "custom_options.proto",
            "google/protobuf/cpp_features.proto",
            "google/protobuf/java_features.proto",
            "editions.proto",
            "editions2024.proto",
        ]
    );

    // source_file_descriptors: only the files to generate, with source-retention options.
    let sources: Vec<&str> = request
        .source_file_descriptors
        .iter()
        .map(|f| f.name())
        .collect();
    assert_eq!(sources, TEST_FILES);
    let naming_style = |file: &rivet_descriptor::FileDescriptorProto| {
        file.options
            .as_ref()
            .and_then(|o| o.features.as_deref())
            .and_then(|f| f.enforce_naming_style)
    };
    assert_eq!(naming_style(&request.proto_file[5]), None);
    assert_eq!(
        naming_style(&request.source_file_descriptors[2]),
        Some(rivet_descriptor::feature_set::EnforceNamingStyle::StyleLegacy as i32)
    );
    let declarations = |file: &rivet_descriptor::FileDescriptorProto| {
        let account = file
            .message_type
            .iter()
            .find(|m| m.name() == "Account")
            .unwrap();
        account.extension_range[1]
            .options
            .as_ref()
            .map_or(0, |o| o.declaration.len())
    };
    assert_eq!(declarations(&request.proto_file[1]), 0);
    assert_eq!(declarations(&request.source_file_descriptors[0]), 1);

    // Custom options and language features survive in both lists.
    for file in [&request.proto_file[4], &request.source_file_descriptors[1]] {
        assert_eq!(file.edition(), Edition::Edition2023);
        let options = file.options.as_ref().unwrap();
        assert_eq!(
            fields(&options.unknown_fields),
            [(50001, ld(b"editions-team"))]
        );
        let features = options.features.as_deref().unwrap();
        let numbers: Vec<u32> = features.unknown_fields.iter().map(|f| f.number).collect();
        assert_eq!(numbers, [1000, 1001]);
    }

    // Source info is included for the files to generate.
    let info = request.proto_file[1].source_code_info.as_ref().unwrap();
    assert!(
        info.location
            .iter()
            .any(|l| l.leading_comments() == " Reads an account.\n")
    );

    // Decoding a request with a field this crate does not know keeps it too.
    let mut extended = bytes.clone();
    extended.extend_from_slice(&[0xa2, 0x06, 0x02, b'h', b'i']); // field 100, "hi"
    let request: CodeGeneratorRequest = assert_round_trip(&extended);
    assert_eq!(fields(&request.unknown_fields), [(100, ld(b"hi"))]);
}
