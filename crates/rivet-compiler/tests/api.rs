//! The library's results beyond the descriptors: the files a compilation needed
//! (`Compilation::sources`), the command line's restrictions on the requested files, and which
//! warnings `--fatal_warnings` counts.

use std::path::PathBuf;

use rivet_compiler::{Compiler, Severity, SourceFile};

/// `a.proto` imports `b.proto` and `google/protobuf/empty.proto` and option-imports
/// `c.proto`, which imports `d.proto`; `b.proto` and `d.proto` are on disk in `dir`, the rest
/// in memory.
fn compiler(dir: &std::path::Path) -> Compiler {
    std::fs::write(
        dir.join("b.proto"),
        "edition = \"2024\";\nimport \"d.proto\";\nmessage B { D d = 1; }\n",
    )
    .unwrap();
    std::fs::write(dir.join("d.proto"), "edition = \"2024\";\nmessage D {}\n").unwrap();
    let mut compiler = Compiler::new();
    compiler
        .include_path(dir)
        .virtual_file(
            "a.proto",
            "edition = \"2024\";\nimport \"b.proto\";\nimport \"google/protobuf/empty.proto\";\n\
             import option \"c.proto\";\n\
             message A { B b = 1; google.protobuf.Empty e = 2 [(tag) = 1]; }\n\
             service S { rpc M(A) returns (A); }\n",
        )
        .virtual_file(
            "c.proto",
            "edition = \"2024\";\nimport \"google/protobuf/descriptor.proto\";\n\
             extend google.protobuf.FieldOptions { int32 tag = 50000; }\n",
        );
    compiler
}

fn source(name: &str, disk_path: Option<PathBuf>) -> SourceFile {
    SourceFile {
        name: name.to_string(),
        disk_path,
    }
}

#[test]
fn sources_are_every_needed_file_each_after_its_imports() {
    let dir = tempfile::tempdir().unwrap();
    let compiler = compiler(dir.path());
    let compilation = compiler.compile(&["a.proto"]).expect("compiles");
    // protoc's order for --dependency_out and --include_imports: imports first, then option
    // imports, depth first; files not on disk (embedded or in memory) have no path.
    let d = dir.path().join("d.proto");
    let b = dir.path().join("b.proto");
    assert_eq!(
        compilation.sources,
        [
            source("d.proto", Some(d)),
            source("b.proto", Some(b)),
            source("google/protobuf/empty.proto", None),
            source("google/protobuf/descriptor.proto", None),
            source("c.proto", None),
            source("a.proto", None),
        ]
    );
    // Without include_imports the output has the requested file only; the sources are the
    // same, and so are those of an encoded compilation.
    assert_eq!(compilation.files.len(), 1);
    let encoded = compiler.compile_encoded(&["a.proto"]).expect("compiles");
    assert_eq!(encoded.sources, compilation.sources);
}

#[test]
fn restrictions_on_the_requested_files() {
    let dir = tempfile::tempdir().unwrap();
    let messages = |compiler: &Compiler| -> Vec<String> {
        let error = compiler.compile(&["a.proto"]).expect_err("fails");
        error
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.display(Default::default()))
            .collect()
    };

    let mut disallowed = compiler(dir.path());
    disallowed.disallow_services(true);
    assert_eq!(
        messages(&disallowed),
        ["a.proto: This file contains services, but --disallow_services was used."]
    );

    let mut imports = compiler(dir.path());
    imports.allowed_imports(["b.proto"], rivet_compiler::DIRECT_DEPENDENCIES_VIOLATION);
    assert_eq!(
        messages(&imports),
        [
            "a.proto: File is imported but not declared in --direct_dependencies: \
             google/protobuf/empty.proto"
        ]
    );
    imports.allowed_imports(["b.proto", "google/protobuf/empty.proto"], "unused %s");
    assert!(
        imports.compile(&["a.proto"]).is_ok(),
        "option imports are not imports"
    );

    let mut option_imports = compiler(dir.path());
    option_imports.allowed_option_imports(Vec::<String>::new(), "%s, %s: no");
    assert_eq!(messages(&option_imports), ["a.proto: c.proto, c.proto: no"]);
    option_imports.allowed_option_imports(["c.proto"], "%s");
    assert!(option_imports.compile(&["a.proto"]).is_ok());
}

#[test]
fn the_generic_services_warning_is_not_counted_by_fatal_warnings() {
    let mut compiler = Compiler::new();
    compiler
        .virtual_file(
            "generic.proto",
            "syntax = \"proto2\";\noption py_generic_services = true;\n",
        )
        .virtual_file(
            "unused.proto",
            "syntax = \"proto3\";\nimport \"generic.proto\";\n",
        );
    let warnings = compiler
        .compile(&["unused.proto", "generic.proto"])
        .expect("compiles")
        .warnings;
    let counted: Vec<(String, bool)> = warnings
        .iter()
        .map(|w| (w.message.clone(), w.counts_for_fatal_warnings()))
        .collect();
    assert_eq!(counted.len(), 2, "{counted:?}");
    assert_eq!(
        counted[0],
        ("Import generic.proto is unused.".to_string(), true)
    );
    assert!(counted[1].0.starts_with("Generic services"), "{counted:?}");
    assert!(!counted[1].1, "not counted");
}
