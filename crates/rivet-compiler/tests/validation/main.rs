//! protoc's `DescriptorBuilder` checks: every case runs through the real protoc
//! (libprotoc 36.2 from `protoc-bin-vendored`) and through `rivet_compiler::Compiler`, and both
//! must print the same diagnostic lines (errors and warnings, in the same order) and, when the
//! input is accepted, write the same descriptor set.

use std::path::{Path, PathBuf};
use std::process::Command;

use rivet_compiler::Compiler;

mod editions;
mod enums;
mod imports;
mod limits;
mod messages;
mod numbers;
mod options;
mod proto3;

/// What one tool did with a case.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    /// Diagnostic lines, unused-import runs sorted (protoc prints them in hash order).
    lines: Vec<String>,
    /// The descriptor set, when the input was accepted.
    descriptor_set: Option<Vec<u8>>,
}

fn normalize(mut lines: Vec<String>) -> Vec<String> {
    let is_unused = |line: &str| line.contains("warning: Import ") && line.ends_with(" is unused.");
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while end < lines.len() && is_unused(&lines[end]) {
            end += 1;
        }
        lines[start..end].sort();
        start = end.max(start + 1);
    }
    lines
}

fn run_protoc(include: &Path, inputs: &[PathBuf]) -> Outcome {
    let out = include.join("__protoc_out.pb");
    let output = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap())
        .arg("-I")
        .arg(include)
        .arg("-o")
        .arg(&out)
        .args(inputs)
        .output()
        .unwrap();
    let descriptor_set = output
        .status
        .success()
        .then(|| std::fs::read(&out).unwrap());
    let _ = std::fs::remove_file(&out);
    Outcome {
        lines: normalize(
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .map(str::to_string)
                .collect(),
        ),
        descriptor_set,
    }
}

fn run_rivet(include: &Path, inputs: &[PathBuf]) -> Outcome {
    let mut compiler = Compiler::new();
    compiler.include_path(include);
    match compiler.compile(inputs) {
        Ok(compilation) => Outcome {
            lines: normalize(compilation.warnings.iter().map(|d| d.to_string()).collect()),
            descriptor_set: Some(compilation.encode_descriptor_set()),
        },
        Err(error) => Outcome {
            lines: normalize(error.diagnostics.iter().map(|d| d.to_string()).collect()),
            descriptor_set: None,
        },
    }
}

/// Writes `files` (name, source) to a fresh directory and compiles `inputs` (names among
/// `files`) with both tools; returns both outcomes (protoc's first).
fn compare(files: &[(&str, &str)], inputs: &[&str]) -> (Outcome, Outcome) {
    let dir = tempfile::tempdir().unwrap();
    for (name, source) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, source).unwrap();
    }
    let inputs: Vec<PathBuf> = inputs.iter().map(|name| dir.path().join(name)).collect();
    (
        run_protoc(dir.path(), &inputs),
        run_rivet(dir.path(), &inputs),
    )
}

/// Asserts that both tools agree on `files`, compiling `inputs`; returns protoc's lines.
fn check_inputs(files: &[(&str, &str)], inputs: &[&str]) -> Vec<String> {
    let (expected, actual) = compare(files, inputs);
    assert_eq!(
        actual.lines, expected.lines,
        "diagnostics differ (left: rivet, right: protoc)"
    );
    assert_eq!(
        actual.descriptor_set.is_some(),
        expected.descriptor_set.is_some(),
        "acceptance differs"
    );
    assert!(
        actual.descriptor_set == expected.descriptor_set,
        "descriptor sets differ"
    );
    for line in &expected.lines {
        eprintln!("protoc: {line}");
    }
    // Strip the temporary directory so callers can match on messages.
    expected
        .lines
        .iter()
        .map(|line| match line.find(".proto:") {
            Some(i) => line[line[..i].rfind('/').map_or(0, |s| s + 1)..].to_string(),
            None => line.clone(),
        })
        .collect()
}

/// Asserts that both tools agree on a single file `a.proto`; returns protoc's lines.
fn check(source: &str) -> Vec<String> {
    check_inputs(&[("a.proto", source)], &["a.proto"])
}

/// Asserts agreement and that protoc reported exactly `expected` (lines without the
/// directory).
fn expect(source: &str, expected: &[&str]) {
    assert_eq!(check(source), expected);
}

