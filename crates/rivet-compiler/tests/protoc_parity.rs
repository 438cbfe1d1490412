//! Byte parity with the real protoc (libprotoc 36.2 from `protoc-bin-vendored`) for the
//! repository's `protos/` and for the embedded well-known types.

use std::path::{Path, PathBuf};
use std::process::Command;

use prost::Message;
use rivet_compiler::Compiler;
use rivet_descriptor::FileDescriptorSet;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// protoc's `--descriptor_set_out` bytes.
fn protoc(
    include: &Path,
    files: &[&str],
    (source_info, imports, retain): (bool, bool, bool),
) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    let out_file = out.path().join("out.pb");
    let mut command = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap());
    command.arg("-I").arg(include).arg("-o").arg(&out_file);
    if source_info {
        command.arg("--include_source_info");
    }
    if imports {
        command.arg("--include_imports");
    }
    if retain {
        command.arg("--retain_options");
    }
    let output = command.args(files).output().unwrap();
    assert!(
        output.status.success(),
        "protoc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(out_file).unwrap()
}

fn rivet(
    include: &Path,
    files: &[&str],
    (source_info, imports, retain): (bool, bool, bool),
) -> Vec<u8> {
    let mut compiler = Compiler::new();
    compiler
        .include_path(include)
        .include_source_info(source_info)
        .include_imports(imports)
        .retain_options(retain);
    match compiler.compile(files) {
        Ok(compilation) => compilation.encode_descriptor_set(),
        Err(error) => panic!("rivet failed:\n{error}"),
    }
}

/// Compares both tools in every mode; on mismatch, names the first differing file.
fn assert_parity(include: &Path, files: &[&str]) {
    for mode in 0..8 {
        let (source_info, imports, retain) = (mode & 1 != 0, mode & 2 != 0, mode & 4 != 0);
        {
            let expected = protoc(include, files, (source_info, imports, retain));
            let actual = rivet(include, files, (source_info, imports, retain));
            if expected == actual {
                continue;
            }
            let expected_set = FileDescriptorSet::decode(expected.as_slice()).unwrap();
            let actual_set = FileDescriptorSet::decode(actual.as_slice()).unwrap();
            let names = |set: &FileDescriptorSet| {
                set.file
                    .iter()
                    .map(|f| f.name().to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                names(&actual_set),
                names(&expected_set),
                "file order differs"
            );
            for (e, a) in expected_set.file.iter().zip(&actual_set.file) {
                if e != a {
                    let e_text = format!("{e:#?}");
                    let a_text = format!("{a:#?}");
                    let line = e_text
                        .lines()
                        .zip(a_text.lines())
                        .position(|(x, y)| x != y)
                        .unwrap_or(0);
                    let context = |text: &str| {
                        text.lines()
                            .skip(line.saturating_sub(8))
                            .take(16)
                            .collect::<Vec<_>>()
                            .join("\n")
                    };
                    panic!(
                        "{} differs (source_info={source_info}, imports={imports}, retain={retain}) near line {line}\n--- protoc\n{}\n--- rivet\n{}",
                        e.name(),
                        context(&e_text),
                        context(&a_text)
                    );
                }
            }
            panic!("bytes differ but decoded sets are equal (encoding order?) for {files:?}");
        }
    }
}

#[test]
fn repository_protos_match_protoc() {
    let protos = repo_root().join("protos");
    assert_parity(&protos, &["helloworld.proto"]);
    assert_parity(&protos, &["route_guide.proto"]);
    assert_parity(&protos, &["helloworld.proto", "route_guide.proto"]);
}

#[test]
fn well_known_types_match_protoc() {
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("third_party/protobuf");
    for file in [
        "google/protobuf/any.proto",
        "google/protobuf/api.proto",
        "google/protobuf/duration.proto",
        "google/protobuf/empty.proto",
        "google/protobuf/field_mask.proto",
        "google/protobuf/source_context.proto",
        "google/protobuf/struct.proto",
        "google/protobuf/timestamp.proto",
        "google/protobuf/type.proto",
        "google/protobuf/wrappers.proto",
    ] {
        assert_parity(&include, &[file]);
    }
}

#[test]
fn descriptor_and_plugin_protos_match_protoc() {
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("third_party/protobuf");
    assert_parity(&include, &["google/protobuf/descriptor.proto"]);
    assert_parity(&include, &["google/protobuf/compiler/plugin.proto"]);
    assert_parity(
        &include,
        &[
            "google/protobuf/cpp_features.proto",
            "google/protobuf/java_features.proto",
            "google/protobuf/go_features.proto",
        ],
    );
}

#[test]
fn custom_options_and_editions_match_protoc() {
    // The descriptor crate's round-trip inputs: custom options of every kind and editions.
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rivet-descriptor/tests/data");
    for file in [
        "custom_options.proto",
        "editions.proto",
        "editions2024.proto",
    ] {
        assert_parity(&include, &[file]);
    }
}
