//! Bad `.proto` input through `rivet-build`: every error reported as protoc reports it
//! (`path:line:col: message`), nothing written, no panic. Each case is checked against the
//! real protoc too, so the expectation itself is verified.

use std::path::Path;
use std::process::Command;

/// Writes `files` into a fresh include directory.
fn include_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// protoc's diagnostics for compiling `file` from `include`.
fn protoc_errors(include: &Path, file: &str) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap())
        .arg("-I")
        .arg(include)
        .arg("-o")
        .arg(out.path().join("out.pb"))
        .arg(file)
        .current_dir(include)
        .output()
        .unwrap();
    assert!(!output.status.success(), "protoc accepted {file}");
    String::from_utf8(output.stderr)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Rivet's diagnostics through `rivet-build`, asserting nothing was written.
fn rivet_errors(include: &Path, file: &str) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let result = rivet_build::configure()
        .out_dir(out.path())
        .emit_rerun_if_changed(false)
        .compile(&[include.join(file)], &[include]);
    let Err(rivet_build::Error::Compile(error)) = result else {
        panic!("expected a compile error for {file}, got {result:?}");
    };
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "files were written despite errors"
    );
    error.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// Asserts Rivet reports exactly `expected`, and that protoc does too. Like protoc, Rivet
/// names files by their path on disk: `{dir}` in `expected` stands for the include directory.
fn check(files: &[(&str, &str)], file: &str, expected: &[&str]) {
    let dir = include_dir(files);
    let expected: Vec<String> = expected
        .iter()
        .map(|line| line.replace("{dir}", &dir.path().to_string_lossy()))
        .collect();
    let protoc = protoc_errors(dir.path(), file);
    assert_eq!(protoc, expected, "protoc's output changed");
    let rivet = rivet_errors(dir.path(), file);
    assert_eq!(rivet, expected);
}

#[test]
fn missing_semicolon() {
    check(
        &[(
            "bad.proto",
            "syntax = \"proto3\";\nmessage A {\n  string name = 1\n}\n",
        )],
        "bad.proto",
        &["{dir}/bad.proto:4:1: Expected \";\"."],
    );
}

#[test]
fn unknown_type() {
    check(
        &[(
            "bad.proto",
            "syntax = \"proto3\";\npackage p;\nmessage A {\n  Missing m = 1;\n}\n",
        )],
        "bad.proto",
        &["{dir}/bad.proto:4:3: \"Missing\" is not defined."],
    );
}

#[test]
fn missing_import() {
    check(
        &[(
            "bad.proto",
            "syntax = \"proto3\";\nimport \"nowhere.proto\";\nmessage A {}\n",
        )],
        "bad.proto",
        &[
            "nowhere.proto: File not found.",
            "{dir}/bad.proto:2:1: Import \"nowhere.proto\" was not found or had errors.",
        ],
    );
}

#[test]
fn duplicate_field_number() {
    check(
        &[(
            "bad.proto",
            "syntax = \"proto3\";\npackage p;\nmessage A {\n  int32 a = 1;\n  int32 b = 1;\n}\n",
        )],
        "bad.proto",
        &[
            "{dir}/bad.proto:5:13: Field number 1 has already been used in \"p.A\" by field \"a\". Next available field number is 2.",
        ],
    );
}

#[test]
fn every_error_of_a_file_is_reported() {
    check(
        &[(
            "bad.proto",
            "syntax = \"proto3\";\npackage p;\nmessage A {\n  Nope a = 1;\n  Nada b = 2;\n}\n",
        )],
        "bad.proto",
        &[
            "{dir}/bad.proto:4:3: \"Nope\" is not defined.",
            "{dir}/bad.proto:5:3: \"Nada\" is not defined.",
        ],
    );
}