/// Runs every error case of the repository's parity corpus (`tests/parity/err`) and prints
/// those where the tools disagree. Exploration aid: `cargo test --test validation -- --ignored
/// --nocapture corpus`.
#[test]
#[ignore]
fn corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/parity");
    let mut failures = 0;
    for kind in ["err", "ok"] {
        let dir = root.join(kind);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        entries.sort();
        for entry in entries {
            let (include, inputs) = if entry.is_dir() {
                if entry.join("args.txt").exists() {
                    continue;
                }
                let mut inputs = Vec::new();
                let mut stack = vec![entry.clone()];
                while let Some(d) = stack.pop() {
                    for e in std::fs::read_dir(&d).unwrap() {
                        let p = e.unwrap().path();
                        if p.is_dir() {
                            stack.push(p);
                        } else if p.extension().is_some_and(|x| x == "proto") {
                            inputs.push(p);
                        }
                    }
                }
                inputs.sort();
                (entry.clone(), inputs)
            } else if entry.extension().is_some_and(|x| x == "proto") {
                (dir.clone(), vec![entry.clone()])
            } else {
                continue;
            };
            let expected = run_protoc(&include, &inputs);
            let actual = std::panic::catch_unwind(|| run_rivet(&include, &inputs));
            let Ok(actual) = actual else {
                println!("PANIC {}", entry.display());
                failures += 1;
                continue;
            };
            if actual != expected {
                failures += 1;
                println!("=== {}", entry.display());
                for line in &expected.lines {
                    println!("  protoc: {line}");
                }
                for line in &actual.lines {
                    println!("  rivet:  {line}");
                }
                if expected.lines == actual.lines {
                    println!("  (descriptor sets differ)");
                }
            }
        }
    }
    println!("{failures} case(s) differ");
}

/// Compiles the files in `$RIVET_ADHOC` (a directory; every `.proto` in it is an input) with
/// both tools and prints both outcomes.
#[test]
#[ignore]
fn adhoc() {
    let Ok(dir) = std::env::var("RIVET_ADHOC") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "proto"))
        .collect();
    inputs.sort();
    if let Ok(only) = std::env::var("RIVET_ADHOC_INPUTS") {
        inputs = only.split(',').map(|name| dir.join(name)).collect();
    }
    let expected = run_protoc(&dir, &inputs);
    let actual = run_rivet(&dir, &inputs);
    for line in &expected.lines {
        println!("protoc: {line}");
    }
    println!("protoc accepted: {}", expected.descriptor_set.is_some());
    for line in &actual.lines {
        println!("rivet:  {line}");
    }
    println!("rivet accepted: {}", actual.descriptor_set.is_some());
    println!(
        "SAME: {}",
        expected.lines == actual.lines && expected.descriptor_set == actual.descriptor_set
    );
}

/// Asserts agreement and that protoc reported something; returns protoc's lines.
fn reported(source: &str) -> Vec<String> {
    let lines = check(source);
    assert!(!lines.is_empty(), "protoc reported nothing");
    lines
}

#[test]
fn harness_accepts_valid_input() {
    expect(
        "syntax = \"proto3\";\npackage p;\nmessage M { int32 a = 1; }\n",
        &[],
    );
}

#[test]
#[ignore]
fn googleapis_warnings() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/corpus");
    let root = corpus.join("google-proto-files/node_modules/google-proto-files");
    let Ok(list) = std::fs::read_to_string(corpus.join("googleapis-6.0.1.files")) else {
        return;
    };
    let inputs: Vec<PathBuf> = list.lines().map(|name| root.join(name)).collect();
    let expected = run_protoc(&root, &inputs);
    let actual = run_rivet(&root, &inputs);
    let missing: Vec<_> = expected
        .lines
        .iter()
        .filter(|l| !actual.lines.contains(l))
        .collect();
    let extra: Vec<_> = actual
        .lines
        .iter()
        .filter(|l| !expected.lines.contains(l))
        .collect();
    println!(
        "protoc: {} lines, rivet: {} lines",
        expected.lines.len(),
        actual.lines.len()
    );
    for line in missing.iter().take(20) {
        println!("missing: {line}");
    }
    for line in extra.iter().take(20) {
        println!("extra:   {line}");
    }
    assert!(missing.is_empty() && extra.is_empty());
    assert!(
        expected.descriptor_set == actual.descriptor_set,
        "descriptor sets differ"
    );
}

#[test]
#[ignore]
fn googleapis_timing() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/corpus");
    let root = corpus.join("google-proto-files/node_modules/google-proto-files");
    let Ok(list) = std::fs::read_to_string(corpus.join("googleapis-6.0.1.files")) else {
        return;
    };
    let inputs: Vec<PathBuf> = list.lines().map(|name| root.join(name)).collect();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let outcome = run_rivet(&root, &inputs);
        println!(
            "rivet: {:?} ({} lines)",
            start.elapsed(),
            outcome.lines.len()
        );
    }
}

/// Robustness: every line-deletion and line-duplication variant of the parity corpus's files
/// compiles to a result or to diagnostics, never a panic. `cargo test --test validation --
/// --ignored mutations`.
#[test]
#[ignore]
fn mutations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/parity");
    let mut sources = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "proto") {
                sources.push(std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    let mut runs = 0;
    for source in &sources {
        let lines: Vec<&str> = source.lines().collect();
        for i in 0..lines.len() {
            for duplicate in [false, true] {
                let mut variant: Vec<&str> = lines.clone();
                if duplicate {
                    variant.insert(i, lines[i]);
                } else {
                    variant.remove(i);
                }
                let mut compiler = Compiler::new();
                compiler.virtual_file("a.proto", variant.join("\n"));
                let result =
                    std::panic::catch_unwind(|| compiler.compile(&["a.proto"]).map(|_| ()));
                assert!(result.is_ok(), "panic on:\n{}", variant.join("\n"));
                runs += 1;
            }
        }
    }
    println!("{runs} variants");
}
