//! protoc-gen-rivet run by the real protoc: the files it writes are rivet-codegen's output for
//! the same input, parameters reach the generator, editions files are accepted, and errors
//! reach protoc.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use prost::Message;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rivet-codegen/tests/data")
}

fn protoc() -> Command {
    let mut command = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap());
    command
        .arg("-I")
        .arg(data_dir())
        .arg("-I")
        .arg(protoc_bin_vendored::include_path().unwrap());
    command
}

/// Runs protoc with the plugin; returns protoc's output and the files written.
fn run_plugin(files: &[&str], parameter: Option<&str>) -> (Output, BTreeMap<String, String>) {
    let out = tempfile::tempdir().unwrap();
    let mut command = protoc();
    command
        .arg(format!(
            "--plugin=protoc-gen-rivet={}",
            env!("CARGO_BIN_EXE_protoc-gen-rivet")
        ))
        .arg(format!("--rivet_out={}", out.path().display()));
    if let Some(parameter) = parameter {
        command.arg(format!("--rivet_opt={parameter}"));
    }
    let output = command.args(files).output().unwrap();
    let mut written = BTreeMap::new();
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        written.insert(name, std::fs::read_to_string(&path).unwrap());
    }
    (output, written)
}

/// rivet-codegen's output for `files`, from a descriptor set written by protoc.
fn library_output(files: &[&str], generator: rivet_codegen::Generator) -> BTreeMap<String, String> {
    let out = tempfile::tempdir().unwrap();
    let set_path = out.path().join("set.pb");
    let status = protoc()
        .args(["--include_imports", "--include_source_info", "-o"])
        .arg(&set_path)
        .args(files)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(set_path).unwrap();
    let set = rivet_descriptor::FileDescriptorSet::decode(bytes.as_slice()).unwrap();
    generator
        .generate(&set, files)
        .unwrap()
        .into_iter()
        .map(|file| (file.name, file.content))
        .collect()
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "protoc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn plugin_output_equals_library_output() {
    let files = [
        "helloworld.proto",
        "route_guide.proto",
        "streaming.proto",
        "proto2.proto",
        "proto3.proto",
        "wkt.proto",
        "no_package.proto",
    ];
    let (output, written) = run_plugin(&files, None);
    assert_success(&output);
    let expected = library_output(&files, rivet_codegen::Generator::new());
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        [
            "_.rs",
            "helloworld.rs",
            "rivet.test.proto2.rs",
            "rivet.test.proto3.rs",
            "rivet.test.streaming.rs",
            "rivet.test.wkt.rs",
            "routeguide.rs"
        ]
    );
    assert_eq!(written, expected);
    assert!(written["helloworld.rs"].contains("pub mod greeter_server {"));
}

#[test]
fn parameters_configure_the_generator() {
    let files = ["helloworld.proto", "proto3.proto"];
    let parameter = r"client=false,server=false,btree_map=.,type_attribute=.=#[derive(Eq\, PartialOrd)],include_file=mod.rs";
    let (output, written) = run_plugin(&files, Some(parameter));
    assert_success(&output);
    let generator = rivet_codegen::Generator::new()
        .build_client(false)
        .build_server(false)
        .btree_map(["."])
        .type_attribute(".", "#[derive(Eq, PartialOrd)]")
        .include_file("mod.rs");
    assert_eq!(written, library_output(&files, generator));
    assert!(!written["helloworld.rs"].contains("greeter_client"));
    assert!(written["rivet.test.proto3.rs"].contains("BTreeMap"));
    assert!(written["mod.rs"].contains("include!(\"helloworld.rs\");"));
}

#[test]
fn editions_files_are_accepted() {
    let files = ["editions2023.proto", "editions_proto3_twin.proto"];
    let (output, written) = run_plugin(&files, None);
    assert_success(&output);
    assert_eq!(
        written,
        library_output(&files, rivet_codegen::Generator::new())
    );
    let legacy = &written["rivet.test.editions.rs"];
    assert!(legacy.contains("#[prost(group, optional, tag = \"3\")]"));
    assert!(legacy.contains("#[prost(int32, required, tag = \"1\")]"));
}

#[test]
fn errors_reach_protoc() {
    let (output, written) = run_plugin(&["helloworld.proto"], Some("no_such_parameter=1"));
    assert!(!output.status.success());
    assert!(written.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown parameter `no_such_parameter`"),
        "{stderr}"
    );
}
